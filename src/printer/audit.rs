//! `dockgen audit` in text: one line per finding (location from the current folder, the rule,
//! what to do), a count, then dockgen's replacement for each audited Dockerfile as a diff.

use super::{from_cwd, inert, out, paint, paint_diff, style};
use crate::audit::Finding;
use crate::commands::audit::Replacement;

pub fn audit_text(findings: &[Finding], replacements: &[Replacement], files: usize) {
    let mut s = String::new();
    let width = findings
        .iter()
        .map(|f| f.rule.id().len())
        .max()
        .unwrap_or(0);
    let locations: Vec<String> = findings
        .iter()
        .map(|f| inert(&from_cwd(&format!("{}:{}", f.file, f.line))))
        .collect();
    let at = locations
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    for (f, location) in findings.iter().zip(&locations) {
        let rule = format!("{:<width$}", f.rule.id());
        s.push_str(&format!(
            "{location:<at$}  {}  {}\n",
            paint(&rule, "33", style().color_out),
            inert(&f.message)
        ));
    }
    let plural = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        _ => format!("{n} {many}"),
    };
    s.push_str(&format!(
        "{} in {}\n",
        plural(findings.len(), "finding", "findings"),
        plural(files, "Dockerfile", "Dockerfiles")
    ));
    for r in replacements.iter().filter(|r| !r.diff.is_empty()) {
        s.push_str(&format!(
            "\ndockgen's {} (write it with `dockgen generate --force`):\n",
            inert(&from_cwd(&r.file))
        ));
        s.push_str(&paint_diff(&r.diff, style().color_out));
    }
    out(&s);
}

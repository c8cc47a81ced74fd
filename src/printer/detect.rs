//! How `detect` reports in text: one block per service, its facts in aligned columns with
//! their sources; the warnings on stderr.

use super::{inert, out};
use crate::facts::{Fact, ServiceFacts};
use serde::Serialize;

/// `detect` in text: one block per service, its facts in aligned columns with their sources;
/// the warnings go to stderr, as `generate` prints them.
pub fn detect_text(services: &[ServiceFacts]) {
    let mut s = String::new();
    let mut warnings = Vec::new();
    for (i, service) in services.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&format!(
            "{} ({})\n",
            inert(&service.path),
            service.language.name()
        ));
        // What does not exist is none, not unknown: a shell script has no package manager or
        // framework, and a build no detector found is no build step.
        let shell = service.language == crate::facts::Language::Shell;
        let absent = if shell { "none" } else { "unknown" };
        let mut rows: Vec<(String, String, String)> = Vec::new();
        row(&mut rows, "version", &service.version, absent);
        row(
            &mut rows,
            "package manager",
            &service.package_manager,
            absent,
        );
        row(&mut rows, "framework", &service.framework, absent);
        row(&mut rows, "build", &service.build, "none");
        row(&mut rows, "start", &service.start, "unknown");
        row(&mut rows, "port", &service.port, "unknown");
        row(&mut rows, "health", &service.health, "unknown");
        for b in &service.backing {
            let shown = match &b.value.env {
                Some(env) => format!("{} (the app reads {})", b.value.kind.name(), env.value),
                None => b.value.kind.name().to_string(),
            };
            let fact = Some(crate::facts::Fact::new(shown, b.evidence.clone()));
            row(&mut rows, "backing", &fact, "");
        }
        for (key, fact) in &service.details {
            row(&mut rows, &key.replace('_', " "), &Some(fact.clone()), "");
        }
        if let Some(preset) = &service.preset {
            let why = match (&service.preset_reason, super::style().verbose) {
                (Some(reason), true) => format!("  ({})", inert(reason)),
                _ => String::new(),
            };
            rows.push((
                "preset".into(),
                format!("{}{why}", inert(preset)),
                String::new(),
            ));
        }
        let name_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        // Long values (commands, class names) are not padded: they would push every source
        // far to the right.
        let value_width = rows
            .iter()
            .filter(|r| !r.2.is_empty())
            .map(|r| r.1.chars().count())
            .filter(|w| *w <= 32)
            .max()
            .unwrap_or(0);
        for (name, value, source) in rows {
            let line = if source.is_empty() {
                format!("  {name:<name_width$}  {value}")
            } else {
                format!("  {name:<name_width$}  {value:<value_width$}  from {source}")
            };
            s.push_str(line.trim_end());
            s.push('\n');
        }
        warnings.extend(service.warnings.iter().cloned());
    }
    out(&s);
    super::warnings(&warnings);
}

/// One fact as (name, value, source); `absent` is shown when the fact is not known.
fn row<T: Serialize>(
    rows: &mut Vec<(String, String, String)>,
    name: &str,
    fact: &Option<Fact<T>>,
    absent: &str,
) {
    match fact {
        None => rows.push((name.to_string(), absent.to_string(), String::new())),
        Some(f) => {
            let value = match serde_json::to_value(&f.value).unwrap_or_default() {
                serde_json::Value::String(v) => v,
                // A list of words reads as the shell line that would run it.
                serde_json::Value::Array(items) => shell_words::join(items.iter().map(|i| {
                    i.as_str()
                        .map(String::from)
                        .unwrap_or_else(|| i.to_string())
                })),
                other => other.to_string(),
            };
            let why = f
                .evidence
                .detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            rows.push((
                name.to_string(),
                inert(&value),
                inert(&format!("{}{why}", f.evidence.source())),
            ));
        }
    }
}

//! The only module that prints. Results go to stdout, warnings and errors to stderr, so
//! `--stdout` and `--format json` output can be piped.

use crate::changes::{Change, Status};
use crate::cli::ReportFormat;
use crate::error::Error;
use crate::preset::Preset;
use crate::render::RenderedFile;
use serde::Serialize;
use std::io::Write;
use std::sync::OnceLock;

mod audit;
mod detect;
mod locations;
mod plan;
mod report;
mod verify;
pub use audit::audit_text;
pub use detect::detect_text;
pub use locations::{from_cwd, set_root};
pub use plan::plan_text;
pub use report::report_text;
pub use verify::verify_text;

/// How output looks, decided once at start-up from flags, the terminal and `NO_COLOR`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Colour on stdout (only when it is a terminal and NO_COLOR is unset).
    pub color_out: bool,
    /// Colour on stderr.
    pub color_err: bool,
    /// Only results and errors: no summaries, warnings or hints.
    pub quiet: bool,
    /// Also explain choices: preset selection and where each answer came from.
    pub verbose: bool,
}

static STYLE: OnceLock<Style> = OnceLock::new();

pub fn configure(style: Style) {
    let _ = STYLE.set(style);
}

fn style() -> Style {
    STYLE.get().copied().unwrap_or_default()
}

/// Text read from a repository, made safe for a terminal: control characters (escape
/// sequences, newlines, carriage returns) are shown escaped instead of acting.
pub fn inert(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn paint(text: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Create => "32",
        Status::Identical => "2",
        Status::Update => "33",
        Status::Conflict => "1;31",
    }
}

/// Colours a unified diff line by line.
fn paint_diff(diff: &str, on: bool) -> String {
    if !on {
        return diff.to_string();
    }
    diff.lines()
        .map(|l| {
            let code = if l.starts_with("+++") || l.starts_with("---") {
                "1"
            } else if l.starts_with('+') {
                "32"
            } else if l.starts_with('-') {
                "31"
            } else if l.starts_with("@@") {
                "36"
            } else {
                return format!("{l}\n");
            };
            format!("{}\n", paint(l, code, true))
        })
        .collect()
}

/// The version of every JSON document dockgen prints (detect, the plan, the drift report,
/// verify). It is raised when a field changes meaning or goes away; new fields do not raise it.
pub const SCHEMA_VERSION: u32 = 1;

/// A JSON document: `schema_version` first, then the fields of `body` (an object) in order.
#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    schema_version: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// Prints `body`, an object, as a JSON document with the schema version.
pub fn json<T: Serialize>(body: &T) {
    let document = Document {
        schema_version: SCHEMA_VERSION,
        body,
    };
    let text = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    out(&format!("{text}\n"));
}

/// A document in a format of its own (SARIF): printed as it is, without dockgen's schema version.
pub fn raw_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    out(&format!("{text}\n"));
}

pub fn rendered(files: &[RenderedFile]) {
    let mut s = String::new();
    for f in files {
        s.push_str(&format!("==> {} <==\n{}\n", f.path, f.content));
    }
    out(&s);
}

/// The per-file summary and, when `with_diffs`, the diffs of files that are not identical.
pub fn report(changes: &[Change], format: ReportFormat, with_diffs: bool) {
    match format {
        ReportFormat::Text if style().quiet => {}
        ReportFormat::Text => out(&text_report(changes, with_diffs)),
        ReportFormat::Markdown => out(&markdown_report(changes)),
        ReportFormat::Json => {
            let drift = changes.iter().any(|c| c.status != Status::Identical);
            json(&serde_json::json!({
                "drift": drift,
                "files": changes,
            }));
        }
    }
}

/// `--diff`: in text, only the unified diffs (ready for `git apply`); other formats as `report`.
pub fn diff_only(changes: &[Change], format: ReportFormat) {
    match format {
        ReportFormat::Text => {
            let on = style().color_out;
            let diffs: String = changes
                .iter()
                .filter(|c| c.status != Status::Identical)
                .map(|c| paint_diff(&c.diff, on))
                .collect();
            out(&diffs);
        }
        _ => report(changes, format, true),
    }
}

fn text_report(changes: &[Change], with_diffs: bool) -> String {
    let on = style().color_out;
    let mut s = String::new();
    for c in changes {
        let word = format!("{:>9}", c.status.word());
        s.push_str(&format!(
            "{}  {}",
            paint(&word, status_colour(c.status), on),
            c.path
        ));
        if let Some(r) = &c.reason {
            s.push_str(&format!("  ({r})"));
        }
        s.push('\n');
    }
    if with_diffs {
        for c in changes.iter().filter(|c| c.status != Status::Identical) {
            s.push_str(&paint_diff(&c.diff, on));
        }
    }
    s
}

/// A pull-request comment: a summary table, then one section with a fenced diff per file.
fn markdown_report(changes: &[Change]) -> String {
    let changed: Vec<&Change> = changes
        .iter()
        .filter(|c| c.status != Status::Identical)
        .collect();
    let mut s = if changed.is_empty() {
        String::from("### dockgen: generated files are up to date\n\n")
    } else {
        format!("### dockgen: {} file(s) would change\n\n", changed.len())
    };
    s.push_str("| file | status | note |\n|---|---|---|\n");
    for c in changes {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.path,
            c.status.word(),
            c.reason.as_deref().unwrap_or("").replace('|', "\\|")
        ));
    }
    for c in changed {
        let fence = if c.diff.contains("```") {
            "~~~~"
        } else {
            "```"
        };
        s.push_str(&format!(
            "\n#### `{}` ({})\n\n{fence}diff\n{}{fence}\n",
            c.path,
            c.status.word(),
            c.diff
        ));
    }
    s
}

pub fn preset_list(presets: &[&Preset]) {
    let mut s = String::new();
    for p in presets {
        s.push_str(&format!(
            "{:<12} {}  [{}]\n",
            p.name, p.description, p.origin
        ));
    }
    out(&s);
}

pub fn preset_show(preset: &Preset) {
    let mut s = format!(
        "{}: {}\nlanguage: {}\ntemplates: {}\norigin: {}\nfiles:\n",
        preset.name, preset.description, preset.language, preset.templates, preset.origin
    );
    for f in &preset.files {
        let root = match &f.at_root_when {
            Some(key) => format!("; at the repository root when `{key}` is set"),
            None => String::new(),
        };
        s.push_str(&format!(
            "  {}  (from {}/{}{root})\n",
            f.path, preset.templates, f.template
        ));
    }
    s.push_str(&format!(
        "  {}  (from {}; one file for every service of the repository, or the compose file it already has)\n  {}  (the answers that differ from detection)\n",
        crate::plan::COMPOSE_FILE,
        crate::render::COMPOSE_TEMPLATE,
        crate::project_file::FILE_NAME
    ));
    s.push_str("answers:\n");
    for (key, spec) in &preset.answers {
        let kind = serde_json::to_value(spec.kind).unwrap_or_default();
        let default = spec
            .default
            .as_ref()
            .map(|d| format!(", default {d}"))
            .unwrap_or_default();
        let choices = if spec.choices.is_empty() {
            String::new()
        } else {
            format!(", one of {}", spec.choices.join("|"))
        };
        s.push_str(&format!(
            "  {key:<24} {}{default}{choices}: {}\n",
            kind.as_str().unwrap_or("?"),
            spec.help
        ));
    }
    out(&s);
}

pub fn warnings(warnings: &[crate::warning::Warning]) {
    if style().quiet {
        return;
    }
    let label = paint("warning:", "33", style().color_err);
    let mut s = String::new();
    for w in warnings {
        let shown = match &w.location {
            Some(location) => format!("{}: {}", from_cwd(location), w.message),
            None => w.message.clone(),
        };
        s.push_str(&format!("{label} {}\n", inert(&shown)));
    }
    err(&s);
}

/// A hint or notice on stderr; dropped under `--quiet`.
pub fn message(text: &str) {
    if !style().quiet {
        err(&format!("{text}\n"));
    }
}

/// A failure the user must act on: printed even under `--quiet`.
pub fn failure(text: &str) {
    err(&format!("{text}\n"));
}

/// Under `--verbose`: why each preset was chosen and where each answer came from.
pub fn explain(plan: &crate::plan::Plan) {
    if !style().verbose {
        return;
    }
    let mut s = String::new();
    for service in &plan.services {
        s.push_str(&format!(
            "{}: preset {} ({})\n",
            service.path, service.selection.preset, service.selection.reason
        ));
        for (key, answer) in &service.answers {
            let origin = serde_json::to_value(answer.origin).unwrap_or_default();
            let source = answer
                .source
                .as_deref()
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            s.push_str(&format!(
                "  {key} = {} [{}{source}]\n",
                answer.value,
                origin.as_str().unwrap_or("")
            ));
        }
    }
    err(&s);
}

/// Always printed, whatever `--quiet` says.
pub fn error(e: &Error) {
    let label = paint("error:", "1;31", style().color_err);
    let text = match e {
        Error::InvalidInput { location, message }
        | Error::InvalidSettings { location, message } => {
            format!("{}: {message}", from_cwd(&location.to_string()))
        }
        _ => e.to_string(),
    };
    err(&format!("{label} {}\n", inert(&text)));
}

/// Text produced for the user to save (completions, man page): printed as it is.
pub fn raw(text: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text);
    let _ = stdout.flush();
}

fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (e.g. `| head`) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_text_cannot_drive_the_terminal() {
        assert_eq!(inert("a\u{1b}[31mb\nc"), "a\\u{1b}[31mb\\nc");
        assert_eq!(inert("plain /health"), "plain /health");
    }
}

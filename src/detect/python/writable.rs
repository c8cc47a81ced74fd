//! Folders a Python application writes inside its own tree at run time: `os.mkdir('logs')`,
//! `os.makedirs("uploads", ...)`, `Path("data").mkdir()`, `RotatingFileHandler('logs/app.log')`.
//! The image's files are read-only to the app (and compose runs it with a read-only root
//! filesystem), so these folders get a writable mount owned by the app's user.

use crate::detect::source_scan::line_at;
use crate::facts::{Evidence, Fact};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static WRITES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:os\.(?:mkdir|makedirs)\(\s*|Path\(\s*)['"]([A-Za-z0-9_.\-]+)(?:/[^'"]*)?['"]\s*\)?(?:\.mkdir\()?|(?:Rotating|TimedRotating|Watched)?FileHandler\(\s*['"]([A-Za-z0-9_.\-]+)/[^'"]+['"]"#,
    )
    .expect("valid pattern")
});

/// The top-level folders `files` (path, text) create or write log files into.
pub fn detect(files: &[(String, String)]) -> Option<Fact<Vec<String>>> {
    let mut dirs = BTreeSet::new();
    let mut first = None;
    for (path, text) in files {
        for caps in WRITES.captures_iter(text) {
            let whole = caps.get(0).map_or("", |m| m.as_str());
            // `Path("x")` alone is not a write: it must be followed by `.mkdir(`.
            if whole.starts_with("Path(") && !whole.ends_with(".mkdir(") {
                continue;
            }
            let Some(dir) = caps.get(1).or(caps.get(2)).map(|m| m.as_str()) else {
                continue;
            };
            if dir.starts_with('.') || dir == "tmp" {
                continue;
            }
            if first.is_none() {
                let at = caps.get(0).map_or(0, |m| m.start());
                first = Some(Evidence::at(path.clone(), Some(line_at(text, at))));
            }
            dirs.insert(dir.to_string());
        }
    }
    let evidence = first?;
    let dirs: Vec<String> = dirs.into_iter().collect();
    let why = format!(
        "the app writes {} at run time: a writable mount owned by its user",
        dirs.join(", ")
    );
    Some(Fact::new(dirs, evidence.because(why)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_folders_and_log_folders_are_found() {
        // miguelgrinberg/microblog's create_app.
        let text = "if not os.path.exists('logs'):\n    os.mkdir('logs')\nfile_handler = RotatingFileHandler('logs/microblog.log', maxBytes=10240)\nPath(\"uploads\").mkdir(exist_ok=True)\np = Path('static')\nos.makedirs('/var/data')\n";
        let files = vec![("app/__init__.py".to_string(), text.to_string())];
        let fact = detect(&files).unwrap();
        assert_eq!(fact.value, ["logs", "uploads"]);
        assert_eq!(fact.evidence.source(), "app/__init__.py:2");
        assert!(detect(&[("a.py".to_string(), "print('hi')".to_string())]).is_none());
    }
}

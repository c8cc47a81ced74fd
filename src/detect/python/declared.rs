//! Start commands a Python project declares itself: a Procfile `web:` line or a PDM `start`
//! script. A line that chains commands starts only its last one (the server), and names the
//! steps before it; a line that needs a shell, or runs Django's development server, is refused
//! with a warning.

use super::manifests::TomlFile;
use crate::detect::shell_line::{self, NotSequence};
use crate::facts::Evidence;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

/// A declared command, with `$PORT` still in it.
pub struct Declared {
    pub words: Vec<String>,
    pub evidence: Evidence,
}

pub fn procfile(tree: &RepoTree, dir: &str, warnings: &mut Vec<Warning>) -> Option<Declared> {
    let path = join(dir, "Procfile");
    let text = tree.read_text(&path).ok()?;
    let (i, command) = text.lines().enumerate().find_map(|(i, l)| {
        l.trim()
            .strip_prefix("web:")
            .map(|c| (i + 1, c.trim().to_string()))
    })?;
    let evidence = Evidence::at(path.clone(), Some(i)).because("Procfile web process");
    declared(&command, evidence, warnings)
}

pub fn pdm_script(pyproject: Option<&TomlFile>, warnings: &mut Vec<Warning>) -> Option<Declared> {
    let py = pyproject?;
    let script = py.get(&["tool", "pdm", "scripts", "start"])?;
    let command = match script {
        toml::Value::String(s) => s.clone(),
        toml::Value::Table(t) => match t.get("cmd")? {
            toml::Value::String(s) => s.clone(),
            toml::Value::Array(a) => shell_words::join(a.iter().filter_map(|v| v.as_str())),
            _ => return None,
        },
        _ => return None,
    };
    let evidence = py
        .evidence("tool.pdm.scripts", "start")
        .because("PDM start script");
    declared(&command, evidence, warnings)
}

fn declared(command: &str, evidence: Evidence, warnings: &mut Vec<Warning>) -> Option<Declared> {
    let segments = match shell_line::split(command) {
        Ok(segments) => segments,
        Err(NotSequence::NeedsShell(what)) => {
            warnings.push(Warning::located("start-needs-shell", format!("{}: '{command}' needs a shell ({what}); the image runs one process without a shell, so it is not used as the start command", evidence.source())).about("start"));
            return None;
        }
        Err(NotSequence::Unparsable) => {
            warnings.push(
                Warning::located(
                    "start-not-split",
                    format!(
                        "{}: cannot split '{command}' into words; not used as the start command",
                        evidence.source()
                    ),
                )
                .about("start"),
            );
            return None;
        }
    };
    let (last, before) = segments.split_last()?;
    // A migration step runs as compose's one-shot migration service (see `state`).
    let before: Vec<_> = before
        .iter()
        .filter(|s| super::state::as_migration(&s.words, None).is_none())
        .collect();
    if !before.is_empty() {
        let steps: Vec<&str> = before.iter().map(|s| s.text.as_str()).collect();
        warnings.push(Warning::located("start-steps-skipped", format!(
            "{}: runs `{}` before the server; the image starts only `{}`: run those steps as a release or migration job",
            evidence.source(),
            steps.join("`, `"),
            last.text
        )).about("start"));
    }
    let words = last.words.clone();
    if words.iter().any(|w| w == "runserver") {
        warnings.push(
            Warning::located(
                "development-server",
                format!(
                    "{}: '{command}' runs Django's development server; not used in production",
                    evidence.source()
                ),
            )
            .about("start"),
        );
        return None;
    }
    let words = match words.first().map(String::as_str) {
        Some("pdm" | "poetry" | "pipenv" | "uv")
            if words.get(1).map(String::as_str) == Some("run") =>
        {
            words[2..].to_vec()
        }
        _ => words,
    };
    (!words.is_empty()).then_some(Declared { words, evidence })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procfile_lines_are_evidence_and_pipelines_are_refused() {
        let t = RepoTree::from_files([(
            "Procfile",
            b"release: x\nweb: gunicorn app:app --bind 0.0.0.0:$PORT\n".to_vec(),
        )]);
        let mut w = Vec::new();
        let d = procfile(&t, ".", &mut w).unwrap();
        assert_eq!(d.evidence.source(), "Procfile:2");
        let d = declared(
            "python manage.py migrate && gunicorn x",
            Evidence::file("P"),
            &mut w,
        )
        .unwrap();
        assert_eq!(d.words, ["gunicorn", "x"]);
        // The migration is the migration service's, not a step left out.
        assert!(w.is_empty(), "{w:?}");
        declared(
            "python manage.py collectstatic && gunicorn x",
            Evidence::file("P"),
            &mut w,
        );
        assert!(w[0].contains("`python manage.py collectstatic`"), "{w:?}");
        // `;` glued to a word is still a separator (a Procfile of the Flask mega-tutorial).
        let d = declared(
            "flask db upgrade; flask translate compile; gunicorn microblog:app",
            Evidence::file("P"),
            &mut w,
        )
        .unwrap();
        assert_eq!(d.words, ["gunicorn", "microblog:app"]);
        assert!(declared("gunicorn x | tee log", Evidence::file("P"), &mut w).is_none());
        assert!(w.last().unwrap().contains("needs a shell (a pipe"), "{w:?}");
    }
}

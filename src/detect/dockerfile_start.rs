//! The command a repository's own Dockerfile runs, as evidence of how its authors start the
//! service: ENTRYPOINT then CMD of the last stage, in words relative to the service folder.

use super::dockerfile_evidence::{logical_lines, own_dockerfile};
use crate::facts::{Evidence, Fact};
use crate::repo::{join, RepoTree};

/// The command the Dockerfile's last stage runs (ENTRYPOINT then CMD, exec form or a shell
/// form with no shell syntax), its paths made relative to the service folder: `WORKDIR /app` +
/// `CMD ["/app/.venv/bin/python", "/app/run.py"]` is `python run.py`. A shell line that runs
/// one command with variables is kept whole in `sh -c 'exec …'`; one that chains commands
/// (`&&`, `;`, pipes) is None, not split into words.
pub fn stated_start(tree: &RepoTree, dir: &str) -> Option<Fact<Vec<String>>> {
    let (path, text) = own_dockerfile(tree, dir)?;
    let mut workdir = String::from("/");
    let mut entrypoint: Option<(usize, Vec<String>)> = None;
    let mut cmd: Option<(usize, Vec<String>)> = None;
    let mut shell_entrypoint = false;
    for (line, instruction) in logical_lines(&text) {
        let (word, rest) = instruction
            .split_once(char::is_whitespace)
            .unwrap_or((&instruction, ""));
        let rest = rest.trim();
        match word.to_ascii_uppercase().as_str() {
            "FROM" => {
                workdir = "/".into();
                entrypoint = None;
                cmd = None;
                shell_entrypoint = false;
            }
            "WORKDIR" if rest.starts_with('/') => workdir = rest.trim_end_matches('/').to_string(),
            "ENTRYPOINT" => {
                entrypoint = Some((line, command_words(rest)?));
                // A shell-form ENTRYPOINT ignores CMD.
                shell_entrypoint = !rest.starts_with('[');
            }
            "CMD" => cmd = Some((line, command_words(rest)?)),
            _ => {}
        }
    }
    let line = entrypoint.as_ref().or(cmd.as_ref()).map(|(l, _)| *l)?;
    let words: Vec<String> = entrypoint
        .map(|(_, w)| w)
        .into_iter()
        .chain(cmd.filter(|_| !shell_entrypoint).map(|(_, w)| w))
        .flatten()
        .map(|w| local_word(tree, dir, &workdir, &w))
        .collect();
    (!words.is_empty()).then(|| {
        Fact::new(
            words,
            Evidence::at(&path, Some(line)).because("the command the repository's Dockerfile runs"),
        )
    })
}

/// Whether a start command is a shell line kept whole (`sh -c 'exec …'`), which needs a runtime
/// with a shell.
pub fn is_shell_line(start: &[String]) -> bool {
    matches!(start, [sh, c, _] if sh == "sh" && c == "-c")
}

/// The words a start command runs: a shell line kept whole read as its own words, without the
/// `exec` that hands it PID 1.
pub fn run_words(start: &[String]) -> Vec<String> {
    let words = match start {
        [_, _, line] if is_shell_line(start) => shell_words::split(line).unwrap_or_default(),
        _ => start.to_vec(),
    };
    match words.split_first() {
        Some((exec, rest)) if exec == "exec" => rest.to_vec(),
        _ => words,
    }
}

/// A JSON array; shell words when the line has no shell syntax; `sh -c 'exec LINE'` when its
/// only shell syntax is what one command needs (variables expanded, its output redirected): the
/// shell expands them and hands PID 1 to the command. None for a line that chains commands,
/// pipes or substitutes, which is not one process.
fn command_words(rest: &str) -> Option<Vec<String>> {
    if rest.starts_with('[') {
        return serde_json::from_str(rest).ok();
    }
    if rest.contains(['&', '|', ';', '`', '(', '*']) && !one_redirected_command(rest) {
        return None;
    }
    if rest.contains(['$', '>', '<']) {
        let line = rest.strip_prefix("exec ").unwrap_or(rest);
        return Some(vec!["sh".into(), "-c".into(), format!("exec {line}")]);
    }
    shell_words::split(rest).ok()
}

/// Whether the only `&`, `|`, `(` or `;` of the line is in a trailing `2>&1`.
fn one_redirected_command(rest: &str) -> bool {
    let body = rest.trim_end().strip_suffix("2>&1").unwrap_or(rest);
    body != rest && !body.contains(['&', '|', ';', '`', '(', '*'])
}

/// One word of the command as the service folder sees it: an interpreter in a virtualenv or
/// under /usr/local is its name, a path under WORKDIR is relative to the folder.
fn local_word(tree: &RepoTree, dir: &str, workdir: &str, word: &str) -> String {
    let name = word.rsplit('/').next().unwrap_or(word);
    if word.starts_with('/') && (word.contains("/bin/python") || word.contains("/.venv/bin/")) {
        return if name.starts_with("python") {
            "python".into()
        } else {
            name.to_string()
        };
    }
    let Some(under) = word
        .strip_prefix(workdir)
        .and_then(|r| r.strip_prefix('/'))
        .filter(|_| workdir != "/")
    else {
        return word.to_string();
    };
    if tree.exists(&join(dir, under)) {
        return under.to_string();
    }
    // Built from the repository root: the path names the service folder first.
    match under.strip_prefix(&format!("{dir}/")) {
        Some(inside) if tree.exists(under) => inside.to_string(),
        _ => under.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_stage_states_the_start() {
        let tree = RepoTree::from_files([
            (
                "apps/server/Dockerfile",
                "FROM python:3.13-slim\nWORKDIR /workspace\nCOPY . /workspace\nCMD [\"/workspace/.venv/bin/python\", \"/workspace/apps/server/pkg/run.py\"]\n",
            ),
            ("apps/server/pkg/run.py", ""),
            ("Dockerfile", "FROM node:22\nWORKDIR /app\nENTRYPOINT node server.js --port 80\n"),
            ("shell/Dockerfile", "FROM x\nENTRYPOINT locust --host=\"http://${HOST}\" 2>&1\n"),
        ]);
        let s = stated_start(&tree, "apps/server").unwrap();
        assert_eq!(
            (s.value, s.evidence.source()),
            (
                vec!["python".to_string(), "pkg/run.py".into()],
                "apps/server/Dockerfile:4".into()
            )
        );
        assert_eq!(
            stated_start(&tree, ".").unwrap().value,
            ["node", "server.js", "--port", "80"]
        );
        assert_eq!(
            stated_start(&tree, "shell").unwrap().value,
            ["sh", "-c", "exec locust --host=\"http://${HOST}\" 2>&1"]
        );
    }

    #[test]
    fn a_command_continued_over_lines_is_one_command() {
        let tree = RepoTree::from_files([(
            "Dockerfile",
            "FROM python:3.13-slim\nCMD [\"gunicorn\", \\\n     \"app:app\"]\n",
        )]);
        let s = stated_start(&tree, ".").unwrap();
        assert_eq!(
            (s.value, s.evidence.source()),
            (
                vec!["gunicorn".to_string(), "app:app".into()],
                "Dockerfile:2".into()
            )
        );
    }
}

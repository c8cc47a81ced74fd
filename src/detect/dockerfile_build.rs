//! The build steps a repository's own Dockerfile runs in its last stage: the `RUN` commands that
//! are neither installs nor housekeeping (`flask translate compile`, `python make-data.py`). A
//! detector takes them as the build when the project's manifests state none, so the image
//! dockgen writes does what the project's own image did to its sources.

use super::dockerfile_evidence::{logical_lines, own_dockerfile};
use super::shell_line;
use crate::facts::{Evidence, Fact};
use crate::repo::RepoTree;

/// Commands that install, configure or tidy, not build: package managers, file housekeeping,
/// users. A build step is anything else.
const HOUSEKEEPING: &[&str] = &[
    "apt-get",
    "apt",
    "apk",
    "yum",
    "dnf",
    "microdnf",
    "pip",
    "pip3",
    "pipx",
    "poetry",
    "uv",
    "pipenv",
    "pdm",
    "npm",
    "yarn",
    "pnpm",
    "bun",
    "chmod",
    "chown",
    "chgrp",
    "mkdir",
    "useradd",
    "adduser",
    "groupadd",
    "addgroup",
    "usermod",
    "rm",
    "ln",
    "cp",
    "mv",
    "touch",
    "echo",
    "printf",
    "curl",
    "wget",
    "tar",
    "unzip",
    "git",
    "sed",
    "set",
    "export",
    "cd",
    "true",
    "ls",
    "update-ca-certificates",
    "ldconfig",
    "locale-gen",
    "virtualenv",
    "dos2unix",
    "install",
];

/// Checks that prove the source, not build it: a failing lint fails the build, its output is
/// nothing the image runs.
const CHECKS: &[&str] = &[
    "flake8", "black", "isort", "mypy", "ruff", "pylint", "pytest", "tox", "bandit", "pyright",
];

/// Build tools of other stacks, whose output is not this service's.
const OTHER_STACKS: &[&str] = &["gradle", "gradlew", "mvn", "mvnw"];

/// The build commands of `dir/Dockerfile`'s last stage, in order: one command as its words,
/// several as one `sh -c 'a && b'`. None when there are none.
pub fn stated_build(tree: &RepoTree, dir: &str) -> Option<Fact<Vec<String>>> {
    let (path, text) = own_dockerfile(tree, dir)?;
    let mut steps: Vec<(usize, String)> = Vec::new();
    for (line, instruction) in logical_lines(&text) {
        let (word, rest) = instruction
            .split_once(char::is_whitespace)
            .unwrap_or((&instruction, ""));
        match word.to_ascii_uppercase().as_str() {
            "FROM" => steps.clear(),
            "RUN" => {
                let command = without_flags(rest.trim());
                let Ok(segments) = shell_line::split(command) else {
                    continue;
                };
                for segment in segments {
                    let (words, _) = shell_line::without_assignments(&segment.words);
                    if is_build(words) {
                        steps.push((line, segment.text.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    let (line, _) = steps.first()?.clone();
    let words = match steps.as_slice() {
        [(_, one)] => shell_words::split(one).ok()?,
        many => vec![
            "sh".into(),
            "-c".into(),
            many.iter()
                .map(|(_, s)| s.as_str())
                .collect::<Vec<_>>()
                .join(" && "),
        ],
    };
    Some(Fact::new(
        words,
        Evidence::at(&path, Some(line)).because("a build step of the repository's Dockerfile"),
    ))
}

/// Whether a command builds something: not housekeeping, not a check, not a migration (which
/// needs the database, not the image) and not Django's collectstatic (detected on its own).
fn is_build(words: &[String]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    let program = first.rsplit('/').next().unwrap_or(first);
    if HOUSEKEEPING.contains(&program) || CHECKS.contains(&program) {
        return false;
    }
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let python = program.starts_with("python");
    match args.as_slice() {
        ["-m", "pip" | "venv" | "compileall" | "ensurepip", ..] if python => false,
        [script, "migrate" | "collectstatic" | "makemigrations", ..]
            if script.ends_with("manage.py") =>
        {
            false
        }
        ["db", "upgrade", ..] if program == "flask" => false,
        ["upgrade", ..] if program == "alembic" => false,
        _ => !OTHER_STACKS.contains(&program),
    }
}

/// A `RUN` command without its leading `--mount=…`, `--network=…` and `--security=…` flags.
fn without_flags(mut command: &str) -> &str {
    while let Some(rest) = command.strip_prefix("--") {
        command = rest
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r)
            .trim_start();
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(dockerfile: &str) -> Option<(Vec<String>, String)> {
        let tree = RepoTree::from_files([("Dockerfile", dockerfile)]);
        stated_build(&tree, ".").map(|f| (f.value, f.evidence.source()))
    }

    #[test]
    fn the_build_steps_of_the_last_stage() {
        let microblog = "FROM python:slim\nCOPY requirements.txt requirements.txt\nRUN pip install -r requirements.txt\nCOPY app app\nRUN chmod a+x boot.sh\nENV FLASK_APP microblog.py\nRUN flask translate compile\nENTRYPOINT [\"./boot.sh\"]\n";
        assert_eq!(
            build(microblog),
            Some((
                vec!["flask".into(), "translate".into(), "compile".into()],
                "Dockerfile:7".into()
            ))
        );
        let two = "FROM node:22 AS web\nRUN npm run build\nFROM python:3.13\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt \\\n    && python make-data.py\nRUN python manage.py migrate && python -m compileall . && ./build-docs.sh\n";
        assert_eq!(
            build(two),
            Some((
                vec![
                    "sh".into(),
                    "-c".into(),
                    "python make-data.py && ./build-docs.sh".into()
                ],
                "Dockerfile:4".into()
            ))
        );
    }

    #[test]
    fn installs_checks_and_migrations_are_not_builds() {
        let lint = "FROM python:3.13\nRUN pip install -r requirements.txt\nRUN flake8 .\nRUN black --check .\nRUN python -m pip install --upgrade pip\nRUN alembic upgrade head\nRUN apt-get update | tee log\n";
        assert_eq!(build(lint), None);
    }
}

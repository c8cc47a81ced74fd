//! Shell-script services: a folder with no manifest of another stack whose own Dockerfile runs
//! a script of the folder on a plain OS image (`FROM alpine` + `CMD /home/app/process.sh`).
//! The script is the program; the packages the Dockerfile installs are what it runs. A script
//! run on an application's image (nginx, postgres) wraps that image's program instead, so it is
//! not a shell service: dockgen has nothing better to build for it.

use super::dockerfile_evidence::{base_images, copies, logical_lines, own_dockerfile, stated_port};
use super::dockerfile_start::{run_words, stated_start};
use crate::error::Result;
use crate::facts::{Evidence, Fact, Language, ServiceFacts};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

/// Images that are an operating system and nothing else: a script on one of them is the app.
const OS_IMAGES: &[&str] = &[
    "alpine",
    "busybox",
    "debian",
    "ubuntu",
    "bash",
    "fedora",
    "centos",
    "rockylinux",
    "almalinux",
    "amazonlinux",
];

/// Shells the runtime image has; a script written for another one runs with sh.
const SHELLS: &[&str] = &["sh", "bash"];

pub fn detect(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    let Some((dockerfile, text)) = own_dockerfile(tree, dir) else {
        return Ok(None);
    };
    let Some(base) = base_images(tree, dir).pop() else {
        return Ok(None);
    };
    let family = base.name.rsplit('/').next().unwrap_or(&base.name);
    if !OS_IMAGES.contains(&family) {
        return Ok(None);
    }
    let Some(stated) = stated_start(tree, dir) else {
        return Ok(None);
    };
    let words = run_words(&stated.value);
    let copies = copied_files(&text);
    // `sh script.sh` names the script second; a script run directly names it first.
    let (script_at, named_shell) = match words.first().map(|w| w.rsplit('/').next().unwrap_or(w)) {
        Some(shell) if SHELLS.contains(&shell) && words.len() > 1 => (1, Some(shell.to_string())),
        _ => (0, None),
    };
    let Some(script) = words
        .get(script_at)
        .and_then(|w| script_file(tree, dir, &copies, w))
    else {
        return Ok(None);
    };
    let source = tree.read_text(&join(dir, &script)).unwrap_or_default();
    let mut facts = ServiceFacts::new(dir, Language::Shell);
    let shell = named_shell.or_else(|| shebang_shell(&source));
    let mut start = vec![format!("./{script}")];
    start.extend(words[script_at + 1..].iter().cloned());
    facts.start = Some(Fact::new(start, stated.evidence.clone()));
    facts.detail(
        "script",
        script.clone(),
        stated
            .evidence
            .clone()
            .because(format!("the script the Dockerfile runs on {}", base.name)),
    );
    facts.detail(
        "interpreter",
        shell.clone().unwrap_or_else(|| "sh".into()),
        Evidence::at(join(dir, &script), Some(1)).because(match shell {
            Some(_) => "the shell the script names",
            None => "no shell named: a POSIX sh script",
        }),
    );
    let (packages, installer) = installed_packages(&text);
    if let Some((line, installer)) = installer {
        facts.detail(
            "packages",
            packages.clone(),
            Evidence::at(&dockerfile, Some(line)).because(format!(
                "the packages the Dockerfile installs with {installer}"
            )),
        );
        if installer == "apk" {
            facts.warnings.push(Warning::located("alpine-packages", format!(
                "{dockerfile}:{line}: packages installed with apk on Alpine ({}) are installed with apt-get on Debian under the same names; set packages=... where a Debian name differs",
                packages.join(", ")
            )).about("packages"));
        }
    }
    let handles = handles_sigterm(&source);
    facts.detail(
        "init",
        !handles,
        Evidence::file(join(dir, &script)).because(if handles {
            "the script traps SIGTERM or execs its program: it stops on SIGTERM as PID 1"
        } else {
            "the script traps no SIGTERM and execs no program, and a shell as PID 1 ignores it: tini runs it"
        }),
    );
    facts.port = stated_port(tree, dir, &["PORT"]);
    let probe = if facts.port.is_some() { "tcp" } else { "none" };
    facts.detail(
        "probe",
        probe,
        match &facts.port {
            Some(p) => p
                .evidence
                .clone()
                .because("a script states no HTTP route: the health check connects to its port"),
            None => Evidence::file(&dockerfile)
                .because("a script that listens on no port: a background worker, with no health check to run"),
        },
    );
    Ok(Some(facts))
}

/// `COPY`/`ADD` destinations and the source each names, for a single source.
fn copied_files(text: &str) -> Vec<(String, String)> {
    copies(text)
        .into_iter()
        .filter_map(|c| match c.sources.as_slice() {
            [src] => Some((c.dest, src.trim_start_matches("./").to_string())),
            _ => None,
        })
        .collect()
}

/// The folder's file a word of the command names: a `COPY` destination's source, a path
/// relative to the folder, or a file of the folder with the same name.
fn script_file(
    tree: &RepoTree,
    dir: &str,
    copies: &[(String, String)],
    word: &str,
) -> Option<String> {
    let name = word.rsplit('/').next().unwrap_or(word);
    let mut candidates: Vec<String> = Vec::new();
    for (dest, src) in copies {
        if dest == word {
            candidates.push(src.clone());
        } else if dest.ends_with('/') && format!("{dest}{name}") == word {
            candidates.push(
                format!("{}/{name}", src.trim_end_matches(['.', '/']))
                    .trim_start_matches('/')
                    .to_string(),
            );
        }
    }
    candidates.push(word.trim_start_matches("./").to_string());
    candidates.push(name.to_string());
    candidates
        .into_iter()
        .filter(|c| !c.is_empty() && !c.starts_with('/'))
        .find(|c| tree.exists(&join(dir, c)) && is_script(tree, &join(dir, c)))
}

fn is_script(tree: &RepoTree, path: &str) -> bool {
    path.ends_with(".sh")
        || tree
            .read_text(path)
            .is_ok_and(|t| t.starts_with("#!") && shebang_shell(&t).is_some())
}

/// The shell of a `#!` line: `#!/bin/sh`, `#!/bin/bash`, `#!/usr/bin/env bash`; ash and dash
/// scripts are POSIX sh.
fn shebang_shell(source: &str) -> Option<String> {
    let line = source.lines().next()?.strip_prefix("#!")?;
    let mut words = line.split_whitespace();
    let mut program = words.next()?.rsplit('/').next()?;
    if program == "env" {
        program = words.find(|w| !w.starts_with('-'))?;
    }
    match program {
        "bash" => Some("bash".into()),
        "sh" | "ash" | "dash" => Some("sh".into()),
        _ => None,
    }
}

/// The packages the Dockerfile's `apk add` and `apt-get install` lines install, and the line
/// and tool of the first.
fn installed_packages(text: &str) -> (Vec<String>, Option<(usize, &'static str)>) {
    let mut packages: Vec<String> = Vec::new();
    let mut first = None;
    for (line, instruction) in logical_lines(text) {
        let Some(run) = instruction
            .split_once(char::is_whitespace)
            .filter(|(w, _)| w.eq_ignore_ascii_case("RUN"))
            .map(|(_, r)| r)
        else {
            continue;
        };
        for command in run.split(['&', ';', '|']) {
            let words: Vec<&str> = command.split_whitespace().collect();
            let (installer, rest) = match words.as_slice() {
                ["apk", "add", rest @ ..] => ("apk", rest),
                ["apt-get" | "apt", "install", rest @ ..] => ("apt-get", rest),
                _ => continue,
            };
            first.get_or_insert((line, installer));
            for word in rest.iter().filter(|w| !w.starts_with('-')) {
                let name = word.split(['=', '>', '<']).next().unwrap_or(word);
                if !name.is_empty() && !packages.iter().any(|p| p == name) {
                    packages.push(name.to_string());
                }
            }
        }
    }
    (packages, first)
}

/// Whether the script stops on SIGTERM as PID 1: it traps the signal, or hands PID 1 to a
/// program with `exec`.
fn handles_sigterm(source: &str) -> bool {
    source.lines().map(str::trim).any(|l| {
        (l.starts_with("trap ") && (l.contains("TERM") || l.contains(" 15")))
            || l.starts_with("exec ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dockerfile: &str, script: &str) -> RepoTree {
        RepoTree::from_files([
            ("worker/Dockerfile", dockerfile),
            ("worker/process.sh", script),
        ])
    }

    #[test]
    fn a_script_copied_into_a_plain_os_image_is_the_service() {
        let t = tree(
            "from alpine\nRUN apk add --no-cache curl jq\nCOPY process.sh /home/app/process.sh\nCMD /home/app/process.sh\n",
            "#!/bin/sh\nwhile true; do sleep 5; done\n",
        );
        let f = detect(&t, "worker").unwrap().unwrap();
        assert_eq!(f.language, Language::Shell);
        assert_eq!(f.start.unwrap().value, ["./process.sh"]);
        assert_eq!(
            f.details["packages"].value,
            serde_json::json!(["curl", "jq"])
        );
        assert_eq!(f.details["init"].value, serde_json::json!(true));
        assert_eq!(f.details["probe"].value, serde_json::json!("none"));
        assert!(f.warnings[0].contains("apk"), "{:?}", f.warnings);
    }

    #[test]
    fn a_script_that_execs_its_server_listens_on_the_exposed_port() {
        let t = tree(
            "FROM debian:bookworm-slim\nWORKDIR /srv\nCOPY . .\nEXPOSE 8080\nCMD [\"bash\", \"process.sh\", \"--fast\"]\n",
            "#!/usr/bin/env bash\nexec socat TCP-LISTEN:8080,fork SYSTEM:./respond.sh\n",
        );
        let f = detect(&t, "worker").unwrap().unwrap();
        assert_eq!(f.start.unwrap().value, ["./process.sh", "--fast"]);
        assert_eq!(f.details["interpreter"].value, serde_json::json!("bash"));
        assert_eq!(f.details["init"].value, serde_json::json!(false));
        assert_eq!(f.port.unwrap().value, 8080);
        assert_eq!(f.details["probe"].value, serde_json::json!("tcp"));
    }

    #[test]
    fn a_script_on_an_application_image_is_not_a_shell_service() {
        let t = tree(
            "FROM nginx:1.27\nCOPY process.sh /process.sh\nCMD [\"/process.sh\"]\n",
            "#!/bin/sh\nexec nginx -g 'daemon off;'\n",
        );
        assert!(detect(&t, "worker").unwrap().is_none());
        let no_script = tree("FROM alpine\nCMD [\"sleep\", \"infinity\"]\n", "");
        assert!(detect(&no_script, "worker").unwrap().is_none());
    }
}

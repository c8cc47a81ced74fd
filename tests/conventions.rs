//! CLI conventions: completions, the man page, --quiet and --verbose, colour only on a
//! terminal, and the README kept true about every preset answer.

mod support;

use std::path::Path;
use std::process::Command;
use support::{dockgen_in as dockgen, fixture_copy, text};

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = dockgen(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(
            script.contains("generate") && script.contains("check"),
            "{shell}: {script}"
        );
        // Where the shell itself is installed, it must accept the script's syntax.
        let checker = match shell {
            "bash" => Some(("bash", vec!["-n"])),
            "zsh" => Some(("zsh", vec!["-n"])),
            "fish" => Some(("fish", vec!["--no-execute"])),
            _ => None,
        };
        if let Some((program, args)) = checker {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("completion");
            std::fs::write(&file, &script).unwrap();
            match Command::new(program).args(&args).arg(&file).output() {
                Ok(check) => assert!(check.status.success(), "{shell}: {}", text(&check.stderr)),
                Err(_) => {
                    eprintln!("{program} is not installed: {shell} completion syntax not checked")
                }
            }
        }
    }
}

#[test]
fn man_page_is_valid_roff() {
    let out = dockgen(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.contains(".TH dockgen 1") && page.contains("generate") && page.contains("init"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dockgen.1");
    std::fs::write(&file, &page).unwrap();
    match Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
    {
        Ok(check) => {
            assert!(check.status.success(), "{}", text(&check.stderr));
            assert!(
                check.stderr.is_empty(),
                "groff warnings: {}",
                text(&check.stderr)
            );
        }
        Err(_) => eprintln!("groff is not installed: man page only checked for its sections"),
    }
}

/// The page lists every exit status the README's table lists, and names no other page: there
/// is one page for the whole tool.
#[test]
fn man_page_has_exit_status_and_every_command_on_one_page() {
    let page = text(&dockgen(&["man"]).stdout);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = page
        .split(".SH \"EXIT STATUS\"")
        .nth(1)
        .expect("an EXIT STATUS section");
    for status in dockgen::exit_status::ExitStatus::ALL {
        let code = status.code();
        assert!(
            section.contains(&format!("\\fB{code}\\fR")),
            "exit {code} missing"
        );
        assert!(
            readme.contains(&format!("| {code} | {} |", status.meaning())),
            "README's exit-code table disagrees with the code about {code}"
        );
    }
    assert_eq!(
        page.matches("(1)").count(),
        0,
        "a reference to another page: {page}"
    );
    assert!(
        !page.contains("dockgen\\-detect(1)"),
        "a page that does not exist: {page}"
    );
    for command in ["detect", "init", "generate", "resolve", "verify", "presets"] {
        assert!(
            page.contains(&format!(".SS \"dockgen {command}\"")),
            "{command}"
        );
    }
    assert!(
        page.contains("\\-\\-check"),
        "generate's options are on the page"
    );
}

#[test]
fn bash_completion_offers_preset_names() {
    let script = text(&dockgen(&["completions", "bash"]).stdout);
    let generate = script
        .split("dockgen__subcmd__generate)")
        .nth(1)
        .expect("generate's completion");
    let preset = generate
        .split("--preset)")
        .nth(1)
        .and_then(|s| s.split(";;").next())
        .expect("--preset's completion");
    for name in ["node", "python", "go", "java", "rust"] {
        assert!(preset.contains(name), "{name} not offered: {preset}");
    }
}

#[test]
fn color_always_and_never_override_the_terminal() {
    let always = dockgen(&[
        "--color=always",
        "generate",
        "--check",
        "tests/fixtures/node-express-npm",
    ]);
    assert!(
        text(&always.stdout).contains("\x1b[32m"),
        "--color=always in a pipe"
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockgen"));
    cmd.args([
        "generate",
        "--color",
        "never",
        "--check",
        "tests/fixtures/node-express-npm",
    ])
    .env_remove("NO_COLOR");
    let mut s = rexpect::session::spawn_command(cmd, Some(10_000)).unwrap();
    assert!(
        !s.exp_eof().unwrap().contains('\x1b'),
        "--color=never on a terminal"
    );
}

/// `--verbose` is offered where it explains something, and nowhere else.
#[test]
fn verbose_adds_to_every_command_that_offers_it() {
    let plain = dockgen(&["detect", "tests/fixtures/node-express-npm"]);
    let verbose = dockgen(&["detect", "--verbose", "tests/fixtures/node-express-npm"]);
    assert!(
        text(&verbose.stdout).contains("node  (the node preset serves detected language node)")
            && !text(&plain.stdout).contains("serves detected"),
        "{}",
        text(&verbose.stdout)
    );
    for args in [
        &["verify", "--verbose", "."][..],
        &["presets", "list", "--verbose"],
        &["resolve", "--verbose", "Dockerfile"],
    ] {
        let out = dockgen(args);
        assert_eq!(out.status.code(), Some(2), "{args:?} takes no --verbose");
    }
}

#[test]
fn quiet_prints_nothing_but_keeps_the_exit_code() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let out = dockgen(&["--quiet", "generate", repo.to_str().unwrap(), "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn verbose_explains_where_answers_came_from() {
    let out = dockgen(&[
        "generate",
        "--verbose",
        "tests/fixtures/node-express-npm",
        "--stdout",
    ]);
    let err = text(&out.stderr);
    assert!(
        err.contains("preset node (the node preset serves detected language node)"),
        "{err}"
    );
    assert!(err.contains("port = 3000 [detected server.js:4]"), "{err}");
    // Node.js 20 has no distroless image: the slim runtime follows from the version found.
    assert!(
        err.contains("runtime = \"slim\" [detected .nvmrc:1]"),
        "{err}"
    );
}

#[test]
fn colour_only_on_a_terminal_and_never_under_no_color() {
    let out = Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["generate", "--check", "tests/fixtures/node-express-npm"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!text(&out.stdout).contains('\x1b'), "colour in a pipe");
    let pty = |no_color: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockgen"));
        cmd.args(["generate", "--check", "tests/fixtures/node-express-npm"]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let mut s = rexpect::session::spawn_command(cmd, Some(10_000)).unwrap();
        s.exp_eof().unwrap()
    };
    assert!(
        pty(false).contains("\x1b[32m   create"),
        "no colour on a terminal"
    );
    assert!(!pty(true).contains('\x1b'), "colour under NO_COLOR");
}

/// The README's dockgen.toml section documents every answer of every embedded preset.
#[test]
fn readme_documents_every_preset_answer() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("\n## dockgen.toml")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README has a dockgen.toml section");
    let presets = dockgen::preset::Presets::load(None).unwrap();
    for preset in presets.all.values() {
        assert!(
            section.contains(&format!("`{}`", preset.name)),
            "preset {} undocumented",
            preset.name
        );
        for key in preset.answers.keys() {
            let row = format!("| `{key}` |");
            assert!(
                section
                    .lines()
                    .any(|l| l.starts_with(&row) && l.contains(&format!("`{}`", preset.name))),
                "answer {key} of preset {} is not in README's dockgen.toml table",
                preset.name
            );
        }
    }
}

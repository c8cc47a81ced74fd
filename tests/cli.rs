//! The command line as users run it: exit codes, what is written, `--check` drift detection,
//! hand edits protected from overwrites, answers recorded in dockgen.toml.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{fixture_copy, text};

fn dockgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("dockgen runs")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn detect_json_follows_the_contract() {
    let out = dockgen(&[
        "detect",
        "tests/fixtures/node-express-npm",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let service = &json["services"][0];
    for key in [
        "path",
        "language",
        "version",
        "package_manager",
        "framework",
        "build",
        "start",
        "port",
        "health",
        "preset",
        "warnings",
    ] {
        assert!(service.get(key).is_some(), "missing {key} in {service}");
    }
    assert_eq!(service["path"], ".");
    assert_eq!(service["language"], "node");
    assert_eq!(service["version"]["value"], "20");
    assert_eq!(service["version"]["source"], ".nvmrc:1");
    assert_eq!(service["port"]["value"], 3000);
    assert_eq!(
        service["start"]["value"],
        serde_json::json!(["node", "server.js"])
    );
    assert_eq!(service["build"], serde_json::Value::Null);
    assert_eq!(service["preset"], "node");
}

#[test]
fn nothing_recognisable_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "hello").unwrap();
    let out = dockgen(&["detect", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("looked for package.json"), "{err}");
}

#[test]
fn invalid_package_json_names_file_line_and_column() {
    let out = dockgen(&["detect", "tests/fixtures/node-invalid-json"]);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(err.contains("package.json:10:3: invalid JSON"), "{err}");
}

#[test]
fn generate_then_check_is_clean_and_hand_edits_are_kept() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    let first = dockgen(&["generate", path]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    for file in [
        "Dockerfile",
        ".dockerignore",
        "compose.yaml",
        "dockgen.toml",
    ] {
        assert!(repo.join(file).is_file(), "{file} not written");
    }
    assert!(text(&first.stdout).contains("create  Dockerfile"));

    let second = dockgen(&["generate", path, "--check"]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stdout));
    assert!(text(&second.stdout)
        .lines()
        .all(|l| l.trim_start().starts_with("identical")));

    // A hand edit dockgen has not seen yet is drift: --check fails and shows it.
    let dockerfile = repo.join("Dockerfile");
    let edited = read(&dockerfile).replace("EXPOSE 3000", "EXPOSE 3000\nLABEL team=web");
    std::fs::write(&dockerfile, &edited).unwrap();
    let check = dockgen(&["generate", path, "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let shown = text(&check.stdout);
    assert!(
        shown.contains("update  Dockerfile") && shown.contains("+LABEL team=web"),
        "{shown}"
    );

    // generate never drops it: the edit is kept and recorded, and --check is clean again.
    let plain = dockgen(&["generate", path]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stdout));
    assert_eq!(read(&dockerfile), edited, "a hand edit was lost");
    let again = dockgen(&["generate", path, "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));

    let forced = dockgen(&["generate", path, "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
    assert_eq!(
        read(&dockerfile),
        edited,
        "--force only overwrites conflicts"
    );
}

#[test]
fn hand_edits_and_a_new_answer_merge() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    assert_eq!(dockgen(&["generate", path]).status.code(), Some(0));
    let dockerfile = repo.join("Dockerfile");
    let edited = read(&dockerfile)
        .replace(
            "WORKDIR /app\nENV NODE_ENV=production",
            "WORKDIR /app\nENV NODE_ENV=staging",
        )
        .replace(
            "# Files stay owned",
            "RUN [\"/nodejs/bin/node\", \"-e\", \"1\"]\n# Files stay owned",
        );
    assert_ne!(
        edited,
        read(&dockerfile),
        "the edit applies to the rendered file"
    );
    std::fs::write(&dockerfile, &edited).unwrap();
    let settings = read(&repo.join("dockgen.toml"))
        .replace("preset = \"node\"", "preset = \"node\"\nport = 8080");
    std::fs::write(repo.join("dockgen.toml"), settings).unwrap();

    let out = dockgen(&["generate", path]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("merged with your edits"));
    let merged = read(&dockerfile);
    assert!(
        merged.contains("NODE_ENV=staging") && merged.contains("RUN [\"/nodejs/bin/node\""),
        "{merged}"
    );
    assert!(
        merged.contains("EXPOSE 8080") && !merged.contains("EXPOSE 3000"),
        "{merged}"
    );
    assert_eq!(
        dockgen(&["generate", path, "--check"]).status.code(),
        Some(0)
    );
}

#[test]
fn overlapping_edits_conflict_then_force_or_markers() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    assert_eq!(dockgen(&["generate", path]).status.code(), Some(0));
    let dockerfile = repo.join("Dockerfile");
    let edited = read(&dockerfile).replace("EXPOSE 3000", "EXPOSE 9999");
    std::fs::write(&dockerfile, &edited).unwrap();

    let out = dockgen(&["generate", path, "--set", "port=8080"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("conflict  Dockerfile"));
    assert_eq!(
        read(&dockerfile),
        edited,
        "a conflicting hand edit was overwritten"
    );
    assert!(
        read(&repo.join("compose.yaml")).contains("8080"),
        "the other files are written"
    );

    let marked = dockgen(&["generate", path, "--merge", "markers"]);
    assert_eq!(marked.status.code(), Some(0));
    assert!(read(&dockerfile).contains("<<<<<<<"));
    let forced = dockgen(&["generate", path, "--force"]);
    assert_eq!(forced.status.code(), Some(0));
    assert!(read(&dockerfile).contains("EXPOSE 8080") && !read(&dockerfile).contains("<<<<<<<"));
}

#[test]
fn check_reports_as_markdown_and_json() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    let md = dockgen(&["generate", path, "--check", "--format", "markdown"]);
    assert_eq!(md.status.code(), Some(1));
    let md = text(&md.stdout);
    assert!(
        md.contains("| `Dockerfile` | create |") && md.contains("```diff\n--- a/Dockerfile"),
        "{md}"
    );
    let json = dockgen(&["generate", path, "--check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["drift"], true);
    assert_eq!(value["files"][0]["path"], "Dockerfile");
    assert_eq!(value["files"][0]["status"], "create");
}

#[test]
fn a_file_not_written_by_dockgen_is_a_conflict() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    std::fs::write(repo.join("Dockerfile"), "FROM node:20\n").unwrap();
    let out = dockgen(&["generate", repo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("not written by dockgen"));
    assert_eq!(read(&repo.join("Dockerfile")), "FROM node:20\n");
    assert!(
        repo.join("compose.yaml").is_file(),
        "the other files are still written"
    );
}

#[test]
fn set_answers_are_recorded_and_reproduced() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    let out = dockgen(&[
        "generate",
        path,
        "--set",
        "port=8080",
        "--set",
        "runtime=slim",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dockerfile = read(&repo.join("Dockerfile"));
    assert!(dockerfile.contains("EXPOSE 8080") && dockerfile.contains("USER 10001:10001"));
    let settings = read(&repo.join("dockgen.toml"));
    assert!(
        settings.contains("port = 8080") && settings.contains("runtime = \"slim\""),
        "{settings}"
    );
    let again = dockgen(&["generate", path, "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
}

#[test]
fn stdout_and_diff_write_nothing() {
    let (_tmp, repo) = fixture_copy("node-nestjs");
    let path = repo.to_str().unwrap();
    let out = dockgen(&["generate", path, "--stdout"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("==> Dockerfile <=="));
    let diff = dockgen(&["generate", path, "--diff"]);
    assert!(text(&diff.stdout).contains("+++ b/Dockerfile"));
    assert!(!repo.join("Dockerfile").exists() && !repo.join("dockgen.toml").exists());
    assert!(!repo.join(".dockgen").exists());
}

#[test]
fn same_inputs_render_the_same_bytes_anywhere() {
    let (_a, one) = fixture_copy("node-nextjs");
    let (_b, two) = fixture_copy("node-nextjs");
    let render = |p: &Path| dockgen(&["generate", p.to_str().unwrap(), "--stdout"]).stdout;
    assert_eq!(render(&one), render(&two));
}

#[test]
fn bad_values_are_usage_errors() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    let unknown = dockgen(&["generate", path, "--set", "colour=blue"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("unknown key"));
    let port = dockgen(&["generate", path, "--set", "port=3000; rm -rf /"]);
    assert_eq!(port.status.code(), Some(2));
    assert!(!repo.join("Dockerfile").exists());
}

#[test]
fn bad_dockgen_toml_names_line_and_column() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    std::fs::write(
        repo.join("dockgen.toml"),
        "[service.\".\"]\npreset = \"node\"\nport = \"http\"\n",
    )
    .unwrap();
    let out = dockgen(&["generate", repo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(
        err.contains("dockgen.toml:3:8: port: expected a port number"),
        "{err}"
    );
}

#[test]
fn presets_list_and_show() {
    let list = dockgen(&["presets", "list"]);
    assert_eq!(list.status.code(), Some(0));
    assert!(text(&list.stdout).lines().any(|l| l.starts_with("node ")));
    let show = dockgen(&["presets", "show", "node"]);
    assert!(text(&show.stdout).contains("port") && text(&show.stdout).contains("default 3000"));
    let missing = dockgen(&["presets", "show", "cobol"]);
    assert_eq!(missing.status.code(), Some(2));
}

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
    assert!(err.contains("runtime = \"distroless\" [default]"), "{err}");
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

#[test]
fn no_comments_drops_explanations_keeps_the_header_and_is_recorded() {
    let (_tmp, repo) = fixture_copy("node-nestjs");
    let path = repo.to_str().unwrap();
    let out = dockgen(&["generate", path, "--no-comments"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dockerfile = read(&repo.join("Dockerfile"));
    let comments: Vec<&str> = dockerfile.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(comments.len(), 2, "{comments:?}");
    assert!(comments[1].starts_with("# Generated by dockgen"));
    assert!(read(&repo.join("dockgen.toml")).contains("comments = false"));
    // Recorded: the next plain run renders the same bytes.
    assert_eq!(
        dockgen(&["generate", path, "--check"]).status.code(),
        Some(0)
    );
}

#[test]
fn record_all_then_no_detect_renders_the_same_bytes() {
    let (_tmp, repo) = fixture_copy("node-nestjs");
    let path = repo.to_str().unwrap();
    let out = dockgen(&["generate", path, "--record-all"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let settings = read(&repo.join("dockgen.toml"));
    assert!(
        settings.contains("preset = \"node\"\nname = \"nestjs-app\""),
        "{settings}"
    );

    let only_settings = tempfile::tempdir().unwrap();
    std::fs::write(only_settings.path().join("dockgen.toml"), &settings).unwrap();
    let from_settings = dockgen(&[
        "generate",
        "--stdout",
        "--no-detect",
        only_settings.path().to_str().unwrap(),
    ]);
    assert_eq!(
        from_settings.status.code(),
        Some(0),
        "{}",
        text(&from_settings.stderr)
    );
    let detected = dockgen(&["generate", "--stdout", path]);
    assert_eq!(text(&from_settings.stdout), text(&detected.stdout));

    let empty = tempfile::tempdir().unwrap();
    let none = dockgen(&["generate", "--no-detect", empty.path().to_str().unwrap()]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("--record-all"));
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

#[test]
fn init_yes_writes_what_generate_writes() {
    let (_a, wizard) = fixture_copy("monorepo-polyglot");
    let (_b, plain) = fixture_copy("monorepo-polyglot");
    let init = dockgen(&["init", "--yes", wizard.to_str().unwrap()]);
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    assert_eq!(
        dockgen(&["generate", plain.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    for file in [
        "compose.yaml",
        "dockgen.toml",
        "api/Dockerfile",
        "web/Dockerfile",
        "worker/Dockerfile",
        "web/.dockerignore",
    ] {
        assert_eq!(read(&wizard.join(file)), read(&plain.join(file)), "{file}");
    }
}

#[test]
fn repository_presets_and_templates_override_the_embedded_ones() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let templates = repo.join(".dockgen/templates/node");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("dockerignore.tera"),
        "# team ignore list\n.git\nnode_modules\n{{ a.lockfile }}.bak\n",
    )
    .unwrap();
    let presets = repo.join(".dockgen/presets");
    std::fs::create_dir_all(&presets).unwrap();
    let embedded = dockgen(&["presets", "show", "node"]);
    assert_eq!(embedded.status.code(), Some(0));
    let node =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/node.toml"))
            .unwrap()
            .replace("name = \"node\"", "name = \"node-team\"")
            .replace("default = 3000", "default = 4321");
    std::fs::write(presets.join("node-team.toml"), node).unwrap();

    let list = dockgen(&["presets", "list", "--path", repo.to_str().unwrap()]);
    assert!(
        text(&list.stdout).contains("node-team"),
        "{}",
        text(&list.stdout)
    );
    let out = dockgen(&["generate", repo.to_str().unwrap(), "--stdout"]);
    assert!(text(&out.stdout).contains(
        "==> .dockerignore <==\n# team ignore list\n.git\nnode_modules\npackage-lock.json.bak\n"
    ));
    let team = dockgen(&[
        "generate",
        repo.to_str().unwrap(),
        "--stdout",
        "--preset",
        "node-team",
        "--set",
        "health=/health",
    ]);
    assert_eq!(team.status.code(), Some(0), "{}", text(&team.stderr));
    // The detected port still wins over the override preset's default.
    assert!(text(&team.stdout).contains("EXPOSE 3000"));
    let broken = presets.join("broken.toml");
    std::fs::write(&broken, "name = \"broken\"\nfiles = 3\n").unwrap();
    let bad = dockgen(&["presets", "list", "--path", repo.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(3));
    assert!(
        text(&bad.stderr).contains(".dockgen/presets/broken.toml:"),
        "{}",
        text(&bad.stderr)
    );
}

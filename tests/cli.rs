//! The command line as users run it: the detect contract, exit codes, what generate writes
//! and prints, answers given with --set, errors that name file:line:column, presets and their
//! overrides.

mod support;

use std::path::Path;
use support::{dockgen_in as dockgen, fixture_copy, text};

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
    assert_eq!(json["schema_version"], 1);
    assert_eq!(
        service["warnings"][0],
        serde_json::json!({
            "code": "end-of-life",
            "message": "Node.js 20 reached end of life on 2026-04-30; consider 24",
            "answer": "version"
        })
    );
}

/// A warning in JSON has a stable code and, where it is about a file, the file and line.
#[test]
fn json_warnings_have_a_code_and_a_location() {
    let out = dockgen(&[
        "detect",
        "tests/fixtures/node-fastify-localhost",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warning = json["services"][0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "binds-loopback")
        .unwrap_or_else(|| panic!("{json}"))
        .clone();
    assert_eq!(warning["location"], "src/server.js:8", "{warning}");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .starts_with("fastify listens on localhost"),
        "{warning}"
    );
    // In text, the same warning reads as one line with its location first, from the current
    // folder.
    let text_out = dockgen(&["detect", "tests/fixtures/node-fastify-localhost"]);
    assert!(
        text(&text_out.stderr).contains(
            "warning: tests/fixtures/node-fastify-localhost/src/server.js:8: fastify listens on localhost"
        ),
        "{}",
        text(&text_out.stderr)
    );
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
    // As JSON, stdout still holds a document: no services, and why.
    let out = dockgen(&["detect", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["services"], serde_json::json!([]));
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("nothing to containerise"),
        "{doc}"
    );
}

#[test]
fn invalid_package_json_names_file_line_and_column() {
    let out = dockgen(&["detect", "tests/fixtures/node-invalid-json"]);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(err.contains("package.json:10:3: invalid JSON"), "{err}");
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
    // A typo gets the name it was probably meant to be.
    let typo = dockgen(&["generate", path, "--set", "prot=8080"]);
    assert!(
        text(&typo.stderr).contains("(did you mean 'port'?)"),
        "{}",
        text(&typo.stderr)
    );
    let preset = dockgen(&["generate", path, "--preset", "nod"]);
    assert_eq!(preset.status.code(), Some(2));
    assert!(
        text(&preset.stderr).contains("unknown preset 'nod' (did you mean 'node'?)"),
        "{}",
        text(&preset.stderr)
    );
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

#[test]
fn a_workspace_root_says_what_dockgen_does_with_it() {
    let (_tmp, root) = support::repo(&[
        (
            "package.json",
            b"{\n  \"name\": \"shop\",\n  \"private\": true,\n  \"workspaces\": [\"apps/*\"],\n  \"scripts\": {\"start\": \"node server.js\"}\n}\n",
        ),
        ("server.js", b"require('http').createServer().listen(3000);\n"),
        ("apps/api/package.json", b"{\"name\": \"api\"}\n"),
    ]);
    let out = dockgen(&["detect", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    // Warnings go to stderr, as generate prints them.
    let shown = text(&out.stderr);
    // Locations are printed from the current folder, so they open as printed.
    assert!(
        shown.contains(&format!(
            "warning: {}/package.json:4: declares workspaces but starts itself; dockgen builds this folder as one service",
            root.display()
        )),
        "{shown}"
    );
}

#[test]
fn verify_says_what_it_lacks() {
    // No compose file yet: a usage error that says how to get one.
    let (_t, dir) = fixture_copy("node-express-npm");
    let out = dockgen(&["verify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("run `dockgen generate` first"),
        "{}",
        text(&out.stderr)
    );

    // A compose file but no engine: its own exit code, and which client was tried.
    assert!(dockgen(&["generate", dir.to_str().unwrap()])
        .status
        .success());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["verify", dir.to_str().unwrap()])
        .env("DOCKGEN_DOCKER", "/nonexistent/docker")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let err = text(&out.stderr);
    assert!(
        err.contains("needs a Docker engine") && err.contains("/nonexistent/docker"),
        "{err}"
    );

    // A compose file that is not YAML names its line.
    std::fs::write(dir.join("compose.yaml"), "services:\n  a: [\n").unwrap();
    let out = dockgen(&["verify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("compose.yaml:"),
        "{}",
        text(&out.stderr)
    );
}

/// `generate --stdout --set port=9090` on a fixture: exit code, stdout, stderr.
fn with_port(fixture: &str) -> (Option<i32>, String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let out = dockgen(&[
        "generate",
        "--stdout",
        "--set",
        "port=9090",
        path.to_str().unwrap(),
    ]);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn a_chosen_port_moves_every_place_the_port_lives() {
    // A bind in the detected start command.
    let (code, out, err) = with_port("python-flask-pip");
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("\"--bind\", \"0.0.0.0:9090\"") && !out.contains("5000"),
        "{out}"
    );
    assert!(
        out.contains("EXPOSE 9090") && out.contains("127.0.0.1:9090:9090"),
        "{out}"
    );
    // The flag a Go server reads its port from.
    let (code, out, err) = with_port("go-flag-port");
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("ENTRYPOINT [\"/app/flagport\", \"--port=9090\"]"),
        "{out}"
    );
    assert!(err.contains("--port=9090"), "{err}");
    // The variable the app reads.
    let (code, out, _) = with_port("node-express-npm");
    assert_eq!(code, Some(0));
    assert!(
        out.contains("ENV PORT=9090") && out.contains("127.0.0.1:9090/health"),
        "{out}"
    );
}

#[test]
fn a_port_fixed_in_the_source_is_not_moved_by_an_answer() {
    let (code, out, err) = with_port("node-dev-start");
    assert_eq!(code, Some(2), "{out}");
    assert!(
        err.contains("src/index.js:4: the application listens on 5000, fixed in its source"),
        "{err}"
    );
    assert!(out.is_empty(), "nothing rendered: {out}");
}

#[test]
fn a_dockgen_toml_table_for_no_service_is_an_error_with_its_position() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    std::fs::write(
        repo.join("dockgen.toml"),
        "comments = true\n\n[service.\".\"]\npreset = \"node\"\n\n[service.\"api\"]\nport = 8080\n",
    )
    .unwrap();
    let out = dockgen(&["generate", "--check", repo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("dockgen.toml:6:1: [service.\"api\"] names no service of this repository; expected one of: \".\""),
        "{err}"
    );
}

#[test]
fn detect_text_reads_as_aligned_columns_with_warnings_on_stderr() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/java-spring-boot3-maven");
    let out = dockgen(&["detect", path.to_str().unwrap()]);
    let shown = text(&out.stdout);
    let from_at: Vec<usize> = shown
        .lines()
        .filter(|l| {
            l.starts_with("  version")
                || l.starts_with("  port")
                || l.starts_with("  spring boot version")
        })
        .map(|l| l.find(" from ").unwrap())
        .collect();
    assert_eq!(from_at.len(), 3, "{shown}");
    assert!(
        from_at.windows(2).all(|w| w[0] == w[1]),
        "sources in one column:\n{shown}"
    );
    assert!(
        !shown.contains("spring_boot_version") && !shown.contains("warning"),
        "{shown}"
    );
    // A shell script has no package manager, and no build step: none, not unknown.
    let shell = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shell-socat-server");
    let out = dockgen(&["detect", shell.to_str().unwrap()]);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("  package manager  none\n") && shown.contains("  build            none\n"),
        "{shown}"
    );
    assert!(
        text(&out.stderr).starts_with(&format!(
            "warning: {}/Dockerfile:2: packages installed with apk",
            shell.display()
        )),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_chosen_version_is_checked_against_the_project_and_the_images() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/node-fastify-yarn");
    let out = dockgen(&[
        "generate",
        "--stdout",
        "--set",
        "version=18",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.contains("Node.js 18 (from --set) is outside what package.json:"),
        "{err}"
    );
    assert!(err.contains("allows ('>=20')"), "{err}");
    assert!(
        err.contains("Node.js 18 (from --set) reached end of life on 2025-04-30"),
        "{err}"
    );
    assert!(
        err.contains("no distroless image is published for Node.js 18")
            && text(&out.stdout).contains("FROM node:${NODE_VERSION}-trixie-slim AS runtime"),
        "{err}"
    );
    // Asked for by hand, a distroless image that does not exist is an error.
    let out = dockgen(&[
        "generate",
        "--stdout",
        "--set",
        "version=18",
        "--set",
        "runtime=distroless",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    // The detected version's end-of-life warning is not shown for a version not used.
    let nvmrc = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/node-express-npm");
    let out = dockgen(&[
        "generate",
        "--stdout",
        "--set",
        "version=24",
        nvmrc.to_str().unwrap(),
    ]);
    assert!(
        !text(&out.stderr).contains("end of life"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_preset_for_the_other_stack_of_a_folder_detects_it_as_that_stack() {
    let (_tmp, root) = support::repo(&[
        ("requirements.txt", b"flask==3.1.0\ngunicorn==23.0.0\n"),
        (
            "app.py",
            b"from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/health\")\ndef health():\n    return \"ok\"\n",
        ),
        (
            "package.json",
            b"{\n  \"name\": \"widget\",\n  \"scripts\": {\"start\": \"node server.js\"}\n}\n",
        ),
        ("server.js", b"require('http').createServer().listen(4000);\n"),
    ]);
    let dir = root.to_str().unwrap();
    let detected = dockgen(&["detect", dir]);
    assert!(text(&detected.stderr).contains("also a node project"));
    assert!(text(&detected.stdout).contains(". (python)"));
    // No fact of the Python detection (package manager pip, gunicorn's port) reaches the node preset.
    let node = dockgen(&["generate", dir, "--stdout", "--preset", "node"]);
    assert_eq!(node.status.code(), Some(0), "{}", text(&node.stderr));
    let out = text(&node.stdout);
    assert!(out.contains("EXPOSE 4000"), "{out}");
    assert!(out.contains("\"server.js\"]"), "{out}");
    // dockgen.toml's recorded preset is detected the same way.
    std::fs::write(
        root.join("dockgen.toml"),
        "[service.\".\"]\npreset = \"node\"\n",
    )
    .unwrap();
    let recorded = dockgen(&["detect", dir]);
    assert!(
        text(&recorded.stdout).contains(". (node)"),
        "{}",
        text(&recorded.stdout)
    );
    // A preset for a stack the folder is not a project of says what is missing.
    std::fs::remove_file(root.join("dockgen.toml")).unwrap();
    let go = dockgen(&["generate", dir, "--stdout", "--preset", "go"]);
    assert!(
        text(&go.stderr).contains(
            "--preset go: . is not a go project (no go.mod there), so nothing was detected for it"
        ),
        "{}",
        text(&go.stderr)
    );
    assert!(
        !text(&go.stdout).contains("EXPOSE 4000"),
        "{}",
        text(&go.stdout)
    );
}

#[test]
fn a_service_no_manifest_names_is_named_after_the_repository_folder_and_keeps_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("Orders API");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("requirements.txt"),
        "flask==3.1.0\ngunicorn==23.0.0\n",
    )
    .unwrap();
    std::fs::write(
        root.join("app.py"),
        "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/health\")\ndef health():\n    return \"ok\"\n",
    )
    .unwrap();
    let out = dockgen(&["generate", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let compose = std::fs::read_to_string(root.join("compose.yaml")).unwrap();
    assert!(compose.contains("name: \"orders-api\""), "{compose}");
    assert!(compose.contains("image: \"orders-api:local\""), "{compose}");
    let settings = std::fs::read_to_string(root.join("dockgen.toml")).unwrap();
    assert!(settings.contains("name = \"orders-api\""), "{settings}");
    // Another clone in a folder of another name renders the same bytes: the name is recorded.
    let clone = tmp.path().join("checkout");
    support::copy_dir(&root, &clone);
    let check = dockgen(&["generate", "--check", clone.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
}

/// Every JSON document dockgen prints starts with its schema version.
#[test]
fn every_json_document_carries_the_schema_version() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let repo = repo.to_str().unwrap();
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("README.md"), "hello").unwrap();
    for args in [
        vec!["detect", repo, "--format", "json"],
        vec!["detect", empty.path().to_str().unwrap(), "--format", "json"],
        vec!["generate", repo, "--plan", "--format", "json"],
        vec!["generate", repo, "--check", "--format", "json"],
        vec!["generate", repo, "--diff", "--format", "json"],
    ] {
        let out = dockgen(&args);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", text(&out.stdout)));
        assert_eq!(doc["schema_version"], 1, "{args:?}: {doc}");
        assert!(
            text(&out.stdout)
                .trim_start()
                .starts_with("{\n  \"schema_version\": 1,"),
            "{args:?}: the version is the first field"
        );
    }
}

/// `--plan` reads as text by default and is data under `--format json`.
#[test]
fn plan_is_text_by_default_and_json_on_request() {
    let out = dockgen(&["generate", "tests/fixtures/node-express-npm", "--plan"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    assert!(
        plan.starts_with("project express-npm-app (written to compose.yaml)\n"),
        "{plan}"
    );
    assert!(
        plan.contains("  preset  node (the node preset serves detected language node)"),
        "{plan}"
    );
    let port = plan
        .lines()
        .find(|l| l.trim_start().starts_with("port "))
        .expect("the port answer");
    assert_eq!(
        port.split_whitespace().collect::<Vec<_>>(),
        ["port", "3000", "detected", "server.js:4"],
        "{plan}"
    );
    assert!(plan.contains("build "), "{plan}");
    let json = dockgen(&[
        "generate",
        "tests/fixtures/node-express-npm",
        "--plan",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["services"][0]["answers"]["port"]["value"], 3000);
    let markdown = dockgen(&[
        "generate",
        "tests/fixtures/node-express-npm",
        "--plan",
        "--format",
        "markdown",
    ]);
    assert_eq!(markdown.status.code(), Some(2));
}

/// `presets show` names the files a preset writes as they are written, compose.yaml included.
#[test]
fn presets_show_lists_every_file_by_its_real_name() {
    for preset in ["node", "python", "go", "java", "rust", "dotnet", "shell"] {
        let shown = text(&dockgen(&["presets", "show", preset]).stdout);
        let files = shown
            .split("files:\n")
            .nth(1)
            .and_then(|s| s.split("answers:").next())
            .unwrap();
        assert!(
            !files.contains("{%") && !files.contains("{{"),
            "{preset}: {files}"
        );
        for name in [
            "Dockerfile",
            ".dockerignore",
            "compose.yaml",
            "dockgen.toml",
        ] {
            assert!(
                files
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{name} "))),
                "{preset}: {name} missing in {files}"
            );
        }
        assert!(
            !shown.contains(":-slim"),
            "{preset}: a placeholder: {shown}"
        );
    }
}

/// Errors and warnings name files as they are reached from the current folder, print a
/// location once, and fit on one line.
#[test]
fn locations_are_printed_from_the_current_folder_once_on_one_line() {
    let (_tmp, root) = support::repo(&[
        (".git/HEAD", b"ref: refs/heads/main\n"),
        (
            "app/package.json",
            b"{\n  \"name\": \"x\",\n  \"scripts\": {\n",
        ),
    ]);
    let run_in = |dir: &Path, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dockgen"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let out = run_in(&root, &["generate", "app"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        text(&out.stderr),
        "error: app/package.json:4:1: invalid JSON: EOF while parsing an object; expected a package.json object\n"
    );
    // From a folder below the repository root, found upwards through .git.
    std::fs::create_dir_all(root.join("app/src")).unwrap();
    let out = run_in(&root.join("app/src"), &["generate", "--stdout"]);
    assert!(
        text(&out.stderr).ends_with("error: ../../app/package.json:4:1: invalid JSON: EOF while parsing an object; expected a package.json object\n"),
        "{}",
        text(&out.stderr)
    );
    // A TOML error is one line too.
    std::fs::write(
        root.join("app/package.json"),
        "{\"name\": \"x\", \"scripts\": {\"start\": \"node a.js\"}}",
    )
    .unwrap();
    std::fs::write(root.join("app/a.js"), "").unwrap();
    std::fs::write(root.join("app/dockgen.toml"), "[service.\".\"]\nfoo = [\n").unwrap();
    let out = run_in(&root, &["generate", "app", "--stdout"]);
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: app/dockgen.toml:3:1: invalid array: expected `]`;"),
        "{err}"
    );
}

/// `--with` adds an output, records it at the top of dockgen.toml, and later runs keep it; a
/// name that is not an output is refused with the known ones, on the command line and in
/// dockgen.toml (with its line and column).
#[test]
fn with_adds_an_output_that_dockgen_toml_keeps() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let dir = repo.to_str().unwrap();
    let out = dockgen(&["generate", dir, "--with", "structure-test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let config = std::fs::read_to_string(repo.join("container-structure-test.yaml")).unwrap();
    assert!(config.contains("schemaVersion: 2.0.0"), "{config}");
    // Node.js 20 runs on the slim image, as the user dockgen creates there.
    assert!(config.contains("  user: \"10001:10001\"\n"), "{config}");
    let toml = std::fs::read_to_string(repo.join("dockgen.toml")).unwrap();
    assert!(toml.contains("outputs = [\"structure-test\"]\n"), "{toml}");
    assert!(
        toml.find("outputs").unwrap() < toml.find("[service").unwrap(),
        "outputs stays above the service tables: {toml}"
    );
    let check = dockgen(&["generate", dir, "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    let typo = dockgen(&["generate", dir, "--with", "structure-tests", "--stdout"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        text(&typo.stderr).contains("did you mean 'structure-test'"),
        "{}",
        text(&typo.stderr)
    );
    std::fs::write(
        repo.join("dockgen.toml"),
        "outputs = [\"kubernetes-ish\"]\n",
    )
    .unwrap();
    let bad = dockgen(&["generate", dir, "--stdout"]);
    assert_eq!(bad.status.code(), Some(3));
    assert!(
        text(&bad.stderr).contains("dockgen.toml:1:11: unknown output 'kubernetes-ish'"),
        "{}",
        text(&bad.stderr)
    );
}

/// `dockgen audit` names each rule a Dockerfile breaks with its line, exits 1, prints dockgen's
/// replacement as a diff, and gives the same findings as JSON and as SARIF 2.1.0.
#[test]
fn audit_reports_each_rule_with_its_line() {
    let (_tmp, repo) = support::repo(&[
        (
            "package.json",
            b"{\n  \"name\": \"naive\",\n  \"scripts\": {\"start\": \"node server.js\"}\n}\n",
        ),
        ("server.js", b"require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\n"),
        (
            "Dockerfile",
            b"FROM node:16\nWORKDIR /app\nENV API_TOKEN=abc123\nCOPY . .\nRUN npm install\nEXPOSE 3000\nCMD npm start\n",
        ),
    ]);
    let dir = repo.to_str().unwrap();
    let out = dockgen(&["audit", dir]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    for (line, rule) in [
        (1, "root-user"),
        (1, "no-healthcheck"),
        (1, "end-of-life-base"),
        (3, "secret-in-image"),
        (5, "install-after-copy-all"),
        (5, "no-cache-mount"),
        (7, "shell-form-start"),
    ] {
        let at = format!("{dir}/Dockerfile:{line}");
        assert!(
            shown
                .lines()
                .any(|l| l.starts_with(&at) && l.contains(rule)),
            "{rule} at {line}: {shown}"
        );
    }
    assert!(shown.contains("7 findings in 1 Dockerfile"), "{shown}");
    assert!(
        shown.contains("+USER 65532:65532") || shown.contains("+USER 10001:10001"),
        "{shown}"
    );

    let json = dockgen(&["audit", dir, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 7, "{doc}");
    assert_eq!(doc["findings"][0]["file"], "Dockerfile");
    assert!(doc["replacements"][0]["diff"]
        .as_str()
        .unwrap()
        .contains("+HEALTHCHECK"));

    let sarif = dockgen(&["audit", dir, "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "dockgen");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 7);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "Dockerfile");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }

    // dockgen's own output, on a current Node.js, has nothing to change (Node.js 16 came from
    // the old Dockerfile), and a Dockerfile can be named alone.
    let clean = dockgen(&["generate", dir, "--force", "--set", "version=22"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stderr));
    let file = repo.join("Dockerfile");
    let audit = dockgen(&["audit", file.to_str().unwrap()]);
    assert_eq!(audit.status.code(), Some(0), "{}", text(&audit.stdout));
    assert!(
        text(&audit.stdout).starts_with("0 findings in 1 Dockerfile"),
        "{}",
        text(&audit.stdout)
    );
}

/// What detection read from a service's own Dockerfile is recorded when dockgen writes its
/// Dockerfile over it: the evidence is gone after that, and the next run must not drift.
#[test]
fn answers_from_the_replaced_dockerfile_are_recorded() {
    let (_tmp, repo) = support::repo(&[
        (
            "package.json",
            b"{\n  \"name\": \"app\",\n  \"scripts\": {\"start\": \"node server.js\"}\n}\n",
        ),
        (
            "server.js",
            b"require('http').createServer().listen(process.env.PORT || 3000);\n",
        ),
        (
            "Dockerfile",
            b"FROM node:24-slim\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
        ),
    ]);
    let dir = repo.to_str().unwrap();
    let out = dockgen(&["generate", dir, "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let toml = std::fs::read_to_string(repo.join("dockgen.toml")).unwrap();
    assert!(toml.contains("version = \"24\""), "{toml}");
    let check = dockgen(&["generate", dir, "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

/// `dockgen report` needs a Docker engine, and says so with exit 6 when none answers.
#[test]
fn report_without_an_engine_exits_6() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["report", "app:local"])
        .env("DOCKGEN_DOCKER", "/nonexistent/docker")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert!(
        text(&out.stderr).contains("cannot run"),
        "{}",
        text(&out.stderr)
    );
}

/// `--with kubernetes` writes a namespace and, per service, a hardened Deployment whose user is
/// the image's own, whose probes request the health route on the app's port, and whose
/// database variables come from a Secret; a migration runs as an init container.
#[test]
fn kubernetes_manifests_follow_the_plan() {
    let (_tmp, repo) = fixture_copy("python-fastapi-alembic");
    let dir = repo.to_str().unwrap();
    let out = dockgen(&["generate", dir, "--with", "kubernetes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let namespace = std::fs::read_to_string(repo.join("k8s/namespace.yaml")).unwrap();
    assert!(
        namespace.contains("pod-security.kubernetes.io/enforce: restricted"),
        "{namespace}"
    );
    let workload = std::fs::read_to_string(repo.join("k8s/python-fastapi-alembic.yaml")).unwrap();
    let dockerfile = std::fs::read_to_string(repo.join("Dockerfile")).unwrap();
    let user = dockerfile
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .unwrap();
    let (uid, gid) = user.split_once(':').unwrap();
    for expected in [
        format!("runAsUser: {uid}"),
        format!("runAsGroup: {gid}"),
        "runAsNonRoot: true".to_string(),
        "readOnlyRootFilesystem: true".to_string(),
        "allowPrivilegeEscalation: false".to_string(),
        "drop: [\"ALL\"]".to_string(),
        "type: RuntimeDefault".to_string(),
        "containerPort: 8000".to_string(),
        "path: \"/health\"".to_string(),
        "secretKeyRef:".to_string(),
        "initContainers:".to_string(),
        "mountPath: \"/tmp\"".to_string(),
        "kind: NetworkPolicy".to_string(),
        "kind: Service".to_string(),
        "kind: PodDisruptionBudget".to_string(),
    ] {
        assert!(
            workload.contains(&expected),
            "{expected} missing:\n{workload}"
        );
    }
    for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
        assert!(
            workload.contains(&format!("{probe}:")),
            "{probe}:\n{workload}"
        );
    }
    let toml = std::fs::read_to_string(repo.join("dockgen.toml")).unwrap();
    assert!(toml.contains("outputs = [\"kubernetes\"]"), "{toml}");
}

/// `--with bake` writes docker-bake.hcl: a default group of every service, each a target for
/// amd64 and arm64 with the compose file's context and Dockerfile, attestations and labels.
#[test]
fn bake_builds_what_compose_builds_for_two_platforms() {
    let (_tmp, repo) = fixture_copy("monorepo-npm-workspaces");
    let dir = repo.to_str().unwrap();
    let out = dockgen(&["generate", dir, "--with", "bake"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bake = std::fs::read_to_string(repo.join("docker-bake.hcl")).unwrap();
    let compose = std::fs::read_to_string(repo.join("compose.yaml")).unwrap();
    assert!(
        compose.contains("dockerfile: \"apps/api/Dockerfile\"")
            || compose.contains("dockerfile: apps/api/Dockerfile"),
        "{compose}"
    );
    for expected in [
        "group \"default\" {",
        "target \"api\" {",
        "  context = \".\"\n  dockerfile = \"apps/api/Dockerfile\"\n  target = \"runtime\"",
        "platforms = [\"linux/amd64\", \"linux/arm64\"]",
        "attest = [\"type=sbom\", \"type=provenance,mode=max\"]",
        "\"org.opencontainers.image.revision\" = REVISION",
        "cache-to = [\"type=registry,ref=${REGISTRY}api:buildcache,mode=max\"]",
    ] {
        assert!(bake.contains(expected), "{expected} missing:\n{bake}");
    }
}

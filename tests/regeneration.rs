//! Regeneration that never surprises: --check drift detection, hand edits kept and merged
//! three ways, conflicts, drift reports for pull requests, what dockgen.toml records, and the
//! wizard's --yes matching generate.

mod support;

use support::{dockgen_in as dockgen, fixture_copy, read, text};

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
        .replace("ENV NODE_ENV=production", "ENV NODE_ENV=staging")
        .replace(
            "# Files stay owned",
            "RUN [\"/usr/local/bin/node\", \"-e\", \"1\"]\n# Files stay owned",
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
        merged.contains("NODE_ENV=staging") && merged.contains("RUN [\"/usr/local/bin/node\""),
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

    let compose_before = read(&repo.join("compose.yaml"));
    let out = dockgen(&["generate", path, "--set", "port=8080"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("conflict  Dockerfile"));
    assert!(
        text(&out.stdout).contains("+EXPOSE 8080"),
        "the conflict is shown with its diff"
    );
    let said = text(&out.stderr);
    assert!(
        said.contains("nothing was written") && said.contains("dockgen resolve Dockerfile"),
        "{said}"
    );
    assert_eq!(
        read(&dockerfile),
        edited,
        "a conflicting hand edit was overwritten"
    );
    assert_eq!(
        read(&repo.join("compose.yaml")),
        compose_before,
        "one render is one change: no other file is written while one conflicts"
    );
    // --quiet never hides it.
    let quiet = dockgen(&["--quiet", "generate", path, "--set", "port=8080"]);
    assert_eq!(quiet.status.code(), Some(1));
    assert!(text(&quiet.stderr).contains("nothing was written"));

    let marked = dockgen(&["generate", path, "--set", "port=8080", "--merge", "markers"]);
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
        md.contains("| `Dockerfile` | create |")
            && md.contains("```diff\n--- /dev/null\n+++ b/Dockerfile"),
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
        !repo.join("compose.yaml").exists() && !repo.join("dockgen.toml").exists(),
        "no file of the render is written while one conflicts"
    );
}

#[test]
fn a_conflict_merged_by_hand_is_resolved_like_git_add() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    assert_eq!(dockgen(&["generate", path]).status.code(), Some(0));
    let dockerfile = repo.join("Dockerfile");
    std::fs::write(
        &dockerfile,
        read(&dockerfile).replace("EXPOSE 3000", "EXPOSE 9999"),
    )
    .unwrap();
    // Recorded in dockgen.toml first, so that resolve renders what generate will.
    let toml = read(&repo.join("dockgen.toml"));
    std::fs::write(
        repo.join("dockgen.toml"),
        toml.replace("preset = \"node\"", "preset = \"node\"\nport = 8080"),
    )
    .unwrap();
    assert_eq!(dockgen(&["generate", path]).status.code(), Some(1));

    // Markers left in: refused, with the line.
    let marked = read(&dockerfile).replace(
        "EXPOSE 9999",
        "<<<<<<< mine\nEXPOSE 9999\n=======\nEXPOSE 8080\n>>>>>>> dockgen",
    );
    std::fs::write(&dockerfile, &marked).unwrap();
    let refused = dockgen(&["resolve", "--root", path, dockerfile.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(
        text(&refused.stderr).contains("Dockerfile:"),
        "{}",
        text(&refused.stderr)
    );

    // Merged by hand: dockgen's port, and a line of the user's own.
    let merged = read(&dockerfile).replace(
        "<<<<<<< mine\nEXPOSE 9999\n=======\nEXPOSE 8080\n>>>>>>> dockgen",
        "EXPOSE 8080\nLABEL team=web",
    );
    std::fs::write(&dockerfile, &merged).unwrap();
    let resolved = dockgen(&["resolve", "--root", path, dockerfile.to_str().unwrap()]);
    assert_eq!(
        resolved.status.code(),
        Some(0),
        "{}",
        text(&resolved.stderr)
    );
    let next = dockgen(&["generate", path]);
    assert_eq!(
        next.status.code(),
        Some(0),
        "{}{}",
        text(&next.stdout),
        text(&next.stderr)
    );
    assert_eq!(read(&dockerfile), merged, "the resolution is kept");
    assert!(read(&repo.join("compose.yaml")).contains("8080"));
    let check = dockgen(&["generate", path, "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));

    let unknown = dockgen(&[
        "resolve",
        "--root",
        path,
        repo.join("package.json").to_str().unwrap(),
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("not a file dockgen generates"));
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
fn the_diff_applies_with_git_and_leaves_nothing_to_check() {
    let (_tmp, repo) = fixture_copy("monorepo-polyglot");
    let path = repo.to_str().unwrap();
    let diff = dockgen(&["generate", path, "--diff"]);
    assert_eq!(diff.status.code(), Some(0));
    let patch = repo.join("dockgen.patch");
    std::fs::write(&patch, &diff.stdout).unwrap();
    assert!(text(&diff.stdout).starts_with("--- /dev/null\n+++ b/api/Dockerfile\n"));
    let applied = std::process::Command::new("git")
        .args(["apply", "--unsafe-paths", "dockgen.patch"])
        .current_dir(&repo)
        .output()
        .expect("git runs");
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    std::fs::remove_file(&patch).unwrap();
    let check = dockgen(&["generate", path, "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

#[test]
fn run_from_a_subfolder_the_root_is_found_upwards() {
    let (_tmp, repo) = fixture_copy("monorepo-npm-workspaces");
    let path = repo.to_str().unwrap();
    assert_eq!(dockgen(&["generate", path]).status.code(), Some(0));
    let member = std::fs::read_dir(repo.join("packages"))
        .ok()
        .and_then(|mut d| d.next())
        .map(|e| e.unwrap().path())
        .unwrap_or_else(|| repo.clone());
    let run_in = |dir: &std::path::Path, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dockgen"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    // From a member folder: dockgen.toml at the top is the root, and it says so.
    let check = run_in(&member, &["generate", "--check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    assert!(
        text(&check.stderr).contains("repository root ../.. (the nearest folder with dockgen.toml"),
        "{}",
        text(&check.stderr)
    );
    // --root (or PATH) chooses another: the member alone is a different repository.
    let alone = run_in(&member, &["detect", "--root", "."]);
    assert_eq!(alone.status.code(), Some(0), "{}", text(&alone.stderr));
    assert!(!text(&alone.stderr).contains("repository root"));
}

#[test]
fn a_new_dockgen_version_alone_is_not_drift() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    assert_eq!(dockgen(&["generate", path]).status.code(), Some(0));
    // As an older dockgen would have left the files and its record of them.
    let version = env!("CARGO_PKG_VERSION");
    for file in [
        "Dockerfile",
        "compose.yaml",
        ".dockgen/last/Dockerfile",
        ".dockgen/last/compose.yaml",
    ] {
        let p = repo.join(file);
        let old = read(&p).replace(&format!("dockgen {version}"), "dockgen 0.0.1");
        assert_ne!(old, read(&p), "{file} names the version");
        std::fs::write(&p, old).unwrap();
    }
    let check = dockgen(&["generate", path, "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    let plain = dockgen(&["generate", path]);
    assert_eq!(plain.status.code(), Some(0));
    assert!(
        read(&repo.join("Dockerfile")).contains("dockgen 0.0.1"),
        "rewritten for its header alone"
    );
    let again = dockgen(&["generate", path, "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
}

#[test]
fn the_projects_compose_file_is_never_shadowed() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let path = repo.to_str().unwrap();
    let theirs = "services:\n  db:\n    image: postgres:17\n";
    std::fs::write(repo.join("docker-compose.yml"), theirs).unwrap();
    let out = dockgen(&["generate", path]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("conflict  docker-compose.yml"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("never a compose.yaml that would shadow it"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !repo.join("compose.yaml").exists(),
        "compose.yaml would hide docker-compose.yml"
    );
    assert_eq!(read(&repo.join("docker-compose.yml")), theirs);

    let forced = dockgen(&["generate", path, "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
    assert!(!repo.join("compose.yaml").exists());
    assert!(read(&repo.join("docker-compose.yml")).contains("Generated by dockgen"));
    let check = dockgen(&["generate", path, "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    assert!(
        !text(&check.stderr).contains("shadow"),
        "{}",
        text(&check.stderr)
    );
}

#[test]
fn no_build_step_is_an_answer() {
    let (_tmp, repo) = fixture_copy("node-nestjs");
    let path = repo.to_str().unwrap();
    let out = dockgen(&["generate", path, "--set", "build=none"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dockerfile = read(&repo.join("Dockerfile"));
    assert!(
        !dockerfile.contains("RUN [\"npm\", \"run\", \"build\"]")
            && !dockerfile.contains("\"none\""),
        "{dockerfile}"
    );
    let detected = dockgen(&["generate", path, "--stdout", "--set", "build=npm run build"]);
    assert!(
        text(&detected.stdout).contains("RUN [\"npm\", \"run\", \"build\"]"),
        "the step exists otherwise"
    );
    assert!(read(&repo.join("dockgen.toml")).contains("build = \"none\""));
    let check = dockgen(&["generate", path, "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    let start = dockgen(&["generate", path, "--stdout", "--set", "start=none"]);
    assert_eq!(start.status.code(), Some(2));
    assert!(
        text(&start.stderr).contains("this command is required"),
        "{}",
        text(&start.stderr)
    );
}

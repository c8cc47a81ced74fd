//! `dockgen init` driven through a real pseudo-terminal: accept every default, change the
//! port, decline to write, and Ctrl-C in the middle.

use rexpect::session::PtySession;
mod support;

use std::path::Path;
use std::process::Command;
use support::fixture_copy;

const TIMEOUT_MS: u64 = 20_000;

fn spawn_init(repo: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockgen"));
    cmd.arg("init")
        .arg(repo)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    rexpect::session::spawn_command(cmd, Some(TIMEOUT_MS)).expect("dockgen init starts in a pty")
}

/// Waits for a prompt containing `text`, then presses Enter.
fn enter(session: &mut PtySession, text: &str) {
    session
        .exp_string(text)
        .unwrap_or_else(|e| panic!("waiting for {text:?}: {e}"));
    session.send("\r").unwrap();
    session.flush().unwrap();
}

fn answer(session: &mut PtySession, text: &str, reply: &str) {
    session
        .exp_string(text)
        .unwrap_or_else(|e| panic!("waiting for {text:?}: {e}"));
    session.send(reply).unwrap();
    session.send("\r").unwrap();
    session.flush().unwrap();
}

fn exit_code(session: &mut PtySession) -> Option<i32> {
    match session.process.wait().unwrap() {
        rexpect::process::wait::WaitStatus::Exited(_, code) => Some(code),
        _ => None,
    }
}

/// Presses Enter at every question up to the file list.
fn accept_questions(session: &mut PtySession, except_port: Option<&str>) {
    enter(session, "preset");
    for key in ["version:", "package_manager:", "build:", "start:"] {
        enter(session, key);
    }
    match except_port {
        Some(port) => answer(session, "port:", port),
        None => enter(session, "port:"),
    }
    enter(session, "health:");
    enter(session, "runtime:");
    enter(session, "Also write");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn accepting_every_default_writes_what_generate_writes() {
    let (_a, wizard_repo) = fixture_copy("node-express-npm");
    let (_b, generate_repo) = fixture_copy("node-express-npm");
    let mut s = spawn_init(&wizard_repo);
    s.exp_string("from .nvmrc:1").unwrap();
    accept_questions(&mut s, None);
    enter(&mut s, "Files to write");
    enter(&mut s, "Write?");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(0));

    let out = Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .arg("generate")
        .arg(&generate_repo)
        .output()
        .unwrap();
    assert!(out.status.success());
    for file in [
        "Dockerfile",
        ".dockerignore",
        "compose.yaml",
        "dockgen.toml",
    ] {
        assert_eq!(
            read(&wizard_repo.join(file)),
            read(&generate_repo.join(file)),
            "{file}"
        );
    }
}

#[test]
fn changing_the_port_is_rendered_and_recorded() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let mut s = spawn_init(&repo);
    accept_questions(&mut s, Some("8080"));
    enter(&mut s, "Files to write");
    enter(&mut s, "Write?");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(0));
    assert!(read(&repo.join("Dockerfile")).contains("EXPOSE 8080"));
    assert!(read(&repo.join("dockgen.toml")).contains("port = 8080"));
}

#[test]
fn declining_to_write_leaves_every_file_as_it_was() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    std::fs::write(repo.join("Dockerfile"), "FROM node:20\n").unwrap();
    let mut s = spawn_init(&repo);
    accept_questions(&mut s, Some("8080"));
    enter(&mut s, "Files to write");
    s.exp_string("conflict  Dockerfile").unwrap();
    // Second choice shows the diffs, the third quits.
    s.exp_string("quit without writing").unwrap();
    s.send("\x1b[B").unwrap();
    s.send("\x1b[B").unwrap();
    s.send("\r").unwrap();
    s.flush().unwrap();
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(130));
    assert_eq!(read(&repo.join("Dockerfile")), "FROM node:20\n");
    assert!(!repo.join("compose.yaml").exists() && !repo.join("dockgen.toml").exists());
}

#[test]
fn ctrl_c_mid_way_writes_nothing() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let mut s = spawn_init(&repo);
    enter(&mut s, "preset");
    enter(&mut s, "version:");
    s.exp_string("package_manager:").unwrap();
    s.send_control('c').unwrap();
    s.exp_eof().unwrap();
    assert_ne!(exit_code(&mut s), Some(0));
    let names: Vec<_> = std::fs::read_dir(&repo)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for file in ["Dockerfile", "compose.yaml", "dockgen.toml", ".dockgen"] {
        assert!(!names.iter().any(|n| n == file), "{file} was written");
    }
}

#[test]
fn without_a_terminal_it_does_not_prompt() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let out = Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .arg("init")
        .arg(&repo)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("dockgen generate"));
    assert!(!repo.join("Dockerfile").exists());
}

#[test]
fn a_conflict_is_settled_file_by_file() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    std::fs::write(repo.join("Dockerfile"), "FROM node:20\n").unwrap();
    let mut s = spawn_init(&repo);
    accept_questions(&mut s, None);
    enter(&mut s, "Files to write");
    enter(&mut s, "Write?");
    // Second choice: overwrite it with dockgen's version.
    s.exp_string("overwrite it with dockgen's version").unwrap();
    s.send("\x1b[B").unwrap();
    s.send("\r").unwrap();
    s.flush().unwrap();
    s.exp_string("docker compose up --build --wait").unwrap();
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(0));
    assert!(read(&repo.join("Dockerfile")).contains("Generated by dockgen"));
    assert!(repo.join("compose.yaml").is_file());
}

#[test]
fn a_conflict_kept_as_it_is_writes_nothing() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    std::fs::write(repo.join("Dockerfile"), "FROM node:20\n").unwrap();
    let mut s = spawn_init(&repo);
    accept_questions(&mut s, None);
    enter(&mut s, "Files to write");
    enter(&mut s, "Write?");
    enter(&mut s, "keep my file: write nothing");
    s.exp_string("nothing was written").unwrap();
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(1));
    assert_eq!(read(&repo.join("Dockerfile")), "FROM node:20\n");
    assert!(!repo.join("compose.yaml").exists());
}

/// An answer is checked as it is typed: an out-of-range port is refused with the reason and
/// asked again, and the next answer is used.
#[test]
fn an_answer_that_does_not_hold_is_asked_again() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let mut s = spawn_init(&repo);
    enter(&mut s, "preset");
    for key in ["version:", "package_manager:", "build:", "start:"] {
        enter(&mut s, key);
    }
    answer(&mut s, "port:", "70000");
    s.exp_string("not accepted: expected a port number from 1 to 65535")
        .unwrap();
    answer(&mut s, "port:", "8080");
    enter(&mut s, "health:");
    enter(&mut s, "runtime:");
    enter(&mut s, "Also write");
    enter(&mut s, "Files to write");
    enter(&mut s, "Write?");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(0));
    assert!(read(&repo.join("Dockerfile")).contains("EXPOSE 8080"));
}

/// A choice the plan cannot keep (distroless for a Node.js release with no distroless image)
/// is refused at its question, not after every question has been answered.
#[test]
fn a_choice_the_plan_refuses_is_chosen_again() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let mut s = spawn_init(&repo);
    accept_questions_until(&mut s, "runtime:");
    // The runtime list is distroless, slim, static; Node.js 20 has been moved to slim.
    s.exp_string("slim (detected from .nvmrc:1)").unwrap();
    s.send("\x1b[A").unwrap();
    s.send("\r").unwrap();
    s.flush().unwrap();
    s.exp_string("not accepted").unwrap();
    s.exp_string("no distroless image is published for Node.js 20")
        .unwrap();
    enter(&mut s, "runtime:");
    enter(&mut s, "Also write");
    enter(&mut s, "Files to write");
    enter(&mut s, "Write?");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(0));
}

/// Escape cancels at any question, a typed one included: nothing is written, exit 130.
#[test]
fn escape_cancels_and_writes_nothing() {
    for at in ["preset", "version:", "port:"] {
        let (_tmp, repo) = fixture_copy("node-express-npm");
        let mut s = spawn_init(&repo);
        if at != "preset" {
            accept_questions_until(&mut s, at);
        }
        s.exp_string(at).unwrap();
        s.send("\x1b").unwrap();
        s.flush().unwrap();
        s.exp_string("nothing was written").unwrap();
        s.exp_eof().unwrap();
        assert_eq!(exit_code(&mut s), Some(130), "Escape at {at}");
        assert!(!repo.join("Dockerfile").exists(), "Escape at {at}");
    }
}

/// Each question says where its value came from, and a list marks the detected choice.
#[test]
fn the_detected_choice_is_marked() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let mut s = spawn_init(&repo);
    s.exp_string("preset").unwrap();
    enter(&mut s, "node (detected)");
    s.exp_string("version: ").unwrap();
    s.exp_string("(detected from .nvmrc:1) [20]").unwrap();
    enter(&mut s, "");
    s.exp_string("npm (detected from package-lock.json)")
        .unwrap();
    s.send_control('c').unwrap();
    s.exp_eof().unwrap();
}

/// A warning about an answer given in the wizard is not shown after it: detection warned that
/// Node.js 20 is past its end of life; once 24 is chosen, that warning is gone, and the wizard
/// ends by saying what to run next.
#[test]
fn warnings_about_answered_questions_are_not_shown_again() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let mut s = spawn_init(&repo);
    s.exp_string("warning: Node.js 20 reached end of life")
        .unwrap();
    enter(&mut s, "preset");
    answer(&mut s, "version:", "24");
    for key in ["package_manager:", "build:", "start:", "port:", "health:"] {
        enter(&mut s, key);
    }
    enter(&mut s, "runtime:");
    enter(&mut s, "Also write");
    let after = s.exp_string("Files to write").unwrap();
    assert!(!after.contains("end of life"), "a stale warning: {after}");
    assert!(
        !after.contains("no distroless image"),
        "a stale warning: {after}"
    );
    s.send("\r").unwrap();
    s.flush().unwrap();
    enter(&mut s, "Write?");
    s.exp_string("next: docker compose up --build --wait")
        .unwrap();
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(0));
    assert!(read(&repo.join("Dockerfile")).contains("ARG NODE_VERSION=24"));
}

/// Presses Enter at every question before the one containing `until`.
fn accept_questions_until(session: &mut PtySession, until: &str) {
    enter(session, "preset");
    for key in [
        "version:",
        "package_manager:",
        "build:",
        "start:",
        "port:",
        "health:",
        "runtime:",
    ] {
        if key == until {
            return;
        }
        enter(session, key);
    }
}

/// The outputs beyond the default three are offered, none chosen unless asked for: space
/// chooses the structure test, which is written and recorded in dockgen.toml.
#[test]
fn an_optional_output_is_chosen_in_the_wizard() {
    let (_tmp, repo) = fixture_copy("node-express-npm");
    let mut s = spawn_init(&repo);
    accept_questions_until(&mut s, "Also write");
    s.exp_string("Also write").unwrap();
    s.exp_string("structure-test").unwrap();
    s.send(" ").unwrap();
    s.send("\r").unwrap();
    s.flush().unwrap();
    s.exp_string("container-structure-test.yaml").unwrap();
    enter(&mut s, "Files to write");
    enter(&mut s, "Write?");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&mut s), Some(0));
    assert!(read(&repo.join("container-structure-test.yaml")).contains("schemaVersion: 2.0.0"));
    assert!(read(&repo.join("dockgen.toml")).contains("outputs = [\"structure-test\"]"));
}

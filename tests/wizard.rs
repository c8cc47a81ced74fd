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

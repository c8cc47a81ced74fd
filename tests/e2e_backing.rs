//! End-to-end tier, backing services: an application that needs Postgres and Redis gets both in
//! the generated compose.yaml. With the `.env` its header asks for, `docker compose up --wait`
//! starts the databases healthy, the application after them, and a request from the host
//! writes to both (a counter in Redis, a row in Postgres) and reads them back.
//!
//! A program that exits without a variable gets it passed from `.env`: `dockgen verify`, with
//! nothing set, starts it with a throwaway value and it answers.
//!
//! Runs only with `DOCKGEN_E2E=1` and a Docker engine (scripts/e2e.sh sets both up).

mod e2e_support;
mod support;

use e2e_support::*;
use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "node-express-postgres-redis";

/// Images compose.yaml names that the local engine lacks, and the stand-in each is pinned to.
const ENGINE_PINS: &[(&str, &str)] = &[("\"postgres:18\"", "\"postgres:17\"")];

#[test]
fn postgres_and_redis_are_started_and_used() {
    if std::env::var("DOCKGEN_E2E").as_deref() != Ok("1") {
        say("e2e backing services: DOCKGEN_E2E is not 1, skipped");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(FIXTURE);
    support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(FIXTURE),
        &dir,
    );
    // The engine builds offline (no `# syntax=` frontend) and has Node 20 and 22 only.
    let out = run(Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["generate", "--set", "syntax=", "--set", "version=22"])
        .arg(&dir));
    assert!(out.status.success(), "dockgen generate:\n{}", text(&out));

    let file = dir.join("compose.yaml");
    let mut compose = std::fs::read_to_string(&file).unwrap();
    assert!(compose.contains("condition: service_healthy"), "{compose}");
    assert!(
        compose.contains("DATABASE_URL:") && compose.contains("REDIS_URL:"),
        "{compose}"
    );
    for line in compose
        .lines()
        .filter(|l| l.contains("PASSWORD") && l.contains(':'))
    {
        if !line.trim_start().starts_with('#') {
            assert!(
                line.contains("${POSTGRES_PASSWORD}"),
                "a password value is written: {line}"
            );
        }
    }
    for (upstream, here) in ENGINE_PINS {
        compose = compose.replace(upstream, here);
    }
    let host_port = free_port();
    compose = compose.replace(
        "127.0.0.1:3000:3000",
        &format!("127.0.0.1:{host_port}:3000"),
    );
    std::fs::write(&file, &compose).unwrap();
    // What the header asks the user to do.
    std::fs::write(dir.join(".env"), "POSTGRES_PASSWORD=e2eOnlyPassw0rd\n").unwrap();

    let mut cleanup = Cleanup::default();
    let image = "visits-api:local".to_string();
    cleanup.images.push(image.clone());
    let project = format!("dockgen-e2e-backing-{}", std::process::id());
    cleanup.compose.push((file.clone(), project.clone()));
    // Compose v5 cannot build with BuildKit on this engine: build the image first.
    let build = run(docker()
        .args(["build", "--target", "runtime", "-t", &image])
        .arg(&dir));
    assert!(
        build.status.success(),
        "docker build:\n{}",
        tail(&text(&build), 40)
    );

    let compose_cmd = || {
        let mut c = Command::new(compose_bin());
        c.args(["-p", &project, "--project-directory"])
            .arg(&dir)
            .arg("-f")
            .arg(&file);
        c
    };
    let up = run(compose_cmd().args(["up", "--no-build", "--wait", "--wait-timeout", "120", "-d"]));
    if !up.status.success() {
        let logs = text(&run(compose_cmd().args(["logs", "--tail", "40"])));
        panic!(
            "docker compose up --wait failed:\n{}\nlogs:\n{logs}",
            text(&up)
        );
    }
    let first = get_body(host_port, "/visits");
    let second = get_body(host_port, "/visits");
    assert!(
        first.contains("\"cached\":1") && first.contains("\"stored\":1"),
        "{first}"
    );
    assert!(
        second.contains("\"cached\":2") && second.contains("\"stored\":2"),
        "{second}"
    );
    say(&format!(
        "e2e backing services: PASS (postgres + redis healthy, /visits -> {second})"
    ));
}

/// The body of `GET path` on the local port, over plain HTTP/1.0.
fn get_body(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn a_required_variable_is_passed_from_env() {
    if std::env::var("DOCKGEN_E2E").as_deref() != Ok("1") {
        say("e2e required variable: DOCKGEN_E2E is not 1, skipped");
        return;
    }
    let fixture = "go-required-env";
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(fixture);
    support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture),
        &dir,
    );
    let out = run(Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["generate", "--set", "syntax="])
        .arg(&dir));
    assert!(out.status.success(), "dockgen generate:\n{}", text(&out));
    let compose = std::fs::read_to_string(dir.join("compose.yaml")).unwrap();
    assert!(
        compose.contains("BANNER_TEXT: \"${BANNER_TEXT}\""),
        "{compose}"
    );
    let host_port = free_port();
    std::fs::write(
        dir.join("compose.yaml"),
        compose.replace(
            "127.0.0.1:8080:8080",
            &format!("127.0.0.1:{host_port}:8080"),
        ),
    )
    .unwrap();
    let mut cleanup = Cleanup::default();
    cleanup.images.push("banner:local".into());
    let verify = run(Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["verify", "--format", "json"])
        .arg(&dir)
        .env("DOCKGEN_DOCKER", docker_bin())
        .env("DOCKGEN_COMPOSE", compose_bin())
        .env_remove("BANNER_TEXT"));
    let report = String::from_utf8_lossy(&verify.stdout).to_string();
    assert!(
        verify.status.success(),
        "dockgen verify:\n{}",
        text(&verify)
    );
    assert!(
        text(&verify).contains("BANNER_TEXT not set"),
        "{}",
        text(&verify)
    );
    assert!(report.contains("\"http_status\": 200"), "{report}");
    say(&format!(
        "e2e required variable: PASS {}",
        report.replace('\n', " ")
    ));
}

/// A front end and a back end in one repository: each is a service of one compose file (the
/// site on the file server, the API with its Postgres), and both come up and answer.
#[test]
fn frontend_and_backend_share_one_compose() {
    if std::env::var("DOCKGEN_E2E").as_deref() != Ok("1") {
        say("e2e frontend + backend: DOCKGEN_E2E is not 1, skipped");
        return;
    }
    let fixture = "fullstack-fastapi-vite";
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(fixture);
    support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture),
        &dir,
    );
    let out = run(Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args([
            "generate",
            "--set",
            "backend:syntax=",
            "--set",
            "frontend:syntax=",
        ])
        .arg(&dir));
    assert!(out.status.success(), "dockgen generate:\n{}", text(&out));
    let file = dir.join("compose.yaml");
    let mut compose = std::fs::read_to_string(&file).unwrap();
    assert!(
        compose.contains("name: \"fullstack-fastapi-vite\""),
        "{compose}"
    );
    for (upstream, here) in ENGINE_PINS {
        compose = compose.replace(upstream, here);
    }
    std::fs::write(&file, &compose).unwrap();

    let mut cleanup = Cleanup::default();
    for image in [
        "fullstack-fastapi-vite-backend:local",
        "fullstack-fastapi-vite-frontend:local",
    ] {
        assert!(compose.contains(image), "{compose}");
        cleanup.images.push(image.into());
    }
    let write = "/api/notes/add";
    let verify = run(Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["verify", "--format", "json", "--get", write, "--get", write])
        .arg(&dir)
        .env("DOCKGEN_DOCKER", docker_bin())
        .env("DOCKGEN_COMPOSE", compose_bin()));
    assert!(
        verify.status.success(),
        "dockgen verify:\n{}",
        text(&verify)
    );
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout)
        .unwrap_or_else(|e| panic!("verify --format json: {e}\n{}", text(&verify)));
    let mut seen = Vec::new();
    for name in ["backend", "frontend"] {
        let service = report["services"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["name"] == name))
            .unwrap_or_else(|| panic!("no {name} in {report}"));
        assert_eq!(service["http_status"], 200, "{service}");
        let requests = service["requests"].as_array().expect("the --get requests");
        assert!(
            requests.len() == 2 && requests.iter().all(|r| r[1] == 200),
            "{service}"
        );
        seen.push(format!(
            "{name} {} healthy after {} s",
            service["probe"], service["healthy_seconds"]
        ));
    }
    say(&format!(
        "e2e frontend + backend: PASS ({}; two writes through the API)",
        seen.join(", ")
    ));
}

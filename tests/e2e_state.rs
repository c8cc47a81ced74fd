//! End-to-end tier, database state: an app whose schema comes from migrations (Django, Alembic,
//! knex, TypeORM) gets a one-shot
//! migration service in compose.yaml that the app waits for, and an app that keeps SQLite in
//! its own folder gets the file on a named volume. `dockgen verify` builds the image once,
//! runs the migration to completion, then starts the app; its health route reads a table the
//! migrations create, so "healthy" means the schema is there and the database is writable by
//! the image's non-root user on a read-only root filesystem.
//!
//! Runs only with `DOCKGEN_E2E=1` and a Docker engine (scripts/e2e.sh sets both up).

mod e2e_support;
mod support;

use e2e_support::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Images compose.yaml names that the local engine lacks, and the stand-in each is pinned to.
const ENGINE_PINS: &[(&str, &str)] = &[("\"postgres:18\"", "\"postgres:17\"")];

/// `version` is one the engine has an image for (`--set version=`).
fn migrated_and_healthy(
    fixture: &str,
    version: &str,
    image: &str,
    expect_volume: bool,
    write: &str,
) {
    if std::env::var("DOCKGEN_E2E").as_deref() != Ok("1") {
        say(&format!(
            "e2e state {fixture}: DOCKGEN_E2E is not 1, skipped"
        ));
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(fixture);
    support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture),
        &dir,
    );
    // Offline builds (no `# syntax=` frontend), on a version the engine has.
    let out = run(Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["generate", "--set", "syntax="])
        .arg(format!("--set=version={version}"))
        .arg(&dir));
    assert!(out.status.success(), "dockgen generate:\n{}", text(&out));
    let file = dir.join("compose.yaml");
    let mut compose = std::fs::read_to_string(&file).unwrap();
    assert!(
        compose.contains("condition: service_completed_successfully"),
        "{compose}"
    );
    assert_eq!(compose.contains(":/data"), expect_volume, "{compose}");
    for (upstream, here) in ENGINE_PINS {
        compose = compose.replace(upstream, here);
    }
    std::fs::write(&file, &compose).unwrap();

    let mut cleanup = Cleanup::default();
    cleanup.images.push(image.into());
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
    let report: Value = serde_json::from_slice(&verify.stdout)
        .unwrap_or_else(|e| panic!("verify --format json: {e}\n{}", text(&verify)));
    let services = report["services"]
        .as_array()
        .expect("one outcome per service");
    let named = |suffix: &str| {
        services
            .iter()
            .find(|s| s["name"].as_str().is_some_and(|n| n.ends_with(suffix)))
            .unwrap_or_else(|| panic!("no service ending in {suffix}: {report}"))
    };
    let migrate = named("-migrate");
    assert!(migrate["completed_seconds"].is_number(), "{migrate}");
    let app = services
        .iter()
        .find(|s| s["http_status"].is_number())
        .unwrap_or_else(|| panic!("no probed service: {report}"));
    assert_eq!(app["http_status"], 200, "{app}");
    // Two writes through the app, each answered: the database is writable where it lives.
    let requests = app["requests"].as_array().expect("the --get requests");
    assert_eq!(requests.len(), 2, "{app}");
    assert!(requests.iter().all(|r| r[1] == 200), "{app}");
    say(&format!(
        "e2e state {fixture}: PASS (migration ran in {} s, app healthy after {} s, {} {})",
        migrate["completed_seconds"], app["healthy_seconds"], app["probe"], app["http_status"]
    ));
}

#[test]
fn django_migrates_and_keeps_sqlite_on_a_volume() {
    migrated_and_healthy(
        "python-django-sqlite-migrate",
        "3.13",
        "python-django-sqlite-migrate:local",
        true,
        "/notes/add/",
    );
}

#[test]
fn alembic_migrates_postgres_before_the_app() {
    migrated_and_healthy(
        "python-fastapi-alembic",
        "3.13",
        "python-fastapi-alembic:local",
        false,
        "/items/add",
    );
}

#[test]
fn knex_migrates_postgres_before_a_node_app() {
    migrated_and_healthy(
        "node-express-knex-postgres",
        "22",
        "notes-knex:local",
        false,
        "/notes/add",
    );
}

#[test]
fn typeorm_migrates_postgres_from_the_compiled_data_source() {
    migrated_and_healthy(
        "node-express-typeorm-postgres",
        "22",
        "tasks-typeorm:local",
        false,
        "/tasks/add",
    );
}

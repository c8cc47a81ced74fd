//! End-to-end tier: dockgen's output really builds, starts, becomes healthy, answers from the
//! host, runs as a numeric non-root user and stops quickly on SIGTERM — for every runnable
//! fixture, plus one `docker compose up --wait` per stack on the generated compose.yaml.
//!
//! Runs only with `DOCKGEN_E2E=1` and a Docker engine (scripts/e2e.sh sets both up); otherwise
//! every test prints why it did nothing and passes. Run the tests one at a time
//! (`--test-threads=1`): builds are heavy. A fixture whose stack dockgen does not support yet
//! (`dockgen generate` exits 2) is reported as skipped, so the list can name stacks ahead of time.

mod e2e_support;
mod support;

use e2e_support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runtime versions the local engine has images for, per language, and the one to pin to when a
/// fixture asks for another (the generated files are then built with `--set version=<pin>`).
const ENGINE_VERSIONS: &[(&str, &[&str], &str)] = &[
    ("node", &["22", "24"], "22"),
    ("python", &["3.11", "3.13"], "3.13"),
    ("go", &["1.22"], "1.22"),
    ("java", &["17"], "17"),
    ("rust", &["1", "1.97", "1.85"], "1"),
];

const HEALTHY_TIMEOUT: Duration = Duration::from_secs(90);
/// "Well under" docker stop's 10 s grace period: the app must exit on SIGTERM itself.
const STOP_LIMIT: Duration = Duration::from_secs(5);

macro_rules! runnable {
    ($($test:ident => $fixture:literal),* $(,)?) => {
        /// Fixtures that build and run offline on the local engine.
        const RUNNABLE: &[&str] = &[$($fixture),*];
        $( #[test] fn $test() { run_fixture($fixture); } )*
    };
}

runnable! {
    node_express_npm => "node-express-npm",
    node_fastify_yarn => "node-fastify-yarn",
    node_pnpm => "node-pnpm",
    node_nestjs => "node-nestjs",
    node_nextjs => "node-nextjs",
    node_two_lockfiles => "node-two-lockfiles",
    node_dev_start => "node-dev-start",
    node_nvmrc_vs_engines => "node-nvmrc-vs-engines",
    node_main_missing => "node-main-missing",
    node_script_chain => "node-script-chain",
    node_vite_static => "node-vite-static",
    node_next_export => "node-next-export",
    node_sveltekit_static => "node-sveltekit-static",
    node_ci_matrix_version => "node-ci-matrix-version",
    node_no_health_route => "node-no-health-route",
    python_flask_pip => "python-flask-pip",
    python_django_gunicorn => "python-django-gunicorn",
    python_django_no_gunicorn => "python-django-no-gunicorn",
    python_procfile_chain => "python-procfile-chain",
    python_fastapi_factory => "python-fastapi-factory",
    python_fastapi_router_prefix => "python-fastapi-router-prefix",
    python_writable_logs => "python-writable-logs",
    python_grpc_server => "python-grpc-server",
    go_root_main => "go-root-main",
    go_cmd_layout => "go-cmd-layout",
    go_vendor => "go-vendor",
    go_flag_port => "go-flag-port",
    go_runtime_files => "go-runtime-files",
    java_maven_plain => "java-maven-plain",
    java_maven_and_gradle => "java-maven-and-gradle",
    java_no_health_route => "java-no-health-route",
    monorepo_npm_workspaces => "monorepo-npm-workspaces",
    rust_axum => "rust-axum",
    node_engines_range => "node-engines-range",
    node_nx_workspace => "node-nx-workspace",
    node_grpc_server => "node-grpc-server",
    node_stale_lockfile => "node-stale-lockfile",
    python_version_comment => "python-version-comment",
    python_pdm => "python-pdm",
    python_django_with_frontend => "python-django-with-frontend",
    python_dockerfile_steps => "python-dockerfile-steps",
    shell_socat_server => "shell-socat-server",
}

/// Fixtures the end-to-end tier does not build, and why: each is still linted by
/// scripts/validate-fixtures.sh and snapshotted.
const NOT_RUN: &[(&str, &str)] = &[
    ("python-fastapi-poetry", "lint-only here: Poetry's HTTP client verifies TLS with certifi's bundle, which lacks the CA this machine's PyPI access is signed with (pip trusts it through PIP_CERT)"),
    ("dotnet-aspnet-minimal", "lint-only: NuGet and mcr.microsoft.com are not reachable from this machine's builds"),
    ("dotnet-worker", "lint-only: NuGet and mcr.microsoft.com are not reachable from this machine's builds"),
    ("go-cgo-sqlite", "lint-only: go-sqlite3 comes from the Go module proxy, which builds cannot reach"),
    ("go-cobra-serve", "lint-only: cobra comes from the Go module proxy, which builds cannot reach"),
    ("go-grpc-server", "lint-only: grpc-go comes from the Go module proxy, which builds cannot reach"),
    ("java-gradle-kotlin-spring", "lint-only: Spring Boot is not in the engine's offline Maven repository"),
    ("java-spring-boot2-maven", "lint-only: Spring Boot is not in the engine's offline Maven repository"),
    ("java-spring-boot3-maven", "lint-only: Spring Boot is not in the engine's offline Maven repository"),
    ("java-gradle-application", "lint-only: Gradle and Maven Central are not reachable from this machine's builds"),
    ("java-javalin-shade", "lint-only: Javalin is not in the engine's offline Maven repository"),
    ("java-quarkus-fastjar", "lint-only: Quarkus is not in the engine's offline Maven repository"),
    ("java-maven-collection", "several services: run through dockgen verify by the compose tier, not one image"),
    ("monorepo-nested", "several services: the e2e tier runs single-service fixtures"),
    ("monorepo-polyglot", "several services: the e2e tier runs single-service fixtures"),
    ("node-native-addon", "lint-only: node-gyp needs Node headers the engine's stand-in lacks and the prebuilt binaries' host"),
    ("node-express-mongoose", "lint-only: the engine has no MongoDB image (Debian packages neither the server nor mongosh)"),
    ("node-fastify-localhost", "binds localhost only on purpose: detection warns; never healthy by design"),
    ("node-invalid-json", "a broken manifest: dockgen refuses it with file:line (tests/bad_manifests.rs)"),
    ("python-fastapi-uv", "lint-only: its uv.lock carries no registry URLs (committed files name no registry host), so uv sync --locked cannot parse it"),
    ("python-uv-workspace", "lint-only: its uv.lock carries no registry URLs (committed files name no registry host), so uv sync --locked cannot parse it"),
    ("python-pipenv", "lint-only: its Pipfile.lock carries no source URL (committed files name no registry host), so pipenv cannot export it"),
    ("java-invalid-pom", "a broken manifest: dockgen refuses it with file:line:column (tests/bad_manifests.rs)"),
];

/// Every fixture is either built and run here or named with the reason it is not: a new
/// fixture cannot silently skip the end-to-end tier.
#[test]
fn every_fixture_is_run_or_says_why_not() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let backing = ["tests/e2e_backing.rs", "tests/e2e_state.rs"]
        .iter()
        .map(|f| std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(f)).unwrap())
        .collect::<String>();
    let mut unclassified = Vec::new();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let run_here =
            RUNNABLE.contains(&name.as_str()) || backing.contains(&format!("\"{name}\""));
        match NOT_RUN.iter().find(|(f, _)| *f == name) {
            Some((_, why)) if !run_here => say(&format!("e2e {name}: not run: {why}")),
            Some(_) => unclassified.push(format!("{name}: both run and listed in NOT_RUN")),
            None if !run_here => {
                unclassified.push(format!("{name}: neither run nor listed in NOT_RUN"))
            }
            None => {}
        }
    }
    for (name, _) in NOT_RUN {
        if !fixtures.join(name).is_dir() {
            unclassified.push(format!("{name}: listed in NOT_RUN but no such fixture"));
        }
    }
    assert!(unclassified.is_empty(), "{}", unclassified.join("\n"));
}

#[test]
fn compose_node() {
    run_compose("node");
}
#[test]
fn compose_python() {
    run_compose("python");
}
#[test]
fn compose_go() {
    run_compose("go");
}
#[test]
fn compose_java() {
    run_compose("java");
}

/// What the tests need to know about one generated fixture.
struct App {
    dir: PathBuf,
    /// The Dockerfile: `<service folder>/Dockerfile`, built with `dir` (the root) as context.
    dockerfile: PathBuf,
    port: u16,
    health: String,
    /// The compose file's tmpfs mounts of the service (`/tmp` and the folders the app writes).
    tmpfs: Vec<String>,
    /// The health check connects to the port instead of requesting `health` (a gRPC server).
    tcp: bool,
    /// A static site served by dockgen's file server (runtime `static`).
    static_site: bool,
    /// The container-structure-test config dockgen wrote beside the Dockerfile.
    structure_test: PathBuf,
}

fn enabled(what: &str) -> bool {
    if std::env::var("DOCKGEN_E2E").as_deref() == Ok("1") {
        let out = run(docker().args(["info", "--format", "{{.ServerVersion}}"]));
        assert!(
            out.status.success(),
            "DOCKGEN_E2E=1 but the Docker engine does not answer (start it with scripts/e2e.sh):\n{}",
            text(&out)
        );
        return true;
    }
    say(&format!(
        "e2e {what}: skipped: set DOCKGEN_E2E=1 to build and run images (scripts/e2e.sh starts the engine and does)"
    ));
    false
}

fn dockgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dockgen"))
}

fn json(out: &str, what: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{what}: not JSON ({e}):\n{out}"))
}

/// Copies the fixture and generates its files (pinning the runtime version to one the engine
/// has). None when dockgen does not support the fixture's stack yet.
fn generate(fixture: &str, tmp: &Path) -> Option<App> {
    let dir = tmp.join(fixture);
    support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture),
        &dir,
    );

    // Cargo.lock names its registry, so the fixture commits none: the test writes it.
    if dir.join("Cargo.toml").exists() && !dir.join("Cargo.lock").exists() {
        ok(Command::new("cargo")
            .arg("generate-lockfile")
            .current_dir(&dir));
    }
    let plan = run(dockgen()
        .args(["generate", "--plan", "--format", "json"])
        .arg(&dir));
    if plan.status.code() == Some(2) {
        let why = text(&plan);
        let why = why
            .lines()
            .find(|l| l.starts_with("error:"))
            .unwrap_or("")
            .trim();
        say(&format!(
            "e2e {fixture}: not yet supported (dockgen exit 2), skipped: {why}"
        ));
        return None;
    }
    assert!(
        plan.status.success(),
        "dockgen generate --plan {fixture}:\n{}",
        text(&plan)
    );
    let plan = json(
        &String::from_utf8_lossy(&plan.stdout),
        "dockgen generate --plan",
    );
    let services = plan["services"].as_array().expect("plan.services");
    assert_eq!(
        services.len(),
        1,
        "{fixture}: the e2e tier runs single-service fixtures"
    );
    let service_path = services[0]["path"].as_str().unwrap_or(".").to_string();
    let answers = &services[0]["answers"];
    let port = answers["port"]["value"].as_u64().expect("answer port") as u16;
    let health = answers["health"]["value"]
        .as_str()
        .unwrap_or("/")
        .to_string();
    let tcp = answers["probe"]["value"].as_str() == Some("tcp");
    let static_site = answers["runtime"]["value"].as_str() == Some("static");

    let detect = ok(dockgen().args(["detect", "--format", "json"]).arg(&dir));
    let detect = json(&detect, "dockgen detect --format json");
    let language = detect["services"][0]["language"]
        .as_str()
        .unwrap_or("")
        .to_string();

    let mut cmd = dockgen();
    cmd.arg("generate")
        .arg(&dir)
        .args(["--with", "structure-test"]);
    // A fixture's own Dockerfile is evidence for detection; the image under test is dockgen's,
    // written over it as a user who accepts it would (`--force`).
    if dir.join(&service_path).join("Dockerfile").exists() {
        cmd.arg("--force");
    }
    if let (Some(version), Some((_, have, pin))) = (
        answers["version"]["value"].as_str(),
        ENGINE_VERSIONS.iter().find(|(l, _, _)| *l == language),
    ) {
        if !have.contains(&version) {
            say(&format!(
                "e2e {fixture}: {language} {version} has no image on the local engine: generating with --set version={pin}"
            ));
            cmd.arg("--set").arg(format!("version={pin}"));
        }
    }
    let out = run(&mut cmd);
    assert!(
        out.status.success(),
        "dockgen generate {fixture}:\n{}",
        text(&out)
    );

    // The engine builds offline with its built-in frontend: no `# syntax=` resolution.
    let dockerfile = dir.join(&service_path).join("Dockerfile");
    let content = std::fs::read_to_string(&dockerfile).expect("generated Dockerfile");
    let kept: Vec<&str> = content
        .lines()
        .filter(|l| !l.starts_with("# syntax="))
        .collect();
    std::fs::write(&dockerfile, kept.join("\n") + "\n").unwrap();
    let compose: serde_norway::Value = serde_norway::from_str(
        &std::fs::read_to_string(dir.join("compose.yaml")).expect("generated compose.yaml"),
    )
    .expect("compose.yaml is YAML");
    let tmpfs = compose["services"]
        .as_mapping()
        .and_then(|m| m.values().next())
        .and_then(|s| s["tmpfs"].as_sequence())
        .map(|t| {
            t.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let structure_test = dir
        .join(&service_path)
        .join("container-structure-test.yaml");
    Some(App {
        dir,
        structure_test,
        dockerfile,
        port,
        health,
        tmpfs,
        tcp,
        static_site,
    })
}

/// container-structure-test on the built image with the config dockgen wrote: a config that
/// says something the image does not hold fails the fixture. Returns how many tests passed.
fn structure_test(fixture: &str, app: &App, tag: &str) -> usize {
    let bin = structure_test_bin();
    assert!(
        bin.is_file(),
        "{} is missing: install the validators (../shared/validators/install-validators.sh)",
        bin.display()
    );
    assert!(
        app.structure_test.is_file(),
        "dockgen generate --with structure-test wrote no {}",
        app.structure_test.display()
    );
    let out = run(Command::new(&bin)
        .args(["test", "--image", tag, "--config"])
        .arg(&app.structure_test)
        .env("DOCKER_HOST", "unix:///var/run/docker.sock"));
    let log = text(&out);
    assert!(
        out.status.success(),
        "e2e {fixture}: container-structure-test failed:\n{}",
        tail(&log, 60)
    );
    log.lines()
        .find_map(|l| l.trim().strip_prefix("Passes:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// `dockgen report` on the built image: its layers add up to the image, and the layers the
/// Dockerfile's last stage made are named by their Dockerfile line. Returns the bytes added.
fn size_report(fixture: &str, app: &App, tag: &str) -> u64 {
    let out = run(dockgen()
        .args(["report", tag, "--format", "json", "--dockerfile"])
        .arg(&app.dockerfile)
        .env("DOCKGEN_DOCKER", docker_bin()));
    assert!(
        out.status.success(),
        "e2e {fixture}: dockgen report:\n{}",
        text(&out)
    );
    let report = json(
        &String::from_utf8_lossy(&out.stdout),
        "dockgen report --format json",
    );
    let total = report["total"].as_u64().unwrap_or(0);
    let inspect = ok(docker().args(["image", "inspect", "-f", "{{.Size}}", tag]));
    let size: u64 = inspect.trim().parse().unwrap_or(0);
    assert!(
        total > 0 && total.abs_diff(size) * 100 <= size,
        "e2e {fixture}: report total {total} against image size {size}: {report}"
    );
    let named = report["layers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["source"].as_str())
        .collect::<Vec<_>>();
    assert!(
        !named.is_empty() && named.iter().all(|s| s.contains("Dockerfile:")),
        "e2e {fixture}: no layer named by its Dockerfile step: {report}"
    );
    report["added"].as_u64().unwrap_or(0)
}

/// `docker build`; prints the last 40 lines of the log and fails on error. Returns the time.
fn build(fixture: &str, app: &App, tag: &str) -> Duration {
    let start = Instant::now();
    let out = run(docker()
        .args([
            "build",
            "--progress=plain",
            "--target",
            "runtime",
            "-t",
            tag,
            "-f",
        ])
        .arg(&app.dockerfile)
        .arg(&app.dir));
    if !out.status.success() {
        say(&format!(
            "e2e {fixture}: docker build failed; last 40 lines:\n{}",
            tail(&text(&out), 40)
        ));
        panic!("{fixture}: docker build failed");
    }
    start.elapsed()
}

/// `DOCKGEN_E2E_SKIP="a b"`: fixtures not to run here (e.g. one whose build needs a network
/// the engine lacks); each is reported as skipped.
fn skipped_here(fixture: &str) -> bool {
    let skip = std::env::var("DOCKGEN_E2E_SKIP").unwrap_or_default();
    let hit = skip.split([' ', ',']).any(|s| s == fixture);
    if hit {
        say(&format!(
            "e2e {fixture}: skipped: listed in DOCKGEN_E2E_SKIP"
        ));
    }
    hit
}

fn run_fixture(fixture: &str) {
    if !enabled(fixture) || skipped_here(fixture) {
        return;
    }
    let total = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let Some(app) = generate(fixture, tmp.path()) else {
        return;
    };
    let mut cleanup = Cleanup::default();
    let tag = format!("dockgen-e2e-{fixture}:test");
    cleanup.images.push(tag.clone());
    let build_time = build(fixture, &app, &tag);
    let structure = structure_test(fixture, &app, &tag);
    let added = size_report(fixture, &app, &tag);

    let host_port = free_port();
    let name = format!("dockgen-e2e-{fixture}-{}", std::process::id());
    cleanup.containers.push(name.clone());
    let publish = format!("127.0.0.1:{host_port}:{}", app.port);
    // --health-interval=2s overrides the image's 30 s interval so the first probe comes early;
    // the probe command and everything else are the image's own.
    // The compose file's hardening: read-only root, its tmpfs mounts, no capabilities.
    let mut args = vec!["run", "-d", "--name", &name, "-p", &publish, "--read-only"];
    for mount in &app.tmpfs {
        args.extend(["--tmpfs", mount.as_str()]);
    }
    args.extend([
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--health-interval=2s",
        &tag,
    ]);
    ok(docker().args(&args));
    let healthy = wait_healthy(&name, HEALTHY_TIMEOUT);
    let code = answer_from_host(&app, host_port);
    let site = if app.static_site {
        format!(", site: {}", static_site::check(host_port))
    } else {
        String::new()
    };

    let user = ok(docker().args(["inspect", "-f", "{{.Config.User}}", &name]));
    assert_numeric_nonroot_user(&user);
    let uid = process_uid(&name);

    let stop_start = Instant::now();
    ok(docker().args(["stop", "-t", "10", &name]));
    let stop = stop_start.elapsed();
    let exit = ok(docker().args(["inspect", "-f", "{{.State.ExitCode}}", &name]));
    assert!(
        stop < STOP_LIMIT && exit != "137",
        "{fixture}: docker stop took {stop:.1?} (exit code {exit}): SIGTERM is not handled"
    );
    say(&format!(
        "e2e {fixture}: PASS build {:.1}s, structure tests {structure} passed, the app's layers {:.1} MB, healthy after {:.1}s, {} -> {code}{site}, User {user}, process uid {uid}, stop {:.1}s (exit {exit}), total {:.1}s",
        build_time.as_secs_f64(), added as f64 / 1e6, healthy.as_secs_f64(), probe_shown(&app), stop.as_secs_f64(), total.elapsed().as_secs_f64()
    ));
}

/// `image:` and the published `127.0.0.1:HOST:CONTAINER` port of the single service in compose.yaml.
fn compose_service(compose: &str) -> (String, u16, u16) {
    let image_re = regex::Regex::new(r#"(?m)^\s+image:\s*"?([^"\s]+)"?\s*$"#).unwrap();
    let port_re = regex::Regex::new(r#"(?m)^\s+-\s*"?127\.0\.0\.1:(\d+):(\d+)"?\s*$"#).unwrap();
    let image = image_re.captures(compose).expect("image: in compose.yaml")[1].to_string();
    let ports = port_re
        .captures(compose)
        .expect("published 127.0.0.1 port in compose.yaml");
    (image, ports[1].parse().unwrap(), ports[2].parse().unwrap())
}

fn run_compose(stack: &str) {
    if !enabled(&format!("compose ({stack})")) {
        return;
    }
    let total = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let prefix = format!("{stack}-");
    let Some((fixture, app)) = RUNNABLE
        .iter()
        .filter(|f| f.starts_with(&prefix) && !skipped_here(f))
        .find_map(|f| generate(f, tmp.path()).map(|app| (*f, app)))
    else {
        say(&format!(
            "e2e compose ({stack}): no {stack} fixture is supported yet, skipped"
        ));
        return;
    };
    let file = app.dir.join("compose.yaml");
    let mut compose = std::fs::read_to_string(&file).expect("generated compose.yaml");
    let (image, mut host_port, container_port) = compose_service(&compose);
    if !port_is_free(host_port) {
        let free = free_port();
        say(&format!("e2e compose ({stack}): host port {host_port} is taken here: publishing on {free} instead"));
        compose = compose.replace(
            &format!("127.0.0.1:{host_port}:{container_port}"),
            &format!("127.0.0.1:{free}:{container_port}"),
        );
        std::fs::write(&file, &compose).unwrap();
        host_port = free;
    }

    let mut cleanup = Cleanup::default();
    cleanup.images.push(image.clone());
    let project = format!("dockgen-e2e-{stack}-{}", std::process::id());
    cleanup.compose.push((file.clone(), project.clone()));
    // Compose v5 cannot build with BuildKit on this engine: build its image first, then --no-build.
    let build_time = build(fixture, &app, &image);

    let compose_cmd = || {
        let mut c = Command::new(compose_bin());
        c.args(["-p", &project, "-f"]).arg(&file);
        c
    };
    let up_start = Instant::now();
    let up = run(compose_cmd().args(["up", "--no-build", "--wait", "--wait-timeout", "120", "-d"]));
    if !up.status.success() {
        let logs = text(&run(compose_cmd().args(["logs", "--tail", "40"])));
        panic!(
            "{fixture}: docker compose up --wait failed:\n{}\nlogs:\n{logs}",
            text(&up)
        );
    }
    let up_time = up_start.elapsed();
    let code = answer_from_host(&app, host_port);
    let id = ok(compose_cmd().args(["ps", "-q"]));
    let id = id
        .lines()
        .next()
        .expect("a running compose container")
        .to_string();
    let uid = process_uid(&id);

    let down_start = Instant::now();
    ok(compose_cmd().args(["down", "--volumes", "--remove-orphans"]));
    say(&format!(
        "e2e compose ({stack}, {fixture}): PASS build {:.1}s, up --wait {:.1}s, {} -> {code}, process uid {uid}, down {:.1}s, total {:.1}s",
        build_time.as_secs_f64(), up_time.as_secs_f64(), probe_shown(&app), down_start.elapsed().as_secs_f64(), total.elapsed().as_secs_f64()
    ));
}

/// `dockgen verify` on a generated fixture: it builds, starts with compose, finds the service
/// healthy, gets an answer from the host and stops it quickly, and says so as data.
#[test]
fn verify_command() {
    if !enabled("verify") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let Some(app) = generate("node-express-npm", tmp.path()) else {
        return;
    };
    let mut cleanup = Cleanup::default();
    cleanup.images.push("express-npm-app:local".into());
    let out = run(dockgen()
        .args(["verify", "--format", "json"])
        .arg(&app.dir)
        .env("DOCKGEN_DOCKER", docker_bin())
        .env("DOCKGEN_COMPOSE", compose_bin()));
    let report = json(
        &String::from_utf8_lossy(&out.stdout),
        "dockgen verify --format json",
    );
    assert!(out.status.success(), "dockgen verify:\n{}", text(&out));
    assert_eq!(report["schema_version"], 1, "{report}");
    let service = &report["services"][0];
    assert_eq!(service["failure"], Value::Null, "{report}");
    assert_eq!(service["http_status"], 200, "{report}");
    assert_eq!(service["probe"], format!("GET {}", app.health), "{report}");
    assert!(
        service["stop_seconds"].as_f64().unwrap() < STOP_LIMIT.as_secs_f64(),
        "{report}"
    );
    say(&format!("e2e verify: PASS {report}"));
}

/// The request a user makes: GET on the health route, or a TCP connect for a TCP-probed app.
/// Returns the HTTP status (0 for a TCP connect).
fn answer_from_host(app: &App, host_port: u16) -> u16 {
    if !app.tcp {
        return expect_http_ok(host_port, &app.health);
    }
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], host_port));
    std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("TCP connect to 127.0.0.1:{host_port} from the host: {e}"));
    0
}

fn probe_shown(app: &App) -> String {
    if app.tcp {
        "TCP connect".to_string()
    } else {
        format!("GET {}", app.health)
    }
}

//! `dockgen verify`: proof on the user's own machine that the files on disk work. Builds every
//! service of the compose file with BuildKit, starts them as compose would (backing services and
//! hardening included), waits for each HEALTHCHECK, requests the published port from the host,
//! then stops each service and measures how long the stop took. The outcome is a value, printed
//! by the printer; nothing here writes a file.

pub mod engine;
mod overrides;
pub mod ports;
pub mod probe;
pub mod secrets;

use crate::compose_file::ComposeService;
use engine::{ContainerState, Engine};
use serde::Serialize;
use std::path::Path;
use std::time::{Duration, Instant};

/// What happened to one compose service.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServiceOutcome {
    pub name: String,
    /// Seconds the image build took; None for a service that is not built (a database image).
    pub build_seconds: Option<f64>,
    pub image_bytes: Option<u64>,
    /// Seconds from `up` until Docker reported the service healthy (or running, without a
    /// healthcheck).
    pub healthy_seconds: Option<f64>,
    /// The request made from the host: `GET /path` on the published port, or `tcp` (connect).
    pub probe: Option<String>,
    /// The HTTP status of that request; None for a TCP probe or no answer.
    pub http_status: Option<u16>,
    /// The compose file's host port, when something on this machine already listened on it
    /// and the run published the service on `probed_port` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub busy_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probed_port: Option<u16>,
    /// Seconds from `up` until a one-shot job (a migration) exited 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_seconds: Option<f64>,
    /// The `--get` requests made after the probe: `GET /path` and the HTTP status.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<(String, Option<u16>)>,
    /// The container's configured user (`docker inspect .Config.User`).
    pub user: Option<String>,
    pub stop_seconds: Option<f64>,
    /// The first step that failed, and why; None when every step passed.
    pub failure: Option<Failure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// build | start | health | probe | request | stop
    pub step: &'static str,
    pub reason: String,
    /// The last lines of the build or container log.
    pub log: String,
}

/// Options of one run.
pub struct Options {
    /// Longest wait for every service to become healthy.
    pub timeout: Duration,
    /// Leave the services running (no `compose down`).
    pub keep: bool,
    /// Paths requested on every probed service after its health probe passed.
    pub requests: Vec<String>,
}

/// Builds, starts, probes and stops every service of `compose_path` (read as `services`).
pub fn run(
    engine: &Engine,
    compose_path: &Path,
    project: &str,
    services: &[ComposeService],
    options: &Options,
) -> Vec<ServiceOutcome> {
    let root = compose_path.parent().unwrap_or(Path::new("."));
    let mut outcomes: Vec<ServiceOutcome> = services
        .iter()
        .map(|s| ServiceOutcome {
            name: s.name.clone(),
            ..ServiceOutcome::default()
        })
        .collect();

    let mut built: Vec<(String, Option<f64>)> = Vec::new();
    for (service, outcome) in services.iter().zip(&mut outcomes) {
        let Some(build) = &service.build else {
            continue;
        };
        // A migration job shares its app's image and build: built once.
        let key = format!(
            "{}\0{}\0{:?}\0{:?}",
            build.context, build.dockerfile, build.target, service.image
        );
        if let Some((_, took)) = built.iter().find(|(k, _)| *k == key) {
            outcome.build_seconds = *took;
            outcome.image_bytes = service.image.as_deref().and_then(|t| engine.image_size(t));
            continue;
        }
        let tag = service
            .image
            .clone()
            .unwrap_or_else(|| format!("{project}-{}", service.name));
        let context = root.join(&build.context);
        let dockerfile = context.join(&build.dockerfile);
        match engine.build(&context, &dockerfile, build.target.as_deref(), &tag) {
            Ok(took) => {
                outcome.build_seconds = Some(seconds(took));
                outcome.image_bytes = engine.image_size(&tag);
                built.push((key, outcome.build_seconds));
            }
            Err(log) => {
                outcome.failure = Some(Failure {
                    step: "build",
                    reason: format!(
                        "docker build of {} (context {}) failed",
                        Path::new(&build.context).join(&build.dockerfile).display(),
                        build.context
                    ),
                    log,
                });
            }
        }
    }
    if outcomes.iter().any(|o| o.failure.is_some()) {
        return not_started(outcomes, "a build failed");
    }

    let (services, moved) = ports::free(services);
    let services = services.as_slice();
    for m in &moved {
        if let Some(o) = outcomes.iter_mut().find(|o| o.name == m.service) {
            (o.busy_port, o.probed_port) = (Some(m.from), Some(m.to));
        }
    }
    let up_started = Instant::now();
    let overrides = overrides::for_run(services, &moved);
    let mut up_args = vec!["up", "-d", "--no-build"];
    up_args.extend(services.iter().map(|s| s.name.as_str()));
    let up = engine
        .compose(project, compose_path, Some(&overrides), &up_args)
        .and_then(|o| match o.status.success() {
            true => Ok(()),
            false => Err(engine::last_lines(&String::from_utf8_lossy(&o.stderr), 15)),
        });
    if let Err(reason) = up {
        for o in &mut outcomes {
            o.failure = Some(Failure {
                step: "start",
                reason: "docker compose up failed".into(),
                log: reason.clone(),
            });
        }
        down(engine, project, compose_path, options);
        return outcomes;
    }

    let containers: Vec<Option<String>> = services
        .iter()
        .map(|s| engine.container_of(project, compose_path, &s.name))
        .collect();
    wait_ready(
        engine,
        services,
        &containers,
        &mut outcomes,
        up_started,
        options.timeout,
    );

    for ((service, container), outcome) in services.iter().zip(&containers).zip(&mut outcomes) {
        let Some(container) = container else { continue };
        if outcome.failure.is_some() || service.build.is_none() || service.one_shot {
            continue;
        }
        outcome.user = Some(engine.user(container));
        probe_service(service, outcome, engine, container);
        if outcome.failure.is_none() {
            request_paths(service, outcome, engine, container, &options.requests);
        }
    }
    for ((service, container), outcome) in services.iter().zip(&containers).zip(&mut outcomes) {
        let (Some(container), Some(_)) = (container, &service.build) else {
            continue;
        };
        if matches!(engine.state(container), ContainerState::Exited(_)) {
            continue;
        }
        let (took, code) = engine.stop(container);
        outcome.stop_seconds = Some(seconds(took));
        if outcome.failure.is_none() && (code == 137 || took >= Duration::from_secs(10)) {
            outcome.failure = Some(Failure {
                step: "stop",
                reason: format!(
                    "docker stop took {:.1} s and killed it (exit {code}): the process does not exit on SIGTERM",
                    took.as_secs_f64()
                ),
                log: String::new(),
            });
        }
    }
    down(engine, project, compose_path, options);
    outcomes
}

fn wait_ready(
    engine: &Engine,
    services: &[ComposeService],
    containers: &[Option<String>],
    outcomes: &mut [ServiceOutcome],
    started: Instant,
    timeout: Duration,
) {
    loop {
        let mut waiting = false;
        for ((service, container), outcome) in
            services.iter().zip(containers).zip(outcomes.iter_mut())
        {
            if outcome.healthy_seconds.is_some()
                || outcome.completed_seconds.is_some()
                || outcome.failure.is_some()
            {
                continue;
            }
            let Some(container) = container else {
                outcome.failure = Some(Failure {
                    step: "start",
                    reason: "compose started no container for it".into(),
                    log: String::new(),
                });
                continue;
            };
            let failed = |reason: String| Failure {
                step: "health",
                reason,
                log: engine.logs(container, 20),
            };
            match engine.state(container) {
                ContainerState::Healthy => {
                    outcome.healthy_seconds = Some(seconds(started.elapsed()));
                }
                ContainerState::Running if !service.healthcheck => {
                    outcome.healthy_seconds = Some(seconds(started.elapsed()));
                }
                ContainerState::Exited(0) if service.one_shot => {
                    outcome.completed_seconds = Some(seconds(started.elapsed()));
                }
                ContainerState::Running if service.one_shot => waiting = true,
                ContainerState::Exited(code) => {
                    outcome.failure =
                        Some(failed(format!("the container exited with code {code}")));
                }
                ContainerState::Restarting(code) => {
                    // A restarted container reports its new run's code: 0 says nothing.
                    let code = match code {
                        0 => String::new(),
                        n => format!(" (exit code {n})"),
                    };
                    outcome.failure = Some(failed(format!(
                        "the container keeps exiting{code} and its restart policy starts it again"
                    )));
                }
                ContainerState::Unhealthy => {
                    outcome.failure = Some(failed("Docker reports it unhealthy".into()));
                }
                _ if started.elapsed() > timeout => {
                    outcome.failure =
                        Some(failed(format!("not healthy after {} s", timeout.as_secs())));
                }
                _ => waiting = true,
            }
        }
        if !waiting {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn probe_service(
    service: &ComposeService,
    outcome: &mut ServiceOutcome,
    engine: &Engine,
    container: &str,
) {
    let Some(port) = service.ports.first() else {
        outcome.probe = Some("none (no published port)".into());
        return;
    };
    let mut last = String::new();
    for _ in 0..5 {
        match &service.health_path {
            Some(path) => {
                outcome.probe = Some(format!("GET {path}"));
                match probe::http_status(port.host, path) {
                    Ok(code) => {
                        outcome.http_status = Some(code);
                        if code < 400 {
                            return;
                        }
                        last = format!("HTTP {code}");
                    }
                    Err(e) => last = e,
                }
            }
            None => {
                outcome.probe = Some("tcp".into());
                match probe::tcp_open(port.host) {
                    Ok(()) => return,
                    Err(e) => last = e,
                }
            }
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    outcome.failure = Some(Failure {
        step: "probe",
        reason: format!(
            "{} on 127.0.0.1:{} (container port {}): {last}",
            outcome.probe.as_deref().unwrap_or(""),
            port.host,
            port.container
        ),
        log: engine.logs(container, 20),
    });
}

/// The `--get` paths, once each on the published port: a status of 400 or more fails the
/// service at step `request`.
fn request_paths(
    service: &ComposeService,
    outcome: &mut ServiceOutcome,
    engine: &Engine,
    container: &str,
    paths: &[String],
) {
    let Some(port) = service.ports.first() else {
        return;
    };
    for path in paths {
        let status = probe::http_status(port.host, path);
        outcome
            .requests
            .push((format!("GET {path}"), status.as_ref().ok().copied()));
        let bad = match status {
            Ok(code) if code < 400 => continue,
            Ok(code) => format!("HTTP {code}"),
            Err(e) => e,
        };
        outcome.failure = Some(Failure {
            step: "request",
            reason: format!("GET {path} on 127.0.0.1:{}: {bad}", port.host),
            log: engine.logs(container, 20),
        });
        return;
    }
}

fn not_started(mut outcomes: Vec<ServiceOutcome>, why: &str) -> Vec<ServiceOutcome> {
    for o in &mut outcomes {
        if o.failure.is_none() {
            o.failure = Some(Failure {
                step: "start",
                reason: format!("not started: {why}"),
                log: String::new(),
            });
        }
    }
    outcomes
}

fn down(engine: &Engine, project: &str, compose_path: &Path, options: &Options) {
    if !options.keep {
        let _ = engine.compose(
            project,
            compose_path,
            None,
            &["down", "--volumes", "--remove-orphans", "-t", "5"],
        );
    }
}

fn seconds(d: Duration) -> f64 {
    (d.as_secs_f64() * 10.0).round() / 10.0
}

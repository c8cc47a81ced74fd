//! Helpers for the end-to-end tier (tests/e2e.rs): running dockgen and the Docker CLI, a Drop
//! guard that removes every container, compose project and image a test created (also when the
//! test panics), and a plain HTTP/1.0 client so the host-side check needs no extra crate.

#![allow(dead_code)]

pub mod static_site;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Prints a line that `cargo test` shows even when it captures output: the harness captures
/// `print!`/`eprint!`, not writes to the stderr handle itself.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The Docker client with BuildKit built in (Debian's), overridable with `DOCKER`.
pub fn docker_bin() -> String {
    std::env::var("DOCKER").unwrap_or_else(|_| "/usr/bin/docker".to_string())
}

/// Docker Compose v5 as installed by the shared install-validators.sh (`DOCKGEN_COMPOSE` overrides).
pub fn compose_bin() -> PathBuf {
    if let Ok(p) = std::env::var("DOCKGEN_COMPOSE") {
        return PathBuf::from(p);
    }
    let home = std::env::var("VALIDATORS_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            let cache = std::env::var("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|_| {
                    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into()))
                        .join(".cache")
                });
            cache.join("dockgen-validators")
        });
    home.join("venv/bin/docker-compose")
}

/// container-structure-test as installed by the shared install-validators.sh, beside compose.
pub fn structure_test_bin() -> PathBuf {
    compose_bin().with_file_name("container-structure-test")
}

pub fn docker() -> Command {
    let mut c = Command::new(docker_bin());
    c.env("DOCKER_BUILDKIT", "1");
    c
}

/// Runs a command and returns its output; a command that cannot start fails the test.
pub fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs a command that must succeed; returns its trimmed stdout.
pub fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(out.status.success(), "{cmd:?} failed:\n{}", text(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// A TCP port nobody listens on right now on 127.0.0.1.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().unwrap().port()
}

pub fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// HTTP/1.0 GET on 127.0.0.1:port; the status code of the answer.
pub fn http_status(port: u16, path: &str) -> Result<u16, String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut s =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: dockgen-e2e\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    let head = String::from_utf8_lossy(&buf);
    let status_line = head.lines().next().unwrap_or("");
    status_line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("not an HTTP answer: {status_line:?}"))
}

/// GETs until a 2xx/3xx answer (a few tries: the app answered the health probe already).
pub fn expect_http_ok(port: u16, path: &str) -> u16 {
    let mut last = String::new();
    for _ in 0..5 {
        match http_status(port, path) {
            Ok(code) if (200..400).contains(&code) => return code,
            Ok(code) => last = format!("HTTP {code}"),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    panic!("GET http://127.0.0.1:{port}{path} from the host: {last}");
}

/// Removes what a test created, in reverse order of importance, even when the test panics.
#[derive(Default)]
pub struct Cleanup {
    pub containers: Vec<String>,
    pub images: Vec<String>,
    /// (compose file, project name) to `down`.
    pub compose: Vec<(PathBuf, String)>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for (file, project) in &self.compose {
            let _ = Command::new(compose_bin())
                .args(["-p", project, "-f"])
                .arg(file)
                .args(["down", "--volumes", "--remove-orphans", "--timeout", "5"])
                .stdin(Stdio::null())
                .output();
        }
        for c in &self.containers {
            let _ = docker().args(["rm", "-f", "-v", c]).output();
        }
        for i in &self.images {
            let _ = docker().args(["rmi", "-f", i]).output();
        }
    }
}

/// Waits until `docker inspect` reports `healthy`; panics with the health log and the container
/// log when it becomes `unhealthy`, exits, or the timeout passes. Returns the time it took.
pub fn wait_healthy(container: &str, timeout: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let state = ok(docker().args([
            "inspect",
            "-f",
            "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}",
            container,
        ]));
        let (status, health) = state.split_once(' ').unwrap_or((&state, ""));
        if health == "healthy" {
            return start.elapsed();
        }
        let failed = status != "running" || health == "unhealthy" || health == "no-healthcheck";
        if failed || start.elapsed() > timeout {
            let probes = text(&run(docker().args([
                "inspect",
                "-f",
                "{{json .State.Health}}",
                container,
            ])));
            let logs = text(&run(docker().args(["logs", "--tail", "40", container])));
            panic!(
                "container {container} not healthy after {:.0?} (state: {state})\nhealth: {probes}\nlogs:\n{logs}",
                start.elapsed()
            );
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// `uid:gid` (or `uid`) with a numeric, non-zero uid.
pub fn assert_numeric_nonroot_user(user: &str) {
    let uid = user.split(':').next().unwrap_or("");
    assert!(
        !uid.is_empty() && uid.chars().all(|c| c.is_ascii_digit()),
        ".Config.User is {user:?}: expected a numeric uid"
    );
    assert_ne!(
        uid.parse::<u32>().unwrap(),
        0,
        ".Config.User is {user:?}: runs as root"
    );
    if let Some(gid) = user.split(':').nth(1) {
        assert!(
            gid.chars().all(|c| c.is_ascii_digit()),
            ".Config.User is {user:?}: expected a numeric gid"
        );
    }
}

/// The real uid of the container's main process, read on the host from /proc/<pid>/status
/// (distroless images have no shell or `id` for `docker exec`).
pub fn process_uid(container: &str) -> u32 {
    let pid = ok(docker().args(["inspect", "-f", "{{.State.Pid}}", container]));
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("read /proc/{pid}/status: {e}"));
    let line = status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .expect("Uid: line in /proc/<pid>/status");
    // Uid: real effective saved filesystem — all four must be non-root; return the effective one.
    let ids: Vec<u32> = line[4..]
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    assert!(
        ids.iter().all(|&id| id != 0),
        "process {pid} of {container} runs with a root uid: {line}"
    );
    ids[1]
}

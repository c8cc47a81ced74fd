//! The Docker engine as `dockgen verify` uses it: the docker and compose commands, run as child
//! processes. Nothing else in dockgen starts processes.
//!
//! `DOCKGEN_DOCKER` names the docker client (default `docker`, which must build with BuildKit);
//! `DOCKGEN_COMPOSE` the compose command (default `docker compose`, else `docker-compose`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Engine {
    docker: String,
    compose: Vec<String>,
    /// Variables set for every compose command (throwaway secrets).
    compose_env: Vec<(String, String)>,
}

/// The state of a started container, as `docker inspect` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    Starting,
    Healthy,
    Unhealthy,
    /// Running, with no healthcheck.
    Running,
    Exited(i64),
    /// The process exited (with this code) and the restart policy started it again.
    Restarting(i64),
}

impl Engine {
    /// Finds a docker client whose daemon answers, and a compose command; `Err` says which is
    /// missing.
    pub fn connect() -> Result<Engine, String> {
        let docker = std::env::var("DOCKGEN_DOCKER").unwrap_or_else(|_| "docker".into());
        let info = Command::new(&docker)
            .args(["info", "--format", "{{.ServerVersion}}"])
            .output()
            .map_err(|e| format!("cannot run `{docker}`: {e}"))?;
        if !info.status.success() {
            return Err(format!(
                "the Docker engine does not answer (`{docker} info`): {}",
                last_lines(&text(&info), 3)
            ));
        }
        let compose = match std::env::var("DOCKGEN_COMPOSE") {
            Ok(c) => shell_words::split(&c).map_err(|e| format!("DOCKGEN_COMPOSE: {e}"))?,
            Err(_) => {
                let plugin = vec![docker.clone(), "compose".to_string()];
                let standalone = vec!["docker-compose".to_string()];
                [plugin, standalone]
                    .into_iter()
                    .find(|c| {
                        Command::new(&c[0])
                            .args(&c[1..])
                            .arg("version")
                            .output()
                            .is_ok_and(|o| o.status.success())
                    })
                    .ok_or(
                        "neither `docker compose` nor `docker-compose` runs (set DOCKGEN_COMPOSE)",
                    )?
            }
        };
        if compose.is_empty() {
            return Err("DOCKGEN_COMPOSE is empty".into());
        }
        Ok(Engine {
            docker,
            compose,
            compose_env: Vec::new(),
        })
    }

    /// The docker client alone, for commands that start nothing with compose (`report`).
    pub fn connect_docker() -> Result<Engine, String> {
        let docker = std::env::var("DOCKGEN_DOCKER").unwrap_or_else(|_| "docker".into());
        let info = output(Command::new(&docker).args(["info", "--format", "{{.ServerVersion}}"]))?;
        if !info.status.success() {
            return Err(format!(
                "the Docker engine does not answer (`{docker} info`): {}",
                last_lines(&text(&info), 3)
            ));
        }
        Ok(Engine {
            docker,
            compose: Vec::new(),
            compose_env: Vec::new(),
        })
    }

    /// The image's history, newest layer first: (the step that made it, its size in bytes).
    pub fn history(&self, image: &str) -> Result<Vec<(String, u64)>, String> {
        let out = output(Command::new(&self.docker).args([
            "history",
            "--no-trunc",
            "--human=false",
            "--format",
            "{{json .}}",
            image,
        ]))?;
        if !out.status.success() {
            return Err(last_lines(&text(&out), 3));
        }
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let entry: serde_json::Value = serde_json::from_str(l)
                    .map_err(|e| format!("docker history printed something else ({e}): {l}"))?;
                let step = entry["CreatedBy"].as_str().unwrap_or_default().to_string();
                let size = match &entry["Size"] {
                    serde_json::Value::String(s) => s.parse().unwrap_or(0),
                    other => other.as_u64().unwrap_or(0),
                };
                Ok((step, size))
            })
            .collect()
    }

    /// `docker build` with BuildKit. Ok(elapsed) or Err(the last lines of the build log).
    pub fn build(
        &self,
        context: &Path,
        dockerfile: &Path,
        target: Option<&str>,
        tag: &str,
    ) -> Result<Duration, String> {
        let start = Instant::now();
        let mut cmd = Command::new(&self.docker);
        cmd.env("DOCKER_BUILDKIT", "1")
            .args(["build", "--progress=plain", "-t", tag, "-f"])
            .arg(dockerfile);
        if let Some(target) = target {
            cmd.args(["--target", target]);
        }
        let out = output(cmd.arg(context))?;
        if out.status.success() {
            Ok(start.elapsed())
        } else {
            Err(last_lines(&text(&out), 25))
        }
    }

    pub fn image_size(&self, tag: &str) -> Option<u64> {
        let out =
            output(Command::new(&self.docker).args(["image", "inspect", "-f", "{{.Size}}", tag]))
                .ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    }

    /// Sets `name=value` in the environment of every compose command from now on.
    pub fn set_compose_env(&mut self, name: &str, value: &str) {
        self.compose_env.push((name.to_string(), value.to_string()));
    }

    /// `compose -p PROJECT -f FILE [-f - (override on stdin)] ARGS...`
    pub fn compose(
        &self,
        project: &str,
        file: &Path,
        override_yaml: Option<&str>,
        args: &[&str],
    ) -> Result<Output, String> {
        let Some((program, rest)) = self.compose.split_first() else {
            return Err("no compose command (connected to docker alone)".into());
        };
        let mut cmd = Command::new(program);
        cmd.args(rest)
            .envs(self.compose_env.iter().map(|(k, v)| (k, v)))
            .args(["-p", project, "--project-directory"])
            .arg(file.parent().unwrap_or(Path::new(".")))
            .arg("-f")
            .arg(file);
        if override_yaml.is_some() {
            cmd.args(["-f", "-"]);
        }
        cmd.args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.compose.join(" ")))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(override_yaml.unwrap_or("").as_bytes());
        }
        child.wait_with_output().map_err(|e| e.to_string())
    }

    /// The container compose started for `service`.
    pub fn container_of(&self, project: &str, file: &Path, service: &str) -> Option<String> {
        let out = self
            .compose(project, file, None, &["ps", "-a", "-q", service])
            .ok()?;
        text_stdout(&out).lines().next().map(str::to_string)
    }

    pub fn state(&self, container: &str) -> ContainerState {
        let out = output(Command::new(&self.docker).args([
            "inspect",
            "-f",
            "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{end}}",
            container,
        ]));
        let line = out.map(|o| text_stdout(&o)).unwrap_or_default();
        let mut words = line.split_whitespace();
        let (status, code, restarts, health) =
            (words.next(), words.next(), words.next(), words.next());
        let code = code.and_then(|c| c.parse().ok()).unwrap_or(-1);
        let restarted = restarts.is_some_and(|r| r != "0");
        match (status, health) {
            (Some("exited" | "dead"), _) => ContainerState::Exited(code),
            (Some("restarting"), _) => ContainerState::Restarting(code),
            (Some("running"), _) if restarted && health != Some("healthy") => {
                ContainerState::Restarting(code)
            }
            (Some("running"), Some("healthy")) => ContainerState::Healthy,
            (Some("running"), Some("unhealthy")) => ContainerState::Unhealthy,
            (Some("running"), None) => ContainerState::Running,
            _ => ContainerState::Starting,
        }
    }

    /// The configured user of a container (`docker inspect .Config.User`).
    pub fn user(&self, container: &str) -> String {
        output(Command::new(&self.docker).args(["inspect", "-f", "{{.Config.User}}", container]))
            .map(|o| text_stdout(&o))
            .unwrap_or_default()
    }

    /// `docker stop -t 10`: how long it took and the exit code the container ended with.
    pub fn stop(&self, container: &str) -> (Duration, i64) {
        let start = Instant::now();
        let _ = output(Command::new(&self.docker).args(["stop", "-t", "10", container]));
        let took = start.elapsed();
        let code = output(Command::new(&self.docker).args([
            "inspect",
            "-f",
            "{{.State.ExitCode}}",
            container,
        ]))
        .ok()
        .and_then(|o| text_stdout(&o).parse().ok())
        .unwrap_or(-1);
        (took, code)
    }

    pub fn logs(&self, container: &str, lines: usize) -> String {
        let out = output(Command::new(&self.docker).args([
            "logs",
            "--tail",
            &lines.to_string(),
            container,
        ]));
        out.map(|o| last_lines(&text(&o), lines))
            .unwrap_or_default()
    }
}

fn output(cmd: &mut Command) -> Result<Output, String> {
    cmd.stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn text_stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn last_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

//! What dockgen reads from a compose file: each service's image, how it is built, the ports it
//! publishes on the host and the HTTP path its healthcheck requests. Detection takes a
//! repository's own compose file as evidence of where its services are; `dockgen verify` reads
//! the file on disk as it is (hand edits included), so it checks what is committed.

use crate::error::{Error, Position, Result};
use serde_norway::Value;
use std::path::Path;

/// Compose files in the order Compose itself looks for them.
pub const NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// How a service's image is built: `build:` of the compose file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    /// Build context, relative to the compose file's folder.
    pub context: String,
    /// Dockerfile, relative to the context (compose's rule); `Dockerfile` when not given.
    pub dockerfile: String,
    pub target: Option<String>,
}

/// One published port: `127.0.0.1:HOST:CONTAINER`, `HOST:CONTAINER` or a long-form entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub host: u16,
    pub container: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeService {
    pub name: String,
    pub image: Option<String>,
    pub build: Option<Build>,
    pub ports: Vec<Published>,
    /// The service defines a healthcheck (and does not disable it).
    pub healthcheck: bool,
    /// The HTTP path its healthcheck requests, when the probe is an HTTP request.
    pub health_path: Option<String>,
}

/// Parses the compose file `text` read from `path`.
pub fn parse(path: &Path, text: &str) -> Result<Vec<ComposeService>> {
    let doc: Value = serde_norway::from_str(text).map_err(|e| {
        let position = e.location().map(|l| Position {
            line: l.line(),
            column: l.column(),
        });
        Error::invalid_input(path, position, format!("not valid YAML: {e}"))
    })?;
    let Some(services) = doc.get("services").and_then(Value::as_mapping) else {
        return Err(Error::invalid_input(
            path,
            None,
            "expected a top-level `services:` mapping",
        ));
    };
    let mut out = Vec::new();
    for (name, service) in services {
        let Some(name) = name.as_str() else { continue };
        out.push(ComposeService {
            name: name.to_string(),
            image: service
                .get("image")
                .and_then(Value::as_str)
                .map(String::from),
            build: build_of(service.get("build")),
            ports: service
                .get("ports")
                .and_then(Value::as_sequence)
                .map(|ports| ports.iter().filter_map(published).collect())
                .unwrap_or_default(),
            healthcheck: service
                .get("healthcheck")
                .is_some_and(|h| h.get("disable").and_then(Value::as_bool) != Some(true)),
            health_path: service
                .get("healthcheck")
                .and_then(|h| h.get("test"))
                .and_then(health_path),
        });
    }
    Ok(out)
}

fn build_of(build: Option<&Value>) -> Option<Build> {
    match build? {
        Value::String(context) => Some(Build {
            context: context.clone(),
            dockerfile: "Dockerfile".into(),
            target: None,
        }),
        map @ Value::Mapping(_) => Some(Build {
            context: map
                .get("context")
                .and_then(Value::as_str)
                .unwrap_or(".")
                .to_string(),
            dockerfile: map
                .get("dockerfile")
                .and_then(Value::as_str)
                .unwrap_or("Dockerfile")
                .to_string(),
            target: map.get("target").and_then(Value::as_str).map(String::from),
        }),
        _ => None,
    }
}

fn published(port: &Value) -> Option<Published> {
    match port {
        Value::String(s) => {
            let s = s.split('/').next()?;
            let parts: Vec<&str> = s.rsplitn(3, ':').collect();
            match parts.as_slice() {
                [container, host, ..] => Some(Published {
                    host: host.parse().ok()?,
                    container: container.parse().ok()?,
                }),
                _ => None,
            }
        }
        Value::Mapping(_) => Some(Published {
            host: number(port.get("published")?)?,
            container: number(port.get("target")?)?,
        }),
        _ => None,
    }
}

fn number(v: &Value) -> Option<u16> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The path of the first `http://host[:port]/path` in the probe's words, or, for a probe
/// binary called as `PROBE host:port /path`, the word after `host:port`.
fn health_path(test: &Value) -> Option<String> {
    let words: Vec<&str> = match test {
        Value::Sequence(words) => words.iter().filter_map(Value::as_str).collect(),
        Value::String(line) => line.split_whitespace().collect(),
        _ => return None,
    };
    for word in &words {
        if let Some(at) = word.find("http://").or_else(|| word.find("https://")) {
            let rest = &word[at..];
            let rest = &rest[rest.find("//")? + 2..];
            let end = rest
                .find(|c: char| c == '\'' || c == '"' || c.is_whitespace() || c == ')')
                .unwrap_or(rest.len());
            let url = &rest[..end];
            return Some(
                url.find('/')
                    .map_or("/".to_string(), |i| url[i..].to_string()),
            );
        }
    }
    words.windows(2).find_map(|pair| {
        let host_port = pair[0]
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok());
        (host_port && pair[1].starts_with('/')).then(|| pair[1].to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPOSE: &str = r#"
name: "shop"
services:
  api:
    build:
      context: "."
      dockerfile: "apps/api/Dockerfile"
      target: runtime
    image: "api:local"
    ports:
      - "127.0.0.1:3000:3000"
    healthcheck:
      test: ["CMD", "/nodejs/bin/node", "-e", "require('http').get('http://127.0.0.1:3000/api/health', (r) => 0)"]
  go:
    build: ./go
    ports:
      - "8081:8080"
      - published: 9000
        target: 9090
    healthcheck:
      test: ["CMD", "/usr/local/bin/healthcheck", "127.0.0.1:8080", "/healthz"]
  db:
    image: postgres:17
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U app"]
"#;

    #[test]
    fn reads_build_ports_and_health_paths() {
        let services = parse(Path::new("compose.yaml"), COMPOSE).unwrap();
        assert_eq!(services.len(), 3);
        let api = &services[0];
        assert_eq!(api.image.as_deref(), Some("api:local"));
        assert_eq!(
            api.build,
            Some(Build {
                context: ".".into(),
                dockerfile: "apps/api/Dockerfile".into(),
                target: Some("runtime".into()),
            })
        );
        assert_eq!(
            api.ports,
            vec![Published {
                host: 3000,
                container: 3000
            }]
        );
        assert_eq!(api.health_path.as_deref(), Some("/api/health"));

        let go = &services[1];
        assert_eq!(go.build.as_ref().unwrap().context, "./go");
        assert_eq!(
            go.ports,
            vec![
                Published {
                    host: 8081,
                    container: 8080
                },
                Published {
                    host: 9000,
                    container: 9090
                }
            ]
        );
        assert_eq!(go.health_path.as_deref(), Some("/healthz"));

        let db = &services[2];
        assert!(db.build.is_none() && db.healthcheck && db.health_path.is_none());
    }

    #[test]
    fn invalid_yaml_names_the_line() {
        let err = parse(Path::new("compose.yaml"), "services:\n  a: [\n").unwrap_err();
        assert!(err.to_string().starts_with("compose.yaml:"), "{err}");
        let err = parse(Path::new("compose.yaml"), "name: x\n").unwrap_err();
        assert!(err.to_string().contains("services"), "{err}");
    }
}

//! The image a Dockerfile's last stage builds, as far as the Dockerfile itself says: its base,
//! user, working folder, variables, ports, entrypoint, command and health probe. Read from the
//! Dockerfile dockgen rendered, so that the structure test asserts what the build was written
//! to produce, with the rules Docker applies (a stage built `FROM` another inherits its
//! settings; an ENTRYPOINT resets the command it inherited).

use crate::detect::dockerfile_evidence::logical_lines;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    /// The external image the last stage starts from (through any earlier stages).
    pub base: String,
    pub user: Option<String>,
    pub workdir: Option<String>,
    /// Variables with literal values, in order.
    pub env: Vec<(String, String)>,
    /// `3000/tcp`, as the image configuration records them.
    pub exposed: Vec<String>,
    /// None when the Dockerfile does not set it (the base image's applies).
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    /// The exec-form health probe's words; None for none, or a shell-form probe.
    pub healthcheck: Option<Vec<String>>,
}

/// The last stage's configuration.
pub fn last_stage(dockerfile: &str) -> ImageConfig {
    let mut args: BTreeMap<String, String> = BTreeMap::new();
    let mut stages: Vec<(Option<String>, ImageConfig)> = Vec::new();
    let mut cmd_set_here = false;
    for (_, keyword, rest) in instructions(dockerfile) {
        let rest = rest.as_str();
        if keyword == "FROM" {
            let (image, name) = from_stage(rest, &args);
            let inherited = stages
                .iter()
                .rev()
                .find(|(n, _)| n.as_deref() == Some(image.to_lowercase().as_str()))
                .map(|(_, c)| c.clone());
            let config = inherited.unwrap_or(ImageConfig {
                base: image,
                ..ImageConfig::default()
            });
            stages.push((name, config));
            cmd_set_here = false;
            continue;
        }
        let Some((_, stage)) = stages.last_mut() else {
            // Before the first FROM only ARG is allowed: its defaults are the global ones.
            if keyword == "ARG" {
                global_arg(rest, &mut args);
            }
            continue;
        };
        match keyword.as_str() {
            "USER" => stage.user = Some(rest.to_string()),
            "WORKDIR" => {
                stage.workdir = Some(match (&stage.workdir, rest.starts_with('/')) {
                    (Some(base), false) => format!("{}/{rest}", base.trim_end_matches('/')),
                    _ => rest.to_string(),
                })
            }
            "ENV" => {
                for (k, v) in env_pairs(rest) {
                    stage.env.retain(|(name, _)| *name != k);
                    if !v.contains('$') {
                        stage.env.push((k, v));
                    }
                }
            }
            "EXPOSE" => {
                for port in rest.split_whitespace() {
                    let port = match port.contains('/') {
                        true => port.to_string(),
                        false => format!("{port}/tcp"),
                    };
                    if !stage.exposed.contains(&port) {
                        stage.exposed.push(port);
                    }
                }
            }
            "ENTRYPOINT" => {
                stage.entrypoint = Some(exec_or_shell(rest));
                // Docker: an ENTRYPOINT resets a command inherited from the stage's base.
                if !cmd_set_here {
                    stage.cmd = Some(Vec::new());
                }
            }
            "CMD" => {
                stage.cmd = Some(exec_or_shell(rest));
                cmd_set_here = true;
            }
            "HEALTHCHECK" => {
                stage.healthcheck = rest
                    .find(" CMD ")
                    .or_else(|| rest.starts_with("CMD ").then_some(0))
                    .and_then(|at| {
                        let probe = rest[at..].trim_start().trim_start_matches("CMD").trim();
                        serde_json::from_str::<Vec<String>>(probe).ok()
                    });
            }
            _ => {}
        }
    }
    stages.pop().map(|(_, c)| c).unwrap_or_default()
}

/// A Dockerfile's instructions: the line each starts on, its keyword in capitals, the rest.
pub fn instructions(dockerfile: &str) -> Vec<(usize, String, String)> {
    logical_lines(dockerfile)
        .into_iter()
        .map(|(line, instruction)| {
            let (keyword, rest) = instruction
                .split_once(char::is_whitespace)
                .map_or((instruction.as_str(), ""), |(k, r)| (k, r.trim()));
            (line, keyword.to_ascii_uppercase(), rest.to_string())
        })
        .collect()
}

/// A `FROM` line's image (the global ARG defaults applied) and its stage name, lowercased.
pub fn from_stage(rest: &str, args: &BTreeMap<String, String>) -> (String, Option<String>) {
    let words: Vec<&str> = rest
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .collect();
    let image = substitute(words.first().copied().unwrap_or_default(), args);
    let name = match words.as_slice() {
        [_, as_, name] if as_.eq_ignore_ascii_case("as") => Some(name.to_lowercase()),
        _ => None,
    };
    (image, name)
}

/// A global `ARG NAME=default` (before the first FROM), recorded for `from_stage`.
pub fn global_arg(rest: &str, args: &mut BTreeMap<String, String>) {
    if let Some((k, v)) = rest.split_once('=') {
        args.insert(k.trim().to_string(), unquote(v.trim()));
    }
}

/// `["a", "b"]` as words; the shell form runs in `/bin/sh -c`, as Docker runs it.
fn exec_or_shell(rest: &str) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(rest)
        .unwrap_or_else(|_| vec!["/bin/sh".into(), "-c".into(), rest.to_string()])
}

/// `ENV A=1 B="two words"` or the legacy `ENV A value`.
fn env_pairs(rest: &str) -> Vec<(String, String)> {
    let words = shell_words::split(rest).unwrap_or_default();
    if words.first().is_some_and(|w| w.contains('=')) {
        words
            .iter()
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    } else {
        match rest.split_once(char::is_whitespace) {
            Some((k, v)) => vec![(k.to_string(), v.trim().to_string())],
            None => Vec::new(),
        }
    }
}

fn unquote(value: &str) -> String {
    value.trim_matches('"').to_string()
}

/// `${NAME}` and `$NAME` replaced by the global ARG defaults.
fn substitute(text: &str, args: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in args {
        out = out
            .replace(&format!("${{{k}}}"), v)
            .replace(&format!("${k}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_stage_inherits_from_an_earlier_one_and_entrypoint_resets_cmd() {
        let dockerfile = r#"# syntax=docker/dockerfile:1
ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-trixie-slim AS base
WORKDIR /app
ENV A=1
CMD ["old"]

FROM base AS runtime
WORKDIR src
ENV NODE_ENV=production PATH=/app/bin:$PATH
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s \
    CMD ["/usr/local/bin/node", "-e", "x"]
ENTRYPOINT ["/usr/local/bin/node"]
"#;
        let c = last_stage(dockerfile);
        assert_eq!(c.base, "node:22-trixie-slim");
        assert_eq!(c.workdir.as_deref(), Some("/app/src"));
        assert_eq!(
            c.env,
            [
                ("A".into(), "1".into()),
                ("NODE_ENV".into(), "production".into())
            ]
        );
        assert_eq!(c.user.as_deref(), Some("10001:10001"));
        assert_eq!(c.exposed, ["3000/tcp"]);
        assert_eq!(c.entrypoint, Some(vec!["/usr/local/bin/node".to_string()]));
        assert_eq!(c.cmd, Some(Vec::new()), "the inherited CMD is reset");
        assert_eq!(
            c.healthcheck,
            Some(vec!["/usr/local/bin/node".into(), "-e".into(), "x".into()])
        );
    }

    #[test]
    fn a_cmd_after_the_entrypoint_in_the_same_stage_stays() {
        let c =
            last_stage("FROM gcr.io/distroless/static\nENTRYPOINT [\"/app\"]\nCMD [\"serve\"]\n");
        assert_eq!(c.cmd, Some(vec!["serve".to_string()]));
        let c =
            last_stage("FROM gcr.io/distroless/static\nCMD [\"serve\"]\nENTRYPOINT [\"/app\"]\n");
        assert_eq!(c.cmd, Some(vec!["serve".to_string()]));
        let c = last_stage("FROM x\nHEALTHCHECK NONE\n");
        assert_eq!(c.healthcheck, None);
        assert_eq!(c.entrypoint, None);
    }
}

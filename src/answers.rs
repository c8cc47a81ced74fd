//! Answers: the values a preset's templates render with, each tagged with where it came from.
//! Precedence, highest first: `--set` flag, wizard, dockgen.toml, detection, preset default.
//! Every value is checked against its declared type here, so nothing read from a repository
//! reaches a template unless it is inert data of the expected shape.

use crate::error::{Error, Result};
use crate::facts::{Fact, ServiceFacts};
use crate::preset::{AnswerSpec, AnswerType, Preset};
use crate::project_file::{ServiceEntry, FILE_NAME};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Flag,
    Wizard,
    #[serde(rename = "dockgen.toml")]
    ProjectFile,
    Detected,
    Default,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub value: Value,
    pub origin: Origin,
    /// For detected answers, the evidence (`path:line`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A `--set [service:]key=value` from the command line (or an answer from the wizard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub service: Option<String>,
    pub key: String,
    pub raw: String,
    pub origin: Origin,
}

impl Override {
    /// Parses `key=value` or `service:key=value`.
    pub fn parse_flag(text: &str) -> Result<Override> {
        let (target, raw) = text.split_once('=').ok_or_else(|| {
            Error::Usage(format!(
                "--set {text}: expected key=value, e.g. --set port=8080"
            ))
        })?;
        let (service, key) = match target.rsplit_once(':') {
            Some((s, k)) => (Some(s.to_string()), k),
            None => (None, target),
        };
        Ok(Override {
            service,
            key: key.trim().to_string(),
            raw: raw.to_string(),
            origin: Origin::Flag,
        })
    }
}

pub type Answers = BTreeMap<String, Answer>;

pub fn resolve(
    preset: &Preset,
    facts: &ServiceFacts,
    recorded: Option<&ServiceEntry>,
    overrides: &[Override],
) -> Result<Answers> {
    let detected = detected_values(facts);
    if let Some(entry) = recorded {
        for (key, rec) in &entry.answers {
            if !preset.answers.contains_key(key) {
                return Err(Error::invalid_settings(
                    FILE_NAME,
                    Some(rec.position),
                    format!(
                        "unknown key '{key}' for preset {}; expected one of: preset, {}",
                        preset.name,
                        keys(preset)
                    ),
                ));
            }
        }
    }
    for o in overrides {
        if !preset.answers.contains_key(&o.key) {
            return Err(Error::Usage(format!(
                "--set {}: unknown key for preset {}; expected one of: {}",
                o.key,
                preset.name,
                keys(preset)
            )));
        }
    }

    let mut answers = Answers::new();
    for (key, spec) in &preset.answers {
        let flag = overrides.iter().rev().find(|o| &o.key == key);
        let answer = if let Some(o) = flag {
            let value = parse_raw(spec, &o.raw).and_then(|v| check(spec, v));
            let value = value
                .map_err(|why| Error::Usage(format!("--set {key}={}: {why}", shown(&o.raw))))?;
            Some(Answer {
                value,
                origin: o.origin,
                source: None,
            })
        } else if let Some(rec) = recorded.and_then(|e| e.answers.get(key)) {
            let json = match serde_json::to_value(&rec.value).unwrap_or(Value::Null) {
                // `build = "none"` (or "" or []) in dockgen.toml: no such command.
                Value::String(s)
                    if spec.kind == AnswerType::Command && matches!(s.trim(), "" | "none") =>
                {
                    Value::Null
                }
                Value::Array(a) if spec.kind == AnswerType::Command && a.is_empty() => Value::Null,
                other => other,
            };
            let value = check(spec, json.clone()).map_err(|why| {
                Error::invalid_settings(
                    FILE_NAME,
                    Some(rec.position),
                    format!("{key}: {why}; got {json}"),
                )
            })?;
            Some(Answer {
                value,
                origin: Origin::ProjectFile,
                source: None,
            })
        } else if let Some((value, source, path, line)) = detected.get(key.as_str()) {
            let value = check(spec, value.clone()).map_err(|why| {
                Error::invalid_input(
                    path.clone(),
                    line.map(|l| crate::error::Position { line: l, column: 1 }),
                    format!("detected {key} {value}: {why}"),
                )
            })?;
            Some(Answer {
                value,
                origin: Origin::Detected,
                source: Some(source.clone()),
            })
        } else if let Some(default) = &spec.default {
            let json = serde_json::to_value(default).unwrap_or(Value::Null);
            let value = check(spec, json).map_err(|why| {
                Error::invalid_settings(
                    format!("preset {}", preset.name),
                    None,
                    format!("default of {key}: {why}"),
                )
            })?;
            Some(Answer {
                value,
                origin: Origin::Default,
                source: None,
            })
        } else {
            None
        };
        answers.insert(
            key.clone(),
            answer.unwrap_or(Answer {
                value: Value::Null,
                origin: Origin::Default,
                source: None,
            }),
        );
    }
    Ok(answers)
}

/// A raw value as error messages show it: as typed, or with control characters escaped so a
/// newline in a value cannot pass for a second line of the message.
fn shown(raw: &str) -> String {
    if raw.chars().any(char::is_control) {
        raw.escape_debug().to_string()
    } else {
        raw.to_string()
    }
}

fn keys(preset: &Preset) -> String {
    preset
        .answers
        .keys()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

type Detected = BTreeMap<String, (Value, String, String, Option<usize>)>;

/// Detected facts as answer values, keyed like the answers they feed.
fn detected_values(facts: &ServiceFacts) -> Detected {
    fn put<T: Serialize>(out: &mut Detected, key: &str, fact: &Option<Fact<T>>) {
        if let Some(f) = fact {
            out.insert(
                key.to_string(),
                (
                    serde_json::to_value(&f.value).unwrap_or(Value::Null),
                    f.evidence.source(),
                    f.evidence.path.clone(),
                    f.evidence.line,
                ),
            );
        }
    }
    let mut out = Detected::new();
    put(&mut out, "version", &facts.version);
    put(&mut out, "package_manager", &facts.package_manager);
    put(&mut out, "framework", &facts.framework);
    put(&mut out, "build", &facts.build);
    put(&mut out, "start", &facts.start);
    put(&mut out, "port", &facts.port);
    put(&mut out, "health", &facts.health);
    for (key, fact) in &facts.details {
        put(&mut out, key, &Some(fact.clone()));
    }
    out
}

/// A `--set` value as JSON for its type: commands accept a JSON array or shell words.
fn parse_raw(spec: &AnswerSpec, raw: &str) -> Result<Value, String> {
    Ok(match spec.kind {
        // "none" (or nothing) says there is no such command: no build step, say.
        AnswerType::Command if matches!(raw.trim(), "" | "none") => Value::Null,
        AnswerType::Command | AnswerType::Files => {
            let words: Vec<String> = if raw.trim_start().starts_with('[') {
                serde_json::from_str(raw)
                    .map_err(|e| format!("not a JSON array of strings ({e})"))?
            } else {
                shell_words::split(raw).map_err(|e| format!("cannot split into words ({e})"))?
            };
            Value::from(words)
        }
        AnswerType::Port => Value::from(
            raw.trim()
                .parse::<u64>()
                .map_err(|_| "expected a port number from 1 to 65535".to_string())?,
        ),
        AnswerType::Bool => Value::from(match raw.trim() {
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            _ => return Err("expected true or false".into()),
        }),
        _ => Value::from(raw),
    })
}

/// Checks `value` against its declared type; returns it unchanged when it fits.
pub fn check(spec: &AnswerSpec, value: Value) -> Result<Value, String> {
    let bad_char = |s: &str| s.chars().any(|c| c.is_control());
    match spec.kind {
        AnswerType::String => match &value {
            Value::String(s) if !bad_char(s) && s.len() <= 512 => Ok(value),
            Value::String(_) => Err("expected one line of text without control characters".into()),
            _ => Err("expected a string".into()),
        },
        AnswerType::Version => match &value {
            Value::String(s) if is_version(s) => Ok(value),
            _ => Err("expected a version of letters, digits, '.', '-' or '_' (e.g. 20 or 3.12)".into()),
        },
        AnswerType::Command if value.is_null() && !spec.required => Ok(value),
        AnswerType::Command if value.is_null() => {
            Err("this command is required; none is not an answer".into())
        }
        AnswerType::Command => match &value {
            Value::Array(items)
                if !items.is_empty()
                    && items.iter().all(|i| i.as_str().is_some_and(|s| !bad_char(s))) =>
            {
                Ok(value)
            }
            _ => Err("expected a non-empty list of words without control characters, e.g. [\"node\", \"server.js\"]".into()),
        },
        AnswerType::Port => match value.as_u64() {
            Some(p) if (1..=65535).contains(&p) => Ok(value),
            _ => Err("expected a port number from 1 to 65535".into()),
        },
        AnswerType::Route => match &value {
            Value::String(s) if is_route(s) => Ok(value),
            _ => Err("expected a URL path such as /health (letters, digits, '.', '_', '-', '~', '/')".into()),
        },
        AnswerType::File => match &value {
            Value::String(s) if is_file(s) => Ok(value),
            _ => Err("expected a relative path of letters, digits, '.', '_', '-', '@', '+' and '/', without '..'".into()),
        },
        AnswerType::Files => match &value {
            Value::Array(items) if items.iter().all(|i| i.as_str().is_some_and(is_file)) => Ok(value),
            _ => Err("expected a list of relative paths of letters, digits, '.', '_', '-', '@', '+' and '/', without '..'".into()),
        },
        AnswerType::Variable => match &value {
            Value::String(s) if is_variable(s) => Ok(value),
            _ => Err("expected an environment variable name of letters, digits and '_' (e.g. PORT)".into()),
        },
        AnswerType::Choice => match &value {
            Value::String(s) if spec.choices.contains(s) => Ok(value),
            _ => Err(format!("expected one of: {}", spec.choices.join(", "))),
        },
        AnswerType::Bool => match value {
            Value::Bool(_) => Ok(value),
            _ => Err("expected true or false".into()),
        },
    }
}

fn is_variable(s: &str) -> bool {
    s.len() <= 128
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_version(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
}

fn is_route(s: &str) -> bool {
    s.starts_with('/')
        && s.len() <= 256
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-~/".contains(c))
}

fn is_file(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 256
        && !s.starts_with(['/', '-'])
        && s.split('/').all(|c| c != "..")
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@+/".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: AnswerType) -> AnswerSpec {
        AnswerSpec {
            kind,
            default: None,
            choices: vec!["a".into()],
            required: false,
            detectable: false,
            help: String::new(),
        }
    }

    #[test]
    fn hostile_values_are_rejected() {
        assert!(check(&spec(AnswerType::Version), "20\nUSER root".into()).is_err());
        assert!(check(&spec(AnswerType::Port), "3000; rm -rf /".into()).is_err());
        assert!(check(&spec(AnswerType::Route), "/h'+require('x')".into()).is_err());
        assert!(check(&spec(AnswerType::File), "../etc".into()).is_err());
        assert!(check(&spec(AnswerType::File), "-rf".into()).is_err());
        assert!(check(
            &spec(AnswerType::Files),
            serde_json::json!(["a/package.json", "../x"])
        )
        .is_err());
        assert!(check(
            &spec(AnswerType::Files),
            serde_json::json!(["a/package.json", "b"])
        )
        .is_ok());
        assert!(check(
            &spec(AnswerType::Command),
            serde_json::json!(["node", "a\nRUN x"])
        )
        .is_err());
        assert!(check(&spec(AnswerType::Choice), "b".into()).is_err());
        assert!(check(&spec(AnswerType::Variable), "PORT=1 X".into()).is_err());
        assert!(check(&spec(AnswerType::Variable), "APP_PORT".into()).is_ok());
    }

    #[test]
    fn set_flags_parse_by_type() {
        let o = Override::parse_flag("api:port=8080").unwrap();
        assert_eq!(
            (o.service.as_deref(), o.key.as_str(), o.raw.as_str()),
            (Some("api"), "port", "8080")
        );
        assert_eq!(
            parse_raw(&spec(AnswerType::Command), "node dist/main.js").unwrap(),
            serde_json::json!(["node", "dist/main.js"])
        );
        assert_eq!(
            parse_raw(&spec(AnswerType::Command), "[\"a b\"]").unwrap(),
            serde_json::json!(["a b"])
        );
        assert!(parse_raw(&spec(AnswerType::Port), "http").is_err());
    }
}

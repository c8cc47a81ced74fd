//! Answers: the values a preset's templates render with, each tagged with where it came from.
//! Precedence, highest first: `--set` flag, wizard, dockgen.toml, detection, preset default.
//! Every value is checked against its declared type here, so nothing read from a repository
//! reaches a template unless it is inert data of the expected shape.

use crate::answer_value::{check, parse_raw};
use crate::error::{Error, Result};
use crate::facts::{Fact, ServiceFacts};
use crate::preset::{AnswerType, Preset};
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
                        "unknown key '{key}' for preset {}{}; expected one of: preset, {}",
                        preset.name,
                        crate::suggest::did_you_mean(
                            key,
                            preset
                                .answers
                                .keys()
                                .map(String::as_str)
                                .chain(["preset", "name"])
                        ),
                        keys(preset)
                    ),
                ));
            }
        }
    }
    for o in overrides {
        if !preset.answers.contains_key(&o.key) {
            return Err(Error::Usage(format!(
                "--set {}: unknown key for preset {}{}; expected one of: {}",
                o.key,
                preset.name,
                crate::suggest::did_you_mean(&o.key, preset.answers.keys().map(String::as_str)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::AnswerSpec;

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

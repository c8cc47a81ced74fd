//! One answer's value from text and against its declared type: `--set` text parsed by type
//! (a command split into words, `none` for a command not needed, a port as a number), and every
//! value, wherever it came from, checked so that only inert data of the expected shape reaches
//! a template.

use crate::preset::{AnswerSpec, AnswerType};
use serde_json::Value;

/// A `--set` value as JSON for its type: commands accept a JSON array or shell words.
pub fn parse_raw(spec: &AnswerSpec, raw: &str) -> Result<Value, String> {
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

//! The escaping filters templates write values with: `exec` (a JSON array on one line),
//! `json`, `yaml` (an inline scalar or flow sequence), `sh` (shell-quoted words) and `hcl` (a
//! quoted string that cannot interpolate). A value
//! read from a repository reaches the output only through one of them.

use serde_json::Value;
use std::collections::HashMap;

/// A list of strings as a JSON array on one line (Dockerfile exec form, YAML flow sequence);
/// `prepend` adds a first element, e.g. compose's `CMD`.
pub fn filter_exec(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let items = value
        .as_array()
        .filter(|a| a.iter().all(Value::is_string))
        .ok_or_else(|| {
            tera::Error::msg(format!("exec: expected a list of strings, got {value}"))
        })?;
    let first = args.get("prepend").map(|p| p.to_string());
    let parts: Vec<String> = first
        .into_iter()
        .chain(items.iter().map(|i| i.to_string()))
        .collect();
    Ok(Value::String(format!("[{}]", parts.join(", "))))
}

/// A string as an HCL quoted string: JSON's escapes, and `${` / `%{` doubled so that a value
/// cannot interpolate.
pub fn filter_hcl(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg(format!("hcl: expected a string, got {value}")))?;
    let quoted = Value::String(text.to_string()).to_string();
    Ok(Value::String(
        quoted.replace("${", "$${").replace("%{", "%%{"),
    ))
}

pub fn filter_json(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(value.to_string()))
}

pub fn filter_yaml(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            Ok(Value::String(value.to_string()))
        }
        Value::Array(_) => filter_exec(value, &HashMap::new()),
        other => Err(tera::Error::msg(format!(
            "yaml: cannot render {other} inline"
        ))),
    }
}

pub fn filter_sh(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let words: Vec<String> = match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(String::from)
                    .ok_or_else(|| tera::Error::msg("sh: expected strings"))
            })
            .collect::<tera::Result<_>>()?,
        Value::Number(n) => vec![n.to_string()],
        other => return Err(tera::Error::msg(format!("sh: cannot quote {other}"))),
    };
    Ok(Value::String(shell_words::join(words)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_escape_hostile_values() {
        let none = HashMap::new();
        let exec = filter_exec(&json!(["node", "a\nRUN curl x | sh", "\"q\""]), &none).unwrap();
        assert_eq!(exec, json!(r#"["node", "a\nRUN curl x | sh", "\"q\""]"#));
        let sh = filter_sh(&json!(["npm", "$(rm -rf /)"]), &none).unwrap();
        assert_eq!(sh, json!("npm '$(rm -rf /)'"));
        let hcl = filter_hcl(&json!("a\"${x}%{y}"), &none).unwrap();
        assert_eq!(hcl, json!(r#""a\"$${x}%%{y}""#));
        let yaml = filter_yaml(&json!("a: b\nc"), &none).unwrap();
        assert_eq!(yaml, json!(r#""a: b\nc""#));
    }
}

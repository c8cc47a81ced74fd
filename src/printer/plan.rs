//! `generate --plan` in text: the project, then each service with its preset (and why), its
//! answers in aligned columns with where each came from, its connections and variables, then
//! the backing services. `--format json` prints the same plan as data.

use super::{inert, out};
use crate::plan::Plan;
use serde_json::Value;

pub fn plan_text(plan: &Plan) {
    let mut s = format!(
        "project {} (written to {})\n",
        inert(&plan.project),
        inert(&plan.compose_file)
    );
    for service in &plan.services {
        s.push_str(&format!(
            "\n{} (service {}, image {})\n  preset  {} ({})\n",
            inert(&service.path),
            inert(&service.name),
            inert(&service.image),
            inert(&service.selection.preset),
            inert(&service.selection.reason)
        ));
        let rows: Vec<(String, String, String)> = service
            .answers
            .iter()
            .map(|(key, answer)| {
                let origin = serde_json::to_value(answer.origin).unwrap_or_default();
                let origin = origin.as_str().unwrap_or_default().to_string();
                let from = match &answer.source {
                    Some(source) => format!("{origin} {source}"),
                    None => origin,
                };
                (key.clone(), shown(&answer.value), from)
            })
            .collect();
        let key_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
        // Long values (commands, file lists) are not padded: they would push every origin far
        // to the right.
        let value_width = rows
            .iter()
            .map(|r| r.1.chars().count())
            .filter(|w| *w <= 32)
            .max()
            .unwrap_or(0);
        s.push_str("  answers\n");
        for (key, value, from) in rows {
            s.push_str(&format!(
                "    {key:<key_width$}  {:<value_width$}  {}\n",
                inert(&value),
                inert(&from)
            ));
        }
        for connection in &service.connections {
            let variables: Vec<&str> = connection
                .environment
                .iter()
                .map(|(k, _)| k.as_str())
                .collect();
            s.push_str(&format!(
                "  uses    {} ({})\n",
                inert(&connection.service),
                inert(&variables.join(", "))
            ));
        }
        if !service.required_env.is_empty() {
            s.push_str(&format!(
                "  needs   {} (from .env)\n",
                inert(&service.required_env.join(", "))
            ));
        }
    }
    for backing in &plan.backing {
        s.push_str(&format!(
            "\nbacking {} (image {}, data in volume {})\n",
            inert(&backing.name),
            inert(&backing.image),
            inert(&backing.volume)
        ));
    }
    out(&s);
}

/// An answer's value as a user would type it: none for no value, a list as a shell line.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::String(s) if s.is_empty() => "\"\"".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => shell_words::join(items.iter().map(|i| match i {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })),
        other => other.to_string(),
    }
}

//! A port the user chose (`--set port=N`, the wizard, dockgen.toml) changes every place the
//! port lives. The templates put the answer in ENV, EXPOSE, the HEALTHCHECK and compose; this
//! module moves what the templates cannot: a bind in the detected start command
//! (`gunicorn --bind 0.0.0.0:5000`), the flag a Go server reads its port from (`-port`), and it
//! refuses a port the application's source fixes (`listen(5000)`), which would only give a
//! container that is never healthy.

use crate::answers::{Answer, Origin};
use crate::error::{Error, Result};
use crate::facts::ServiceFacts;
use crate::warning::Warning;
use serde_json::Value;
use std::collections::BTreeMap;

/// How detection says a port is written in the source when nothing outside it can move it.
const FIXED: &[&str] = &[
    "listen() with a fixed port",
    "port constant",
    "listen address",
];

/// Brings the start command and arguments in line with a chosen port, or refuses it.
pub fn apply(
    service: &ServiceFacts,
    answers: &mut BTreeMap<String, Answer>,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let Some(detected) = &service.port else {
        return Ok(());
    };
    let Some(chosen) = answers
        .get("port")
        .filter(|a| {
            matches!(
                a.origin,
                Origin::Flag | Origin::Wizard | Origin::ProjectFile
            )
        })
        .and_then(|a| a.value.as_u64())
        .and_then(|p| u16::try_from(p).ok())
    else {
        return Ok(());
    };
    let old = detected.value;
    if chosen == old {
        return Ok(());
    }
    let mut moved = false;
    for key in ["start", "args"] {
        let Some(answer) = answers
            .get_mut(key)
            .filter(|a| a.origin == Origin::Detected)
        else {
            continue;
        };
        if let Some(words) = rebind(&answer.value, old, chosen) {
            answer.value = words;
            moved = true;
        }
    }
    if moved {
        return Ok(());
    }
    let how = detected.evidence.detail.clone().unwrap_or_default();
    if let Some(flag) = how.strip_prefix("flag default of -") {
        if let Some(args) = answers.get_mut("args").filter(|a| a.origin != Origin::Flag) {
            let mut words: Vec<Value> = args.value.as_array().cloned().unwrap_or_default();
            words.push(Value::from(format!("--{flag}={chosen}")));
            args.value = Value::from(words);
            args.origin = Origin::Detected;
            args.source = Some(detected.evidence.source());
            warnings.push(Warning::located("port-flag-passed", format!(
                "{}: port {chosen} is passed to the program as --{flag}={chosen} (its flag defaults to {old})",
                service.path
            )));
            return Ok(());
        }
    }
    if FIXED.iter().any(|f| how.starts_with(f)) {
        return Err(Error::Usage(format!(
            "{}: the application listens on {old}, fixed in its source ({how}); port={chosen} would expose and probe a port nothing listens on. Change the code to read PORT, or leave port unset",
            detected.evidence.source()
        )));
    }
    Ok(())
}

/// The words with every bind of `old` changed to `new` (`0.0.0.0:5000`, `:5000`,
/// `--port 5000`, `--port=5000`, `-p 5000`); None when none names it.
fn rebind(value: &Value, old: u16, new: u16) -> Option<Value> {
    let words: Vec<String> = value
        .as_array()?
        .iter()
        .map(|w| w.as_str().map(String::from))
        .collect::<Option<_>>()?;
    let (old_s, new_s) = (old.to_string(), new.to_string());
    let mut changed = false;
    let mut out = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let after_port_flag =
            i > 0 && matches!(words[i - 1].as_str(), "--port" | "-p" | "--http-port");
        let rewritten = if after_port_flag && *word == old_s {
            new_s.clone()
        } else if let Some(host) = word.strip_suffix(&format!(":{old_s}")) {
            // `0.0.0.0:5000`, `--bind=0.0.0.0:5000`, `:5000`, `[::]:5000`; not `x:15000`.
            if host.is_empty()
                || host.ends_with(['=', ']'])
                || host
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
            {
                format!("{host}:{new_s}")
            } else {
                word.clone()
            }
        } else if let Some(flag) = ["--port=", "-p="]
            .iter()
            .find(|f| *word == format!("{f}{old_s}"))
        {
            format!("{flag}{new_s}")
        } else {
            word.clone()
        };
        changed |= rewritten != *word;
        out.push(Value::from(rewritten));
    }
    changed.then(|| Value::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Evidence, Fact, Language};
    use serde_json::json;

    fn answer(value: Value, origin: Origin) -> Answer {
        Answer {
            value,
            origin,
            source: None,
        }
    }

    fn service(port: u16, how: &str) -> ServiceFacts {
        let mut s = ServiceFacts::new(".", Language::Python);
        s.port = Some(Fact::new(
            port,
            Evidence::at("app.py", Some(19)).because(how),
        ));
        s
    }

    #[test]
    fn a_bind_in_the_detected_start_moves_with_the_port() {
        let mut answers = BTreeMap::from([
            ("port".to_string(), answer(json!(9090), Origin::Flag)),
            (
                "start".to_string(),
                answer(
                    json!(["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]),
                    Origin::Detected,
                ),
            ),
        ]);
        let mut warnings = Vec::new();
        apply(
            &service(5000, "default of the PORT environment variable"),
            &mut answers,
            &mut warnings,
        )
        .unwrap();
        assert_eq!(
            answers["start"].value,
            json!(["gunicorn", "--bind", "0.0.0.0:9090", "app:app"])
        );
        assert_eq!(
            rebind(
                &json!(["uvicorn", "--port", "8000", "--host=0.0.0.0"]),
                8000,
                8080
            ),
            Some(json!(["uvicorn", "--port", "8080", "--host=0.0.0.0"]))
        );
        assert_eq!(rebind(&json!(["x", "db:15000"]), 5000, 6000), None);
    }

    #[test]
    fn a_flag_default_gets_the_flag_and_a_fixed_port_is_refused() {
        let mut answers = BTreeMap::from([
            ("port".to_string(), answer(json!(8080), Origin::ProjectFile)),
            ("args".to_string(), answer(Value::Null, Origin::Default)),
        ]);
        let mut warnings = Vec::new();
        apply(
            &service(9898, "flag default of -port"),
            &mut answers,
            &mut warnings,
        )
        .unwrap();
        assert_eq!(answers["args"].value, json!(["--port=8080"]));

        let mut answers = BTreeMap::from([("port".to_string(), answer(json!(8080), Origin::Flag))]);
        let err = apply(&service(5000, "port constant"), &mut answers, &mut warnings).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("app.py:19: the application listens on 5000"),
            "{err}"
        );
        // The detected port itself, or a port read from the environment, is fine.
        let mut same = BTreeMap::from([("port".to_string(), answer(json!(5000), Origin::Flag))]);
        apply(&service(5000, "port constant"), &mut same, &mut warnings).unwrap();
        apply(
            &service(5000, "default of process.env.PORT"),
            &mut answers,
            &mut warnings,
        )
        .unwrap();
    }
}

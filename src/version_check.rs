//! A runtime version chosen by hand (`--set version=X`, the wizard, dockgen.toml) is checked
//! against what the project itself allows (package.json `engines.node`, `requires-python`) and
//! against the images dockgen knows are published, and the end-of-life warning follows the
//! version actually used, not the one detection found.

use crate::answers::{Answer, Origin};
use crate::detect::{node, python};
use crate::error::{Error, Result};
use crate::facts::{Language, ServiceFacts};
use crate::warning::Warning;
use std::collections::BTreeMap;

/// Whether a range as the manifest writes it allows a version (a Node major, a Python minor).
type Allows = fn(&str, u64) -> bool;

/// Node.js majors with a distroless image published (`gcr.io/distroless/nodejsN-debian13`).
pub const DISTROLESS_NODE: &[u64] = &[22, 24];

pub fn check(
    service: &ServiceFacts,
    answers: &mut BTreeMap<String, Answer>,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    if service.language == Language::Node {
        distroless_node(service, answers, warnings)?;
    }
    let Some(answer) = answers.get("version").filter(|a| {
        matches!(
            a.origin,
            Origin::Flag | Origin::Wizard | Origin::ProjectFile
        )
    }) else {
        return Ok(());
    };
    let Some(chosen) = answer.value.as_str().map(String::from) else {
        return Ok(());
    };
    let chosen = chosen.as_str();
    let from = match answer.origin {
        Origin::ProjectFile => "dockgen.toml",
        Origin::Wizard => "the wizard",
        _ => "--set",
    };
    let number = match service.language {
        Language::Node => chosen.parse::<u64>().ok(),
        Language::Python => chosen
            .strip_prefix("3.")
            .and_then(|m| m.parse::<u64>().ok()),
        _ => None,
    };
    let Some(number) = number else {
        return Ok(());
    };
    let (runtime, end_of_life, allows): (&str, &[(u64, &str)], Allows) = match service.language {
        Language::Node => (
            "Node.js",
            node::version::END_OF_LIFE,
            node::version::range_allows,
        ),
        _ => (
            "Python",
            python::version::END_OF_LIFE,
            python::version::allows,
        ),
    };
    // Detection's warning about the version it found was dropped with the hand-given answer
    // (plan): this one is about the version used.
    if let Some((_, date)) = end_of_life.iter().find(|(n, _)| *n == number) {
        warnings.push(
            Warning::located(
                "end-of-life",
                format!(
                    "{}: {runtime} {chosen} (from {from}) reached end of life on {date}",
                    service.path
                ),
            )
            .about("version"),
        );
    }
    if let Some(range) = service.details.get("version_constraint") {
        let raw = range.value.as_str().unwrap_or_default();
        if !allows(raw, number) {
            warnings.push(Warning::located("version-outside-constraint", format!(
                "{}: {runtime} {chosen} (from {from}) is outside what {} allows ('{raw}'): dependencies may not install or the build may fail",
                service.path,
                range.evidence.source()
            )));
        }
    }
    Ok(())
}

/// A Node.js major with no distroless image runs on node:N-trixie-slim, with a warning; a
/// distroless runtime asked for by hand is an error for such a major.
fn distroless_node(
    service: &ServiceFacts,
    answers: &mut BTreeMap<String, Answer>,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let Some(version) = answers
        .get("version")
        .and_then(|a| a.value.as_str())
        .map(String::from)
    else {
        return Ok(());
    };
    let Some(number) = version.parse::<u64>().ok() else {
        return Ok(());
    };
    let chosen = version.as_str();
    let answers_version_source = answers.get("version").and_then(|a| a.source.clone());
    if !DISTROLESS_NODE.contains(&number) {
        let known = DISTROLESS_NODE
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(runtime) = answers
            .get_mut("runtime")
            .filter(|r| r.value == "distroless")
        {
            if matches!(
                runtime.origin,
                Origin::Flag | Origin::Wizard | Origin::ProjectFile
            ) {
                return Err(Error::Usage(format!(
                    "{}: no distroless image is published for Node.js {chosen} (there are {known}); choose one of those versions, or runtime=slim",
                    service.path
                )));
            }
            runtime.value = serde_json::Value::from("slim");
            runtime.origin = Origin::Detected;
            runtime.source = answers_version_source.clone();
            warnings.push(Warning::located("no-distroless-image", format!(
                "{}: no distroless image is published for Node.js {chosen} (there are {known}): the runtime is node:{chosen}-trixie-slim",
                service.path
            )));
        }
    }
    Ok(())
}

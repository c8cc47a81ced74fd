//! Which preset renders each detected service, and why. Explicit choices (the `--preset` flag,
//! then dockgen.toml) win; otherwise the preset named after the service's language, or the only
//! preset for that language. Never "first in a list wins" silently: the reason is kept.

use super::Presets;
use crate::error::{Error, Result};
use crate::facts::ServiceFacts;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Selection {
    pub preset: String,
    pub reason: String,
}

pub fn select(
    presets: &Presets,
    service: &ServiceFacts,
    flag: Option<&str>,
    project_file: Option<&str>,
) -> Result<Selection> {
    if let Some(name) = flag {
        presets.get(name)?;
        return Ok(Selection {
            preset: name.to_string(),
            reason: "--preset flag".into(),
        });
    }
    if let Some(name) = project_file {
        presets.get(name)?;
        return Ok(Selection {
            preset: name.to_string(),
            reason: "dockgen.toml".into(),
        });
    }
    let language = service.language.name();
    if presets.all.contains_key(language) {
        return Ok(Selection {
            preset: language.to_string(),
            reason: format!("the {language} preset serves detected language {language}"),
        });
    }
    let matching: Vec<&str> = presets
        .all
        .values()
        .filter(|p| p.language == language)
        .map(|p| p.name.as_str())
        .collect();
    match matching.as_slice() {
        [only] => Ok(Selection {
            preset: only.to_string(),
            reason: format!("the only preset for language {language}"),
        }),
        [] => Err(Error::Usage(format!(
            "{}: no preset for language {language}; add one under .dockgen/presets/",
            service.path
        ))),
        many => Err(Error::Usage(format!(
            "{}: several presets serve {language} ({}); choose one with --preset",
            service.path,
            many.join(", ")
        ))),
    }
}

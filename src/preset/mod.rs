//! Presets: data that says, for one kind of service, which answers its templates need (with
//! types and defaults), which files it renders, and values derived from the answers. The
//! presets in `presets/` are embedded in the binary; a repository's `.dockgen/presets/*.toml`
//! replaces one of the same name or adds a new one.

pub mod select;

use crate::error::{Error, Position, Result};
use include_dir::{include_dir, Dir};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/presets");

/// The folder, inside a repository, whose presets override the embedded ones.
pub const OVERRIDE_DIR: &str = ".dockgen/presets";

/// Types of answer values; each is checked before it reaches a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerType {
    /// Free text on one line.
    String,
    /// An image-tag-safe version: letters, digits, `.`, `-`, `_`.
    Version,
    /// A command in exec form: a list of strings.
    Command,
    /// A TCP port, 1..=65535.
    Port,
    /// An absolute URL path such as `/health`.
    Route,
    /// A relative file path inside the build context.
    File,
    /// A list of relative file paths inside the build context.
    Files,
    /// An environment variable name: a letter or `_`, then letters, digits and `_`.
    Variable,
    /// One of `choices`.
    Choice,
    Bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSpec {
    #[serde(rename = "type")]
    pub kind: AnswerType,
    #[serde(default)]
    pub default: Option<toml::Value>,
    #[serde(default)]
    pub choices: Vec<String>,
    /// Rendering cannot go on without a value.
    #[serde(default)]
    pub required: bool,
    /// Normally detected: falling back to the default deserves a warning.
    #[serde(default)]
    pub detectable: bool,
    pub help: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// Template name inside the preset's template folder.
    pub template: String,
    /// Output path relative to the service folder.
    pub path: String,
    /// An answer that, when set, puts the file at the repository root instead (a workspace
    /// member is built from the root, so its ignore file is the root's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_root_when: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    pub name: String,
    pub description: String,
    /// The detected language this preset serves.
    pub language: String,
    /// Folder under `templates/` holding this preset's templates.
    pub templates: String,
    pub files: Vec<FileSpec>,
    /// Values computed from the answers by Tera expressions (e.g. the user, the health probe).
    #[serde(default)]
    pub derived: BTreeMap<String, toml::Value>,
    pub answers: BTreeMap<String, AnswerSpec>,
    /// Free data for the templates (package-manager commands, cache paths, ...).
    #[serde(default)]
    pub data: toml::Table,
    /// Where the preset came from: `embedded` or the override file's path.
    #[serde(skip_deserializing)]
    pub origin: String,
}

/// All presets available for a repository.
#[derive(Debug, Clone)]
pub struct Presets {
    pub all: BTreeMap<String, Preset>,
}

impl Presets {
    /// The embedded presets, with `.dockgen/presets/*.toml` of `repo_root` layered over them.
    pub fn load(repo_root: Option<&Path>) -> Result<Presets> {
        let mut all = BTreeMap::new();
        for file in EMBEDDED.files() {
            let name = file.path().to_string_lossy().into_owned();
            let text = file.contents_utf8().unwrap_or_default();
            let preset = parse(&format!("presets/{name}"), text, "embedded")?;
            all.insert(preset.name.clone(), preset);
        }
        if let Some(root) = repo_root {
            let dir = root.join(OVERRIDE_DIR);
            if dir.is_dir() {
                let mut entries: Vec<_> = std::fs::read_dir(&dir)
                    .map_err(|e| Error::io(&dir, "cannot list", e))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                entries.sort();
                for path in entries {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| Error::io(&path, "cannot read", e))?;
                    let shown = format!(
                        "{OVERRIDE_DIR}/{}",
                        path.file_name()
                            .map(|n| n.to_string_lossy())
                            .unwrap_or_default()
                    );
                    let preset = parse(&shown, &text, &shown)?;
                    all.insert(preset.name.clone(), preset);
                }
            }
        }
        Ok(Presets { all })
    }

    pub fn get(&self, name: &str) -> Result<&Preset> {
        self.all.get(name).ok_or_else(|| {
            Error::Usage(format!(
                "unknown preset '{name}'{}; expected one of: {}",
                crate::suggest::did_you_mean(name, self.all.keys().map(String::as_str)),
                self.all.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })
    }
}

fn parse(shown_path: &str, text: &str, origin: &str) -> Result<Preset> {
    let mut preset: Preset = toml::from_str(text).map_err(|e| {
        Error::invalid_settings(
            shown_path,
            e.span().map(|s| Position::of_offset(text, s.start)),
            format!(
                "{}; expected a dockgen preset (see README, Presets)",
                crate::error::one_line(e.message())
            ),
        )
    })?;
    preset.origin = origin.to_string();
    for (key, spec) in &preset.answers {
        if spec.kind == AnswerType::Choice && spec.choices.is_empty() {
            return Err(Error::invalid_settings(
                shown_path,
                None,
                format!("answer '{key}' is a choice but lists no choices"),
            ));
        }
    }
    Ok(preset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_presets_parse() {
        let presets = Presets::load(None).unwrap();
        assert!(presets.all.contains_key("node"));
        for preset in presets.all.values() {
            assert!(!preset.files.is_empty(), "{} renders no files", preset.name);
        }
    }

    #[test]
    fn a_bad_override_names_file_line_and_column() {
        let err = parse(".dockgen/presets/x.toml", "name = 1\n", "x").unwrap_err();
        assert!(
            err.to_string().starts_with(".dockgen/presets/x.toml:1:8:"),
            "{err}"
        );
    }
}

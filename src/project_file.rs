//! dockgen.toml: the choices recorded for a repository, so the next run renders the same bytes
//! on any machine. One table per service folder:
//!
//! ```toml
//! [service."."]
//! preset = "node"
//! port = 8080
//! ```
//!
//! Reading keeps positions for error messages; writing edits the document in place so the
//! user's comments and order survive.

use crate::error::{Error, Position, Result};
use crate::outputs::Output;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub const FILE_NAME: &str = "dockgen.toml";

const HEADER: &str = "# dockgen settings: choices that override detection, one table per service folder.\n# Edit freely; `dockgen generate` reads this file and keeps your comments.\n";

/// One answer value with where it stands in dockgen.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub value: toml::Value,
    pub position: Position,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceEntry {
    pub preset: Option<Recorded>,
    /// The service's name in compose.yaml and of its image.
    pub name: Option<Recorded>,
    pub answers: BTreeMap<String, Recorded>,
    /// Where the `[service."PATH"]` table starts, for errors about the table itself.
    pub position: Option<Position>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectFile {
    /// The file's text as read, if it exists.
    pub text: Option<String>,
    /// `comments = false` drops the explanatory comments from generated files.
    pub comments: Option<bool>,
    /// `project = "name"`: the compose project of a repository with several services.
    pub project: Option<Recorded>,
    /// `outputs = ["structure-test", ...]`: files written beyond the default three.
    pub outputs: Vec<Output>,
    pub services: BTreeMap<String, ServiceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    comments: Option<bool>,
    #[serde(default)]
    project: Option<Spanned<toml::Value>>,
    #[serde(default)]
    outputs: Option<Spanned<toml::Value>>,
    #[serde(default)]
    service: BTreeMap<String, BTreeMap<String, Spanned<toml::Value>>>,
}

impl ProjectFile {
    pub fn parse(text: &str) -> Result<ProjectFile> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            Error::invalid_settings(
                FILE_NAME,
                e.span().map(|s| Position::of_offset(text, s.start)),
                format!(
                    "{}; expected tables such as [service.\".\"] holding preset and answer keys",
                    crate::error::one_line(e.message())
                ),
            )
        })?;
        let project = match raw.project {
            Some(spanned) => {
                let position = Position::of_offset(text, spanned.span().start);
                let value = spanned.into_inner();
                if !value.as_str().is_some_and(valid_name) {
                    return Err(Error::invalid_settings(
                        FILE_NAME,
                        Some(position),
                        "project must be a compose project name of lowercase letters, digits, '-' and '_'",
                    ));
                }
                Some(Recorded { value, position })
            }
            None => None,
        };
        let mut outputs = Vec::new();
        if let Some(spanned) = raw.outputs {
            let position = Position::of_offset(text, spanned.span().start);
            let not_a_list = || {
                Error::invalid_settings(
                    FILE_NAME,
                    Some(position),
                    "outputs must be a list of output names, e.g. [\"structure-test\"]",
                )
            };
            let toml::Value::Array(names) = spanned.into_inner() else {
                return Err(not_a_list());
            };
            for item in names {
                let name = item.as_str().ok_or_else(not_a_list)?;
                let output = Output::parse(name)
                    .map_err(|why| Error::invalid_settings(FILE_NAME, Some(position), why))?;
                if !outputs.contains(&output) {
                    outputs.push(output);
                }
            }
            outputs.sort();
        }
        let mut services = BTreeMap::new();
        for (path, keys) in raw.service {
            let mut entry = ServiceEntry {
                position: text
                    .find(&format!("service.\"{path}\""))
                    .map(|at| Position::of_offset(text, at.saturating_sub(1))),
                ..ServiceEntry::default()
            };
            for (key, spanned) in keys {
                let position = Position::of_offset(text, spanned.span().start);
                let recorded = Recorded {
                    value: spanned.into_inner(),
                    position,
                };
                if key == "preset" {
                    if !recorded.value.is_str() {
                        return Err(Error::invalid_settings(
                            FILE_NAME,
                            Some(position),
                            "preset must be a string naming a preset (see `dockgen presets list`)",
                        ));
                    }
                    entry.preset = Some(recorded);
                } else if key == "name" {
                    if !recorded.value.as_str().is_some_and(valid_name) {
                        return Err(Error::invalid_settings(
                            FILE_NAME,
                            Some(position),
                            "name must be a service name of lowercase letters, digits, '-' and '_'",
                        ));
                    }
                    entry.name = Some(recorded);
                } else {
                    entry.answers.insert(key, recorded);
                }
            }
            services.insert(path, entry);
        }
        Ok(ProjectFile {
            text: Some(text.to_string()),
            comments: raw.comments,
            project,
            outputs,
            services,
        })
    }

    pub fn service(&self, path: &str) -> Option<&ServiceEntry> {
        self.services.get(path)
    }

    /// The text of dockgen.toml after recording `records` (service path → key → value) and
    /// the `project` name, editing the existing document so comments and order are kept.
    pub fn updated_text(
        &self,
        records: &BTreeMap<String, BTreeMap<String, toml::Value>>,
        project: Option<&str>,
    ) -> String {
        let existing = self.text.as_deref().and_then(|t| t.parse().ok());
        let is_new = existing.is_none();
        let mut doc: toml_edit::DocumentMut = existing.unwrap_or_default();
        if let Some(name) = project.filter(|_| !doc.contains_key("project")) {
            doc.insert("project", toml_edit::value(name));
            // Top-level keys stay above the service tables.
            doc.sort_values_by(|a, _, b, _| (a.get() == "service").cmp(&(b.get() == "service")));
        }
        if let Some(comments) = self.comments {
            let same = doc.get("comments").and_then(|i| i.as_bool()) == Some(comments);
            if !same {
                let position = doc.iter().position(|(k, _)| k == "service");
                doc.insert("comments", toml_edit::value(comments));
                if let Some(at) = position {
                    // Keep top-level keys above the service tables.
                    let _ = at;
                    doc.sort_values_by(|a, _, b, _| {
                        (a.get() != "comments").cmp(&(b.get() != "comments"))
                    });
                }
            }
        }
        if !self.outputs.is_empty() {
            let recorded: Vec<&str> = doc
                .get("outputs")
                .and_then(|i| i.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            let wanted: Vec<&str> = self.outputs.iter().map(|o| o.name()).collect();
            if recorded != wanted {
                let mut array = toml_edit::Array::new();
                for name in &wanted {
                    array.push(*name);
                }
                doc.insert("outputs", toml_edit::value(array));
                doc.sort_values_by(|a, _, b, _| {
                    (a.get() == "service").cmp(&(b.get() == "service"))
                });
            }
        }
        if !doc.contains_table("service") {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            doc.insert("service", toml_edit::Item::Table(t));
        }
        let services = doc["service"].as_table_mut().expect("service is a table");
        for (path, keys) in records {
            if !services.contains_key(path) {
                services.insert(path, toml_edit::Item::Table(toml_edit::Table::new()));
            }
            let Some(table) = services[path.as_str()].as_table_mut() else {
                continue;
            };
            // `preset` and `name` first, then the answers in order.
            let mut ordered: Vec<(&String, &toml::Value)> = keys.iter().collect();
            ordered.sort_by_key(|(k, _)| (k.as_str() != "preset", k.as_str() != "name"));
            for (key, value) in ordered {
                let new = to_edit_value(value);
                let same = table
                    .get(key)
                    .and_then(|i| i.as_value())
                    .is_some_and(|v| v.to_string().trim() == new.to_string().trim());
                if !same {
                    table.insert(key, toml_edit::Item::Value(new));
                }
            }
        }
        if is_new {
            format!("{HEADER}\n{}", doc.to_string().trim_start())
        } else {
            doc.to_string()
        }
    }
}

/// Lowercase letters, digits, `-` and `_`, as compose service, project and image names allow.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn to_edit_value(value: &toml::Value) -> toml_edit::Value {
    match value {
        toml::Value::String(s) => s.as_str().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => (*f).into(),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Array(items) => {
            let mut array = toml_edit::Array::new();
            for item in items {
                array.push(to_edit_value(item));
            }
            toml_edit::Value::Array(array)
        }
        other => other.to_string().as_str().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_services_with_positions() {
        let pf = ProjectFile::parse("[service.\".\"]\npreset = \"node\"\nport = 8080\n").unwrap();
        let entry = pf.service(".").unwrap();
        assert_eq!(entry.preset.as_ref().unwrap().value.as_str(), Some("node"));
        assert_eq!(
            entry.answers["port"].position,
            Position { line: 3, column: 8 }
        );
    }

    #[test]
    fn comments_setting_round_trips() {
        let mut pf = ProjectFile::parse("[service.\".\"]\npreset = \"node\"\n").unwrap();
        assert_eq!(pf.comments, None);
        pf.comments = Some(false);
        let text = pf.updated_text(&BTreeMap::new(), None);
        assert!(text.starts_with("comments = false\n"), "{text}");
        assert_eq!(ProjectFile::parse(&text).unwrap().comments, Some(false));
    }

    #[test]
    fn project_name_is_read_checked_and_recorded_above_the_services() {
        let pf = ProjectFile::parse("project = \"shop\"\n").unwrap();
        assert_eq!(pf.project.unwrap().value.as_str(), Some("shop"));
        let err = ProjectFile::parse("\nproject = \"My Shop\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("dockgen.toml:2:11:"), "{err}");
        let pf = ProjectFile::parse("[service.api]\npreset = \"go\"\n").unwrap();
        let text = pf.updated_text(&BTreeMap::new(), Some("shop"));
        assert!(text.starts_with("project = \"shop\"\n"), "{text}");
        assert!(text.contains("[service.api]\npreset = \"go\""), "{text}");
        // A recorded project is never replaced.
        let pf = ProjectFile::parse("project = \"mine\"\n").unwrap();
        assert!(pf
            .updated_text(&BTreeMap::new(), Some("shop"))
            .contains("project = \"mine\""));
    }

    #[test]
    fn unknown_top_level_key_names_line_and_column() {
        let err = ProjectFile::parse("colour = true\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("dockgen.toml:1:1:"), "{err}");
    }

    #[test]
    fn updating_keeps_comments() {
        let pf =
            ProjectFile::parse("# mine\n[service.\".\"]\npreset = \"node\" # chosen\n").unwrap();
        let mut records = BTreeMap::new();
        records.insert(
            ".".to_string(),
            BTreeMap::from([("port".to_string(), toml::Value::Integer(8080))]),
        );
        let text = pf.updated_text(&records, None);
        assert!(
            text.contains("# mine") && text.contains("# chosen") && text.contains("port = 8080"),
            "{text}"
        );
    }
}

//! package.json as the Node detector reads it: parsed once, with errors that point at
//! line:column, and lookups that also say which line of the file a key is on.

use crate::detect::source_scan::line_of;
use crate::error::{Error, Position, Result};
use crate::facts::Evidence;
use serde_json::{Map, Value};

pub struct PackageJson {
    /// Repository path of the file, e.g. `api/package.json`.
    pub path: String,
    pub text: String,
    root: Map<String, Value>,
}

impl PackageJson {
    pub fn parse(path: &str, text: String) -> Result<PackageJson> {
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            Error::invalid_input(
                path,
                // serde_json counts an error at the start of a line (or of an empty file)
                // as column 0; positions here are 1-based.
                Some(Position {
                    line: e.line().max(1),
                    column: e.column().max(1),
                }),
                format!(
                    "invalid JSON: {}; expected a package.json object",
                    crate::error::json_message(&e)
                ),
            )
        })?;
        let Value::Object(root) = value else {
            return Err(Error::invalid_input(
                path,
                Some(Position { line: 1, column: 1 }),
                "expected a JSON object at the top of package.json",
            ));
        };
        Ok(PackageJson {
            path: path.to_string(),
            text,
            root,
        })
    }

    /// Evidence pointing at the line where `"key"` first appears.
    pub fn evidence_for(&self, key: &str) -> Evidence {
        Evidence::at(&self.path, line_of(&self.text, &format!("\"{key}\"")))
    }

    pub fn string(&self, key: &str) -> Option<&str> {
        self.root.get(key).and_then(Value::as_str)
    }

    /// A string field of an object field, e.g. `engines.node`.
    pub fn nested_string(&self, object: &str, key: &str) -> Option<&str> {
        self.root.get(object)?.get(key)?.as_str()
    }

    pub fn script(&self, name: &str) -> Option<&str> {
        self.nested_string("scripts", name)
    }

    /// Evidence for a script: the line of `"name":` inside the scripts block.
    pub fn script_evidence(&self, name: &str) -> Evidence {
        let start = self.text.find("\"scripts\"").unwrap_or(0);
        let line = self.text[start..]
            .lines()
            .position(|l| l.contains(&format!("\"{name}\"")))
            .map(|i| crate::detect::source_scan::line_at(&self.text, start) + i);
        Evidence::at(&self.path, line)
    }

    /// True when the package is a dependency or dev dependency.
    pub fn depends_on(&self, package: &str) -> bool {
        self.in_section("dependencies", package) || self.in_section("devDependencies", package)
    }

    pub fn in_section(&self, section: &str, package: &str) -> bool {
        self.root
            .get(section)
            .and_then(Value::as_object)
            .is_some_and(|m| m.contains_key(package))
    }

    /// Every dependency and dev dependency with the range package.json asks for.
    pub fn dependency_ranges(&self) -> Vec<(&str, &str)> {
        ["dependencies", "devDependencies"]
            .iter()
            .filter_map(|s| self.root.get(*s)?.as_object())
            .flat_map(|m| m.iter())
            .filter_map(|(name, range)| Some((name.as_str(), range.as_str()?)))
            .collect()
    }

    pub fn has_workspaces(&self) -> bool {
        self.root.contains_key("workspaces")
    }

    /// The `workspaces` patterns: a list of strings, or an object with a `packages` list.
    pub fn workspace_patterns(&self) -> Option<Vec<String>> {
        let field = self.root.get("workspaces")?;
        let list = field
            .as_array()
            .or_else(|| field.get("packages")?.as_array())?;
        Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_points_at_line_and_column() {
        let err = PackageJson::parse("package.json", "{\n  \"a\": 1,\n}".into())
            .err()
            .unwrap();
        let msg = err.to_string();
        assert!(msg.starts_with("package.json:3:1: invalid JSON"), "{msg}");
    }

    #[test]
    fn finds_script_lines_inside_scripts_block() {
        let text = "{\n \"start\": \"x\",\n \"scripts\": {\n  \"start\": \"node a.js\"\n }\n}";
        let pj = PackageJson::parse("package.json", text.into()).unwrap();
        assert_eq!(pj.script("start"), Some("node a.js"));
        assert_eq!(pj.script_evidence("start").line, Some(4));
    }
}

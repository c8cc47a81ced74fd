//! Reading a `Cargo.toml`: the package name, `rust-version`, the binaries it builds (`[[bin]]`
//! targets, `src/main.rs`, `src/bin/*.rs`), its dependencies, and a `[workspace]` table's
//! members, each with the line it is on. A malformed manifest is an error at its line and
//! column.

use crate::detect::source_scan::line_of;
use crate::error::{Error, Position, Result};
use crate::repo::{join, RepoTree};

/// A binary target: the name cargo gives the executable and the file that holds `main`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bin {
    pub name: String,
    pub path: String,
}

#[derive(Debug, Clone, Default)]
pub struct CargoToml {
    pub path: String,
    pub text: String,
    pub package: Option<String>,
    pub rust_version: Option<String>,
    pub bins: Vec<Bin>,
    pub dependencies: Vec<String>,
    /// `[workspace] members` patterns.
    pub members: Vec<String>,
}

impl CargoToml {
    /// Reads `dir/Cargo.toml`; the binaries are found against the tree (`src/main.rs`,
    /// `src/bin/<name>.rs`, `src/bin/<name>/main.rs`).
    pub fn read(tree: &RepoTree, dir: &str) -> Result<Option<CargoToml>> {
        let path = join(dir, "Cargo.toml");
        if !tree.exists(&path) {
            return Ok(None);
        }
        let text = tree.read_text(&path)?;
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            Error::invalid_input(
                path.clone(),
                e.span().map(|s| Position::of_offset(&text, s.start)),
                format!(
                    "{}; expected a Cargo manifest",
                    crate::error::one_line(e.message())
                ),
            )
        })?;
        let package = table.get("package").and_then(|p| p.as_table());
        let name = package
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
            .map(String::from);
        let rust_version = package
            .and_then(|p| p.get("rust-version"))
            .and_then(|v| v.as_str())
            .map(String::from);
        let dependencies = ["dependencies"]
            .iter()
            .filter_map(|s| table.get(*s)?.as_table())
            .flat_map(|t| t.keys().cloned())
            .collect();
        let members = table
            .get("workspace")
            .and_then(|w| w.get("members"))
            .and_then(|m| m.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let mut bins: Vec<Bin> = table
            .get("bin")
            .and_then(|b| b.as_array())
            .map(|targets| {
                targets
                    .iter()
                    .filter_map(|t| {
                        let name = t.get("name")?.as_str()?.to_string();
                        let file = t
                            .get("path")
                            .and_then(|p| p.as_str())
                            .map_or_else(|| format!("src/bin/{name}.rs"), String::from);
                        Some(Bin {
                            name,
                            path: join(dir, &file),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let Some(package) = &name {
            let main = join(dir, "src/main.rs");
            if tree.exists(&main) && !bins.iter().any(|b| b.path == main) {
                bins.insert(
                    0,
                    Bin {
                        name: package.clone(),
                        path: main,
                    },
                );
            }
            let bin_dir = join(dir, "src/bin");
            for file in tree.files_under(&bin_dir) {
                let rest = &file[bin_dir.len() + 1..];
                let name = match rest.split_once('/') {
                    Some((folder, "main.rs")) => folder,
                    None => match rest.strip_suffix(".rs") {
                        Some(stem) => stem,
                        None => continue,
                    },
                    Some(_) => continue,
                };
                if !bins.iter().any(|b| b.name == name) {
                    bins.push(Bin {
                        name: name.to_string(),
                        path: file.to_string(),
                    });
                }
            }
        }
        Ok(Some(CargoToml {
            path,
            text,
            package: name,
            rust_version,
            bins,
            dependencies,
            members,
        }))
    }

    /// The line `needle` first appears on.
    pub fn line(&self, needle: &str) -> Option<usize> {
        line_of(&self.text, needle)
    }

    pub fn depends_on(&self, name: &str) -> bool {
        self.dependencies.iter().any(|d| d == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binaries_from_targets_and_layout() {
        let tree = RepoTree::from_files([
            (
                "Cargo.toml",
                "[package]\nname = \"shop\"\nrust-version = \"1.80\"\n\n[dependencies]\naxum = \"0.8\"\n\n[[bin]]\nname = \"migrate\"\npath = \"tools/migrate.rs\"\n",
            ),
            ("src/main.rs", "fn main() {}"),
            ("src/bin/seed.rs", "fn main() {}"),
            ("src/bin/admin/main.rs", "fn main() {}"),
            ("src/bin/admin/util.rs", ""),
        ]);
        let c = CargoToml::read(&tree, ".").unwrap().unwrap();
        let names: Vec<&str> = c.bins.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["shop", "migrate", "admin", "seed"]);
        assert_eq!(c.rust_version.as_deref(), Some("1.80"));
        assert!(c.depends_on("axum"));
    }

    #[test]
    fn a_malformed_manifest_names_line_and_column() {
        let tree = RepoTree::from_files([("Cargo.toml", "[package]\nname = \n")]);
        let err = CargoToml::read(&tree, ".").unwrap_err().to_string();
        assert!(err.contains("Cargo.toml:2:"), "{err}");
        assert!(err.contains("expected a Cargo manifest"), "{err}");
    }
}

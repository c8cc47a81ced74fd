//! The files that declare a Python project's dependencies: requirements files (with the files
//! they pull in through `-r`/`-c`), pyproject.toml (PEP 621 `[project]` and `[tool.poetry]`) and
//! Pipfile. Parsed once here, with the direct dependency names the framework and server
//! detection look at, each with the line that declares it.

use crate::detect::source_scan::line_of;
use crate::error::{Error, Position, Result};
use crate::facts::Evidence;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;
use regex::Regex;
use std::sync::LazyLock;

/// Requirements files tried in order: the first that exists is the one installed.
const REQUIREMENTS: &[&str] = &[
    "requirements.txt",
    "requirements/production.txt",
    "requirements/prod.txt",
    "requirements/base.txt",
    "requirements/main.txt",
    "requirements/common.txt",
    "requirements/requirements.txt",
    "requirements-prod.txt",
];

static PEP508_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?").expect("valid pattern")
});

/// A TOML manifest: its path, its text and the parsed table.
pub struct TomlFile {
    pub path: String,
    pub text: String,
    pub table: toml::Table,
}

impl TomlFile {
    pub(super) fn read(tree: &RepoTree, path: String, expected: &str) -> Result<Option<TomlFile>> {
        if !tree.exists(&path) {
            return Ok(None);
        }
        let text = tree.read_text(&path)?;
        let table = toml::from_str::<toml::Table>(&text).map_err(|e| {
            Error::invalid_input(
                path.clone(),
                e.span().map(|s| Position::of_offset(&text, s.start)),
                format!(
                    "{}; expected {expected}",
                    crate::error::one_line(e.message())
                ),
            )
        })?;
        Ok(Some(TomlFile { path, text, table }))
    }

    /// The value at a dotted path of table keys, e.g. `["tool", "poetry", "dependencies"]`.
    pub fn get(&self, keys: &[&str]) -> Option<&toml::Value> {
        let (last, parents) = keys.split_last()?;
        let mut table = &self.table;
        for key in parents {
            table = table.get(*key)?.as_table()?;
        }
        table.get(*last)
    }

    pub fn has(&self, keys: &[&str]) -> bool {
        self.get(keys).is_some()
    }

    /// Evidence for `needle`: the first line after the `[section]` header that contains it.
    pub fn evidence(&self, section: &str, needle: &str) -> Evidence {
        let header = format!("[{section}]");
        let start = self.text.find(&header).unwrap_or(0);
        let line = line_of(&self.text[start..], needle)
            .map(|l| l + crate::detect::source_scan::line_at(&self.text, start) - 1);
        Evidence::at(self.path.clone(), line)
    }
}

/// A direct dependency, its name normalised (lower case, `-` for `_` and `.`).
#[derive(Debug, Clone)]
pub struct Dependency {
    pub name: String,
    pub extras: Vec<String>,
    pub evidence: Evidence,
}

/// The requirements file pip installs, and what must be copied with it.
#[derive(Debug, Clone)]
pub struct Requirements {
    pub path: String,
    /// Folder holding the requirements files, when they live in one (`requirements/`).
    pub dir: Option<String>,
    /// A `constraints.txt` next to the service root.
    pub constraints: Option<String>,
}

pub struct Manifests {
    pub pyproject: Option<TomlFile>,
    pub pipfile: Option<TomlFile>,
    pub requirements: Option<Requirements>,
    pub dependencies: Vec<Dependency>,
    pub warnings: Vec<Warning>,
}

impl Manifests {
    /// Whether anything in `dir` says it is a Python project.
    pub fn present(tree: &RepoTree, dir: &str) -> bool {
        [
            "pyproject.toml",
            "Pipfile",
            "setup.py",
            "uv.lock",
            "poetry.lock",
            "pdm.lock",
        ]
        .iter()
        .chain(REQUIREMENTS)
        .any(|f| tree.exists(&join(dir, f)))
    }

    pub fn read(tree: &RepoTree, dir: &str) -> Result<Manifests> {
        let pyproject = TomlFile::read(
            tree,
            join(dir, "pyproject.toml"),
            "a pyproject.toml in TOML syntax",
        )?;
        let pipfile = TomlFile::read(tree, join(dir, "Pipfile"), "a Pipfile in TOML syntax")?;
        let mut m = Manifests {
            pyproject,
            pipfile,
            requirements: None,
            dependencies: Vec::new(),
            warnings: Vec::new(),
        };
        if let Some(path) = REQUIREMENTS
            .iter()
            .map(|r| join(dir, r))
            .find(|p| tree.exists(p))
        {
            m.read_requirements(tree, dir, &path)?;
        }
        m.read_pyproject_dependencies();
        m.read_pipfile_dependencies();
        Ok(m)
    }

    pub fn depends_on(&self, name: &str) -> Option<&Dependency> {
        self.dependencies.iter().find(|d| d.name == name)
    }

    /// The file a user would add a dependency to, for messages.
    pub fn dependency_file(&self, dir: &str) -> String {
        let shown = |p: &str| p.strip_prefix(&format!("{dir}/")).unwrap_or(p).to_string();
        if let Some(r) = &self.requirements {
            shown(&r.path)
        } else if let Some(p) = &self.pipfile {
            shown(&p.path)
        } else {
            "pyproject.toml".to_string()
        }
    }

    fn read_requirements(&mut self, tree: &RepoTree, dir: &str, path: &str) -> Result<()> {
        let folder = path
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .filter(|d| d != dir);
        let mut pending = vec![path.to_string()];
        let mut seen: Vec<String> = Vec::new();
        while let Some(file) = pending.pop() {
            if seen.contains(&file) {
                continue;
            }
            seen.push(file.clone());
            let text = tree.read_text(&file)?;
            let base = file.rsplit_once('/').map_or("", |(d, _)| d);
            for (i, line) in logical_lines(&text) {
                let words: Vec<&str> = line.split_whitespace().collect();
                match words.as_slice() {
                    ["-r" | "--requirement" | "-c" | "--constraint", target, ..] => {
                        let target = join(base, target);
                        let copied = folder
                            .as_deref()
                            .is_some_and(|f| target.starts_with(&format!("{f}/")))
                            || target == join(dir, "constraints.txt");
                        if !tree.exists(&target) {
                            self.warnings.push(Warning::located("requirement-file-missing", format!(
                                "{file}:{}: '{line}' names {target}, which does not exist; pip will fail",
                                i
                            )));
                        } else if !copied {
                            self.warnings.push(Warning::located("requirement-file-not-copied", format!(
                                "{file}:{}: '{line}' names {target}, which the dependency layer does not copy; move it next to {path}",
                                i
                            )));
                        } else {
                            pending.push(target);
                        }
                    }
                    [first, ..]
                        if first.starts_with('-')
                            || first.starts_with('.')
                            || first.contains("://") =>
                    {
                        if matches!(*first, "-e" | "--editable" | ".") {
                            self.warnings.push(Warning::located("requirement-local-source", format!(
                                "{file}:{i}: '{line}' installs local source; the dependency layer is built before the source is copied"
                            )));
                        }
                    }
                    _ => {
                        if let Some(dep) = parse_pep508(&line, Evidence::at(file.clone(), Some(i)))
                        {
                            self.dependencies.push(dep);
                        }
                    }
                }
            }
        }
        let constraints = Some(join(dir, "constraints.txt")).filter(|c| tree.exists(c));
        self.requirements = Some(Requirements {
            path: path.to_string(),
            dir: folder,
            constraints,
        });
        Ok(())
    }

    fn read_pyproject_dependencies(&mut self) {
        let Some(py) = &self.pyproject else { return };
        let mut found = Vec::new();
        if let Some(list) = py
            .get(&["project", "dependencies"])
            .and_then(|v| v.as_array())
        {
            for spec in list.iter().filter_map(|v| v.as_str()) {
                if let Some(dep) = parse_pep508(spec, py.evidence("project", spec)) {
                    found.push(dep);
                }
            }
        }
        if let Some(table) = py
            .get(&["tool", "poetry", "dependencies"])
            .and_then(|v| v.as_table())
        {
            for (name, value) in table.iter().filter(|(n, _)| n.as_str() != "python") {
                let extras = value
                    .get("extras")
                    .and_then(|e| e.as_array())
                    .map(|a| a.iter().filter_map(|x| x.as_str()).map(normalise).collect())
                    .unwrap_or_default();
                found.push(Dependency {
                    name: normalise(name),
                    extras,
                    evidence: py.evidence("tool.poetry.dependencies", &format!("{name} ")),
                });
            }
        }
        self.dependencies.extend(found);
    }

    fn read_pipfile_dependencies(&mut self) {
        let Some(pf) = &self.pipfile else { return };
        let Some(table) = pf.get(&["packages"]).and_then(|v| v.as_table()) else {
            return;
        };
        for (name, value) in table {
            let extras = value
                .get("extras")
                .and_then(|e| e.as_array())
                .map(|a| a.iter().filter_map(|x| x.as_str()).map(normalise).collect())
                .unwrap_or_default();
            self.dependencies.push(Dependency {
                name: normalise(name),
                extras,
                evidence: pf.evidence("packages", &format!("{name} ")),
            });
        }
    }
}

/// Lines with comments removed and `\` continuations joined, each with its first line number.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut continuing = false;
    for (i, raw) in text.lines().enumerate() {
        let no_comment = match raw.find(" #").or_else(|| raw.starts_with('#').then_some(0)) {
            Some(at) => &raw[..at],
            None => raw,
        };
        let (body, continues) = match no_comment.trim_end().strip_suffix('\\') {
            Some(b) => (b, true),
            None => (no_comment, false),
        };
        match out.last_mut() {
            Some((_, last)) if continuing => {
                last.push(' ');
                last.push_str(body.trim());
            }
            _ => out.push((i + 1, body.trim().to_string())),
        }
        continuing = continues;
    }
    out.retain(|(_, l)| !l.is_empty());
    out
}

/// The name and extras of a PEP 508 requirement (`uvicorn[standard]>=0.32; python_version>"3"`).
pub fn parse_pep508(spec: &str, evidence: Evidence) -> Option<Dependency> {
    let caps = PEP508_NAME.captures(spec)?;
    let extras = caps
        .get(2)
        .map(|e| {
            e.as_str()
                .split(',')
                .map(|x| normalise(x.trim()))
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Some(Dependency {
        name: normalise(&caps[1]),
        extras,
        evidence,
    })
}

/// PEP 503 name normalisation: `Flask_SQLAlchemy` and `flask.sqlalchemy` are `flask-sqlalchemy`.
pub fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> RepoTree {
        RepoTree::from_files(
            files
                .iter()
                .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec())),
        )
    }

    #[test]
    fn requirements_follow_includes_and_skip_options() {
        let t = tree(&[
            (
                "requirements/prod.txt",
                "-r base.txt\ngunicorn==23.0 # server\n--index-url x\n",
            ),
            (
                "requirements/base.txt",
                "Django[argon2]>=5 \\\n  ; python_version > '3.8'\n",
            ),
        ]);
        let m = Manifests::read(&t, ".").unwrap();
        let names: Vec<_> = m.dependencies.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["gunicorn", "django"]);
        assert_eq!(m.dependencies[1].extras, ["argon2"]);
        let r = m.requirements.unwrap();
        assert_eq!(
            (r.path.as_str(), r.dir.as_deref()),
            ("requirements/prod.txt", Some("requirements"))
        );
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    }

    #[test]
    fn pyproject_and_pipfile_dependencies() {
        let t = tree(&[
            ("pyproject.toml", "[project]\ndependencies = [\"uvicorn[standard]>=0.3\", \"Fast_API\"]\n[tool.poetry.dependencies]\npython = \"^3.11\"\nflask = \"*\"\n"),
            ("Pipfile", "[packages]\ngunicorn = \"*\"\n"),
        ]);
        let m = Manifests::read(&t, ".").unwrap();
        let names: Vec<_> = m.dependencies.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["uvicorn", "fast-api", "flask", "gunicorn"]);
        assert_eq!(m.dependencies[0].extras, ["standard"]);
        assert_eq!(m.dependencies[2].evidence.line, Some(5));
    }

    #[test]
    fn malformed_pyproject_is_an_error_with_a_position() {
        let t = tree(&[("pyproject.toml", "[project]\nname = \n")]);
        let err = Manifests::read(&t, ".").err().unwrap().to_string();
        assert!(err.starts_with("pyproject.toml:2:"), "{err}");
    }
}

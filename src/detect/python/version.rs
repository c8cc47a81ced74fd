//! The Python minor version a project runs on (`3.11`). Sources, first match wins:
//! `.python-version` (comment lines skipped), `runtime.txt` (`python-3.11.9`), `.tool-versions`,
//! Pipfile `[requires] python_version`, the repository's own Dockerfile (`FROM python:3.12-slim`),
//! pyproject `requires-python`, Poetry's `[tool.poetry.dependencies] python`, then the CI
//! workflow's `python-version` or a bicep `runtimeVersion`.
//!
//! A range (`>=3.11`, `^3.11`, `~=3.12`, `>=3.10,<3.13`) resolves to the newest minor in
//! [`KNOWN_MINORS`] that satisfies it: those are the current releases dockgen builds with,
//! and `>=3.11` therefore means 3.13. An exact version outside the table is used as written.
//! A later source that disagrees with the chosen one is a warning naming both files.

use super::manifests::TomlFile;
use crate::detect::stated_version::{choose, Rules, Stated, VersionFacts};
use crate::detect::{ci_versions, dockerfile_evidence};
use crate::facts::Evidence;
use crate::repo::{join, RepoTree};

/// Python minors (3.x) with current images, oldest first; ranges resolve to the newest that fits.
pub const KNOWN_MINORS: &[u64] = &[10, 11, 12, 13, 14];
/// Minors past their end of life, with the date it came.
pub const END_OF_LIFE: &[(u64, &str)] = &[
    (7, "2023-06-27"),
    (8, "2024-10-07"),
    (9, "2025-10-31"),
    (10, "2026-10-31"),
];

pub fn detect(
    tree: &RepoTree,
    dir: &str,
    pyproject: Option<&TomlFile>,
    pipfile: Option<&TomlFile>,
) -> VersionFacts {
    let mut stated = Vec::new();
    let file_value = |name: &str| -> Option<(String, usize, String)> {
        let path = join(dir, name);
        let text = tree.read_text(&path).ok()?;
        let (i, line) = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .find(|(_, l)| !l.is_empty() && !l.starts_with('#'))?;
        Some((path, i, line.to_string()))
    };
    if let Some((path, line, raw)) = file_value(".python-version") {
        stated.push(resolve(Evidence::at(path, Some(line)), &raw));
    }
    if let Some((path, line, raw)) = file_value("runtime.txt") {
        stated.push(resolve(
            Evidence::at(path, Some(line)),
            raw.trim_start_matches("python-"),
        ));
    }
    let tool_versions = join(dir, ".tool-versions");
    if let Ok(text) = tree.read_text(&tool_versions) {
        for (i, line) in text.lines().enumerate() {
            let mut words = line.split_whitespace();
            if words.next() == Some("python") {
                if let Some(raw) = words.next() {
                    stated.push(resolve(Evidence::at(&tool_versions, Some(i + 1)), raw));
                }
            }
        }
    }
    if let Some(pf) = pipfile {
        for key in ["python_full_version", "python_version"] {
            if let Some(raw) = pf.get(&["requires", key]).and_then(|v| v.as_str()) {
                stated.push(resolve(pf.evidence("requires", key), raw));
                break;
            }
        }
    }
    let images = [("python", ""), ("uv", "python")];
    if let Some((image, version)) = dockerfile_evidence::runtime_version(tree, dir, &images) {
        let mut found = resolve(image.evidence.clone(), &version);
        found.detail = image.detail();
        stated.push(found);
    }
    let mut constraint = None;
    if let Some(py) = pyproject {
        if let Some(raw) = py
            .get(&["project", "requires-python"])
            .and_then(|v| v.as_str())
        {
            constraint = Some(crate::facts::Fact::new(
                raw.to_string(),
                py.evidence("project", "requires-python")
                    .because("requires-python"),
            ));
            stated.push(resolve_range(
                py.evidence("project", "requires-python"),
                raw,
            ));
        }
        if let Some(raw) = py
            .get(&["tool", "poetry", "dependencies", "python"])
            .and_then(|v| v.as_str())
        {
            stated.push(resolve_range(
                py.evidence("tool.poetry.dependencies", "python"),
                raw,
            ));
        }
    }
    if let Some(ci) = ci_versions::stated(tree, dir, "python-version", "python") {
        stated.push(resolve(ci.evidence, &ci.raw));
    }

    let mut facts = choose(
        &stated,
        &Rules {
            runtime: "Python",
            expected: "a version such as 3.12 or 3.12.4, or a range such as >=3.11",
            show: |minor| format!("3.{minor}"),
            allows,
            end_of_life: END_OF_LIFE,
            newest: KNOWN_MINORS.last().copied().unwrap_or(12),
        },
    );
    facts.constraint = constraint;
    facts
}

fn resolve(evidence: Evidence, raw: &str) -> Stated {
    let raw = raw.trim().to_string();
    match exact_minor(&raw) {
        Some(minor) => Stated {
            evidence,
            detail: if raw == format!("3.{minor}") {
                format!("'{raw}'")
            } else {
                format!("'{raw}': images are chosen by minor version")
            },
            raw,
            number: Some(minor),
        },
        None => resolve_range(evidence, &raw),
    }
}

fn resolve_range(evidence: Evidence, raw: &str) -> Stated {
    let raw = raw.trim();
    if exact_minor(raw).is_some() {
        return resolve(evidence, raw);
    }
    let minor = (!raw.is_empty())
        .then(|| KNOWN_MINORS.iter().rev().copied().find(|m| allows(raw, *m)))
        .flatten();
    Stated {
        evidence,
        detail: format!("range '{raw}': the newest current minor that satisfies it"),
        raw: raw.to_string(),
        number: minor,
    }
}

/// `3.11`, `3.11.9`, `3.11-dev`, `3.12.0rc1` as the minor number.
fn exact_minor(v: &str) -> Option<u64> {
    let v = v
        .strip_prefix("python")
        .unwrap_or(v)
        .trim_start_matches(['-', ' ']);
    let mut parts = v.split('.');
    if parts.next()? != "3" {
        return None;
    }
    let minor_part = parts.next()?;
    let digits: String = minor_part
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let rest = &minor_part[digits.len()..];
    let patch_ok = parts.all(|p| {
        p.chars().next().is_some_and(|c| c.is_ascii_digit())
            && p.chars().all(|c| c.is_ascii_alphanumeric())
    });
    (!digits.is_empty()
        && (rest.is_empty() || rest == "-dev" || rest.chars().all(|c| c.is_ascii_alphanumeric()))
        && patch_ok
        && !rest.starts_with('*'))
    .then(|| digits.parse().ok())
    .flatten()
}

/// Whether some 3.`minor`.x release satisfies `spec` (PEP 440 specifiers, Poetry's `^`, `~`,
/// bare versions and `||`).
pub fn allows(spec: &str, minor: u64) -> bool {
    spec.split("||").any(|alt| {
        let mut comparators = Vec::new();
        for part in alt.split(',') {
            let mut pending = String::new();
            for word in part.split_whitespace() {
                pending.push_str(word);
                if !word.chars().all(|c| "<>=!~^".contains(c)) {
                    comparators.push(std::mem::take(&mut pending));
                }
            }
        }
        !comparators.is_empty()
            && (0..=30).any(|patch| comparators.iter().all(|c| satisfies(c, [3, minor, patch])))
    })
}

fn satisfies(comparator: &str, v: [u64; 3]) -> bool {
    let op_len = comparator
        .find(|c: char| c.is_ascii_digit() || c == '*')
        .unwrap_or(comparator.len());
    let (op, version) = comparator.split_at(op_len);
    if version == "*" {
        return true;
    }
    let wildcard = version.ends_with(".*");
    let parts: Vec<u64> = version
        .trim_end_matches(".*")
        .split('.')
        .map(|p| {
            p.chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
                .parse()
                .unwrap_or(0)
        })
        .collect();
    let padded = |p: &[u64]| {
        [
            p.first().copied().unwrap_or(0),
            p.get(1).copied().unwrap_or(0),
            p.get(2).copied().unwrap_or(0),
        ]
    };
    let bound = padded(&parts);
    let prefix = |p: &[u64]| v.iter().zip(p).all(|(a, b)| a == b);
    match op {
        "==" | "" | "===" if wildcard || (op.is_empty() && parts.len() < 3) => prefix(&parts),
        "==" | "" | "===" => v == bound,
        "!=" if wildcard => !prefix(&parts),
        "!=" => v != bound,
        ">=" => v >= bound,
        ">" => v > bound,
        "<=" => v <= bound,
        "<" => v < bound,
        "~=" if parts.len() >= 2 => v >= bound && prefix(&parts[..parts.len() - 1]),
        "^" => v >= bound && v[0] == bound[0],
        "~" if parts.len() >= 2 => v >= bound && prefix(&parts[..2]),
        "~" => v >= bound && prefix(&parts[..1]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minor(raw: &str) -> Option<u64> {
        resolve_range(Evidence::file("x"), raw).number
    }

    #[test]
    fn ranges_resolve_to_the_newest_known_minor() {
        assert_eq!(minor(">=3.11"), Some(14));
        assert_eq!(minor("^3.11"), Some(14));
        // fastapi/full-stack-fastapi-template: a compound range.
        assert_eq!(minor(">=3.14,<4.0"), Some(14));
        assert_eq!(minor(">=3.10,<3.13"), Some(12));
        assert_eq!(minor(">= 3.9, < 3.12"), Some(11));
        assert_eq!(minor("~=3.11"), Some(14));
        assert_eq!(minor("~=3.11.4"), Some(11));
        assert_eq!(minor("~3.12"), Some(12));
        assert_eq!(minor("==3.12.*"), Some(12));
        assert_eq!(minor(">=3.10,!=3.14.*"), Some(13));
        assert_eq!(minor("3.11.*"), Some(11));
        assert_eq!(minor(">=4"), None);
    }

    #[test]
    fn exact_versions_reduce_to_their_minor() {
        assert_eq!(exact_minor("3.11"), Some(11));
        assert_eq!(exact_minor("3.11.9"), Some(11));
        assert_eq!(exact_minor("python-3.12.4"), Some(12));
        assert_eq!(exact_minor("3.14-dev"), Some(14));
        assert_eq!(exact_minor("pypy3.10"), None);
        assert_eq!(exact_minor(">=3.11"), None);
    }

    #[test]
    fn the_repositorys_dockerfile_comes_before_ranges() {
        // astral-sh/uv-docker-example: requires-python >=3.11, the image is python3.12.
        let pyproject = "[project]\nname = \"x\"\nrequires-python = \">=3.11\"\n";
        let t = RepoTree::from_files([
            (
                "Dockerfile",
                "FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\n",
            ),
            ("pyproject.toml", pyproject),
        ]);
        let py = TomlFile::read(&t, "pyproject.toml".into(), "a pyproject")
            .unwrap()
            .unwrap();
        let v = detect(&t, ".", Some(&py), None);
        let fact = v.version.unwrap();
        assert_eq!(
            (fact.value.as_str(), fact.evidence.source()),
            ("3.12", "Dockerfile:1".into())
        );
        assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    }

    #[test]
    fn comment_lines_are_skipped_and_conflicts_warn() {
        let t = RepoTree::from_files([
            (".python-version", "# pinned\n3.11\n".as_bytes().to_vec()),
            ("runtime.txt", "python-3.12.1\n".as_bytes().to_vec()),
        ]);
        let v = detect(&t, ".", None, None);
        let fact = v.version.unwrap();
        assert_eq!(fact.value, "3.11");
        assert_eq!(fact.evidence.line, Some(2));
        assert!(
            v.warnings[0].contains(".python-version:2") && v.warnings[0].contains("runtime.txt:1"),
            "{:?}",
            v.warnings
        );
    }
}

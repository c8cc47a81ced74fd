//! The Node.js major version a project runs on. Sources, first match wins: `.nvmrc`,
//! `.node-version`, `.tool-versions`, package.json `volta.node`, the repository's own Dockerfile
//! (`FROM node:18-slim`), package.json `engines.node`, then the CI workflow's `node-version`.
//! A range resolves to the newest LTS major dockgen knows that satisfies it; sources that
//! disagree produce a warning naming both.

use super::package_json::PackageJson;
use crate::detect::source_scan::line_of;
use crate::detect::stated_version::{choose, Rules, Stated, VersionFacts};
use crate::detect::{ci_versions, dockerfile_evidence};
use crate::facts::Evidence;
use crate::repo::{join, RepoTree};

/// LTS majors dockgen has runtime images for, oldest first.
pub const LTS_MAJORS: &[u64] = &[20, 22, 24];
/// Majors past their end of life, with the date it came.
pub const END_OF_LIFE: &[(u64, &str)] =
    &[(16, "2023-09-11"), (18, "2025-04-30"), (20, "2026-04-30")];
const CODENAMES: &[(&str, u64)] = &[("hydrogen", 18), ("iron", 20), ("jod", 22), ("krypton", 24)];

pub fn detect(tree: &RepoTree, dir: &str, pj: &PackageJson) -> VersionFacts {
    let mut stated = Vec::new();
    for name in [".nvmrc", ".node-version"] {
        let path = join(dir, name);
        if let Some(text) = tree
            .exists(&path)
            .then(|| tree.read_text(&path).ok())
            .flatten()
        {
            if let Some((line, raw)) = first_value_line(&text) {
                stated.push(resolve(Evidence::at(path, Some(line)), raw));
            }
        }
    }
    let tool_versions = join(dir, ".tool-versions");
    if let Ok(text) = tree.read_text(&tool_versions) {
        for (i, line) in text.lines().enumerate() {
            let mut words = line.split_whitespace();
            if matches!(words.next(), Some("nodejs" | "node")) {
                if let Some(raw) = words.next() {
                    stated.push(resolve(Evidence::at(&tool_versions, Some(i + 1)), raw));
                }
            }
        }
    }
    if let Some(raw) = pj.nested_string("volta", "node") {
        stated.push(resolve(evidence_in(pj, "volta", "node"), raw));
    }
    if let Some((image, major)) = dockerfile_evidence::runtime_version(tree, dir, &[("node", "")]) {
        let mut found = resolve(image.evidence.clone(), &major);
        found.detail = image.detail();
        stated.push(found);
    }
    if let Some(raw) = pj.nested_string("engines", "node") {
        stated.push(resolve(evidence_in(pj, "engines", "node"), raw));
    }
    if let Some(ci) = ci_versions::stated(tree, dir, "node-version", "node") {
        stated.push(resolve(ci.evidence, &ci.raw));
    }

    let constraint = pj.nested_string("engines", "node").map(|raw| {
        crate::facts::Fact::new(
            raw.to_string(),
            evidence_in(pj, "engines", "node").because("engines.node"),
        )
    });
    let mut facts = choose(
        &stated,
        &Rules {
            runtime: "Node.js",
            expected: "a version such as 20, v20.11.1, lts/iron or a range such as >=20",
            show: |major| major.to_string(),
            allows: range_allows,
            end_of_life: END_OF_LIFE,
            newest: LTS_MAJORS.last().copied().unwrap_or(22),
        },
    );
    facts.constraint = constraint;
    facts
}

fn evidence_in(pj: &PackageJson, object: &str, key: &str) -> Evidence {
    let start = pj.text.find(&format!("\"{object}\"")).unwrap_or(0);
    let line = line_of(&pj.text[start..], &format!("\"{key}\""))
        .map(|l| l + crate::detect::source_scan::line_at(&pj.text, start) - 1);
    Evidence::at(&pj.path, line)
}

/// The first line that is neither blank nor a comment, with its 1-based number.
fn first_value_line(text: &str) -> Option<(usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .find(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn resolve(evidence: Evidence, raw: &str) -> Stated {
    let raw = raw.trim().to_string();
    let lower = raw.to_ascii_lowercase();
    let newest = *LTS_MAJORS.last().unwrap_or(&22);
    let (major, detail) = if let Some(code) = lower.strip_prefix("lts/") {
        if code == "*" {
            (
                Some(newest),
                format!("'{raw}': the newest LTS dockgen knows"),
            )
        } else {
            let m = CODENAMES.iter().find(|(n, _)| *n == code).map(|(_, m)| *m);
            (m, format!("'{raw}' is Node.js {}", m.unwrap_or_default()))
        }
    } else if let Some(m) = exact_major(&lower) {
        let detail = if lower.trim_start_matches('v') == m.to_string() {
            format!("'{raw}'")
        } else {
            format!("'{raw}': images are chosen by major version")
        };
        (Some(m), detail)
    } else if let Some(m) = newest_lts_in_range(&raw) {
        (
            Some(m),
            format!("range '{raw}': the newest LTS major that satisfies it"),
        )
    } else {
        (None, String::new())
    };
    Stated {
        evidence,
        raw,
        number: major,
        detail,
    }
}

/// `20`, `v20`, `20.11`, `20.11.1`, `v20.x` as a major number.
fn exact_major(v: &str) -> Option<u64> {
    let v = v.strip_prefix('v').unwrap_or(v);
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    parts
        .all(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() || p == "x")
        .then_some(major)
}

/// npm-style ranges (`>=18`, `^20.11`, `18.x || 20.x`, `>=18 <23`) tested against the LTS list.
fn newest_lts_in_range(range: &str) -> Option<u64> {
    LTS_MAJORS
        .iter()
        .rev()
        .copied()
        .find(|m| range_allows(range, *m))
}

pub fn range_allows(range: &str, major: u64) -> bool {
    range.split("||").any(|alt| {
        let comparators: Vec<String> = alt.split_whitespace().map(String::from).collect();
        let joined = join_operators(&comparators).join(", ");
        semver::VersionReq::parse(&joined).is_ok_and(|req| {
            [0, 999]
                .iter()
                .any(|minor| req.matches(&semver::Version::new(major, *minor, 0)))
        })
    })
}

/// `>= 18` written with a space becomes one comparator `>=18`.
fn join_operators(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        match out.last_mut() {
            Some(last) if last.chars().all(|c| "<>=~^".contains(c)) => last.push_str(w),
            _ => out.push(w.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_resolve_to_the_newest_lts_that_fits() {
        assert_eq!(newest_lts_in_range(">=18"), Some(24));
        assert_eq!(newest_lts_in_range("^20.11"), Some(20));
        assert_eq!(newest_lts_in_range(">=18 <23"), Some(22));
        assert_eq!(newest_lts_in_range(">= 18 < 21"), Some(20));
        assert_eq!(newest_lts_in_range("18.x || 20.x"), Some(20));
        assert_eq!(newest_lts_in_range("garbage"), None);
    }

    #[test]
    fn exact_versions_reduce_to_their_major() {
        assert_eq!(exact_major("v20.11.1"), Some(20));
        assert_eq!(exact_major("22"), Some(22));
        assert_eq!(exact_major(">=18"), None);
        assert_eq!(resolve(Evidence::file("x"), "lts/iron").number, Some(20));
    }
}

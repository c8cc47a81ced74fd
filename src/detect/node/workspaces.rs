//! JavaScript workspaces: which folders are members of a monorepo whose lockfile is at the
//! root. Reads the `workspaces` field of the root package.json (npm and yarn: a list, or an
//! object with `packages`) or the `packages:` list of pnpm-workspace.yaml, and expands the
//! patterns against the repository tree.

use super::package_json::PackageJson;
use crate::facts::Evidence;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

/// The member patterns of a workspace root and where they were declared.
pub struct Declared {
    pub patterns: Vec<String>,
    pub evidence: Evidence,
}

/// The patterns the root declares, if it is a workspace root.
pub fn declared(tree: &RepoTree, pj: &PackageJson) -> Option<Declared> {
    if let Some(patterns) = pj.workspace_patterns() {
        return Some(Declared {
            patterns,
            evidence: pj.evidence_for("workspaces"),
        });
    }
    let path = "pnpm-workspace.yaml";
    let text = tree.read_text(path).ok()?;
    let patterns = pnpm_packages(&text);
    let line = crate::detect::source_scan::line_of(&text, "packages:");
    (!patterns.is_empty()).then(|| Declared {
        patterns,
        evidence: Evidence::at(path, line).because("pnpm-workspace.yaml packages"),
    })
}

/// The `packages:` block list of pnpm-workspace.yaml (`- 'apps/*'` items, quoted or not).
fn pnpm_packages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t', '-']) {
            inside = trimmed.starts_with("packages:");
            continue;
        }
        if let Some(item) = trimmed.strip_prefix('-').filter(|_| inside) {
            let item = item.split(" #").next().unwrap_or("").trim();
            let item = item.trim_matches(|c| c == '"' || c == '\'');
            if !item.is_empty() {
                out.push(item.to_string());
            }
        }
    }
    out
}

/// Member folders (sorted, without duplicates) that `patterns` name and that hold a
/// package.json; plus warnings for patterns that are not followed.
pub fn expand(tree: &RepoTree, patterns: &[String]) -> (Vec<String>, Vec<Warning>) {
    let mut members = Vec::new();
    let mut warnings = Vec::new();
    for raw in patterns {
        let pattern = raw.trim().trim_start_matches("./").trim_end_matches('/');
        if pattern.starts_with('!') {
            warnings.push(Warning::new("workspace-pattern-unsupported", format!(
                "workspaces pattern {raw:?}: exclusions are not applied; every matching member with a start command is a service"
            )));
            continue;
        }
        let Some(found) = tree.folders_matching(pattern) else {
            warnings.push(Warning::new("workspace-pattern-unsupported", format!(
                "workspaces pattern {raw:?}: only folder names and `*` segments (`apps/*`, `libs/*/*`) are followed"
            )));
            continue;
        };
        members.extend(
            found
                .into_iter()
                .filter(|d| tree.exists(&join(d, "package.json"))),
        );
    }
    members.sort();
    members.dedup();
    (members, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> RepoTree {
        RepoTree::from_files(files.iter().map(|f| (f.to_string(), "{}".to_string())))
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn expands_star_and_plain_folders() {
        let t = tree(&[
            "package.json",
            "apps/api/package.json",
            "apps/web/package.json",
            "apps/notes/README.md",
            "packages/ui/package.json",
            "packages/other/package.json",
        ]);
        let (members, warnings) = expand(&t, &strings(&["apps/*", "./packages/ui/", "apps/api"]));
        assert_eq!(members, strings(&["apps/api", "apps/web", "packages/ui"]));
        assert!(warnings.is_empty());
        let t = tree(&[
            "libs/shared/ui/package.json",
            "libs/shared/README.md",
            "libs/a/package.json",
        ]);
        let (members, warnings) = expand(&t, &strings(&["libs/*", "libs/*/*"]));
        assert_eq!(members, strings(&["libs/a", "libs/shared/ui"]));
        assert!(warnings.is_empty());
    }

    #[test]
    fn negations_and_deep_globs_are_warned_about() {
        let t = tree(&["apps/api/package.json", "libs/a/b/package.json"]);
        let (members, warnings) =
            expand(&t, &strings(&["apps/*", "!apps/api", "libs/**", "app-*"]));
        assert_eq!(members, strings(&["apps/api"]));
        assert_eq!(warnings.len(), 3, "{warnings:?}");
    }

    #[test]
    fn reads_pnpm_workspace_packages() {
        let text = "packages:\n  - 'apps/*'\n  - \"packages/ui\" # the kit\n  - libs/*\ncatalog:\n  - no\n";
        assert_eq!(
            pnpm_packages(text),
            strings(&["apps/*", "packages/ui", "libs/*"])
        );
    }

    #[test]
    fn reads_both_package_json_forms() {
        for text in [
            r#"{"workspaces": ["apps/*"]}"#,
            r#"{"workspaces": {"packages": ["apps/*"], "nohoist": ["x"]}}"#,
        ] {
            let pj = PackageJson::parse("package.json", text.into()).unwrap();
            let d = declared(&tree(&[]), &pj).unwrap();
            assert_eq!(d.patterns, strings(&["apps/*"]));
        }
    }
}

//! uv workspaces: a root pyproject.toml with `[tool.uv.workspace] members` and one uv.lock at
//! the root for every member. A member has no lockfile of its own: it installs with uv from
//! the root's lock (`uv sync --package <name>`), so its image is built from the repository
//! root with the root's and every member's pyproject.toml copied before the source.

use super::manifests::TomlFile;
use crate::facts::{Evidence, Fact, PackageManager, ServiceFacts};
use crate::repo::{join, RepoTree};

const ROOT_MANIFEST: &str = "pyproject.toml";
const LOCKFILE: &str = "uv.lock";

/// `dir` as a member of the uv workspace at the repository root: what installing it from
/// there changes in `facts`. `name` is the member's `[project] name`. Nothing when `dir` is
/// not a member, or the workspace has no uv.lock.
pub fn apply(tree: &RepoTree, dir: &str, name: Option<&str>, facts: &mut ServiceFacts) {
    if dir == "." || !tree.exists(LOCKFILE) {
        return;
    }
    let Ok(text) = tree.read_text(ROOT_MANIFEST) else {
        return;
    };
    let Ok(root) = text.parse::<toml::Table>() else {
        return;
    };
    let workspace = root
        .get("tool")
        .and_then(|t| t.get("uv"))
        .and_then(|u| u.get("workspace"));
    let patterns = |key: &str| -> Vec<String> {
        workspace
            .and_then(|w| w.get(key))
            .and_then(|m| m.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let expand = |key: &str| -> Vec<String> {
        patterns(key)
            .iter()
            .filter_map(|p| tree.folders_matching(p.trim_end_matches('/')))
            .flatten()
            .filter(|d| tree.exists(&join(d, ROOT_MANIFEST)))
            .collect()
    };
    let excluded = expand("exclude");
    let mut members: Vec<String> = expand("members")
        .into_iter()
        .filter(|m| !excluded.contains(m))
        .collect();
    members.sort();
    members.dedup();
    let (Some(name), true) = (name, members.iter().any(|m| m == dir)) else {
        return;
    };
    let line = crate::detect::source_scan::line_of(&text, "members");
    let evidence = Evidence::at(ROOT_MANIFEST, line);
    facts.package_manager = Some(Fact::new(
        PackageManager::Uv,
        evidence
            .clone()
            .because("a uv workspace member: installed from the root's uv.lock"),
    ));
    facts.details.remove("requirements");
    facts.detail("lockfile", LOCKFILE, Evidence::file(LOCKFILE));
    facts.detail("workspace", dir.to_string(), evidence.clone());
    facts.detail(
        "uv_package",
        name.to_string(),
        evidence
            .clone()
            .because("uv sync --package installs this member and what it needs"),
    );
    let manifests: Vec<String> = members.iter().map(|m| join(m, ROOT_MANIFEST)).collect();
    facts.detail(
        "workspace_manifests",
        manifests,
        evidence.because("every workspace member's pyproject.toml"),
    );
}

/// The `[project] name` of a member's pyproject.toml.
pub fn project_name(pyproject: Option<&TomlFile>) -> Option<&str> {
    pyproject?.get(&["project", "name"])?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Language;

    #[test]
    fn a_member_installs_from_the_root_lock() {
        let tree = RepoTree::from_files([
            ("pyproject.toml", "[tool.uv.workspace]\nmembers = [\"apps/*\", \"libs/*\"]\nexclude = [\"apps/old\"]\n"),
            ("uv.lock", "version = 1\n"),
            ("apps/api/pyproject.toml", "[project]\nname = \"api\"\n"),
            ("apps/old/pyproject.toml", "[project]\nname = \"old\"\n"),
            ("libs/core/pyproject.toml", "[project]\nname = \"core\"\n"),
        ]);
        let mut facts = ServiceFacts::new("apps/api", Language::Python);
        apply(&tree, "apps/api", Some("api"), &mut facts);
        assert_eq!(facts.package_manager.unwrap().value, PackageManager::Uv);
        assert_eq!(facts.details["uv_package"].value, "api");
        assert_eq!(
            facts.details["workspace_manifests"].value,
            serde_json::json!(["apps/api/pyproject.toml", "libs/core/pyproject.toml"])
        );
        let mut old = ServiceFacts::new("apps/old", Language::Python);
        apply(&tree, "apps/old", Some("old"), &mut old);
        assert!(old.package_manager.is_none());
    }
}

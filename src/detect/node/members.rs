//! JavaScript workspace members as services: built from the repository root, where the
//! lockfile is, with every member's package.json copied for the install and the workspace's
//! builds run from the root. The root's members with a start command are its services; a
//! member that compose builds or the folder search finds (a static front end, say) is detected
//! as a member too, so it gets the root's package manager and lockfile instead of none.

use super::package_json::PackageJson;
use super::{detect_in, workspaces};
use crate::error::Result;
use crate::facts::{Evidence, Fact, PackageManager, ServiceFacts};
use crate::repo::{join, RepoTree};

/// The members of a workspace root (the repository root) that are services: those with a
/// production start command. `None` when the root is not a workspace root or no member starts.
pub fn workspace_services(tree: &RepoTree) -> Result<Option<Vec<ServiceFacts>>> {
    if !tree.exists("package.json") {
        return Ok(None);
    }
    let root = PackageJson::parse("package.json", tree.read_text("package.json")?)?;
    let Some(declared) = workspaces::declared(tree, &root) else {
        return Ok(None);
    };
    let (members, warnings) = workspaces::expand(tree, &declared.patterns);
    let manifests: Vec<String> = members.iter().map(|m| join(m, "package.json")).collect();
    let mut services = Vec::new();
    let mut libraries = Vec::new();
    for member in &members {
        let Some(mut facts) = detect_in(tree, member, Some(&root))? else {
            continue;
        };
        let manifest = join(member, "package.json");
        let pj = PackageJson::parse(&manifest, tree.read_text(&manifest)?)?;
        let starts = pj.depends_on("next")
            || [
                "start",
                "start:prod",
                "start:production",
                "prod",
                "serve:prod",
            ]
            .iter()
            .any(|s| pj.script(s).is_some());
        if facts.start.is_none() || !starts {
            libraries.push(member.clone());
            continue;
        }
        facts.warnings.extend(warnings.iter().cloned());
        as_member(tree, &mut facts, member, &declared.evidence, &manifests)?;
        services.push(facts);
    }
    for facts in &mut services {
        facts.detail(
            "workspace_packages",
            libraries.clone(),
            declared
                .evidence
                .clone()
                .because("workspace members without a start command (libraries)"),
        );
    }
    Ok((!services.is_empty()).then_some(services))
}

/// A member builds with every workspace's build script (internal packages it depends on may
/// need theirs), run from the root; none when no member has a build script.
fn workspace_build(
    tree: &RepoTree,
    facts: &ServiceFacts,
    manifests: &[String],
) -> Result<Option<Fact<Vec<String>>>> {
    for manifest in manifests {
        let pj = PackageJson::parse(manifest, tree.read_text(manifest)?)?;
        if pj.script("build").is_none() {
            continue;
        }
        let manager = facts.package_manager.as_ref().map(|m| m.value);
        let berry = facts.details.contains_key("yarn_berry");
        let argv: &[&str] = match manager {
            Some(PackageManager::Pnpm) => &["pnpm", "--recursive", "--if-present", "run", "build"],
            Some(PackageManager::Yarn) if berry => &[
                "yarn",
                "workspaces",
                "foreach",
                "--all",
                "--topological",
                "run",
                "build",
            ],
            Some(PackageManager::Yarn) => &["yarn", "workspaces", "run", "build"],
            Some(PackageManager::Bun) => &["bun", "run", "--filter", "*", "build"],
            _ => &["npm", "run", "build", "--workspaces", "--if-present"],
        };
        return Ok(Some(Fact::new(
            argv.iter().map(|a| a.to_string()).collect(),
            pj.script_evidence("build")
                .because("a workspace's scripts.build: every workspace builds, from the root"),
        )));
    }
    Ok(None)
}

/// `dir` as a member of the workspace the repository root declares, when it is one.
pub fn member(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    if !tree.exists("package.json") {
        return Ok(None);
    }
    let root = PackageJson::parse("package.json", tree.read_text("package.json")?)?;
    let Some(declared) = workspaces::declared(tree, &root) else {
        return Ok(None);
    };
    let (members, _) = workspaces::expand(tree, &declared.patterns);
    if !members.iter().any(|m| m == dir) {
        return Ok(None);
    }
    let Some(mut facts) = detect_in(tree, dir, Some(&root))? else {
        return Ok(None);
    };
    let manifests: Vec<String> = members.iter().map(|m| join(m, "package.json")).collect();
    as_member(tree, &mut facts, dir, &declared.evidence, &manifests)?;
    let others: Vec<String> = members.into_iter().filter(|m| m != dir).collect();
    facts.detail(
        "workspace_packages",
        others,
        declared
            .evidence
            .because("the other workspace members, which it may link to"),
    );
    Ok(Some(facts))
}

/// What building `facts` as the workspace member `dir` changes: the workspace's builds from
/// the root, the member and every member's manifest recorded, and a static site's output as
/// a path from the root.
fn as_member(
    tree: &RepoTree,
    facts: &mut ServiceFacts,
    dir: &str,
    evidence: &Evidence,
    manifests: &[String],
) -> Result<()> {
    facts.build = workspace_build(tree, facts, manifests)?;
    facts.detail("workspace", dir.to_string(), evidence.clone());
    facts.detail(
        "workspace_manifests",
        manifests.to_vec(),
        evidence
            .clone()
            .because("every workspace member's package.json"),
    );
    let is_static = facts
        .details
        .get("runtime")
        .is_some_and(|r| r.value == "static");
    if let Some(out) = facts.details.get_mut("build_output").filter(|_| is_static) {
        if let Some(path) = out.value.as_str() {
            out.value = join(dir, path).into();
        }
    }
    Ok(())
}

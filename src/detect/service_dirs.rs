//! Where a repository's services are when its root is not one: the folders its own compose file
//! builds (`build: ./vote`, or `dockerfile: backend/Dockerfile`), then every folder down to
//! three levels (`services/api`, `src/cartservice`) that is not documentation, tests or tooling,
//! without looking inside a folder already found to be a service.

use crate::compose_file;
use crate::repo::{join, RepoTree};
use std::collections::BTreeSet;
use std::path::Path;

/// How deep below the root a service folder may be.
pub const MAX_DEPTH: usize = 3;

/// Folders of a monorepo that are never services.
const NOT_SERVICES: &[&str] = &[
    "docs",
    "doc",
    "examples",
    "example",
    "test",
    "tests",
    "scripts",
    "tools",
    "e2e",
    "fixtures",
    "benchmarks",
    "bench",
    "deploy",
    "infra",
    "charts",
    "kubernetes",
    "k8s",
    "helm",
    "terraform",
    "node_modules",
    "vendor",
];

/// A folder to look at, and the compose file line that names it, if one does.
pub struct Candidate {
    pub dir: String,
    pub compose: Option<String>,
}

/// What the root compose file builds.
#[derive(Default)]
pub struct ComposeBuilds {
    /// Folders it builds, in the file's order. A build context of the root itself with a
    /// Dockerfile in a folder names that folder.
    pub dirs: Vec<Candidate>,
    /// It also builds the root folder with the root's Dockerfile.
    pub root: bool,
}

pub fn from_compose(tree: &RepoTree) -> ComposeBuilds {
    let Some((name, text)) = compose_file::NAMES
        .iter()
        .find_map(|n| tree.read_text(n).ok().map(|t| (*n, t)))
    else {
        return ComposeBuilds::default();
    };
    let Ok(services) = compose_file::parse(Path::new(name), &text) else {
        return ComposeBuilds::default();
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut root = false;
    for service in services {
        let Some(build) = service.build else { continue };
        let context = normal(&build.context);
        let dockerfile_dir = Path::new(&build.dockerfile)
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = match (context.as_deref(), normal(&dockerfile_dir)) {
            (Some(ctx), Some(sub)) if ctx != "." => normal(&join(ctx, &sub)),
            (Some("."), Some(sub)) => Some(sub),
            (Some(ctx), _) => Some(ctx.to_string()),
            (None, _) => None,
        };
        let Some(dir) = dir.filter(|d| !d.is_empty()) else {
            continue;
        };
        if dir == "." {
            root = true;
            continue;
        }
        if seen.insert(dir.clone()) {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(&format!("{}:", service.name)))
                .map(|i| format!("{name}:{}", i + 1))
                .unwrap_or_else(|| name.to_string());
            out.push(Candidate {
                dir,
                compose: Some(format!("{line} (service {})", service.name)),
            });
        }
    }
    ComposeBuilds { dirs: out, root }
}

/// Every folder down to `MAX_DEPTH`, breadth first, for `is_service` to judge; the folders
/// below one it accepts are not offered.
pub fn search(tree: &RepoTree, mut is_service: impl FnMut(&str) -> bool) {
    let mut level: Vec<String> = vec![".".to_string()];
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for dir in &level {
            for child in tree.child_dirs(dir) {
                let name = child.rsplit('/').next().unwrap_or(&child);
                if name.starts_with('.') || NOT_SERVICES.contains(&name) {
                    continue;
                }
                if !is_service(&child) {
                    next.push(child);
                }
            }
        }
        level = next;
    }
}

/// `./vote/` → `vote`; a path out of the repository → None.
fn normal(path: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_build_contexts_and_dockerfile_folders_name_services() {
        let compose = "services:\n  vote:\n    build:\n      context: ./vote\n  result:\n    build: ./result/\n  backend:\n    build:\n      context: .\n      dockerfile: backend/Dockerfile\n  db:\n    image: postgres:17\n  up:\n    build: ../elsewhere\n";
        let tree = RepoTree::from_files([("compose.yml", compose)]);
        let builds = from_compose(&tree);
        assert!(!builds.root);
        let found: Vec<(String, String)> = builds
            .dirs
            .into_iter()
            .map(|c| (c.dir, c.compose.unwrap()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "vote".to_string(),
                    "compose.yml:2 (service vote)".to_string()
                ),
                (
                    "result".to_string(),
                    "compose.yml:5 (service result)".to_string()
                ),
                (
                    "backend".to_string(),
                    "compose.yml:7 (service backend)".to_string()
                ),
            ]
        );
    }

    #[test]
    fn the_search_goes_three_levels_down_and_not_into_services() {
        let tree = RepoTree::from_files([
            ("src/cart/go.mod", ""),
            ("src/cart/internal/x/go.mod", ""),
            ("src/email/requirements.txt", ""),
            ("docs/site/package.json", ""),
            ("a/b/c/d/go.mod", ""),
        ]);
        let mut seen = Vec::new();
        search(&tree, |dir| {
            seen.push(dir.to_string());
            dir == "src/cart" || dir == "src/email"
        });
        assert!(seen.contains(&"src/cart".to_string()));
        assert!(!seen.iter().any(|d| d.starts_with("src/cart/")), "{seen:?}");
        assert!(!seen.iter().any(|d| d.starts_with("docs")), "{seen:?}");
        assert!(seen.contains(&"a/b/c".to_string()) && !seen.contains(&"a/b/c/d".to_string()));
    }
}

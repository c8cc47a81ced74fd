//! Helpers shared by the detectors for reading application source: finding the line a text
//! appears on, and recognising health-check route paths. Each detector brings its own patterns
//! for its language; what a "health route" is, and which one to prefer, is decided here once.

use crate::facts::Evidence;
use crate::repo::RepoTree;

/// Source files larger than this are not scanned for ports and routes.
pub const MAX_SCANNED_BYTES: usize = 256 * 1024;
/// At most this many source files are scanned per service.
pub const MAX_SCANNED_FILES: usize = 400;

/// Last path segments that name a health check, best first: a liveness probe is what a
/// container HEALTHCHECK wants; `ping` and `status` are weaker signals.
const HEALTH_NAMES: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "_health",
    "livez",
    "live",
    "liveness",
    "readyz",
    "ready",
    "readiness",
    "ping",
    "status",
];

/// The rank of `path` as a health route (lower is better), or None if it is not one.
pub fn health_rank(path: &str) -> Option<usize> {
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    HEALTH_NAMES
        .iter()
        .position(|n| last.eq_ignore_ascii_case(n))
}

/// The 1-based line number of the first line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

/// The 1-based line number of byte `offset` in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Source files under `dir` whose extension is in `extensions`, skipping tests and fixtures,
/// with the `preferred` files (entry points) first. Unreadable or oversized files are left out.
pub fn source_files(
    tree: &RepoTree,
    dir: &str,
    extensions: &[&str],
    preferred: &[String],
) -> Vec<(String, String)> {
    source_paths(tree, dir, extensions, preferred)
        .into_iter()
        .filter_map(|p| read_source(tree, p).map(|text| (p.to_string(), text)))
        .collect()
}

/// The files `source_files` would read, in the same order, without reading them: for a
/// detector that stops as soon as it has what it needs.
pub fn source_paths<'a>(
    tree: &'a RepoTree,
    dir: &'a str,
    extensions: &[&str],
    preferred: &[String],
) -> Vec<&'a str> {
    let mut paths: Vec<&str> = tree
        .files_under(dir)
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            extensions.iter().any(|e| name.ends_with(e))
                && !is_test_path(p)
                && !name.contains(".config.")
                && !name.ends_with(".d.ts")
        })
        .collect();
    paths.sort_by_key(|p| {
        (
            !preferred.iter().any(|f| f == p),
            p.matches('/').count(),
            *p,
        )
    });
    paths.truncate(MAX_SCANNED_FILES);
    paths
}

/// One source file's text, or None when it is unreadable or larger than `MAX_SCANNED_BYTES`.
pub fn read_source(tree: &RepoTree, path: &str) -> Option<String> {
    let text = tree.read_text(path).ok()?;
    (text.len() <= MAX_SCANNED_BYTES).then_some(text)
}

fn is_test_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.split('/').any(|c| {
        matches!(
            c,
            "test" | "tests" | "__tests__" | "spec" | "e2e" | "fixtures" | "examples" | "docs"
        )
    }) || name.contains(".test.")
        || name.contains(".spec.")
        || name.starts_with("test_")
        || name.ends_with("_test.go")
}

/// A health route candidate found in source.
#[derive(Debug, Clone)]
pub struct RouteHit {
    pub route: String,
    pub evidence: Evidence,
}

/// The best health route among `hits`: best-ranked name first, then the order found.
pub fn best_health(hits: Vec<RouteHit>) -> Option<RouteHit> {
    hits.into_iter()
        .filter_map(|h| health_rank(&h.route).map(|r| (r, h)))
        .enumerate()
        .min_by_key(|(i, (rank, _))| (*rank, *i))
        .map(|(_, (_, h))| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_health_routes_and_prefers_liveness() {
        assert_eq!(health_rank("/health"), Some(0));
        assert_eq!(health_rank("/api/healthz"), Some(1));
        assert!(health_rank("/users").is_none());
        let hit = |r: &str| RouteHit {
            route: r.into(),
            evidence: Evidence::file("x"),
        };
        let best = best_health(vec![hit("/status"), hit("/users"), hit("/livez")]).unwrap();
        assert_eq!(best.route, "/livez");
    }

    #[test]
    fn line_numbers_are_one_based() {
        assert_eq!(line_of("a\nb\nc", "c"), Some(3));
        assert_eq!(line_at("a\nb\nc", 2), 2);
    }
}

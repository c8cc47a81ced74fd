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
/// container HEALTHCHECK wants; `ping`, `status` and `version` are weaker signals.
const HEALTH_NAMES: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "_health",
    "_healthz",
    "livez",
    "live",
    "liveness",
    "readyz",
    "ready",
    "readiness",
    "ping",
    "status",
    "version",
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

/// Evidence detail that marks a hit as a mount point (`app.use('/api', router)`): a prefix, not
/// a route that answers by itself.
pub const MOUNT: &str = "mount point";

/// Last path segments of routes that are not requested when no health route exists: they
/// sign in, need a session, or act on a request body.
const NOT_PROBED: &[&str] = &[
    "login", "logout", "signin", "signout", "signup", "register", "auth", "token", "callback",
    "webhook", "webhooks", "admin", "me", "user", "profile", "upload", "graphql", "ws", "socket",
];

/// The route the health check requests: the best-ranked health name among `hits`, in the
/// order found; when none is one, a route without parameters the application declares (`/`
/// first, then the shortest), said so in its evidence.
/// `routers` are the files whose routes hang under a prefix set elsewhere (an `APIRouter`, a
/// Blueprint, an Express `Router()`, a Go route group): their routes are never the stand-in,
/// since the path they answer on is not known here.
pub fn best_health(hits: Vec<RouteHit>, routers: &[String]) -> Option<RouteHit> {
    named_health(&hits).or_else(|| {
        plain_route(
            hits.into_iter()
                .filter(|h| !routers.contains(&h.evidence.path))
                .collect(),
        )
    })
}

/// Whether `text` defines routes under a prefix given where it is mounted: one of `markers`
/// (`APIRouter(`, `Blueprint(`, `.Group(`) appears in it.
pub fn defines_router(text: &str, markers: &[&str]) -> bool {
    markers.iter().any(|m| text.contains(m))
}

/// The best-ranked health name among `hits`, in the order found.
pub fn named_health(hits: &[RouteHit]) -> Option<RouteHit> {
    hits.iter()
        .filter_map(|h| health_rank(&h.route).map(|r| (r, h)))
        .enumerate()
        .min_by_key(|(i, (rank, _))| (*rank, *i))
        .map(|(_, (_, h))| h.clone())
}

/// A route without parameters that is not a mount point or a sign-in: `/` first, then the
/// shortest, in the order found; its evidence says it stands in for a health route.
pub fn plain_route(hits: Vec<RouteHit>) -> Option<RouteHit> {
    let plain = |route: &str| {
        !route.contains(['{', '}', ':', '<', '>', '*', '(', '[', '$', '?'])
            && route
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .is_none_or(|last| !NOT_PROBED.contains(&last.to_ascii_lowercase().as_str()))
    };
    hits.into_iter()
        .filter(|h| h.evidence.detail.as_deref() != Some(MOUNT) && plain(&h.route))
        .enumerate()
        .min_by_key(|(i, h)| {
            let route = h.route.trim_end_matches('/');
            (route.matches('/').count(), route.len(), *i)
        })
        .map(|(_, h)| {
            let what = h.evidence.detail.clone();
            let evidence = h.evidence.because(match what {
                Some(d) => format!("{d}; no health route: a GET route without parameters"),
                None => "no health route: a GET route without parameters".to_string(),
            });
            RouteHit {
                route: h.route,
                evidence,
            }
        })
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
        let best = best_health(vec![hit("/status"), hit("/users"), hit("/livez")], &[]).unwrap();
        assert_eq!(best.route, "/livez");
    }

    #[test]
    fn without_a_health_route_a_plain_get_route_is_requested() {
        let hit = |r: &str| RouteHit {
            route: r.into(),
            evidence: Evidence::file("x"),
        };
        let best = best_health(
            vec![
                hit("/api/articles/:slug"),
                hit("/api/login"),
                hit("/api/articles"),
                hit("/api/tags"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(best.route, "/api/tags");
        assert!(best.evidence.detail.unwrap().contains("no health route"));
        let mount = RouteHit {
            route: "/".into(),
            evidence: Evidence::file("x").because(MOUNT),
        };
        assert_eq!(
            best_health(vec![mount, hit("/hello")], &[]).unwrap().route,
            "/hello"
        );
        assert!(best_health(vec![hit("/users/{id}"), hit("/login")], &[]).is_none());
        let routed = RouteHit {
            route: "/tags".into(),
            evidence: Evidence::file("routes.go"),
        };
        assert!(best_health(vec![routed], &["routes.go".to_string()]).is_none());
    }

    #[test]
    fn line_numbers_are_one_based() {
        assert_eq!(line_of("a\nb\nc", "c"), Some(3));
        assert_eq!(line_at("a\nb\nc", 2), 2);
    }
}

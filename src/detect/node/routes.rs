//! The listening port and the health-check route of a Node application, read from its source:
//! `listen(3000)`, `process.env.PORT || 8080`, `app.get('/health', ...)`, NestJS controllers,
//! and Next.js route files. Every hit is a file:line.

use crate::detect::source_scan::{
    best_health, defines_router, health_rank, line_at, read_source, source_paths, RouteHit, MOUNT,
};
use crate::facts::{Evidence, Fact};
use crate::repo::RepoTree;
use regex::Regex;
use std::sync::LazyLock;

const EXTENSIONS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"];

static PORT_PATTERNS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"process\.env\.PORT\)?\s*(?:\|\||\?\?)\s*(?:process\.env\.\w+\s*(?:\|\||\?\?)\s*)*['\x22]?(\d{2,5})\b",
            "default of process.env.PORT",
        ),
        (r"\.listen\(\s*(\d{2,5})\b", "listen() with a fixed port"),
        (
            r"\bPORT\b['\x22]?\s*:\s*[^,\n]*?\.default\(\s*(\d{2,5})\s*\)",
            "default of the PORT setting in the environment schema",
        ),
        (
            r"\.listen\(\s*\{[^}]*?\bport\s*:\s*(\d{2,5})\b",
            "listen() with a fixed port",
        ),
        (
            r"(?i)\b(?:const|let|var)\s+port\s*(?::\s*\w+\s*)?=\s*(\d{2,5})\b",
            "port constant",
        ),
    ]
    .into_iter()
    .map(|(p, why)| (Regex::new(p).expect("valid port pattern"), why))
    .collect()
});

static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\.(get|all|head|route|use)\(\s*['"`](/[A-Za-z0-9_./-]*)['"`]"#)
        .expect("valid route pattern")
});
/// Fastify's `url: '/health'` and plain node:http's `req.url === '/health'` / `case '/health':`.
static ROUTE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\burl\s*:|\b(?:url|pathname)\s*===?|\bcase)\s*['"`](/[A-Za-z0-9_./-]*)['"`]"#)
        .expect("valid url pattern")
});
static NEST_CONTROLLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"@Controller\(\s*(?:['"`]([A-Za-z0-9_./-]*)['"`])?\s*\)"#).expect("valid pattern")
});
static NEST_GET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"@(?:Get|All|Head)\(\s*(?:['"`]([A-Za-z0-9_./-]*)['"`])?\s*\)"#)
        .expect("valid pattern")
});
static NEST_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"setGlobalPrefix\(\s*['"`]([A-Za-z0-9_./-]*)['"`]"#).expect("valid pattern")
});

/// Express, Koa and Fastify routers: their routes answer under the prefix they are mounted at.
const NODE_ROUTERS: &[&str] = &["Router(", "new Router"];

pub struct RouteFacts {
    pub port: Option<Fact<u16>>,
    pub health: Option<Fact<String>>,
}

/// Scans the service's source, entry points first. Files are read one at a time, and the scan
/// stops once nothing later could change the answer: a port is known and the best possible
/// health route (`/health`) was found outside a NestJS controller (whose global prefix may
/// still come).
pub fn detect(tree: &RepoTree, dir: &str, entry_points: &[String]) -> RouteFacts {
    let mut port = None;
    let mut hits: Vec<RouteHit> = Vec::new();
    let mut nest_prefix = String::new();
    let mut routers = Vec::new();
    // The files read, for the handlers of the routes found.
    let mut files: Vec<(String, String)> = Vec::new();
    for path in source_paths(tree, dir, EXTENSIONS, entry_points) {
        let settled = port.is_some()
            && hits
                .iter()
                .find(|h| health_rank(&h.route) == Some(0))
                .is_some_and(|h| h.evidence.detail.as_deref() != Some("NestJS controller"));
        if settled {
            break;
        }
        let Some(text) = read_source(tree, path) else {
            continue;
        };
        let (path, text) = (&path.to_string(), &text);
        if port.is_none() {
            port = find_port(path, text);
        }
        if defines_router(text, NODE_ROUTERS) {
            routers.push(path.clone());
        }
        if let Some(c) = NEST_PREFIX.captures(text) {
            nest_prefix = format!("/{}", c[1].trim_matches('/'));
        }
        for c in ROUTE.captures_iter(text) {
            let m = c.get(2).expect("group 2");
            let evidence = Evidence::at(path.clone(), Some(line_at(text, m.start())));
            hits.push(RouteHit {
                route: m.as_str().to_string(),
                evidence: if &c[1] == "use" {
                    evidence.because(MOUNT)
                } else {
                    evidence
                },
            });
        }
        for c in ROUTE_URL.captures_iter(text) {
            let m = c.get(1).expect("group 1");
            hits.push(RouteHit {
                route: m.as_str().to_string(),
                evidence: Evidence::at(path.clone(), Some(line_at(text, m.start()))),
            });
        }
        hits.extend(nest_routes(path, text));
        if let Some(route) = next_route(path, dir) {
            hits.push(RouteHit {
                route,
                evidence: Evidence::file(path.clone()).because("Next.js route file"),
            });
        }
        files.push((path.clone(), text.clone()));
    }
    if !nest_prefix.is_empty() && nest_prefix != "/" {
        for h in hits
            .iter_mut()
            .filter(|h| h.evidence.detail.as_deref() == Some("NestJS controller"))
        {
            h.route = format!("{nest_prefix}{}", h.route);
        }
    }
    // A health route that queries the database is the truthful probe.
    let health = crate::detect::data_probe::touching_data(&hits, &files)
        .or_else(|| best_health(hits, &routers))
        .map(|h| Fact::new(h.route, h.evidence));
    RouteFacts { port, health }
}

fn find_port(path: &str, text: &str) -> Option<Fact<u16>> {
    PORT_PATTERNS.iter().find_map(|(re, why)| {
        let c = re.captures(text)?;
        let m = c.get(1)?;
        let port: u16 = m.as_str().parse().ok().filter(|p| *p > 0)?;
        Some(Fact::new(
            port,
            Evidence::at(path, Some(line_at(text, m.start()))).because(*why),
        ))
    })
}

/// Routes of NestJS controllers: `@Controller('health')` + `@Get()` is `/health`.
fn nest_routes(path: &str, text: &str) -> Vec<RouteHit> {
    let Some(controller) = NEST_CONTROLLER.captures(text) else {
        return Vec::new();
    };
    let base = controller
        .get(1)
        .map_or("", |m| m.as_str())
        .trim_matches('/');
    NEST_GET
        .captures_iter(text)
        .map(|c| {
            let sub = c.get(1).map_or("", |m| m.as_str()).trim_matches('/');
            let route = match (base.is_empty(), sub.is_empty()) {
                (true, true) => "/".to_string(),
                (false, true) => format!("/{base}"),
                (true, false) => format!("/{sub}"),
                (false, false) => format!("/{base}/{sub}"),
            };
            let at = c.get(0).map_or(0, |m| m.start());
            RouteHit {
                route,
                evidence: Evidence::at(path, Some(line_at(text, at))).because("NestJS controller"),
            }
        })
        .collect()
}

/// `app/api/health/route.ts` is `/api/health`; `pages/api/health.ts` is `/api/health`.
fn next_route(path: &str, dir: &str) -> Option<String> {
    let rel = if dir == "." {
        path
    } else {
        path.strip_prefix(&format!("{dir}/"))?
    };
    let rel = rel.strip_prefix("src/").unwrap_or(rel);
    if let Some(rest) = rel.strip_prefix("app/") {
        let (folder, file) = rest.rsplit_once('/')?;
        if !file.starts_with("route.") {
            return None;
        }
        let segments: Vec<&str> = folder
            .split('/')
            .filter(|s| !(s.starts_with('(') && s.ends_with(')')))
            .collect();
        return Some(format!("/{}", segments.join("/")));
    }
    let rest = rel.strip_prefix("pages/api/")?;
    let stem = rest.rsplit_once('.').map_or(rest, |(s, _)| s);
    Some(format!("/api/{}", stem.trim_end_matches("/index")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ports_in_common_forms() {
        let p = |t: &str| find_port("a.js", t).map(|f| f.value);
        assert_eq!(p("const port = process.env.PORT || 3000;"), Some(3000));
        assert_eq!(p("app.listen(8080, () => {})"), Some(8080));
        assert_eq!(
            p("fastify.listen({ host: '0.0.0.0', port: 4000 })"),
            Some(4000)
        );
        assert_eq!(p("await app.listen(process.env.PORT ?? 3000);"), Some(3000));
        assert_eq!(p("const PORT = 5000;"), Some(5000));
        assert_eq!(p("Number(process.env.PORT) || 8080"), Some(8080));
        assert_eq!(p("app.listen(port)"), None);
        assert_eq!(
            p("app.set('port', process.env.PORT || process.env.OPENSHIFT_NODEJS_PORT || 8080);"),
            Some(8080)
        );
        assert_eq!(p("    PORT: Joi.number().default(3000),"), Some(3000));
    }

    #[test]
    fn maps_next_route_files() {
        assert_eq!(
            next_route("app/api/health/route.ts", "."),
            Some("/api/health".into())
        );
        assert_eq!(
            next_route("web/src/app/(ops)/healthz/route.js", "web"),
            Some("/healthz".into())
        );
        assert_eq!(
            next_route("pages/api/ping.ts", "."),
            Some("/api/ping".into())
        );
        assert_eq!(next_route("app/page.tsx", "."), None);
    }

    #[test]
    fn nest_controller_and_get_combine() {
        let text = "@Controller('health')\nexport class H {\n  @Get()\n  check() {}\n}";
        let hits = nest_routes("src/h.ts", text);
        assert_eq!(hits[0].route, "/health");
        assert_eq!(hits[0].evidence.line, Some(3));
    }
}

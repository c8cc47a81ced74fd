//! The health-check route and the listening port of a Python application, read from its
//! source: Flask/FastAPI decorators (`@app.get("/health")`, `@bp.route("/healthz")`),
//! Starlette `Route("/health", ...)`, Django `path("healthz/", ...)` in the root URLconf, and
//! ports from `os.environ.get("PORT", 5000)` or `run(..., port=8000)`. Every hit is a file:line.

use super::mounts;
use crate::detect::source_scan::{defines_router, line_at, named_health, plain_route, RouteHit};
use crate::facts::{Evidence, Fact};
use regex::Regex;
use std::sync::LazyLock;

static DECORATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"@\w+(?:\.\w+)*\.(?:route|get|head|api_route)\(\s*[rRuU]?["'](/[A-Za-z0-9_./~-]*)["']"#,
    )
    .expect("valid pattern")
});
static STARLETTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bRoute\(\s*["'](/[A-Za-z0-9_./~-]*)["']"#).expect("valid pattern")
});
static DJANGO_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(re_path|path|url)\(\s*[rR]?["']\^?([A-Za-z0-9_./~-]*)\$?["']"#)
        .expect("valid pattern")
});
static PORT_PATTERNS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r#"(?:environ\.get|getenv|environ\.setdefault)\(\s*["']PORT["']\s*,\s*["']?(\d{2,5})\b"#, "default of the PORT environment variable"),
        (r"\.run\([^)]*?\bport\s*=\s*(\d{2,5})\b", "run() with a fixed port"),
        (r"(?m)^PORT\s*=\s*(\d{2,5})\b", "PORT constant"),
    ]
    .into_iter()
    .map(|(p, why)| (Regex::new(p).expect("valid port pattern"), why))
    .collect()
});

/// FastAPI routers and Flask blueprints: their routes answer under the prefix they are included
/// with; Django's included URLconfs are not read at all.
const PYTHON_ROUTERS: &[&str] = &["APIRouter(", "Blueprint("];

/// A router constructed with a prefix of its own: `APIRouter(prefix="/utils")`,
/// `Blueprint("api", __name__, url_prefix="/api")`.
static ROUTER_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:APIRouter|Blueprint)\([^)]*\b(?:url_)?prefix\s*=").expect("valid pattern")
});

pub struct RouteFacts {
    /// A route named like a health check.
    pub health: Option<Fact<String>>,
    /// A health route on a router that declares its own prefix (`APIRouter(prefix="/utils")`):
    /// the path it answers on is not the route alone, so it is not probed.
    pub prefixed_health: Option<RouteHit>,
    /// A route without parameters, for when there is no health route.
    pub plain: Option<Fact<String>>,
    pub port: Option<Fact<u16>>,
}

/// Scans `files` (entry points first). `django_urls` is the root URLconf, where Django routes
/// are read (routes in included URLconfs carry a prefix that is not known here).
pub fn detect(files: &[(String, String)], django_urls: Option<&str>) -> RouteFacts {
    let mut hits = Vec::new();
    let mut port = None;
    for (path, text) in files {
        for re in [&*DECORATOR, &*STARLETTE] {
            for caps in re.captures_iter(text) {
                let at = caps.get(0).map_or(0, |m| m.start());
                let end = caps.get(0).map_or(0, |m| m.end());
                if !answers_get(&text[end..]) {
                    continue;
                }
                hits.push(RouteHit {
                    route: caps[1].to_string(),
                    evidence: Evidence::at(path.clone(), Some(line_at(text, at))),
                });
            }
        }
        if Some(path.as_str()) == django_urls {
            for caps in DJANGO_PATH.captures_iter(text) {
                let at = caps.get(0).map_or(0, |m| m.start());
                hits.push(RouteHit {
                    route: format!("/{}", caps[2].trim_start_matches('/')),
                    evidence: Evidence::at(path.clone(), Some(line_at(text, at)))
                        .because(format!("Django {}() in the root URLconf", &caps[1])),
                });
            }
        }
        if port.is_none() {
            port = PORT_PATTERNS.iter().find_map(|(re, why)| {
                let caps = re.captures(text)?;
                let value: u16 = caps[1].parse().ok().filter(|p| *p > 0)?;
                let at = caps.get(0).map_or(0, |m| m.start());
                Some(Fact::new(
                    value,
                    Evidence::at(path.clone(), Some(line_at(text, at))).because(*why),
                ))
            });
        }
    }
    // Routes of a router answer under the prefixes it is mounted with: resolved where the
    // chain up to the app is found; a router with a prefix of its own that is not resolved
    // answers somewhere unknown.
    let text_of = |path: &str| {
        files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.as_str())
    };
    let (mut resolved, mut prefixed_hits, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for h in hits {
        let text = text_of(&h.evidence.path).unwrap_or("");
        if !defines_router(text, PYTHON_ROUTERS) {
            other.push(h);
            continue;
        }
        let full = h
            .evidence
            .line
            .and_then(|line| mounts::decorator_var(text, line))
            .and_then(|var| mounts::full_path(files, &h.evidence.path, var, &h.route));
        match full {
            Some((route, how)) => {
                let why = format!("route {} of a router: {how}", h.route);
                resolved.push(RouteHit {
                    route,
                    evidence: h.evidence.because(why),
                });
            }
            None if ROUTER_PREFIX.is_match(text) => prefixed_hits.push(h),
            None => other.push(h),
        }
    }
    let hits: Vec<RouteHit> = other.iter().chain(&resolved).cloned().collect();
    // A health route that queries the database is the truthful probe.
    let health = crate::detect::data_probe::touching_data(&hits, files)
        .or_else(|| {
            named_health(&hits).map(|h| {
                let detail = h
                    .evidence
                    .detail
                    .clone()
                    .unwrap_or_else(|| "route definition".to_string());
                RouteHit {
                    route: h.route,
                    evidence: h.evidence.because(detail),
                }
            })
        })
        .map(|h| Fact::new(h.route, h.evidence));
    // A plain route stands in for a health route only outside routers: theirs tend to be the
    // API's resources, which need data.
    let plain = plain_route(
        other
            .into_iter()
            .filter(|h| !defines_router(text_of(&h.evidence.path).unwrap_or(""), PYTHON_ROUTERS))
            .collect(),
    )
    .map(|h| Fact::new(h.route, h.evidence));
    RouteFacts {
        prefixed_health: named_health(&prefixed_hits),
        health,
        plain,
        port,
    }
}

/// Where FastAPI serves its interactive docs: `/docs` unless `docs_url` moves them (the first
/// string it is given, as `docs_url="/api/docs"` or a settings field `docs_url: str = "/x"`) or
/// removes them (`docs_url=None` and no string anywhere).
pub fn fastapi_docs(files: &[(String, String)]) -> Option<(String, String)> {
    let mut removed = false;
    for (_, text) in files {
        for caps in DOCS_URL.captures_iter(text) {
            match caps.get(1) {
                Some(route) => {
                    return Some((
                        route.as_str().to_string(),
                        "FastAPI serves its docs page at docs_url".to_string(),
                    ))
                }
                None => removed = true,
            }
        }
    }
    (!removed).then(|| {
        (
            "/docs".to_string(),
            "FastAPI serves its docs page at /docs (no docs_url is set)".to_string(),
        )
    })
}

static DOCS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bdocs_url\b["']?\s*(?::\s*[\w\[\]|. ]+?)?\s*[=:]\s*(?:["'](/[A-Za-z0-9_./-]*)["']|None\b)"#)
        .expect("valid pattern")
});

/// Whether the rest of a route declaration (after its path) leaves GET in: no `methods=`
/// list, or one that names GET. A `websocket_route` never does.
fn answers_get(rest: &str) -> bool {
    let mut end = rest
        .find("\n@")
        .or_else(|| rest.find("def "))
        .unwrap_or(rest.len())
        .min(300);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let call = &rest[..end];
    match call.find("methods") {
        Some(i) => call[i..].to_ascii_uppercase().contains("GET"),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, text: &str) -> (String, String) {
        (path.to_string(), text.to_string())
    }

    #[test]
    fn fastapi_docs_follow_docs_url() {
        let docs = |t: &str| fastapi_docs(&[f("main.py", t)]).map(|d| d.0);
        assert_eq!(docs("app = FastAPI()"), Some("/docs".into()));
        assert_eq!(
            docs("app = FastAPI(docs_url=\"/api/docs\")"),
            Some("/api/docs".into())
        );
        assert_eq!(docs("app = FastAPI(docs_url=None)"), None);
        assert_eq!(
            docs("class S:\n    docs_url: str = \"/docs\"\n\napp = FastAPI(**{\"docs_url\": s.docs_url})"),
            Some("/docs".into())
        );
    }

    #[test]
    fn a_health_route_under_a_router_prefix_is_not_probed() {
        // Modelled on fastapi/full-stack-fastapi-template: the route answers on
        // /api/v1/utils/health-check/, which no one file says.
        let files = [
            f(
                "app/main.py",
                "app = FastAPI()
app.include_router(api_router, prefix=settings.API_V1_STR)
",
            ),
            f(
                "app/api/routes/utils.py",
                "router = APIRouter(prefix=\"/utils\", tags=[\"utils\"])

@router.get(\"/health-check/\")
async def health_check() -> bool:
    return True
",
            ),
        ];
        let r = detect(&files, None);
        assert!(r.health.is_none());
        let h = r.prefixed_health.unwrap();
        assert_eq!(
            (h.route.as_str(), h.evidence.line),
            ("/health-check/", Some(3))
        );
    }

    #[test]
    fn routes_that_do_not_answer_get_are_not_probed() {
        let files = [f(
            "app.py",
            "@app.route(\"/\", methods=['POST'])\ndef talk(): ...\n@app.route(\"/items\", methods=[\"GET\", \"POST\"])\ndef items(): ...\n",
        )];
        assert_eq!(detect(&files, None).plain.unwrap().value, "/items");
        assert!(answers_get("é".repeat(400).as_str()));
    }

    #[test]
    fn decorators_django_paths_and_ports() {
        let files = [
            f("app.py", "app = Flask(__name__)\n\n@app.route(\"/\")\ndef i(): ...\n@bp.get('/api/healthz')\ndef h(): ...\nif __name__ == '__main__':\n    app.run(port=int(os.environ.get(\"PORT\", 5000)))\n"),
            f("site/urls.py", "urlpatterns = [\n    path(\"healthz/\", h),\n    re_path(r'^live$', l),\n]\n"),
        ];
        let r = detect(&files, Some("site/urls.py"));
        let health = r.health.unwrap();
        assert_eq!(
            (health.value.as_str(), health.evidence.source()),
            ("/api/healthz", "app.py:5".to_string())
        );
        let port = r.port.unwrap();
        assert_eq!((port.value, port.evidence.line), (5000, Some(8)));
        let r = detect(&files[1..], Some("site/urls.py"));
        assert_eq!(r.health.unwrap().value, "/healthz/");
        assert!(detect(&files[1..], None).health.is_none());
    }
}

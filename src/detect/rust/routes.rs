//! Where a Rust server listens and what it answers, from its source: `bind("0.0.0.0:8080")`
//! (tokio, std, actix), `SocketAddr::from(([0, 0, 0, 0], 3000))`, a `PORT` variable with its
//! default, and routes (`.route("/health", get(..))` in axum, `#[get("/health")]` in actix and
//! Rocket, `web::resource`, `warp::path!`, poem's `.at`). Pure: works on text the detector read.

use crate::detect::source_scan::{best_health, line_at, RouteHit};
use crate::facts::{Evidence, Fact};
use crate::warning::Warning;
use regex::Regex;
use std::sync::LazyLock;

static BIND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"bind\(\s*"([^"]*):(\d{2,5})""#).expect("valid pattern"));
static SOCKET_ADDR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\s*\[\s*(\d+)\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]\s*,\s*(\d{2,5})\s*\)")
        .expect("valid pattern")
});
/// `env::var("PORT")` followed, in the same statement, by a default.
static PORT_VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"var\(\s*"([A-Z_]*PORT)"\s*\)[^;]{0,160}?unwrap_or(?:_else)?\([^;]*?"?(\d{2,5})"?"#,
    )
    .expect("valid pattern")
});
static ROUTES: LazyLock<[Regex; 4]> = LazyLock::new(|| {
    [
        Regex::new(
            r#"\.(?:route|at)\(\s*"(/[^"]*)"\s*,\s*(?:axum::routing::|routing::|poem::)?get"#,
        ),
        Regex::new(r#"#\[get\(\s*"(/[^"]*)""#),
        Regex::new(r#"resource\(\s*"(/[^"]*)"\s*\)\s*\.(?:route\(\s*web::get|to\()"#),
        Regex::new(r#"warp::path!?\(\s*"([^"/]+)"\s*\)"#),
    ]
    .map(|r| r.expect("valid pattern"))
});

pub struct Listening {
    pub port: Option<Fact<u16>>,
    pub health: Option<Fact<String>>,
    pub warnings: Vec<Warning>,
}

/// `sources` are (path, text) of the crate's `.rs` files, the binary's own first.
pub fn detect(sources: &[(String, String)]) -> Listening {
    let mut port = None;
    let mut warnings = Vec::new();
    let mut hits = Vec::new();
    for (path, text) in sources {
        if port.is_none() {
            port = port_in(path, text, &mut warnings);
        }
        for re in ROUTES.iter() {
            for c in re.captures_iter(text) {
                let route = c[1].to_string();
                hits.push(RouteHit {
                    route: if route.starts_with('/') {
                        route
                    } else {
                        format!("/{route}")
                    },
                    evidence: Evidence::at(
                        path,
                        Some(line_at(text, c.get(0).map_or(0, |m| m.start()))),
                    ),
                });
            }
        }
    }
    let health = best_health(hits, &[]).map(|h| Fact::new(h.route, h.evidence));
    Listening {
        port,
        health,
        warnings,
    }
}

fn port_in(path: &str, text: &str, warnings: &mut Vec<Warning>) -> Option<Fact<u16>> {
    let at = |offset: usize| Evidence::at(path, Some(line_at(text, offset)));
    if let Some(c) = PORT_VARIABLE.captures(text) {
        let p = c[2].parse().ok()?;
        return Some(Fact::new(
            p,
            at(c.get(0)?.start()).because(format!("the {} variable's default", &c[1])),
        ));
    }
    if let Some(c) = BIND.captures(text) {
        let p: u16 = c[2].parse().ok()?;
        let line = line_at(text, c.get(0)?.start());
        if matches!(&c[1], "127.0.0.1" | "localhost") {
            warnings.push(Warning::located("binds-loopback", format!(
                "{path}:{line}: the server binds {}:{p}, which no one outside the container reaches; bind 0.0.0.0:{p}",
                &c[1]
            )));
        }
        return Some(Fact::new(
            p,
            at(c.get(0)?.start()).because("the address the server binds"),
        ));
    }
    let c = SOCKET_ADDR.captures(text)?;
    let p: u16 = c[2].parse().ok()?;
    if &c[1] == "127" {
        warnings.push(Warning::located("binds-loopback", format!(
            "{path}:{}: the server binds 127.0.0.1:{p}, which no one outside the container reaches; bind [0, 0, 0, 0]",
            line_at(text, c.get(0)?.start())
        )));
    }
    Some(Fact::new(
        p,
        at(c.get(0)?.start()).because("the address the server binds"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listen(code: &str) -> Listening {
        detect(&[("src/main.rs".into(), code.into())])
    }

    #[test]
    fn ports_from_binds_addresses_and_variables() {
        let l = listen("let port = std::env::var(\"PORT\").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);\nlet l = TcpListener::bind((\"0.0.0.0\", port));");
        assert_eq!(l.port.unwrap().value, 8080);
        assert_eq!(
            listen("HttpServer::new(f).bind(\"0.0.0.0:9000\")?")
                .port
                .unwrap()
                .value,
            9000
        );
        let local = listen("let addr = SocketAddr::from(([127, 0, 0, 1], 3000));");
        assert_eq!(local.port.unwrap().value, 3000);
        assert_eq!(local.warnings.len(), 1);
    }

    #[test]
    fn health_routes_in_each_framework() {
        let axum = listen("Router::new().route(\"/\", get(root)).route(\"/healthz\", get(health))");
        assert_eq!(axum.health.unwrap().value, "/healthz");
        assert_eq!(
            listen("#[get(\"/health\")]\nasync fn h() {}")
                .health
                .unwrap()
                .value,
            "/health"
        );
        assert_eq!(
            listen("let h = warp::path!(\"ping\").map(|| \"ok\");")
                .health
                .unwrap()
                .value,
            "/ping"
        );
    }
}

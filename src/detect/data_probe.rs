//! Health routes that touch the app's data store. A probe that passes while the database is
//! down is a lie, so among the routes named like a health check, one whose handler queries the
//! database (`SELECT 1`, `db.session.execute`, `pool.query`, `db.PingContext`, a repository
//! count) is preferred to one that only answers. The handler is the code after the route up to
//! the next route of the file, or the function the route names (`path("healthz/",
//! views.healthz)`, `mux.HandleFunc("/healthz", healthz)`), wherever it is defined.

use crate::detect::source_scan::{named_health, RouteHit};

/// Code that reaches a database, cache or broker, in the languages dockgen reads.
const DATA_CALLS: &[&str] = &[
    "SELECT 1",
    "select 1",
    "db.session",
    ".execute(",
    "engine.connect",
    "connection.cursor",
    "connection.ensure_connection",
    ".cursor()",
    "pool.query",
    ".query(",
    "$queryRaw",
    "knex.raw",
    "knex(",
    ".authenticate()",
    ".ping()",
    ".Ping(",
    "PingContext(",
    ".admin().ping",
    "getRepository(",
    ".count(",
    "jdbcTemplate",
    "JdbcTemplate",
    "redis.ping",
    "Redis.ping",
];

/// Lines of a handler read at most.
const BODY_LINES: usize = 30;

/// The best-ranked health route among `hits` whose handler touches data, if any.
pub fn touching_data(hits: &[RouteHit], files: &[(String, String)]) -> Option<RouteHit> {
    let touching: Vec<RouteHit> = hits
        .iter()
        .filter(|h| handler_touches_data(h, hits, files))
        .cloned()
        .collect();
    named_health(&touching).map(|h| {
        let detail = h
            .evidence
            .detail
            .clone()
            .unwrap_or_else(|| "route definition".to_string());
        RouteHit {
            route: h.route,
            evidence: h
                .evidence
                .because(format!("{detail}; its handler queries the database")),
        }
    })
}

fn handler_touches_data(hit: &RouteHit, hits: &[RouteHit], files: &[(String, String)]) -> bool {
    let Some(line) = hit.evidence.line else {
        return false;
    };
    let Some((_, text)) = files.iter().find(|(p, _)| *p == hit.evidence.path) else {
        return false;
    };
    let lines: Vec<&str> = text.lines().collect();
    let start = line.saturating_sub(1);
    let Some(route_line) = lines.get(start) else {
        return false;
    };
    // The next route of the same file ends this one's handler.
    let next_route = hits
        .iter()
        .filter(|h| h.evidence.path == hit.evidence.path)
        .filter_map(|h| h.evidence.line)
        .filter(|l| *l > line)
        .min()
        .map_or(usize::MAX, |l| l - 1);
    let end = block_end(&lines, start).min(next_route);
    if touches(&lines[start..end]) {
        return true;
    }
    let Some(name) = named_handler(route_line) else {
        return false;
    };
    files.iter().any(|(_, text)| {
        let lines: Vec<&str> = text.lines().collect();
        lines
            .iter()
            .position(|l| defines(l, name))
            .is_some_and(|at| touches(&lines[at..block_end(&lines, at)]))
    })
}

/// The end (exclusive) of the block that starts at `start`: the first later line indented no
/// deeper than it, past the decorators and `def` line of a Python handler, at most
/// `BODY_LINES` on.
fn block_end(lines: &[&str], start: usize) -> usize {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let base = indent(lines[start]);
    let limit = (start + BODY_LINES).min(lines.len());
    let mut header = true;
    for (i, line) in lines.iter().enumerate().take(limit).skip(start + 1) {
        let code = line.trim_start();
        if code.is_empty() {
            continue;
        }
        if indent(line) > base {
            header = false;
            continue;
        }
        let python_header = ["@", "def ", "async def "]
            .iter()
            .any(|p| code.starts_with(p));
        if header && python_header {
            continue;
        }
        return if code.starts_with(['}', ')', ']']) {
            i + 1
        } else {
            i
        };
    }
    limit
}

fn touches(lines: &[&str]) -> bool {
    lines.iter().any(|l| {
        let code = l.trim_start();
        !code.starts_with("//")
            && !code.starts_with('#')
            && DATA_CALLS.iter().any(|c| l.contains(c))
    })
}

/// The function a route line hands the request to: the last name before the closing
/// parenthesis (`views.healthz` is `healthz`).
fn named_handler(line: &str) -> Option<&str> {
    let call = line
        .trim_end()
        .trim_end_matches([';', ','])
        .strip_suffix(')')?;
    let (_, last) = call.rsplit_once(',')?;
    let name = last.trim().rsplit('.').next()?;
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    ok.then_some(name)
}

/// Whether `line` defines the function `name` in Python, Go, JavaScript or TypeScript.
fn defines(line: &str, name: &str) -> bool {
    [
        format!("def {name}("),
        format!("func {name}("),
        format!(") {name}("),
        format!("function {name}("),
        format!("const {name} ="),
    ]
    .iter()
    .any(|d| line.contains(d.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Evidence;

    fn hit(path: &str, line: usize, route: &str) -> RouteHit {
        RouteHit {
            route: route.into(),
            evidence: Evidence::at(path, Some(line)),
        }
    }

    #[test]
    fn a_health_route_that_queries_the_database_is_preferred() {
        let app = "@app.get(\"/health\")\ndef health():\n    return {\"ok\": True}\n\n@app.get(\"/readyz\")\ndef ready():\n    with engine.connect() as c:\n        c.execute(text(\"SELECT 1\"))\n    return {\"ok\": True}\n";
        let files = vec![("app.py".to_string(), app.to_string())];
        let hits = vec![hit("app.py", 1, "/health"), hit("app.py", 5, "/readyz")];
        let best = touching_data(&hits, &files).unwrap();
        assert_eq!(best.route, "/readyz");
        assert!(best.evidence.source().starts_with("app.py:5"));
        // Only answering: no route touches data.
        assert!(touching_data(&hits[..1], &files).is_none());
    }

    #[test]
    fn a_named_handler_is_read_where_it_is_defined() {
        let urls = "urlpatterns = [\n    path(\"healthz/\", views.healthz),\n    path(\"ping/\", views.ping),\n]\n";
        let views = "def ping(request):\n    return HttpResponse(\"pong\")\n\ndef healthz(request):\n    connection.ensure_connection()\n    return HttpResponse(\"ok\")\n";
        let files = vec![
            ("shop/urls.py".to_string(), urls.to_string()),
            ("shop/views.py".to_string(), views.to_string()),
        ];
        let hits = vec![
            hit("shop/urls.py", 2, "/healthz/"),
            hit("shop/urls.py", 3, "/ping/"),
        ];
        assert_eq!(touching_data(&hits, &files).unwrap().route, "/healthz/");
        let go = "mux.HandleFunc(\"/livez\", live)\nmux.HandleFunc(\"/readyz\", s.ready)\n\nfunc live(w http.ResponseWriter, r *http.Request) {}\n\nfunc (s *server) ready(w http.ResponseWriter, r *http.Request) {\n\tif err := s.db.PingContext(r.Context()); err != nil {\n\t\thttp.Error(w, err.Error(), 503)\n\t}\n}\n";
        let files = vec![("main.go".to_string(), go.to_string())];
        let hits = vec![hit("main.go", 1, "/livez"), hit("main.go", 2, "/readyz")];
        assert_eq!(touching_data(&hits, &files).unwrap().route, "/readyz");
    }
}

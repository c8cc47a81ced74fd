//! Where an ASP.NET Core app listens and what it answers, from its C# source and settings:
//! `UseUrls`/`app.Run`/`Urls.Add` URLs, Kestrel `Listen*` calls, a `PORT` variable with its
//! default, `Kestrel:Endpoints` and `Urls` in appsettings.json, and health routes
//! (`MapHealthChecks`, `MapGet`, `[HttpGet]`). Pure: works on text the detector read.

use crate::detect::source_scan::{best_health, line_at, RouteHit};
use crate::facts::{Evidence, Fact};
use crate::warning::Warning;
use regex::Regex;
use std::sync::LazyLock;

/// A URL the app binds: `UseUrls("http://*:5000")`, `app.Run("http://0.0.0.0:3000")`,
/// `app.Urls.Add("http://+:80")`.
static URL_BIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:UseUrls|\.Run|Urls\.Add)\(\s*\$?"https?://([^/:"]+):(\d+)"#)
        .expect("valid pattern")
});
/// Kestrel's own listeners: `ListenAnyIP(5000)`, `Listen(IPAddress.Any, 5000)`,
/// `ListenLocalhost(5000)`.
static KESTREL_LISTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(ListenAnyIP|ListenLocalhost|Listen)\(\s*(?:IPAddress\.\w+\s*,\s*)?(\d+)")
        .expect("valid pattern")
});
/// `Environment.GetEnvironmentVariable("PORT") ?? "8080"`.
static PORT_VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"GetEnvironmentVariable\(\s*"([A-Z_]*PORT)"\s*\)\s*\?\?\s*"?(\d+)"#)
        .expect("valid pattern")
});
/// `app.MapHealthChecks("/healthz")`, `app.MapGet("/health", ...)`, `[HttpGet("/ping")]`.
static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(MapHealthChecks|MapGet|HttpGet)\(\s*"(/[^"]*)""#).expect("valid pattern")
});

pub struct Listening {
    pub port: Option<Fact<u16>>,
    /// The variable the app reads its port from (`PORT`), when it reads one.
    pub port_variable: Option<Fact<String>>,
    pub health: Option<Fact<String>>,
    pub warnings: Vec<Warning>,
}

/// `sources` are (path, text) of the project's `.cs` files, entry points first; `settings` is
/// appsettings.json when present.
pub fn detect(sources: &[(String, String)], settings: Option<(&str, &str)>) -> Listening {
    let mut port = None;
    let mut port_variable = None;
    let mut warnings = Vec::new();
    let mut hits = Vec::new();
    for (path, text) in sources {
        if port.is_none() {
            if let Some(c) = PORT_VARIABLE.captures(text) {
                let at = Evidence::at(path, Some(line_at(text, c.get(0).map_or(0, |m| m.start()))));
                if let Ok(p) = c[2].parse::<u16>() {
                    port = Some(Fact::new(
                        p,
                        at.clone()
                            .because(format!("the {} variable's default", &c[1])),
                    ));
                    port_variable = Some(Fact::new(c[1].to_string(), at));
                }
            } else if let Some(c) = URL_BIND.captures(text) {
                let line = line_at(text, c.get(0).map_or(0, |m| m.start()));
                if let Ok(p) = c[2].parse::<u16>() {
                    if matches!(&c[1], "localhost" | "127.0.0.1") {
                        warnings.push(Warning::located("binds-loopback", format!("{path}:{line}: the app binds {}:{p}, which no one outside the container reaches; bind http://0.0.0.0:{p}", &c[1])));
                    }
                    port = Some(Fact::new(
                        p,
                        Evidence::at(path, Some(line)).because("the URL the app binds"),
                    ));
                }
            } else if let Some(c) = KESTREL_LISTEN.captures(text) {
                let line = line_at(text, c.get(0).map_or(0, |m| m.start()));
                if let Ok(p) = c[2].parse::<u16>() {
                    if &c[1] == "ListenLocalhost" {
                        warnings.push(Warning::located("binds-loopback", format!("{path}:{line}: ListenLocalhost({p}) is not reachable from outside the container; use ListenAnyIP({p})")));
                    }
                    port = Some(Fact::new(
                        p,
                        Evidence::at(path, Some(line)).because(format!("Kestrel {}", &c[1])),
                    ));
                }
            }
        }
        for c in ROUTE.captures_iter(text) {
            let line = line_at(text, c.get(0).map_or(0, |m| m.start()));
            let evidence = Evidence::at(path, Some(line));
            hits.push(RouteHit {
                route: c[2].to_string(),
                evidence: if &c[1] == "MapHealthChecks" {
                    evidence.because("ASP.NET Core health checks endpoint")
                } else {
                    evidence
                },
            });
        }
    }
    // A health-checks endpoint is the app's own liveness answer: it wins over any other route.
    let mapped = hits.iter().find(|h| h.evidence.detail.is_some()).cloned();
    let health = mapped
        .or_else(|| best_health(hits, &[]))
        .map(|h| Fact::new(h.route, h.evidence));
    if port.is_none() {
        port = settings.and_then(|(path, text)| settings_port(path, text));
    }
    Listening {
        port,
        port_variable,
        health,
        warnings,
    }
}

/// `"Urls": "http://*:5000"` or `Kestrel:Endpoints:<name>:Url` in appsettings.json.
fn settings_port(path: &str, text: &str) -> Option<Fact<u16>> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let urls = json.get("Urls").and_then(|u| u.as_str()).map(String::from);
    let endpoint = json
        .pointer("/Kestrel/Endpoints")
        .and_then(|e| e.as_object())
        .and_then(|e| {
            e.values()
                .filter_map(|v| v.get("Url")?.as_str())
                .find(|u| u.starts_with("http://"))
                .map(String::from)
        });
    let url = urls.or(endpoint)?;
    let first = url.split(';').next()?;
    let port = crate::detect::dockerfile_evidence::listen_port(first)?;
    let line = text.lines().position(|l| l.contains(first)).map(|i| i + 1);
    Some(Fact::new(
        port,
        Evidence::at(path, line).because(format!("Kestrel listens on {first}")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listen(code: &str) -> Listening {
        detect(&[("Program.cs".into(), code.into())], None)
    }

    #[test]
    fn ports_from_code() {
        let l = listen("var port = Environment.GetEnvironmentVariable(\"PORT\") ?? \"5080\";\napp.Run($\"http://0.0.0.0:{port}\");");
        assert_eq!(l.port.unwrap().value, 5080);
        assert_eq!(l.port_variable.unwrap().value, "PORT");
        assert_eq!(
            listen("builder.WebHost.UseUrls(\"http://*:5000\");")
                .port
                .unwrap()
                .value,
            5000
        );
        assert_eq!(
            listen("o.Listen(IPAddress.Any, 7001);").port.unwrap().value,
            7001
        );
        let local = listen("o.ListenLocalhost(7002);");
        assert_eq!(local.port.unwrap().value, 7002);
        assert_eq!(local.warnings.len(), 1);
    }

    #[test]
    fn health_checks_endpoint_wins() {
        let l = listen("app.MapGet(\"/\", () => \"hi\");\napp.MapHealthChecks(\"/ready\");\n");
        let h = l.health.unwrap();
        assert_eq!((h.value.as_str(), h.evidence.line), ("/ready", Some(2)));
        assert_eq!(
            listen("app.MapGet(\"/\", () => \"hi\");")
                .health
                .unwrap()
                .value,
            "/"
        );
    }

    #[test]
    fn settings_name_the_endpoint() {
        let settings =
            r#"{ "Kestrel": { "Endpoints": { "Http": { "Url": "http://0.0.0.0:5005" } } } }"#;
        let l = detect(&[], Some(("appsettings.json", settings)));
        assert_eq!(l.port.unwrap().value, 5005);
    }
}

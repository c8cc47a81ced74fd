//! The listening port and the health-check route of a Go program, read from its source:
//! `os.Getenv("PORT")` with a default, `ListenAndServe(":8080", ...)`, `addr := ":9090"`,
//! `Addr: ":8080"`, flag defaults; `http.HandleFunc("/healthz", ...)`, Go 1.22 method patterns
//! (`mux.HandleFunc("GET /health", ...)`) and gin/echo/chi/fiber `.GET("/health", ...)`.
//! Every hit is a file:line.

use crate::detect::source_scan::{best_health, defines_router, line_at, RouteHit};
use crate::facts::{Evidence, Fact};
use regex::Regex;
use std::sync::LazyLock;

/// Host part of a listen address: empty, a name, an IPv4 address or a bracketed IPv6 one.
const HOST: &str = r"(?:[A-Za-z0-9.\-]*|\[[0-9A-Fa-f:]*\])";

static PORT_PATTERNS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r#"(?s)(?:Getenv|LookupEnv)\(\s*"PORT"\s*\).{0,200}?"(?:HOST:)?(\d{2,5})""#,
            "default of the PORT environment variable",
        ),
        (
            r#"\(\s*"PORT"\s*,\s*"(?:HOST:)?(\d{2,5})"\s*\)"#,
            "default of the PORT environment variable",
        ),
        (
            r#"\bSetDefault\(\s*"(?:port|http_port|http\.port|server\.port)"\s*,\s*"?:?(\d{2,5})"?\s*\)"#,
            "viper default of the port setting",
        ),
        (
            r#"\b(?:ListenAndServe(?:TLS)?|Listen|Run|RunTLS|Start|StartTLS)\(\s*(?:"tcp[46]?"\s*,\s*)?"HOST:(\d{2,5})""#,
            "listen address",
        ),
        (
            r#"(?i)\b(?:listen|http|server|bind)?addr(?:ess)?\w*\s*(?::=|=|:)\s*"HOST:(\d{2,5})""#,
            "listen address",
        ),
        (
            // flag, pflag and FlagSet forms: flag.String("port", "8080", ..),
            // fs.Int("port", 9898, ..), flag.StringVar(&p, "port", getEnv("X", "80"), ..),
            // fs.StringP("port", "p", "9898", ..).
            r#"\b\w+\.(?:String|Int|Uint|Int64)(?:Var)?P?\(\s*(?:&[\w.]+\s*,\s*)?"(?:addr|address|listen|listen-addr|port|http|http-addr|http-port|http\.addr)"\s*,\s*(?:"\w?"\s*,\s*)?(?:[\w.]+\(\s*"\w+"\s*,\s*)?"?(?:HOST:)?(\d{2,5})"?\s*[,)]"#,
            "flag default",
        ),
        (
            r#"(?i)\b(?:const|var)?\s*(?:default|listen|http|grpc|server)?_?port\s*(?::=|=)\s*"?(\d{2,5})"?\s*(?:$|;|//)"#,
            "port constant",
        ),
    ]
    .into_iter()
    .map(|(p, why)| {
        let pattern = p.replace("HOST", HOST);
        (
            Regex::new(&format!("(?m){pattern}")).expect("valid port pattern"),
            why,
        )
    })
    .collect()
});

/// `HandleFunc("/healthz"`, `Handle("GET /health"`, `.GET("/health"`, `.Get("/health"`, and
/// `HandleFunc(baseURL+"/_healthz"` (a base path that is empty by default).
static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\.(?:HandleFunc|Handle|GET|Get|HEAD|Head|Any|All)\(\s*(?:\w+\s*\+\s*)?"(?:(?:GET|HEAD)\s+)?(/[^"\s]*)""#,
    )
    .expect("valid route pattern")
});
/// gin's `Handle("GET", "/health", ...)`, chi's `Method("GET", "/health", ...)`.
static ROUTE_WITH_METHOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\.(?:Handle|Method|MethodFunc|Add)\(\s*(?:"(?:GET|HEAD)"|http\.Method(?:Get|Head))\s*,\s*"(/[^"\s]*)""#)
        .expect("valid route pattern")
});

pub struct RouteFacts {
    pub port: Option<Fact<u16>>,
    pub health: Option<Fact<String>>,
}

/// Scans `files` in order (the main package's files first).
pub fn detect(files: &[(String, String)]) -> RouteFacts {
    let port = files.iter().find_map(|(path, text)| find_port(path, text));
    let mut hits = Vec::new();
    for (path, text) in files {
        for re in [&*ROUTE, &*ROUTE_WITH_METHOD] {
            for c in re.captures_iter(text) {
                let Some(m) = c.get(1) else { continue };
                // `/health/{$}` (Go 1.22: exactly this path) is requested as `/health/`.
                let route = m.as_str().trim_end_matches("{$}");
                hits.push(RouteHit {
                    route: route.to_string(),
                    evidence: Evidence::at(path.clone(), Some(line_at(text, m.start()))),
                });
            }
        }
    }
    let routers: Vec<String> = files
        .iter()
        .filter(|(_, text)| defines_router(text, GO_ROUTERS))
        .map(|(path, _)| path.clone())
        .collect();
    // A health route that queries the database is the truthful probe.
    let health = crate::detect::data_probe::touching_data(&hits, files)
        .or_else(|| best_health(hits, &routers))
        .map(|h| Fact::new(h.route, h.evidence));
    RouteFacts { port, health }
}

/// Route groups and sub-routers: their routes answer under a prefix (gin/echo/fiber `Group`,
/// chi `Route` and `Mount`, gorilla `PathPrefix`/`Subrouter`, or a handler the caller mounts).
const GO_ROUTERS: &[&str] = &[
    ".Group(",
    ".Route(",
    ".Mount(",
    ".PathPrefix(",
    ".Subrouter(",
];

fn find_port(path: &str, text: &str) -> Option<Fact<u16>> {
    PORT_PATTERNS.iter().find_map(|(re, why)| {
        re.captures_iter(text).find_map(|c| {
            let m = c.get(1)?;
            let port: u16 = m.as_str().parse().ok().filter(|p| *p > 0)?;
            // A flag default names its flag, so that another port can be passed to it.
            let why = match c.get(0).map(|all| all.as_str()) {
                Some(call) if *why == "flag default" => call
                    .split('"')
                    .nth(1)
                    .map_or_else(|| why.to_string(), |flag| format!("{why} of -{flag}")),
                _ => why.to_string(),
            };
            Some(Fact::new(
                port,
                Evidence::at(path, Some(line_at(text, m.start()))).because(why),
            ))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(text: &str) -> Option<(u16, usize)> {
        find_port("main.go", text).map(|f| (f.value, f.evidence.line.unwrap_or(0)))
    }

    #[test]
    fn finds_flag_defaults_of_flag_pflag_and_flag_sets() {
        // stefanprodan/podinfo, traefik/whoami, a pflag shorthand.
        assert_eq!(
            port("\tfs.Int(\"port\", 9898, \"HTTP port to bind service to\")").map(|p| p.0),
            Some(9898)
        );
        assert_eq!(
            port("flag.StringVar(&port, \"port\", getEnv(\"WHOAMI_PORT_NUMBER\", \"80\"), \"give me a port number\")").map(|p| p.0),
            Some(80)
        );
        assert_eq!(
            port("fs.StringP(\"listen\", \"l\", \":7000\", \"address\")").map(|p| p.0),
            Some(7000)
        );
    }

    #[test]
    fn finds_ports_in_common_forms() {
        let env = "port := os.Getenv(\"PORT\")\nif port == \"\" {\n\tport = \"8080\"\n}\n";
        assert_eq!(port(env), Some((8080, 3)));
        assert_eq!(
            port("addr := cmp.Or(os.Getenv(\"PORT\"), \"3000\")"),
            Some((3000, 1))
        );
        assert_eq!(port("p := getenv(\"PORT\", \"5000\")"), Some((5000, 1)));
        assert_eq!(
            port("log.Fatal(http.ListenAndServe(\":8080\", nil))"),
            Some((8080, 1))
        );
        assert_eq!(port("r.Run(\"0.0.0.0:8081\")"), Some((8081, 1)));
        assert_eq!(port("e.Logger.Fatal(e.Start(\":1323\"))"), Some((1323, 1)));
        assert_eq!(
            port("ln, _ := net.Listen(\"tcp\", \":7000\")"),
            Some((7000, 1))
        );
        assert_eq!(
            port("addr := \":9090\"\nhttp.ListenAndServe(addr, nil)"),
            Some((9090, 1))
        );
        assert_eq!(
            port("srv := &http.Server{\n\tAddr: \"[::]:8443\",\n}"),
            Some((8443, 2))
        );
        assert_eq!(
            port("var listen = flag.String(\"addr\", \":6060\", \"listen address\")"),
            Some((6060, 1))
        );
        assert_eq!(port("const port = 4000\n"), Some((4000, 1)));
        assert_eq!(
            port("const (\n\tlistenPort  = \"5050\"\n)"),
            Some((5050, 2))
        );
        assert_eq!(port("\tdefaultPort = \"50051\"\n"), Some((50051, 1)));
        assert_eq!(
            port("viper.SetDefault(\"port\", \"3000\")"),
            Some((3000, 1))
        );
        assert_eq!(port("http.ListenAndServe(addr, nil)"), None);
    }

    #[test]
    fn finds_health_routes_of_net_http_and_routers() {
        let route = |text: &str| {
            detect(&[("main.go".to_string(), text.to_string())])
                .health
                .map(|h| (h.value, h.evidence.line.unwrap_or(0)))
        };
        assert_eq!(
            route("http.HandleFunc(\"/healthz\", h)"),
            Some(("/healthz".into(), 1))
        );
        assert_eq!(
            route("mux.HandleFunc(\"GET /{$}\", h)\nmux.HandleFunc(\"GET /health\", h)"),
            Some(("/health".into(), 2))
        );
        assert_eq!(
            route("r.GET(\"/ping\", h)\nr.GET(\"/livez\", h)"),
            Some(("/livez".into(), 2))
        );
        assert_eq!(route("r.Get(\"/health\", h)"), Some(("/health".into(), 1)));
        assert_eq!(
            route("r.Handle(\"GET\", \"/healthz\", h)"),
            Some(("/healthz".into(), 1))
        );
        assert_eq!(
            route("mux.HandleFunc(\"GET /ready/{$}\", h)"),
            Some(("/ready/".into(), 1))
        );
        assert_eq!(route("mux.HandleFunc(\"POST /health\", h)"), None);
        assert_eq!(
            route("r.HandleFunc(baseUrl+\"/_healthz\", h)"),
            Some(("/_healthz".into(), 1))
        );
        // Without a health route, a plain route outside a route group stands in.
        assert_eq!(
            route("r.HandleFunc(\"/\", home)\nr.HandleFunc(\"/items/{id}\", item)"),
            Some(("/".into(), 1))
        );
        assert_eq!(
            route("api := r.Group(\"/api\")\napi.GET(\"/tags\", tags)"),
            None
        );
    }
}

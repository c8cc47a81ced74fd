//! What the application source says: HTTP routes (Spring `@GetMapping`/`@RequestMapping` with
//! the class-level prefix, JAX-RS/Micronaut `@Path`/`@Get`, the JDK's
//! `server.createContext("/health"`), the port a plain application listens on (a `PORT`
//! environment default or a literal), and the class that declares `main`.

use crate::detect::source_scan::{line_at, source_files, RouteHit};
use crate::facts::{Evidence, Fact};
use crate::repo::RepoTree;
use regex::Regex;
use std::sync::LazyLock;

macro_rules! pattern {
    ($name:ident, $re:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($re).expect("valid pattern"));
    };
}

// A mapping annotation and its first path: `@GetMapping("/x")`, `@RequestMapping(value = "/x")`,
// `@GetMapping(path = {"/x", "/y"})`, `@Path("/x")`, `@Get("/x")`.
pattern!(
    MAPPING,
    r#"@(GetMapping|RequestMapping|Path|Get|GET)\b\s*(?:\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]*)")?"#
);
pattern!(CLASS_DECL, r"\b(?:class|interface|object)\s+\w+");
pattern!(CREATE_CONTEXT, r#"\.createContext\(\s*"([^"]+)""#);
// Javalin, Spark and Jooby style `get("/health", ...)`.
pattern!(LAMBDA_ROUTE, r#"\bget\(\s*"(/[^"]*)"\s*,"#);
pattern!(
    PORT_ENV_DEFAULT,
    r#"getOrDefault\(\s*"(?:PORT|SERVER_PORT|HTTP_PORT)"\s*,\s*"(\d{2,5})"\s*\)|getenv\(\s*"(?:PORT|SERVER_PORT|HTTP_PORT)"\s*\)\s*\)?\s*\.orElse\(\s*"?(\d{2,5})"?\s*\)|getenv\(\s*"(?:PORT|SERVER_PORT|HTTP_PORT)"\s*\)[^;\n]*?:\s*"?(\d{2,5})"?\s*;"#
);
pattern!(
    PORT_LITERAL,
    r#"new\s+InetSocketAddress\(\s*(?:"[^"]*"\s*,\s*)?(\d{2,5})\s*\)|\.start\(\s*(\d{2,5})\s*\)|(?i)\bport\s*=\s*(\d{2,5})\s*;"#
);
pattern!(
    MAIN,
    r"(?:public\s+)?static\s+void\s+main\s*\(|@SpringBootApplication|\bfun\s+main\s*\("
);
pattern!(PACKAGE, r"(?m)^\s*package\s+([\w.]+)");

pub struct SourceFacts {
    pub routes: Vec<RouteHit>,
    pub port: Option<Fact<u16>>,
    pub main_class: Option<Fact<String>>,
}

pub fn scan(tree: &RepoTree, module_dir: &str) -> SourceFacts {
    let files = source_files(tree, module_dir, &[".java", ".kt"], &[]);
    let mut routes = Vec::new();
    let mut port = None;
    let mut main_class = None;
    for (path, text) in files.iter().filter(|(p, _)| p.contains("src/main/")) {
        routes.extend(mapping_routes(path, text));
        routes.extend(call_routes(path, text));
        if port.is_none() {
            port = find_port(path, text);
        }
        if main_class.is_none() {
            main_class = find_main(path, text);
        }
    }
    SourceFacts {
        routes,
        port,
        main_class,
    }
}

fn first_group(c: &regex::Captures) -> Option<(u16, usize)> {
    let m = c.iter().skip(1).flatten().next()?;
    Some((m.as_str().parse().ok()?, m.start()))
}

pub fn find_port(path: &str, text: &str) -> Option<Fact<u16>> {
    if let Some((port, at)) = PORT_ENV_DEFAULT
        .captures(text)
        .as_ref()
        .and_then(first_group)
    {
        return Some(Fact::new(
            port,
            Evidence::at(path, Some(line_at(text, at)))
                .because("default of the PORT environment variable"),
        ));
    }
    let (port, at) = PORT_LITERAL.captures(text).as_ref().and_then(first_group)?;
    Some(Fact::new(port, Evidence::at(path, Some(line_at(text, at)))))
}

fn find_main(path: &str, text: &str) -> Option<Fact<String>> {
    let m = MAIN.find(text)?;
    let name = path.rsplit('/').next()?;
    let class = name
        .strip_suffix(".java")
        .or_else(|| name.strip_suffix(".kt").map(|_| ""))?;
    let class = if class.is_empty() {
        // Kotlin top-level `main` lives in the file's facade class, `AppKt`.
        let stem = name.strip_suffix(".kt")?;
        let mut c = stem.chars();
        let first = c.next()?.to_ascii_uppercase();
        format!("{first}{}Kt", c.as_str())
    } else {
        class.to_string()
    };
    let full = match PACKAGE.captures(text) {
        Some(p) => format!("{}.{class}", &p[1]),
        None => class,
    };
    Some(Fact::new(
        full,
        Evidence::at(path, Some(line_at(text, m.start()))).because("declares main"),
    ))
}

/// Annotated routes, each method-level path prefixed with the class-level mapping before it.
fn mapping_routes(path: &str, text: &str) -> Vec<RouteHit> {
    let mut out = Vec::new();
    let mut prefix = String::new();
    let first_class = CLASS_DECL.find(text).map_or(usize::MAX, |m| m.start());
    for c in MAPPING.captures_iter(text) {
        let at = c.get(0).map_or(0, |m| m.start());
        let kind = &c[1];
        let route = c.get(2).map_or("", |m| m.as_str());
        let class_level = at < first_class && matches!(kind, "RequestMapping" | "Path");
        if class_level {
            let route = route.trim_matches('/');
            prefix = if route.is_empty() {
                String::new()
            } else {
                format!("/{route}")
            };
            continue;
        }
        // JAX-RS: `@GET` beside a method-level `@Path` is that route (counted at the `@Path`);
        // alone, the method answers on the class's path.
        if kind == "GET" && jaxrs_method_path(text, at) {
            continue;
        }
        let joined = format!("{prefix}/{}", route.trim_start_matches('/'));
        let joined = if joined.len() > 1 {
            joined.trim_end_matches('/').to_string()
        } else {
            joined
        };
        out.push(RouteHit {
            route: joined,
            evidence: Evidence::at(path, Some(line_at(text, at))).because(format!("@{kind}")),
        });
    }
    out
}

/// Whether the annotations around the `@GET` at `at` (back to the previous member, on to the
/// method's body) include a `@Path`.
fn jaxrs_method_path(text: &str, at: usize) -> bool {
    let start = text[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1);
    let end = text[at..].find(['{', ';']).map_or(text.len(), |i| at + i);
    text[start..end].contains("@Path")
}

fn call_routes(path: &str, text: &str) -> Vec<RouteHit> {
    CREATE_CONTEXT
        .captures_iter(text)
        .map(|c| (c, "HttpServer.createContext"))
        .chain(LAMBDA_ROUTE.captures_iter(text).map(|c| (c, "get route")))
        .filter_map(|(c, what)| {
            let m = c.get(1)?;
            Some(RouteHit {
                route: m.as_str().to_string(),
                evidence: Evidence::at(path, Some(line_at(text, m.start()))).because(what),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::source_scan::best_health;

    #[test]
    fn spring_mappings_combine_class_and_method_paths() {
        let text = "@RestController\n@RequestMapping(\"/api/\")\npublic class C {\n  @GetMapping(\"/health\")\n  String h() {}\n  @GetMapping(path = {\"/x\", \"/y\"})\n  String x() {}\n}";
        let hits = mapping_routes("C.java", text);
        assert_eq!(hits[0].route, "/api/health");
        assert_eq!(hits[0].evidence.line, Some(4));
        assert_eq!(hits[1].route, "/api/x");
    }

    #[test]
    fn jaxrs_get_methods_answer_on_their_class_path() {
        let text = "@Path(\"/hello\")\npublic class R {\n  @GET\n  @Path(\"/greeting/{name}\")\n  public String g(String n) { return n; }\n  @Getter\n  @GET\n  @Produces(MediaType.TEXT_PLAIN)\n  public String hello() { return \"hi\"; }\n}";
        let routes: Vec<String> = mapping_routes("R.java", text)
            .into_iter()
            .map(|h| h.route)
            .collect();
        assert_eq!(routes, ["/hello/greeting/{name}", "/hello"]);
        let spring = "@RestController\n@RequestMapping(path = \"tags\")\nclass T {\n  @GetMapping\n  public R tags() {}\n}";
        assert_eq!(mapping_routes("T.java", spring)[0].route, "/tags");
    }

    #[test]
    fn jdk_server_contexts_are_routes() {
        let text =
            "server.createContext(\"/\", h);\nserver.createContext(\"/health\", ex -> ok(ex));";
        let best = best_health(call_routes("Main.java", text), &[]).unwrap();
        assert_eq!(
            (best.route.as_str(), best.evidence.line),
            ("/health", Some(2))
        );
    }

    #[test]
    fn ports_from_environment_defaults_and_literals() {
        let p = |t: &str| find_port("M.java", t).map(|f| f.value);
        assert_eq!(
            p(r#"int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));"#),
            Some(8080)
        );
        assert_eq!(
            p(r#"Optional.ofNullable(System.getenv("PORT")).orElse("9000")"#),
            Some(9000)
        );
        assert_eq!(
            p(r#"String p = System.getenv("PORT") != null ? System.getenv("PORT") : "7000";"#),
            Some(7000)
        );
        assert_eq!(
            p("HttpServer.create(new InetSocketAddress(8081), 0);"),
            Some(8081)
        );
        assert_eq!(p("int x = 1;"), None);
    }

    #[test]
    fn main_class_is_package_qualified() {
        let f = find_main(
            "src/main/java/a/b/Main.java",
            "package a.b;\nclass Main {\n public static void main(String[] a) {}\n}",
        )
        .unwrap();
        assert_eq!((f.value.as_str(), f.evidence.line), ("a.b.Main", Some(3)));
    }
}

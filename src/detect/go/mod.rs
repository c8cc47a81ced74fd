//! Go detection: a folder with a go.mod is a Go module. Reads go.mod (module path, `go` and
//! `toolchain`, requirements), finds the main package to build, notices a `vendor/` folder and
//! cgo needs, and reads the listening port and health route from the source. Pure: reads only
//! through `RepoTree`.

mod assets;
mod cgo;
mod go_mod;
mod main_package;
mod routes;
mod version;

use crate::detect::source_scan::{line_of, source_files};
use crate::error::Result;
use crate::facts::{Evidence, Fact, Language, PackageManager, ServiceFacts};
use crate::paths::relative;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;
use go_mod::GoMod;
use main_package::package_path;
use regex::Regex;
use std::sync::LazyLock;

/// Web frameworks by module path; without one, a program importing net/http uses the stdlib.
const FRAMEWORKS: &[(&str, &str)] = &[
    ("github.com/gin-gonic/gin", "gin"),
    ("github.com/labstack/echo/v4", "echo"),
    ("github.com/labstack/echo", "echo"),
    ("github.com/go-chi/chi/v5", "chi"),
    ("github.com/go-chi/chi", "chi"),
    ("github.com/gofiber/fiber/v3", "fiber"),
    ("github.com/gofiber/fiber/v2", "fiber"),
    ("github.com/gorilla/mux", "gorilla/mux"),
];

static GO_BUILD_IGNORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^//go:build\s+ignore\b").expect("valid pattern"));
static PACKAGE_MAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^package\s+main\b").expect("valid pattern"));

pub fn detect(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    let manifest = join(dir, "go.mod");
    if !tree.exists(&manifest) {
        return Ok(None);
    }
    let go_mod = GoMod::parse(&manifest, &tree.read_text(&manifest)?)?;
    let mut facts = ServiceFacts::new(dir, Language::Go);
    let module_evidence = Evidence::at(manifest.clone(), Some(go_mod.module.line));
    facts.package_manager = Some(Fact::new(
        PackageManager::Go,
        Evidence::file(manifest.clone()).because("Go modules"),
    ));
    facts.detail(
        "module",
        go_mod.module.value.clone(),
        module_evidence.clone(),
    );
    let module_name = file_name(go_mod.module_name());
    facts.detail(
        "module_name",
        module_name.clone(),
        module_evidence
            .clone()
            .because("last element of the module path: the name of a root main package's binary"),
    );

    let v = version::detect(&manifest, &go_mod);
    facts.version = v.version;
    facts.warnings.extend(v.warnings);
    if let Some(go) = &go_mod.go {
        facts.detail(
            "go_directive",
            go.value.clone(),
            Evidence::at(manifest.clone(), Some(go.line)),
        );
    }
    if let Some(tc) = &go_mod.toolchain {
        facts.detail(
            "toolchain",
            format!("go{}", tc.value),
            Evidence::at(manifest.clone(), Some(tc.line)),
        );
    }

    let files = module_files(tree, dir, &manifest);
    let discovery = main_package::discover(dir, &module_name, &files);
    facts.warnings.extend(discovery.warnings);
    let chosen_dir = discovery.chosen.as_ref().map(|(p, _)| p.dir.clone());
    match &discovery.chosen {
        Some((main, why)) => {
            let binary = file_name(&main.name);
            facts.detail("main_package", main.dir.clone(), main.evidence.clone().because(why.clone()));
            let mut argv = vec![format!("/app/{binary}")];
            let mut why = format!("the binary built from {}", if main.dir == "." { "the module root" } else { &main.dir });
            if let Some(sub) = server_subcommand(&go_mod, &files) {
                argv.push(sub.value.clone());
                why = format!("{why}, with its `{}` subcommand ({})", sub.value, sub.evidence.source());
                facts.detail("args", vec![sub.value.clone()], sub.evidence.clone());
            }
            facts.start = Some(Fact::new(argv, main.evidence.clone().because(why)));
        }
        None => facts.warnings.push(Warning::located("no-main-package", format!(
            "{manifest}: no main package (a `package main` with `func main()`) in this module; set the one to build with --set main_package=<folder>"
        )).about("main_package")),
    }

    let vendor = join(dir, "vendor");
    if tree.has_skipped_dir(&vendor) {
        facts.detail(
            "vendor",
            true,
            Evidence::file(vendor)
                .because("dependencies are vendored: built with -mod=vendor, no go mod download"),
        );
    }

    let c = cgo::detect(&manifest, &go_mod, &files);
    facts.warnings.extend(c.warnings);
    if let Some(fact) = c.cgo {
        facts.detail("cgo", fact.value, fact.evidence);
    }

    // The chosen program's files first, then library packages; other programs are left out.
    let main_prefix = chosen_dir.as_deref().map(|d| package_path(dir, d));
    let in_main = |path: &str| {
        main_prefix.as_deref().is_some_and(|p| {
            path.rsplit_once('/').map_or("", |(d, _)| d) == p || (p == "." && !path.contains('/'))
        })
    };
    let mut scanned: Vec<(String, String)> = files
        .iter()
        .filter(|(path, text)| in_main(path) || !PACKAGE_MAIN.is_match(text))
        .cloned()
        .collect();
    scanned.sort_by_key(|(path, _)| !in_main(path));

    facts.framework = framework(&manifest, &go_mod, &scanned, &in_main);
    let r = routes::detect(&scanned);
    facts.port = r.port.or_else(|| crate::detect::declared_port(tree, dir));
    facts.health = r.health;
    facts.probe_grpc_by_tcp();
    if let Some(assets) = assets::detect(tree, dir, &scanned) {
        facts.detail("runtime_files", assets.value, assets.evidence);
    }
    facts.detail("name", module_name, module_evidence);
    Ok(Some(facts))
}

/// The module's Go source: no tests, no `//go:build ignore` files, no nested modules.
fn module_files(tree: &RepoTree, dir: &str, manifest: &str) -> Vec<(String, String)> {
    let nested: Vec<String> = tree
        .files_under(dir)
        .filter(|p| p.ends_with("/go.mod") && *p != manifest)
        .map(|p| format!("{}/", p.trim_end_matches("/go.mod")))
        .collect();
    source_files(tree, dir, &[".go"], &[])
        .into_iter()
        .filter(|(path, text)| {
            let rel = relative(dir, path);
            !nested.iter().any(|n| path.starts_with(n))
                && !rel.split('/').any(|c| c == "testdata")
                && !GO_BUILD_IGNORE.is_match(text)
        })
        .collect()
}

fn framework(
    manifest: &str,
    go_mod: &GoMod,
    scanned: &[(String, String)],
    in_main: &dyn Fn(&str) -> bool,
) -> Option<Fact<String>> {
    let from_module = FRAMEWORKS.iter().find_map(|(module, name)| {
        let req = go_mod.require(module)?;
        Some(Fact::new(
            name.to_string(),
            Evidence::at(manifest, Some(req.line)).because(format!("go.mod requires {module}")),
        ))
    });
    // A gRPC server that is not also an HTTP one (a main package that imports net/http serves
    // HTTP, perhaps gRPC beside it, and is probed over HTTP).
    let grpc = || {
        let req = go_mod.require("google.golang.org/grpc")?;
        let main: Vec<&(String, String)> = scanned.iter().filter(|(p, _)| in_main(p)).collect();
        main.iter()
            .find(|(_, text)| text.contains("grpc.NewServer("))?;
        if main.iter().any(|(_, text)| text.contains("\"net/http\"")) {
            return None;
        }
        Some(Fact::new(
            "grpc".to_string(),
            Evidence::at(manifest, Some(req.line)).because(
                "go.mod requires google.golang.org/grpc and the main package calls grpc.NewServer",
            ),
        ))
    };
    from_module.or_else(grpc).or_else(|| {
        scanned
            .iter()
            .filter(|(p, _)| in_main(p))
            .find_map(|(path, text)| {
                let line = line_of(text, "\"net/http\"")?;
                Some(Fact::new(
                    "net/http".to_string(),
                    Evidence::at(path.clone(), Some(line))
                        .because("the standard library's HTTP server"),
                ))
            })
    })
}

/// A cobra command line whose server is a subcommand (`Use: "serve"` in a file that starts
/// it): the argument the image starts the binary with.
fn server_subcommand(go_mod: &GoMod, files: &[(String, String)]) -> Option<Fact<String>> {
    go_mod.require("github.com/spf13/cobra")?;
    files.iter().find_map(|(path, text)| {
        let caps = COBRA_USE.captures(text)?;
        let m = caps.get(1)?;
        let serves = ["ListenAndServe", ".Serve(", "http.Server{", "NewServer("]
            .iter()
            .any(|s| text.contains(s));
        serves.then(|| {
            Fact::new(
                m.as_str().to_string(),
                Evidence::at(
                    path.clone(),
                    Some(crate::detect::source_scan::line_at(text, m.start())),
                )
                .because("the cobra subcommand that starts the server"),
            )
        })
    })
}

static COBRA_USE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bUse:\s*"(serve|server|start|run|web|http|api)\b[^"]*""#).expect("valid pattern")
});

/// A name usable as a file name in the image: letters, digits, `.`, `_`, `-`.
fn file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    let cleaned = cleaned.trim_start_matches(['.', '-']).to_string();
    if cleaned.is_empty() {
        "app".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cmd_layout_module_builds_the_program_named_like_it() {
        let tree = RepoTree::from_files([
            ("go.mod", "module example.com/inventory\n\ngo 1.22.5\n\ntoolchain go1.22.12\n"),
            ("inventory.go", "package inventory\n"),
            (
                "cmd/inventory/main.go",
                "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tmux.HandleFunc(\"GET /health\", h)\n\thttp.ListenAndServe(\":9090\", mux)\n}\n",
            ),
            ("cmd/migrate/main.go", "package main\n\nfunc main() {\n\thttp.HandleFunc(\"/status\", h)\n}\n"),
            ("tools/gen.go", "//go:build ignore\n\npackage main\n\nfunc main() {}\n"),
            ("sub/go.mod", "module example.com/other\n"),
            ("sub/main.go", "package main\n\nfunc main() {}\n"),
        ]);
        let f = detect(&tree, ".").unwrap().unwrap();
        assert_eq!(
            f.version
                .as_ref()
                .map(|v| (v.value.as_str(), v.evidence.line)),
            Some(("1.22", Some(5)))
        );
        assert_eq!(f.details["main_package"].value, "cmd/inventory");
        assert_eq!(f.start.as_ref().unwrap().value, ["/app/inventory"]);
        assert_eq!(f.port.as_ref().map(|p| p.value), Some(9090));
        assert_eq!(f.health.as_ref().map(|h| h.value.as_str()), Some("/health"));
        assert_eq!(
            f.framework.as_ref().map(|h| h.value.as_str()),
            Some("net/http")
        );
        assert_eq!(f.warnings.len(), 1, "{:?}", f.warnings);
        assert!(!f.details.contains_key("vendor") && !f.details.contains_key("cgo"));
    }

    #[test]
    fn vendor_folder_and_malformed_go_mod() {
        let tree = RepoTree::from_files([
            ("api/go.mod", "module example.com/api\n\ngo 1.22\n"),
            ("api/main.go", "package main\n\nfunc main() {}\n"),
            ("api/vendor/modules.txt", "# example.org/x v1.0.0\n"),
        ]);
        let f = detect(&tree, "api").unwrap().unwrap();
        assert_eq!(f.details["vendor"].value, true);
        assert_eq!(f.details["main_package"].value, ".");
        assert_eq!(f.start.unwrap().value, ["/app/api"]);

        let bad = RepoTree::from_files([("go.mod", "module x\ngo 1.22\nrequire (\n")]);
        let err = detect(&bad, ".").unwrap_err().to_string();
        assert!(err.starts_with("go.mod:3:1:"), "{err}");
    }
}

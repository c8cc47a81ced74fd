//! Which package of a Go module is the program to build. A module may have a `main` package at
//! its root, one per `cmd/<name>/`, or several; when there are several the one named like the
//! module (or its folder) wins if it starts a server; otherwise the only one that starts a
//! server, or the server named for the module (`wtfd`, `app-server`); then the one named like
//! the module. The choice and the alternatives are reported rather than made silently.

use crate::facts::Evidence;
use crate::paths::relative;
use crate::repo::join;
use crate::warning::Warning;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

static PACKAGE_MAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^package\s+main\b").expect("valid pattern"));
static FUNC_MAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^func\s+main\s*\(\s*\)").expect("valid pattern"));
/// Calls that start a network server: net/http, gin, echo, fiber, gRPC. `Run` and `Start`
/// count only with an address (`r.Run(":8080")`, `e.Start(addr)`) or none (`r.Run()`), not
/// as a command's `Run(ctx, args)` method.
static SERVES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:ListenAndServe(?:TLS)?|Serve|Listen|NewServer)\(|\.(?:Run|Start)\(\s*(?:\)|"|\w*(?:[Aa]ddr|[Pp]ort)\b)"#)
        .expect("valid pattern")
});

/// Folders whose main packages are samples or tooling, not the service.
const NOT_PROGRAMS: &[&str] = &[
    "examples",
    "example",
    "tools",
    "hack",
    "scripts",
    "testdata",
    "internal/tools",
];

/// A `main` package: its folder relative to the module (`.` or `cmd/api`) and binary name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainPackage {
    pub dir: String,
    pub name: String,
    /// The file and line of `func main()`.
    pub evidence: Evidence,
    pub serves: bool,
}

pub struct Discovery {
    pub chosen: Option<(MainPackage, String)>,
    pub warnings: Vec<Warning>,
}

/// Finds the main packages among `files` (repository paths and text of the module's Go files)
/// and chooses one. `module_name` is the last element of the module path; `dir` the service
/// folder.
pub fn discover(dir: &str, module_name: &str, files: &[(String, String)]) -> Discovery {
    let mut by_dir: BTreeMap<String, MainPackage> = BTreeMap::new();
    for (path, text) in files {
        if !PACKAGE_MAIN.is_match(text) {
            continue;
        }
        let rel = relative(dir, path);
        let pkg_dir = rel.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
        let name = if pkg_dir == "." {
            module_name.to_string()
        } else {
            pkg_dir.rsplit('/').next().unwrap_or(&pkg_dir).to_string()
        };
        let serves = SERVES.is_match(text);
        let entry = by_dir
            .entry(pkg_dir.clone())
            .or_insert_with(|| MainPackage {
                dir: pkg_dir,
                name,
                evidence: Evidence::file(path.clone()),
                serves: false,
            });
        entry.serves |= serves;
        if let Some(m) = FUNC_MAIN.find(text) {
            entry.evidence = Evidence::at(
                path.clone(),
                Some(crate::detect::source_scan::line_at(text, m.start())),
            );
        }
    }
    let all: Vec<MainPackage> = by_dir.into_values().collect();
    let (programs, samples): (Vec<_>, Vec<_>) = all.into_iter().partition(|p| {
        !NOT_PROGRAMS
            .iter()
            .any(|n| p.dir == *n || p.dir.starts_with(&format!("{n}/")))
    });
    let candidates = if programs.is_empty() {
        samples
    } else {
        programs
    };
    let folder_name = (dir != ".").then(|| dir.rsplit('/').next().unwrap_or(dir));
    let mut warnings = Vec::new();

    let chosen = match candidates.as_slice() {
        [] => None,
        [only] => Some((
            only.clone(),
            format!("the only main package ({})", shown(only)),
        )),
        many => {
            let named: Vec<&MainPackage> = many
                .iter()
                .filter(|p| p.name == module_name || Some(p.name.as_str()) == folder_name)
                .collect();
            let serving: Vec<&MainPackage> = many.iter().filter(|p| p.serves).collect();
            // Of several servers, the daemon or server named for the module (`wtfd`,
            // `app-server`).
            let server_names = [
                format!("{module_name}d"),
                format!("{module_name}-server"),
                format!("{module_name}-api"),
                "server".to_string(),
                "api".to_string(),
            ];
            let daemon: Vec<&&MainPackage> = serving
                .iter()
                .filter(|p| server_names.contains(&p.name))
                .collect();
            let named_serves = matches!(named.as_slice(), [one] if one.serves);
            let pick = if let (false, [one]) = (named_serves, serving.as_slice()) {
                Some((
                    (*one).clone(),
                    "the only main package that starts a server".to_string(),
                ))
            } else if let (false, [one]) = (named_serves, daemon.as_slice()) {
                Some((
                    (**one).clone(),
                    format!("it starts a server and is named as {module_name}'s server"),
                ))
            } else if let [one] = named.as_slice() {
                let why = if one.name == module_name {
                    format!("its name matches the module's last path element `{module_name}`")
                } else {
                    format!(
                        "its name matches the folder `{}`",
                        folder_name.unwrap_or_default()
                    )
                };
                Some(((*one).clone(), why))
            } else if let [one] = serving.as_slice() {
                Some((
                    (*one).clone(),
                    "the only main package that starts a server".to_string(),
                ))
            } else {
                None
            };
            let pick = pick.unwrap_or_else(|| {
                let first = many[0].clone();
                warnings.push(Warning::located("main-package-guessed", format!(
                    "{}: several main packages and none is named like the module `{module_name}`; chose {} (first in order)",
                    if dir == "." { "." } else { dir },
                    shown(&first)
                )).about("main_package"));
                (first, "first of several main packages in path order".to_string())
            });
            for other in many.iter().filter(|p| p.dir != pick.0.dir) {
                warnings.push(Warning::located("main-package-not-built", format!(
                    "{}: another main package ({}) is not built; build it instead with --set main_package={}",
                    other.evidence.path,
                    other.name,
                    other.dir
                )).about("main_package"));
            }
            let why = format!(
                "{} of {} main packages: {}",
                shown(&pick.0),
                many.len(),
                pick.1
            );
            Some((pick.0, why))
        }
    };
    Discovery { chosen, warnings }
}

fn shown(p: &MainPackage) -> String {
    if p.dir == "." {
        format!("the module root, binary `{}`", p.name)
    } else {
        p.dir.clone()
    }
}

/// The repository path of a package folder of the service.
pub fn package_path(dir: &str, pkg_dir: &str) -> String {
    if pkg_dir == "." {
        dir.to_string()
    } else {
        join(dir, pkg_dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, text: &str) -> (String, String) {
        (path.to_string(), text.to_string())
    }

    const SERVER: &str =
        "package main\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n";
    const CLI: &str = "// Command x.\npackage main\n\nfunc main() {}\n";

    #[test]
    fn root_main_is_named_after_the_module() {
        let d = discover(
            ".",
            "hello",
            &[f("main.go", SERVER), f("lib/lib.go", "package lib\n")],
        );
        let (p, _) = d.chosen.unwrap();
        assert_eq!(
            (p.dir.as_str(), p.name.as_str(), p.evidence.line),
            (".", "hello", Some(3))
        );
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn cmd_named_like_the_module_wins_and_others_are_listed() {
        let files = [
            f("svc/inventory.go", "package inventory\n"),
            f("svc/cmd/inventory/main.go", SERVER),
            f("svc/cmd/migrate/main.go", CLI),
        ];
        let d = discover("svc", "inventory", &files);
        let (p, why) = d.chosen.unwrap();
        assert_eq!(p.dir, "cmd/inventory");
        assert!(why.contains("module's last path element"), "{why}");
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].contains("--set main_package=cmd/migrate"));
    }

    #[test]
    fn a_daemon_that_builds_its_server_wins_over_a_demo_server() {
        // Modelled on benbjohnson/wtf: wtfd builds an http.Server through its own package;
        // wtf-storybook serves component previews with ListenAndServe.
        let daemon = "package main\n\nfunc main() {\n\ts := http.NewServer()\n\ts.Open()\n}\n";
        let files = [
            f("cmd/wtf/main.go", CLI),
            f("cmd/wtf-storybook/main.go", SERVER),
            f("cmd/wtfd/main.go", daemon),
        ];
        let (p, why) = discover(".", "wtf", &files).chosen.unwrap();
        assert_eq!(p.dir, "cmd/wtfd");
        assert!(why.contains("named as wtf's server"), "{why}");
    }

    #[test]
    fn otherwise_the_only_server_then_the_first() {
        let files = [f("cmd/api/main.go", SERVER), f("cmd/seed/main.go", CLI)];
        let (p, why) = discover(".", "shop", &files).chosen.unwrap();
        assert_eq!(
            (p.dir.as_str(), why.contains("starts a server")),
            ("cmd/api", true)
        );
        let files = [f("cmd/a/main.go", CLI), f("cmd/b/main.go", CLI)];
        let d = discover(".", "shop", &files);
        assert_eq!(d.chosen.unwrap().0.dir, "cmd/a");
        assert!(d.warnings[0].contains("chose cmd/a"));
    }

    #[test]
    fn a_server_wins_over_a_cli_named_like_the_module() {
        // wtf (the CLI), wtfd (the daemon) and a second server: the daemon is built.
        let files = [
            f("cmd/wtf/main.go", CLI),
            f("cmd/wtfd/main.go", SERVER),
            f("cmd/wtf-storybook/main.go", SERVER),
        ];
        let (p, why) = discover(".", "wtf", &files).chosen.unwrap();
        assert_eq!(p.dir, "cmd/wtfd", "{why}");
        let files = [f("cmd/shop/main.go", CLI), f("cmd/web/main.go", SERVER)];
        assert_eq!(
            discover(".", "shop", &files).chosen.unwrap().0.dir,
            "cmd/web"
        );
    }

    #[test]
    fn examples_count_only_when_nothing_else_does() {
        let files = [f("main.go", SERVER), f("examples/demo/main.go", CLI)];
        let d = discover(".", "x", &files);
        assert_eq!(d.chosen.unwrap().0.dir, ".");
        assert!(d.warnings.is_empty());
        assert!(discover(".", "x", &[f("lib.go", "package x\n")])
            .chosen
            .is_none());
    }
}

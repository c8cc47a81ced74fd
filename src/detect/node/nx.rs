//! Nx workspaces: `nx.json` at the root, projects described by `project.json`. An application
//! project's `build` target says what it builds and where it writes it: a Node program
//! (`@nx/esbuild:esbuild`, `@nx/node:build`, `@nx/webpack:webpack` for the node platform) is
//! started from `<outputPath>/main.js`; a front end (`@nx/angular:*`, `@angular/build`, Vite,
//! Rsbuild, webpack for the browser) is a static site built into `<outputPath>` and served.
//! Applications in folders of the workspace (`apps/<name>`) are its services, built from the
//! root with `nx build <name>`; end-to-end test projects are not services.

use super::package_json::PackageJson;
use super::{static_site, workspaces};
use crate::error::Result;
use crate::facts::{Evidence, Fact, PackageManager, ServiceFacts};
use crate::repo::{join, normalize, RepoTree};
use crate::warning::Warning;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// `outDir: '../../dist/apps/site'` (Vite) or `distPath: { root: 'dist' }` (Rsbuild).
static OUT_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:outDir|distPath\s*:\s*\{\s*root)\s*:\s*['"`]([^'"`]+)['"`]"#)
        .expect("valid pattern")
});

/// Executors that build a Node program, when their platform (or target) is node.
const NODE_EXECUTORS: &[&str] = &[
    "@nx/esbuild:esbuild",
    "@nrwl/esbuild:esbuild",
    "@nx/node:build",
    "@nrwl/node:build",
    "@nx/webpack:webpack",
    "@nrwl/webpack:webpack",
    "@nx/js:tsc",
];
/// Executors that build a front end to static files: (executor prefix, framework).
const SITE_EXECUTORS: &[(&str, &str)] = &[
    ("@nx/angular:", "angular"),
    ("@nrwl/angular:", "angular"),
    ("@angular-devkit/build-angular:", "angular"),
    ("@angular/build:", "angular"),
    ("@nx/vite:", "vite"),
    ("@nx/rsbuild:", "rsbuild"),
    ("@nx/webpack:", "webpack"),
    ("@nrwl/web:", "webpack"),
];
/// Build configurations the Nx plugins infer a `build` target from: (file, framework).
const INFERRED: &[(&str, &str)] = &[
    ("rsbuild.config.ts", "rsbuild"),
    ("rsbuild.config.js", "rsbuild"),
    ("rsbuild.config.mjs", "rsbuild"),
    ("vite.config.ts", "vite"),
    ("vite.config.js", "vite"),
    ("vite.config.mts", "vite"),
];
const E2E_CONFIGS: &[&str] = &[
    "cypress.config.ts",
    "cypress.config.js",
    "playwright.config.ts",
    "playwright.config.js",
];

/// What an application's build target produces.
pub enum Built {
    /// A Node program: the file `node` starts, and the output folder.
    Program { entry: Fact<String>, output: String },
    /// Static files in `output` (relative to the workspace root).
    Site {
        framework: Fact<String>,
        output: Fact<String>,
    },
}

/// One application of the workspace.
pub struct App {
    pub dir: String,
    pub name: String,
    pub built: Built,
    pub evidence: Evidence,
}

/// The build of the project in `dir` (its project.json), if it is an application whose build
/// target dockgen understands.
pub fn application(tree: &RepoTree, dir: &str) -> Option<App> {
    let path = join(dir, "project.json");
    let text = tree.read_text(&path).ok()?;
    let project: Value = serde_json::from_str(&text).ok()?;
    let name = project.get("name").and_then(Value::as_str).map_or_else(
        || dir.rsplit('/').next().unwrap_or(dir).to_string(),
        String::from,
    );
    if project.get("projectType").and_then(Value::as_str) != Some("application")
        || name.ends_with("-e2e")
        || E2E_CONFIGS.iter().any(|c| tree.exists(&join(dir, c)))
    {
        return None;
    }
    let line_of = |needle: &str| crate::detect::source_scan::line_of(&text, needle);
    let build = project.pointer("/targets/build");
    let build_line = line_of("\"build\"");
    let evidence = Evidence::at(&path, build_line);
    let executor = build
        .and_then(|b| b.get("executor"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let options = build.and_then(|b| b.get("options"));
    let output_line = line_of("\"outputPath\"").or_else(|| line_of("\"outputs\""));
    let (output, output_evidence) = match options
        .and_then(|o| o.get("outputPath"))
        .and_then(|p| p.as_str().or_else(|| p.get("base")?.as_str()))
        .map(String::from)
        .or_else(|| {
            let first = build?.get("outputs")?.as_array()?.first()?.as_str()?;
            first.strip_prefix("{workspaceRoot}/").map(String::from)
        }) {
        Some(out) => (out, Evidence::at(&path, output_line.or(build_line))),
        None => inferred_output(tree, dir).unwrap_or_else(|| (join("dist", dir), evidence.clone())),
    };
    let output = output
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string();
    let platform = options
        .and_then(|o| o.get("platform").or(o.get("target")))
        .and_then(Value::as_str);
    let built = if NODE_EXECUTORS.contains(&executor)
        && (platform == Some("node") || executor.contains(":node") || executor == "@nx/js:tsc")
    {
        let main = options?.get("main")?.as_str()?;
        let stem = main.rsplit('/').next()?.rsplit_once('.')?.0;
        Built::Program {
            entry: Fact::new(
                format!("{output}/{stem}.js"),
                Evidence::at(&path, line_of("\"main\"")).because(format!(
                    "{executor} compiles {main} into {output}/ (project.json build target)"
                )),
            ),
            output,
        }
    } else {
        let framework = SITE_EXECUTORS
            .iter()
            .find(|(prefix, _)| executor.starts_with(prefix))
            .map(|(_, fw)| {
                Fact::new(
                    fw.to_string(),
                    evidence
                        .clone()
                        .because(format!("the {executor} executor builds static files")),
                )
            })
            .or_else(|| {
                INFERRED.iter().find_map(|(file, fw)| {
                    let config = join(dir, file);
                    tree.exists(&config).then(|| {
                        Fact::new(
                            fw.to_string(),
                            Evidence::file(config)
                                .because("the Nx plugin infers the build target from it"),
                        )
                    })
                })
            })?;
        Built::Site {
            framework,
            output: Fact::new(
                output.clone(),
                output_evidence.because(format!("the build writes to {output}/ in the workspace")),
            ),
        }
    };
    Some(App {
        dir: dir.to_string(),
        name,
        built,
        evidence,
    })
}

/// Where an inferred build target writes: the config's `build.outDir` (Vite) or
/// `distPath.root` (Rsbuild), relative to the project folder, else the tool's `dist` there.
fn inferred_output(tree: &RepoTree, dir: &str) -> Option<(String, Evidence)> {
    let (file, _) = INFERRED.iter().find(|(f, _)| tree.exists(&join(dir, f)))?;
    let config = join(dir, file);
    let text = tree.read_text(&config).ok()?;
    let configured = OUT_DIR.captures(&text);
    let line = configured
        .as_ref()
        .and_then(|c| c.get(0))
        .map(|m| crate::detect::source_scan::line_at(&text, m.start()));
    let out = configured.map_or("dist".to_string(), |c| c[1].to_string());
    Some((normalize(&join(dir, &out)), Evidence::at(config, line)))
}

/// The applications in folders of an Nx workspace rooted at the repository root.
pub fn applications(tree: &RepoTree) -> Vec<App> {
    if !tree.exists("nx.json") {
        return Vec::new();
    }
    let mut apps = Vec::new();
    for path in tree.files() {
        let Some(dir) = path.strip_suffix("/project.json") else {
            continue;
        };
        if dir.matches('/').count() < crate::detect::service_dirs::MAX_DEPTH {
            apps.extend(application(tree, dir));
        }
    }
    apps
}

/// `nx build <name>` through the workspace's package manager.
pub fn build_command(manager: Option<PackageManager>, name: &str) -> Vec<String> {
    let runner: &[&str] = match manager {
        Some(PackageManager::Yarn) => &["yarn", "nx"],
        Some(PackageManager::Pnpm) => &["pnpm", "nx"],
        Some(PackageManager::Bun) => &["bunx", "nx"],
        _ => &["npx", "nx"],
    };
    runner
        .iter()
        .map(|w| w.to_string())
        .chain(["build".to_string(), name.to_string()])
        .collect()
}

/// A static application as a service: the workspace root's package manager, lockfile and
/// version (`root`), its own build from the root, its output served by the file server.
pub fn static_service(root: &ServiceFacts, app: App, manifests: &[String]) -> Option<ServiceFacts> {
    let Built::Site { framework, output } = app.built else {
        return None;
    };
    let mut facts = ServiceFacts::new(app.dir.clone(), root.language);
    facts.version = root.version.clone();
    facts.package_manager = root.package_manager.clone();
    for key in ["lockfile", "yarn_berry", "package_manager_version"] {
        if let Some(fact) = root.details.get(key) {
            facts.details.insert(key.to_string(), fact.clone());
        }
    }
    facts.build = Some(Fact::new(
        build_command(root.package_manager.as_ref().map(|m| m.value), &app.name),
        app.evidence
            .clone()
            .because("the project's build target, run by Nx from the workspace root"),
    ));
    static_site::serve(&mut facts, static_site::StaticSite { framework, output });
    facts.detail("workspace", app.dir.clone(), app.evidence.clone());
    facts.detail(
        "workspace_manifests",
        manifests.to_vec(),
        Evidence::file("package.json").because("every workspace member's package.json"),
    );
    facts.detail("name", app.name, app.evidence);
    Some(facts)
}

/// A project whose Nx build compiles a Node program starts from the compiled entry
/// (`node dist/api/main.js`), which the build writes to its output folder.
pub fn start_program(tree: &RepoTree, dir: &str, facts: &mut ServiceFacts) {
    let Some(App {
        built: Built::Program { entry, output },
        ..
    }) = application(tree, dir)
    else {
        return;
    };
    facts
        .warnings
        .retain(|w| !w.contains("no production entry point was found"));
    let evidence = entry.evidence.clone();
    facts.start = Some(Fact::new(
        vec![
            "node".to_string(),
            crate::paths::relative(dir, &entry.value),
        ],
        evidence.clone(),
    ));
    facts.detail(
        "build_output",
        crate::paths::relative(dir, &output),
        evidence,
    );
}

/// The services of an Nx workspace at the repository root whose applications live in folders
/// (`apps/<name>`): its static applications, each built from the root. `root` is what the
/// root's package.json says (package manager, lockfile, version). None when it is not one.
pub fn services(tree: &RepoTree, root: &ServiceFacts) -> Result<Option<Vec<ServiceFacts>>> {
    let apps = applications(tree);
    if apps.is_empty() {
        return Ok(None);
    }
    let pj = PackageJson::parse("package.json", tree.read_text("package.json")?)?;
    let manifests: Vec<String> = workspaces::declared(tree, &pj)
        .map(|d| workspaces::expand(tree, &d.patterns).0)
        .unwrap_or_default()
        .iter()
        .map(|m| join(m, "package.json"))
        .collect();
    let mut services = Vec::new();
    let mut skipped = Vec::new();
    for app in apps {
        let dir = app.dir.clone();
        match static_service(root, app, &manifests) {
            Some(s) => services.push(s),
            None => skipped.push(dir),
        }
    }
    if let Some(first) = services.first_mut() {
        for dir in skipped {
            first.warnings.push(Warning::located("nx-node-application", format!(
                "{dir}: an Nx application that builds a Node program; build it as its own service with `dockgen generate {dir}`"
            )));
        }
    }
    Ok((!services.is_empty()).then_some(services))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applications_and_what_they_build() {
        let tree = RepoTree::from_files([
            ("nx.json", "{}"),
            (
                "apps/shop/project.json",
                r#"{ "name": "shop", "projectType": "application",
  "targets": { "build": { "executor": "@nx/angular:application",
    "options": { "outputPath": { "base": "dist/apps/shop", "browser": "" } } } } }"#,
            ),
            (
                "apps/cart/project.json",
                r#"{ "name": "cart", "projectType": "application" }"#,
            ),
            (
                "apps/cart/rsbuild.config.ts",
                "export default { output: { distPath: { root: '../../dist/apps/cart' } } };",
            ),
            (
                "apps/cart-e2e/project.json",
                r#"{ "name": "cart-e2e", "projectType": "application" }"#,
            ),
            (
                "libs/ui/project.json",
                r#"{ "name": "ui", "projectType": "library" }"#,
            ),
        ]);
        let apps = applications(&tree);
        let names: Vec<&str> = apps.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["cart", "shop"]);
        match &apps[1].built {
            Built::Site { framework, output } => {
                assert_eq!(
                    (framework.value.as_str(), output.value.as_str()),
                    ("angular", "dist/apps/shop")
                );
            }
            Built::Program { .. } => panic!("shop is a site"),
        }
        match &apps[0].built {
            Built::Site { framework, output } => {
                assert_eq!(
                    (framework.value.as_str(), output.value.as_str()),
                    ("rsbuild", "dist/apps/cart")
                );
            }
            Built::Program { .. } => panic!("cart is a site"),
        }
    }

    #[test]
    fn a_node_program_starts_from_its_output() {
        let tree = RepoTree::from_files([(
            "project.json",
            r#"{ "name": "api", "projectType": "application",
  "targets": { "build": { "executor": "@nx/esbuild:esbuild",
    "options": { "platform": "node", "outputPath": "dist/api", "main": "src/main.ts" } } } }"#,
        )]);
        match application(&tree, ".").unwrap().built {
            Built::Program { entry, output } => {
                assert_eq!(
                    (entry.value.as_str(), output.as_str()),
                    ("dist/api/main.js", "dist/api")
                );
                assert_eq!(entry.evidence.line, Some(3));
            }
            Built::Site { .. } => panic!("api is a program"),
        }
        assert_eq!(
            build_command(Some(PackageManager::Yarn), "api"),
            ["yarn", "nx", "build", "api"]
        );
    }
}

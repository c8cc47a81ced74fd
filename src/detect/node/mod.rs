//! Node.js detection: a folder with a package.json is a Node project. Reads the manifest,
//! lockfiles, version files, tsconfig, next.config and the application source, and returns
//! facts with evidence. Pure: reads only through `RepoTree`.

mod bind_address;
mod commands;
mod exported_site;
mod lock_currency;
mod members;
mod migrations;
mod native_addons;
mod nx;
mod package_json;
mod package_manager;
mod routes;
mod scripts;
mod start_steps;
mod static_site;
mod typeorm;
pub mod version;
mod workspaces;

pub use version::LTS_MAJORS;

use crate::error::Result;
use crate::facts::{Evidence, Fact, Language, ServiceFacts};
use crate::paths::relative;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;
use package_json::PackageJson;
use regex::Regex;
use std::sync::LazyLock;

/// Frameworks, most specific first: a NestJS app also depends on Express.
const FRAMEWORKS: &[(&str, &str)] = &[
    ("next", "nextjs"),
    ("@nestjs/core", "nestjs"),
    ("fastify", "fastify"),
    ("express", "express"),
    ("koa", "koa"),
    ("@hapi/hapi", "hapi"),
    // A gRPC server speaks HTTP/2 with its own protocol: probed by a TCP connect.
    ("@grpc/grpc-js", "grpc"),
];

/// Ports the framework listens on when the code does not say.
const FRAMEWORK_PORTS: &[(&str, u16)] = &[("nextjs", 3000)];

static TS_OUT_DIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""outDir"\s*:\s*"([^"]+)""#).expect("valid pattern"));
static TS_ROOT_DIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""rootDir"\s*:\s*"([^"]+)""#).expect("valid pattern"));
static NEXT_STANDALONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"output\s*:\s*['"`]standalone['"`]"#).expect("valid pattern"));

pub fn detect(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    if dir != "." {
        if let Some(member) = members::member(tree, dir)? {
            return Ok(Some(member));
        }
    }
    detect_in(tree, dir, None)
}

pub use members::workspace_services;
pub use nx::services as nx_services;

/// Detects the Node project in `dir`; `workspace_root` is the root package.json when `dir` is a
/// workspace member, whose package manager and lockfile are the root's.
pub(super) fn detect_in(
    tree: &RepoTree,
    dir: &str,
    workspace_root: Option<&PackageJson>,
) -> Result<Option<ServiceFacts>> {
    let manifest = join(dir, "package.json");
    if !tree.exists(&manifest) {
        return Ok(None);
    }
    let pj = PackageJson::parse(&manifest, tree.read_text(&manifest)?)?;
    let mut facts = ServiceFacts::new(dir, Language::Node);

    let pm = match workspace_root {
        Some(root) => package_manager::detect(tree, ".", root),
        None => package_manager::detect(tree, dir, &pj),
    };
    // A member is built from the repository root, so its lockfile path is the root's.
    let context = if workspace_root.is_some() { "." } else { dir };
    let manager = pm.manager.value;
    facts.warnings.extend(pm.warnings);
    if let Some(lock) = &pm.lockfile {
        facts.detail(
            "lockfile",
            relative(context, lock),
            Evidence::file(lock.clone()),
        );
    }
    if pm.yarn_berry {
        facts.detail("yarn_berry", true, pm.manager.evidence.clone());
    }
    if let Some(v) = &pm.pinned_version {
        facts.detail(
            "package_manager_version",
            v.clone(),
            workspace_root.unwrap_or(&pj).evidence_for("packageManager"),
        );
    }
    facts.package_manager = Some(pm.manager);

    let v = version::detect(tree, dir, &pj);
    facts.version = v.version;
    if let Some(c) = v.constraint.clone() {
        facts.detail("version_constraint", c.value, c.evidence);
    }
    facts.warnings.extend(v.warnings);
    if let (None, Some(root)) = (&facts.version, workspace_root) {
        let v = version::detect(tree, ".", root);
        facts.version = v.version;
        facts.warnings.extend(v.warnings);
    }

    facts.framework = FRAMEWORKS
        .iter()
        .find(|(package, _)| pj.in_section("dependencies", package))
        .map(|(package, name)| {
            Fact::new(
                name.to_string(),
                pj.evidence_for(package)
                    .because(format!("package.json dependencies: {package}")),
            )
        });
    let framework = facts.framework.as_ref().map(|f| f.value.clone());

    let tsconfig = join(dir, "tsconfig.json");
    let ts_text = tree.read_text(&tsconfig).ok();
    let is_typescript = ts_text.is_some() && pj.depends_on("typescript");
    let ts_out_dir = ts_text
        .as_deref()
        .and_then(|t| TS_OUT_DIR.captures(t))
        .map(|c| {
            c[1].trim_start_matches("./")
                .trim_end_matches('/')
                .to_string()
        });
    let ts_root_dir = ts_text
        .as_deref()
        .and_then(|t| TS_ROOT_DIR.captures(t))
        .map(|c| {
            c[1].trim_start_matches("./")
                .trim_end_matches('/')
                .to_string()
        });

    // A framework app exported as static files is served as a site, not by its server.
    let exported_site = exported_site::exported(tree, dir, &pj);
    let next_standalone =
        (framework.as_deref() == Some("nextjs") && exported_site.is_none()).then(|| {
            [
                "next.config.js",
                "next.config.mjs",
                "next.config.ts",
                "next.config.cjs",
            ]
            .iter()
            .map(|n| join(dir, n))
            .find_map(|p| tree.read_text(&p).ok().map(|t| (p, t)))
            .map(|(p, t)| (p, NEXT_STANDALONE.is_match(&t)))
        });
    if let Some(found) = &next_standalone {
        match found {
            Some((path, true)) => facts.detail(
                "next_standalone",
                true,
                Evidence::file(path.clone()).because("output: 'standalone'"),
            ),
            Some((path, false)) => facts.warnings.push(Warning::located("next-not-standalone", format!(
                "{path}: no `output: 'standalone'`; the image carries all of node_modules. Add it for a smaller image"
            ))),
            None => facts.warnings.push(Warning::located("next-not-standalone", format!(
                "{}: Next.js without a next.config; add one with `output: 'standalone'` for a smaller image",
                if dir == "." { "." } else { dir }
            ))),
        }
        if tree.files_under(&join(dir, "public")).next().is_some() {
            facts.detail("public_dir", true, Evidence::file(join(dir, "public")));
        }
    }
    let next_standalone = next_standalone.map(|f| f.is_some_and(|(_, s)| s));

    let cmds = commands::detect(
        tree,
        &pj,
        &commands::StartContext {
            dir,
            manager,
            ts_out_dir: ts_out_dir.as_deref().filter(|_| is_typescript),
            ts_root_dir: ts_root_dir.as_deref(),
            next_standalone,
        },
    );
    facts.build = cmds.build;
    facts.start = cmds.start;
    facts.warnings.extend(cmds.warnings);
    if let Some(site) = exported_site.filter(|_| facts.build.is_some()) {
        static_site::serve(&mut facts, site);
        return Ok(Some(facts));
    }
    if facts.start.is_none() {
        nx::start_program(tree, dir, &mut facts);
    }
    if facts.start.is_none() && facts.build.is_some() && framework.is_none() {
        if let Some(site) = static_site::detect(tree, dir, &pj) {
            static_site::serve(&mut facts, site);
            return Ok(Some(facts));
        }
    }

    if facts.build.is_some() {
        let output = if framework.as_deref() == Some("nextjs") {
            Some((".next".to_string(), pj.evidence_for("next")))
        } else if is_typescript {
            Some((
                ts_out_dir.clone().unwrap_or_else(|| ".".to_string()),
                Evidence::at(
                    tsconfig.clone(),
                    ts_text
                        .as_deref()
                        .and_then(|t| crate::detect::source_scan::line_of(t, "\"outDir\"")),
                )
                .because("tsconfig.json compilerOptions.outDir"),
            ))
        } else {
            None
        };
        if let Some((out, ev)) = output.filter(|_| !facts.details.contains_key("build_output")) {
            facts.detail("build_output", out, ev);
        }
    }
    if is_typescript {
        facts.detail("typescript", true, Evidence::file(tsconfig));
    }
    if let Some(native) = native_addons::detect(&pj) {
        facts.detail("native_addons", native.value, native.evidence);
    }
    // tsc without an outDir writes each file beside its source.
    let compiled = (is_typescript && facts.build.is_some()).then(|| typeorm::Compiled {
        out_dir: ts_out_dir.as_deref().unwrap_or("."),
        root_dir: ts_root_dir.as_deref(),
    });
    migrations::apply(tree, dir, &pj, compiled, &mut facts);

    let entry_points: Vec<String> = facts
        .start
        .iter()
        .flat_map(|s| s.value.iter().skip(1))
        .chain(pj.string("main").map(String::from).iter())
        .map(|e| join(dir, e))
        .chain(
            [
                "src/main.ts",
                "src/index.ts",
                "src/server.ts",
                "index.js",
                "server.js",
                "app.js",
            ]
            .map(|e| join(dir, e)),
        )
        .collect();
    let r = routes::detect(tree, dir, &entry_points);
    let example_port = crate::detect::declared_port(tree, dir);
    facts.port = r.port.or(example_port).or_else(|| {
        let fw = framework.as_deref()?;
        let (_, port) = FRAMEWORK_PORTS.iter().find(|(f, _)| *f == fw)?;
        let fact = facts.framework.as_ref()?;
        Some(Fact::new(
            *port,
            fact.evidence
                .clone()
                .because(format!("{fw} listens on {port} by default")),
        ))
    });
    facts.health = r.health;
    facts.probe_grpc_by_tcp();
    // The file that sets the port is the one that calls listen.
    if let Some(path) = facts.port.as_ref().map(|p| p.evidence.path.clone()) {
        if let Ok(text) = tree.read_text(&path) {
            let warning = bind_address::warning(&path, &text, framework.as_deref());
            facts.warnings.extend(warning);
        }
    }

    if let Some(name) = pj.string("name").filter(|n| !n.is_empty()) {
        facts.detail("name", name, pj.evidence_for("name"));
    }
    if pj.has_workspaces() {
        let evidence = pj.evidence_for("workspaces");
        facts.warnings.push(Warning::located("workspace-root-starts", format!(
            "{}: declares workspaces but starts itself; dockgen builds this folder as one service (a workspace root without a start command has its members with one as services)",
            evidence.source()
        )));
        facts.detail("workspaces", true, evidence);
    }
    Ok(Some(facts))
}

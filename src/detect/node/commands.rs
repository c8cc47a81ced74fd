//! The production build and start commands of a Node project. A `start` script that runs a
//! development server (nodemon, ts-node, `next dev`, ...) is not a production command: the
//! built entry point is used instead, and the evidence says so.

use super::package_json::PackageJson;
use super::scripts::{
    classify, looks_like_file, pre_hook_build, resolve, Script, PROCESS_MANAGERS,
};
use crate::facts::{Evidence, Fact, PackageManager};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

/// Scripts tried, in order, when `start` is not a production command.
const PRODUCTION_SCRIPTS: &[&str] = &["start:prod", "start:production", "prod", "serve:prod"];

/// Development scripts whose entry file is the last resort for the start command.
const DEV_SCRIPTS: &[&str] = &["dev", "start:dev", "serve", "watch", "develop"];

pub struct CommandFacts {
    pub build: Option<Fact<Vec<String>>>,
    pub start: Option<Fact<Vec<String>>>,
    pub warnings: Vec<Warning>,
}

/// Inputs that decide the start command besides package.json.
pub struct StartContext<'a> {
    pub dir: &'a str,
    pub manager: PackageManager,
    /// tsconfig `outDir` (e.g. `dist`) when the project compiles TypeScript.
    pub ts_out_dir: Option<&'a str>,
    /// tsconfig `rootDir` (e.g. `src`).
    pub ts_root_dir: Option<&'a str>,
    /// Next.js with `output: 'standalone'`.
    pub next_standalone: Option<bool>,
}

pub fn detect(tree: &RepoTree, pj: &PackageJson, ctx: &StartContext) -> CommandFacts {
    let mut warnings = Vec::new();
    let build = pj.script("build").map(|_| {
        Fact::new(
            vec![
                ctx.manager.name().to_string(),
                "run".to_string(),
                "build".to_string(),
            ],
            pj.script_evidence("build")
                .because("package.json scripts.build"),
        )
    });
    let mut start_script = None;
    let start = start_command(tree, pj, ctx, &mut start_script, &mut warnings);
    // Without a build script, the hook the package manager runs before the chosen start
    // script (`prestart:prod: tsc`) is the build.
    let build = build.or_else(|| pre_hook_build(pj, ctx.manager, start_script?));
    CommandFacts {
        build,
        start,
        warnings,
    }
}

/// The start command; `chosen` is set to the package.json script it runs, when it is one.
fn start_command(
    tree: &RepoTree,
    pj: &PackageJson,
    ctx: &StartContext,
    chosen: &mut Option<&'static str>,
    warnings: &mut Vec<Warning>,
) -> Option<Fact<Vec<String>>> {
    if pj.depends_on("next") {
        return next_start(pj, ctx);
    }
    let mut rejected: Option<(String, String)> = None;
    // A production script (`start:prod`) wins over `start`, which is often the development
    // command (`ts-node`, `nodemon`) or a wrapper around it.
    for name in PRODUCTION_SCRIPTS
        .iter()
        .copied()
        .chain(std::iter::once("start"))
    {
        let Some(script) = pj.script(name) else {
            continue;
        };
        let (server, before) = match resolve(pj, script, 0) {
            Ok(mut segments) => {
                let last = segments.pop().unwrap_or_default();
                (classify(&last), segments)
            }
            Err(why) => (Script::Other(why), Vec::new()),
        };
        match server {
            Script::Node(argv) => {
                if let Some(missing) = missing_entry(tree, ctx, &argv) {
                    if rejected.is_none() {
                        rejected = Some((
                            name.to_string(),
                            format!("runs {missing}, which is neither in the repository nor written by the build"),
                        ));
                    }
                    continue;
                }
                super::start_steps::note_steps_before(pj, name, &before, &argv, warnings);
                let ev = pj.script_evidence(name);
                let detail = match &rejected {
                    Some((n, why)) => format!("scripts.{name}; scripts.{n} {why}"),
                    None => format!("scripts.{name}"),
                };
                *chosen = Some(name);
                return Some(Fact::new(argv, ev.because(detail)));
            }
            Script::Dev { runner, target } => {
                let why = if PROCESS_MANAGERS.contains(&runner.as_str()) {
                    format!("runs the process manager '{runner}', which a container does not need (the engine restarts the process, and signals reach node directly)")
                } else {
                    format!("runs the development tool '{runner}'")
                };
                if rejected.is_none() {
                    rejected = Some((name.to_string(), why.clone()));
                }
                if let Some(entry) = target.and_then(|t| built_entry(tree, ctx, &t)) {
                    return Some(Fact::new(
                        vec!["node".to_string(), entry.clone()],
                        pj.script_evidence(name).because(format!(
                            "scripts.{name} {why}, not a production command; running its entry {entry} with node"
                        )),
                    ));
                }
            }
            Script::Other(reason) => {
                if rejected.is_none() {
                    rejected = Some((name.to_string(), reason));
                }
            }
        }
    }
    // No usable script: the `main` field, then npm's own default `node server.js`. A `main`
    // that starts with `-` would be read by node as an option, not a file: it is not used.
    let main_field = pj.string("main").filter(|m| {
        let option = m.starts_with('-');
        if option {
            warnings.push(Warning::located(
                "main-ignored",
                format!(
                    "{}: main {m:?} starts with '-', so node would take it as an option; ignored",
                    pj.path
                ),
            ));
        }
        !option && !m.trim().is_empty()
    });
    let main = main_field
        .and_then(|m| match built_entry(tree, ctx, m) {
            Some(entry) => Some((entry, pj.evidence_for("main"))),
            None => {
                warnings.push(Warning::located("main-ignored", format!(
                    "{}: main {m:?} is neither in the repository nor written by the build; not used",
                    pj.path
                )));
                None
            }
        })
        .or_else(|| {
            let server = join(ctx.dir, "server.js");
            tree.exists(&server).then(|| {
                (
                    "server.js".to_string(),
                    Evidence::file(server)
                        .because("npm's default start command is `node server.js`"),
                )
            })
        });
    if let Some((entry, ev)) = main {
        let detail = match &rejected {
            Some((n, why)) => format!("scripts.{n} {why}, not a production command; using {entry}"),
            None => format!("entry point {entry}"),
        };
        return Some(Fact::new(vec!["node".into(), entry], ev.because(detail)));
    }
    // Last, the file a development script runs (`nodemon src/index.js`), run with node.
    for name in DEV_SCRIPTS {
        let Some(Ok(mut segments)) = pj.script(name).map(|s| resolve(pj, s, 0)) else {
            continue;
        };
        let last = segments.pop().unwrap_or_default();
        let target = match classify(&last) {
            Script::Dev { target, .. } => target,
            Script::Node(argv) => argv.iter().skip(1).find(|w| looks_like_file(w)).cloned(),
            Script::Other(_) => None,
        };
        if let Some(entry) = target.and_then(|t| built_entry(tree, ctx, &t)) {
            let why = match &rejected {
                Some((n, why)) => format!("scripts.{n} {why}; "),
                None => String::new(),
            };
            return Some(Fact::new(
                vec!["node".into(), entry.clone()],
                pj.script_evidence(name).because(format!(
                    "{why}scripts.{name} is a development command whose entry is {entry}: run with node"
                )),
            ));
        }
    }
    if let Some((name, why)) = rejected {
        warnings.push(
            Warning::located(
                "no-start-command",
                format!(
            "{}: scripts.{name} {why}, and no production entry point was found; set `start`",
            pj.path
        ),
            )
            .about("start"),
        );
    }
    None
}

fn next_start(pj: &PackageJson, ctx: &StartContext) -> Option<Fact<Vec<String>>> {
    let ev = pj.evidence_for("next");
    if ctx.next_standalone == Some(true) {
        return Some(Fact::new(
            vec!["node".into(), "server.js".into()],
            ev.because("Next.js standalone output: .next/standalone/server.js"),
        ));
    }
    Some(Fact::new(
        vec![
            "node".into(),
            "node_modules/next/dist/bin/next".into(),
            "start".into(),
        ],
        ev.because("Next.js without standalone output: `next start`"),
    ))
}

/// The entry file of `node [flags] FILE` when it is not in the repository, not in the build's
/// output folder and not written by the build (tsconfig outDir).
fn missing_entry(tree: &RepoTree, ctx: &StartContext, argv: &[String]) -> Option<String> {
    let file = argv.iter().skip(1).find(|w| !w.starts_with('-'))?;
    let file = file.trim_start_matches("./");
    let candidates = [
        file.to_string(),
        format!("{file}.js"),
        format!("{file}/index.js"),
    ];
    let found = candidates.iter().any(|c| {
        tree.exists(&join(ctx.dir, c))
            || ctx
                .ts_out_dir
                .is_some_and(|out| c.starts_with(&format!("{}/", out.trim_start_matches("./"))))
    });
    (!found).then(|| file.to_string())
}

/// The JavaScript file that runs in production for a source entry: a TypeScript file maps to
/// its compiled output under tsconfig's `outDir`; a JavaScript file is itself.
fn built_entry(tree: &RepoTree, ctx: &StartContext, entry: &str) -> Option<String> {
    let entry = entry.trim_start_matches("./");
    let is_ts = [".ts", ".mts", ".cts"].iter().any(|e| entry.ends_with(e));
    if !is_ts {
        let exists = tree.exists(&join(ctx.dir, entry));
        let in_out_dir = ctx
            .ts_out_dir
            .is_some_and(|out| entry.starts_with(&format!("{out}/")));
        return (exists || in_out_dir).then(|| entry.to_string());
    }
    let out = ctx.ts_out_dir?;
    let relative = match ctx.ts_root_dir {
        Some(root) => entry.strip_prefix(&format!("{root}/")).unwrap_or(entry),
        None => entry.strip_prefix("src/").unwrap_or(entry),
    };
    let stem = relative
        .trim_end_matches(".ts")
        .trim_end_matches(".mts")
        .trim_end_matches(".cts");
    Some(format!("{out}/{stem}.js"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start_of(
        files: &[(&str, &str)],
        out_dir: Option<&str>,
    ) -> (Option<Vec<String>>, Vec<String>) {
        let tree = RepoTree::from_files(files.iter().map(|(p, t)| (*p, *t)));
        let text = files.iter().find(|(p, _)| *p == "package.json").unwrap().1;
        let pj = PackageJson::parse("package.json", text.into()).unwrap();
        let ctx = StartContext {
            dir: ".",
            manager: PackageManager::Npm,
            ts_out_dir: out_dir,
            ts_root_dir: None,
            next_standalone: None,
        };
        let found = detect(&tree, &pj, &ctx);
        (
            found.start.map(|f| f.value),
            found.warnings.iter().map(|w| w.to_string()).collect(),
        )
    }

    #[test]
    fn start_prod_wins_and_its_pre_hook_is_the_build() {
        let pj = r#"{"scripts": {"start": "node index.js", "prestart:prod": "tsc -p tsconfig.build.json", "start:prod": "node dist/main.js"}}"#;
        let tree = RepoTree::from_files([("package.json", pj), ("index.js", "")]);
        let pj = PackageJson::parse("package.json", pj.into()).unwrap();
        let ctx = StartContext {
            dir: ".",
            manager: PackageManager::Npm,
            ts_out_dir: Some("dist"),
            ts_root_dir: None,
            next_standalone: None,
        };
        let found = detect(&tree, &pj, &ctx);
        assert_eq!(found.start.unwrap().value, ["node", "dist/main.js"]);
        let build = found.build.unwrap();
        assert_eq!(build.value, ["npx", "tsc", "-p", "tsconfig.build.json"]);
        assert_eq!(build.evidence.source(), "package.json:1");
    }

    #[test]
    fn scripts_are_followed_through_package_manager_calls_and_chains() {
        // start -> serve -> node dist/server.js (dist is the TypeScript output).
        let pj = r#"{"scripts": {"build": "tsc", "serve": "node dist/server.js", "start": "npm run serve"}}"#;
        let (start, _) = start_of(&[("package.json", pj)], Some("dist"));
        assert_eq!(start.unwrap(), ["node", "dist/server.js"]);
        // A build before the server is the image's build step; other steps are named.
        let pj =
            r#"{"scripts": {"build": "tsc", "start": "npm run build && node dist/server.js"}}"#;
        let (start, warnings) = start_of(&[("package.json", pj)], Some("dist"));
        assert_eq!(start.unwrap(), ["node", "dist/server.js"]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let pj = r#"{"scripts": {"scss": "sass x", "start": "npm run scss && node app.js"}}"#;
        let (start, warnings) = start_of(&[("package.json", pj), ("app.js", "")], None);
        assert_eq!(start.unwrap(), ["node", "app.js"]);
        assert!(warnings[0].contains("`sass x`"), "{warnings:?}");
    }

    #[test]
    fn an_entry_that_does_not_exist_is_not_started() {
        // `start` names a file nobody writes: start:prod runs the build output instead.
        let pj = r#"{"main": "index.js", "scripts": {"start": "node index.js", "start:prod": "node dist/main.js"}}"#;
        let (start, _) = start_of(&[("package.json", pj)], Some("dist"));
        assert_eq!(start.unwrap(), ["node", "dist/main.js"]);
        // `main` names a missing file: the development script's entry is run with node.
        let pj = r#"{"main": "index.js", "scripts": {"dev": "nodemon -L src/index.js"}}"#;
        let (start, warnings) = start_of(&[("package.json", pj), ("src/index.js", "")], None);
        assert_eq!(start.unwrap(), ["node", "src/index.js"]);
        assert!(
            warnings.iter().any(|w| w.contains("main \"index.js\"")),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_main_that_looks_like_a_node_option_is_not_used() {
        let text = r#"{"name": "x", "main": "--require=/proc/self/environ"}"#;
        let tree = RepoTree::from_files([("package.json", text), ("server.js", "")]);
        let pj = PackageJson::parse("package.json", text.into()).unwrap();
        let ctx = StartContext {
            dir: ".",
            manager: PackageManager::Npm,
            ts_out_dir: None,
            ts_root_dir: None,
            next_standalone: None,
        };
        let found = detect(&tree, &pj, &ctx);
        assert_eq!(found.start.unwrap().value, ["node", "server.js"]);
        assert!(found.warnings.iter().any(|w| w.contains("as an option")));
    }
}

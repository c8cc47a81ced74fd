//! The production build and start commands of a Node project. A `start` script that runs a
//! development server (nodemon, ts-node, `next dev`, ...) is not a production command: the
//! built entry point is used instead, and the evidence says so.

use super::package_json::PackageJson;
use crate::facts::{Evidence, Fact, PackageManager};
use crate::repo::{join, RepoTree};

/// Programs that only make sense during development.
const DEV_RUNNERS: &[&str] = &[
    "nodemon",
    "ts-node",
    "ts-node-dev",
    "tsx",
    "vite",
    "webpack-dev-server",
    "react-scripts",
    "nx",
    "babel-node",
    "supervisor",
    "forever",
];

/// Scripts tried, in order, when `start` is not a production command.
const PRODUCTION_SCRIPTS: &[&str] = &["start:prod", "start:production", "prod", "serve:prod"];

pub struct CommandFacts {
    pub build: Option<Fact<Vec<String>>>,
    pub start: Option<Fact<Vec<String>>>,
    pub warnings: Vec<String>,
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
    let start = start_command(tree, pj, ctx, &mut warnings);
    CommandFacts {
        build,
        start,
        warnings,
    }
}

fn start_command(
    tree: &RepoTree,
    pj: &PackageJson,
    ctx: &StartContext,
    warnings: &mut Vec<String>,
) -> Option<Fact<Vec<String>>> {
    if pj.depends_on("next") {
        return next_start(pj, ctx);
    }
    let mut rejected: Option<(String, String)> = None;
    for name in std::iter::once("start").chain(PRODUCTION_SCRIPTS.iter().copied()) {
        let Some(script) = pj.script(name) else {
            continue;
        };
        match classify(script) {
            Script::Node(argv) => {
                let ev = pj.script_evidence(name);
                let detail = match &rejected {
                    Some((n, why)) => format!("scripts.{name}; scripts.{n} {why}"),
                    None => format!("scripts.{name}"),
                };
                return Some(Fact::new(argv, ev.because(detail)));
            }
            Script::Dev { runner, target } => {
                let why = format!("runs the development tool '{runner}'");
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
            warnings.push(format!(
                "{}: main {m:?} starts with '-', so node would take it as an option; ignored",
                pj.path
            ));
        }
        !option && !m.trim().is_empty()
    });
    let main = main_field
        .map(|m| (m.to_string(), pj.evidence_for("main")))
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
        let entry = built_entry(tree, ctx, &entry).unwrap_or(entry);
        let detail = match &rejected {
            Some((n, why)) => format!("scripts.{n} {why}, not a production command; using {entry}"),
            None => format!("entry point {entry}"),
        };
        return Some(Fact::new(vec!["node".into(), entry], ev.because(detail)));
    }
    if let Some((name, why)) = rejected {
        warnings.push(format!(
            "{}: scripts.{name} {why}, and no production entry point was found; set `start`",
            pj.path
        ));
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

enum Script {
    /// `node [flags] file [args]`, ready to run.
    Node(Vec<String>),
    /// A development runner, and the file it runs if one is named.
    Dev {
        runner: String,
        target: Option<String>,
    },
    /// Anything else, with why it cannot be used directly.
    Other(String),
}

fn classify(script: &str) -> Script {
    if script.contains(['&', '|', ';', '$', '`', '>', '<']) {
        return Script::Other("needs a shell (it chains commands or expands variables)".into());
    }
    let Ok(words) = shell_words::split(script) else {
        return Script::Other("cannot be parsed as a command".into());
    };
    // Leading VAR=value assignments are environment, not the command.
    let words: Vec<String> = words
        .into_iter()
        .skip_while(|w| w.contains('=') && !w.starts_with('-'))
        .collect();
    let Some(program) = words.first() else {
        return Script::Other("is empty".into());
    };
    let program_name = program.rsplit('/').next().unwrap_or(program);
    let target = words
        .iter()
        .skip(1)
        .find(|w| !w.starts_with('-') && looks_like_file(w))
        .cloned();
    if program_name == "node" {
        if words.iter().any(|w| w == "--watch") {
            return Script::Dev {
                runner: "node --watch".into(),
                target,
            };
        }
        return Script::Node(words);
    }
    let dev_subcommand = matches!(
        (program_name, words.get(1).map(String::as_str)),
        ("next", Some("dev")) | ("nest", Some("start")) | ("nx", Some("serve"))
    );
    if DEV_RUNNERS.contains(&program_name) || dev_subcommand {
        return Script::Dev {
            runner: if dev_subcommand {
                format!("{program_name} {}", words[1])
            } else {
                program_name.to_string()
            },
            target,
        };
    }
    Script::Other(format!(
        "runs '{program_name}', which needs a shell or a package manager at run time"
    ))
}

fn looks_like_file(word: &str) -> bool {
    [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"]
        .iter()
        .any(|e| word.ends_with(e))
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

    #[test]
    fn classifies_scripts() {
        assert!(
            matches!(classify("node server.js"), Script::Node(v) if v == ["node", "server.js"])
        );
        assert!(
            matches!(classify("NODE_ENV=production node a.js"), Script::Node(v) if v == ["node", "a.js"])
        );
        assert!(
            matches!(classify("nodemon src/index.js"), Script::Dev { target: Some(t), .. } if t == "src/index.js")
        );
        assert!(matches!(classify("next dev"), Script::Dev { .. }));
        assert!(matches!(
            classify("npm run build && node x.js"),
            Script::Other(_)
        ));
        assert!(matches!(classify("fastify start app.js"), Script::Other(_)));
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

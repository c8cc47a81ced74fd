//! What an npm script runs: a script's commands with `npm run X` (and yarn, pnpm, bun) calls
//! replaced by script X's own, and each command classified as a node process, a development
//! runner (with the file it runs) or something that needs a shell or a package manager.

use super::package_json::PackageJson;
use crate::detect::shell_line::{self, NotSequence};
use crate::facts::{Fact, PackageManager};

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
];

/// Process managers: a container does not need one (the engine restarts the process), and one
/// as PID 1 stands between the stop signal and node.
pub const PROCESS_MANAGERS: &[&str] = &["pm2", "pm2-runtime", "forever"];

pub enum Script {
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

/// A script's commands, with `npm run X` (and yarn, pnpm, bun) replaced by script X's own.
pub fn resolve(pj: &PackageJson, script: &str, depth: usize) -> Result<Vec<Vec<String>>, String> {
    let segments = shell_line::split(script).map_err(|e| match e {
        NotSequence::NeedsShell(what) => format!("needs a shell ({what})"),
        NotSequence::Unparsable => "cannot be parsed as a command".to_string(),
    })?;
    let mut out = Vec::new();
    for segment in segments {
        if segment.text.contains('$') {
            return Err("expands variables, which needs a shell".into());
        }
        match script_call(&segment.words) {
            Some(name) if depth < 4 => match pj.script(name) {
                Some(inner) => out.extend(resolve(pj, inner, depth + 1)?),
                None => return Err(format!("runs scripts.{name}, which does not exist")),
            },
            Some(_) => return Err("calls scripts more than 4 levels deep".into()),
            None => out.push(segment.words),
        }
    }
    Ok(out)
}

/// `npm run X`, `npm start`, `yarn X`, `pnpm run X`, `bun run X`: the script it runs.
pub fn script_call(words: &[String]) -> Option<&str> {
    let (words, _) = shell_line::without_assignments(words);
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["npm" | "pnpm" | "yarn" | "bun", "start"] => Some("start"),
        ["npm", "run" | "run-script", name, ..] => Some(name),
        ["pnpm" | "yarn" | "bun", "run", name, ..] => Some(name),
        ["yarn" | "pnpm", name]
            if !name.starts_with('-') && !["install", "add", "exec", "dlx"].contains(name) =>
        {
            Some(name)
        }
        _ => None,
    }
}

pub fn classify(words: &[String]) -> Script {
    // Leading VAR=value assignments are environment, not the command.
    let (words, _) = shell_line::without_assignments(words);
    let words = words.to_vec();
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
    if DEV_RUNNERS.contains(&program_name)
        || PROCESS_MANAGERS.contains(&program_name)
        || dev_subcommand
    {
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

pub fn looks_like_file(word: &str) -> bool {
    [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"]
        .iter()
        .any(|e| word.ends_with(e))
}

/// The hook the package manager runs before `script` (`prestart:prod: tsc` before
/// `start:prod`), as a build command: one plain command runs as it is with npx, anything
/// longer (or another manager) runs as the script.
pub fn pre_hook_build(
    pj: &PackageJson,
    manager: PackageManager,
    script: &str,
) -> Option<Fact<Vec<String>>> {
    let hook = format!("pre{script}");
    let text = pj.script(&hook)?;
    let single = match shell_line::split(text) {
        Ok(mut segments) if segments.len() == 1 => Some(segments.remove(0).words),
        _ => None,
    };
    let argv = match (manager, single) {
        (PackageManager::Npm, Some(words)) if words.iter().all(|w| !w.contains('$')) => {
            std::iter::once("npx".to_string()).chain(words).collect()
        }
        _ => vec![manager.name().to_string(), "run".to_string(), hook.clone()],
    };
    Some(Fact::new(
        argv,
        pj.script_evidence(&hook).because(format!(
            "package.json scripts.{hook}: the package manager runs it before {script}"
        )),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(script: &str) -> Script {
        super::classify(&shell_words::split(script).unwrap())
    }

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
            classify("pm2 start ecosystem.config.json --no-daemon"),
            Script::Dev { runner, target: None } if runner == "pm2"
        ));
        assert!(matches!(classify("fastify start app.js"), Script::Other(_)));
    }
}

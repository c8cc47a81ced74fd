//! The rules themselves, over a Dockerfile's instructions (continuations joined, each with the
//! line it starts on).

use super::{Finding, Rule};
use crate::image_config::{from_stage, global_arg, instructions};
use std::collections::BTreeMap;

/// One stage: its FROM line, base image (ARG defaults applied) and instructions.
struct Stage {
    line: usize,
    base: String,
    name: Option<String>,
    /// Index of the stage it is built FROM, when it is one of this file's.
    parent: Option<usize>,
    instructions: Vec<(usize, String, String)>,
}

/// Package installs: a command's words, and where its tool keeps the cache a mount would keep.
const INSTALLS: &[(&str, &str)] = &[
    ("npm ci", "/root/.npm"),
    ("npm install", "/root/.npm"),
    ("yarn install", "/usr/local/share/.cache/yarn"),
    ("pnpm install", "/root/.local/share/pnpm/store"),
    ("pip install", "/root/.cache/pip"),
    ("uv sync", "/root/.cache/uv"),
    ("uv pip install", "/root/.cache/uv"),
    ("poetry install", "/root/.cache/pypoetry"),
    ("pipenv install", "/root/.cache/pip"),
    ("go mod download", "/go/pkg/mod"),
    ("go build", "/root/.cache/go-build"),
    ("mvn", "/root/.m2"),
    ("gradle", "/root/.gradle"),
    ("cargo build", "/usr/local/cargo/registry"),
    ("dotnet restore", "/root/.nuget/packages"),
    ("dotnet publish", "/root/.nuget/packages"),
    ("apt-get install", "/var/cache/apt"),
    ("bundle install", "/usr/local/bundle/cache"),
];

/// Every finding for the Dockerfile `text` at `file`, in line order.
pub fn audit(file: &str, text: &str) -> Vec<Finding> {
    let stages = stages(text);
    let mut out = Vec::new();
    let mut found = |rule: Rule, line: usize, message: String| {
        out.push(Finding {
            rule,
            file: file.to_string(),
            line,
            message,
        })
    };
    for stage in &stages {
        for (line, keyword, rest) in &stage.instructions {
            match keyword.as_str() {
                "RUN" => {
                    if let Some((command, cache)) = install_in(rest) {
                        if !rest.contains("type=cache") && !skips_cache(command, rest) {
                            found(Rule::NoCacheMount, *line, format!("`{command}` keeps no cache between builds: add `--mount=type=cache,target={cache}` to the RUN"));
                        }
                        if let Some(copied) = copy_all_before(stage, *line) {
                            found(Rule::InstallAfterCopyAll, *line, format!("`{command}` runs after the whole source is copied (line {copied}): copy the manifest and lockfile first, install, then copy the source"));
                        }
                    }
                }
                "ENV" | "ARG" => {
                    for name in secret_names(keyword, rest) {
                        found(Rule::SecretInImage, *line, format!("{keyword} {name} stays in the image's history: pass it at build time with `RUN --mount=type=secret,id={}` or at run time from the environment", name.to_lowercase()));
                    }
                }
                "ADD" => {
                    let url = rest
                        .split_whitespace()
                        .find(|w| w.starts_with("http://") || w.starts_with("https://"));
                    if let (Some(url), false) = (url, rest.contains("--checksum=")) {
                        found(Rule::AddUrl, *line, format!("ADD {url} is fetched unverified on every build: add --checksum=sha256:... or download it in a RUN that checks it"));
                    }
                }
                _ => {}
            }
        }
        if stage.parent.is_none() {
            base_rules(stage, &mut found);
        }
    }
    if let Some(last) = stages.last() {
        runtime_rules(&stages, last, &mut found);
    }
    out.sort_by_key(|f| (f.line, f.rule));
    out
}

fn base_rules(stage: &Stage, found: &mut impl FnMut(Rule, usize, String)) {
    let image = stage.base.as_str();
    if image == "scratch" || image.contains('$') {
        return;
    }
    let (repo, tag) = split_image(image);
    if !image.contains('@') && tag.is_none_or(|t| t == "latest") {
        found(Rule::UnpinnedBase, stage.line, format!("FROM {image} follows whatever is published next: name a version tag (and pin its digest with `dockgen pin`)"));
    }
    if let Some(tag) = tag {
        if let Some(why) = end_of_life(repo, tag) {
            found(
                Rule::EndOfLifeBase,
                stage.line,
                format!("FROM {image}: {why}"),
            );
        }
    }
}

/// The rules about what runs: the last stage with what it inherits from earlier stages.
fn runtime_rules(stages: &[Stage], last: &Stage, found: &mut impl FnMut(Rule, usize, String)) {
    let mut chain = vec![last];
    while let Some(parent) = chain.last().and_then(|s| s.parent) {
        chain.push(&stages[parent]);
    }
    let setting = |keyword: &str| {
        chain.iter().find_map(|s| {
            s.instructions
                .iter()
                .rev()
                .find(|(_, k, _)| k == keyword)
                .map(|(line, _, rest)| (*line, rest.clone()))
        })
    };
    let base = chain.last().map_or("", |s| s.base.as_str());
    let nonroot_base = base.contains("nonroot") || base.contains("chiseled");
    match setting("USER") {
        None if !nonroot_base => found(Rule::RootUser, last.line, "the last stage sets no USER, so the app runs as root: add a numeric non-root user (USER 10001:10001)".into()),
        Some((line, user)) => {
            let name = user.split(':').next().unwrap_or_default().trim();
            if matches!(name, "root" | "0") {
                found(Rule::RootUser, line, format!("USER {user} runs the app as root: use a numeric non-root user (USER 10001:10001)"));
            } else if !name.chars().all(|c| c.is_ascii_digit()) && !name.contains('$') {
                found(Rule::NonNumericUser, line, format!("USER {user} is a name: use its numeric id (USER 10001:10001) so that runAsNonRoot can be checked"));
            }
        }
        None => {}
    }
    if setting("HEALTHCHECK").is_none() {
        found(Rule::NoHealthcheck, last.line, "the runtime has no HEALTHCHECK: add one in exec form that works inside the image (no curl in a slim or distroless image)".into());
    }
    for keyword in ["ENTRYPOINT", "CMD"] {
        if let Some((line, rest)) = setting(keyword) {
            if !rest.trim_start().starts_with('[') {
                found(Rule::ShellFormStart, line, format!("{keyword} {rest} runs under /bin/sh -c, which does not pass SIGTERM on: write it in exec form ({keyword} [\"program\", \"arg\"])"));
            }
        }
    }
}

fn stages(text: &str) -> Vec<Stage> {
    let mut args: BTreeMap<String, String> = BTreeMap::new();
    let mut stages: Vec<Stage> = Vec::new();
    for (line, keyword, rest) in instructions(text) {
        if keyword == "FROM" {
            let (base, name) = from_stage(&rest, &args);
            let parent = stages
                .iter()
                .rposition(|s| s.name.as_deref() == Some(base.to_lowercase().as_str()));
            stages.push(Stage {
                line,
                base,
                name,
                parent,
                instructions: Vec::new(),
            });
        } else if let Some(stage) = stages.last_mut() {
            stage.instructions.push((line, keyword, rest));
        } else if keyword == "ARG" {
            global_arg(&rest, &mut args);
        }
    }
    stages
}

/// The first install command a RUN line holds, with its cache folder.
fn install_in(run: &str) -> Option<(&'static str, &'static str)> {
    let words: Vec<&str> = run
        .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|')
        .filter(|w| !w.is_empty())
        .collect();
    INSTALLS.iter().copied().find(|(command, _)| {
        let parts: Vec<&str> = command.split(' ').collect();
        words.windows(parts.len()).any(|w| {
            w.iter()
                .zip(&parts)
                .all(|(a, b)| a.rsplit('/').next() == Some(b) || a.trim_start_matches("./") == *b)
        })
    })
}

/// apk's `--no-cache` and pip's `--no-cache-dir` say the cache is not wanted in the layer;
/// the mount is still the better answer for pip, but an install that downloads nothing again
/// (apt lists cleaned in the same RUN) is a choice, not a slip.
fn skips_cache(command: &str, run: &str) -> bool {
    command == "apt-get install" && run.contains("rm -rf /var/lib/apt/lists")
}

/// The line of a `COPY . .` (or `ADD . .`) earlier in the stage than `line`.
fn copy_all_before(stage: &Stage, line: usize) -> Option<usize> {
    stage
        .instructions
        .iter()
        .take_while(|(l, _, _)| *l < line)
        .filter(|(_, k, rest)| {
            let sources: Vec<&str> = rest
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            matches!(k.as_str(), "COPY" | "ADD")
                && !rest.contains("--from")
                && sources.len() >= 2
                && sources[..sources.len() - 1]
                    .iter()
                    .any(|s| matches!(*s, "." | "./"))
        })
        .map(|(l, _, _)| *l)
        .last()
}

/// Names in an ENV or ARG that hold a secret: ENV with a value, ARG always (a build argument is
/// recorded in the image history too).
fn secret_names(keyword: &str, rest: &str) -> Vec<String> {
    const SECRET: &[&str] = &[
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIALS",
    ];
    let pairs: Vec<(String, Option<String>)> = match rest.contains('=') {
        true => shell_words::split(rest)
            .unwrap_or_default()
            .into_iter()
            .map(|w| match w.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (w, None),
            })
            .collect(),
        false => {
            let mut words = rest.splitn(2, char::is_whitespace);
            let name = words.next().unwrap_or_default().to_string();
            vec![(name, words.next().map(|v| v.trim().to_string()))]
        }
    };
    pairs
        .into_iter()
        .filter(|(name, value)| {
            let upper = name.to_ascii_uppercase();
            let secret = SECRET.iter().any(|s| upper.contains(s));
            let literal = value
                .as_deref()
                .is_some_and(|v| !v.is_empty() && !v.starts_with('$'));
            secret && (keyword == "ARG" || literal)
        })
        .map(|(name, _)| name)
        .collect()
}

/// `node:18-alpine` → ("node", Some("18-alpine")); a registry port is not a tag.
fn split_image(image: &str) -> (&str, Option<&str>) {
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((name, tag)) => (name, Some(tag)),
        None => (last, None),
    }
}

/// Why the runtime a tag names is past its end of life, from the same tables detection uses.
fn end_of_life(repo: &str, tag: &str) -> Option<String> {
    let digits = |s: &str| -> Option<u64> {
        let n: String = s.chars().take_while(char::is_ascii_digit).collect();
        n.parse().ok()
    };
    match repo {
        "node" => {
            let major = digits(tag)?;
            let oldest = crate::detect::node::version::END_OF_LIFE.first()?.0;
            let date = crate::detect::node::version::END_OF_LIFE
                .iter()
                .find(|(n, _)| *n == major)
                .map(|(_, d)| format!("on {d}"));
            let date = date.or_else(|| (major < oldest).then(|| "long ago".to_string()))?;
            Some(format!(
                "Node.js {major} reached end of life {date}; use a current LTS release (22 or 24)"
            ))
        }
        "python" => {
            let minor = digits(tag.strip_prefix("3.")?)?;
            let table = crate::detect::python::version::END_OF_LIFE;
            let date = table
                .iter()
                .find(|(n, _)| *n == minor)
                .map(|(_, d)| format!("on {d}"));
            let date =
                date.or_else(|| (minor < table.first()?.0).then(|| "long ago".to_string()))?;
            Some(format!(
                "Python 3.{minor} reached end of life {date}; use 3.13"
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Vec<(Rule, usize)> {
        audit("Dockerfile", text)
            .into_iter()
            .map(|f| (f.rule, f.line))
            .collect()
    }

    #[test]
    fn a_naive_dockerfile_breaks_every_rule_on_its_line() {
        let naive = "FROM node:16\nWORKDIR /app\nENV API_TOKEN=abc123\nCOPY . .\nRUN npm install\nADD https://example.com/tool.tgz /opt/\nEXPOSE 3000\nCMD npm start\n";
        assert_eq!(
            rules(naive),
            [
                (Rule::RootUser, 1),
                (Rule::NoHealthcheck, 1),
                (Rule::EndOfLifeBase, 1),
                (Rule::SecretInImage, 3),
                (Rule::InstallAfterCopyAll, 5),
                (Rule::NoCacheMount, 5),
                (Rule::AddUrl, 6),
                (Rule::ShellFormStart, 8),
            ]
        );
    }

    #[test]
    fn an_expert_dockerfile_has_no_findings() {
        let expert = "ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-trixie-slim AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n\nFROM gcr.io/distroless/nodejs22-debian13:nonroot AS runtime\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nUSER 65532:65532\nHEALTHCHECK CMD [\"/nodejs/bin/node\", \"health.js\"]\nENTRYPOINT [\"/nodejs/bin/node\"]\nCMD [\"server.js\"]\n";
        assert_eq!(rules(expert), []);
    }

    #[test]
    fn users_and_bases_are_judged_through_the_stages() {
        let text =
            "FROM python AS base\nUSER app\nFROM base\nHEALTHCHECK NONE\nENTRYPOINT [\"python\"]\n";
        assert_eq!(
            rules(text),
            [(Rule::UnpinnedBase, 1), (Rule::NonNumericUser, 2)]
        );
        assert_eq!(
            rules("FROM python:3.8-slim\nUSER 0\nHEALTHCHECK NONE\n"),
            [(Rule::EndOfLifeBase, 1), (Rule::RootUser, 2)]
        );
        assert_eq!(
            rules("FROM gcr.io/distroless/static:nonroot\nHEALTHCHECK NONE\n"),
            []
        );
        assert_eq!(
            rules("FROM registry:5000/team/app\nUSER 1000\nHEALTHCHECK NONE\n"),
            [(Rule::UnpinnedBase, 1)]
        );
    }
}

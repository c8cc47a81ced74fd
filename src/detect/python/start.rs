//! The production start command of a Python service, in exec form. Declared commands come
//! first (a Procfile `web:` line, a PDM `start` script), then one is composed from the framework
//! and the servers among the dependencies: gunicorn for WSGI apps, uvicorn (or gunicorn with
//! uvicorn workers when both are there) for ASGI apps. Every gunicorn command binds
//! `0.0.0.0:<port>` and keeps its heartbeat files in `/dev/shm` (the root filesystem may be
//! read-only); every uvicorn command listens on `0.0.0.0` (its default is 127.0.0.1).

use super::apps::AppObject;
use super::declared;
use super::manifests::Manifests;
use super::script_entry;
use super::shown;
use crate::detect::dockerfile_start;
use crate::facts::{Evidence, Fact};
use crate::repo::RepoTree;
use crate::warning::Warning;

/// Port gunicorn and uvicorn conventionally serve on, when nothing else says.
pub const DEFAULT_PORT: u16 = 8000;

pub struct StartFacts {
    pub start: Option<Fact<Vec<String>>>,
    pub port: Option<Fact<u16>>,
    /// A pinned server the image installs because the project depends on none.
    pub server_packages: Option<Fact<Vec<String>>>,
    pub warnings: Vec<Warning>,
}

/// The production servers dockgen installs, pinned, when a project has an app but no server
/// among its dependencies: gunicorn for WSGI, uvicorn for ASGI.
pub const GUNICORN: &str = "gunicorn==23.0.0";
pub const UVICORN: &str = "uvicorn==0.34.0";

pub struct StartContext<'a> {
    pub dir: &'a str,
    pub framework: Option<&'a str>,
    pub app: Option<&'a AppObject>,
    /// Whether the app object is ASGI (FastAPI, Starlette, Django's ASGI_APPLICATION).
    pub asgi: bool,
    pub manifests: &'a Manifests,
    /// The port the source listens on, if it says.
    pub code_port: Option<Fact<u16>>,
    /// The service's Python files, entry points first.
    pub sources: &'a [(String, String)],
    /// The command the repository's own Dockerfile runs.
    pub stated: Option<Fact<Vec<String>>>,
}

pub fn detect(tree: &RepoTree, ctx: &StartContext) -> StartFacts {
    let mut warnings = Vec::new();
    let has = |name: &str| ctx.manifests.depends_on(name).is_some();
    let uvicorn_via_extra = ctx
        .manifests
        .depends_on("fastapi")
        .is_some_and(|d| d.extras.iter().any(|e| e == "standard" || e == "all"));
    let declared = declared::procfile(tree, ctx.dir, &mut warnings)
        .or_else(|| declared::pdm_script(ctx.manifests.pyproject.as_ref(), &mut warnings))
        .or_else(|| {
            // No server among the dependencies: the repository's own Dockerfile says how its
            // authors run the app, which beats a server dockgen would add.
            let servers = ["gunicorn", "uvicorn", "hypercorn", "daphne", "granian", "waitress"];
            if ctx.app.is_none() || uvicorn_via_extra || servers.iter().any(|s| has(s)) {
                return None;
            }
            let stated = ctx.stated.clone()?;
            let runs = dockerfile_start::run_words(&stated.value);
            if ctx.framework == Some("flask") && runs.first().is_some_and(|w| w.starts_with("python")) {
                warnings.push(Warning::located("development-server", format!(
                    "{}: {} runs `{}` as the repository's Dockerfile does, which serves with Flask's development server; add gunicorn to the dependencies for a production server",
                    shown(ctx.dir),
                    stated.evidence.source(),
                    shell_words::join(&stated.value)
                )).about("start"));
            }
            Some(declared::Declared {
                words: stated.value,
                evidence: stated.evidence,
            })
        });
    if let Some(d) = declared {
        let bound = bound_port(&d.words).map(|p| {
            Fact::new(
                p,
                d.evidence
                    .clone()
                    .because("the port the start command binds"),
            )
        });
        let port = bound
            .or(ctx.code_port.clone())
            .unwrap_or_else(|| default_port(&d.evidence));
        let words = normalise(d.words, port.value);
        return StartFacts {
            start: Some(Fact::new(words, d.evidence)),
            port: Some(port),
            server_packages: None,
            warnings,
        };
    }

    let Some(app) = ctx.app else {
        // No application object: a program that is its own server, run with python.
        return StartFacts {
            start: script_entry::detect(ctx.dir, ctx.sources),
            port: ctx.code_port.clone(),
            server_packages: None,
            warnings,
        };
    };
    let file = ctx.manifests.dependency_file(ctx.dir);
    let mut server_packages = None;
    let mut installed = |package: &str, kind: &str| {
        let evidence = app.evidence.clone().because(format!(
            "no {kind} server among the dependencies of {file}: the image installs {package}"
        ));
        warnings.push(Warning::located("server-added", format!(
            "{}: {} app {} has no {kind} server among its dependencies; the image installs {package} (add a server to {file} to choose your own)",
            shown(ctx.dir),
            ctx.framework.unwrap_or(kind),
            app.target
        )).about("start"));
        server_packages = Some(Fact::new(vec![package.to_string()], evidence.clone()));
        Some(evidence)
    };
    let server = if ctx.asgi {
        if has("gunicorn") && (has("uvicorn") || uvicorn_via_extra) {
            Some((
                "gunicorn",
                true,
                ctx.manifests
                    .depends_on("gunicorn")
                    .map(|d| d.evidence.clone()),
            ))
        } else if has("uvicorn") || uvicorn_via_extra {
            let dep = ctx
                .manifests
                .depends_on("uvicorn")
                .or(ctx.manifests.depends_on("fastapi"));
            Some(("uvicorn", false, dep.map(|d| d.evidence.clone())))
        } else {
            Some(("uvicorn", false, installed(UVICORN, "ASGI")))
        }
    } else if has("gunicorn") {
        Some((
            "gunicorn",
            false,
            ctx.manifests
                .depends_on("gunicorn")
                .map(|d| d.evidence.clone()),
        ))
    } else {
        Some(("gunicorn", false, installed(GUNICORN, "WSGI")))
    };
    let Some((server, uvicorn_workers, dep_evidence)) = server else {
        return StartFacts {
            start: None,
            port: ctx.code_port.clone(),
            server_packages: None,
            warnings,
        };
    };
    let port = ctx.code_port.clone().unwrap_or_else(|| {
        default_port(&dep_evidence.clone().unwrap_or_else(|| app.evidence.clone()))
    });
    let mut words: Vec<String> = vec![server.to_string()];
    if server == "uvicorn" {
        // uvicorn calls a factory with --factory; gunicorn takes `module:factory()` as it is.
        match app.target.strip_suffix("()") {
            Some(factory) => words.extend(["--factory".to_string(), factory.to_string()]),
            None => words.push(app.target.clone()),
        }
        if let Some(d) = &app.app_dir {
            words.extend(["--app-dir".to_string(), d.clone()]);
        }
    } else {
        if let Some(d) = &app.app_dir {
            words.extend(["--chdir".to_string(), d.clone()]);
        }
        if uvicorn_workers {
            words.extend([
                "--worker-class".to_string(),
                "uvicorn.workers.UvicornWorker".to_string(),
            ]);
        }
        words.push(app.target.clone());
    }
    let words = normalise(words, port.value);
    let why = format!(
        "{} serves {} ({})",
        server,
        app.target,
        app.evidence.source()
    );
    let evidence = dep_evidence
        .unwrap_or_else(|| app.evidence.clone())
        .because(why);
    StartFacts {
        start: Some(Fact::new(words, evidence)),
        port: Some(port),
        server_packages,
        warnings,
    }
}

fn default_port(evidence: &Evidence) -> Fact<u16> {
    Fact::new(
        DEFAULT_PORT,
        evidence.clone().because(format!(
            "gunicorn and uvicorn are served on {DEFAULT_PORT} by convention"
        )),
    )
}

/// Makes a server command container-ready: `$PORT` rendered, gunicorn bound to `0.0.0.0:port`
/// with `--worker-tmp-dir /dev/shm`, uvicorn on `--host 0.0.0.0 --port port`.
pub fn normalise(words: Vec<String>, port: u16) -> Vec<String> {
    let mut words: Vec<String> = words.into_iter().map(|w| expand_port(&w, port)).collect();
    let server = words.first().map(String::as_str).unwrap_or_default();
    let has = |words: &[String], flag: &str| {
        words
            .iter()
            .any(|w| w == flag || w.starts_with(&format!("{flag}=")))
    };
    match server {
        "gunicorn" => {
            if !has(&words, "--worker-tmp-dir") {
                words.splice(
                    1..1,
                    ["--worker-tmp-dir".to_string(), "/dev/shm".to_string()],
                );
            }
            let bind = words.iter().position(|w| w == "--bind" || w == "-b");
            let has_bind_eq = has(&words, "--bind");
            match bind.and_then(|i| words.get_mut(i + 1)) {
                Some(value) if !value.starts_with("0.0.0.0:") && !value.starts_with("[::]:") => {
                    let p = value
                        .rsplit(':')
                        .next()
                        .and_then(|p| p.parse::<u16>().ok())
                        .unwrap_or(port);
                    *value = format!("0.0.0.0:{p}");
                }
                Some(_) => {}
                None if has_bind_eq => {}
                None => words
                    .splice(1..1, ["--bind".to_string(), format!("0.0.0.0:{port}")])
                    .for_each(drop),
            }
        }
        "uvicorn" => {
            if let Some(i) = words.iter().position(|w| w == "--host") {
                if let Some(h) = words.get_mut(i + 1) {
                    *h = "0.0.0.0".to_string();
                }
            } else {
                words.extend(["--host".to_string(), "0.0.0.0".to_string()]);
            }
            if !has(&words, "--port") {
                words.extend(["--port".to_string(), port.to_string()]);
            }
        }
        _ => {}
    }
    words
}

/// `$PORT`, `${PORT}` and `${PORT:-8000}` inside a word, replaced by the port (exec form has no
/// shell to expand them).
fn expand_port(word: &str, port: u16) -> String {
    let mut out = word
        .replace("${PORT}", &port.to_string())
        .replace("$PORT", &port.to_string());
    while let Some(start) = out.find("${PORT:-") {
        let Some(end) = out[start..].find('}') else {
            break;
        };
        out.replace_range(start..start + end + 1, &port.to_string());
    }
    out
}

/// The port in `--bind host:port` / `-b` / `--port N` with a literal number.
fn bound_port(words: &[String]) -> Option<u16> {
    words.iter().enumerate().find_map(|(i, w)| {
        let value = match w.split_once('=') {
            Some(("--bind" | "--port", v)) => v,
            _ if matches!(w.as_str(), "--bind" | "-b" | "--port") => words.get(i + 1)?,
            _ => return None,
        };
        value.rsplit(':').next()?.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        shell_words::split(s).unwrap()
    }

    #[test]
    fn servers_are_made_container_ready() {
        assert_eq!(
            normalise(words("gunicorn app:app"), 5000),
            words("gunicorn --bind 0.0.0.0:5000 --worker-tmp-dir /dev/shm app:app")
        );
        assert_eq!(
            normalise(words("gunicorn -b 0.0.0.0:$PORT app:app"), 8080),
            words("gunicorn --worker-tmp-dir /dev/shm -b 0.0.0.0:8080 app:app")
        );
        assert_eq!(
            normalise(words("gunicorn app:app --bind localhost:7000"), 1),
            words("gunicorn --worker-tmp-dir /dev/shm app:app --bind 0.0.0.0:7000")
        );
        assert_eq!(
            normalise(words("uvicorn m:app --host 127.0.0.1"), 8000),
            words("uvicorn m:app --host 0.0.0.0 --port 8000")
        );
        assert_eq!(expand_port("0.0.0.0:${PORT:-5000}", 9000), "0.0.0.0:9000");
        assert_eq!(
            bound_port(&words("gunicorn --bind 0.0.0.0:8001 a:b")),
            Some(8001)
        );
        assert_eq!(bound_port(&words("uvicorn a:b --port=9000")), Some(9000));
    }
}

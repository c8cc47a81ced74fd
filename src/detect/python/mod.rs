//! Python detection: a folder with a requirements file, pyproject.toml, Pipfile, setup.py or a
//! Python lockfile is a Python project. Reads the manifests, version files, Django settings and
//! the application source, and returns facts with evidence. Pure: reads only through `RepoTree`.

mod apps;
mod declared;
mod manifests;
mod mounts;
mod package_manager;
mod routes;
mod script_entry;
mod sqlite;
mod start;
mod state;
mod stop_signal;
mod uv_workspace;
pub mod version;
mod writable;

pub use state::{drop_sqlite_beside_server, DATA_DIR};
pub use version::KNOWN_MINORS;

use crate::detect::source_scan::source_files;
use crate::error::Result;
use crate::facts::{Evidence, Fact, Language, PackageManager, ServiceFacts};
use crate::paths::relative;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;
use manifests::Manifests;

/// Frameworks by dependency name, most specific first: FastAPI depends on Starlette.
const FRAMEWORKS: &[(&str, &str)] = &[
    ("django", "django"),
    ("fastapi", "fastapi"),
    ("starlette", "starlette"),
    ("quart", "quart"),
    // A load generator built on Flask: its web UI is Flask's, its start is locust's.
    ("locust", "locust"),
    ("flask", "flask"),
    // A gRPC server speaks HTTP/2 with its own protocol: probed by a TCP connect.
    ("grpcio", "grpc"),
];

/// Files that usually hold the application object, looked at first.
const ENTRY_POINTS: &[&str] = &[
    "app.py",
    "main.py",
    "wsgi.py",
    "asgi.py",
    "server.py",
    "application.py",
    "app/main.py",
    "app/__init__.py",
    "src/app.py",
    "src/main.py",
];

pub fn detect(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    if !Manifests::present(tree, dir) {
        return Ok(None);
    }
    let m = Manifests::read(tree, dir)?;
    let mut facts = ServiceFacts::new(dir, Language::Python);
    facts.warnings.extend(m.warnings.iter().cloned());

    let pm = package_manager::detect(tree, dir, &m);
    facts.warnings.extend(pm.warnings);
    let manager = pm.manager.value;
    if let Some(lock) = &pm.lockfile {
        facts.detail(
            "lockfile",
            relative(dir, lock),
            Evidence::file(lock.clone()),
        );
    }
    if let Some(v) = pm.version {
        facts.detail("package_manager_version", v.value, v.evidence);
    }
    if let Some(ev) = pm.install_project {
        facts.detail("install_project", true, ev);
    }
    if let Some(py) = &m.pyproject {
        facts.detail("pyproject", true, Evidence::file(py.path.clone()));
    }
    if manager == PackageManager::Pip {
        if let Some(r) = &m.requirements {
            facts.detail(
                "requirements",
                relative(dir, &r.path),
                Evidence::file(r.path.clone()),
            );
            if let Some(d) = &r.dir {
                facts.detail(
                    "requirements_dir",
                    relative(dir, d),
                    Evidence::file(r.path.clone()).because("requirements live in a folder"),
                );
            }
            if let Some(c) = &r.constraints {
                facts.detail("constraints", relative(dir, c), Evidence::file(c.clone()));
            }
        }
    }
    facts.package_manager = Some(pm.manager);
    if pm.lockfile.is_none() {
        uv_workspace::apply(
            tree,
            dir,
            uv_workspace::project_name(m.pyproject.as_ref()),
            &mut facts,
        );
    }

    let v = version::detect(tree, dir, m.pyproject.as_ref(), m.pipfile.as_ref());
    facts.version = v.version;
    if let Some(c) = v.constraint.clone() {
        facts.detail("version_constraint", c.value, c.evidence);
    }
    facts.warnings.extend(v.warnings);
    // uv reads a workspace's .python-version at its root, for every member.
    if facts.details.contains_key("uv_package") && tree.exists(".python-version") {
        if let Some(pinned) = version::detect(tree, ".", None, None).version {
            facts.version = Some(pinned);
        }
    }

    let has_manage = tree.exists(&join(dir, "manage.py"));
    facts.framework = FRAMEWORKS.iter().find_map(|(package, name)| {
        let dep = m.depends_on(package)?;
        Some(Fact::new(
            name.to_string(),
            dep.evidence
                .clone()
                .because(format!("dependency {package}")),
        ))
    });
    let framework = facts.framework.as_ref().map(|f| f.value.clone());
    if framework.is_none() && has_manage {
        facts.warnings.push(Warning::located(
            "django-not-a-dependency",
            format!(
                "{}: manage.py but no django dependency found",
                join(dir, "manage.py")
            ),
        ));
    }

    let preferred: Vec<String> = ENTRY_POINTS.iter().map(|e| join(dir, e)).collect();
    let sources = source_files(tree, dir, &[".py"], &preferred);
    let mut django_settings = None;
    let (app, asgi, django_urls) = if framework.as_deref() == Some("django") {
        let d = apps::django(tree, dir);
        django_settings.clone_from(&d.settings_path);
        facts.warnings.extend(d.warnings.iter().cloned());
        if let Some(ev) = &d.static_root {
            if has_manage {
                facts.detail("collectstatic", true, ev.clone());
            }
        }
        if let Some((name, ev)) = &d.secret_key_env {
            facts.detail("secret_key_env", name.clone(), ev.clone());
        }
        // WSGI first: gunicorn serves it; ASGI only when that is all the project declares
        // or the ASGI server is what the dependencies bring.
        let asgi_only = d.wsgi.is_none()
            || (m.depends_on("gunicorn").is_none() && m.depends_on("uvicorn").is_some());
        let (app, asgi) = match (&d.wsgi, &d.asgi) {
            (Some(w), Some(a)) => {
                if asgi_only {
                    (Some(a.clone()), true)
                } else {
                    (Some(w.clone()), false)
                }
            }
            (Some(w), None) => (Some(w.clone()), false),
            (None, a) => (a.clone(), true),
        };
        (app, asgi, d.urls_path.clone())
    } else if let Some(fw) = framework.as_deref().filter(|fw| *fw != "grpc") {
        let app = apps::find_app(dir, &sources, fw);
        if app.is_none() {
            facts.warnings.push(Warning::located("no-application", format!("{}: {fw} is a dependency but no application object was found (e.g. app = {fw}(...))", shown(dir))).about("start"));
        }
        (app, matches!(fw, "fastapi" | "starlette" | "quart"), None)
    } else {
        (None, false, None)
    };

    let r = routes::detect(&sources, django_urls.as_deref());
    facts.health = r.health.clone();
    facts.probe_grpc_by_tcp();
    if facts.health.is_none() && framework.as_deref() == Some("fastapi") {
        if let (Some(app), Some((route, why))) = (&app, routes::fastapi_docs(&sources)) {
            facts.health = Some(Fact::new(route, app.evidence.clone().because(why)));
        }
    }
    if facts.health.is_none() && !facts.details.contains_key("probe") {
        facts.health = r.plain.clone();
    }
    if let (None, Some(h)) = (&facts.health, &r.prefixed_health) {
        facts.warnings.push(Warning::located("health-route-prefix-unknown", format!(
            "{}: health route {} is on a router with a prefix of its own, mounted where its full path is not known here; the health check connects to the port instead (set health=/full/path to request it)",
            h.evidence.source(),
            h.route
        )).about("health"));
    }

    let stated_start = crate::detect::dockerfile_start::stated_start(tree, dir);
    let s = start::detect(
        tree,
        &start::StartContext {
            dir,
            framework: framework.as_deref(),
            app: app.as_ref(),
            asgi,
            manifests: &m,
            code_port: r.port.or_else(|| crate::detect::declared_port(tree, dir)),
            sources: &sources,
            stated: stated_start.clone(),
        },
    );
    facts.start = s.start.or(stated_start);
    if let Some(signal) = facts
        .start
        .as_ref()
        .and_then(|s| stop_signal::detect(&s.value, &sources))
    {
        facts.detail("stop_signal", signal.value, signal.evidence);
    }
    if let Some(start) = facts
        .start
        .as_ref()
        .filter(|s| crate::detect::dockerfile_start::is_shell_line(&s.value))
    {
        // Distroless has no shell to run it: the runtime is python:X.Y-slim.
        let why = start
            .evidence
            .clone()
            .because("the start command is a shell line; distroless has no shell");
        facts.detail("runtime", "slim", why);
    }
    facts.build = crate::detect::dockerfile_build::stated_build(tree, dir);
    facts.port = s.port;
    facts.warnings.extend(s.warnings);
    if let Some(packages) = s.server_packages {
        facts.detail("server_packages", packages.value, packages.evidence);
    }
    if let Some(dirs) = writable::detect(&sources) {
        facts.detail("writable_dirs", dirs.value, dirs.evidence);
    }
    let state = state::StateContext {
        dir,
        manifests: &m,
        django_settings: django_settings.as_deref(),
        app_target: app.as_ref().map(|a| a.target.as_str()),
        sources: &sources,
    };
    state::apply(tree, &state, &mut facts);

    let name = m.pyproject.as_ref().and_then(|py| {
        ["project", "tool.poetry"].iter().find_map(|section| {
            let keys: Vec<&str> = section.split('.').chain(["name"]).collect();
            let value = py.get(&keys)?.as_str()?;
            Some((value.to_string(), py.evidence(section, "name")))
        })
    });
    if let Some((name, evidence)) = name {
        facts.detail("name", name, evidence);
    }
    Ok(Some(facts))
}

/// A service folder as messages show it: `.` for the root.
fn shown(dir: &str) -> &str {
    if dir.is_empty() {
        "."
    } else {
        dir
    }
}

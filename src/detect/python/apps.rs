//! Where the application object lives. Flask, FastAPI and Starlette apps are found in the
//! source (`app = Flask(__name__)`, `def create_app(...)`, `app = FastAPI(...)`) and named as an
//! import path (`pkg.module:app`); a Django project is found through manage.py's settings
//! module and its `WSGI_APPLICATION` / `ASGI_APPLICATION`, `STATIC_ROOT` and `ROOT_URLCONF`.

use super::shown;
use crate::detect::source_scan::line_at;
use crate::facts::Evidence;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;
use regex::Regex;
use std::sync::LazyLock;

/// An importable application: `module:attr` (`attr` may be a factory call), run from `app_dir`.
#[derive(Debug, Clone, PartialEq)]
pub struct AppObject {
    pub target: String,
    /// Folder (relative to the service) the module is imported from, when not the service root.
    pub app_dir: Option<String>,
    pub evidence: Evidence,
}

static MODULE_APP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^([A-Za-z_]\w*)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?(Flask|FastAPI|Starlette|Quart|create_app|make_app|create_application|get_application|get_app|build_app)\(")
        .expect("valid pattern")
});
static FACTORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^def (create_app|make_app|create_application|get_application)\(")
        .expect("valid pattern")
});
static SETTINGS_MODULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]"#).expect("valid pattern")
});
static SETTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^(WSGI_APPLICATION|ASGI_APPLICATION|ROOT_URLCONF)\s*=\s*['"]([\w.]+)['"]"#)
        .expect("valid pattern")
});
static STATIC_ROOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^STATIC_ROOT\s*=\s*(.+)$").expect("valid pattern"));
/// `STATIC_ROOT = ...` indented under a condition (`if not DEBUG:`).
static CONDITIONAL_STATIC_ROOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]+STATIC_ROOT\s*=").expect("valid pattern"));
static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^SECRET_KEY\s*=\s*(?:os\.environ\[\s*['"](\w+)['"]\s*\]|(?:os\.environ\.get|os\.getenv|env(?:\.str)?)\(\s*['"](\w+)['"]\s*\))"#)
        .expect("valid pattern")
});
static REQUIRED_ENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"os\.environ\[\s*['"](\w+)['"]\s*\]"#).expect("valid pattern"));

/// The first application object in `files` (already ordered, entry points first).
pub fn find_app(dir: &str, files: &[(String, String)], framework: &str) -> Option<AppObject> {
    let class = match framework {
        "flask" => "Flask",
        "fastapi" => "FastAPI",
        "starlette" => "Starlette",
        "quart" => "Quart",
        _ => return None,
    };
    for (path, text) in files {
        for caps in MODULE_APP.captures_iter(text) {
            let called = &caps[2];
            if called == class || called.ends_with("_app") || called.ends_with("_application") {
                let (module, app_dir) = module_of(dir, path)?;
                let at = caps.get(0).map_or(0, |m| m.start());
                return Some(AppObject {
                    target: format!("{module}:{}", &caps[1]),
                    app_dir,
                    evidence: Evidence::at(path.clone(), Some(line_at(text, at)))
                        .because(format!("module-level {} = {called}(...)", &caps[1])),
                });
            }
        }
    }
    for (path, text) in files {
        if !text.contains(&format!("{class}(")) {
            continue;
        }
        if let Some(caps) = FACTORY.captures(text) {
            let (module, app_dir) = module_of(dir, path)?;
            let at = caps.get(0).map_or(0, |m| m.start());
            return Some(AppObject {
                target: format!("{module}:{}()", &caps[1]),
                app_dir,
                evidence: Evidence::at(path.clone(), Some(line_at(text, at)))
                    .because(format!("application factory {}()", &caps[1])),
            });
        }
    }
    None
}

/// `src/pkg/app.py` in service `dir` → (`pkg.app`, Some("src")); `app/__init__.py` → `app`.
pub fn module_of(dir: &str, path: &str) -> Option<(String, Option<String>)> {
    let rel = if dir == "." {
        path
    } else {
        path.strip_prefix(&format!("{dir}/"))?
    };
    let rel = rel.strip_suffix(".py")?;
    let (app_dir, rel) = match rel.strip_prefix("src/") {
        Some(rest) => (Some("src".to_string()), rest),
        None => (None, rel),
    };
    let rel = rel.strip_suffix("/__init__").unwrap_or(rel);
    let parts: Vec<&str> = rel.split('/').collect();
    let ident = |p: &&str| {
        !p.is_empty()
            && !p.starts_with(|c: char| c.is_ascii_digit())
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    parts.iter().all(ident).then(|| (parts.join("."), app_dir))
}

/// What a Django project's settings say.
#[derive(Debug, Clone, Default)]
pub struct Django {
    pub settings_path: Option<String>,
    pub wsgi: Option<AppObject>,
    pub asgi: Option<AppObject>,
    /// The root URLconf file, where routes are read.
    pub urls_path: Option<String>,
    pub static_root: Option<Evidence>,
    /// The environment variable SECRET_KEY is read from without a default.
    pub secret_key_env: Option<(String, Evidence)>,
    pub warnings: Vec<Warning>,
}

pub fn django(tree: &RepoTree, dir: &str) -> Django {
    let mut out = Django::default();
    let manage = join(dir, "manage.py");
    let from_manage = tree
        .read_text(&manage)
        .ok()
        .and_then(|t| SETTINGS_MODULE.captures(&t).map(|c| c[1].to_string()));
    let module = from_manage.or_else(|| {
        // Without manage.py: the settings.py nearest the service root.
        let found = tree
            .files_under(dir)
            .filter(|p| p.ends_with("/settings.py"))
            .min_by_key(|p| p.matches('/').count())?;
        module_of(dir, found).map(|(m, _)| m)
    });
    let Some(module) = module else {
        out.warnings.push(
            Warning::located(
                "no-application",
                format!(
                    "{}: Django without manage.py or a settings.py; cannot find WSGI_APPLICATION",
                    shown(dir)
                ),
            )
            .about("start"),
        );
        return out;
    };
    let base = module.replace('.', "/");
    let candidates = [
        join(dir, &format!("{base}.py")),
        join(dir, &format!("{base}/__init__.py")),
        join(dir, &format!("{base}/base.py")),
        join(dir, &format!("{base}/production.py")),
    ];
    let settings: Vec<(String, String)> = candidates
        .iter()
        .filter_map(|p| tree.read_text(p).ok().map(|t| (p.clone(), t)))
        .collect();
    let Some((first, _)) = settings.first() else {
        out.warnings.push(Warning::located(
            "django-settings-missing",
            format!("{manage}: settings module {module} not found"),
        ));
        return out;
    };
    out.settings_path = Some(first.clone());
    for (path, text) in &settings {
        for caps in SETTING.captures_iter(text) {
            let at = caps.get(0).map_or(0, |m| m.start());
            let evidence = Evidence::at(path.clone(), Some(line_at(text, at)));
            let value = &caps[2];
            match &caps[1] {
                "ROOT_URLCONF" => {
                    let file = join(dir, &format!("{}.py", value.replace('.', "/")));
                    if out.urls_path.is_none() && tree.exists(&file) {
                        out.urls_path = Some(file);
                    }
                }
                key => {
                    let Some((m, attr)) = value.rsplit_once('.') else {
                        continue;
                    };
                    let app = AppObject {
                        target: format!("{m}:{attr}"),
                        app_dir: None,
                        evidence: evidence.because(format!("{key} = '{value}'")),
                    };
                    let slot = if key == "WSGI_APPLICATION" {
                        &mut out.wsgi
                    } else {
                        &mut out.asgi
                    };
                    slot.get_or_insert(app);
                }
            }
        }
        if let Some(caps) = STATIC_ROOT.captures(text) {
            if caps[1].trim() != "None" && out.static_root.is_none() {
                let at = caps.get(0).map_or(0, |m| m.start());
                out.static_root = Some(
                    Evidence::at(path.clone(), Some(line_at(text, at)))
                        .because("STATIC_ROOT is set: collectstatic runs at build time"),
                );
            }
        }
        if out.static_root.is_none() {
            if let Some(m) = CONDITIONAL_STATIC_ROOT.find(text) {
                out.warnings.push(Warning::located("collectstatic-conditional", format!(
                    "{path}:{}: STATIC_ROOT is set only under a condition, so collectstatic is not run at build time; collect the static files with --set collectstatic=true once the condition holds in the build",
                    line_at(text, m.start())
                )).about("collectstatic"));
            }
        }
        if let Some(caps) = SECRET_KEY.captures(text) {
            if let Some(name) = caps.get(1).or_else(|| caps.get(2)) {
                let at = caps.get(0).map_or(0, |m| m.start());
                out.secret_key_env.get_or_insert((
                    name.as_str().to_string(),
                    Evidence::at(path.clone(), Some(line_at(text, at)))
                        .because("SECRET_KEY from the environment without a default"),
                ));
            }
        }
    }
    if out.static_root.is_some() {
        for (path, text) in &settings {
            for caps in REQUIRED_ENV.captures_iter(text) {
                let name = &caps[1];
                if out.secret_key_env.as_ref().is_some_and(|(s, _)| s == name) {
                    continue;
                }
                let at = caps.get(0).map_or(0, |m| m.start());
                out.warnings.push(Warning::located("collectstatic-needs-variable", format!(
                    "{path}:{}: settings require ${name}, which is not set when collectstatic runs at build time; give it a default or skip collectstatic with --set collectstatic=false",
                    line_at(text, at)
                )).about("collectstatic"));
            }
        }
    }
    if out.wsgi.is_none() && out.asgi.is_none() {
        out.warnings.push(Warning::located("no-application", format!("{first}: no WSGI_APPLICATION or ASGI_APPLICATION; cannot name the application to serve")).about("start"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn module_level_apps_beat_factories_and_src_layout_is_an_app_dir() {
        let f = files(&[
            (
                "src/notes/app.py",
                "from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n",
            ),
            (
                "wsgi.py",
                "from notes.app import create_app\napp = create_app()\n",
            ),
        ]);
        let app = find_app(".", &f, "flask").unwrap();
        assert_eq!(
            (app.target.as_str(), app.evidence.line),
            ("wsgi:app", Some(2))
        );
        let app = find_app(".", &f[..1], "flask").unwrap();
        assert_eq!(
            (app.target.as_str(), app.app_dir.as_deref()),
            ("notes.app:create_app()", Some("src"))
        );
        let fa = files(&[(
            "api/app/main.py",
            "app: FastAPI = fastapi.FastAPI(title='x')\n",
        )]);
        assert_eq!(
            find_app("api", &fa, "fastapi").unwrap().target,
            "app.main:app"
        );
        assert_eq!(module_of(".", "my-app/x.py"), None);
    }

    #[test]
    fn django_settings_are_read_through_manage_py() {
        let t = RepoTree::from_files([
            ("manage.py", "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n".as_bytes().to_vec()),
            ("site/settings.py", "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nWSGI_APPLICATION = 'site.wsgi.application'\nROOT_URLCONF = 'site.urls'\nSTATIC_ROOT = BASE_DIR / 'static'\nDB = os.environ['DATABASE_URL']\n".as_bytes().to_vec()),
            ("site/urls.py", b"".to_vec()),
        ]);
        let d = django(&t, ".");
        assert_eq!(d.wsgi.unwrap().target, "site.wsgi:application");
        assert_eq!(d.urls_path.as_deref(), Some("site/urls.py"));
        assert!(d.static_root.is_some());
        assert_eq!(d.secret_key_env.unwrap().0, "DJANGO_SECRET_KEY");
        assert!(d.warnings[0].contains("$DATABASE_URL"), "{:?}", d.warnings);
    }
}

//! A SQLite database a Python app opens in its own tree (Django `DATABASES` with the sqlite3
//! engine, a SQLAlchemy `sqlite:///` URL): where its file is, and the variable that moves it,
//! so the image can keep it on a volume writable by the app's user.

use super::state::{StateContext, DATA_DIR};
use crate::detect::source_scan::line_at;
use crate::facts::Evidence;
use crate::repo::RepoTree;
use regex::Regex;
use std::sync::LazyLock;

/// A SQLite database the app opens: its file (relative to the service folder) where the path
/// is known, and the variable that moves it, in the form the app reads (a path or a URL).
pub struct Sqlite {
    pub file: Option<String>,
    pub env: Option<String>,
    pub evidence: Evidence,
}

static DJANGO_SQLITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"]ENGINE['"]\s*:\s*['"]django\.db\.backends\.sqlite3['"]"#)
        .expect("valid pattern")
});
static DJANGO_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"['"]NAME['"]\s*:\s*([^\n]+)"#).expect("valid pattern"));
static ENV_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:os\.environ\.get|os\.getenv|environ\.get|env(?:\.str)?)\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]|os\.environ\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]"#).expect("valid pattern")
});
static DB_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"]([A-Za-z0-9_.\-]+\.(?:sqlite3|sqlite|db))['"]"#).expect("valid pattern")
});
static SQLALCHEMY_SQLITE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"['"]sqlite(?:\+\w+)?:///([^'"]*)['"]"#).expect("valid pattern"));

pub fn detect(tree: &RepoTree, ctx: &StateContext) -> Option<Sqlite> {
    if let Some(settings) = ctx.django_settings {
        let text = tree.read_text(settings).ok()?;
        if let Some(engine) = DJANGO_SQLITE.find(&text) {
            // The NAME of the same database entry: the next one after its ENGINE.
            let name = DJANGO_NAME.captures(&text[engine.end()..])?;
            let expr = name.get(1)?.as_str();
            let evidence = Evidence::at(
                settings,
                Some(line_at(&text, engine.end() + name.get(0)?.start())),
            );
            let file = DB_FILE.captures(expr).map(|c| c[1].to_string());
            let env = ENV_READ
                .captures(expr)
                .and_then(|c| c.get(1).or(c.get(2)))
                .map(|v| {
                    let base = file.as_deref().unwrap_or("db.sqlite3");
                    format!("{}={DATA_DIR}/{base}", v.as_str())
                });
            // Django's BASE_DIR is the folder of manage.py, the service folder.
            let file = file.filter(|_| expr.contains("BASE_DIR"));
            return described(file, env, evidence);
        }
        return None;
    }
    for (path, text) in ctx.sources {
        for caps in SQLALCHEMY_SQLITE.captures_iter(text) {
            let whole = caps.get(0)?;
            let rest = &caps[1];
            if rest.starts_with(":memory:") {
                continue;
            }
            let line = line_at(text, whole.start());
            let lines: Vec<&str> = text.lines().collect();
            let here = lines.get(line - 1).copied().unwrap_or("");
            let before = if line >= 2 { lines[line - 2] } else { "" };
            let named = DB_FILE
                .captures(rest)
                .or_else(|| DB_FILE.captures(here))
                .map(|c| c[1].to_string())
                .or_else(|| (!rest.is_empty()).then(|| rest.trim_start_matches("./").to_string()));
            let env = ENV_READ
                .captures(here)
                .or_else(|| {
                    before
                        .trim_end()
                        .ends_with('\\')
                        .then(|| ENV_READ.captures(before))
                        .flatten()
                })
                .and_then(|c| c.get(1).or(c.get(2)).map(|v| v.as_str().to_string()))
                .map(|v| {
                    format!(
                        "{v}=sqlite:///{DATA_DIR}/{}",
                        named.as_deref().map_or("app.db", basename)
                    )
                });
            // Where the file is only known relative to the working directory (a literal
            // `sqlite:///app.db`), it is in the service folder; a path built from a module's
            // own folder is known when that module is at the service root.
            let at_root = path.rsplit_once('/').map_or("", |(d, _)| d) == ctx.dir
                || (ctx.dir.is_empty() && !path.contains('/'));
            let file = if !rest.is_empty() && !rest.starts_with('/') {
                Some(rest.trim_start_matches("./").to_string())
            } else if here.contains("dirname(__file__)")
                || text.contains("basedir = os.path.abspath(os.path.dirname(__file__))")
            {
                named.clone().filter(|_| at_root)
            } else {
                None
            };
            return described(file, env, Evidence::at(path.clone(), Some(line)));
        }
    }
    None
}

fn described(file: Option<String>, env: Option<String>, evidence: Evidence) -> Option<Sqlite> {
    let why = match (&file, &env) {
        (_, Some(env)) => {
            format!("a SQLite database: it moves to the {DATA_DIR} volume with {env}")
        }
        (Some(file), None) => {
            format!("a SQLite database at {file}: linked to the {DATA_DIR} volume")
        }
        (None, None) => return None,
    };
    Some(Sqlite {
        file,
        env,
        evidence: evidence.because(why),
    })
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::python::manifests::Manifests;
    use crate::detect::python::state::migration;

    #[test]
    fn sqlite_urls_name_their_file_and_variable() {
        // miguelgrinberg/microblog's config.py.
        let config = "basedir = os.path.abspath(os.path.dirname(__file__))\nclass Config:\n    SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URL') or \\\n        'sqlite:///' + os.path.join(basedir, 'app.db')\n";
        let sources = vec![("config.py".to_string(), config.to_string())];
        let tree = RepoTree::from_files([("requirements.txt", b"flask\n".to_vec())]);
        let m = Manifests::read(&tree, "").unwrap();
        let ctx = StateContext {
            dir: "",
            manifests: &m,
            django_settings: None,
            app_target: None,
            sources: &sources,
        };
        let db = detect(&tree, &ctx).unwrap();
        assert_eq!(db.file.as_deref(), Some("app.db"));
        assert_eq!(
            db.env.as_deref(),
            Some("DATABASE_URL=sqlite:////data/app.db")
        );
        assert_eq!(db.evidence.source(), "config.py:4");
    }

    #[test]
    fn django_sqlite_at_base_dir_or_from_a_variable() {
        let settings = |name: &str| {
            format!("DATABASES = {{\n    'default': {{\n        'ENGINE': 'django.db.backends.sqlite3',\n        'NAME': {name},\n    }}\n}}\n")
        };
        for (name, file, env) in [
            ("BASE_DIR / 'db.sqlite3'", Some("db.sqlite3"), None),
            (
                "os.environ.get(\"DJANGO_DB_PATH\", BASE_DIR / 'db.sqlite3')",
                Some("db.sqlite3"),
                Some("DJANGO_DB_PATH=/data/db.sqlite3"),
            ),
        ] {
            let tree = RepoTree::from_files([
                ("manage.py", b"".to_vec()),
                ("requirements.txt", b"django\n".to_vec()),
                ("site/settings.py", settings(name).into_bytes()),
            ]);
            let m = Manifests::read(&tree, "").unwrap();
            let ctx = StateContext {
                dir: "",
                manifests: &m,
                django_settings: Some("site/settings.py"),
                app_target: None,
                sources: &[],
            };
            let db = detect(&tree, &ctx).unwrap();
            assert_eq!(
                (db.file.as_deref(), db.env.as_deref()),
                (file, env),
                "{name}"
            );
            assert_eq!(db.evidence.source(), "site/settings.py:4");
            let m = migration(&tree, &ctx).unwrap();
            assert_eq!(m.value, ["python", "manage.py", "migrate", "--noinput"]);
            assert_eq!(m.evidence.source(), "site/settings.py:1");
        }
    }
}

//! The state a Python app keeps in its database: the migrations to apply before it serves
//! (Django `migrate`, Flask-Migrate, Alembic), run by a one-shot service so no request meets a
//! missing table, and a SQLite file it keeps in its own tree, which must live on a volume: the
//! image's files are read-only to the app and go away with the container.

use super::manifests::Manifests;
use crate::detect::shell_line;
use crate::detect::source_scan::line_at;
use crate::facts::{BackingKind, Evidence, Fact, ServiceFacts};
use crate::repo::{join, RepoTree};
use regex::Regex;
use std::sync::LazyLock;

/// Where the image keeps the SQLite database: a named volume owned by the app's user.
pub const DATA_DIR: &str = "/data";

/// What the state detection reads besides the tree.
pub struct StateContext<'a> {
    pub dir: &'a str,
    pub manifests: &'a Manifests,
    /// Django's settings module file, when the app is a Django project.
    pub django_settings: Option<&'a str>,
    /// The application object (`module:attr`), which `flask --app` needs.
    pub app_target: Option<&'a str>,
    pub sources: &'a [(String, String)],
}

/// Records `migrate`, `sqlite_file` and `sqlite_env` details on `facts`.
pub fn apply(tree: &RepoTree, ctx: &StateContext, facts: &mut ServiceFacts) {
    if let Some(m) = migration(tree, ctx) {
        facts.detail("migrate", m.value, m.evidence);
    }
    if let Some(db) = sqlite(tree, ctx) {
        if let Some(file) = db.file {
            facts.detail("sqlite_file", file, db.evidence.clone());
        }
        if let Some(env) = db.env {
            facts.detail("sqlite_env", env, db.evidence);
        }
    }
}

/// A SQL server among the backing services is the app's database: its SQLite fallback (the
/// default of the same setting, e.g. `DATABASE_URL or 'sqlite:///app.db'`) is not used.
pub fn drop_sqlite_beside_server(facts: &mut ServiceFacts) {
    let server = facts
        .backing
        .iter()
        .any(|b| matches!(b.value.kind, BackingKind::Postgres | BackingKind::Mysql));
    if server {
        facts.details.remove("sqlite_file");
        facts.details.remove("sqlite_env");
    }
}

/// A command of the repository that applies migrations, in the form the image runs it.
pub fn as_migration(words: &[String], app_target: Option<&str>) -> Option<Vec<String>> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    let manage = match w.as_slice() {
        ["python" | "python3", "manage.py", rest @ ..] => rest,
        ["./manage.py", rest @ ..] => rest,
        _ => &[][..],
    };
    if manage.first() == Some(&"migrate") {
        let mut out = s(&["python", "manage.py", "migrate"]);
        out.extend(manage[1..].iter().map(|x| x.to_string()));
        if !out.iter().any(|x| x == "--noinput" || x == "--no-input") {
            out.push("--noinput".into());
        }
        return Some(out);
    }
    let tail = |skip: usize| w[skip..].iter().map(|x| x.to_string());
    let flask = match w.as_slice() {
        ["flask", ..] => Some(1),
        ["python" | "python3", "-m", "flask", ..] => Some(3),
        _ => None,
    };
    let upgrades = w.windows(2).any(|p| p == ["db", "upgrade"]);
    match w.as_slice() {
        _ if flask.is_some() && upgrades => {
            let skip = flask.unwrap_or(1);
            let mut out = s(&["python", "-m", "flask"]);
            if let Some(app) = app_target.filter(|_| !w.iter().any(|x| x.starts_with("--app"))) {
                out.extend(s(&["--app", app]));
            }
            out.extend(tail(skip));
            Some(out)
        }
        ["alembic", "upgrade", ..] => {
            let mut out = s(&["python", "-m", "alembic"]);
            out.extend(tail(1));
            Some(out)
        }
        ["python" | "python3", "-m", "alembic", "upgrade", ..] => {
            let mut out = s(&["python"]);
            out.extend(tail(1));
            Some(out)
        }
        _ => None,
    }
}

fn migration(tree: &RepoTree, ctx: &StateContext) -> Option<Fact<Vec<String>>> {
    if let Some(stated) = procfile_migration(tree, ctx) {
        return Some(stated);
    }
    let because = |e: Evidence, why: &str| e.because(why.to_string());
    if let (true, Some(settings)) = (
        tree.exists(&join(ctx.dir, "manage.py")),
        ctx.django_settings,
    ) {
        let text = tree.read_text(settings).ok()?;
        let at = text.find("DATABASES")?;
        let evidence = Evidence::at(settings, Some(line_at(&text, at)));
        let command = as_migration(&words("python manage.py migrate"), None)?;
        return Some(Fact::new(
            command,
            because(
                evidence,
                "Django with a database: manage.py migrate runs once before the app",
            ),
        ));
    }
    if let Some(dep) = ctx.manifests.depends_on("flask-migrate") {
        if tree.exists(&join(ctx.dir, "migrations/env.py")) {
            let command = as_migration(&words("flask db upgrade"), ctx.app_target)?;
            let why = "Flask-Migrate with a migrations/ folder: flask db upgrade runs once before the app";
            return Some(Fact::new(command, because(dep.evidence.clone(), why)));
        }
    }
    let ini = join(ctx.dir, "alembic.ini");
    if ctx.manifests.depends_on("alembic").is_some() && tree.exists(&ini) {
        let command = as_migration(&words("alembic upgrade head"), None)?;
        let why = "Alembic migrations: alembic upgrade head runs once before the app";
        return Some(Fact::new(command, because(Evidence::file(ini), why)));
    }
    None
}

/// A Procfile `release:` process, or a step its `web:` line runs before the server.
fn procfile_migration(tree: &RepoTree, ctx: &StateContext) -> Option<Fact<Vec<String>>> {
    let path = join(ctx.dir, "Procfile");
    let text = tree.read_text(&path).ok()?;
    for (i, line) in text.lines().enumerate() {
        let Some((process, command)) = line.trim().split_once(':') else {
            continue;
        };
        if !matches!(process.trim(), "release" | "web") {
            continue;
        }
        let Ok(segments) = shell_line::split(command.trim()) else {
            continue;
        };
        for segment in &segments {
            if let Some(command) = as_migration(&segment.words, ctx.app_target) {
                let why = format!(
                    "Procfile {} process runs `{}`",
                    process.trim(),
                    segment.text
                );
                return Some(Fact::new(
                    command,
                    Evidence::at(path, Some(i + 1)).because(why),
                ));
            }
        }
    }
    None
}

fn words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_string).collect()
}

/// A SQLite database the app opens: its file (relative to the service folder) where the path
/// is known, and the variable that moves it, in the form the app reads (a path or a URL).
struct Sqlite {
    file: Option<String>,
    env: Option<String>,
    evidence: Evidence,
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

fn sqlite(tree: &RepoTree, ctx: &StateContext) -> Option<Sqlite> {
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

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn repository_commands_become_migrations_the_image_runs() {
        assert_eq!(
            as_migration(&w("./manage.py migrate --no-input"), None).unwrap(),
            ["python", "manage.py", "migrate", "--no-input"]
        );
        assert_eq!(
            as_migration(&w("flask db upgrade"), Some("microblog:app")).unwrap(),
            [
                "python",
                "-m",
                "flask",
                "--app",
                "microblog:app",
                "db",
                "upgrade"
            ]
        );
        assert_eq!(
            as_migration(&w("alembic upgrade head"), None).unwrap(),
            ["python", "-m", "alembic", "upgrade", "head"]
        );
        assert!(as_migration(&w("flask translate compile"), None).is_none());
        assert!(as_migration(&w("python manage.py collectstatic"), None).is_none());
    }

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
        let db = sqlite(&tree, &ctx).unwrap();
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
            let db = sqlite(&tree, &ctx).unwrap();
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

    #[test]
    fn a_procfile_release_process_is_the_migration() {
        let tree = RepoTree::from_files([
            ("requirements.txt", b"flask\nflask-migrate\n".to_vec()),
            (
                "Procfile",
                b"web: flask db upgrade; gunicorn app:app\n".to_vec(),
            ),
            ("migrations/env.py", b"".to_vec()),
        ]);
        let m = Manifests::read(&tree, "").unwrap();
        let ctx = StateContext {
            dir: "",
            manifests: &m,
            django_settings: None,
            app_target: Some("app:app"),
            sources: &[],
        };
        let found = migration(&tree, &ctx).unwrap();
        assert_eq!(
            found.value,
            ["python", "-m", "flask", "--app", "app:app", "db", "upgrade"]
        );
        assert_eq!(found.evidence.source(), "Procfile:1");
    }
}

//! The state a Python app keeps in its database: the migrations to apply before it serves
//! (Django `migrate`, Flask-Migrate, Alembic), run by a one-shot service so no request meets a
//! missing table; and the SQLite file it keeps in its own tree (found by `sqlite`), which must
//! live on a volume: the image's files are read-only to the app and go away with the container.

use super::manifests::Manifests;
use crate::detect::shell_line;
use crate::detect::source_scan::line_at;
use crate::facts::{BackingKind, Evidence, Fact, ServiceFacts};
use crate::repo::{join, RepoTree};

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
    if let Some(db) = super::sqlite::detect(tree, ctx) {
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

pub(super) fn migration(tree: &RepoTree, ctx: &StateContext) -> Option<Fact<Vec<String>>> {
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

pub(super) fn words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_string).collect()
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

//! Where a FastAPI router or Flask blueprint answers: its routes are served under the router's
//! own prefix (`APIRouter(prefix="/utils")`, `Blueprint(..., url_prefix="/api")`) joined with the
//! prefix of every `include_router` / `register_blueprint` call that mounts it, up to the app.
//! A prefix may be a string or a settings field (`settings.API_V1_STR`) whose one default value
//! is found in the sources. Where a link cannot be followed, the full path is unknown.

use crate::detect::source_scan::line_at;
use regex::Regex;
use std::sync::LazyLock;

/// `name = APIRouter(...)` / `name = Blueprint(...)`, with what is inside the parentheses.
static ROUTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^\s*(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:\w+\.)?(?:APIRouter|Blueprint)\(([^)]*)\)",
    )
    .expect("valid pattern")
});
/// `parent.include_router(child, ...)` / `parent.register_blueprint(child, ...)`.
static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\w+)\.(?:include_router|register_blueprint)\(\s*([\w.]+)\s*(?:,([^)]*))?\)")
        .expect("valid pattern")
});
/// `prefix=` / `url_prefix=` with a string or a (dotted) name.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:url_)?prefix\s*=\s*(?:f?["']([^"'{}]*)["']|([A-Za-z_][\w.]*))"#)
        .expect("valid pattern")
});
/// `name = FastAPI(` / `name = Flask(`: the application routers are mounted on.
static APP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:\w+\.)?(?:FastAPI|Flask)\(")
        .expect("valid pattern")
});

/// The full path of `route`, declared with `@var.get(...)` in `file`, and how it was found
/// (each mount with its file:line); `None` when a link of the chain is not found.
pub fn full_path(
    files: &[(String, String)],
    file: &str,
    var: &str,
    route: &str,
) -> Option<(String, String)> {
    let mut prefix = String::new();
    let mut how = Vec::new();
    let (mut file, mut var) = (file.to_string(), var.to_string());
    for _ in 0..6 {
        let text = &files.iter().find(|(p, _)| *p == file)?.1;
        if is_app(text, &var) {
            let path = join(&prefix, route);
            return Some((path, how.join(", ")));
        }
        let own = router_prefix(files, text, &var)?;
        prefix = join(&own, &prefix);
        let (parent_file, parent_var, mount, at) = including(files, &file, &var)?;
        prefix = join(&mount, &prefix);
        how.push(format!(
            "{var} mounted{} at {parent_file}:{at}",
            if mount.is_empty() {
                String::new()
            } else {
                format!(" under {mount}")
            }
        ));
        (file, var) = (parent_file, parent_var);
    }
    None
}

/// The router variable of a route decorator (`@router.get(` gives `router`).
pub fn decorator_var(text: &str, line: usize) -> Option<&str> {
    let decorator = text.lines().nth(line.checked_sub(1)?)?.trim_start();
    let name = decorator.strip_prefix('@')?.split('(').next()?;
    let (var, _) = name.rsplit_once('.')?;
    Some(var.rsplit('.').next().unwrap_or(var))
}

fn is_app(text: &str, var: &str) -> bool {
    APP.captures_iter(text).any(|c| &c[1] == var)
}

/// The prefix `var` is constructed with in `text` ("" without one); `None` when `var` is not a
/// router there or its prefix names a value that is not found.
fn router_prefix(files: &[(String, String)], text: &str, var: &str) -> Option<String> {
    let args = ROUTER
        .captures_iter(text)
        .find(|c| &c[1] == var)?
        .get(2)?
        .as_str();
    prefix_value(files, args)
}

fn prefix_value(files: &[(String, String)], args: &str) -> Option<String> {
    let Some(caps) = PREFIX.captures(args) else {
        return Some(String::new());
    };
    match (caps.get(1), caps.get(2)) {
        (Some(literal), _) => Some(literal.as_str().to_string()),
        (_, Some(name)) => setting(files, name.as_str().rsplit('.').next()?),
        _ => None,
    }
}

/// The one string default of a settings field or constant `name` (`API_V1_STR: str = "/api/v1"`).
fn setting(files: &[(String, String)], name: &str) -> Option<String> {
    let mut values = files
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter_map(|line| string_default(line, name))
        .collect::<Vec<_>>();
    values.dedup();
    (values.len() == 1).then(|| values.remove(0))
}

/// The string `line` assigns to `name` (`name = "x"`, `name: str = "x"`), read without a
/// pattern compiled per name.
fn string_default(line: &str, name: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix(name)?;
    let rest = match rest.trim_start().strip_prefix(':') {
        Some(typed) => typed.split_once('=')?.1,
        None => rest.trim_start().strip_prefix('=')?,
    };
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    (!value.contains(['{', '}']) && rest[1..].len() > value.len()).then(|| value.to_string())
}

/// The file, variable and prefix of the first call that mounts router `var` of `file`, with its
/// line: `parent.include_router(module.var, prefix=...)` anywhere, or `parent.include_router(var)`
/// in `file` itself or in a file that imports `var` from its module.
fn including(
    files: &[(String, String)],
    file: &str,
    var: &str,
) -> Option<(String, String, String, usize)> {
    let module = module_name(file);
    for (path, text) in files {
        for caps in INCLUDE.captures_iter(text) {
            let child = &caps[2];
            let named = match child.rsplit_once('.') {
                Some((m, v)) => v == var && m.rsplit('.').next() == Some(module),
                None => {
                    child == var
                        && (path == file || imports(text, module, var))
                        && !(path == file && &caps[1] == var)
                }
            };
            if !named {
                continue;
            }
            let mount = prefix_value(files, caps.get(3).map_or("", |m| m.as_str()))?;
            let at = line_at(text, caps.get(0).map_or(0, |m| m.start()));
            return Some((path.clone(), caps[1].to_string(), mount, at));
        }
    }
    None
}

/// `from ...module import var` in `text`.
fn imports(text: &str, module: &str, var: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.strip_prefix("from ")
            .and_then(|rest| rest.split_once(" import "))
            .is_some_and(|(from, names)| {
                from.rsplit('.').next() == Some(module) && names.split(',').any(|n| n.trim() == var)
            })
    })
}

/// The name a file is imported by: its stem, or its folder for `__init__.py`.
fn module_name(file: &str) -> &str {
    let mut parts = file.rsplit('/');
    let stem = parts.next().unwrap_or(file).trim_end_matches(".py");
    if stem == "__init__" {
        parts.next().unwrap_or(stem)
    } else {
        stem
    }
}

/// `a` and `b` as one path, with one slash between them.
fn join(a: &str, b: &str) -> String {
    match (a.trim_end_matches('/'), b) {
        ("", b) => b.to_string(),
        (a, "") => a.to_string(),
        (a, b) => format!("{a}/{}", b.trim_start_matches('/')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, text: &str) -> (String, String) {
        (path.to_string(), text.to_string())
    }

    #[test]
    fn a_router_prefix_is_joined_with_every_mount_up_to_the_app() {
        // The shape of fastapi/full-stack-fastapi-template's backend.
        let files = [
            f(
                "app/main.py",
                "from app.api.main import api_router\nfrom app.core.config import settings\n\napp = FastAPI(title=settings.PROJECT_NAME)\napp.include_router(api_router, prefix=settings.API_V1_STR)\n",
            ),
            f(
                "app/api/main.py",
                "from app.api.routes import items, utils\n\napi_router = APIRouter()\napi_router.include_router(utils.router)\n",
            ),
            f(
                "app/api/routes/utils.py",
                "router = APIRouter(prefix=\"/utils\", tags=[\"utils\"])\n\n@router.get(\"/health-check/\")\nasync def health_check() -> bool:\n    return True\n",
            ),
            f(
                "app/core/config.py",
                "class Settings(BaseSettings):\n    API_V1_STR: str = \"/api/v1\"\n",
            ),
        ];
        let text = &files[2].1;
        assert_eq!(decorator_var(text, 3), Some("router"));
        let (path, how) = full_path(
            &files,
            "app/api/routes/utils.py",
            "router",
            "/health-check/",
        )
        .unwrap();
        assert_eq!(path, "/api/v1/utils/health-check/");
        assert_eq!(
            how,
            "router mounted at app/api/main.py:4, api_router mounted under /api/v1 at app/main.py:5"
        );
    }

    #[test]
    fn blueprints_and_unknown_links() {
        let files = [
            f(
                "app/__init__.py",
                "from app.api import bp\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix='/api')\n",
            ),
            f(
                "app/api/__init__.py",
                "bp = Blueprint('api', __name__)\n\n@bp.route('/ping')\ndef ping(): ...\n",
            ),
        ];
        let (path, _) = full_path(&files, "app/api/__init__.py", "bp", "/ping").unwrap();
        assert_eq!(path, "/api/ping");
        // A prefix from a value that is not found, or a router mounted nowhere: not known.
        let unknown = [f(
            "r.py",
            "router = APIRouter(prefix=PREFIX)\n@router.get('/health')\ndef h(): ...\n",
        )];
        assert!(full_path(&unknown, "r.py", "router", "/health").is_none());
        assert!(full_path(&files[1..], "app/api/__init__.py", "bp", "/ping").is_none());
    }
}

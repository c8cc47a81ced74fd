//! Environment variables a Go or Node program will not start without: a read of the variable
//! followed, within a few lines, by an emptiness check and an exit (`if x == "" { ...
//! os.Exit(127) }`, `if (!process.env.X) { throw ... }`). compose.yaml passes each from `.env`
//! instead of shipping a container that exits at once; the variables of backing services
//! and the port are planned elsewhere. In TypeScript, a read asserted set (`process.env.X!`)
//! in a statement at module scope is required too: the module fails as it loads without it.

use crate::detect::backing::{extensions, ENV_READ};
use crate::detect::source_scan::{line_at, read_source, source_paths};
use crate::facts::{Evidence, Fact, Language};
use crate::repo::RepoTree;

/// How far below the read the check and the exit may be.
const WINDOW: usize = 12;

/// Calls that end the program (or its start-up) when they run.
const FATAL: &[&str] = &[
    "os.Exit(",
    "log.Fatal",
    "panic(",
    "process.exit(",
    "throw new Error",
    "throw Error",
];

/// The evidence detail of a variable a module needs as it loads (`process.env.X!` at module
/// scope): a build that loads the module (Next.js prerendering) needs it as well.
pub const AT_LOAD: &str = "read as its module loads and asserted set (`!`)";

/// Variables never reported: the port is the image's own, and these are set by the platform.
const SKIP: &[&str] = &[
    "PORT", "HOST", "HOSTNAME", "NODE_ENV", "HOME", "PATH", "DEBUG",
];

pub fn detect(tree: &RepoTree, dir: &str, language: Language) -> Vec<Fact<String>> {
    if !matches!(language, Language::Go | Language::Node) {
        return Vec::new();
    }
    let mut out: Vec<Fact<String>> = Vec::new();
    for path in source_paths(tree, dir, extensions(language), &[]) {
        let Some(text) = read_source(tree, path) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        for caps in ENV_READ.captures_iter(&text) {
            let Some(m) = caps.iter().skip(1).flatten().next() else {
                continue;
            };
            let name = m.as_str();
            if SKIP.contains(&name) || out.iter().any(|f| f.value == name) {
                continue;
            }
            let line = line_at(&text, m.start());
            let read = lines[line - 1];
            // A default right at the read (`|| "x"`, `?? 3000`) means it is not required.
            if read.contains("||") || read.contains("??") {
                continue;
            }
            // The variable the value is kept in (`text := os.Getenv(..)`, `const key = ..`).
            let held = read
                .split_once(":=")
                .or_else(|| read.split_once(" = "))
                .map(|(lhs, _)| lhs.trim().rsplit(' ').next().unwrap_or("").to_string())
                .filter(|v| !v.is_empty());
            let asserted = text[m.end()..].starts_with('!') && !text[m.end()..].starts_with("!=");
            if asserted && !read.starts_with([' ', '\t']) && !read.trim_start().starts_with("//") {
                out.push(Fact::new(
                    name.to_string(),
                    Evidence::at(path, Some(line)).because(AT_LOAD),
                ));
                continue;
            }
            let window = &lines[line - 1..(line - 1 + WINDOW).min(lines.len())];
            let required = window.iter().enumerate().any(|(i, l)| {
                let about_it = l.contains(name) || held.as_deref().is_some_and(|v| l.contains(v));
                let check = l.contains("== \"\"") || l.contains("if (!") || l.contains("if !");
                about_it && check && exits_in_block(&window[i + 1..])
            });
            if required {
                out.push(Fact::new(
                    name.to_string(),
                    Evidence::at(path, Some(line)).because("the program exits when it is not set"),
                ));
            }
        }
    }
    out
}

/// Whether the block after a check line exits before it ends, without giving the variable a
/// default instead.
fn exits_in_block(after: &[&str]) -> bool {
    for l in after.iter().take(5) {
        let t = l.trim();
        if FATAL.iter().any(|f| t.contains(f)) {
            return true;
        }
        if t.starts_with('}') || t.contains(" = ") {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_followed_by_a_check_and_an_exit_is_required() {
        let go = "func main() {\n\ttext := os.Getenv(\"ECHO_TEXT\")\n\tif text == \"\" {\n\t\tfmt.Println(\"missing\")\n\t\tos.Exit(127)\n\t}\n\tlevel := os.Getenv(\"LOG_LEVEL\")\n\t_ = level\n}\n";
        let tree = RepoTree::from_files([("go.mod", "module x\n"), ("main.go", go)]);
        let found = detect(&tree, ".", Language::Go);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].value.as_str(), found[0].evidence.source()),
            ("ECHO_TEXT", "main.go:2".to_string())
        );
        let js = "const key = process.env.API_KEY;\nif (!key) {\n  throw new Error('API_KEY is required');\n}\nconst port = process.env.PORT || 3000;\n";
        let tree = RepoTree::from_files([("package.json", "{}"), ("server.js", js)]);
        let names: Vec<String> = detect(&tree, ".", Language::Node)
            .into_iter()
            .map(|f| f.value)
            .collect();
        assert_eq!(names, ["API_KEY"]);
        // A check that gives a default is not a requirement, even with an exit further down.
        let go = "dbPath := os.Getenv(\"DB_PATH\")\nif dbPath == \"\" {\n\tdbPath = \"notes.db\"\n}\ndb, err := sql.Open(\"sqlite3\", dbPath)\nif err != nil {\n\tlog.Fatal(err)\n}\n";
        let tree = RepoTree::from_files([("main.go", go)]);
        assert!(detect(&tree, ".", Language::Go).is_empty());
    }

    #[test]
    fn a_value_asserted_set_at_module_scope_is_required() {
        // Modelled on vercel/nextjs-postgres-nextauth-tailwindcss-template's lib/db.ts.
        let ts = "import { neon } from '@neondatabase/serverless';\nexport const db = drizzle(neon(process.env.POSTGRES_URL!));\nexport function f() {\n  return process.env.OTHER!;\n}\nconst same = process.env.A != null;\n";
        let tree = RepoTree::from_files([("package.json", "{}"), ("lib/db.ts", ts)]);
        let found = detect(&tree, ".", Language::Node);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].value.as_str(), found[0].evidence.source()),
            ("POSTGRES_URL", "lib/db.ts:2".to_string())
        );
    }
}

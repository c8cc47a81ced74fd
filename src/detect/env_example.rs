//! A service's `.env.example` (or `.env.sample`, `.env.template`, `example.env`): the variables
//! the project documents, each with its example value and line. Evidence for the connection
//! variables the app reads, and for its port (`PORT=3000`) when the source gives none.

use crate::facts::{Evidence, Fact};
use crate::repo::{join, RepoTree};

pub const NAMES: &[&str] = &[
    ".env.example",
    ".env.sample",
    ".env.template",
    "example.env",
];

/// Variables named for the port the application listens on, best first.
const PORT_KEYS: &[&str] = &["PORT", "APP_PORT", "HTTP_PORT", "SERVER_PORT", "WEB_PORT"];

/// (key, value, evidence) for every `KEY=value` line, `export` allowed.
pub fn entries(tree: &RepoTree, dir: &str) -> Vec<(String, String, Evidence)> {
    let mut out = Vec::new();
    for name in NAMES {
        let path = join(dir, name);
        let Ok(text) = tree.read_text(&path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches("export ");
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim();
            let valid = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if valid {
                let value = value.split(" #").next().unwrap_or("").trim();
                out.push((
                    key.to_string(),
                    value.trim_matches(['"', '\'']).to_string(),
                    Evidence::at(&path, Some(i + 1)),
                ));
            }
        }
    }
    out
}

/// The port the example environment sets (`PORT=3000`, `APP_PORT=8080`).
pub fn port(tree: &RepoTree, dir: &str) -> Option<Fact<u16>> {
    let all = entries(tree, dir);
    PORT_KEYS.iter().find_map(|key| {
        let (k, value, evidence) = all.iter().find(|(k, _, _)| k == key)?;
        let port: u16 = value.parse().ok().filter(|p| *p > 0)?;
        Some(Fact::new(
            port,
            evidence
                .clone()
                .because(format!("{k} in the example environment")),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_values_and_the_port() {
        let tree = RepoTree::from_files([(
            ".env.example",
            "# app\nexport APP_PORT=8081\nDATABASE_URL=\"postgres://x\" # local\nlower=1\n",
        )]);
        let e = entries(&tree, ".");
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[1].0.as_str(), e[1].1.as_str()),
            ("DATABASE_URL", "postgres://x")
        );
        let p = port(&tree, ".").unwrap();
        assert_eq!(
            (p.value, p.evidence.source()),
            (8081, ".env.example:2".to_string())
        );
    }
}

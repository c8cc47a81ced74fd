//! Files a Go program reads from disk at run time, relative to its working directory: HTML
//! templates (`LoadHTMLGlob("templates/*")`, `template.ParseGlob`), static folders
//! (`Static("/static", "static")`, `http.Dir("./public")`). The runtime image holds only the
//! binary, so these folders must be copied beside it; folders embedded with `//go:embed` are
//! part of the binary and are not.

use crate::detect::source_scan::line_at;
use crate::facts::{Evidence, Fact};
use crate::repo::{join, RepoTree};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static LOADS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:\.(?:LoadHTMLGlob|LoadHTMLFiles|Static|StaticFile)|template\.(?:ParseGlob|ParseFiles|Must\(\s*template\.ParseGlob)|http\.Dir)\(\s*(?:"[^"]*"\s*,\s*)?"([^"]+)""#,
    )
    .expect("valid pattern")
});
static EMBED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^//go:embed\s+(.+)$").expect("valid pattern"));

/// The top-level folders and files of service `dir` that `files` (path, text) load at run time.
pub fn detect(tree: &RepoTree, dir: &str, files: &[(String, String)]) -> Option<Fact<Vec<String>>> {
    let embedded: BTreeSet<String> = files
        .iter()
        .flat_map(|(_, text)| {
            EMBED
                .captures_iter(text)
                .map(|c| c[1].to_string())
                .collect::<Vec<_>>()
        })
        .flat_map(|line| line.split_whitespace().map(top_level).collect::<Vec<_>>())
        .flatten()
        .collect();
    let dirs = tree.child_dirs(dir);
    let mut found = BTreeSet::new();
    let mut first: Option<Evidence> = None;
    for (path, text) in files {
        for caps in LOADS.captures_iter(text) {
            let Some(top) = top_level(&caps[1]) else {
                continue;
            };
            let present = dirs.contains(&top) || tree.exists(&join(dir, &top));
            if !present || embedded.contains(&top) {
                continue;
            }
            if first.is_none() {
                let at = caps.get(0).map_or(0, |m| m.start());
                first = Some(Evidence::at(path.clone(), Some(line_at(text, at))));
            }
            found.insert(top);
        }
    }
    let evidence = first?;
    let list: Vec<String> = found.into_iter().collect();
    let why = format!(
        "read from the working directory at run time: {} (copied beside the binary)",
        list.join(", ")
    );
    Some(Fact::new(list, evidence.because(why)))
}

/// `./templates/*.html` → `templates`; absolute paths, globs at the top and `..` are not files
/// of the repository.
fn top_level(path: &str) -> Option<String> {
    let path = path.trim_start_matches("./");
    let top = path.split('/').next()?;
    let plain = !top.is_empty()
        && top != ".."
        && top != "."
        && !path.starts_with('/')
        && top
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then(|| top.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_and_static_folders_are_found_and_embedded_ones_are_not() {
        let main = r#"
router.LoadHTMLGlob("templates/*.tmpl.html")
router.Static("/static", "static")
http.Handle("/x/", http.FileServer(http.Dir("./public")))
http.Handle("/y/", http.FileServer(http.Dir("/etc")))
//go:embed web
var web embed.FS
fs := http.Dir("web")
"#;
        let tree = RepoTree::from_files([
            ("main.go", main),
            ("templates/index.tmpl.html", ""),
            ("static/app.css", ""),
            ("public/index.html", ""),
            ("web/index.html", ""),
        ]);
        let files = vec![("main.go".to_string(), main.to_string())];
        let fact = detect(&tree, ".", &files).unwrap();
        assert_eq!(fact.value, ["public", "static", "templates"]);
        assert_eq!(fact.evidence.source(), "main.go:2");
        // A folder the code names but the repository lacks is not copied.
        let tree = RepoTree::from_files([("main.go", main)]);
        assert!(detect(&tree, ".", &files).is_none());
    }
}

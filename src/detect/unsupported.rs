//! Folders no detector took that still look deployable: a manifest of a stack dockgen does not
//! generate for, or a Dockerfile of its own. Reported in a warning, never dropped silently.

use crate::repo::RepoTree;

/// Manifests of stacks dockgen has no detector for, and the stack each names.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("Gemfile", "Ruby"),
    ("composer.json", "PHP"),
    ("mix.exs", "Elixir"),
    ("build.sbt", "Scala"),
    ("Package.swift", "Swift"),
    ("pubspec.yaml", "Dart"),
    ("deno.json", "Deno"),
];

/// What a folder no detector took holds that still looks deployable: a manifest of a stack
/// dockgen does not support, or a Dockerfile of its own.
pub fn unsupported(tree: &RepoTree, dir: &str) -> Option<String> {
    if let Some((file, stack)) = UNSUPPORTED
        .iter()
        .find(|(f, _)| tree.exists(&crate::repo::join(dir, f)))
    {
        return Some(format!("a {stack} project ({file})"));
    }
    tree.exists(&crate::repo::join(dir, "Dockerfile"))
        .then(|| "its own Dockerfile, but no manifest of a stack dockgen detects".to_string())
}

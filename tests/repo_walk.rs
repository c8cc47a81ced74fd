//! The walk of a repository on disk and in memory: the folders it never enters, and what
//! .gitignore hides (untracked files of a git work tree only).

use dockgen::repo::RepoTree;
use std::path::Path;
use std::process::Command;

#[test]
fn disk_walk_lists_sorted_files_and_records_skipped_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in [
        "package.json",
        "src/b.js",
        "src/a.js",
        "node_modules/x/index.js",
        "svc/node_modules/y/index.js",
        "api/vendor/m/go.mod",
        "api/go.mod",
    ] {
        let path = root.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }
    std::fs::write(root.join("api/.gitignore"), "vendor/\n").unwrap();
    let tree = RepoTree::walk(root).unwrap();
    assert_eq!(
        tree.files().collect::<Vec<_>>(),
        [
            "api/.gitignore",
            "api/go.mod",
            "package.json",
            "src/a.js",
            "src/b.js"
        ]
    );
    assert!(tree.has_skipped_dir("node_modules"));
    assert!(tree.has_skipped_dir("svc/node_modules"));
    // Hidden by .gitignore, yet still in the build context.
    assert!(tree.has_skipped_dir("api/vendor"));
}

#[test]
fn memory_tree_lists_files_and_skips_dependency_folders() {
    let tree = RepoTree::from_files([
        ("package.json", "{}"),
        ("src/a.js", ""),
        ("node_modules/x/package.json", "{}"),
        ("api/vendor/m/go.mod", ""),
    ]);
    assert!(tree.exists("package.json"));
    assert!(!tree.exists("node_modules/x/package.json"));
    assert!(tree.has_skipped_dir("node_modules"));
    assert!(tree.has_skipped_dir("api/vendor"));
    assert_eq!(tree.files_under("src").collect::<Vec<_>>(), ["src/a.js"]);
    assert_eq!(
        tree.child_dirs(".").into_iter().collect::<Vec<_>>(),
        ["src"]
    );
}

fn write(root: &Path, files: &[&str]) {
    for f in files {
        let path = root.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn outside_a_git_work_tree_gitignore_hides_nothing() {
    // An export (git archive, a tarball) holds only what was committed, .gitignore included.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &["app/web/package.json", "app/src/Main.java"]);
    std::fs::write(dir.path().join(".gitignore"), "*.json\nsrc/\n").unwrap();
    let tree = RepoTree::walk(dir.path()).unwrap();
    assert!(tree.exists("app/web/package.json"));
    assert!(tree.exists("app/src/Main.java"));
}

#[test]
fn in_a_git_work_tree_gitignore_hides_untracked_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    if !git(root, &["init", "-q"]) {
        eprintln!("git is not installed: the work-tree case is not exercised");
        return;
    }
    write(root, &["app/web/package.json", "app/web/src/App.js"]);
    std::fs::write(root.join(".gitignore"), "*.json\nsrc/\n").unwrap();
    assert!(git(root, &["add", "-f", "."]));
    // Not tracked: hidden, as git hides it.
    write(root, &["app/web/local.json", "app/src/Scratch.java"]);
    let tree = RepoTree::walk(root).unwrap();
    assert!(tree.exists("app/web/package.json"));
    assert!(tree.exists("app/web/src/App.js"));
    assert!(!tree.exists("app/web/local.json"));
    assert!(!tree.exists("app/src/Scratch.java"));
    // Walked from a folder below the top, tracked paths are relative to that folder.
    let below = RepoTree::walk(&root.join("app/web")).unwrap();
    assert!(below.exists("package.json"));
    assert!(!below.exists("local.json"));
}

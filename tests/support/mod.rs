//! Helpers shared by the integration tests: running the binary, copying fixtures and building
//! repositories in temporary folders from real files, and snapshotting a folder byte for byte.
//! The strict Dockerfile instruction splitter lives in `dockerfile_shape`, the render comparison
//! of the injection tests in `render_compare`, and the checks of a rejected run in `rejection`.
#![allow(dead_code)]

pub mod dockerfile_shape;
pub mod rejection;
pub mod render_compare;

// Re-exported so `use support::*;` reaches every helper; a test that uses none of one
// submodule's helpers would otherwise warn.
#[allow(unused_imports)]
pub use dockerfile_shape::*;
#[allow(unused_imports)]
pub use render_compare::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn dockgen_in(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("dockgen runs")
}

/// A file's text.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh repository in a temporary folder holding `files` (path, bytes).
pub fn repo(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("repo");
    std::fs::create_dir_all(&root).expect("repo dir");
    for (path, bytes) in files {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("parent dir");
        }
        std::fs::write(&full, bytes).expect("write file");
    }
    (dir, root)
}

/// Every file under `root` (symbolic links as their target text) with its bytes.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            let target = std::fs::read_link(&path).unwrap_or_default();
            out.insert(rel, format!("-> {}", target.display()).into_bytes());
        } else if kind.is_dir() {
            out.insert(rel, b"<dir>".to_vec());
            walk(root, &path, out);
        } else {
            out.insert(
                rel,
                std::fs::read(&path).unwrap_or_else(|_| b"<unreadable>".to_vec()),
            );
        }
    }
}

/// The files of `generate --stdout` output, by path.
pub fn split_stdout(out: &str) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in out.split_inclusive('\n') {
        let trimmed = line.trim_end_matches('\n');
        if let Some(name) = trimmed
            .strip_prefix("==> ")
            .and_then(|r| r.strip_suffix(" <=="))
        {
            if let Some((n, c)) = current.take() {
                files.insert(n, c);
            }
            current = Some((name.to_string(), String::new()));
        } else if let Some((_, c)) = current.as_mut() {
            c.push_str(line);
        }
    }
    if let Some((n, c)) = current {
        files.insert(n, c);
    }
    files
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of `tests/fixtures/<name>` in a fresh temporary folder.
pub fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join(name);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        &to,
    );
    (dir, to)
}

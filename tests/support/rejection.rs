//! A run of dockgen on bad input, checked the same way everywhere: the documented exit code,
//! a message naming what was wrong, exactly one error line, no panic, and the repository byte
//! for byte unchanged. Shared by the tests of bad manifests and of bad file systems, with the
//! server every such repository holds.

use super::{dockgen_in, snapshot, text};
use std::path::Path;

pub const SERVER: &[u8] = b"require('http').createServer((q, r) => r.end('ok')).listen(3000);\n";

/// Runs `dockgen generate PATH` and checks the exit code, that stderr holds every needle, that
/// nothing panicked and that the repository is unchanged. Returns stderr.
pub fn rejected(root: &Path, code: i32, needles: &[&str]) -> String {
    rejected_with(root, &["generate"], code, needles)
}

pub fn rejected_with(root: &Path, args: &[&str], code: i32, needles: &[&str]) -> String {
    let before = snapshot(root);
    let mut all: Vec<&str> = args.to_vec();
    let path = root.to_str().expect("utf-8 path");
    all.push(path);
    let out = dockgen_in(&all);
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "dockgen panicked: {err}");
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    for needle in needles {
        assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
    }
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error")).count(),
        1,
        "one error message: {err}"
    );
    assert_eq!(before, snapshot(root), "files changed after a failed run");
    err
}

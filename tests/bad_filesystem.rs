//! Bad file systems: symbolic links that loop or leave the repository, paths that do not exist
//! or are not folders, folders and files dockgen may not read, a read-only target folder and a
//! full disk. Each gets one clear message naming the path, the documented exit code (2 usage,
//! 3 invalid input, 4 I/O), never a panic, and every file that existed before is byte-for-byte
//! unchanged, with no file added.
//!
//! Cases that need privileges (a read-only mount, a small tmpfs, dropping root) skip with a
//! printed reason where the machine does not allow them. Bad manifests are in bad_manifests.rs.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use support::rejection::*;
use support::*;

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| text(&o.stdout).trim() == "0")
}

#[test]
fn symlink_loop() {
    let (_t, root) = repo(&[("server.js", SERVER)]);
    std::os::unix::fs::symlink("package.json", root.join("package.json")).unwrap();
    rejected(&root, 3, &["package.json", "symbolic link"]);
}

#[test]
fn folder_symlink_loop_is_not_walked() {
    let (_t, root) = repo(&[
        (
            "package.json",
            b"{\"name\": \"x\", \"main\": \"server.js\"}",
        ),
        ("server.js", SERVER),
    ]);
    std::os::unix::fs::symlink(".", root.join("loop")).unwrap();
    std::os::unix::fs::symlink("../sub", root.join("sub")).unwrap_or(());
    let out = dockgen_in(&["detect", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn symlink_out_of_the_repository_is_not_read() {
    let (_t, root) = repo(&[("server.js", SERVER)]);
    std::os::unix::fs::symlink("/etc/passwd", root.join("package.json")).unwrap();
    let err = rejected(&root, 3, &["package.json", "symbolic link"]);
    assert!(!err.contains("root:"), "the link target was read: {err}");
}

#[test]
fn path_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-repo");
    let out = dockgen_in(&["generate", missing.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no-such-repo") && err.contains("does not exist"),
        "{err}"
    );
    assert!(!missing.exists());
}

#[test]
fn path_that_is_a_file() {
    let (_t, root) = repo(&[("package.json", b"{}")]);
    let file = root.join("package.json");
    let out = dockgen_in(&["detect", file.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not a directory"), "{err}");
}

/// Runs `dockgen` as an unprivileged user (root reads through chmod 000).
fn as_nobody(args: &[&str]) -> Option<std::process::Output> {
    let bin = env!("CARGO_BIN_EXE_dockgen");
    if !is_root() {
        return Some(Command::new(bin).args(args).output().expect("runs"));
    }
    let probe = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!("skipped: running as root and setpriv cannot drop to an unprivileged user, so chmod 000 does not block reads");
        return None;
    }
    Some(
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin])
            .args(args)
            .output()
            .expect("runs"),
    )
}

/// A repository that an unprivileged user can reach.
fn open_repo(files: &[(&str, &[u8])]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, root) = repo(files);
    for p in [t.path(), root.as_path()] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for (f, _) in files {
        std::fs::set_permissions(root.join(f), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    (t, root)
}

#[test]
fn unreadable_repository_folder() {
    let (_t, root) = open_repo(&[
        (
            "package.json",
            b"{\"name\": \"x\", \"main\": \"server.js\"}",
        ),
        ("server.js", SERVER),
    ]);
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = as_nobody(&["generate", root.to_str().unwrap()]);
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Some(out) = out else { return };
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains(root.to_str().unwrap()) && err.contains("ermission denied"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn unreadable_package_json() {
    let (_t, root) = open_repo(&[
        (
            "package.json",
            b"{\"name\": \"x\", \"main\": \"server.js\"}",
        ),
        ("server.js", SERVER),
    ]);
    std::fs::set_permissions(
        root.join("package.json"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let before = snapshot(&root);
    let Some(out) = as_nobody(&["generate", root.to_str().unwrap()]) else {
        return;
    };
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("package.json") && err.contains("ermission denied"),
        "{err}"
    );
    assert_eq!(before, snapshot(&root));
}

#[test]
fn unreadable_sub_folder_is_left_out() {
    let (_t, root) = open_repo(&[
        (
            "package.json",
            b"{\"name\": \"x\", \"main\": \"server.js\"}",
        ),
        ("server.js", SERVER),
        ("secret/key.js", b"x"),
    ]);
    std::fs::set_permissions(root.join("secret"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = as_nobody(&["detect", root.to_str().unwrap()]);
    std::fs::set_permissions(root.join("secret"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let Some(out) = out else { return };
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// Mounts `what` at `dir` with `options`; false when mounting is not allowed here.
fn mount(args: &[&str]) -> bool {
    is_root()
        && Command::new("mount")
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
}

fn umount(dir: &Path) {
    let _ = Command::new("umount").arg(dir).status();
}

#[test]
fn read_only_target_folder() {
    let (_t, root) = repo(&[
        (
            "package.json",
            b"{\"name\": \"x\", \"main\": \"server.js\"}",
        ),
        ("server.js", SERVER),
    ]);
    let dir = root.to_str().unwrap();
    if !mount(&["--bind", dir, dir]) {
        println!("skipped: cannot bind-mount here (needs root and mount privileges)");
        return;
    }
    if !mount(&["-o", "remount,ro,bind", dir]) {
        umount(&root);
        println!("skipped: cannot remount read-only here");
        return;
    }
    let result = std::panic::catch_unwind(|| {
        rejected(&root, 4, &["Read-only file system"]);
    });
    umount(&root);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn disk_full_while_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let mnt = tmp.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    if !mount(&[
        "-t",
        "tmpfs",
        "-o",
        "size=64k",
        "tmpfs",
        mnt.to_str().unwrap(),
    ]) {
        println!("skipped: cannot mount a small tmpfs here (needs root and mount privileges)");
        return;
    }
    let result = std::panic::catch_unwind(|| {
        let root = mnt.join("repo");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(
            root.join("package.json"),
            b"{\"name\": \"x\", \"main\": \"server.js\"}",
        )
        .unwrap();
        std::fs::write(root.join("server.js"), SERVER).unwrap();
        // Fill the file system: what is left cannot hold the generated files.
        let mut fill = std::fs::File::create(mnt.join("fill")).unwrap();
        let block = vec![b'x'; 1024];
        while std::io::Write::write_all(&mut fill, &block).is_ok() {}
        drop(fill);
        let before = snapshot(&root);
        let out = dockgen_in(&["generate", root.to_str().unwrap()]);
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(out.status.code(), Some(4), "{err}");
        assert!(err.contains("No space left on device"), "{err}");
        assert_eq!(
            before,
            snapshot(&root),
            "files changed after a failed write"
        );
    });
    umount(&mnt);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

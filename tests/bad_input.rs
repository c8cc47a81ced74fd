//! Bad input: malformed manifests, files that are not text, huge files, symbolic links that
//! loop or leave the repository, folders dockgen may not read or write, a full disk. Each gets
//! one clear message naming the file (and line:column where the format has them), the
//! documented exit code (2 usage, 3 invalid input, 4 I/O), never a panic, and every file that
//! existed before is byte-for-byte unchanged, with no file added.
//!
//! Cases that need privileges (a read-only mount, a small tmpfs, dropping root) skip with a
//! printed reason where the machine does not allow them. Manifests of other stacks are tested
//! once their detector recognises a minimal valid project.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use support::*;

const SERVER: &[u8] = b"require('http').createServer((q, r) => r.end('ok')).listen(3000);\n";

/// Runs `dockgen generate PATH` and checks the exit code, that stderr holds every needle, that
/// nothing panicked and that the repository is unchanged. Returns stderr.
fn rejected(root: &Path, code: i32, needles: &[&str]) -> String {
    rejected_with(root, &["generate"], code, needles)
}

fn rejected_with(root: &Path, args: &[&str], code: i32, needles: &[&str]) -> String {
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

/// True when `text` holds `file:LINE:COLUMN` with numbers.
fn has_position(text: &str, file: &str) -> bool {
    text.match_indices(&format!("{file}:")).any(|(i, m)| {
        let rest = &text[i + m.len()..];
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let column = parts.next().unwrap_or("");
        !line.is_empty()
            && line.chars().all(|c| c.is_ascii_digit())
            && !column.is_empty()
            && column.chars().all(|c| c.is_ascii_digit())
            && line != "0"
            && column != "0"
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| text(&o.stdout).trim() == "0")
}

#[test]
fn malformed_package_json() {
    let (_t, root) = repo(&[
        (
            "package.json",
            b"{\n  \"name\": \"x\",\n  \"scripts\": {\n}\n",
        ),
        ("server.js", SERVER),
    ]);
    let err = rejected(&root, 3, &["package.json", "invalid JSON"]);
    assert!(has_position(&err, "package.json"), "{err}");
}

#[test]
fn empty_package_json() {
    let (_t, root) = repo(&[("package.json", b""), ("server.js", SERVER)]);
    let err = rejected(&root, 3, &["package.json:1:1"]);
    assert!(has_position(&err, "package.json"), "{err}");
}

#[test]
fn binary_garbage_as_package_json() {
    let mut garbage = Vec::new();
    let mut x: u32 = 2463534242;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        garbage.push((x >> 24) as u8);
    }
    garbage[0] = 0xff;
    let (_t, root) = repo(&[("package.json", &garbage), ("server.js", SERVER)]);
    let err = rejected(&root, 3, &["package.json", "UTF-8"]);
    assert!(has_position(&err, "package.json"), "{err}");
}

#[test]
fn package_json_that_is_not_utf8() {
    // Latin-1 "café" on line 2.
    let (_t, root) = repo(&[
        ("package.json", b"{\n  \"name\": \"caf\xe9\"\n}\n"),
        ("server.js", SERVER),
    ]);
    rejected(&root, 3, &["package.json:2:", "not valid UTF-8"]);
}

#[test]
fn fifty_megabyte_manifest_is_refused_without_reading_it() {
    let (_t, root) = repo(&[("server.js", SERVER)]);
    let mut text = String::from("{\"name\": \"big\", \"description\": \"");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push_str("\"}\n");
    std::fs::write(root.join("package.json"), text).unwrap();
    let started = std::time::Instant::now();
    rejected(&root, 3, &["package.json", "bytes"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
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

#[test]
fn malformed_dockgen_toml() {
    let (_t, root) = repo(&[
        (
            "package.json",
            b"{\"name\": \"x\", \"main\": \"server.js\"}",
        ),
        ("server.js", SERVER),
        (
            "dockgen.toml",
            b"[service.\".\"]\npreset = \"node\"\nport = = 3\n",
        ),
    ]);
    let err = rejected(&root, 3, &["dockgen.toml:3:"]);
    assert!(has_position(&err, "dockgen.toml"), "{err}");
}

#[test]
fn dockgen_toml_that_is_not_utf8() {
    let (_t, root) = repo(&[
        (
            "package.json",
            b"{\"name\": \"x\", \"main\": \"server.js\"}",
        ),
        ("server.js", SERVER),
        ("dockgen.toml", b"[service.\".\"]\npreset = \"n\xf6de\"\n"),
    ]);
    rejected(&root, 3, &["dockgen.toml", "UTF-8"]);
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

/// Manifests of other stacks: active once their detector recognises `valid`.
struct Manifest {
    language: &'static str,
    file: &'static str,
    valid: &'static [(&'static str, &'static [u8])],
    malformed: &'static [u8],
    /// The format has positions, so the message must carry line:column.
    positioned: bool,
    /// The file may be one detection does not need to read (a lockfile): then success is
    /// acceptable, but never a panic or another exit code.
    optional: bool,
}

const MANIFESTS: &[Manifest] = &[
    Manifest {
        language: "python",
        file: "pyproject.toml",
        valid: &[
            ("pyproject.toml", b"[project]\nname = \"app\"\nversion = \"1.0\"\ndependencies = [\"flask\", \"gunicorn\"]\n"),
            ("app.py", b"from flask import Flask\napp = Flask(__name__)\n"),
        ],
        malformed: b"[project]\nname = \"app\"\ndependencies = [\"flask\"\n",
        positioned: true,
        optional: false,
    },
    Manifest {
        language: "python",
        file: "poetry.lock",
        valid: &[
            ("pyproject.toml", b"[tool.poetry]\nname = \"app\"\nversion = \"1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.12\"\nflask = \"*\"\ngunicorn = \"*\"\n"),
            ("poetry.lock", b"[[package]]\nname = \"flask\"\nversion = \"3.0.0\"\n\n[[package]]\nname = \"gunicorn\"\nversion = \"22.0.0\"\n"),
            ("app.py", b"from flask import Flask\napp = Flask(__name__)\n"),
        ],
        malformed: b"[[package]\nname = \"flask\nversion = \n",
        positioned: true,
        optional: true,
    },
    Manifest {
        language: "java",
        file: "pom.xml",
        valid: &[
            ("pom.xml", b"<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>app</artifactId><version>1</version></project>\n"),
            ("src/main/java/App.java", b"class App { public static void main(String[] a) {} }\n"),
        ],
        malformed: b"<project>\n  <artifactId>app</artifactId>\n  <version>1</versio>\n</project>\n",
        positioned: true,
        optional: false,
    },
    Manifest {
        language: "go",
        file: "go.mod",
        valid: &[
            ("go.mod", b"module example.com/app\n\ngo 1.22\n"),
            ("main.go", b"package main\n\nfunc main() {}\n"),
        ],
        malformed: b"module example.com/app\n\ngo 1.22\nrequire (\n  example.com/x\n",
        positioned: true,
        optional: false,
    },
];

/// True when dockgen detects `valid` as the manifest's language (and then it must generate).
fn detector_exists(m: &Manifest) -> bool {
    let (_t, root) = repo(m.valid);
    let out = dockgen_in(&["detect", root.to_str().unwrap(), "--format", "json"]);
    let detected = out.status.success()
        && serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .is_ok_and(|j| j["services"][0]["language"] == m.language);
    if detected {
        let out = dockgen_in(&["generate", root.to_str().unwrap(), "--stdout"]);
        assert!(
            out.status.success(),
            "{}: the valid project does not generate: {}",
            m.file,
            text(&out.stderr)
        );
    }
    detected
}

#[test]
fn malformed_manifests_of_other_stacks() {
    for m in MANIFESTS {
        if !detector_exists(m) {
            println!(
                "skipped {}: no {} detector recognises a minimal project yet",
                m.file, m.language
            );
            continue;
        }
        let files: Vec<(&str, &[u8])> = m
            .valid
            .iter()
            .map(|(p, c)| {
                if *p == m.file {
                    (*p, m.malformed)
                } else {
                    (*p, *c)
                }
            })
            .collect();
        let (_t, root) = repo(&files);
        let before = snapshot(&root);
        let out = dockgen_in(&["generate", root.to_str().unwrap()]);
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "{}: {err}", m.file);
        if m.optional && out.status.success() {
            println!(
                "{}: not needed by detection, so not read; generation succeeded",
                m.file
            );
            continue;
        }
        assert_eq!(out.status.code(), Some(3), "{}: {err}", m.file);
        assert!(err.contains(m.file), "{}: {err}", m.file);
        if m.positioned {
            assert!(
                has_position(&err, m.file),
                "{}: no line:column in {err}",
                m.file
            );
        }
        assert_eq!(before, snapshot(&root), "{}: files changed", m.file);
        println!("{}: {}", m.file, err.trim());
    }
}

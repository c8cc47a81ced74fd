//! Bad manifests: malformed, empty, binary, huge and non-UTF-8 manifests and dockgen.toml, and
//! malformed manifests of the other stacks. Each gets one clear message naming the file (and
//! line:column where the format has them), the documented exit code (3 invalid input), never a
//! panic, and every file that existed before is byte-for-byte unchanged, with no file added.
//! Manifests of other stacks are tested once their detector recognises a minimal valid project.
//! Bad file systems are in bad_filesystem.rs.

mod support;

use support::rejection::*;
use support::*;

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

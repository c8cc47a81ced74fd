//! The comparison behind the injection tests: a repository rendered with `generate --stdout`,
//! the structure of the rendered files (Dockerfile instruction shapes, compose keys, line counts
//! of the rest), a hostile render compared with its benign twin, and BuildKit's parser as a
//! second opinion on the collected Dockerfile pairs. Shared by the tests of hostile answers and
//! of hostile repositories.

use super::{
    buildkit_python, buildkit_shapes, dockgen_in, shape, split_dockerfile, split_stdout, text,
    yaml_skeleton,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Rendered files by path, or the exit code and stderr.
pub type Rendered = Result<BTreeMap<String, String>, (i32, String)>;

pub fn generate_stdout(root: &std::path::Path, extra: &[String]) -> Rendered {
    let mut args = vec![
        "generate".to_string(),
        root.to_str().expect("utf-8 path").to_string(),
        "--stdout".to_string(),
    ];
    args.extend(extra.iter().cloned());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = dockgen_in(&refs);
    match out.status.code() {
        Some(0) => Ok(split_stdout(&text(&out.stdout))),
        Some(code) => Err((code, text(&out.stderr))),
        None => panic!("dockgen died from a signal: {}", text(&out.stderr)),
    }
}

/// The structure of rendered files: Dockerfile instruction shapes, compose keys (service names
/// replaced), and the line count of any other file.
pub fn structure(files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut all = Vec::new();
    for (path, content) in files {
        let mut out = Vec::new();
        let name = path.rsplit('/').next().unwrap_or(path);
        if name == "Dockerfile" {
            let instructions = split_dockerfile(content).map_err(|e| format!("{path}: {e}"))?;
            out.push(format!("Dockerfile: {}", instructions.len()));
            out.extend(instructions.iter().map(shape));
        } else if name == "compose.yaml" {
            let mut doc: serde_norway::Value =
                serde_norway::from_str(content).map_err(|e| format!("{path}: {e}"))?;
            if let Some(services) = doc.get_mut("services").and_then(|s| s.as_mapping_mut()) {
                let values: Vec<_> = services.values().cloned().collect();
                services.clear();
                for (i, v) in values.into_iter().enumerate() {
                    services.insert(format!("service{i}").into(), v);
                }
            }
            out.push(format!("compose: {}", yaml_skeleton(&doc)));
        } else if name != "dockgen.toml" {
            out.push(format!("{name}: {} lines", content.lines().count()));
            out.extend(
                content
                    .lines()
                    .filter(|l| l.starts_with('!'))
                    .map(|l| format!("{name}: negation {l}")),
            );
        }
        all.push(out.join("\n"));
    }
    // Folder names order the files; the structure of the set is what must not change.
    all.sort();
    Ok(all)
}

/// Renders collected for a BuildKit pass: (what, hostile Dockerfile, benign Dockerfile).
pub type Pairs = Vec<(String, String, String)>;

pub fn compare(what: &str, benign: &BTreeMap<String, String>, hostile: &BTreeMap<String, String>) {
    let b = structure(benign).unwrap_or_else(|e| panic!("{what}: benign render: {e}"));
    let h = structure(hostile).unwrap_or_else(|e| panic!("{what}: hostile render: {e}"));
    if b != h {
        let b = b.join("\n");
        let h = h.join("\n");
        let first = b
            .lines()
            .zip(h.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        panic!(
            "{what}: the hostile value changed the structure of the output at line {first}:\n  benign:  {:?}\n  hostile: {:?}\n{hostile:#?}",
            b.lines().nth(first),
            h.lines().nth(first)
        );
    }
    for (path, content) in hostile {
        for line in content.lines() {
            let t = line.trim_start();
            assert!(
                !(t.starts_with("USER root")
                    || t.starts_with("RUN curl")
                    || t.starts_with("RUN x")),
                "{what}: {path} has an injected line: {line}"
            );
        }
    }
}

pub fn dockerfiles(files: &BTreeMap<String, String>) -> Vec<String> {
    files
        .iter()
        .filter(|(p, _)| p.rsplit('/').next() == Some("Dockerfile"))
        .map(|(_, c)| c.clone())
        .collect()
}

pub fn collect_pairs(pairs: &mut Pairs, what: &str, hostile: &Rendered, benign: &Rendered) {
    if let (Ok(h), Ok(b)) = (hostile, benign) {
        for (h, b) in dockerfiles(h).into_iter().zip(dockerfiles(b)) {
            pairs.push((what.to_string(), h, b));
        }
    }
}

/// Second opinion from BuildKit's parser: same instructions, same order, same flags and JSON
/// argument counts. Skips with a printed reason when the parser is not installed.
pub fn buildkit_check(pairs: &Pairs) {
    let Some(python) = buildkit_python() else {
        println!(
            "skipped the BuildKit parser check: ~/.cache/dockgen-validators/venv with the \
             `dockerfile` package is not installed (bash scripts/test.sh installs it)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths: Vec<PathBuf> = Vec::new();
    for (i, (_, h, b)) in pairs.iter().enumerate() {
        for (kind, content) in [("h", h), ("b", b)] {
            let path = dir.path().join(format!("{i}.{kind}.Dockerfile"));
            std::fs::write(&path, content).expect("write Dockerfile");
            paths.push(path);
        }
    }
    let shapes = buildkit_shapes(&python, &paths);
    for (i, (what, h, _)) in pairs.iter().enumerate() {
        let hostile = &shapes[2 * i];
        let benign = &shapes[2 * i + 1];
        let benign = benign
            .as_ref()
            .unwrap_or_else(|e| panic!("{what}: BuildKit rejects the benign render: {e}"));
        let hostile = hostile
            .as_ref()
            .unwrap_or_else(|e| panic!("{what}: BuildKit rejects the hostile render: {e}\n{h}"));
        assert_eq!(
            benign, hostile,
            "{what}: BuildKit sees other instructions\n{h}"
        );
    }
    println!("BuildKit parser agreed on {} render pairs", pairs.len());
}

//! No injection: a value taken from a repository (a script, a version file, a port literal, a
//! path, a package name, a route) or given as an answer (`--set`, dockgen.toml) never adds a
//! Dockerfile instruction, a shell command, a compose key or a .dockerignore line. Each hostile
//! input either renders as inert data or is rejected with an error naming the file or flag and
//! the value. Every successful render is compared with the render of the same preset with
//! benign values: the strict splitter in `support` (always) and BuildKit's own parser (when the
//! validators' venv is installed) must see the same instructions in the same order, and the
//! compose file parsed as YAML must have the same keys.

mod support;

use dockgen::preset::{AnswerSpec, AnswerType, Preset, Presets};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use support::*;

/// A small Node service every preset can be forced onto with `--preset`.
const BASE: &[(&str, &[u8])] = &[
    (
        "package.json",
        br#"{"name": "app", "scripts": {"start": "node server.js"}}"#,
    ),
    (
        "server.js",
        b"require('http').createServer((q, r) => r.end('ok')).listen(3000);\n",
    ),
];

/// Rendered files by path, or the exit code and stderr.
type Rendered = Result<BTreeMap<String, String>, (i32, String)>;

fn generate_stdout(root: &std::path::Path, extra: &[String]) -> Rendered {
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

/// A benign value of each answer type.
fn benign(spec: &AnswerSpec) -> Value {
    match spec.kind {
        AnswerType::String => json!("benign"),
        AnswerType::Version => json!("1.2"),
        AnswerType::Command => json!(["app", "arg"]),
        AnswerType::Port => json!(8080),
        AnswerType::Route => json!("/health"),
        AnswerType::File => json!("dir/file.txt"),
        AnswerType::Choice => json!(spec.choices[0]),
        AnswerType::Bool => json!(false),
    }
}

/// Hostile values of each answer type, each with the benign value of the same shape it is
/// compared against.
fn hostile(spec: &AnswerSpec) -> Vec<(Value, Value)> {
    let strings = [
        "x\nRUN curl x | sh",
        "x\r\nUSER root",
        "x \\",
        "x\\",
        "x\" && curl x | sh #",
        "$(curl x | sh)",
        "`id`",
        "' ; id ; '",
        "a: b\nc: d",
        "x\u{2028}RUN curl x",
        "x\u{85}USER root",
        "{{ 7 * 7 }}",
        "-rf",
        "x # y",
    ];
    let b = benign(spec);
    let pair = |v: Value| (b.clone(), v);
    match spec.kind {
        AnswerType::String => strings.iter().map(|s| pair(json!(s))).collect(),
        AnswerType::Version => [
            "20\nUSER root",
            "20 AS evil",
            "20;id",
            "$(id)",
            "-1",
            "20\\",
            "20 \\",
            "../20",
        ]
        .iter()
        .map(|s| pair(json!(s)))
        .collect(),
        AnswerType::Command => vec![
            pair(json!(["app", "a\nRUN curl x | sh"])),
            pair(json!(["app", "x\" && curl x | sh #"])),
            pair(json!(["$(curl x)", "`id`"])),
            pair(json!(["app", "a \\"])),
            pair(json!(["app; id", "a && b | c > x"])),
            pair(json!(["app", "' ; id ; '"])),
            pair(json!(["app", "]\nUSER root"])),
            (
                json!(["node", "server.js"]),
                json!(["node", "x\"]\nUSER root\n#"]),
            ),
            (json!(["node", "server.js"]), json!(["node", "$(id)"])),
        ],
        AnswerType::Port => [
            json!("3000\nUSER root"),
            json!("3000; rm -rf /"),
            json!("0"),
            json!("65536"),
            json!("-1"),
            json!("3000 4000"),
            json!("30x0"),
            json!("99999999999999999999"),
            json!(0),
            json!(70000),
        ]
        .into_iter()
        .map(pair)
        .collect(),
        AnswerType::Route => [
            "/h\"ealth",
            "/h'+require('child_process').execSync('id')+'",
            "/x\nUSER root",
            "/ x",
            "health",
            "/$(id)",
            "/a\\",
        ]
        .iter()
        .map(|s| pair(json!(s)))
        .collect(),
        AnswerType::File => [
            "../etc/passwd",
            "/etc/passwd",
            "-rf",
            "a b",
            "a\"b",
            "$(id)",
            "a\nRUN x",
            "a\\",
            "a/../../b",
            "!secret",
        ]
        .iter()
        .map(|s| pair(json!(s)))
        .collect(),
        AnswerType::Choice => ["not-a-choice", "x\nUSER root"]
            .iter()
            .map(|s| pair(json!(s)))
            .chain(
                spec.choices
                    .first()
                    .map(|c| pair(json!(format!("{c}\nUSER root")))),
            )
            .collect(),
        AnswerType::Bool => vec![pair(json!("maybe")), pair(json!("true\nUSER root"))],
    }
}

/// `--set` text for a value: strings as they are, lists as JSON.
fn flag_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A TOML literal for a value.
fn toml_text(value: &Value) -> String {
    let v: toml::Value = match value {
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Number(n) => toml::Value::Integer(n.as_i64().unwrap_or(i64::MAX)),
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Array(items) => toml::Value::Array(
            items
                .iter()
                .map(|i| toml::Value::String(i.as_str().unwrap_or("").to_string()))
                .collect(),
        ),
        _ => unreachable!("answer values are strings, numbers, bools or lists"),
    };
    v.to_string()
}

/// How an error message shows a value: control characters escaped, as the CLI prints them.
fn shown_raw(raw: &str) -> String {
    if raw.chars().any(char::is_control) {
        raw.escape_debug().to_string()
    } else {
        raw.to_string()
    }
}

/// The structure of rendered files: Dockerfile instruction shapes, compose keys (service names
/// replaced), and the line count of any other file.
fn structure(files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
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
type Pairs = Vec<(String, String, String)>;

fn compare(what: &str, benign: &BTreeMap<String, String>, hostile: &BTreeMap<String, String>) {
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

fn dockerfiles(files: &BTreeMap<String, String>) -> Vec<String> {
    files
        .iter()
        .filter(|(p, _)| p.rsplit('/').next() == Some("Dockerfile"))
        .map(|(_, c)| c.clone())
        .collect()
}

fn collect_pairs(pairs: &mut Pairs, what: &str, hostile: &Rendered, benign: &Rendered) {
    if let (Ok(h), Ok(b)) = (hostile, benign) {
        for (h, b) in dockerfiles(h).into_iter().zip(dockerfiles(b)) {
            pairs.push((what.to_string(), h, b));
        }
    }
}

/// Second opinion from BuildKit's parser: same instructions, same order, same flags and JSON
/// argument counts. Skips with a printed reason when the parser is not installed.
fn buildkit_check(pairs: &Pairs) {
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

#[test]
fn hostile_answers_of_every_preset_are_inert_or_rejected() {
    let presets = Presets::load(None).expect("embedded presets load");
    let mut work: Vec<(&Preset, &String, Value, Value)> = Vec::new();
    for preset in presets.all.values() {
        for (key, spec) in &preset.answers {
            for (benign_value, hostile_value) in hostile(spec) {
                work.push((preset, key, benign_value, hostile_value));
            }
        }
    }
    // Every case spawns dockgen a few times: spread them over a few threads.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(usize, usize, Pairs)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = (0, 0, Pairs::new());
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((preset, key, b, h)) = work.get(i) else {
                            return out;
                        };
                        let (r, j, p) = hostile_answer(preset, key, b, h);
                        out.0 += r;
                        out.1 += j;
                        out.2.extend(p);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let rendered: usize = results.iter().map(|r| r.0).sum();
    let rejected: usize = results.iter().map(|r| r.1).sum();
    let pairs: Pairs = results.into_iter().flat_map(|r| r.2).collect();
    println!(
        "hostile answers of {} presets: {rendered} rendered as inert data, {rejected} rejected",
        presets.all.len()
    );
    buildkit_check(&pairs);
}

/// One hostile value of one answer, through `--set` and through dockgen.toml: returns how
/// many renders succeeded and how many were rejected, and the Dockerfiles to compare.
fn hostile_answer(
    preset: &Preset,
    key: &str,
    benign_value: &Value,
    hostile_value: &Value,
) -> (usize, usize, Pairs) {
    let (mut rendered, mut rejected, mut pairs) = (0, 0, Pairs::new());
    let benign_flags = |except: &str| -> Vec<String> {
        let mut flags = vec!["--preset".to_string(), preset.name.clone()];
        for (key, spec) in &preset.answers {
            if key != except {
                flags.push("--set".into());
                flags.push(format!("{key}={}", flag_text(&benign(spec))));
            }
        }
        flags
    };
    let hostile_value = hostile_value.clone();
    let benign_value = benign_value.clone();
    let what = format!("preset {} answer {key} = {}", preset.name, hostile_value);
    let (_t, root) = repo(BASE);
    let mut flags = benign_flags(key);
    flags.push("--set".into());
    flags.push(format!("{key}={}", flag_text(&benign_value)));
    let baseline = generate_stdout(&root, &flags);
    let baseline_files = baseline
        .as_ref()
        .unwrap_or_else(|e| panic!("{what}: benign render failed: {e:?}"));

    // Through --set.
    let mut flags = benign_flags(key);
    let raw = flag_text(&hostile_value);
    flags.push("--set".into());
    flags.push(format!("{key}={raw}"));
    let by_flag = generate_stdout(&root, &flags);
    match &by_flag {
        Ok(files) => {
            rendered += 1;
            compare(&format!("{what} (--set)"), baseline_files, files);
        }
        Err((code, err)) => {
            rejected += 1;
            assert_eq!(*code, 2, "{what} (--set): {err}");
            let expected = format!("--set {key}={}", shown_raw(&raw));
            assert!(
                err.contains(&expected),
                "{what}: {err:?} lacks {expected:?}"
            );
        }
    }
    collect_pairs(&mut pairs, &format!("{what} (--set)"), &by_flag, &baseline);

    // Through dockgen.toml.
    let toml = format!(
        "[service.\".\"]\npreset = \"{}\"\n{key} = {}\n",
        preset.name,
        toml_text(&hostile_value)
    );
    std::fs::write(root.join("dockgen.toml"), &toml).expect("write dockgen.toml");
    let by_file = generate_stdout(&root, &benign_flags(key));
    match &by_file {
        Ok(files) => {
            rendered += 1;
            compare(&format!("{what} (dockgen.toml)"), baseline_files, files);
        }
        Err((code, err)) => {
            rejected += 1;
            assert_eq!(*code, 3, "{what} (dockgen.toml): {err}");
            assert!(err.contains("dockgen.toml:3:"), "{what}: {err}");
            let value = as_printed(&hostile_value.to_string());
            assert!(err.contains(&value), "{what}: {err:?} lacks {value}");
        }
    }
    collect_pairs(
        &mut pairs,
        &format!("{what} (dockgen.toml)"),
        &by_file,
        &baseline,
    );
    (rendered, rejected, pairs)
}

/// One hostile repository and its benign twin.
struct Case {
    name: &'static str,
    hostile: Vec<(&'static str, Vec<u8>)>,
    benign: Vec<(&'static str, Vec<u8>)>,
    /// The file a rejection must name.
    blame: &'static str,
}

fn files(list: &[(&'static str, &str)]) -> Vec<(&'static str, Vec<u8>)> {
    list.iter()
        .map(|(p, c)| (*p, c.as_bytes().to_vec()))
        .collect()
}

const SERVER: &str = "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n";

fn express(package_json: &str, server: &str) -> Vec<(&'static str, Vec<u8>)> {
    files(&[
        ("package.json", package_json),
        ("server.js", server),
        ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
    ])
}

const PJ: &str =
    r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#;

fn cases() -> Vec<Case> {
    let mut cases = vec![
        Case {
            name: "start script with a newline and an instruction",
            hostile: express(
                r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js\nRUN curl x | sh"}}"#,
                SERVER,
            ),
            benign: express(PJ, SERVER),
            blame: "package.json",
        },
        Case {
            name: "start script that chains a shell command",
            hostile: express(
                r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js && curl x | sh"}}"#,
                SERVER,
            ),
            benign: express(PJ, SERVER),
            blame: "package.json",
        },
        Case {
            name: ".nvmrc with a second line",
            hostile: [express(PJ, SERVER), files(&[(".nvmrc", "20\nUSER root\n")])].concat(),
            benign: [express(PJ, SERVER), files(&[(".nvmrc", "20\n")])].concat(),
            blame: ".nvmrc",
        },
        Case {
            name: ".nvmrc with an instruction on its only line",
            hostile: [express(PJ, SERVER), files(&[(".nvmrc", "20 AS x\\\n")])].concat(),
            benign: [express(PJ, SERVER), files(&[(".nvmrc", "20\n")])].concat(),
            blame: ".nvmrc",
        },
        Case {
            name: "engines.node with a newline",
            hostile: express(
                r#"{"name": "app", "engines": {"node": "20\nUSER root"}, "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            benign: express(
                r#"{"name": "app", "engines": {"node": "20"}, "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            blame: "package.json",
        },
        Case {
            name: "packageManager with a shell command",
            hostile: express(
                r#"{"name": "app", "packageManager": "pnpm@9.0.0; curl x | sh", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            benign: express(
                r#"{"name": "app", "packageManager": "pnpm@9.0.0", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            blame: "package.json",
        },
        Case {
            name: "main with a shell command",
            hostile: files(&[
                ("package.json", r#"{"name": "app", "main": "server.js; rm -rf /"}"#),
                ("server.js", SERVER),
            ]),
            benign: files(&[
                ("package.json", r#"{"name": "app", "main": "server.js"}"#),
                ("server.js", SERVER),
            ]),
            blame: "package.json",
        },
        Case {
            name: "main that is a node option",
            hostile: files(&[
                ("package.json", r#"{"name": "app", "main": "-e=require('child_process').execSync('id')"}"#),
                ("server.js", SERVER),
            ]),
            benign: files(&[
                ("package.json", r#"{"name": "app", "main": "server.js"}"#),
                ("server.js", SERVER),
            ]),
            blame: "package.json",
        },
        Case {
            name: "package name with quotes and backslashes",
            hostile: express(
                r#"{"name": "a\"b\\c\nRUN curl x", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            benign: express(PJ, SERVER),
            blame: "package.json",
        },
        Case {
            name: "listen port literals that cannot parse",
            hostile: express(
                PJ,
                "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 99999999999999999999);\n",
            ),
            benign: express(PJ, SERVER),
            blame: "server.js",
        },
        Case {
            name: "listen port out of range",
            hostile: express(
                PJ,
                "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(70000);\n",
            ),
            benign: express(PJ, SERVER),
            blame: "server.js",
        },
        Case {
            name: "listen port as a string with a newline",
            hostile: express(
                PJ,
                "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(\"30x0\\nUSER root\");\n",
            ),
            benign: express(PJ, SERVER),
            blame: "server.js",
        },
        Case {
            name: "health route literal with quotes",
            hostile: express(
                PJ,
                "const app = require('express')();\napp.get('/health\\'+require(\"child_process\").execSync(\"id\")+\\'', (q, r) => r.send('ok'));\napp.get(\"/he\\\"alth\", (q, r) => r.send('ok'));\napp.listen(3000);\n",
            ),
            benign: express(PJ, SERVER),
            blame: "server.js",
        },
        Case {
            name: "tsconfig outDir that leaves the context",
            hostile: files(&[
                ("package.json", r#"{"name": "app", "devDependencies": {"typescript": "5"}, "scripts": {"build": "tsc", "start": "node dist/main.js"}}"#),
                ("tsconfig.json", r#"{"compilerOptions": {"outDir": "../../$(id) x"}}"#),
                ("src/main.ts", "console.log(1)\n"),
            ]),
            benign: files(&[
                ("package.json", r#"{"name": "app", "devDependencies": {"typescript": "5"}, "scripts": {"build": "tsc", "start": "node dist/main.js"}}"#),
                ("tsconfig.json", r#"{"compilerOptions": {"outDir": "dist"}}"#),
                ("src/main.ts", "console.log(1)\n"),
            ]),
            blame: "tsconfig.json",
        },
        Case {
            name: "build script with a newline",
            hostile: express(
                r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"build": "tsc\nRUN curl x | sh", "start": "node server.js"}}"#,
                SERVER,
            ),
            benign: express(
                r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"build": "tsc", "start": "node server.js"}}"#,
                SERVER,
            ),
            blame: "package.json",
        },
    ];
    // A monorepo whose service folders have spaces, quotes, `$()` and a leading `-`.
    let service = |p: &'static str| (p, PJ.as_bytes().to_vec());
    let server = |p: &'static str| (p, SERVER.as_bytes().to_vec());
    cases.push(Case {
        name: "monorepo folders with spaces, quotes, $() and a leading -",
        hostile: vec![
            service("my svc/package.json"),
            server("my svc/server.js"),
            service("q\"uo'te/package.json"),
            server("q\"uo'te/server.js"),
            service("$(id)/package.json"),
            server("$(id)/server.js"),
            service("-rf/package.json"),
            server("-rf/server.js"),
        ],
        benign: vec![
            service("a/package.json"),
            server("a/server.js"),
            service("b/package.json"),
            server("b/server.js"),
            service("c/package.json"),
            server("c/server.js"),
            service("d/package.json"),
            server("d/server.js"),
        ],
        blame: "package.json",
    });
    cases
}

#[test]
fn hostile_repositories_render_inert_data_or_are_rejected() {
    let mut pairs = Pairs::new();
    for case in cases() {
        let as_refs =
            |f: &[(&'static str, Vec<u8>)]| -> Vec<(&'static str, Vec<u8>)> { f.to_vec() };
        let hostile_files = as_refs(&case.hostile);
        let benign_files = as_refs(&case.benign);
        let h: Vec<(&str, &[u8])> = hostile_files
            .iter()
            .map(|(p, c)| (*p, c.as_slice()))
            .collect();
        let b: Vec<(&str, &[u8])> = benign_files
            .iter()
            .map(|(p, c)| (*p, c.as_slice()))
            .collect();
        let (_th, hostile_root) = repo(&h);
        let (_tb, benign_root) = repo(&b);
        let benign = generate_stdout(&benign_root, &[]);
        let benign_files = benign
            .as_ref()
            .unwrap_or_else(|e| panic!("{}: benign twin failed: {e:?}", case.name));
        let hostile = generate_stdout(&hostile_root, &[]);
        match &hostile {
            Ok(files) => {
                compare(case.name, benign_files, files);
                println!("{}: rendered as inert data", case.name);
            }
            Err((code, err)) => {
                assert_eq!(*code, 3, "{}: {err}", case.name);
                assert!(
                    err.contains(case.blame),
                    "{}: {err} does not name {}",
                    case.name,
                    case.blame
                );
                println!("{}: rejected: {}", case.name, err.trim());
            }
        }
        collect_pairs(&mut pairs, case.name, &hostile, &benign);
    }
    buildkit_check(&pairs);
}

#[test]
fn the_strict_splitter_sees_what_buildkit_sees() {
    let text = "# syntax=docker/dockerfile:1\nFROM a AS b\n# comment\nRUN --mount=type=cache,target=/x \\\n    # inner comment\n    npm ci && \\\n    echo \"$(id)\"\nCMD [\"node\", \"a b\"]\nHEALTHCHECK --interval=30s \\\n  CMD [\"x\"]\n";
    let ins = split_dockerfile(text).unwrap();
    let shapes: Vec<String> = ins.iter().map(shape).collect();
    assert_eq!(
        shapes,
        [
            "FROM  words[\"W\", \"W\", \"W\"]",
            "RUN mount sh[\"W\", \"W\", \"&&\", \"W\", \"W\", \"$(\"]",
            "CMD  json[2]",
            "HEALTHCHECK interval CMD json[1]",
        ]
    );
    assert!(split_dockerfile("FROM a\nRUN x \\\n").is_err());
    assert!(split_dockerfile("FROM a\nEVIL x\n").is_err());
    assert!(split_dockerfile("FROM a\nRUN <<EOF\nx\nEOF\n").is_err());
    if let Some(python) = buildkit_python() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, text).unwrap();
        let shapes = buildkit_shapes(&python, &[path]);
        assert_eq!(shapes[0].as_ref().unwrap().len(), ins.len());
    }
}

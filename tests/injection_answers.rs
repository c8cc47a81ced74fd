//! No injection through answers: a value given for any answer of any preset, through `--set` or
//! through dockgen.toml, never adds a Dockerfile instruction, a shell command, a compose key or a
//! .dockerignore line. Each hostile value either renders as inert data or is rejected with an
//! error naming the flag or file and the value. Every successful render is compared with the
//! render of the same preset with benign values: the strict splitter in `support` (always) and
//! BuildKit's own parser (when the validators' venv is installed) must see the same instructions
//! in the same order, and the compose file parsed as YAML must have the same keys. Hostile
//! repositories are in injection_repos.rs.

mod support;

use dockgen::preset::{AnswerSpec, AnswerType, Preset, Presets};
use serde_json::{json, Value};
use support::*;

/// A small Node service every preset can be forced onto with `--preset`.
const BASE: &[(&str, &[u8])] = &[
    (
        "package.json",
        br#"{"name": "app", "scripts": {"start": "node server.js"}}"#,
    ),
    (
        "server.js",
        // The port is read from PORT: every port answer is one the app can listen on.
        b"require('http').createServer((q, r) => r.end('ok')).listen(process.env.PORT || 3000);\n",
    ),
];

/// A benign value of each answer type.
fn benign(spec: &AnswerSpec) -> Value {
    match spec.kind {
        AnswerType::String => json!("benign"),
        AnswerType::Version => json!("1.2"),
        AnswerType::Command => json!(["app", "arg"]),
        AnswerType::Port => json!(8080),
        AnswerType::Route => json!("/health"),
        AnswerType::File => json!("dir/file.txt"),
        AnswerType::Files => json!(["dir/file.txt", "b/package.json"]),
        AnswerType::Variable => json!("BENIGN_PORT"),
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
        AnswerType::String | AnswerType::Variable => {
            strings.iter().map(|s| pair(json!(s))).collect()
        }
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
        AnswerType::Files => [
            "../etc/passwd",
            "/etc/passwd",
            "-rf",
            "a b",
            "$(id)",
            "a\nRUN x",
            "a/../../b",
        ]
        .iter()
        .map(|s| pair(json!(["dir/file.txt", s])))
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
            let value = dockgen::printer::inert(&hostile_value.to_string());
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

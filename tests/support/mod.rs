//! Helpers shared by the integration tests: running the binary, copying fixtures and building
//! repositories in temporary folders from real files, snapshotting a folder byte for byte, and a strict
//! Dockerfile instruction splitter that turns a Dockerfile into the shape of its instructions.
#![allow(dead_code)]

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

/// One Dockerfile instruction as the strict splitter sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: String,
    /// Names of the leading `--flag[=value]` options.
    pub flags: Vec<String>,
    /// The arguments after the flags, joined from their continuation lines.
    pub args: String,
    pub line: usize,
}

const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Splits a Dockerfile into instructions, strictly: comment lines are dropped (also inside a
/// continuation, as BuildKit does), a trailing `\` continues the instruction, an unknown
/// keyword, a heredoc, a parser directive after the first instruction or a dangling
/// continuation is an error.
pub fn split_dockerfile(text: &str) -> Result<Vec<Instruction>, String> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    let mut seen_instruction = false;
    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        if raw.contains('\r') {
            return Err(format!("line {n}: carriage return"));
        }
        let trimmed = raw.trim_start();
        if trimmed.starts_with('#') {
            if !seen_instruction && pending.is_none() {
                let body = trimmed.trim_start_matches('#').trim_start();
                if let Some((key, _)) = body.split_once('=') {
                    let key = key.trim().to_ascii_lowercase();
                    if key == "escape" {
                        return Err(format!("line {n}: escape directive changes the parser"));
                    }
                }
            }
            continue;
        }
        if trimmed.trim().is_empty() {
            continue;
        }
        let (start, mut acc) = pending.take().unwrap_or((n, String::new()));
        let line = raw.trim_end();
        if let Some(body) = line.strip_suffix('\\') {
            acc.push_str(body);
            acc.push(' ');
            pending = Some((start, acc));
            continue;
        }
        acc.push_str(line);
        seen_instruction = true;
        out.push(instruction(start, acc.trim())?);
    }
    if let Some((start, _)) = pending {
        return Err(format!(
            "line {start}: continuation runs past the end of the file"
        ));
    }
    Ok(out)
}

fn instruction(line: usize, text: &str) -> Result<Instruction, String> {
    let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let keyword = word.to_ascii_uppercase();
    if !KEYWORDS.contains(&keyword.as_str()) {
        return Err(format!("line {line}: unknown instruction {word:?}"));
    }
    if rest.contains("<<") && matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
        return Err(format!("line {line}: heredoc"));
    }
    let mut rest = rest.trim_start();
    let mut flags = Vec::new();
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        let name = flag[..end].split('=').next().unwrap_or("").to_string();
        flags.push(name);
        rest = flag[end..].trim_start();
    }
    Ok(Instruction {
        keyword,
        flags,
        args: rest.to_string(),
        line,
    })
}

/// The shape of an instruction: keyword, flags and the structure of its arguments, without
/// the values. Two renders of one template with values of the same type must have equal
/// shapes; a value that added an instruction, a command or a word would change it.
pub fn shape(ins: &Instruction) -> String {
    let mut args = ins.args.as_str();
    let mut head = format!("{} {}", ins.keyword, ins.flags.join(","));
    if ins.keyword == "HEALTHCHECK" {
        let (sub, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
        head.push_str(&format!(" {}", sub.to_ascii_uppercase()));
        args = rest.trim_start();
    }
    let shell_form = matches!(
        ins.keyword.as_str(),
        "RUN" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK"
    );
    if args.starts_with('[') {
        if let Ok(items) = serde_json::from_str::<Vec<String>>(args) {
            return format!("{head} json[{}]", items.len());
        }
    }
    if shell_form {
        format!("{head} sh{:?}", shell_shape(args))
    } else {
        format!("{head} words{:?}", shell_shape(args))
    }
}

/// Words (`W`) and unquoted shell operators of `text`, in order; command substitutions in
/// double quotes count as operators too.
pub fn shell_shape(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    let word = |out: &mut Vec<String>, in_word: &mut bool| {
        if !*in_word {
            out.push("W".into());
            *in_word = true;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => in_word = false,
            '\\' => {
                word(&mut out, &mut in_word);
                chars.next();
            }
            '\'' => {
                word(&mut out, &mut in_word);
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                }
            }
            '"' => {
                word(&mut out, &mut in_word);
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        '`' => out.push("`".into()),
                        '$' if chars.peek() == Some(&'(') => out.push("$(".into()),
                        _ => {}
                    }
                }
            }
            '$' if chars.peek() == Some(&'(') => {
                out.push("$(".into());
                in_word = false;
            }
            ';' | '&' | '|' | '<' | '>' | '(' | ')' | '`' => {
                let mut op = c.to_string();
                while let Some(&n) = chars.peek() {
                    if "&|<>;".contains(n) {
                        op.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(op);
                in_word = false;
            }
            '#' if !in_word => {
                out.push("#".into());
                break;
            }
            _ => word(&mut out, &mut in_word),
        }
    }
    out
}

/// The structure of a YAML document: mapping keys, sequence lengths and scalar kinds.
pub fn yaml_skeleton(value: &serde_norway::Value) -> String {
    use serde_norway::Value;
    match value {
        Value::Mapping(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", k.as_str().unwrap_or("?"), yaml_skeleton(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Sequence(s) => {
            let items: Vec<String> = s.iter().map(yaml_skeleton).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Tagged(t) => format!("!{} {}", t.tag, yaml_skeleton(&t.value)),
        Value::Null => "null".into(),
        _ => "scalar".into(),
    }
}

/// The BuildKit parser (the `dockerfile` Python package in the validators' venv), if present.
pub fn buildkit_python() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let python = Path::new(&home).join(".cache/dockgen-validators/venv/bin/python");
    let ok = Command::new(&python)
        .args(["-c", "import dockerfile"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

/// Parses each file with BuildKit's parser; for each, the instruction shapes it reports
/// (command, sub-command, JSON form, flag names, JSON argument count), or the parse error.
pub fn buildkit_shapes(python: &Path, files: &[PathBuf]) -> Vec<Result<Vec<String>, String>> {
    const SCRIPT: &str = r#"
import dockerfile, json, sys
out = []
for path in sys.argv[1:]:
    try:
        cmds = dockerfile.parse_file(path)
        out.append({"ok": [
            "%s %s %s %s %s" % (c.cmd.upper(), (c.sub_cmd or "").upper(), c.json,
                ",".join(f.split("=")[0] for f in c.flags),
                len(c.value) if c.json else "-")
            for c in cmds]})
    except Exception as e:
        out.append({"err": str(e)})
print(json.dumps(out))
"#;
    let output = Command::new(python)
        .arg("-c")
        .arg(SCRIPT)
        .args(files)
        .output()
        .expect("python runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let parsed: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("parser output is JSON");
    parsed
        .into_iter()
        .map(|v| match v.get("ok") {
            Some(list) => Ok(list
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|s| s.as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default()),
            None => Err(v["err"].as_str().unwrap_or("?").to_string()),
        })
        .collect()
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

/// A value as dockgen prints it in a message: control characters escaped (see printer.rs).
pub fn as_printed(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

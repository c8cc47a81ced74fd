//! The strict Dockerfile instruction splitter and the shapes the injection tests compare: a
//! Dockerfile turned into the shape of its instructions (keyword, flags, word and shell-operator
//! structure), a YAML document turned into its skeleton, and BuildKit's own parser as a second
//! opinion when the validators' venv is installed. Kept apart from the other helpers because
//! it is a small parser of its own.

use super::text;
use std::path::{Path, PathBuf};
use std::process::Command;

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

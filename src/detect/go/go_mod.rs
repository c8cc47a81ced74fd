//! go.mod, read the way the go command reads it: the `module` path, the `go` and `toolchain`
//! directives and the required modules, each with its line. Anything the go command would
//! reject (an unknown directive, an unclosed block, a `go` line that is not a version) is an
//! error that points at line:column, so a broken manifest never becomes a silent guess.

use crate::error::{Error, Position, Result};

/// Directives the go command accepts in go.mod (Go 1.25).
const DIRECTIVES: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "exclude",
    "replace",
    "retract",
    "tool",
    "ignore",
];

/// A value from go.mod and the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoMod {
    pub module: Located,
    /// The `go` directive: the minimum Go release, e.g. `1.22.5`.
    pub go: Option<Located>,
    /// The `toolchain` directive without its `go` prefix, e.g. `1.22.12`.
    pub toolchain: Option<Located>,
    /// Required module paths (direct and indirect).
    pub requires: Vec<Located>,
}

impl GoMod {
    pub fn parse(path: &str, text: &str) -> Result<GoMod> {
        let mut module = None;
        let mut go = None;
        let mut toolchain = None;
        let mut requires = Vec::new();
        // The directive of the open `( ... )` block and the line it opened on.
        let mut block: Option<(String, usize)> = None;
        let mut offset = 0;
        for (index, raw) in text.split('\n').enumerate() {
            let line_no = index + 1;
            let line_start = offset;
            offset += raw.len() + 1;
            let code = strip_comment(raw).trim_end_matches('\r');
            let words = words(code);
            let Some((first, first_col)) = words.first().cloned() else {
                continue;
            };
            let at = |col: usize| Some(Position::of_offset(text, line_start + col));
            if let Some((directive, _)) = &block {
                if first == ")" {
                    block = None;
                    continue;
                }
                if directive == "require" {
                    requires.push(Located {
                        value: unquote(&first).to_string(),
                        line: line_no,
                    });
                }
                continue;
            }
            if !DIRECTIVES.contains(&first.as_str()) {
                return Err(Error::invalid_input(
                    path,
                    at(first_col),
                    format!(
                        "unknown directive '{first}'; expected one of: {}",
                        DIRECTIVES.join(", ")
                    ),
                ));
            }
            let args = &words[1..];
            if args.first().is_some_and(|(w, _)| w == "(") {
                block = Some((first.clone(), line_no));
                continue;
            }
            let Some((value, value_col)) = args.first().cloned() else {
                return Err(Error::invalid_input(
                    path,
                    at(first_col + first.len()),
                    format!("'{first}' has no value; expected `{first} <value>`"),
                ));
            };
            match first.as_str() {
                "module" => {
                    module = Some(Located {
                        value: unquote(&value).to_string(),
                        line: line_no,
                    })
                }
                "go" => {
                    if !is_go_version(&value) {
                        return Err(Error::invalid_input(
                            path,
                            at(value_col),
                            format!(
                                "invalid go version '{value}'; expected a release such as 1.22 or 1.22.5"
                            ),
                        ));
                    }
                    go = Some(Located {
                        value,
                        line: line_no,
                    });
                }
                "toolchain" => {
                    let version = value.strip_prefix("go").filter(|v| is_go_version(v));
                    match version {
                        Some(v) => {
                            toolchain = Some(Located {
                                value: v.to_string(),
                                line: line_no,
                            })
                        }
                        None if value == "default" => {}
                        None => {
                            return Err(Error::invalid_input(
                                path,
                                at(value_col),
                                format!(
                                    "invalid toolchain '{value}'; expected a name such as go1.22.12"
                                ),
                            ))
                        }
                    }
                }
                "require" => requires.push(Located {
                    value: unquote(&value).to_string(),
                    line: line_no,
                }),
                _ => {}
            }
        }
        if let Some((directive, line)) = block {
            return Err(Error::invalid_input(
                path,
                Some(Position { line, column: 1 }),
                format!("the '{directive} (' block is never closed; expected a line with `)`"),
            ));
        }
        let module = module.ok_or_else(|| {
            Error::invalid_input(
                path,
                Some(Position { line: 1, column: 1 }),
                "no module directive; expected a line such as `module example.com/app`",
            )
        })?;
        Ok(GoMod {
            module,
            go,
            toolchain,
            requires,
        })
    }

    /// The last element of the module path, without a major-version suffix:
    /// `example.com/app/v2` is `app`. This is the name `go build` gives the root package.
    pub fn module_name(&self) -> &str {
        let mut parts = self.module.value.rsplit('/');
        let last = parts.next().unwrap_or_default();
        let is_major = last.len() > 1
            && last.starts_with('v')
            && last[1..].chars().all(|c| c.is_ascii_digit());
        match (is_major, parts.next()) {
            (true, Some(before)) => before,
            _ => last,
        }
    }

    pub fn require(&self, module: &str) -> Option<&Located> {
        self.requires.iter().find(|r| r.value == module)
    }
}

/// `1.22`, `1.22.5`, `1.21rc1`, `1.21.0`: a Go release as the go command writes it.
fn is_go_version(v: &str) -> bool {
    let numeric: String = v
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let rest = &v[numeric.len()..];
    let parts: Vec<&str> = numeric.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| !p.is_empty())
        && parts[0] == "1"
        && (rest.is_empty()
            || ((rest.starts_with("rc") || rest.starts_with("beta"))
                && rest
                    .trim_start_matches(char::is_alphabetic)
                    .chars()
                    .all(|c| c.is_ascii_digit())))
}

/// The `major.minor` of a Go release: `1.22.5` and `1.22rc1` are `1.22`.
pub fn minor(version: &str) -> String {
    let numeric: String = version
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    numeric.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// Compares two releases numerically (`1.9` < `1.22`); pre-releases compare as their base.
pub fn newer(a: &str, b: &str) -> bool {
    let key = |v: &str| -> Vec<u64> {
        v.chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect::<String>()
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    key(a) > key(b)
}

/// The line without a `//` comment (go.mod has no `//` inside quoted module paths).
fn strip_comment(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// Whitespace-separated words with their byte columns; `(` and `)` are words of their own.
fn words(line: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() || c == '(' || c == ')' {
            if let Some(s) = start.take() {
                out.push((line[s..i].to_string(), s));
            }
            if c == '(' || c == ')' {
                out.push((c.to_string(), i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((line[s..].to_string(), s));
    }
    out
}

fn unquote(word: &str) -> &str {
    word.trim_matches(|c| c == '"' || c == '`')
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "// a comment\nmodule example.com/inventory/v2 // trailing\n\ngo 1.22.5\n\ntoolchain go1.22.12\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n\tgolang.org/x/sys v0.20.0 // indirect\n)\n\nrequire example.org/greet v1.0.0\n\nreplace example.org/greet => ./greet\n";

    #[test]
    fn reads_module_versions_and_requires() {
        let m = GoMod::parse("go.mod", FULL).unwrap();
        assert_eq!(m.module.value, "example.com/inventory/v2");
        assert_eq!(m.module.line, 2);
        assert_eq!(m.module_name(), "inventory");
        assert_eq!(
            m.go.as_ref().map(|g| (g.value.as_str(), g.line)),
            Some(("1.22.5", 4))
        );
        assert_eq!(
            m.toolchain.as_ref().map(|t| t.value.as_str()),
            Some("1.22.12")
        );
        let reqs: Vec<_> = m
            .requires
            .iter()
            .map(|r| (r.value.as_str(), r.line))
            .collect();
        assert_eq!(
            reqs,
            [
                ("github.com/mattn/go-sqlite3", 9),
                ("golang.org/x/sys", 10),
                ("example.org/greet", 13)
            ]
        );
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let err = |t: &str| GoMod::parse("go.mod", t).unwrap_err().to_string();
        assert_eq!(
            err("module a\n\ngo 1.x\n"),
            "go.mod:3:4: invalid go version '1.x'; expected a release such as 1.22 or 1.22.5"
        );
        assert!(err("module a\n  requires b v1\n")
            .starts_with("go.mod:2:3: unknown directive 'requires'"));
        assert!(err("module a\nrequire (\n  b v1\n")
            .starts_with("go.mod:2:1: the 'require (' block is never closed"));
        assert!(err("go 1.22\n").starts_with("go.mod:1:1: no module directive"));
        assert!(err("module a\ntoolchain 1.22\n").starts_with("go.mod:2:11: invalid toolchain"));
        assert!(err("module\n").starts_with("go.mod:1:7: 'module' has no value"));
    }

    #[test]
    fn versions_compare_and_reduce_to_minor() {
        assert_eq!(minor("1.22.5"), "1.22");
        assert_eq!(minor("1.21rc1"), "1.21");
        assert!(newer("1.22.12", "1.22.5"));
        assert!(newer("1.22", "1.9"));
        assert!(!newer("1.22", "1.22.0"));
        assert!(
            is_go_version("1.21rc2")
                && is_go_version("1.22")
                && !is_go_version("2")
                && !is_go_version("1.22.x")
        );
    }
}

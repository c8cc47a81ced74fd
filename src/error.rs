//! Every failure dockgen can report, with the file (and line:column where the format has them)
//! it concerns and what was expected. Errors carry no colour and print nothing themselves: the
//! printer decides how they look, and `exit_code` maps each kind to the documented exit status.

use crate::exit_status::ExitStatus;
use std::path::PathBuf;

/// A position inside a text file, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Position { line, column }
    }
}

/// A parser's message on one line: TOML and YAML parsers break theirs over lines ("invalid
/// array\nexpected `]`"), and an error is one line.
pub fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(": ")
}

/// serde_json's message without the " at line L column C" it appends: the location is printed
/// once, in front, as path:line:column.
pub fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at line ") {
        Some((message, _)) if e.line() > 0 => message.to_string(),
        _ => text,
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where an error points: a file and, when known, a position in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub position: Option<Position>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file in the repository could not be understood (malformed manifest, bad value).
    #[error("{location}: {message}")]
    InvalidInput { location: Location, message: String },

    /// dockgen.toml, or a preset, is not what dockgen expects.
    #[error("{location}: {message}")]
    InvalidSettings { location: Location, message: String },

    /// A command-line value is not acceptable.
    #[error("{0}")]
    Usage(String),

    /// Nothing dockgen knows how to containerise was found.
    #[error("{path}: nothing to containerise: looked for {looked_for}")]
    NothingDetected { path: PathBuf, looked_for: String },

    /// Reading or writing a file failed.
    #[error("{path}: {action}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// The user stopped the wizard (Ctrl-C, Escape, closed terminal): nothing was written.
    #[error("cancelled ({0}); nothing was written")]
    Cancelled(String),

    /// No Docker engine (or compose) to verify with.
    #[error("{0}")]
    NoEngine(String),

    /// A template failed to render (a bug in a preset or an override template).
    #[error("template {template}: {message}")]
    Template { template: String, message: String },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }

    pub fn invalid_input(
        path: impl Into<PathBuf>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Error {
        Error::InvalidInput {
            location: Location {
                path: path.into(),
                position,
            },
            message: message.into(),
        }
    }

    pub fn invalid_settings(
        path: impl Into<PathBuf>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Error {
        Error::InvalidSettings {
            location: Location {
                path: path.into(),
                position,
            },
            message: message.into(),
        }
    }

    /// The documented exit status for this error (see README, "Exit codes").
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Usage(_) | Error::NothingDetected { .. } => ExitStatus::Usage,
            Error::InvalidInput { .. } | Error::InvalidSettings { .. } => ExitStatus::InvalidInput,
            Error::Io { .. } => ExitStatus::Io,
            Error::Template { .. } => ExitStatus::Template,
            Error::NoEngine(_) => ExitStatus::NoEngine,
            Error::Cancelled(_) => ExitStatus::Cancelled,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters() {
        let text = "ab\ncé\nxyz";
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::of_offset(text, 3),
            Position { line: 2, column: 1 }
        );
        // 'é' is two bytes: offset 6 is after it.
        assert_eq!(
            Position::of_offset(text, 6),
            Position { line: 2, column: 3 }
        );
        assert_eq!(
            Position::of_offset(text, 100),
            Position { line: 3, column: 4 }
        );
    }
}

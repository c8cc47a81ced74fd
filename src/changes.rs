//! What rendering would change on disk, file by file: create, identical, update, or conflict,
//! each with a unified diff. A generated file that differs from what dockgen last wrote (kept
//! under `.dockgen/last/`) has been edited by hand: it is a conflict unless `--force`.

use crate::error::{Error, Result};
use crate::render::{FileKind, RenderedFile};
use serde::Serialize;
use std::path::Path;

/// Where the last-written copy of each generated file is kept, relative to the repository root.
pub const LAST_WRITTEN_DIR: &str = ".dockgen/last";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Create,
    Identical,
    Update,
    Conflict,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Create => "create",
            Status::Identical => "identical",
            Status::Update => "update",
            Status::Conflict => "conflict",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub path: String,
    pub status: Status,
    /// Why a file is a conflict, or why it is updated despite hand edits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Unified diff from what is on disk to the rendered content (empty when identical).
    pub diff: String,
    #[serde(skip)]
    pub new: String,
    #[serde(skip)]
    pub kind: FileKind,
}

impl Change {
    /// True when applying this change writes the file.
    pub fn writes(&self) -> bool {
        matches!(self.status, Status::Create | Status::Update)
    }
}

pub fn compute(root: &Path, rendered: &[RenderedFile], force: bool) -> Result<Vec<Change>> {
    rendered
        .iter()
        .map(|file| {
            let current = read_optional(&root.join(&file.path))?;
            let last = match file.kind {
                FileKind::Generated => {
                    read_optional(&root.join(LAST_WRITTEN_DIR).join(&file.path))?
                }
                FileKind::Settings => None,
            };
            let (status, reason) = match &current {
                None => (Status::Create, None),
                Some(c) if *c == file.content => (Status::Identical, None),
                Some(_) if file.kind == FileKind::Settings => (Status::Update, None),
                Some(c) if last.as_deref() == Some(c.as_str()) => (Status::Update, None),
                Some(_) => {
                    let why = if last.is_some() {
                        "edited since dockgen last wrote it"
                    } else {
                        "not written by dockgen"
                    };
                    if force {
                        (
                            Status::Update,
                            Some(format!("{why}; overwritten because of --force")),
                        )
                    } else {
                        (
                            Status::Conflict,
                            Some(format!("{why}; left as it is (use --force to overwrite)")),
                        )
                    }
                }
            };
            let diff = match &current {
                Some(c) if status != Status::Identical => {
                    unified_diff(&file.path, c, &file.content)
                }
                None => unified_diff(&file.path, "", &file.content),
                _ => String::new(),
            };
            Ok(Change {
                path: file.path.clone(),
                status,
                reason,
                diff,
                new: file.content.clone(),
                kind: file.kind,
            })
        })
        .collect()
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, "cannot read", e)),
    }
}

/// A unified diff with `a/` and `b/` headers, as git prints them.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, content: &str) -> RenderedFile {
        RenderedFile {
            path: path.into(),
            content: content.into(),
            kind: FileKind::Generated,
        }
    }

    #[test]
    fn statuses_follow_disk_and_last_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(LAST_WRITTEN_DIR)).unwrap();
        std::fs::write(root.join("same"), "x\n").unwrap();
        std::fs::write(root.join("ours"), "old\n").unwrap();
        std::fs::write(root.join(LAST_WRITTEN_DIR).join("ours"), "old\n").unwrap();
        std::fs::write(root.join("edited"), "mine\n").unwrap();
        std::fs::write(root.join(LAST_WRITTEN_DIR).join("edited"), "old\n").unwrap();
        let rendered = [
            file("new", "n\n"),
            file("same", "x\n"),
            file("ours", "new\n"),
            file("edited", "new\n"),
        ];
        let changes = compute(root, &rendered, false).unwrap();
        let statuses: Vec<Status> = changes.iter().map(|c| c.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Create,
                Status::Identical,
                Status::Update,
                Status::Conflict
            ]
        );
        assert!(changes[3].diff.contains("-mine\n+new\n"));
        let forced = compute(root, &rendered, true).unwrap();
        assert_eq!(forced[3].status, Status::Update);
    }
}

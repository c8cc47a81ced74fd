//! What rendering would change on disk, file by file: create, identical, update, or conflict,
//! each with a unified diff. dockgen keeps what it last rendered under `.dockgen/last/` and,
//! when a file carries hand edits it has accepted, that file under `.dockgen/kept/`. A file
//! edited by hand is three-way merged (last render, the user's file, the new render): clean
//! merges keep the edits, overlapping edits are conflicts.

use crate::error::{Error, Result};
use crate::render::{FileKind, RenderedFile};
use serde::Serialize;
use std::path::Path;

/// What dockgen last rendered for each generated file, relative to the repository root.
pub const LAST_WRITTEN_DIR: &str = ".dockgen/last";
/// Files whose accepted content differs from the render because hand edits were kept.
pub const KEPT_DIR: &str = ".dockgen/kept";

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

/// What to do with overlapping hand edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictPolicy {
    /// Leave the file as it is and report the conflict.
    #[default]
    Keep,
    /// Overwrite with the new render (`--force`).
    Overwrite,
    /// Write the file with conflict markers (`--merge=markers`).
    Markers,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub path: String,
    pub status: Status,
    /// Why: hand edits kept, merged, overwritten, or in conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Unified diff from the file on disk to what will be written (for hand edits that are
    /// only recorded, from dockgen's render to the file on disk).
    pub diff: String,
    /// The content to write, when `write` is set.
    #[serde(skip)]
    pub new: String,
    /// The render itself, recorded as the base of the next merge.
    #[serde(skip)]
    pub rendered: String,
    #[serde(skip)]
    pub write: bool,
    #[serde(skip)]
    pub kind: FileKind,
}

pub fn compute(
    root: &Path,
    rendered: &[RenderedFile],
    policy: ConflictPolicy,
) -> Result<Vec<Change>> {
    rendered
        .iter()
        .map(|file| {
            let disk = read_optional(&root.join(&file.path))?;
            let (base, kept) = match file.kind {
                FileKind::Generated => (
                    read_optional(&root.join(LAST_WRITTEN_DIR).join(&file.path))?,
                    read_optional(&root.join(KEPT_DIR).join(&file.path))?,
                ),
                FileKind::Settings => (None, None),
            };
            Ok(decide(file, disk, base, kept, policy))
        })
        .collect()
}

fn decide(
    file: &RenderedFile,
    disk: Option<String>,
    base: Option<String>,
    kept: Option<String>,
    policy: ConflictPolicy,
) -> Change {
    let render = &file.content;
    let change = |status, reason: Option<&str>, new: &str, diff: String, write| Change {
        path: file.path.clone(),
        status,
        reason: reason.map(String::from),
        diff,
        new: new.to_string(),
        rendered: render.clone(),
        write,
        kind: file.kind,
    };
    let Some(disk) = disk else {
        return change(
            Status::Create,
            None,
            render,
            creation_diff(&file.path, render),
            true,
        );
    };
    if crate::header_version::same_render(&disk, render) {
        return change(Status::Identical, None, render, String::new(), false);
    }
    if file.kind == FileKind::Settings {
        return change(
            Status::Update,
            None,
            render,
            diff(&file.path, &disk, render),
            true,
        );
    }
    let Some(base) = base else {
        return conflict(file, &disk, "", "not written by dockgen", policy, change);
    };
    if has_conflict_markers(&disk) {
        return conflict(
            file,
            &disk,
            &base,
            "has unresolved conflict markers",
            policy,
            change,
        );
    }
    let accepted = kept.as_deref().unwrap_or(&base);
    let unrecorded = !crate::header_version::same_render(&disk, accepted);
    match diffy::merge(&base, &disk, render) {
        Ok(merged) if merged == disk && !unrecorded => change(
            Status::Identical,
            Some("keeps your edits"),
            &disk,
            String::new(),
            false,
        ),
        Ok(merged) if merged == disk => change(
            Status::Update,
            Some("edited by hand since dockgen last wrote it; the edits are kept and recorded"),
            &disk,
            labelled_diff(&file.path, render, &disk),
            true,
        ),
        Ok(merged) => {
            let reason = (disk != base).then_some("merged with your edits");
            let d = diff(&file.path, &disk, &merged);
            change(Status::Update, reason, &merged, d, true)
        }
        Err(_) => conflict(
            file,
            &disk,
            &base,
            "edited by hand where dockgen's changes are",
            policy,
            change,
        ),
    }
}

fn conflict(
    file: &RenderedFile,
    disk: &str,
    base: &str,
    why: &str,
    policy: ConflictPolicy,
    change: impl Fn(Status, Option<&str>, &str, String, bool) -> Change,
) -> Change {
    let render = &file.content;
    match policy {
        ConflictPolicy::Overwrite => change(
            Status::Update,
            Some(&format!("{why}; overwritten because of --force")),
            render,
            diff(&file.path, disk, render),
            true,
        ),
        ConflictPolicy::Markers => {
            let marked = diffy::merge(base, disk, render).unwrap_or_else(|m| m);
            change(
                Status::Conflict,
                Some(&format!(
                    "{why}; written with conflict markers to resolve by hand"
                )),
                &marked,
                diff(&file.path, disk, &marked),
                true,
            )
        }
        ConflictPolicy::Keep => change(
            Status::Conflict,
            Some(&format!(
                "{why}; left as it is (--force overwrites, --merge=markers marks the conflicts)"
            )),
            disk,
            diff(&file.path, disk, render),
            false,
        ),
    }
}

/// The 1-based line of the first conflict marker left in `text`.
pub fn conflict_marker_line(text: &str) -> Option<usize> {
    if !has_conflict_markers(text) {
        return None;
    }
    text.lines()
        .position(|l| {
            l.starts_with("<<<<<<<") || l.starts_with("=======") || l.starts_with(">>>>>>>")
        })
        .map(|i| i + 1)
}

fn has_conflict_markers(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("<<<<<<< ") || l == "<<<<<<<")
        && text
            .lines()
            .any(|l| l.starts_with(">>>>>>> ") || l == ">>>>>>>")
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, "cannot read", e)),
    }
}

/// A unified diff with `a/` and `b/` headers, as git prints them.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// The diff that creates a file: from `/dev/null`, as git and patch expect.
fn creation_diff(path: &str, new: &str) -> String {
    similar::TextDiff::from_lines("", new)
        .unified_diff()
        .context_radius(3)
        .header("/dev/null", &format!("b/{path}"))
        .to_string()
}

/// A diff from dockgen's render to the user's file, labelled so.
fn labelled_diff(path: &str, render: &str, disk: &str) -> String {
    similar::TextDiff::from_lines(render, disk)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{path} (dockgen)"),
            &format!("b/{path} (on disk)"),
        )
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(content: &str) -> RenderedFile {
        RenderedFile {
            path: "Dockerfile".into(),
            content: content.into(),
            kind: FileKind::Generated,
        }
    }
    fn s(t: &str) -> Option<String> {
        Some(t.to_string())
    }

    const BASE: &str = "FROM a\nENV X=1\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\nUSER 1\n";

    #[test]
    fn create_identical_and_plain_update() {
        let keep = ConflictPolicy::Keep;
        assert_eq!(
            decide(&file(BASE), None, None, None, keep).status,
            Status::Create
        );
        assert_eq!(
            decide(&file(BASE), s(BASE), s(BASE), None, keep).status,
            Status::Identical
        );
        let newer = BASE.replace("3000", "8080");
        let c = decide(&file(&newer), s(BASE), s(BASE), None, keep);
        assert_eq!(
            (c.status, c.new.as_str(), c.reason),
            (Status::Update, newer.as_str(), None)
        );
    }

    #[test]
    fn hand_edits_merge_with_new_renders() {
        let edited = BASE.replace("ENV X=1", "ENV X=2\nRUN echo mine");
        let newer = BASE.replace("3000", "8080");
        let c = decide(
            &file(&newer),
            s(&edited),
            s(BASE),
            None,
            ConflictPolicy::Keep,
        );
        assert_eq!(c.status, Status::Update);
        assert!(
            c.new.contains("RUN echo mine") && c.new.contains("EXPOSE 8080"),
            "{}",
            c.new
        );
    }

    #[test]
    fn unrecorded_edits_are_drift_until_recorded_then_identical() {
        let edited = format!("{BASE}LABEL a=b\n");
        let first = decide(&file(BASE), s(&edited), s(BASE), None, ConflictPolicy::Keep);
        assert_eq!(first.status, Status::Update);
        assert_eq!(first.new, edited);
        assert!(first.diff.contains("+LABEL a=b"));
        let later = decide(
            &file(BASE),
            s(&edited),
            s(BASE),
            s(&edited),
            ConflictPolicy::Keep,
        );
        assert_eq!(later.status, Status::Identical);
    }

    #[test]
    fn overlapping_edits_conflict_unless_forced_or_marked() {
        let edited = BASE.replace("EXPOSE 3000", "EXPOSE 9999");
        let newer = BASE.replace("3000", "8080");
        let keep = decide(
            &file(&newer),
            s(&edited),
            s(BASE),
            None,
            ConflictPolicy::Keep,
        );
        assert_eq!((keep.status, keep.write), (Status::Conflict, false));
        let force = decide(
            &file(&newer),
            s(&edited),
            s(BASE),
            None,
            ConflictPolicy::Overwrite,
        );
        assert_eq!(
            (force.status, force.new.as_str()),
            (Status::Update, newer.as_str())
        );
        let marked = decide(
            &file(&newer),
            s(&edited),
            s(BASE),
            None,
            ConflictPolicy::Markers,
        );
        assert!(
            marked.write && marked.new.contains("<<<<<<<"),
            "{}",
            marked.new
        );
    }

    #[test]
    fn a_file_dockgen_never_wrote_is_a_conflict() {
        let c = decide(
            &file(BASE),
            s("FROM mine\n"),
            None,
            None,
            ConflictPolicy::Keep,
        );
        assert_eq!(c.status, Status::Conflict);
        assert!(c.reason.unwrap().starts_with("not written by dockgen"));
    }
}

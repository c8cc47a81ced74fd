//! The only module that writes to the repository. Every file is first written to a temporary
//! file beside its target; only when all of them are written are they renamed into place, so a
//! failure part-way leaves every existing file as it was. Existing permissions are kept.

use crate::changes::{Change, KEPT_DIR, LAST_WRITTEN_DIR};
use crate::error::{Error, Result};
use crate::render::FileKind;
use std::path::{Path, PathBuf};

/// Writes the changes that create or update files, and records for each generated file what
/// dockgen rendered (the base of the next merge) and, when hand edits were kept, the accepted
/// content. Files left in conflict are not touched and nothing is recorded for them.
pub fn apply(root: &Path, changes: &[Change]) -> Result<()> {
    let mut writes: Vec<(PathBuf, &str)> = Vec::new();
    let mut removals: Vec<PathBuf> = Vec::new();
    for change in changes {
        if change.write {
            writes.push((root.join(&change.path), &change.new));
        }
        let recorded = change.write || change.status == crate::changes::Status::Identical;
        if change.kind == FileKind::Generated && recorded {
            writes.push((
                root.join(LAST_WRITTEN_DIR).join(&change.path),
                &change.rendered,
            ));
            let kept = root.join(KEPT_DIR).join(&change.path);
            if change.new != change.rendered && !change.new.contains("<<<<<<<") {
                writes.push((kept, &change.new));
            } else if kept.exists() {
                removals.push(kept);
            }
        }
    }
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (target, content) in &writes {
        if std::fs::read(target).is_ok_and(|old| old == content.as_bytes()) {
            continue;
        }
        match stage(target, content) {
            Ok(temp) => staged.push((temp, target.clone())),
            Err(e) => {
                discard(&staged);
                return Err(e);
            }
        }
    }
    for (i, (temp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(temp, target) {
            discard(&staged[i..]);
            return Err(Error::io(target, "cannot replace", e));
        }
    }
    for path in removals {
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, "cannot remove", e))?;
    }
    Ok(())
}

/// Writes `content` to a temporary file in the target's folder, with the target's permissions.
fn stage(target: &Path, content: &str) -> Result<PathBuf> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create folder", e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.dockgen-{}.tmp", std::process::id()));
    let result = (|| {
        use std::io::Write;
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(content.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(target) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        Ok(())
    })();
    result.map_err(|e: std::io::Error| {
        let _ = std::fs::remove_file(&temp);
        Error::io(target, "cannot write", e)
    })?;
    Ok(temp)
}

fn discard(staged: &[(PathBuf, PathBuf)]) {
    for (temp, _) in staged {
        let _ = std::fs::remove_file(temp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::Status;

    fn change(path: &str, status: Status, write: bool) -> Change {
        Change {
            path: path.into(),
            status,
            reason: None,
            diff: String::new(),
            new: format!("{path}\n"),
            rendered: format!("{path}\n"),
            write,
            kind: FileKind::Generated,
        }
    }

    #[test]
    fn writes_files_and_records_but_leaves_conflicts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c"), "mine\n").unwrap();
        let changes = [
            change("sub/a", Status::Create, true),
            change("c", Status::Conflict, false),
        ];
        apply(dir.path(), &changes).unwrap();
        let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
        assert_eq!(read("sub/a"), "sub/a\n");
        assert_eq!(read(".dockgen/last/sub/a"), "sub/a\n");
        assert_eq!(read("c"), "mine\n");
        assert!(!dir.path().join(".dockgen/last/c").exists());
    }

    #[test]
    fn kept_edits_are_recorded_and_forgotten_when_gone() {
        let dir = tempfile::tempdir().unwrap();
        let mut kept = change("Dockerfile", Status::Update, true);
        kept.new = "mine\n".into();
        apply(dir.path(), &[kept]).unwrap();
        let kept_path = dir.path().join(".dockgen/kept/Dockerfile");
        assert_eq!(std::fs::read_to_string(&kept_path).unwrap(), "mine\n");
        apply(dir.path(), &[change("Dockerfile", Status::Update, true)]).unwrap();
        assert!(!kept_path.exists());
    }
}

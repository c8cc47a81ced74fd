//! The only module that writes to the repository. Every file is first written to a temporary
//! file beside its target; only when all of them are written are they renamed into place, so a
//! failure part-way leaves every existing file as it was. Existing permissions are kept.

use crate::changes::{Change, LAST_WRITTEN_DIR};
use crate::error::{Error, Result};
use crate::render::FileKind;
use std::path::{Path, PathBuf};

/// Writes the changes that create or update files, and records what was written for generated
/// files (also for identical ones, so later hand edits are recognised).
pub fn apply(root: &Path, changes: &[Change]) -> Result<()> {
    let mut targets: Vec<(PathBuf, &str)> = Vec::new();
    for change in changes {
        if change.writes() {
            targets.push((root.join(&change.path), &change.new));
        }
        if change.kind == FileKind::Generated && change.status != crate::changes::Status::Conflict {
            targets.push((root.join(LAST_WRITTEN_DIR).join(&change.path), &change.new));
        }
    }
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (target, content) in &targets {
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

    #[test]
    fn writes_files_and_last_copies_but_not_conflicts() {
        let dir = tempfile::tempdir().unwrap();
        let change = |path: &str, status| Change {
            path: path.into(),
            status,
            reason: None,
            diff: String::new(),
            new: format!("{path}\n"),
            kind: FileKind::Generated,
        };
        std::fs::write(dir.path().join("c"), "mine\n").unwrap();
        apply(
            dir.path(),
            &[
                change("sub/a", Status::Create),
                change("c", Status::Conflict),
            ],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/a")).unwrap(),
            "sub/a\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".dockgen/last/sub/a")).unwrap(),
            "sub/a\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("c")).unwrap(),
            "mine\n"
        );
        assert!(!dir.path().join(".dockgen/last/c").exists());
    }
}

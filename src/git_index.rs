//! The files git tracks, read from the repository's index (`.git/index`, versions 2 to 4).
//! `.gitignore` only hides files git does not track: a committed `package.json` under a
//! `*.json` rule is still part of the project, so the walk adds tracked files back.

use std::path::{Path, PathBuf};

/// The folder holding `.git` at or above `root`, and the root's path below it (`""` at the top).
pub fn work_tree(root: &Path) -> Option<(PathBuf, String)> {
    let root = root.canonicalize().ok()?;
    let mut dir = root.as_path();
    loop {
        if dir.join(".git").exists() {
            let below = root.strip_prefix(dir).ok()?;
            let below: Vec<String> = below
                .components()
                .map(|c| c.as_os_str().to_str().map(String::from))
                .collect::<Option<_>>()?;
            return Some((dir.to_path_buf(), below.join("/")));
        }
        dir = dir.parent()?;
    }
}

/// The paths the index of the work tree at `top` tracks, `/`-separated and relative to `top`;
/// None when there is no index it can read (a `.git` file of a worktree, an unknown format).
pub fn tracked(top: &Path) -> Option<Vec<String>> {
    let git = top.join(".git");
    if !git.is_dir() {
        return None;
    }
    let bytes = std::fs::read(git.join("index")).ok()?;
    let config = std::fs::read_to_string(git.join("config")).unwrap_or_default();
    let hash_len = if config
        .to_ascii_lowercase()
        .contains("objectformat = sha256")
    {
        32
    } else {
        20
    };
    parse(&bytes, hash_len)
}

/// The entry paths of an index file whose object ids are `hash_len` bytes long.
fn parse(bytes: &[u8], hash_len: usize) -> Option<Vec<String>> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = be32(4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(8)? as usize;
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let start = at;
        // ctime, mtime, dev, ino, mode, uid, gid, size: ten 32-bit fields, then the object id.
        let mode = be32(at + 24)?;
        at += 40 + hash_len;
        let flags = u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?);
        at += 2;
        if version >= 3 && flags & 0x4000 != 0 {
            at += 2;
        }
        let path = if version == 4 {
            // The path drops N bytes of the previous one, then adds a NUL-terminated suffix.
            let (strip, used) = varint(bytes.get(at..)?)?;
            at += used;
            let end = at + bytes.get(at..)?.iter().position(|b| *b == 0)?;
            let keep = previous.len().checked_sub(strip)?;
            let mut path = previous[..keep].to_vec();
            path.extend_from_slice(&bytes[at..end]);
            at = end + 1;
            path
        } else {
            let end = at + bytes.get(at..)?.iter().position(|b| *b == 0)?;
            let path = bytes[at..end].to_vec();
            // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
            at = start + (end - start + 8) / 8 * 8;
            path
        };
        // Regular files and symbolic links; gitlinks (submodules) are folders.
        let kind = mode >> 12;
        if kind == 0b1000 || kind == 0b1010 {
            if let Ok(text) = std::str::from_utf8(&path) {
                out.push(text.to_string());
            }
        }
        previous = path;
    }
    Some(out)
}

/// Git's offset varint: 7 bits a byte, each continuation adding one before the shift.
fn varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value: usize = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        if i > 0 {
            value = value.checked_add(1)?.checked_shl(7)?;
        }
        value |= usize::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> bool {
        Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    #[test]
    fn every_index_version_lists_the_tracked_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        if !git(dir, &["init", "-q"]) {
            eprintln!("git is not installed: index reading not exercised");
            return;
        }
        std::fs::create_dir_all(dir.join("app/web/src")).unwrap();
        for file in ["app/web/package.json", "app/web/src/index.js", "README.md"] {
            std::fs::write(dir.join(file), "x").unwrap();
        }
        std::fs::write(dir.join(".gitignore"), "*.json\n").unwrap();
        assert!(git(dir, &["add", "-f", "."]));
        for version in ["2", "3", "4"] {
            assert!(git(dir, &["update-index", "--index-version", version]));
            let mut files = tracked(dir).unwrap();
            files.sort();
            assert_eq!(
                files,
                [
                    ".gitignore",
                    "README.md",
                    "app/web/package.json",
                    "app/web/src/index.js"
                ],
                "index version {version}"
            );
        }
        let (top, below) = work_tree(&dir.join("app/web")).unwrap();
        assert_eq!(
            (top, below),
            (dir.canonicalize().unwrap(), "app/web".to_string())
        );
    }

    #[test]
    fn a_damaged_index_is_not_read() {
        assert!(parse(b"DIRC\0\0\0\x02\0\0\0\x05", 20).is_none());
        assert!(parse(b"not an index", 20).is_none());
    }
}

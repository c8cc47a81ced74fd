//! The repository as detection sees it: one walk over the tree that never enters dependency,
//! build or VCS folders and honours .gitignore for the files git does not track, then read-only access to the files it listed.
//! Tests build a tree from memory with `RepoTree::from_files`, so detectors never touch the disk
//! directly.

use crate::error::{Error, Position, Result};
pub use crate::paths::{join, normalize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Folders that are never entered: dependencies, build output, VCS and tool caches.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "target",
    "vendor",
    ".venv",
    "venv",
    "__pycache__",
    ".next",
    "dist",
    ".gradle",
    ".idea",
    ".dockgen",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
];

/// Threads that list the tree: the walk waits on the file system more than on the CPU.
const WALK_THREADS: usize = 4;

/// Files larger than this are not read: no manifest is this big.
pub const MAX_READ_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
enum Contents {
    Disk(PathBuf),
    Memory(BTreeMap<String, Vec<u8>>),
}

/// The files of a repository, as `/`-separated paths relative to its root.
#[derive(Debug, Clone)]
pub struct RepoTree {
    files: BTreeSet<String>,
    /// Folders that exist but were not entered (see `SKIPPED_DIRS`), e.g. `vendor`.
    skipped_dirs: BTreeSet<String>,
    contents: Contents,
}

impl RepoTree {
    /// Walks `root` once. Symbolic links are listed but never followed.
    pub fn walk(root: &Path) -> Result<RepoTree> {
        let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Usage(format!(
                "{}: does not exist; expected the root folder of a repository",
                root.display()
            )),
            _ => Error::io(root, "cannot open", e),
        })?;
        if !meta.is_dir() {
            return Err(Error::Usage(format!(
                "{}: not a directory; expected the root folder of a repository",
                root.display()
            )));
        }
        // A root that cannot be listed is an error; unreadable folders below it are skipped.
        std::fs::read_dir(root).map_err(|e| Error::io(root, "cannot list", e))?;
        let mut files = BTreeSet::new();
        // Skipped folders are recorded as the walk meets them: no second pass over the disk.
        let met_skipped = Arc::new(Mutex::new(BTreeSet::new()));
        let recorder = Arc::clone(&met_skipped);
        let walk_root = root.to_path_buf();
        // .gitignore hides files git does not track: outside a git work tree (an export, a
        // tarball) every file is the project's; inside one, tracked files are added back below.
        let work_tree = crate::git_index::work_tree(root);
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .follow_links(false)
            .git_ignore(work_tree.is_some())
            .ignore(false)
            .git_exclude(false)
            .git_global(false)
            .require_git(false)
            .parents(work_tree.is_some())
            .filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                let skip =
                    is_dir && e.depth() > 0 && SKIPPED_DIRS.iter().any(|d| e.file_name() == *d);
                if skip {
                    if let Some(rel) = e.path().strip_prefix(&walk_root).ok().and_then(to_slash) {
                        if let Ok(mut met) = recorder.lock() {
                            met.insert(rel);
                        }
                    }
                }
                !skip
            })
            .threads(WALK_THREADS)
            .build_parallel();
        // Listed in parallel, then sorted by the set: the result does not depend on timing.
        let found: Mutex<Vec<String>> = Mutex::new(Vec::new());
        walker.run(|| {
            let found = &found;
            Box::new(move |entry| {
                // Unreadable folders are skipped: detection works with what it can see.
                let Ok(entry) = entry else {
                    return ignore::WalkState::Continue;
                };
                // Symbolic links are listed so detection can see them; reading one is refused.
                let listed = entry
                    .file_type()
                    .is_some_and(|k| k.is_file() || k.is_symlink());
                if listed {
                    let rel = entry.path().strip_prefix(root).ok().and_then(to_slash);
                    if let (Some(rel), Ok(mut found)) = (rel, found.lock()) {
                        if !rel.is_empty() {
                            found.push(rel);
                        }
                    }
                }
                ignore::WalkState::Continue
            })
        });
        let mut skipped_dirs = BTreeSet::new();
        for rel in found.into_inner().unwrap_or_default() {
            if !under_skipped(&rel, &mut skipped_dirs) {
                files.insert(rel);
            }
        }
        if let Ok(met) = met_skipped.lock() {
            skipped_dirs.extend(met.iter().cloned());
        }
        if let Some((top, below)) = &work_tree {
            let prefix = if below.is_empty() {
                String::new()
            } else {
                format!("{below}/")
            };
            for path in crate::git_index::tracked(top).unwrap_or_default() {
                let Some(rel) = path.strip_prefix(&prefix) else {
                    continue;
                };
                if !files.contains(rel)
                    && !under_skipped(rel, &mut skipped_dirs)
                    && root.join(rel).symlink_metadata().is_ok_and(|m| !m.is_dir())
                {
                    files.insert(rel.to_string());
                }
            }
        }
        let mut tree = RepoTree {
            files,
            skipped_dirs,
            contents: Contents::Disk(root.to_path_buf()),
        };
        tree.record_skipped_on_disk(root);
        Ok(tree)
    }

    /// A tree held in memory, for tests.
    pub fn from_files<P: Into<String>, C: Into<Vec<u8>>>(
        files: impl IntoIterator<Item = (P, C)>,
    ) -> RepoTree {
        let map: BTreeMap<String, Vec<u8>> = files
            .into_iter()
            .map(|(p, c)| (p.into(), c.into()))
            .collect();
        let mut skipped_dirs = BTreeSet::new();
        let mut listed = BTreeSet::new();
        for path in map.keys() {
            if !under_skipped(path, &mut skipped_dirs) {
                listed.insert(path.clone());
            }
        }
        RepoTree {
            files: listed,
            skipped_dirs,
            contents: Contents::Memory(map),
        }
    }

    /// Skipped folders the walk did not meet because .gitignore hides them (a gitignored
    /// `vendor` is still in the build context), looked up where services are: the root and
    /// its first-level folders.
    fn record_skipped_on_disk(&mut self, root: &Path) {
        let mut dirs: BTreeSet<String> = BTreeSet::from([String::new()]);
        dirs.extend(self.child_dirs("."));
        for dir in dirs {
            for name in SKIPPED_DIRS {
                let rel = join(&dir, name);
                if root.join(&rel).is_dir() {
                    self.skipped_dirs.insert(rel);
                }
            }
        }
    }

    pub fn exists(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// True when `path` is a folder that exists but was not walked (e.g. `vendor`).
    pub fn has_skipped_dir(&self, path: &str) -> bool {
        self.skipped_dirs.contains(path)
    }

    /// Every listed file, sorted.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    /// Files under `dir` (`.` or `""` for the root), at any depth, sorted.
    pub fn files_under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let prefix = if dir.is_empty() || dir == "." {
            String::new()
        } else {
            format!("{dir}/")
        };
        self.files
            .range(prefix.clone()..)
            .take_while(move |f| f.starts_with(&prefix))
            .map(String::as_str)
    }

    /// Immediate sub-folders of `dir` that hold at least one listed file.
    pub fn child_dirs(&self, dir: &str) -> BTreeSet<String> {
        let base = if dir == "." { "" } else { dir };
        self.files_under(base)
            .filter_map(|f| {
                let rest = if base.is_empty() {
                    f
                } else {
                    &f[base.len() + 1..]
                };
                rest.split_once('/').map(|(first, _)| join(base, first))
            })
            .collect()
    }

    /// The folders a workspace pattern names, each segment a folder name or `*` (any one
    /// folder that holds files): `apps/*`, `libs/*/*`, `backend`. None for patterns with
    /// other globs, `..` or nothing in them.
    pub fn folders_matching(&self, pattern: &str) -> Option<Vec<String>> {
        let segments: Vec<&str> = pattern.split('/').collect();
        let followed = !pattern.is_empty()
            && segments
                .iter()
                .all(|s| *s == "*" || (!s.contains('*') && *s != ".." && !s.is_empty()));
        if !followed {
            return None;
        }
        let mut found: Vec<String> = vec![".".to_string()];
        for segment in segments {
            found = found
                .iter()
                .flat_map(|dir| match segment {
                    "*" => self.child_dirs(dir).into_iter().collect::<Vec<_>>(),
                    name => vec![join(dir, name)],
                })
                .collect();
        }
        Some(found)
    }

    /// Reads a listed file as UTF-8 text.
    pub fn read_text(&self, path: &str) -> Result<String> {
        let bytes = self.read_bytes(path)?;
        String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            Error::invalid_input(
                path,
                Some(Position::of_offset(&text, valid)),
                "not valid UTF-8 text; expected a UTF-8 encoded file",
            )
        })
    }

    fn read_bytes(&self, path: &str) -> Result<Vec<u8>> {
        match &self.contents {
            Contents::Memory(map) => map
                .get(path)
                .cloned()
                .ok_or_else(|| Error::io(path, "cannot read", not_found())),
            Contents::Disk(root) => {
                let full = root.join(path);
                let meta = std::fs::symlink_metadata(&full)
                    .map_err(|e| Error::io(path, "cannot read", e))?;
                if meta.file_type().is_symlink() {
                    return Err(Error::invalid_input(
                        path,
                        None,
                        "is a symbolic link; dockgen does not follow links, expected a regular file",
                    ));
                }
                if meta.len() > MAX_READ_BYTES {
                    return Err(Error::invalid_input(
                        path,
                        None,
                        format!(
                            "is {} bytes; expected a manifest under {} bytes",
                            meta.len(),
                            MAX_READ_BYTES
                        ),
                    ));
                }
                std::fs::read(&full).map_err(|e| Error::io(path, "cannot read", e))
            }
        }
    }
}

fn not_found() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")
}

/// True when any component of `path` (other than the file name) is a skipped folder; the
/// skipped folder is recorded.
fn under_skipped(path: &str, skipped: &mut BTreeSet<String>) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    for i in 0..parts.len().saturating_sub(1) {
        if SKIPPED_DIRS.contains(&parts[i]) {
            skipped.insert(parts[..=i].join("/"));
            return true;
        }
    }
    false
}

fn to_slash(rel: &Path) -> Option<String> {
    let mut out = String::new();
    for comp in rel.components() {
        let s = comp.as_os_str().to_str()?;
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(s);
    }
    Some(out)
}

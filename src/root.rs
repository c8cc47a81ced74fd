//! Which folder is the repository when no path is given: from the current folder upwards to
//! the nearest `dockgen.toml`, else to the nearest `.git`, else the current folder itself (as
//! git, cargo and uv find their roots). The result is relative to the current folder.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A repository root found from the current folder, and what marked it.
pub struct Discovered {
    pub path: PathBuf,
    /// `dockgen.toml` or `.git`; None when the current folder is taken as it is.
    pub marker: Option<&'static str>,
}

/// The repository root: the one named on the command line, else the one found from the
/// current folder, said on stderr when it is not the current folder.
pub fn resolve(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        crate::printer::set_root(path);
        return Ok(path.to_path_buf());
    }
    let found = discover()?;
    if let (Some(marker), false) = (found.marker, found.path == Path::new(".")) {
        crate::printer::message(&format!(
            "dockgen: repository root {} (the nearest folder with {marker}; --root or PATH chooses another)",
            found.path.display()
        ));
    }
    crate::printer::set_root(&found.path);
    Ok(found.path)
}

/// Looks upwards from the current folder.
pub fn discover() -> Result<Discovered> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(PathBuf::from("."), "cannot read the current folder", e))?;
    Ok(discover_from(&cwd))
}

/// Looks upwards from `start`; the path is `.` or `..`-steps from it.
pub fn discover_from(start: &Path) -> Discovered {
    for marker in [crate::project_file::FILE_NAME, ".git"] {
        let mut dir = start;
        let mut up = 0;
        loop {
            if dir.join(marker).exists() {
                let path = if up == 0 {
                    PathBuf::from(".")
                } else {
                    (0..up).map(|_| "..").collect()
                };
                return Discovered {
                    path,
                    marker: Some(marker),
                };
            }
            let Some(parent) = dir.parent() else { break };
            dir = parent;
            up += 1;
        }
    }
    Discovered {
        path: PathBuf::from("."),
        marker: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockgen_toml_wins_over_git_and_the_nearest_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path();
        std::fs::create_dir_all(top.join(".git")).unwrap();
        std::fs::create_dir_all(top.join("services/api/src")).unwrap();
        let found = discover_from(&top.join("services/api/src"));
        assert_eq!(
            (found.path, found.marker),
            (PathBuf::from("../../.."), Some(".git"))
        );
        std::fs::write(top.join("services/dockgen.toml"), "").unwrap();
        let found = discover_from(&top.join("services/api/src"));
        assert_eq!(
            (found.path, found.marker),
            (PathBuf::from("../.."), Some("dockgen.toml"))
        );
        let here = discover_from(&top.join("services"));
        assert_eq!(here.path, PathBuf::from("."));
    }
}

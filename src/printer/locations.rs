//! Locations as the user reaches them: errors and warnings name repository paths, printed from
//! the current folder (`app/package.json:4:1` for `dockgen generate app`), so that they open as
//! printed.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository root as the user reaches it from the current folder (`app`, `..`): locations
/// in errors and warnings are printed from there, so that they can be opened as printed.
static ROOT: OnceLock<PathBuf> = OnceLock::new();

pub fn set_root(root: &Path) {
    let _ = ROOT.set(root.to_path_buf());
}

/// `location` (`path`, `path:line[:column]`, a service folder), relative to the repository
/// root, as seen from the current folder. Anything that is not a file or folder of the
/// repository (`preset node`, `--set`) is left as it is.
pub fn from_cwd(location: &str) -> String {
    let Some(root) = ROOT
        .get()
        .filter(|r| *r != Path::new(".") && !r.as_os_str().is_empty())
    else {
        return location.to_string();
    };
    let (path, rest) = match location.find(':') {
        Some(i) if location[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => {
            location.split_at(i)
        }
        _ => (location, ""),
    };
    if Path::new(path).is_absolute() || !root.join(path).exists() {
        return location.to_string();
    }
    let root = root.to_string_lossy();
    let root = root.trim_end_matches('/');
    let root = root.strip_prefix("./").unwrap_or(root);
    match path {
        "." => format!("{root}{rest}"),
        _ => format!("{root}/{path}{rest}"),
    }
}

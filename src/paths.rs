//! Repository paths as every module writes them: `/`-separated, relative to the root, `.` for
//! the root itself. At the bottom of the module graph, so detectors, planning and rendering can
//! share them without reaching into the tree walker.

/// Joins a folder (`""` or `.` for the root) and a name into a repository path.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `path` (a repository path) relative to the service folder `dir`; the inverse of `join`.
pub fn relative(dir: &str, path: &str) -> String {
    if dir == "." || dir.is_empty() {
        path.to_string()
    } else {
        path.strip_prefix(&format!("{dir}/"))
            .unwrap_or(path)
            .to_string()
    }
}

/// A repository path with `.` and `..` segments resolved (`a/b/../c` → `a/c`; `.` for the
/// root). A `..` above the root is dropped.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

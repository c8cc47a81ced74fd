//! One module per subcommand; each runs the pipeline steps it needs and returns the exit code.

pub mod detect;
pub mod generate;
pub mod presets;

use crate::error::Result;
use crate::facts::Facts;
use crate::repo::RepoTree;
use std::path::Path;

/// Walks and detects the repository at `root`.
pub fn detect_repo(root: &Path) -> Result<Facts> {
    let tree = RepoTree::walk(root)?;
    crate::detect::detect(&tree, root)
}

//! One module per subcommand; each runs the pipeline steps it needs and returns the exit code.

pub mod detect;
pub mod docs;
pub mod generate;
pub mod init;
pub mod presets;
pub mod resolve;
pub mod verify;

use crate::error::Result;
use crate::facts::Facts;
use crate::repo::RepoTree;
use std::path::Path;

/// Walks and detects the repository at `root`.
pub fn detect_repo(root: &Path) -> Result<Facts> {
    let tree = RepoTree::walk(root)?;
    crate::detect::detect(&tree, root)
}

/// Renders every file of `plan`, and the dockgen.toml that records it.
pub fn render_all(
    root: &Path,
    plan: &crate::plan::Plan,
    presets: &crate::preset::Presets,
    project: &crate::project_file::ProjectFile,
) -> Result<Vec<crate::render::RenderedFile>> {
    let mut rendered = crate::render::Renderer::new(Some(root))?.render(plan, presets)?;
    rendered.push(crate::render::RenderedFile {
        path: crate::project_file::FILE_NAME.to_string(),
        content: project.updated_text(&plan.record),
        kind: crate::render::FileKind::Settings,
    });
    Ok(rendered)
}

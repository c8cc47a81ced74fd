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

/// The plan for the repository at `root`, written to the compose file it already uses.
pub fn plan_for(
    root: &Path,
    facts: &Facts,
    presets: &crate::preset::Presets,
    project: &crate::project_file::ProjectFile,
    preset_flag: Option<&str>,
    overrides: &[crate::answers::Override],
) -> Result<crate::plan::Plan> {
    let mut plan = crate::plan::build(facts, presets, project, preset_flag, overrides)?;
    let (compose_file, warning) = crate::compose_file::target(root);
    plan.compose_file = compose_file;
    if let (Some(warning), Some(first)) = (warning, plan.services.first_mut()) {
        first.warnings.push(warning);
    }
    Ok(plan)
}

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

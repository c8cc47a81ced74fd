//! One module per subcommand; each runs the pipeline steps it needs and returns the exit code.

pub mod audit;
pub mod detect;
pub mod docs;
pub mod generate;
pub mod init;
pub mod presets;
pub mod report;
pub mod resolve;
pub mod verify;

use crate::error::Result;
use crate::facts::Facts;
use crate::repo::RepoTree;
use crate::warning::Warning;
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
    let folder = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let mut plan = crate::plan::build(
        facts,
        presets,
        project,
        preset_flag,
        overrides,
        folder.as_deref(),
    )?;
    let (compose_file, warning) = crate::compose_file::target(root);
    plan.compose_file = compose_file;
    if let (Some(warning), Some(first)) = (warning, plan.services.first_mut()) {
        first.warnings.push(warning);
    }
    Ok(plan)
}

/// Walks and detects the repository at `root`, each service as a project of the stack its
/// chosen preset serves (`preset_flag` for a repository of one service, else the preset
/// dockgen.toml records): a folder that is also another stack's project is detected again as
/// that stack's, so no fact of the stack detection preferred leaks into the preset's answers.
pub fn detect_for(
    root: &Path,
    presets: &crate::preset::Presets,
    project: &crate::project_file::ProjectFile,
    preset_flag: Option<&str>,
) -> Result<Facts> {
    let tree = RepoTree::walk(root)?;
    let mut facts = crate::detect::detect(&tree, root)?;
    let single = facts.services.len() == 1;
    for service in &mut facts.services {
        let (name, source) = match (
            preset_flag.filter(|_| single),
            project.service(&service.path),
        ) {
            (Some(flag), _) => (flag, "--preset"),
            (None, Some(entry)) => match entry.preset.as_ref().and_then(|p| p.value.as_str()) {
                Some(recorded) => (recorded, crate::project_file::FILE_NAME),
                None => continue,
            },
            (None, None) => continue,
        };
        let Ok(preset) = presets.get(name) else {
            continue; // selection reports an unknown preset with the list of known ones
        };
        let Some(language) = crate::facts::Language::from_name(&preset.language) else {
            continue;
        };
        if language == service.language {
            continue;
        }
        *service = match crate::detect::detect_as(&tree, &service.path, language)? {
            Some(again) => again,
            None => {
                // Nothing of the other stack is carried over: every answer comes from --set,
                // dockgen.toml or the preset's defaults.
                let mut bare = crate::facts::ServiceFacts::new(&service.path, language);
                bare.warnings.push(Warning::new("preset-stack-mismatch", format!(
                    "{source} {name}: {} is not a {} project (no {} there), so nothing was detected for it; every answer comes from --set, dockgen.toml or the preset's defaults",
                    service.path,
                    language.name(),
                    crate::detect::manifests_of(language),
                )));
                bare
            }
        };
    }
    Ok(facts)
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
        content: project.updated_text(&plan.record, plan.record_project.as_deref()),
        kind: crate::render::FileKind::Settings,
    });
    Ok(rendered)
}

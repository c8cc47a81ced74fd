//! `dockgen resolve FILE...`: the user merged a conflict by hand; record their file as the
//! accepted version of what dockgen renders now, so the next `generate` keeps it and merges
//! later changes into it (as `git add` marks a merge resolved).

use crate::changes::{conflict_marker_line, Change, Status};
use crate::cli::ResolveArgs;
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer;
use crate::render::FileKind;
use crate::settings::Settings;

pub fn run(args: &ResolveArgs) -> Result<ExitStatus> {
    let settings = Settings::for_resolve(args.root.as_deref())?;
    let root = &settings.root;
    let presets = crate::preset::Presets::load(Some(root))?;
    let facts = super::detect_for(root, &presets, &settings.project, None)?;
    let plan = super::plan_for(root, &facts, &presets, &settings.project, None, &[])?;
    let rendered = super::render_all(root, &plan, &presets, &settings.project)?;
    let mut accepted = Vec::new();
    for file in &args.files {
        let path = crate::settings::repository_path(root, file)?;
        let Some(render) = rendered
            .iter()
            .find(|r| r.path == path && r.kind == FileKind::Generated)
        else {
            let written: Vec<&str> = rendered
                .iter()
                .filter(|r| r.kind == FileKind::Generated)
                .map(|r| r.path.as_str())
                .collect();
            return Err(Error::Usage(format!(
                "{path}: not a file dockgen generates here; expected one of {}",
                written.join(", ")
            )));
        };
        let on_disk = std::fs::read_to_string(root.join(&path))
            .map_err(|e| Error::io(root.join(&path), "cannot read", e))?;
        if let Some(line) = conflict_marker_line(&on_disk) {
            return Err(Error::Usage(format!(
                "{path}:{line}: a conflict marker is still there; expected the file as you want it, without <<<<<<< ======= >>>>>>> lines"
            )));
        }
        accepted.push(Change {
            path: path.clone(),
            status: Status::Update,
            reason: Some("resolved by hand".into()),
            diff: String::new(),
            new: on_disk,
            rendered: render.content.clone(),
            write: true,
            kind: FileKind::Generated,
        });
    }
    crate::apply::apply(root, &accepted)?;
    for change in &accepted {
        printer::message(&format!(
            "resolved {}: kept as it is; `dockgen generate` now merges later changes into it",
            change.path
        ));
    }
    Ok(ExitStatus::Success)
}

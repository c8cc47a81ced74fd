//! `dockgen generate`: detect, plan, render, compare with disk, then print or write.

use crate::changes::{self, Status};
use crate::cli::GenerateArgs;
use crate::error::Result;
use crate::plan;
use crate::preset::Presets;
use crate::printer;
use crate::settings::{Mode, Settings};

pub fn run(args: &GenerateArgs) -> Result<i32> {
    let settings = Settings::resolve(args)?;
    let root = &settings.root;
    let facts = super::detect_repo(root)?;
    let presets = Presets::load(Some(root))?;
    let plan = plan::build(
        &facts,
        &presets,
        &settings.project,
        settings.preset.as_deref(),
        &settings.overrides,
    )?;
    let warnings: Vec<String> = plan
        .services
        .iter()
        .flat_map(|s| s.warnings.iter().cloned())
        .collect();
    printer::warnings(&warnings);
    printer::explain(&plan);
    if settings.mode == Mode::Plan {
        printer::json(&plan);
        return Ok(0);
    }

    let rendered = super::render_all(root, &plan, &presets, &settings.project)?;
    if settings.mode == Mode::Stdout {
        printer::rendered(&rendered);
        return Ok(0);
    }

    let changes = changes::compute(root, &rendered, settings.conflicts)?;
    let pending = changes.iter().any(|c| c.status != Status::Identical);
    let unresolved = changes
        .iter()
        .any(|c| c.status == Status::Conflict && !c.write);
    match settings.mode {
        Mode::Diff => {
            printer::report(&changes, settings.format, true);
            Ok(0)
        }
        Mode::Check => {
            printer::report(&changes, settings.format, pending);
            if pending {
                printer::message(
                    "dockgen: generated files are out of date; run `dockgen generate`",
                );
            }
            Ok(i32::from(pending))
        }
        _ => {
            crate::apply::apply(root, &changes)?;
            printer::report(&changes, settings.format, unresolved);
            if unresolved {
                printer::message("dockgen: files with conflicting hand edits were left as they are; resolve them, or re-run with --force (overwrite) or --merge=markers");
            }
            Ok(i32::from(unresolved))
        }
    }
}

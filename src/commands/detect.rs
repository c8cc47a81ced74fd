//! `dockgen detect`: facts with evidence, and the preset each service would use.

use crate::cli::{DetectArgs, DetectFormat};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::facts::Facts;
use crate::preset::{select::select, Presets};
use crate::printer;
use crate::settings::read_project_file;
use crate::warning::Warning;

pub fn run(args: &DetectArgs) -> Result<ExitStatus> {
    let root = crate::root::resolve(args.location.explicit())?;
    let presets = Presets::load(Some(&root))?;
    let project = read_project_file(&root)?;
    let mut facts: Facts = match super::detect_for(&root, &presets, &project, None) {
        Ok(facts) => facts,
        // A script reading stdout still gets a document: no services, and why.
        Err(e @ Error::NothingDetected { .. }) if matches!(args.format, DetectFormat::Json) => {
            printer::json(&serde_json::json!({ "services": [], "error": e.to_string() }));
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    for service in &mut facts.services {
        let recorded = project
            .service(&service.path)
            .and_then(|e| e.preset.as_ref())
            .and_then(|p| p.value.as_str());
        match select(&presets, service, None, recorded) {
            Ok(selection) => {
                service.preset = Some(selection.preset);
                service.preset_reason = Some(selection.reason);
            }
            Err(e) => service
                .warnings
                .push(Warning::new("no-preset", e.to_string())),
        }
    }
    match args.format {
        DetectFormat::Json => printer::json(&facts),
        DetectFormat::Text => printer::detect_text(&facts.services),
    }
    Ok(ExitStatus::Success)
}

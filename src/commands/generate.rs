//! `dockgen generate`: detect, plan, render, compare with disk, then print or write.

use crate::answers::Origin;
use crate::changes::{self, Status};
use crate::cli::{GenerateArgs, ReportFormat};
use crate::error::Error;
use crate::error::Result;
use crate::exit_status::ExitStatus;
use crate::facts::{Facts, Language, ServiceFacts};
use crate::plan;
use crate::preset::Presets;
use crate::printer;
use crate::project_file::{ProjectFile, FILE_NAME};
use crate::settings::{Mode, Settings};
use crate::warning::Warning;

pub fn run(args: &GenerateArgs) -> Result<ExitStatus> {
    let settings = Settings::resolve(args)?;
    let root = &settings.root;
    let presets = Presets::load(Some(root))?;
    let facts = if settings.detect {
        super::detect_for(
            root,
            &presets,
            &settings.project,
            settings.preset.as_deref(),
        )?
    } else {
        recorded_services(&settings.project, &presets)?
    };
    let mut plan = super::plan_for(
        root,
        &facts,
        &presets,
        &settings.project,
        settings.preset.as_deref(),
        &settings.overrides,
    )
    .inspect_err(|_| printer::warnings(&facts.warnings()))?;
    if settings.record_all {
        record_detected(&mut plan);
    }
    let warnings: Vec<Warning> = plan
        .services
        .iter()
        .flat_map(|s| s.warnings.iter().cloned())
        .collect();
    printer::warnings(&warnings);
    printer::explain(&plan);
    if settings.mode == Mode::Plan {
        match settings.format {
            ReportFormat::Text => printer::plan_text(&plan),
            ReportFormat::Json => printer::json(&plan),
            ReportFormat::Markdown => {
                return Err(Error::Usage(
                    "--plan prints text, or JSON with --format json; markdown is for the --check report".into(),
                ))
            }
        }
        return Ok(ExitStatus::Success);
    }

    let rendered = super::render_all(root, &plan, &presets, &settings.project)?;
    if settings.mode == Mode::Stdout {
        printer::rendered(&rendered);
        return Ok(ExitStatus::Success);
    }

    let changes = changes::compute(root, &rendered, settings.conflicts)?;
    let pending = changes.iter().any(|c| c.status != Status::Identical);
    let unresolved = changes
        .iter()
        .any(|c| c.status == Status::Conflict && !c.write);
    match settings.mode {
        Mode::Diff => {
            printer::diff_only(&changes, settings.format);
            Ok(ExitStatus::Success)
        }
        Mode::Check => {
            printer::report(&changes, settings.format, pending);
            if pending {
                printer::message(
                    "dockgen: generated files are out of date; run `dockgen generate`",
                );
            }
            Ok(ExitStatus::pending_if(pending))
        }
        _ if unresolved => {
            // The files of one render are one change: a Dockerfile left as it was beside a
            // compose.yaml written for the new one would not build. Write none of them.
            printer::report(&changes, settings.format, true);
            let conflicts: Vec<&str> = changes
                .iter()
                .filter(|c| c.status == Status::Conflict)
                .map(|c| c.path.as_str())
                .collect();
            printer::failure(&format!(
                "dockgen: nothing was written: {} conflict{} with hand edits. Merge dockgen's changes shown above into {} and run `dockgen resolve {}`, or re-run with --force (overwrite) or --merge=markers (write conflict markers)",
                conflicts.join(", "),
                if conflicts.len() == 1 { "s" } else { "" },
                if conflicts.len() == 1 { "it" } else { "them" },
                conflicts.join(" ")
            ));
            Ok(ExitStatus::Pending)
        }
        _ => {
            crate::apply::apply(root, &changes)?;
            printer::report(&changes, settings.format, false);
            Ok(ExitStatus::Success)
        }
    }
}

/// The services dockgen.toml names, with no detected facts: answers come from the file and the
/// presets' defaults only (`--no-detect`).
fn recorded_services(project: &ProjectFile, presets: &Presets) -> Result<Facts> {
    let mut services = Vec::new();
    for (path, entry) in &project.services {
        let Some(name) = entry.preset.as_ref().and_then(|p| p.value.as_str()) else {
            return Err(Error::invalid_settings(
                FILE_NAME,
                None,
                format!("[service.\"{path}\"] names no preset; --no-detect needs one per service"),
            ));
        };
        let preset = presets.get(name)?;
        let language = Language::from_name(&preset.language).ok_or_else(|| {
            Error::invalid_settings(
                format!("preset {name}"),
                None,
                format!("unknown language '{}'", preset.language),
            )
        })?;
        services.push(ServiceFacts::new(path.clone(), language));
    }
    if services.is_empty() {
        return Err(Error::Usage(format!(
            "--no-detect renders from {FILE_NAME}, which records no service; run `dockgen generate --record-all` once first"
        )));
    }
    Ok(Facts { services })
}

/// Adds every detected answer to what dockgen.toml records (`--record-all`).
fn record_detected(plan: &mut plan::Plan) {
    for service in &plan.services {
        let keys = plan.record.entry(service.path.clone()).or_default();
        keys.insert("name".into(), toml::Value::String(service.name.clone()));
        for (key, answer) in &service.answers {
            if answer.origin == Origin::Detected {
                if let Ok(value) = toml::Value::try_from(&answer.value) {
                    keys.insert(key.clone(), value);
                }
            }
        }
    }
}

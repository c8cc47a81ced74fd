//! `dockgen init`: the wizard. It shows what was detected with its evidence, asks only what
//! matters (each question pre-filled with the detected or recorded value), shows a per-file
//! summary and, on request, the diffs, then writes. It fills answers for the same pipeline as
//! `generate`; it never prompts without a terminal.

use crate::answers::{self, Origin, Override};
use crate::changes::{self, ConflictPolicy, Status};
use crate::cli::{InitArgs, ReportFormat};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::facts::ServiceFacts;
use crate::preset::{select::select, Presets};
use crate::printer;
use crate::project_file::{ProjectFile, Recorded};
use crate::prompt::{AcceptDefaults, Prompter, Terminal};
use crate::settings::read_project_file;
use serde_json::Value;
use std::io::IsTerminal;

/// The answers the wizard asks about, in order, when the preset has them.
const QUESTIONS: &[&str] = &[
    "version",
    "package_manager",
    "build",
    "start",
    "port",
    "health",
    "runtime",
];

pub fn run(args: &InitArgs) -> Result<ExitStatus> {
    if !args.yes && !std::io::stdin().is_terminal() {
        printer::message("dockgen init asks questions and needs a terminal; without one use `dockgen generate`, or `dockgen init --yes` to accept every default");
        return Ok(ExitStatus::Usage);
    }
    let mut prompter: Box<dyn Prompter> = if args.yes {
        Box::new(AcceptDefaults)
    } else {
        Box::new(Terminal::new())
    };
    wizard(args, prompter.as_mut())
}

/// The wizard with any prompter (tests script it).
pub fn wizard(args: &InitArgs, prompter: &mut dyn Prompter) -> Result<ExitStatus> {
    let root = &crate::root::resolve(args.location.explicit())?;
    let presets = Presets::load(Some(root))?;
    let mut project = read_project_file(root)?;
    let facts = super::detect_for(root, &presets, &project, None)?;
    if args.no_comments {
        project.comments = Some(false);
    }
    let mut overrides = args
        .set
        .iter()
        .map(|s| Override::parse_flag(s))
        .collect::<Result<Vec<_>>>()?;
    if !args.yes {
        printer::detect_text(&facts.services);
    }

    for service in &facts.services {
        let preset_name = ask_preset(prompter, &presets, service, &project, args)?;
        record_preset(&mut project, &service.path, &preset_name);
        let preset = presets.get(&preset_name)?;
        let mine: Vec<Override> = overrides
            .iter()
            .filter(|o| o.service.as_deref().is_none_or(|s| s == service.path))
            .cloned()
            .collect();
        let current = answers::resolve(preset, service, project.service(&service.path), &mine)?;
        for key in QUESTIONS {
            let (Some(spec), Some(answer)) = (preset.answers.get(*key), current.get(*key)) else {
                continue;
            };
            if answer.origin == Origin::Flag {
                continue;
            }
            let shown = show_value(&answer.value);
            let prompt = format!("{} {key}: {}", label(&service.path), spec.help);
            let reply = if spec.choices.is_empty() {
                prompter.input(&prompt, &shown)?
            } else {
                let default = spec.choices.iter().position(|c| *c == shown).unwrap_or(0);
                let i = prompter.select(&prompt, &spec.choices, default)?;
                spec.choices[i].clone()
            };
            if reply.trim() != shown {
                overrides.push(Override {
                    service: Some(service.path.clone()),
                    key: key.to_string(),
                    raw: reply.trim().to_string(),
                    origin: Origin::Wizard,
                });
            }
        }
    }

    let plan = super::plan_for(root, &facts, &presets, &project, None, &overrides)?;
    printer::explain(&plan);
    printer::warnings(
        &plan
            .services
            .iter()
            .flat_map(|s| s.warnings.clone())
            .collect::<Vec<_>>(),
    );
    let rendered = super::render_all(root, &plan, &presets, &project)?;
    let policy = if args.force {
        ConflictPolicy::Overwrite
    } else {
        ConflictPolicy::Keep
    };
    let all = changes::compute(root, &rendered, policy)?;
    let names: Vec<String> = all.iter().map(|c| c.path.clone()).collect();
    let wanted = prompter.choose_many("Files to write", &names)?;
    let mut chosen: Vec<_> = all
        .into_iter()
        .zip(wanted)
        .filter_map(|(c, keep)| keep.then_some(c))
        .collect();
    let actions = [
        "write these files".to_string(),
        "show the diffs".to_string(),
        "quit without writing".to_string(),
    ];
    loop {
        printer::report(&chosen, ReportFormat::Text, false);
        match prompter.select("Write?", &actions, 0)? {
            0 => break,
            1 => printer::report(&chosen, ReportFormat::Text, true),
            _ => return Err(Error::Cancelled("quit".into())),
        }
    }
    // A conflict is settled file by file; one left unsettled means nothing is written.
    let settle = [
        "keep my file: write nothing".to_string(),
        "overwrite it with dockgen's version".to_string(),
        "write it with conflict markers to merge by hand".to_string(),
    ];
    for change in chosen.iter_mut() {
        if change.status != Status::Conflict || change.write {
            continue;
        }
        let why = change.reason.clone().unwrap_or_default();
        let policy =
            match prompter.select(&format!("{} conflicts ({why})", change.path), &settle, 0)? {
                1 => ConflictPolicy::Overwrite,
                2 => ConflictPolicy::Markers,
                _ => continue,
            };
        if let Some(file) = rendered.iter().find(|r| r.path == change.path) {
            if let Some(settled) = changes::compute(root, std::slice::from_ref(file), policy)?.pop()
            {
                *change = settled;
            }
        }
    }
    if chosen
        .iter()
        .any(|c| c.status == Status::Conflict && !c.write)
    {
        printer::report(&chosen, ReportFormat::Text, true);
        printer::failure("dockgen: nothing was written: a file conflicts with hand edits; settle it in the wizard, run `dockgen resolve FILE` after merging it by hand, or use --force");
        return Ok(ExitStatus::Pending);
    }

    crate::apply::apply(root, &chosen)?;
    printer::message("next: docker compose up --build --wait");
    Ok(ExitStatus::Success)
}

fn ask_preset(
    prompter: &mut dyn Prompter,
    presets: &Presets,
    service: &ServiceFacts,
    project: &ProjectFile,
    args: &InitArgs,
) -> Result<String> {
    let recorded = project
        .service(&service.path)
        .and_then(|e| e.preset.as_ref())
        .and_then(|p| p.value.as_str());
    let chosen = select(presets, service, args.preset.as_deref(), recorded)?;
    if args.preset.is_some() {
        return Ok(chosen.preset);
    }
    let names: Vec<String> = presets.all.keys().cloned().collect();
    let default = names.iter().position(|n| *n == chosen.preset).unwrap_or(0);
    let i = prompter.select(&format!("{} preset", label(&service.path)), &names, default)?;
    Ok(names[i].clone())
}

fn record_preset(project: &mut ProjectFile, path: &str, preset: &str) {
    let entry = project.services.entry(path.to_string()).or_default();
    let position = entry.preset.as_ref().map(|p| p.position);
    entry.preset = Some(Recorded {
        value: toml::Value::String(preset.to_string()),
        position: position.unwrap_or(crate::error::Position { line: 1, column: 1 }),
    });
}

fn label(path: &str) -> String {
    if path == "." {
        "[.]".to_string()
    } else {
        format!("[{path}]")
    }
}

/// An answer as the text the user edits: commands as shell words, null as empty.
fn show_value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => shell_words::join(items.iter().filter_map(Value::as_str)),
        other => other.to_string(),
    }
}

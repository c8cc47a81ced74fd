//! `dockgen init`: the wizard. It shows what was detected with its evidence, asks only what
//! matters (each question pre-filled with the detected or recorded value), shows a per-file
//! summary and, on request, the diffs, then writes. It fills answers for the same pipeline as
//! `generate`; it never prompts without a terminal.

use crate::answer_value;
use crate::answers::{self, Origin, Override};
use crate::changes::{self, ConflictPolicy, Status};
use crate::cli::{InitArgs, ReportFormat};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::facts::ServiceFacts;
use crate::outputs::Output;
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
    crate::settings::add_outputs(&mut project, &args.with)?;
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
        for key in QUESTIONS {
            // Each question shows the value the plan would use with the answers so far (a
            // release with no distroless image has been moved to slim, say).
            let planned = super::plan_for(root, &facts, &presets, &project, None, &overrides)
                .ok()
                .and_then(|p| p.services.into_iter().find(|s| s.path == service.path));
            let current = match planned {
                Some(plan) => plan.answers,
                None => answers::resolve(preset, service, project.service(&service.path), &mine)?,
            };
            let (Some(spec), Some(answer)) = (preset.answers.get(*key), current.get(*key)) else {
                continue;
            };
            if answer.origin == Origin::Flag {
                continue;
            }
            let shown = show_value(&answer.value);
            let origin = origin_note(answer);
            let prompt = format!("{} {key}: {} ({origin})", label(&service.path), spec.help);
            // An answer is checked as it is given: by its type, then by planning with it (a
            // port the source fixes, a version outside the project's range, distroless for a
            // release that has none), and asked again when it does not hold.
            let mut check = |reply: &str| -> std::result::Result<(), String> {
                if reply.trim() == shown {
                    return Ok(());
                }
                let value = answer_value::parse_raw(spec, reply.trim())?;
                answer_value::check(spec, value)?;
                let mut trial = overrides.clone();
                trial.push(wizard_answer(&service.path, key, reply));
                super::plan_for(root, &facts, &presets, &project, None, &trial)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            };
            let reply = if spec.choices.is_empty() {
                prompter.input(&prompt, &shown, &mut check)?
            } else {
                let items: Vec<String> = spec
                    .choices
                    .iter()
                    .map(|c| match *c == shown {
                        true => format!("{c} ({origin})"),
                        false => c.clone(),
                    })
                    .collect();
                let default = spec.choices.iter().position(|c| *c == shown).unwrap_or(0);
                loop {
                    let choice = spec.choices[prompter.select(&prompt, &items, default)?].clone();
                    match check(&choice) {
                        Ok(()) => break choice,
                        Err(why) => printer::failure(&format!(
                            "  not accepted: {why}; choose again (Escape cancels)"
                        )),
                    }
                }
            };
            if reply.trim() != shown {
                overrides.push(wizard_answer(&service.path, key, &reply));
            }
        }
    }

    // Files beyond the default three, each opt-in (space toggles one).
    let optional: Vec<Output> = Output::ALL
        .into_iter()
        .filter(|o| !project.outputs.contains(o))
        .collect();
    if !optional.is_empty() && !args.yes {
        let items: Vec<String> = optional
            .iter()
            .map(|o| format!("{}: {}", o.name(), o.describe()))
            .collect();
        let picked = prompter.choose_many(
            "Also write (space to choose)",
            &items,
            &vec![false; items.len()],
        )?;
        for (output, yes) in optional.into_iter().zip(picked) {
            if yes {
                project.outputs.push(output);
            }
        }
        project.outputs.sort();
    }
    let plan = super::plan_for(root, &facts, &presets, &project, None, &overrides)
        .inspect_err(|_| printer::warnings(&facts.warnings()))?;
    printer::explain(&plan);
    // The summary showed detection's warnings before the questions; after them only what is
    // new is shown (a warning about a question answered by hand is gone from the plan).
    let shown = facts.warnings();
    printer::warnings(
        &plan
            .services
            .iter()
            .flat_map(|s| s.warnings.iter())
            .filter(|w| args.yes || !shown.contains(w))
            .cloned()
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
    let wanted = prompter.choose_many("Files to write", &names, &vec![true; names.len()])?;
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

fn wizard_answer(service: &str, key: &str, reply: &str) -> Override {
    Override {
        service: Some(service.to_string()),
        key: key.to_string(),
        raw: reply.trim().to_string(),
        origin: Origin::Wizard,
    }
}

/// Where the value a question shows came from, as the question says it.
fn origin_note(answer: &answers::Answer) -> String {
    match (answer.origin, &answer.source) {
        (Origin::Detected, Some(source)) => format!("detected from {source}"),
        (Origin::Detected, None) => "detected".into(),
        (Origin::ProjectFile, _) => "recorded in dockgen.toml".into(),
        _ => "default".into(),
    }
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
    let mark = match recorded {
        Some(_) => "recorded in dockgen.toml",
        None => "detected",
    };
    let items: Vec<String> = names
        .iter()
        .map(|n| match *n == chosen.preset {
            true => format!("{n} ({mark})"),
            false => n.clone(),
        })
        .collect();
    let i = prompter.select(&format!("{} preset", label(&service.path)), &items, default)?;
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

//! `dockgen completions SHELL` and `dockgen man`: generated from the clap definitions, so they
//! never drift from the real command line.

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer;
use clap::builder::PossibleValuesParser;
use clap::CommandFactory;

/// The subcommands whose `--preset` takes a preset name.
const PRESET_COMMANDS: &[&str] = &["generate", "init"];

pub fn completions(shell: clap_complete::Shell) -> Result<ExitStatus> {
    let mut command = Cli::command();
    // The script offers the embedded presets' names for --preset; parsing stays open to the
    // repository's own presets (a did-you-mean error names the known ones).
    let names: Vec<String> = crate::preset::Presets::load(None)?
        .all
        .keys()
        .cloned()
        .collect();
    for sub in PRESET_COMMANDS {
        let names = names.clone();
        command = command.mut_subcommand(*sub, |c| {
            c.mut_arg("preset", |a| {
                a.value_parser(PossibleValuesParser::new(names))
            })
        });
    }
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "dockgen", &mut script);
    printer::raw(&script);
    Ok(ExitStatus::Success)
}

/// One page for the whole tool: every command with its options in COMMANDS (there are no
/// per-command pages to refer to), then EXIT STATUS, ENVIRONMENT and FILES.
pub fn man() -> Result<ExitStatus> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    let failed = |e| Error::io("stdout", "cannot render the manual page", e);
    man.render_title(&mut page).map_err(failed)?;
    man.render_name_section(&mut page).map_err(failed)?;
    man.render_synopsis_section(&mut page).map_err(failed)?;
    man.render_description_section(&mut page).map_err(failed)?;
    man.render_options_section(&mut page).map_err(failed)?;
    let mut roff = String::from(".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        roff.push_str(&command_section(sub));
    }
    roff.push_str(".SH \"EXIT STATUS\"\n");
    for status in ExitStatus::ALL {
        roff.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            status.code(),
            escape(status.meaning())
        ));
    }
    roff.push_str(ENVIRONMENT_AND_FILES);
    page.extend_from_slice(roff.as_bytes());
    man.render_version_section(&mut page).map_err(failed)?;
    printer::raw(&page);
    Ok(ExitStatus::Success)
}

const ENVIRONMENT_AND_FILES: &str = r#".SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set and not empty, no colour is used (unless \fB\-\-color=always\fR).
.TP
\fBDOCKGEN_DOCKER\fR
The docker client \fBverify\fR runs (default \fBdocker\fR).
.TP
\fBDOCKGEN_COMPOSE\fR
The compose command \fBverify\fR runs (default \fBdocker compose\fR, then \fBdocker\-compose\fR).
.SH FILES
.TP
\fBdockgen.toml\fR
The answers that differ from detection, the preset of each service and the project name; found upwards from the current folder, as git finds its repository.
.TP
\fB.dockgen/last/\fR, \fB.dockgen/kept/\fR
What dockgen last rendered and the hand\-edited files it accepted, for three\-way merges; commit them with the generated files.
"#;

/// A subcommand as `.SS`: its synopsis, what it does, and each argument with its help.
fn command_section(sub: &clap::Command) -> String {
    let mut s = format!(".SS \"dockgen {}\"\n", sub.get_name());
    if let Some(about) = sub.get_long_about().or(sub.get_about()) {
        s.push_str(&format!("{}\n", escape(&about.to_string())));
    }
    for sub_sub in sub.get_subcommands().filter(|c| c.get_name() != "help") {
        let about = sub_sub
            .get_about()
            .map(|a| a.to_string())
            .unwrap_or_default();
        s.push_str(&format!(
            ".TP\n\\fB{} {}\\fR\n{}\n",
            escape(sub.get_name()),
            escape(sub_sub.get_name()),
            escape(&about)
        ));
    }
    for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
        let id = arg.get_id().as_str();
        if matches!(id, "help" | "version" | "quiet" | "color") {
            continue;
        }
        let value = match arg.get_action().takes_values() {
            false => String::new(),
            true => {
                let shown = arg.get_value_names().and_then(|v| v.first());
                format!(" <{}>", shown.map_or(id.to_uppercase(), |v| v.to_string()))
            }
        };
        let name = match (arg.get_short(), arg.get_long()) {
            (Some(short), Some(long)) => format!("\\-{short}, \\-\\-{long}"),
            (None, Some(long)) => format!("\\-\\-{}", escape(long)),
            (Some(short), None) => format!("\\-{short}"),
            (None, None) => String::new(),
        };
        let name = if name.is_empty() {
            format!("\\fI{}\\fR", escape(value.trim()))
        } else {
            format!("\\fB{name}\\fR{}", escape(&value))
        };
        let help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        let choices: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        let mut notes = Vec::new();
        if !choices.is_empty() && arg.get_action().takes_values() {
            notes.push(format!("one of: {}", choices.join(", ")));
        }
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() && arg.get_action().takes_values() {
            notes.push(format!("default: {}", defaults.join(", ")));
        }
        let notes = match notes.is_empty() {
            true => String::new(),
            false => format!(" [{}]", notes.join("; ")),
        };
        s.push_str(&format!(
            ".TP\n{name}\n{}{}\n",
            escape(&help),
            escape(&notes)
        ));
    }
    s
}

/// Text made safe for roff: backslashes and hyphens escaped, no line starting a request.
fn escape(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.replace('\\', "\\e").replace('-', "\\-");
            if line.starts_with('.') || line.starts_with('\'') {
                format!("\\&{line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_requests_and_backslashes_cannot_leak_from_help_text() {
        assert_eq!(escape(".hidden"), "\\&.hidden");
        assert_eq!(escape("a\\b-c"), "a\\eb\\-c");
    }
}

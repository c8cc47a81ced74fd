//! dockgen looks at a source repository and writes the container build an expert would write.
//!
//! Data flow, every step a value that can be printed or snapshotted:
//!
//! ```text
//! args + dockgen.toml ─► Settings                      (settings, project_file)
//! repo on disk        ─► RepoTree                      (repo: one walk)
//! RepoTree            ─► Facts with evidence           (detect: pure)
//! Facts + presets     ─► Selection                     (preset::select)
//! Selection + Settings─► Answers, tagged with origin   (answers)
//! Answers             ─► Plan                          (plan)
//! Plan                ─► RenderedFiles                 (render: the only Tera user)
//! RenderedFiles + disk─► Changes with diffs            (changes)
//! Changes             ─► files on disk                 (apply: the only writer)
//! ```
//!
//! Output goes through `printer` only; `commands` wire the steps together for each subcommand.

pub mod answer_value;
pub mod answers;
pub mod apply;
pub mod audit;
pub mod backing_plan;
pub mod changes;
pub mod cli;
pub mod commands;
pub mod compose_file;
pub mod detect;
pub mod error;
pub mod exit_status;
pub mod facts;
pub mod git_index;
pub mod header_version;
pub mod image_config;
pub mod kubernetes;
pub mod outputs;
pub mod paths;
pub mod plan;
pub mod port_answer;
pub mod preset;
pub mod printer;
pub mod project_file;
pub mod prompt;
pub mod render;
pub mod repo;
pub mod report;
pub mod root;
pub mod settings;
pub mod state_plan;
pub mod structure_test;
pub mod suggest;
pub mod verify;
pub mod version_check;
pub mod warning;

use clap::Parser;

/// Runs the command line and returns the process exit code (see README, "Exit codes").
pub fn run() -> i32 {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let colour = |terminal: bool| match cli.color {
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
        cli::ColorChoice::Auto => !no_color && terminal,
    };
    printer::configure(printer::Style {
        color_out: colour(std::io::stdout().is_terminal()),
        color_err: colour(std::io::stderr().is_terminal()),
        quiet: cli.quiet,
        verbose: cli.command.verbose(),
    });
    let result = match &cli.command {
        cli::Command::Detect(args) => commands::detect::run(args),
        cli::Command::Init(args) => commands::init::run(args),
        cli::Command::Generate(args) => commands::generate::run(args),
        cli::Command::Resolve(args) => commands::resolve::run(args),
        cli::Command::Verify(args) => commands::verify::run(args),
        cli::Command::Audit(args) => commands::audit::run(args),
        cli::Command::Report(args) => commands::report::run(args),
        cli::Command::Presets { command } => commands::presets::run(command),
        cli::Command::Completions { shell } => commands::docs::completions(*shell),
        cli::Command::Man => commands::docs::man(),
    };
    match result {
        Ok(status) => status.code(),
        Err(e) => {
            printer::error(&e);
            e.exit_status().code()
        }
    }
}

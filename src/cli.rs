//! The command line, as clap types. Doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Looks at a source repository and writes the container build an expert would write for it:
/// a multi-stage Dockerfile, a .dockerignore and a compose.yaml, shown as a diff first.
#[derive(Debug, Parser)]
#[command(name = "dockgen", version, propagate_version = true)]
pub struct Cli {
    /// Print only results and errors: no summaries, warnings or hints.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// When to colour the output: `auto` on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

impl Command {
    /// Whether `--verbose` was given (only the commands that explain choices offer it).
    pub fn verbose(&self) -> bool {
        match self {
            Command::Detect(a) => a.verbose,
            Command::Init(a) => a.verbose,
            Command::Generate(a) => a.verbose,
            _ => false,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what the repository is, and where each fact came from.
    Detect(DetectArgs),
    /// Ask a few questions, show what will change, then write (the wizard).
    Init(InitArgs),
    /// Write Dockerfile, .dockerignore and compose.yaml without asking anything.
    Generate(GenerateArgs),
    /// Accept files whose conflicts you merged by hand, as `git add` does after a merge: the
    /// next `generate` keeps them as they are and merges later changes into them.
    Resolve(ResolveArgs),
    /// Build, start and probe what the compose file describes, then stop it: proof that the
    /// generated files work on this machine (needs a Docker engine).
    Verify(VerifyArgs),
    /// Judge the repository's own Dockerfiles (or one named) rule by rule, with dockgen's
    /// replacement as a diff; exit 1 when there is a finding.
    Audit(AuditArgs),
    /// The image's layers with their sizes and the Dockerfile step that made each (needs a
    /// Docker engine).
    Report(ReportArgs),
    /// List the available presets, or show one.
    Presets {
        #[command(subcommand)]
        command: PresetsCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), built from these definitions.
    Man,
}

/// Where the repository is: PATH or `--root`, else found from the current folder.
#[derive(Debug, Args)]
pub struct RootArgs {
    /// Repository root (default: found from the current folder, upwards to dockgen.toml, then
    /// to .git, as git and cargo find theirs).
    pub path: Option<PathBuf>,
    /// Repository root, the same as PATH.
    #[arg(long = "root", value_name = "DIR", conflicts_with = "path")]
    pub root: Option<PathBuf>,
}

impl RootArgs {
    /// The root the user named, if any.
    pub fn explicit(&self) -> Option<&std::path::Path> {
        self.root.as_deref().or(self.path.as_deref())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetectFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    pub location: RootArgs,
    /// Also explain choices: why each preset was chosen, where each answer came from.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
    /// Output format; `json` is a stable contract (see README).
    #[arg(long, value_enum, default_value_t = DetectFormat::Text)]
    pub format: DetectFormat,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub location: RootArgs,
    /// Also explain choices: why each preset was chosen, where each answer came from.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
    /// Use this preset instead of the detected one (see `dockgen presets list`).
    #[arg(long)]
    pub preset: Option<String>,
    /// Override an answer: `key=value`, or `service:key=value` in a repository with several
    /// services. Recorded in dockgen.toml.
    /// Also write these outputs, comma-separated (structure-test); recorded in dockgen.toml as
    /// `outputs`, so later runs keep writing them.
    #[arg(long = "with", value_name = "OUTPUT", value_delimiter = ',')]
    pub with: Vec<String>,
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Print the rendered files and write nothing.
    #[arg(long, group = "mode")]
    pub stdout: bool,
    /// Print the unified diff against the files on disk and write nothing.
    #[arg(long, group = "mode")]
    pub diff: bool,
    /// Write nothing; exit 1 and print the diff if any file would change (CI drift check).
    #[arg(long, group = "mode")]
    pub check: bool,
    /// Print the plan (chosen preset, answers and where each came from) and write nothing.
    #[arg(long, group = "mode")]
    pub plan: bool,
    /// Overwrite files whose hand edits overlap dockgen's changes, or that dockgen did not write.
    #[arg(long, conflicts_with = "merge")]
    pub force: bool,
    /// How to handle hand edits that overlap dockgen's changes: `markers` writes the file with
    /// conflict markers to resolve by hand (default: leave the file and report the conflict).
    #[arg(long, value_enum, value_name = "STYLE")]
    pub merge: Option<MergeStyle>,
    /// Render from dockgen.toml alone, without looking at the repository's files.
    #[arg(long)]
    pub no_detect: bool,
    /// Record every detected answer in dockgen.toml, so that `--no-detect` renders the same
    /// bytes (recorded answers then win over later detection).
    #[arg(long)]
    pub record_all: bool,
    /// Leave the explanatory comments out of the generated files (recorded in dockgen.toml as
    /// `comments = false`; the header line stays).
    #[arg(long)]
    pub no_comments: bool,
    /// How to print the file summary and diffs: `markdown` is ready to post as a pull-request
    /// comment, `json` is data (file, status, reason, diff).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The generated files you resolved (Dockerfile, compose.yaml, ...).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Repository root (default: found from the current folder, upwards to dockgen.toml,
    /// then to .git).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// A Dockerfile, or the repository whose Dockerfiles to audit (default: found from the
    /// current folder, as for every command).
    #[command(flatten)]
    pub location: RootArgs,
    /// `json` is data (findings and replacement diffs); `sarif` is SARIF 2.1.0 for code
    /// scanning.
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The image to report on (`name:tag`, as `docker images` lists it).
    pub image: String,
    /// The Dockerfile it was built from, to name the step of each layer (default: ./Dockerfile
    /// when there is one).
    #[arg(long, value_name = "PATH")]
    pub dockerfile: Option<PathBuf>,
    /// Output format: `json` is data (every layer with its size and step).
    #[arg(long, value_enum, default_value_t = DetectFormat::Text)]
    pub format: DetectFormat,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub location: RootArgs,
    /// Output format: `json` is data for CI (one object per service).
    #[arg(long, value_enum, default_value_t = DetectFormat::Text)]
    pub format: DetectFormat,
    /// Seconds to wait for every service to become healthy.
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub timeout: u64,
    /// Leave the services running afterwards (no `docker compose down`).
    #[arg(long)]
    pub keep: bool,
    /// Verify only this compose service (repeatable); the services it depends on start too.
    #[arg(long = "service", value_name = "NAME")]
    pub services: Vec<String>,
    /// After the health probe, also GET this path on every probed service (repeatable): a
    /// route that reads the database shows the app works, not only that it runs.
    #[arg(long = "get", value_name = "PATH", value_parser = absolute_path)]
    pub requests: Vec<String>,
}

fn absolute_path(s: &str) -> std::result::Result<String, String> {
    match s.starts_with('/') && !s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        true => Ok(s.to_string()),
        false => Err(format!(
            "expected an absolute URL path such as /db/, got {s:?}"
        )),
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub location: RootArgs,
    /// Also explain choices: why each preset was chosen, where each answer came from.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
    /// Accept every detected or default answer without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Use this preset instead of asking.
    #[arg(long)]
    pub preset: Option<String>,
    /// Answer a question from the command line: `key=value` or `service:key=value`.
    /// Also write these outputs, comma-separated (structure-test); recorded in dockgen.toml as
    /// `outputs`, so later runs keep writing them.
    #[arg(long = "with", value_name = "OUTPUT", value_delimiter = ',')]
    pub with: Vec<String>,
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Overwrite files whose hand edits overlap dockgen's changes.
    #[arg(long)]
    pub force: bool,
    /// Leave the explanatory comments out of the generated files.
    #[arg(long)]
    pub no_comments: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeStyle {
    Markers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum PresetsCommand {
    /// List every preset with its description.
    List {
        /// Repository whose `.dockgen/presets/` overrides are included.
        #[arg(long, default_value = ".")]
        path: PathBuf,
    },
    /// Show one preset: its answers, types, defaults and files.
    Show {
        name: String,
        /// Repository whose `.dockgen/presets/` overrides are included.
        #[arg(long, default_value = ".")]
        path: PathBuf,
    },
}

//! Settings for one `generate` run, resolved in one place from the command line and
//! dockgen.toml. Nothing else reads arguments or the settings file.

use crate::answers::Override;
use crate::changes::ConflictPolicy;
use crate::cli::{GenerateArgs, MergeStyle, ReportFormat};
use crate::error::{Error, Result};
use crate::project_file::{ProjectFile, FILE_NAME};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Stdout,
    Diff,
    Check,
    Plan,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub preset: Option<String>,
    pub overrides: Vec<Override>,
    pub mode: Mode,
    pub conflicts: ConflictPolicy,
    pub format: ReportFormat,
    pub project: ProjectFile,
    pub detect: bool,
    pub record_all: bool,
}

impl Settings {
    pub fn resolve(args: &GenerateArgs) -> Result<Settings> {
        let mode = if args.stdout {
            Mode::Stdout
        } else if args.diff {
            Mode::Diff
        } else if args.check {
            Mode::Check
        } else if args.plan {
            Mode::Plan
        } else {
            Mode::Write
        };
        let overrides = args
            .set
            .iter()
            .map(|s| Override::parse_flag(s))
            .collect::<Result<Vec<_>>>()?;
        Ok(Settings {
            root: args.path.clone(),
            preset: args.preset.clone(),
            overrides,
            mode,
            conflicts: match (args.force, args.merge) {
                (true, _) => ConflictPolicy::Overwrite,
                (false, Some(MergeStyle::Markers)) => ConflictPolicy::Markers,
                (false, None) => ConflictPolicy::Keep,
            },
            format: args.format,
            detect: !args.no_detect,
            record_all: args.record_all,
            project: {
                let mut project = read_project_file(&args.path)?;
                if args.no_comments {
                    project.comments = Some(false);
                }
                project
            },
        })
    }
}

/// dockgen.toml of the repository at `root`, or an empty one when there is none.
pub fn read_project_file(root: &std::path::Path) -> Result<ProjectFile> {
    let path = root.join(FILE_NAME);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::invalid_settings(FILE_NAME, None, "not valid UTF-8; expected a TOML file")
            })?;
            ProjectFile::parse(&text)
        }
        // A root that is missing or not a folder is reported by the repository walk.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(ProjectFile::default())
        }
        Err(e) => Err(Error::io(path, "cannot read", e)),
    }
}

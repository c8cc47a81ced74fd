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
        let root = crate::root::resolve(args.location.explicit())?;
        Ok(Settings {
            root: root.clone(),
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
                let mut project = read_project_file(&root)?;
                if args.no_comments {
                    project.comments = Some(false);
                }
                add_outputs(&mut project, &args.with)?;
                project
            },
        })
    }
}

/// `--with a,b`: the outputs added to those dockgen.toml records (and recorded with them).
pub fn add_outputs(project: &mut ProjectFile, names: &[String]) -> Result<()> {
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        let output = crate::outputs::Output::parse(name)
            .map_err(|why| Error::Usage(format!("--with {name}: {why}")))?;
        if !project.outputs.contains(&output) {
            project.outputs.push(output);
        }
    }
    project.outputs.sort();
    Ok(())
}

impl Settings {
    /// The settings `resolve` renders with: what the next plain `generate` would use.
    pub fn for_resolve(root: Option<&std::path::Path>) -> Result<Settings> {
        let root = crate::root::resolve(root)?;
        Ok(Settings {
            project: read_project_file(&root)?,
            root,
            preset: None,
            overrides: Vec::new(),
            mode: Mode::Write,
            conflicts: ConflictPolicy::Keep,
            format: ReportFormat::Text,
            detect: true,
            record_all: false,
        })
    }
}

/// `file` (as the user typed it, relative to the current folder) as a `/`-separated path
/// relative to the repository `root`.
pub fn repository_path(root: &std::path::Path, file: &std::path::Path) -> Result<String> {
    let absolute =
        |p: &std::path::Path| std::path::absolute(p).map_err(|e| Error::io(p, "cannot resolve", e));
    let (root_abs, file_abs) = (absolute(root)?, absolute(file)?);
    let root_abs = root_abs.canonicalize().unwrap_or(root_abs);
    let file_abs = match (file_abs.parent(), file_abs.file_name()) {
        (Some(dir), Some(name)) => dir.canonicalize().unwrap_or(dir.to_path_buf()).join(name),
        _ => file_abs,
    };
    let rel = file_abs.strip_prefix(&root_abs).map_err(|_| {
        Error::Usage(format!(
            "{}: not inside the repository {}",
            file.display(),
            root.display()
        ))
    })?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
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

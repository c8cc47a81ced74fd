//! `dockgen report IMAGE`: the size report, from `docker history` and the Dockerfile.

use crate::cli::{DetectFormat, ReportArgs};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer;
use crate::verify::engine::Engine;
use std::path::{Path, PathBuf};

pub fn run(args: &ReportArgs) -> Result<ExitStatus> {
    let engine = Engine::connect_docker().map_err(Error::NoEngine)?;
    let history = engine
        .history(&args.image)
        .map_err(|why| Error::Usage(format!("{}: cannot read its history: {why}", args.image)))?;
    let path: Option<PathBuf> = match &args.dockerfile {
        Some(p) => Some(p.clone()),
        None => Path::new("Dockerfile")
            .is_file()
            .then(|| PathBuf::from("Dockerfile")),
    };
    let text = match &path {
        Some(p) => Some(
            std::fs::read_to_string(p)
                .map_err(|e| Error::io(p, "cannot read the Dockerfile", e))?,
        ),
        None => None,
    };
    let shown = path.as_ref().map(|p| p.display().to_string());
    let dockerfile = shown.as_deref().zip(text.as_deref());
    let report = crate::report::report(&args.image, &history, dockerfile);
    match args.format {
        DetectFormat::Json => printer::json(&report),
        DetectFormat::Text => printer::report_text(&report),
    }
    Ok(ExitStatus::Success)
}

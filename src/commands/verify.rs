//! `dockgen verify`: reads the compose file on disk, then builds, starts, probes and stops its
//! services on the local Docker engine (see `crate::verify`). Exit 0 when every service passed,
//! 1 when one failed, 6 when there is no engine to verify with.

use crate::cli::{DetectFormat, VerifyArgs};
use crate::compose_file;
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::printer;
use crate::verify::{self, engine::Engine, Options};
use std::time::Duration;

pub fn run(args: &VerifyArgs) -> Result<ExitStatus> {
    let root = &crate::root::resolve(args.location.explicit())?;
    let Some(path) = compose_file::NAMES
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.is_file())
    else {
        return Err(Error::Usage(format!(
            "{}: no compose file ({}); run `dockgen generate` first",
            root.display(),
            compose_file::NAMES.join(", ")
        )));
    };
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, "reading", e))?;
    let mut services = compose_file::parse(&path, &text)?;
    if !args.services.is_empty() {
        if let Some(unknown) = args
            .services
            .iter()
            .find(|n| !services.iter().any(|s| &s.name == *n))
        {
            return Err(Error::Usage(format!(
                "{}: no service {unknown:?}; services: {}",
                path.display(),
                services
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        services.retain(|s| args.services.contains(&s.name));
    }
    let mut engine = Engine::connect()
        .map_err(|why| Error::NoEngine(format!("dockgen verify needs a Docker engine: {why}")))?;
    // Required variables nobody set get throwaway values for this run only.
    let env_file = std::fs::read_to_string(root.join(".env")).unwrap_or_default();
    let made_up: Vec<String> = verify::secrets::required_variables(&text)
        .into_iter()
        .filter(|name| {
            std::env::var_os(name).is_none() && !verify::secrets::env_file_sets(&env_file, name)
        })
        .collect();
    for name in &made_up {
        engine.set_compose_env(name, &verify::secrets::throwaway_value());
    }
    if !made_up.is_empty() {
        printer::message(&format!(
            "verify: {} not set (environment or .env): using throwaway values for this run",
            made_up.join(", ")
        ));
    }
    let project = format!("dockgen-verify-{}", std::process::id());
    let outcomes = verify::run(
        &engine,
        &path,
        &project,
        &services,
        &Options {
            timeout: Duration::from_secs(args.timeout),
            keep: args.keep,
            requests: args.requests.clone(),
        },
    );
    match args.format {
        DetectFormat::Json => printer::json(&serde_json::json!({ "services": outcomes })),
        DetectFormat::Text => printer::verify_text(&outcomes),
    }
    Ok(ExitStatus::pending_if(
        outcomes.iter().any(|o| o.failure.is_some()),
    ))
}

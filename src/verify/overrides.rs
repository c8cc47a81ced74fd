//! The compose override file `dockgen verify` runs with, beside the project's own compose
//! file (which it never changes): faster healthchecks while it waits, and ports moved off
//! host ports already in use.

use super::ports;
use crate::compose_file::ComposeService;

/// The compose override of this run: healthchecks probed every 2 s while verify waits (the
/// files keep their own interval), and ports moved off busy host ports.
pub fn for_run(services: &[ComposeService], moved: &[ports::Moved]) -> String {
    let mut yaml = String::from("services:\n");
    for s in services {
        let moves = moved.iter().any(|m| m.service == s.name);
        if !s.healthcheck && !moves {
            continue;
        }
        yaml.push_str(&format!(
            "  {}:\n",
            serde_json::to_string(&s.name).unwrap_or_default()
        ));
        if s.healthcheck {
            yaml.push_str("    healthcheck:\n      interval: 2s\n");
        }
        if moves {
            yaml.push_str(&ports::override_lines(s));
        }
    }
    if yaml == "services:\n" {
        yaml = "services: {}\n".into();
    }
    yaml
}

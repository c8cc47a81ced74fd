//! How `dockgen verify` reports: one line per service, or the first failing step with the last
//! lines of its log; `--format json` prints the outcomes as data.

use super::{inert, out, paint, style};
use crate::verify::ServiceOutcome;

pub fn verify_text(outcomes: &[ServiceOutcome]) {
    let mut s = String::new();
    for o in outcomes {
        let name = inert(&o.name);
        match &o.failure {
            None => {
                let mut parts = Vec::new();
                if let Some(b) = o.build_seconds {
                    parts.push(format!("built in {b:.1} s"));
                }
                if let Some(bytes) = o.image_bytes {
                    parts.push(format!("{:.1} MB", bytes as f64 / 1e6));
                }
                if let Some(h) = o.healthy_seconds {
                    parts.push(format!("healthy after {h:.1} s"));
                }
                if let Some(c) = o.completed_seconds {
                    parts.push(format!("ran to completion (exit 0) after {c:.1} s"));
                }
                if let Some(probe) = &o.probe {
                    match o.http_status {
                        Some(code) => parts.push(format!("{} -> {code}", inert(probe))),
                        None => parts.push(inert(probe)),
                    }
                }
                for (request, status) in &o.requests {
                    match status {
                        Some(code) => parts.push(format!("{} -> {code}", inert(request))),
                        None => parts.push(inert(request)),
                    }
                }
                if let (Some(busy), Some(used)) = (o.busy_port, o.probed_port) {
                    parts.push(format!(
                        "published on {used} for the run ({busy} is in use on this machine)"
                    ));
                }
                if let Some(user) = &o.user {
                    parts.push(format!("user {}", inert(user)));
                }
                if let Some(stop) = o.stop_seconds {
                    parts.push(format!("stopped in {stop:.1} s"));
                }
                let ok = paint("ok", "32", style().color_out);
                s.push_str(&format!("{name}: {ok}: {}\n", parts.join(", ")));
            }
            Some(f) => {
                let failed = paint("FAILED", "1;31", style().color_out);
                s.push_str(&format!(
                    "{name}: {failed} at {}: {}\n",
                    f.step,
                    inert(&f.reason)
                ));
                for line in f.log.lines() {
                    s.push_str(&format!("  | {}\n", inert(line)));
                }
            }
        }
    }
    out(&s);
}

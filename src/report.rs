//! `dockgen report IMAGE`: the image's layers with their sizes and the Dockerfile step that
//! made each, read from the image history and matched to the Dockerfile's last stage; what is
//! left below the stage's first step is the base image. The seed's image size analysis,
//! without dive.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub size: u64,
    /// The Dockerfile instruction, as the history records it.
    pub step: String,
    /// `Dockerfile:LINE` of the instruction in the last stage; None for the base image's.
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub image: String,
    pub total: u64,
    /// Bytes the last stage's own steps add.
    pub added: u64,
    /// The base image's bytes, and its name when the Dockerfile says it.
    pub base: u64,
    pub base_image: Option<String>,
    /// Layers that hold files, newest first; metadata-only steps (ENV, USER, ...) are counted
    /// in `steps` but not listed.
    pub layers: Vec<Layer>,
    /// The last stage's steps found in the history.
    pub steps: usize,
}

/// Matches `history` (newest first: step and size) to the last stage of `dockerfile` (its path
/// and text), when there is one.
pub fn report(image: &str, history: &[(String, u64)], dockerfile: Option<(&str, &str)>) -> Report {
    let (instructions, base_image) = match dockerfile {
        Some((path, text)) => last_stage(path, text),
        None => (Vec::new(), None),
    };
    let mut pending = instructions.iter().rev().peekable();
    let mut layers = Vec::new();
    let mut added = 0;
    let mut steps = 0;
    let mut in_stage = dockerfile.is_some();
    for (step, size) in history {
        let keyword = step
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        // Steps BuildKit records no history for (ARG) are skipped; the rest align in order.
        while pending
            .peek()
            .is_some_and(|(k, _)| *k != keyword && k == "ARG")
        {
            pending.next();
        }
        let source = match pending.peek() {
            Some((k, source)) if in_stage && *k == keyword => {
                let source = source.clone();
                pending.next();
                Some(source)
            }
            _ => {
                in_stage = false;
                None
            }
        };
        if source.is_some() {
            added += size;
            steps += 1;
        }
        if *size > 0 {
            layers.push(Layer {
                size: *size,
                step: step.trim_end_matches("# buildkit").trim().to_string(),
                source,
            });
        }
    }
    let total: u64 = history.iter().map(|(_, s)| s).sum();
    Report {
        image: image.to_string(),
        total,
        added,
        base: total - added,
        base_image,
        layers,
        steps,
    }
}

/// The last stage's instructions as (KEYWORD, `path:line`), and the external image it starts
/// from (through earlier stages, with the ARG defaults applied).
fn last_stage(path: &str, text: &str) -> (Vec<(String, String)>, Option<String>) {
    let mut instructions = Vec::new();
    let base = Some(crate::image_config::last_stage(text).base).filter(|b| !b.is_empty());
    for (line, keyword, _) in crate::image_config::instructions(text) {
        if keyword == "FROM" {
            instructions.clear();
        } else {
            instructions.push((keyword, format!("{path}:{line}")));
        }
    }
    (instructions, base)
}

/// Bytes as a person reads them: `27.1 kB`, `2.4 MB`, `150.7 MB` (powers of 1000, as docker).
pub fn human(bytes: u64) -> String {
    let units = ["B", "kB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{bytes} B"),
        _ => format!("{value:.1} {}", units[unit]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_are_matched_to_the_last_stage_and_the_rest_is_the_base() {
        let dockerfile = "FROM node:22 AS deps\nRUN npm ci\n\nFROM gcr.io/distroless/nodejs22-debian13:nonroot AS runtime\nARG X=1\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nUSER 65532:65532\nCMD [\"server.js\"]\n";
        let history: Vec<(String, u64)> = [
            ("CMD [\"server.js\"]", 0),
            ("USER 65532:65532", 0),
            ("COPY . . # buildkit", 27_114),
            (
                "COPY /app/node_modules ./node_modules # buildkit",
                2_399_712,
            ),
            ("WORKDIR /app", 0),
            ("ENTRYPOINT [\"/nodejs/bin/node\"]", 0),
            (
                "COPY /usr/local/bin/node /nodejs/bin/node # buildkit",
                124_827_920,
            ),
        ]
        .into_iter()
        .map(|(s, n)| (s.to_string(), n))
        .collect();
        let r = report("app:local", &history, Some(("Dockerfile", dockerfile)));
        assert_eq!(r.total, 127_254_746);
        assert_eq!(r.added, 2_426_826);
        assert_eq!(r.base, 124_827_920);
        assert_eq!(
            r.base_image.as_deref(),
            Some("gcr.io/distroless/nodejs22-debian13:nonroot")
        );
        let sources: Vec<Option<&str>> = r.layers.iter().map(|l| l.source.as_deref()).collect();
        assert_eq!(sources, [Some("Dockerfile:8"), Some("Dockerfile:7"), None]);
        assert_eq!(r.layers[0].step, "COPY . .");
        assert_eq!(human(2_399_712), "2.4 MB");
        assert_eq!(human(512), "512 B");
    }
}

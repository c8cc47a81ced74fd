//! The steps a start script runs before its server (`npm run build && node dist/main.js`): the
//! build steps are the image's build; anything else is named in a warning, since the image
//! runs only the server.

use super::package_json::PackageJson;
use super::scripts::script_call;
use crate::warning::Warning;

/// Scripts a start script may run first that the image's build step already covers.
const BUILD_STEPS: &[&str] = &["build", "compile", "tsc", "prebuild", "build:ts"];

/// A start script that runs other steps before the server: build steps are the image's build;
/// anything else is named, since the image runs only the server.
pub fn note_steps_before(
    pj: &PackageJson,
    name: &str,
    before: &[Vec<String>],
    server: &[String],
    warnings: &mut Vec<Warning>,
) {
    let others: Vec<String> = before
        .iter()
        .filter(|words| {
            let program = words.first().map(String::as_str).unwrap_or("");
            program != "tsc" && !BUILD_STEPS.iter().any(|b| script_call(words) == Some(b))
        })
        .map(shell_words::join)
        .collect();
    if !others.is_empty() {
        warnings.push(Warning::located("start-steps-skipped", format!(
            "{}: scripts.{name} runs `{}` before `{}`; the image runs only the server: add those steps to the build if it needs them",
            pj.path,
            others.join("`, `"),
            shell_words::join(server)
        )).about("start"));
    }
}

//! Snapshot tests: for every fixture repository under tests/fixtures/, the `detect` JSON (or the
//! error it gives) and every file `generate` renders, with every opt-in output. Snapshots live in the top-level
//! `snapshots/` folder; review changes with `cargo insta review`, never edit them by hand.

use dockgen::facts::Facts;
use dockgen::preset::{select::select, Presets};
use dockgen::project_file::ProjectFile;
use dockgen::render::Renderer;
use dockgen::repo::RepoTree;
use std::path::Path;

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn detect(path: &Path) -> Result<Facts, dockgen::error::Error> {
    let tree = RepoTree::walk(path)?;
    let mut facts = dockgen::detect::detect(&tree, Path::new("."))?;
    let presets = Presets::load(Some(path))?;
    for service in &mut facts.services {
        service.preset = Some(select(&presets, service, None, None)?.preset);
    }
    Ok(facts)
}

#[test]
fn detect_json() {
    settings().bind(|| {
        insta::glob!("fixtures", "*", |path| {
            // The glob's `*` also matches the fixtures folder itself: only its sub-folders are fixtures.
            if !path.is_dir() || path.ends_with("tests/fixtures") {
                return;
            }
            let shown = match detect(path) {
                Ok(facts) => serde_json::to_string_pretty(&facts).unwrap(),
                Err(e) => format!("exit {}: {e}", e.exit_status().code()),
            };
            insta::assert_snapshot!("detect", shown);
        });
    });
}

#[test]
fn rendered_files() {
    settings().bind(|| {
        insta::glob!("fixtures", "*", |path| {
            // The glob's `*` also matches the fixtures folder itself: only its sub-folders are fixtures.
            if !path.is_dir() || path.ends_with("tests/fixtures") {
                return;
            }
            let Ok(facts) = detect(path) else { return };
            let presets = Presets::load(Some(path)).unwrap();
            let outcome = dockgen::commands::plan_for(
                path,
                &facts,
                &presets,
                &ProjectFile::default(),
                None,
                &[],
            )
            .and_then(|mut plan| {
                // Every output is snapshotted, the opt-in ones too.
                plan.outputs = dockgen::outputs::Output::ALL.to_vec();
                Renderer::new(Some(path))?.render(&plan, &presets)
            });
            match outcome {
                Ok(files) => {
                    for file in files {
                        let name = format!("render_{}", file.path).replace(['/', '.'], "_");
                        insta::assert_snapshot!(name, file.content);
                    }
                }
                Err(e) => {
                    insta::assert_snapshot!(
                        "render_error",
                        format!("exit {}: {e}", e.exit_status().code())
                    )
                }
            }
        });
    });
}

//! `dockgen audit`: the repository's own Dockerfiles judged rule by rule, with dockgen's
//! replacement as a diff where dockgen generates for the folder.

use crate::audit::{rules::audit, Finding};
use crate::cli::{AuditArgs, AuditFormat};
use crate::error::{Error, Result};
use crate::exit_status::ExitStatus;
use crate::preset::Presets;
use crate::printer;
use crate::repo::RepoTree;
use crate::settings::read_project_file;
use serde::Serialize;
use std::path::Path;

/// dockgen's Dockerfile for a folder, as a diff against the one there.
#[derive(Debug, Serialize)]
pub struct Replacement {
    pub file: String,
    pub diff: String,
}

pub fn run(args: &AuditArgs) -> Result<ExitStatus> {
    // A Dockerfile named directly is audited alone, from the folder it is in.
    let named_file = args
        .location
        .explicit()
        .filter(|p| p.is_file())
        .map(Path::to_path_buf);
    let root = match &named_file {
        Some(file) => {
            let folder = file.parent().filter(|p| !p.as_os_str().is_empty());
            crate::root::resolve(Some(folder.unwrap_or(Path::new("."))))?
        }
        None => crate::root::resolve(args.location.explicit())?,
    };
    let tree = RepoTree::walk(&root)?;
    let dockerfiles: Vec<String> = match &named_file {
        Some(file) => vec![file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()],
        None => tree
            .files()
            .filter(|f| is_dockerfile(f) && !f.starts_with(".dockgen/"))
            .map(String::from)
            .collect(),
    };
    if dockerfiles.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no Dockerfile to audit; `dockgen generate` writes one",
            root.display()
        )));
    }
    let mut findings: Vec<Finding> = Vec::new();
    let mut texts = Vec::new();
    for file in &dockerfiles {
        let text = tree.read_text(file)?;
        findings.extend(audit(file, &text));
        texts.push((file.clone(), text));
    }
    let replacements = replacements(&root, &texts);
    match args.format {
        AuditFormat::Text => printer::audit_text(&findings, &replacements, dockerfiles.len()),
        AuditFormat::Json => printer::json(&serde_json::json!({
            "findings": findings,
            "replacements": replacements,
        })),
        AuditFormat::Sarif => printer::raw_json(&crate::audit::sarif::report(&findings)),
    }
    Ok(ExitStatus::pending_if(!findings.is_empty()))
}

fn is_dockerfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "Dockerfile" || name.starts_with("Dockerfile.") || name.ends_with(".Dockerfile")
}

/// For each audited `Dockerfile` in a folder dockgen generates for, the diff to dockgen's.
/// A repository dockgen cannot plan for gets none: the findings stand on their own.
fn replacements(root: &Path, texts: &[(String, String)]) -> Vec<Replacement> {
    let planned = (|| -> Result<Vec<crate::render::RenderedFile>> {
        let presets = Presets::load(Some(root))?;
        let project = read_project_file(root)?;
        let facts = super::detect_for(root, &presets, &project, None)?;
        let plan = super::plan_for(root, &facts, &presets, &project, None, &[])?;
        crate::render::Renderer::new(Some(root))?.render(&plan, &presets)
    })();
    let Ok(rendered) = planned else {
        return Vec::new();
    };
    texts
        .iter()
        .filter_map(|(file, text)| {
            let ours = rendered.iter().find(|r| r.path == *file)?;
            Some(Replacement {
                file: file.clone(),
                diff: crate::changes::diff(file, text, &ours.content),
            })
        })
        .collect()
}

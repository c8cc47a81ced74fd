//! Projects of another stack inside a service's folder that the repository's own Dockerfile
//! builds in a stage of their own (a storefront a Java app serves): dockgen's image for the
//! service does not build them, and says so.

use super::dockerfile_evidence;
use crate::facts::{Language, ServiceFacts};
use crate::repo::RepoTree;
use crate::warning::Warning;

/// The manifest that makes a folder a project of a language, for the projects a service's own
/// Dockerfile builds in a stage of their own.
const PROJECT_MANIFESTS: &[(&str, Language)] = &[
    ("package.json", Language::Node),
    ("go.mod", Language::Go),
    ("pom.xml", Language::Java),
    ("build.gradle", Language::Java),
    ("build.gradle.kts", Language::Java),
    ("requirements.txt", Language::Python),
    ("pyproject.toml", Language::Python),
    ("Cargo.toml", Language::Rust),
];

/// A project of another language inside the service folder that the service's own Dockerfile
/// copies in (a storefront a Java app serves, built by a node stage) is not built by the image
/// dockgen writes for the service: said in a warning, with the line.
pub fn warn_unbuilt(tree: &RepoTree, dir: &str, service: &mut ServiceFacts) {
    for (line, folder) in dockerfile_evidence::copied_folders(tree, dir) {
        let Some((manifest, language)) = PROJECT_MANIFESTS
            .iter()
            .find(|(m, l)| *l != service.language && tree.exists(&crate::repo::join(&folder, m)))
        else {
            continue;
        };
        service.warnings.push(Warning::located("nested-project-built", format!(
            "{}:{line}: the repository's Dockerfile copies in {folder}, a {} project ({manifest}), and builds it in a stage of its own; dockgen's {} image does not build it, so what the service serves from it is missing: build it separately, or keep the repository's Dockerfile",
            crate::repo::join(dir, "Dockerfile"),
            language.name(),
            service.language.name()
        )));
    }
}

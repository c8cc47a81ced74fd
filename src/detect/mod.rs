//! Detection: from a `RepoTree` to `Facts`. Pure: no printing, no environment, no writes.
//! Each ecosystem has one detector; this module decides where services are (the root, or the
//! service folders of a monorepo) and, when one folder holds several stacks, which one is the
//! service, saying why in a warning.

pub mod backing;
pub mod ci_versions;
pub mod data_probe;
pub mod dockerfile_build;
pub mod dockerfile_evidence;
pub mod dockerfile_start;
pub mod dotnet;
pub mod env_example;
pub mod go;
pub mod java;
mod nested;
pub mod node;
pub mod python;
pub mod required_env;
pub mod rust;
pub mod service_dirs;
pub mod shell;
pub mod shell_line;
pub mod source_scan;
pub mod stated_version;
mod unsupported;
pub mod xml;

use crate::error::{Error, Result};
use crate::facts::{Fact, Facts, Language, ServiceFacts};
use crate::repo::RepoTree;
use crate::warning::Warning;
use std::path::Path;

type DetectFn = fn(&RepoTree, &str) -> Result<Option<ServiceFacts>>;

/// Every detector, with what it looks for. On a tie between stacks in one folder the earlier
/// entry wins.
const DETECTORS: &[(Language, DetectFn, &str)] = &[
    (Language::Node, node::detect, "package.json"),
    (Language::Go, go::detect, "go.mod"),
    (Language::Java, java::detect, "pom.xml, build.gradle(.kts)"),
    (
        Language::Python,
        python::detect,
        "requirements.txt, pyproject.toml, Pipfile",
    ),
    (Language::Dotnet, dotnet::detect, "*.csproj, *.fsproj"),
    (Language::Rust, rust::detect, "Cargo.toml"),
];

/// Detects the services in `tree`; `root` is only used to name the repository in errors.
pub fn detect(tree: &RepoTree, root: &Path) -> Result<Facts> {
    let compose = service_dirs::from_compose(tree);
    let root_service = detect_folder(tree, ".")?;
    if let Some(service) = &root_service {
        // An Nx workspace whose applications live in folders: those are the services.
        if service.language == Language::Node {
            if let Some(services) = node::nx_services(tree, service)? {
                return Ok(Facts { services });
            }
        }
        // A workspace root that does not start itself: its members are the services.
        if service.language == Language::Node && service.start.is_none() {
            if let Some(services) = node::workspace_services(tree)? {
                return Ok(Facts { services });
            }
        }
    }
    let starts_itself = root_service
        .as_ref()
        .is_some_and(|s| s.start.is_some() || compose.root);
    if let (Some(service), true) = (&root_service, starts_itself) {
        return Ok(Facts {
            services: vec![service.clone()],
        });
    }
    // No root, or a root with no start command of its own (a uv workspace, a repository whose
    // compose file builds other folders): the folders below that start are the services.
    let compose_dirs: Vec<String> = compose.dirs.iter().map(|c| c.dir.clone()).collect();
    let mut services = services_below(tree, compose.dirs)?;
    if let Some(service) = root_service {
        if services.is_empty() {
            return Ok(Facts {
                services: vec![service],
            });
        }
        let note = if compose_dirs.is_empty() {
            format!(
                ".: a {} project with no start command; the folders below it that start are the services",
                service.language.name()
            )
        } else {
            format!(
                ".: a {} project with no start command, and its compose file builds {}: those are the services",
                service.language.name(),
                compose_dirs.join(", ")
            )
        };
        services[0]
            .warnings
            .insert(0, Warning::located("root-without-start", note));
    }
    if services.len() > COLLECTION_SIZE && compose_dirs.is_empty() {
        let note = format!(
            "{} services below the root and no compose file that runs them together: if this is a collection of samples, run dockgen on the folder of the one to build (dockgen generate PATH)",
            services.len()
        );
        services[0]
            .warnings
            .insert(0, Warning::new("possible-collection", note));
    }
    if services.is_empty() {
        let looked_for: Vec<&str> = DETECTORS.iter().map(|(_, _, what)| *what).collect();
        return Err(Error::NothingDetected {
            path: root.to_path_buf(),
            looked_for: format!(
                "{} at the root or in folders up to {} levels below it",
                looked_for.join(", "),
                service_dirs::MAX_DEPTH
            ),
        });
    }
    Ok(Facts { services })
}

/// More services than one application runs together: a repository of samples, most likely.
const COLLECTION_SIZE: usize = 20;

/// The services in folders below the root: those the compose file builds, then what the
/// folder search finds; warnings for what was looked at and left out go to the first.
fn services_below(
    tree: &RepoTree,
    compose_dirs: Vec<service_dirs::Candidate>,
) -> Result<Vec<ServiceFacts>> {
    let mut services: Vec<ServiceFacts> = Vec::new();
    let mut found: Vec<String> = Vec::new();
    let inside = |found: &[String], dir: &str| {
        found
            .iter()
            .any(|f| dir == f || dir.starts_with(&format!("{f}/")))
    };
    for candidate in compose_dirs {
        if inside(&found, &candidate.dir) {
            continue;
        }
        if let Some(mut service) = detect_folder(tree, &candidate.dir)? {
            if let Some(line) = candidate.compose {
                service.detail(
                    "compose_service",
                    true,
                    crate::facts::Evidence::file(line)
                        .because("the repository's compose file builds this folder"),
                );
            }
            found.push(candidate.dir);
            services.push(service);
        }
    }
    let mut failure = None;
    let mut skipped = Vec::new();
    service_dirs::search(tree, |dir| {
        if failure.is_some() {
            return true;
        }
        if inside(&found, dir) {
            return true;
        }
        match detect_folder(tree, dir) {
            // Found by the search alone, a project that cannot start (a library, an email
            // template package) is not a service, unless it ships a Dockerfile of its own.
            Ok(Some(service))
                if service.start.is_none()
                    && !tree.exists(&crate::repo::join(dir, "Dockerfile")) =>
            {
                skipped.push(Warning::located("service-skipped", format!(
                    "{dir}: a {} project with no start command: not taken as a service (run dockgen on the folder itself to build it)",
                    service.language.name()
                )));
                true
            }
            Ok(Some(service)) => {
                found.push(dir.to_string());
                services.push(service);
                true
            }
            Ok(None) => match unsupported::unsupported(tree, dir) {
                // Reported, never silently dropped; its folders are not searched further.
                Some(what) => {
                    skipped.push(Warning::located(
                        "unsupported-stack",
                        format!("{dir}: {what}; dockgen does not generate for it"),
                    ));
                    true
                }
                None => false,
            },
            // A first-level folder is where services are expected: its error is the answer.
            // Deeper, a broken manifest (an old example, a test input) is skipped and named.
            Err(e) if dir.contains('/') => {
                skipped.push(Warning::located(
                    "service-skipped",
                    format!("{dir}: not looked at as a service: {e}"),
                ));
                true
            }
            Err(e) => {
                failure = Some(e);
                true
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    if let Some(first) = services.first_mut() {
        first.warnings.extend(skipped);
    }
    Ok(services)
}

/// The service in folder `dir` detected as a project of `language` only, for a preset of
/// another stack than the one detection preferred there: no fact of the other stack leaks in.
pub fn detect_as(tree: &RepoTree, dir: &str, language: Language) -> Result<Option<ServiceFacts>> {
    detect_folder_of(tree, dir, Some(language))
}

/// The manifests the detector of `language` looks for.
pub fn manifests_of(language: Language) -> &'static str {
    DETECTORS
        .iter()
        .find(|(l, _, _)| *l == language)
        .map_or("its manifest", |(_, _, what)| what)
}

/// Runs every detector on one folder and keeps the candidate that looks most like a service.
fn detect_folder(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    detect_folder_of(tree, dir, None)
}

fn detect_folder_of(
    tree: &RepoTree,
    dir: &str,
    only: Option<Language>,
) -> Result<Option<ServiceFacts>> {
    let mut candidates = Vec::new();
    for (language, detect, _) in DETECTORS {
        if only.is_some_and(|l| l != *language) {
            continue;
        }
        if let Some(found) = detect(tree, dir)? {
            candidates.push(found);
        }
    }
    // A script on a plain OS image is a service only where no stack's manifest is.
    if candidates.is_empty() && only.is_none_or(|l| l == Language::Shell) {
        candidates.extend(shell::detect(tree, dir)?);
    }
    let Some(best_index) = candidates
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (c.service_weight(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
    else {
        return Ok(None);
    };
    let mut best = candidates.swap_remove(best_index);
    nested::warn_unbuilt(tree, dir, &mut best);
    best.backing = backing::detect(tree, dir, best.language);
    python::drop_sqlite_beside_server(&mut best);
    let connection_vars: Vec<String> = best
        .backing
        .iter()
        .filter_map(|b| b.value.env.as_ref().map(|e| e.value.clone()))
        .collect();
    let required: Vec<Fact<String>> = required_env::detect(tree, dir, best.language)
        .into_iter()
        .filter(|f| !connection_vars.contains(&f.value))
        .collect();
    if let Some(first) = required.first() {
        let names: Vec<String> = required.iter().map(|f| f.value.clone()).collect();
        best.detail("required_env", names, first.evidence.clone());
    }
    let prerendered = best.framework.as_ref().is_some_and(|f| f.value == "nextjs");
    for f in required
        .iter()
        .filter(|f| prerendered && f.evidence.detail.as_deref() == Some(required_env::AT_LOAD))
    {
        best.warnings.push(Warning::located("build-needs-variable", format!(
            "{}: {} is needed as the module loads, and `next build` loads it to prerender pages: the image build fails unless the page that imports it is dynamic (`export const dynamic = 'force-dynamic'`) or the variable is given to the build (a build secret)",
            f.evidence.source(),
            f.value
        )));
    }
    for other in candidates {
        best.warnings.push(Warning::located(
            "several-stacks",
            format!(
                "{}: also a {} project; chose {} because {}; use --preset {} to build the other",
                dir,
                other.language.name(),
                best.language.name(),
                if best.start.is_some() && other.start.is_none() {
                    format!(
                        "it has a start command and the {} one has none",
                        other.language.name()
                    )
                } else {
                    "it has more of start command, framework, port and health route".to_string()
                },
                other.language.name()
            ),
        ));
    }
    Ok(Some(best))
}

/// The port a service's folder states outside its source: its `.env.example`, then the
/// repository's own Dockerfile (`ENV PORT=...`, `EXPOSE`). The fallback when the source binds
/// a port it reads from the environment without a default.
pub fn declared_port(tree: &RepoTree, dir: &str) -> Option<Fact<u16>> {
    env_example::port(tree, dir).or_else(|| dockerfile_evidence::stated_port(tree, dir, &["PORT"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_the_own_dockerfile_builds_inside_the_service_is_named() {
        let tree = RepoTree::from_files([
            ("app/pom.xml", "<project><artifactId>shop</artifactId></project>"),
            ("app/src/main/java/shop/Main.java", "class Main { public static void main(String[] a) {} }"),
            ("app/web/package.json", r#"{"scripts": {"build": "react-scripts build"}}"#),
            (
                "app/Dockerfile",
                "FROM node:22 AS web\nCOPY web .\nRUN npm run build\nFROM maven:3\nCOPY --from=web /build /static\n",
            ),
        ]);
        let facts = detect(&tree, Path::new("repo")).unwrap();
        let warning = facts.services[0]
            .warnings
            .iter()
            .find(|w| w.contains("copies in app/web"))
            .unwrap_or_else(|| panic!("{:?}", facts.services[0].warnings));
        assert_eq!(
            warning.location.as_deref(),
            Some("app/Dockerfile:2"),
            "{warning}"
        );
        assert!(
            warning.contains("a node project (package.json)"),
            "{warning}"
        );
    }

    #[test]
    fn many_services_with_no_compose_file_are_called_a_collection() {
        let files: Vec<(String, String)> = (0..=COLLECTION_SIZE)
            .map(|i| {
                (
                    format!("sample{i}/main.go"),
                    "package main\nfunc main() {}\n".into(),
                )
            })
            .chain(
                (0..=COLLECTION_SIZE)
                    .map(|i| (format!("sample{i}/go.mod"), format!("module s{i}\n"))),
            )
            .collect();
        let facts = detect(&RepoTree::from_files(files), Path::new("repo")).unwrap();
        assert_eq!(facts.services.len(), COLLECTION_SIZE + 1);
        assert!(
            facts.services[0].warnings[0].contains("a collection of samples"),
            "{:?}",
            facts.services[0].warnings
        );
    }
}

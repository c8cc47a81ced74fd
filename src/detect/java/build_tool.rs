//! Which build tool a Java folder uses, and what the Maven and Gradle readers report about the
//! build in one shape. A folder with both a pom.xml and a Gradle build is decided the way a
//! person would: the tool whose wrapper script is committed, otherwise Maven; the choice is
//! explained in the evidence and warned about, naming both files.

use crate::facts::{Evidence, Fact, PackageManager};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

pub const GRADLE_SCRIPTS: &[&str] = &["build.gradle.kts", "build.gradle"];
pub const GRADLE_SETTINGS: &[&str] = &["settings.gradle.kts", "settings.gradle"];

/// A Java version as one file states it, before it is reduced to a feature release.
#[derive(Debug, Clone)]
pub struct Stated {
    pub raw: String,
    pub evidence: Evidence,
    /// What stated it, e.g. `maven.compiler.release`.
    pub what: String,
}

/// What a build file says about the application, whichever tool reads it.
#[derive(Debug, Clone)]
pub struct BuildFacts {
    pub tool: Fact<PackageManager>,
    /// The wrapper script (`mvnw`, `gradlew`) when the build uses one.
    pub wrapper: Option<Fact<String>>,
    /// The tool version the wrapper pins (from its properties file).
    pub tool_version: Option<Fact<String>>,
    /// The module that holds the application in a multi-module build (folder, relative to the
    /// service folder).
    pub module: Option<Fact<String>>,
    /// Repository path of the application module (the service folder when single-module).
    pub module_dir: String,
    /// Build files copied before the source (relative to the service folder).
    pub manifests: Vec<String>,
    pub java: Vec<Stated>,
    /// Spring Boot in use; the version when known.
    pub spring_boot: Option<Fact<Option<String>>>,
    pub actuator: Option<Evidence>,
    /// `jar` or `war`.
    pub packaging: Fact<String>,
    /// The archive the build writes, relative to the service folder.
    pub artifact: Option<Fact<String>>,
    /// The main class the build configures (jar manifest, `application.mainClass`, ...).
    pub main_class: Option<Fact<String>>,
    /// The jar's manifest names its main class, so `java -jar` runs it.
    pub manifest_main: bool,
    /// Gradle's `application` plugin: `installDist` writes the app with every dependency jar
    /// to this folder (relative to the service folder), `lib/` inside it.
    pub install_dist: Option<Fact<String>>,
    pub name: Option<Fact<String>>,
    pub warnings: Vec<Warning>,
}

/// The build tool of `dir` and the file that says so, or None when it is not a Java build.
pub struct Choice {
    pub tool: PackageManager,
    pub manifest: String,
    pub evidence: Evidence,
    pub warning: Option<Warning>,
}

pub fn choose(tree: &RepoTree, dir: &str) -> Option<Choice> {
    let pom = join(dir, "pom.xml");
    let gradle = GRADLE_SCRIPTS
        .iter()
        .chain(GRADLE_SETTINGS)
        .map(|n| join(dir, n))
        .find(|p| tree.exists(p));
    let has_pom = tree.exists(&pom);
    let maven_wrapper = tree.exists(&join(dir, "mvnw"));
    let gradle_wrapper = tree.exists(&join(dir, "gradlew"));
    match (has_pom, gradle) {
        (false, None) => None,
        (true, None) => Some(Choice {
            tool: PackageManager::Maven,
            evidence: Evidence::file(&pom),
            manifest: pom,
            warning: None,
        }),
        (false, Some(script)) => Some(Choice {
            tool: PackageManager::Gradle,
            evidence: Evidence::file(&script),
            manifest: script,
            warning: None,
        }),
        (true, Some(script)) => {
            let (tool, manifest, why) = if gradle_wrapper && !maven_wrapper {
                (
                    PackageManager::Gradle,
                    script.clone(),
                    "only Gradle has a wrapper script (gradlew)",
                )
            } else if maven_wrapper && !gradle_wrapper {
                (
                    PackageManager::Maven,
                    pom.clone(),
                    "only Maven has a wrapper script (mvnw)",
                )
            } else if maven_wrapper {
                (
                    PackageManager::Maven,
                    pom.clone(),
                    "both have wrapper scripts; Maven's pom.xml is declarative",
                )
            } else {
                (
                    PackageManager::Maven,
                    pom.clone(),
                    "neither has a wrapper script; Maven's pom.xml is declarative",
                )
            };
            let detail = format!(
                "{pom} and {script} both present; chose {} because {why}",
                tool.name()
            );
            Some(Choice {
                tool,
                evidence: Evidence::file(&manifest).because(detail.clone()),
                manifest,
                warning: Some(Warning::new(
                    "several-build-tools",
                    format!("{detail}; remove or rename the other build to silence this"),
                )),
            })
        }
    }
}

/// The tool version in a wrapper's properties file (`distributionUrl=.../apache-maven-3.9.9-bin.zip`,
/// `.../gradle-8.10.2-bin.zip`).
pub fn wrapper_version(tree: &RepoTree, path: &str, prefix: &str) -> Option<Fact<String>> {
    let text = tree.read_text(path).ok()?;
    for (i, line) in text.lines().enumerate() {
        let Some(url) = line.trim().strip_prefix("distributionUrl=") else {
            continue;
        };
        let file = url.rsplit('/').next()?;
        let version = file.strip_prefix(prefix)?.split('-').next()?;
        let valid = !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.');
        return valid.then(|| {
            Fact::new(
                version.to_string(),
                Evidence::at(path, Some(i + 1)).because("the version the wrapper downloads"),
            )
        });
    }
    None
}

/// Whether a class under `module_dir`'s main source folders declares `main` or is a Spring Boot
/// application: how a module that holds the application is told from a library module.
pub fn has_main_class(tree: &RepoTree, module_dir: &str) -> bool {
    ["src/main/java", "src/main/kotlin"].iter().any(|src| {
        tree.files_under(&join(module_dir, src))
            .filter(|p| p.ends_with(".java") || p.ends_with(".kt"))
            .take(200)
            .any(|p| {
                tree.read_text(p).is_ok_and(|t| {
                    t.contains("static void main(")
                        || t.contains("@SpringBootApplication")
                        || t.contains("fun main(")
                })
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapper_decides_between_maven_and_gradle() {
        let tree = RepoTree::from_files([("pom.xml", ""), ("build.gradle", ""), ("gradlew", "")]);
        let c = choose(&tree, ".").unwrap();
        assert_eq!(c.tool, PackageManager::Gradle);
        assert!(c.warning.unwrap().contains("pom.xml and build.gradle"));
        let tree = RepoTree::from_files([("pom.xml", ""), ("settings.gradle", "")]);
        assert_eq!(choose(&tree, ".").unwrap().tool, PackageManager::Maven);
    }

    #[test]
    fn wrapper_versions_come_from_the_distribution_url() {
        let tree = RepoTree::from_files([(
            "gradle/wrapper/gradle-wrapper.properties",
            "distributionUrl=https\\://h/distributions/gradle-8.10.2-bin.zip\n",
        )]);
        let v = wrapper_version(&tree, "gradle/wrapper/gradle-wrapper.properties", "gradle-");
        assert_eq!(v.unwrap().value, "8.10.2");
    }
}

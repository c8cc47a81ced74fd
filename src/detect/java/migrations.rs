//! Flyway and Liquibase: a Java app with either on its classpath applies its migrations itself
//! when it starts (Spring Boot, Quarkus and Micronaut run them before serving), so dockgen adds
//! no migration service and says why.

use crate::facts::{Evidence, ServiceFacts};
use crate::repo::RepoTree;

/// Artifacts by tool, as a build file names them.
const TOOLS: &[(&str, &str)] = &[
    ("flyway-core", "Flyway"),
    ("flyway-database-", "Flyway"),
    ("quarkus-flyway", "Flyway"),
    ("micronaut-flyway", "Flyway"),
    ("liquibase-core", "Liquibase"),
    ("quarkus-liquibase", "Liquibase"),
    ("micronaut-liquibase", "Liquibase"),
];

/// Records `migrations` on `facts` when the build file `manifest` brings in either tool.
pub fn apply(tree: &RepoTree, manifest: &str, facts: &mut ServiceFacts) {
    let found = tree
        .read_text(manifest)
        .ok()
        .and_then(|t| detect(manifest, &t));
    if let Some((tool, evidence)) = found {
        facts.detail("migrations", format!("{tool}, at start"), evidence);
    }
}

/// The tool and the build file line that brings it in.
pub fn detect(manifest: &str, text: &str) -> Option<(&'static str, Evidence)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let (_, tool) = TOOLS.iter().find(|(artifact, _)| line.contains(artifact))?;
        let why = format!(
            "{tool} is a dependency: the app applies its migrations when it starts, so no migration service is added"
        );
        Some((*tool, Evidence::at(manifest, Some(i + 1)).because(why)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flyway_and_liquibase_dependencies_are_found_with_their_line() {
        let pom = "<dependencies>\n  <dependency>\n    <groupId>org.flywaydb</groupId>\n    <artifactId>flyway-core</artifactId>\n  </dependency>\n</dependencies>\n";
        let (tool, evidence) = detect("pom.xml", pom).unwrap();
        assert_eq!((tool, evidence.source().as_str()), ("Flyway", "pom.xml:4"));
        let gradle = "dependencies {\n    implementation(\"org.liquibase:liquibase-core\")\n}\n";
        assert_eq!(detect("build.gradle.kts", gradle).unwrap().0, "Liquibase");
        assert!(detect(
            "pom.xml",
            "<artifactId>spring-boot-starter-web</artifactId>"
        )
        .is_none());
    }
}

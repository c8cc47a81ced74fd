//! Java frameworks other than Spring Boot, from the build file's dependencies (Maven
//! `<groupId>io.quarkus</groupId>`, Gradle `"io.micronaut:..."`): the framework's name and the
//! port it listens on when the application does not configure one.

use crate::detect::source_scan::line_of;
use crate::facts::{Evidence, Fact};
use crate::repo::RepoTree;

/// (group id prefix, framework, default port)
const FRAMEWORKS: &[(&str, &str, Option<u16>)] = &[
    ("io.quarkus", "quarkus", Some(8080)),
    ("io.micronaut", "micronaut", Some(8080)),
    ("io.dropwizard", "dropwizard", Some(8080)),
    ("io.helidon", "helidon", None),
    ("io.javalin", "javalin", Some(8080)),
    ("com.sparkjava", "spark", Some(4567)),
    ("io.vertx", "vertx", None),
    // A gRPC server speaks HTTP/2 with its own protocol: probed by a TCP connect.
    ("io.grpc", "grpc", None),
];

pub struct Framework {
    pub name: Fact<String>,
    pub default_port: Option<Fact<u16>>,
}

pub fn detect(tree: &RepoTree, manifests: &[String]) -> Option<Framework> {
    for (group, name, port) in FRAMEWORKS {
        for manifest in manifests {
            let Ok(text) = tree.read_text(manifest) else {
                continue;
            };
            let needles = [
                format!("<groupId>{group}"),
                format!("\"{group}"),
                format!("'{group}"),
            ];
            let Some(line) = needles.iter().find_map(|n| line_of(&text, n)) else {
                continue;
            };
            let evidence = Evidence::at(manifest.clone(), Some(line));
            return Some(Framework {
                name: Fact::new(
                    name.to_string(),
                    evidence.clone().because(format!("{group} dependency")),
                ),
                default_port: port.map(|p| {
                    Fact::new(
                        p,
                        evidence.because(format!("{name} listens on {p} by default")),
                    )
                }),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_come_from_build_dependencies() {
        let pom = "<project>\n  <parent>\n    <groupId>io.micronaut.platform</groupId>\n  </parent>\n</project>\n";
        let gradle = "dependencies {\n    implementation(\"io.javalin:javalin:6.3.0\")\n}\n";
        let tree = RepoTree::from_files([("pom.xml", pom), ("build.gradle.kts", gradle)]);
        let f = detect(&tree, &["pom.xml".into()]).unwrap();
        assert_eq!(f.name.value, "micronaut");
        assert_eq!(f.name.evidence.source(), "pom.xml:3");
        assert_eq!(f.default_port.unwrap().value, 8080);
        let f = detect(&tree, &["build.gradle.kts".into()]).unwrap();
        assert_eq!(
            (f.name.value.as_str(), f.name.evidence.source()),
            ("javalin", "build.gradle.kts:2".into())
        );
        assert!(detect(
            &RepoTree::from_files([("pom.xml", "<project/>")]),
            &["pom.xml".into()]
        )
        .is_none());
    }
}

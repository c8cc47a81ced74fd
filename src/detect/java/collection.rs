//! A Maven pom that only lists projects which do not inherit from it (a samples or quickstarts
//! repository: `<packaging>pom</packaging>` with `<modules>` whose poms name no parent, or
//! another one) is a collection, not an application: each listed project builds on its own and
//! is a service of its own, so detection looks below it instead of building the aggregate.

use super::maven::Pom;
use crate::repo::{join, RepoTree};

/// Whether the pom at `pom_path` (in `dir`) aggregates independent projects.
pub fn is_collection(tree: &RepoTree, dir: &str, pom: &Pom) -> bool {
    if pom.packaging.as_ref().map(|p| p.value.as_str()) != Some("pom") || pom.modules.is_empty() {
        return false;
    }
    let Some(own_id) = pom.artifact_id.as_ref().map(|a| a.value.as_str()) else {
        return false;
    };
    let mut modules = 0;
    for module in &pom.modules {
        let path = if module.value.ends_with(".xml") {
            join(dir, &module.value)
        } else {
            join(dir, &join(&module.value, "pom.xml"))
        };
        let Ok(text) = tree.read_text(&path) else {
            continue;
        };
        let Ok(child) = Pom::parse(&path, &text) else {
            // A broken module is the module's problem; it does not make the root a collection.
            return false;
        };
        if child
            .parent
            .as_ref()
            .is_some_and(|p| p.artifact_id == own_id)
        {
            return false;
        }
        modules += 1;
    }
    modules > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> Pom {
        Pom::parse(
            "pom.xml",
            "<project><artifactId>samples</artifactId><packaging>pom</packaging><modules><module>a</module><module>b</module></modules></project>",
        )
        .unwrap()
    }

    #[test]
    fn modules_without_this_parent_make_a_collection() {
        let tree = RepoTree::from_files([
            ("a/pom.xml", "<project><artifactId>a</artifactId></project>"),
            (
                "b/pom.xml",
                "<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent><artifactId>b</artifactId></project>",
            ),
        ]);
        assert!(is_collection(&tree, ".", &root()));
    }

    #[test]
    fn a_module_that_inherits_makes_a_multi_module_build() {
        let tree = RepoTree::from_files([
            ("a/pom.xml", "<project><artifactId>a</artifactId></project>"),
            (
                "b/pom.xml",
                "<project><parent><artifactId>samples</artifactId></parent><artifactId>b</artifactId></project>",
            ),
        ]);
        assert!(!is_collection(&tree, ".", &root()));
        let jar = Pom::parse("pom.xml", "<project><artifactId>x</artifactId></project>").unwrap();
        assert!(!is_collection(&tree, ".", &jar));
    }
}

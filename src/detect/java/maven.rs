//! Reading a Maven `pom.xml` with a real XML parser: coordinates, packaging, `finalName`,
//! properties, the parent, dependencies, build plugins (with the main class and compiler
//! settings they configure) and modules, each with the line it is on. A malformed pom is an
//! error at its line and column; `${...}` references are resolved against the pom's properties.

use crate::error::Result;
use crate::facts::Evidence;
use roxmltree::{Document, Node};

/// A value read from the pom and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Coordinates {
    pub group_id: String,
    pub artifact_id: String,
    pub version: Option<String>,
    pub scope: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Plugin {
    pub coordinates: Coordinates,
    /// `<mainClass>` anywhere in the plugin's configuration (jar manifest, shade, Spring Boot).
    pub main_class: Option<Located>,
    /// Compiler plugin `<release>`, `<source>`.
    pub release: Option<Located>,
    pub source: Option<Located>,
}

#[derive(Debug, Clone, Default)]
pub struct Pom {
    pub path: String,
    pub artifact_id: Option<Located>,
    pub version: Option<Located>,
    pub packaging: Option<Located>,
    pub final_name: Option<Located>,
    pub parent: Option<Coordinates>,
    pub properties: Vec<(String, Located)>,
    pub dependencies: Vec<Coordinates>,
    /// Imported BOMs and managed versions (`dependencyManagement`).
    pub managed: Vec<Coordinates>,
    /// `build/plugins`: plugins that run.
    pub plugins: Vec<Plugin>,
    /// `build/pluginManagement/plugins`: versions and configuration only.
    pub managed_plugins: Vec<Plugin>,
    pub modules: Vec<Located>,
}

impl Pom {
    pub fn parse(path: &str, text: &str) -> Result<Pom> {
        let doc = crate::detect::xml::parse(path, text, "a well-formed Maven pom.xml")?;
        crate::detect::xml::expect_root(&doc, path, "project", "a Maven pom.xml")?;
        let project = doc.root_element();
        let r = Reader { doc: &doc };
        let build = child(project, "build");
        let plugins_of = |parent: Option<Node>| -> Vec<Plugin> {
            parent
                .and_then(|p| child(p, "plugins"))
                .map(|ps| children(ps, "plugin").map(|p| r.plugin(p)).collect())
                .unwrap_or_default()
        };
        Ok(Pom {
            path: path.to_string(),
            artifact_id: r.located(child(project, "artifactId")),
            version: r.located(child(project, "version")),
            packaging: r.located(child(project, "packaging")),
            final_name: r.located(build.and_then(|b| child(b, "finalName"))),
            parent: child(project, "parent").map(|p| r.coordinates(p)),
            properties: child(project, "properties")
                .map(|ps| {
                    ps.children()
                        .filter(Node::is_element)
                        .filter_map(|p| {
                            Some((p.tag_name().name().to_string(), r.located(Some(p))?))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            dependencies: child(project, "dependencies")
                .map(|ds| {
                    children(ds, "dependency")
                        .map(|d| r.coordinates(d))
                        .collect()
                })
                .unwrap_or_default(),
            managed: child(project, "dependencyManagement")
                .and_then(|m| child(m, "dependencies"))
                .map(|ds| {
                    children(ds, "dependency")
                        .map(|d| r.coordinates(d))
                        .collect()
                })
                .unwrap_or_default(),
            plugins: plugins_of(build),
            managed_plugins: plugins_of(build.and_then(|b| child(b, "pluginManagement"))),
            modules: child(project, "modules")
                .map(|ms| {
                    children(ms, "module")
                        .filter_map(|m| r.located(Some(m)))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    pub fn evidence(&self, line: usize) -> Evidence {
        Evidence::at(&self.path, Some(line))
    }

    pub fn property(&self, name: &str) -> Option<&Located> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    pub fn dependency(&self, group: &str, artifact: &str) -> Option<&Coordinates> {
        self.dependencies
            .iter()
            .find(|d| d.group_id == group && d.artifact_id == artifact)
    }

    /// A plugin that runs in this build (`build/plugins`), by artifactId.
    pub fn plugin(&self, artifact: &str) -> Option<&Plugin> {
        self.plugins
            .iter()
            .find(|p| p.coordinates.artifact_id == artifact)
    }

    /// The version of a plugin, from `build/plugins` or `pluginManagement`.
    pub fn plugin_version(&self, artifact: &str) -> Option<(String, usize)> {
        self.plugins
            .iter()
            .chain(&self.managed_plugins)
            .filter(|p| p.coordinates.artifact_id == artifact)
            .find_map(|p| Some((p.coordinates.version.clone()?, p.coordinates.line)))
    }

    /// `artifactId`, falling back to the parent's (Maven inherits groupId and version, not
    /// artifactId, but a pom without one is invalid anyway).
    pub fn version_or_parent(&self) -> Option<String> {
        self.version
            .as_ref()
            .map(|v| v.value.clone())
            .or_else(|| self.parent.as_ref().and_then(|p| p.version.clone()))
    }
}

/// Resolves `${name}` references in `value` against the poms' properties (the module's first,
/// then its parents') and the project's own coordinates. None when a reference is unknown.
pub fn resolve(value: &str, poms: &[&Pom]) -> Option<String> {
    let mut out = value.to_string();
    for _ in 0..8 {
        let Some(start) = out.find("${") else {
            return Some(out);
        };
        let end = start + out[start..].find('}')?;
        let name = &out[start + 2..end];
        let replacement = lookup(name, poms)?;
        out.replace_range(start..=end, &replacement);
    }
    None
}

fn lookup(name: &str, poms: &[&Pom]) -> Option<String> {
    let own = poms.first()?;
    match name {
        "project.artifactId" | "artifactId" | "pom.artifactId" => {
            return own.artifact_id.as_ref().map(|a| a.value.clone())
        }
        "project.version" | "version" | "pom.version" => return own.version_or_parent(),
        "project.parent.version" => return own.parent.as_ref().and_then(|p| p.version.clone()),
        _ => {}
    }
    poms.iter()
        .find_map(|p| p.property(name))
        .map(|l| l.value.clone())
}

struct Reader<'a, 'input> {
    doc: &'a Document<'input>,
}

impl Reader<'_, '_> {
    fn line(&self, node: Node) -> usize {
        self.doc.text_pos_at(node.range().start).row as usize
    }

    fn located(&self, node: Option<Node>) -> Option<Located> {
        let node = node?;
        let text: String = node
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect();
        let value = text.trim();
        (!value.is_empty()).then(|| Located {
            value: value.to_string(),
            line: self.line(node),
        })
    }

    fn text_of(&self, node: Node, name: &str) -> Option<String> {
        self.located(child(node, name)).map(|l| l.value)
    }

    fn coordinates(&self, node: Node) -> Coordinates {
        Coordinates {
            group_id: self.text_of(node, "groupId").unwrap_or_default(),
            artifact_id: self.text_of(node, "artifactId").unwrap_or_default(),
            version: self.text_of(node, "version"),
            scope: self.text_of(node, "scope"),
            line: self.line(node),
        }
    }

    fn plugin(&self, node: Node) -> Plugin {
        let config = child(node, "configuration");
        let main_class = node
            .descendants()
            .find(|d| d.is_element() && matches!(d.tag_name().name(), "mainClass" | "Main-Class"))
            .and_then(|d| self.located(Some(d)));
        Plugin {
            coordinates: self.coordinates(node),
            main_class,
            release: config.and_then(|c| self.located(child(c, "release"))),
            source: config.and_then(|c| self.located(child(c, "source"))),
        }
    }
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POM: &str = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.3.5</version>
  </parent>
  <artifactId>demo</artifactId>
  <version>1.0</version>
  <properties>
    <java.version>21</java.version>
    <app.name>${project.artifactId}-app</app.name>
  </properties>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><scope>test</scope></dependency>
  </dependencies>
  <build>
    <finalName>${app.name}</finalName>
    <plugins>
      <plugin>
        <artifactId>maven-jar-plugin</artifactId>
        <configuration><archive><manifest><mainClass>x.Main</mainClass></manifest></archive></configuration>
      </plugin>
    </plugins>
  </build>
</project>"#;

    #[test]
    fn reads_coordinates_properties_and_plugins() {
        let pom = Pom::parse("pom.xml", POM).unwrap();
        assert_eq!(
            pom.parent.as_ref().unwrap().version.as_deref(),
            Some("3.3.5")
        );
        assert_eq!(pom.property("java.version").unwrap().line, 11);
        assert_eq!(
            pom.dependency("g", "a").unwrap().scope.as_deref(),
            Some("test")
        );
        let jar = pom.plugin("maven-jar-plugin").unwrap();
        assert_eq!(jar.main_class.as_ref().unwrap().value, "x.Main");
        let name = pom.final_name.as_ref().unwrap();
        assert_eq!(resolve(&name.value, &[&pom]).as_deref(), Some("demo-app"));
        assert_eq!(resolve("${nope}", &[&pom]), None);
    }

    #[test]
    fn malformed_pom_names_line_and_column() {
        let err = Pom::parse(
            "pom.xml",
            "<project>\n  <artifactId>x</artifact>\n</project>",
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("pom.xml:2:"), "{err}");
        assert!(
            err.contains("expected a well-formed Maven pom.xml"),
            "{err}"
        );
        let err = Pom::parse("pom.xml", "<settings/>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected <project>"), "{err}");
    }
}

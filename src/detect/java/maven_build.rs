//! A Maven build as `BuildFacts`: which module holds the application, the Java version its
//! properties and compiler plugin state, Spring Boot (parent, BOM or plugin), packaging, and the
//! archive `mvn package` writes (`target/<finalName>.<packaging>`). Poms of a module inherit
//! from the root pom, so values are looked up in the module first, then the root.

use super::build_tool::{has_main_class, wrapper_version, BuildFacts, Stated};
use super::maven::{resolve, Pom};
use crate::error::Result;
use crate::facts::{Evidence, Fact, PackageManager};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

const BOOT_PLUGIN: &str = "spring-boot-maven-plugin";
const BOOT_GROUP: &str = "org.springframework.boot";
/// Plugins that put the dependencies into the jar.
const FAT_JAR_PLUGINS: &[&str] = &[
    "maven-shade-plugin",
    "maven-assembly-plugin",
    "quarkus-maven-plugin",
    BOOT_PLUGIN,
];

pub fn detect(
    tree: &RepoTree,
    dir: &str,
    pom_path: &str,
    evidence: Evidence,
) -> Result<BuildFacts> {
    let root = Pom::parse(pom_path, &tree.read_text(pom_path)?)?;
    let mut warnings = Vec::new();
    let (module, app) = choose_module(tree, dir, &root, &mut warnings)?;
    let poms: Vec<&Pom> = match &app {
        Some(m) => vec![m, &root],
        None => vec![&root],
    };
    let app_pom = poms[0];
    let module_dir = module
        .as_ref()
        .map_or(dir.to_string(), |m| join(dir, &m.value));

    let wrapper = (tree.exists(&join(dir, "mvnw")))
        .then(|| Fact::new("mvnw".to_string(), Evidence::file(join(dir, "mvnw"))));
    let tool_version = wrapper_version(
        tree,
        &join(dir, ".mvn/wrapper/maven-wrapper.properties"),
        "apache-maven-",
    );
    let mut manifests = vec!["pom.xml".to_string()];
    manifests.extend(root.modules.iter().map(|m| module_pom(&m.value)));

    let spring_boot = spring_boot(&poms);
    let boot_plugin = poms
        .iter()
        .find_map(|p| p.plugin(BOOT_PLUGIN).map(|pl| (p, pl)));
    if let (Some(boot), None) = (&spring_boot, boot_plugin) {
        warnings.push(Warning::located("spring-boot-plugin-missing", format!(
            "{}: uses Spring Boot but does not apply {BOOT_PLUGIN}: the jar is not executable; add the plugin to build/plugins",
            boot.evidence.source()
        )));
    }
    let actuator = poms.iter().find_map(|p| {
        p.dependency(BOOT_GROUP, "spring-boot-starter-actuator")
            .map(|d| {
                p.evidence(d.line)
                    .because("spring-boot-starter-actuator dependency")
            })
    });

    let packaging = match &app_pom.packaging {
        Some(p) => Fact::new(p.value.clone(), app_pom.evidence(p.line)),
        None => Fact::new(
            "jar".to_string(),
            Evidence::file(&app_pom.path).because("Maven's default packaging"),
        ),
    };
    let artifact = artifact(
        &poms,
        &packaging.value,
        module.as_ref().map(|m| m.value.as_str()),
        &mut warnings,
    );

    let main_plugin = poms
        .iter()
        .flat_map(|p| p.plugins.iter().map(move |pl| (p, pl)))
        .find_map(|(p, pl)| pl.main_class.as_ref().map(|m| (p, pl, m)));
    let main_class = main_plugin.map(|(p, pl, m)| {
        Fact::new(
            m.value.clone(),
            p.evidence(m.line)
                .because(format!("{} mainClass", pl.coordinates.artifact_id)),
        )
    });
    let manifest_main = main_plugin.is_some_and(|(_, pl, _)| {
        matches!(
            pl.coordinates.artifact_id.as_str(),
            "maven-jar-plugin" | "maven-shade-plugin"
        )
    });
    if spring_boot.is_none()
        && !poms
            .iter()
            .any(|p| FAT_JAR_PLUGINS.iter().any(|f| p.plugin(f).is_some()))
    {
        let runtime: Vec<&str> = poms
            .iter()
            .flat_map(|p| &p.dependencies)
            .filter(|d| matches!(d.scope.as_deref(), None | Some("compile" | "runtime")))
            .map(|d| d.artifact_id.as_str())
            .collect();
        if !runtime.is_empty() {
            warnings.push(Warning::located("jar-without-dependencies", format!(
                "{}: the jar does not contain its dependencies ({}) and no shade or assembly plugin adds them: `java -jar` will not find their classes",
                app_pom.path,
                runtime.join(", ")
            )));
        }
    }

    Ok(BuildFacts {
        tool: Fact::new(PackageManager::Maven, evidence),
        wrapper,
        tool_version,
        module,
        module_dir,
        manifests,
        java: java_versions(&poms),
        spring_boot,
        actuator,
        packaging,
        artifact,
        main_class,
        manifest_main,
        name: app_pom
            .artifact_id
            .as_ref()
            .map(|a| Fact::new(a.value.clone(), app_pom.evidence(a.line))),
        install_dist: None,
        warnings,
    })
}

fn module_pom(module: &str) -> String {
    if module.ends_with(".xml") {
        module.to_string()
    } else {
        join(module, "pom.xml")
    }
}

/// In a multi-module build, the module with the Spring Boot plugin, else one with a main class.
fn choose_module(
    tree: &RepoTree,
    dir: &str,
    root: &Pom,
    warnings: &mut Vec<Warning>,
) -> Result<(Option<Fact<String>>, Option<Pom>)> {
    let mut scored = Vec::new();
    for m in &root.modules {
        let path = join(dir, &module_pom(&m.value));
        if !tree.exists(&path) {
            warnings.push(Warning::located(
                "maven-module-missing",
                format!("{}:{}: module {} has no {path}", root.path, m.line, m.value),
            ));
            continue;
        }
        let pom = Pom::parse(&path, &tree.read_text(&path)?)?;
        let folder = m.value.trim_end_matches("/pom.xml").to_string();
        let (score, why) = if pom.plugin(BOOT_PLUGIN).is_some() {
            (2, format!("module {folder} applies {BOOT_PLUGIN}"))
        } else if has_main_class(tree, &join(dir, &folder)) {
            (1, format!("module {folder} has a main class"))
        } else {
            (0, String::new())
        };
        scored.push((score, folder, why, m.line, pom));
    }
    let best = scored.iter().map(|s| s.0).max().unwrap_or(0);
    if best == 0 {
        return Ok((None, None));
    }
    let mut winners: Vec<_> = scored.into_iter().filter(|s| s.0 == best).collect();
    if winners.len() > 1 {
        let names: Vec<&str> = winners.iter().map(|w| w.1.as_str()).collect();
        warnings.push(
            Warning::located(
                "maven-module-guessed",
                format!(
            "{}: modules {} could each be the application; building {} (set module=... to choose)",
            root.path,
            names.join(", "),
            names[0]
        ),
            )
            .about("module"),
        );
    }
    let (_, folder, why, line, pom) = winners.swap_remove(0);
    Ok((
        Some(Fact::new(
            folder,
            Evidence::at(&root.path, Some(line)).because(why),
        )),
        Some(pom),
    ))
}

fn spring_boot(poms: &[&Pom]) -> Option<Fact<Option<String>>> {
    for pom in poms {
        if let Some(parent) = pom.parent.as_ref().filter(|p| {
            p.group_id == BOOT_GROUP
                && matches!(
                    p.artifact_id.as_str(),
                    "spring-boot-starter-parent" | "spring-boot-dependencies"
                )
        }) {
            return Some(Fact::new(
                parent.version.as_deref().and_then(|v| resolve(v, poms)),
                pom.evidence(parent.line)
                    .because(format!("parent {}", parent.artifact_id)),
            ));
        }
        if let Some(bom) = pom
            .managed
            .iter()
            .find(|d| d.group_id == BOOT_GROUP && d.artifact_id == "spring-boot-dependencies")
        {
            return Some(Fact::new(
                bom.version.as_deref().and_then(|v| resolve(v, poms)),
                pom.evidence(bom.line)
                    .because("spring-boot-dependencies BOM"),
            ));
        }
    }
    for pom in poms {
        if let Some((v, line)) = pom.plugin_version(BOOT_PLUGIN) {
            return Some(Fact::new(
                resolve(&v, poms),
                pom.evidence(line).because(BOOT_PLUGIN),
            ));
        }
    }
    poms.iter().find_map(|pom| {
        let plugin = pom.plugin(BOOT_PLUGIN).map(|p| p.coordinates.line);
        let dep = pom
            .dependencies
            .iter()
            .find(|d| d.group_id == BOOT_GROUP)
            .map(|d| d.line);
        plugin.or(dep).map(|line| {
            Fact::new(
                None,
                pom.evidence(line)
                    .because("Spring Boot without a stated version"),
            )
        })
    })
}

fn java_versions(poms: &[&Pom]) -> Vec<Stated> {
    let mut out = Vec::new();
    for pom in poms {
        let mut push = |raw: &str, line: usize, what: &str| {
            if let Some(raw) = resolve(raw, poms) {
                out.push(Stated {
                    raw,
                    evidence: pom.evidence(line),
                    what: what.to_string(),
                });
            }
        };
        let compiler = pom.plugin("maven-compiler-plugin").or_else(|| {
            pom.managed_plugins
                .iter()
                .find(|p| p.coordinates.artifact_id == "maven-compiler-plugin")
        });
        for name in ["maven.compiler.release"] {
            if let Some(p) = pom.property(name) {
                push(&p.value, p.line, name);
            }
        }
        if let Some(r) = compiler.and_then(|c| c.release.as_ref()) {
            push(&r.value, r.line, "maven-compiler-plugin release");
        }
        // `jdk.version` and `release.version` are the Micronaut parent's names for it.
        for name in [
            "java.version",
            "jdk.version",
            "release.version",
            "maven.compiler.source",
            "maven.compiler.target",
        ] {
            if let Some(p) = pom.property(name) {
                push(&p.value, p.line, name);
            }
        }
        if let Some(s) = compiler.and_then(|c| c.source.as_ref()) {
            push(&s.value, s.line, "maven-compiler-plugin source");
        }
    }
    out
}

fn artifact(
    poms: &[&Pom],
    packaging: &str,
    module: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Option<Fact<String>> {
    let app = poms[0];
    let ext = if packaging == "war" { "war" } else { "jar" };
    let (raw, evidence) = match poms
        .iter()
        .find_map(|p| p.final_name.as_ref().map(|f| (p, f)))
    {
        Some((p, f)) => (
            f.value.clone(),
            p.evidence(f.line).because("build.finalName"),
        ),
        None => {
            let id = app.artifact_id.as_ref()?;
            let version = app.version_or_parent().unwrap_or_default();
            (
                format!("{}-{}", id.value, version),
                app.evidence(id.line)
                    .because("artifactId-version (no finalName)"),
            )
        }
    };
    let Some(name) = resolve(&raw, poms) else {
        warnings.push(Warning::located(
            "archive-name-unknown",
            format!(
                "{}: cannot resolve the archive name '{raw}'; the build copies target/*.{ext}",
                evidence.source()
            ),
        ));
        return None;
    };
    let path = join(module.unwrap_or("."), &format!("target/{name}.{ext}"));
    Some(Fact::new(path, evidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_module_build_picks_the_boot_module() {
        let tree = RepoTree::from_files([
            ("pom.xml", "<project><artifactId>p</artifactId><version>1</version><packaging>pom</packaging><properties><java.version>21</java.version></properties><modules><module>lib</module><module>app</module></modules></project>"),
            ("lib/pom.xml", "<project><artifactId>lib</artifactId></project>"),
            ("app/pom.xml", "<project><parent><groupId>x</groupId><artifactId>p</artifactId><version>1</version></parent><artifactId>app</artifactId><build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId><version>3.3.0</version></plugin></plugins></build></project>"),
        ]);
        let b = detect(&tree, ".", "pom.xml", Evidence::file("pom.xml")).unwrap();
        assert_eq!(b.module.unwrap().value, "app");
        assert_eq!(b.artifact.unwrap().value, "app/target/app-1.jar");
        assert_eq!(b.spring_boot.unwrap().value.as_deref(), Some("3.3.0"));
        assert_eq!(b.java[0].raw, "21");
        assert_eq!(b.manifests, ["pom.xml", "lib/pom.xml", "app/pom.xml"]);
    }
}

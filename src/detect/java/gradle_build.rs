//! A Gradle build as `BuildFacts`: the project that holds the application (the root or an
//! included project that applies Spring Boot or `application`), the Java toolchain or
//! compatibility, Spring Boot's plugin version, packaging, and the archive `bootJar`/`jar`
//! writes (`build/libs/<archivesName>-<version>.jar`).

use super::build_tool::{
    has_main_class, wrapper_version, BuildFacts, Stated, GRADLE_SCRIPTS, GRADLE_SETTINGS,
};
use super::gradle::Script;
use crate::error::Result;
use crate::facts::{Evidence, Fact, PackageManager};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

const BOOT: &str = "org.springframework.boot";

fn script_in(tree: &RepoTree, dir: &str, names: &[&str]) -> Result<Option<Script>> {
    for name in names {
        let path = join(dir, name);
        if tree.exists(&path) {
            return Ok(Some(Script::new(&path, &tree.read_text(&path)?)));
        }
    }
    Ok(None)
}

pub fn detect(tree: &RepoTree, dir: &str, evidence: Evidence) -> Result<BuildFacts> {
    let mut warnings = Vec::new();
    let root = script_in(tree, dir, GRADLE_SCRIPTS)?;
    let settings = script_in(tree, dir, GRADLE_SETTINGS)?;
    let relative = |p: &str| p.strip_prefix(&format!("{dir}/")).unwrap_or(p).to_string();

    let mut manifests: Vec<String> = settings
        .iter()
        .chain(&root)
        .map(|s| relative(&s.path))
        .collect();
    for extra in ["gradle.properties", "gradle/libs.versions.toml"] {
        if tree.exists(&join(dir, extra)) {
            manifests.push(extra.to_string());
        }
    }
    // Included projects, scored: Spring Boot applied 2, `application` or a main class 1.
    let score = |s: &Script, folder: &str| -> (u8, String) {
        if s.plugin(BOOT).is_some() {
            (2, format!("{} applies the Spring Boot plugin", s.path))
        } else if s.plugin("application").is_some() || has_main_class(tree, folder) {
            (1, format!("{} has a main class", s.path))
        } else {
            (0, String::new())
        }
    };
    let mut best: (u8, Option<(Fact<String>, Script)>) =
        (root.as_ref().map_or(0, |r| score(r, dir).0), None);
    let includes = settings.as_ref().map(Script::includes).unwrap_or_default();
    for inc in &includes {
        let folder = join(dir, &inc.value);
        let Some(script) = script_in(tree, &folder, GRADLE_SCRIPTS)? else {
            continue;
        };
        manifests.push(relative(&script.path));
        let (s, why) = score(&script, &folder);
        if s > best.0 {
            let settings_path = settings.as_ref().map_or(String::new(), |s| s.path.clone());
            let fact = Fact::new(
                inc.value.clone(),
                Evidence::at(settings_path, Some(inc.line)).because(why),
            );
            best = (s, Some((fact, script)));
        }
    }
    let (module, app_script) = match best.1 {
        Some((fact, script)) => (Some(fact), Some(script)),
        None => (None, None),
    };
    let scripts: Vec<&Script> = app_script.iter().chain(&root).collect();
    let module_dir = module
        .as_ref()
        .map_or(dir.to_string(), |m| join(dir, &m.value));

    let wrapper = tree.exists(&join(dir, "gradlew")).then(|| {
        let jar = join(dir, "gradle/wrapper/gradle-wrapper.jar");
        if !tree.exists(&jar) {
            warnings.push(Warning::located("gradle-wrapper-jar-missing", format!(
                "{}: the wrapper script is present but {jar} is not: it cannot start until the jar is committed",
                join(dir, "gradlew")
            )));
        }
        Fact::new("gradlew".to_string(), Evidence::file(join(dir, "gradlew")))
    });
    let tool_version = wrapper_version(
        tree,
        &join(dir, "gradle/wrapper/gradle-wrapper.properties"),
        "gradle-",
    );

    let java = scripts
        .iter()
        .flat_map(|s| {
            s.java_versions().into_iter().map(|(f, what)| Stated {
                raw: f.value,
                evidence: Evidence::at(&s.path, Some(f.line)),
                what: what.to_string(),
            })
        })
        .collect();

    let app = scripts.first().copied();
    let spring_boot =
        app.and_then(|s| s.plugin(BOOT).map(|p| (s, p)))
            .map(|(s, (version, line))| {
                let declared = version.or_else(|| {
                    scripts
                        .iter()
                        .find_map(|r| r.plugin_declared(BOOT).and_then(|p| p.0))
                });
                Fact::new(
                    declared,
                    Evidence::at(&s.path, Some(line)).because("Spring Boot Gradle plugin"),
                )
            });
    let actuator = app.and_then(|s| {
        s.dependency("spring-boot-starter-actuator").map(|l| {
            Evidence::at(&s.path, Some(l)).because("spring-boot-starter-actuator dependency")
        })
    });
    let packaging = match app.and_then(|s| s.plugin("war").map(|p| (s, p.1))) {
        Some((s, line)) => Fact::new(
            "war".to_string(),
            Evidence::at(&s.path, Some(line)).because("war plugin"),
        ),
        None => Fact::new(
            "jar".to_string(),
            evidence.clone().because("Gradle java plugin: a jar"),
        ),
    };

    let name = settings.as_ref().and_then(|s| {
        s.root_project_name().map(|f| {
            Fact::new(
                f.value,
                Evidence::at(&s.path, Some(f.line)).because("rootProject.name"),
            )
        })
    });
    let artifact = artifact(
        &scripts,
        module.as_ref(),
        name.as_ref(),
        dir,
        &packaging.value,
        tree,
    );
    if artifact.is_none() {
        warnings.push(Warning::located("archive-name-unknown", format!(
            "{}: the archive name is not stated (no rootProject.name or archivesName); the build copies build/libs/*.{}",
            evidence.path, packaging.value
        )));
    }
    let main_class = app.and_then(|s| {
        s.main_class().map(|f| {
            Fact::new(
                f.value,
                Evidence::at(&s.path, Some(f.line)).because("main class in the build script"),
            )
        })
    });
    let manifest_main = spring_boot.is_some() || app.is_some_and(Script::manifest_main_class);
    // `application` without Spring Boot: installDist lays the app out with its dependency jars.
    let install_dist = app
        .filter(|_| spring_boot.is_none())
        .and_then(|s| s.plugin("application").map(|(_, line)| (s, line)))
        .map(|(s, line)| {
            let project = match &module {
                Some(m) => m.value.rsplit('/').next().unwrap_or(&m.value).to_string(),
                None => name.as_ref().map_or_else(
                    || dir.rsplit('/').next().unwrap_or(dir).to_string(),
                    |n| n.value.clone(),
                ),
            };
            let folder = join(
                module.as_ref().map_or(".", |m| m.value.as_str()),
                &format!("build/install/{project}"),
            );
            Fact::new(
                folder,
                Evidence::at(&s.path, Some(line)).because(
                    "the application plugin: installDist writes the app and its dependency jars",
                ),
            )
        });

    Ok(BuildFacts {
        tool: Fact::new(PackageManager::Gradle, evidence),
        wrapper,
        tool_version,
        module,
        module_dir,
        manifests,
        java,
        spring_boot,
        actuator,
        packaging,
        artifact,
        main_class,
        manifest_main,
        install_dist,
        name,
        warnings,
    })
}

/// `build/libs/<base>-<version>.<ext>` of the application project.
fn artifact(
    scripts: &[&Script],
    module: Option<&Fact<String>>,
    root_name: Option<&Fact<String>>,
    dir: &str,
    ext: &str,
    tree: &RepoTree,
) -> Option<Fact<String>> {
    let libs = join(module.map_or(".", |m| m.value.as_str()), "build/libs");
    let app = scripts.first()?;
    if let Some(f) = app.archive_file_name() {
        return Some(Fact::new(
            join(&libs, &f.value),
            Evidence::at(&app.path, Some(f.line)).because("archiveFileName"),
        ));
    }
    let (base, evidence) = if let Some(f) = app.archive_base_name() {
        (
            f.value,
            Evidence::at(&app.path, Some(f.line)).because("archive base name"),
        )
    } else if let Some(m) = module {
        let last = m.value.rsplit('/').next().unwrap_or(&m.value).to_string();
        (
            last,
            m.evidence.clone().because("the project's folder name"),
        )
    } else if let Some(n) = root_name {
        (n.value.clone(), n.evidence.clone())
    } else if dir != "." {
        let last = dir.rsplit('/').next().unwrap_or(dir).to_string();
        (
            last,
            Evidence::file(dir).because("the project's folder name"),
        )
    } else {
        return None;
    };
    let properties = tree.read_text(&join(dir, "gradle.properties")).ok();
    let version = scripts
        .iter()
        .find_map(|s| s.version().map(|f| f.value))
        .or_else(|| {
            properties?.lines().find_map(|l| {
                l.trim().strip_prefix("version").map(|r| {
                    r.trim_start()
                        .trim_start_matches(['=', ':'])
                        .trim()
                        .to_string()
                })
            })
        });
    let file = match version.filter(|v| !v.is_empty()) {
        Some(v) => format!("{base}-{v}.{ext}"),
        None => format!("{base}.{ext}"),
    };
    Some(Fact::new(join(&libs, &file), evidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_project_build_picks_the_boot_project() {
        let tree = RepoTree::from_files([
            (
                "settings.gradle.kts",
                "rootProject.name = \"shop\"\ninclude(\"lib\", \"api\")\n",
            ),
            (
                "build.gradle.kts",
                "plugins {\n  id(\"org.springframework.boot\") version \"3.3.4\" apply false\n}\n",
            ),
            ("lib/build.gradle.kts", "plugins { `java-library` }\n"),
            (
                "api/build.gradle.kts",
                "plugins {\n  java\n  id(\"org.springframework.boot\")\n}\nversion = \"2.0\"\n",
            ),
        ]);
        let b = detect(&tree, ".", Evidence::file("settings.gradle.kts")).unwrap();
        assert_eq!(b.module.unwrap().value, "api");
        assert_eq!(b.spring_boot.unwrap().value.as_deref(), Some("3.3.4"));
        assert_eq!(b.artifact.unwrap().value, "api/build/libs/api-2.0.jar");
        assert!(b.manifests.contains(&"api/build.gradle.kts".to_string()));
    }
}

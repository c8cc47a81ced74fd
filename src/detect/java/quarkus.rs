//! Quarkus: what its build writes and how it starts. The default package is the fast-jar
//! layout, a folder (`target/quarkus-app/`, Gradle `build/quarkus-app/`) whose `quarkus-run.jar`
//! needs the `lib/`, `app/` and `quarkus/` beside it, so the whole folder is the artifact;
//! `quarkus.package.jar.type=uber-jar` writes one `<name>-runner.jar` instead. The port is
//! `quarkus.http.port` (8080 by default), and SmallRye Health serves `/q/health`.

use super::build_tool::BuildFacts;
use super::spring::{port_value, AppConfig};
use crate::facts::{Evidence, Fact, PackageManager, ServiceFacts};
use crate::repo::{join, RepoTree};

/// What the application runs from, relative to the service folder.
pub enum Package {
    /// A folder copied as a whole, and the jar in it that starts the application.
    Folder { dir: String, jar: String },
    /// One runnable jar.
    Jar(String),
}

pub struct QuarkusFacts {
    pub package: Fact<Package>,
    pub port: Option<Fact<u16>>,
    pub health: Option<Fact<String>>,
}

/// `out_dir` is where the build tool writes (`target`, `build`), relative to the service
/// folder and including the application module; `name` is the artifact's base name
/// (`artifactId-version`); `smallrye_health` is the dependency's evidence when present.
pub fn detect(
    config: &AppConfig,
    out_dir: &str,
    name: Option<&str>,
    framework: &Evidence,
    smallrye_health: Option<Evidence>,
) -> QuarkusFacts {
    let jar_type = ["quarkus.package.jar.type", "quarkus.package.type"]
        .iter()
        .find_map(|k| config.get(k).map(|s| (k, s)));
    let package = match (jar_type, name) {
        (Some((key, s)), Some(name)) if s.value == "uber-jar" => Fact::new(
            Package::Jar(join(out_dir, &format!("{name}-runner.jar"))),
            s.evidence.clone().because(format!("{key}=uber-jar")),
        ),
        _ => Fact::new(
            Package::Folder {
                dir: join(out_dir, "quarkus-app"),
                jar: "quarkus-run.jar".to_string(),
            },
            framework
                .clone()
                .because("Quarkus's default fast-jar package: quarkus-app/ with quarkus-run.jar"),
        ),
    };
    let port = match config.get("quarkus.http.port") {
        Some(s) => port_value(&s.value)
            .map(|(p, _)| Fact::new(p, s.evidence.clone().because("quarkus.http.port"))),
        None => Some(Fact::new(
            8080,
            framework
                .clone()
                .because("Quarkus listens on 8080 by default"),
        )),
    };
    let root = config
        .get("quarkus.http.root-path")
        .map(|s| s.value.trim_end_matches('/').to_string())
        .unwrap_or_default();
    let health = smallrye_health.map(|ev| {
        Fact::new(
            format!("{root}/q/health"),
            ev.because("quarkus-smallrye-health serves /q/health"),
        )
    });
    QuarkusFacts {
        package,
        port,
        health,
    }
}

/// Quarkus's start: the fast-jar folder's runner (or the uber-jar), recorded as the `app_dir`
/// and `app_jar` the runtime copies and starts.
pub fn start(
    facts: &mut ServiceFacts,
    tree: &RepoTree,
    build: &BuildFacts,
    dir: &str,
    framework: &Evidence,
) -> QuarkusFacts {
    let maven = build.tool.value == PackageManager::Maven;
    let out_dir = join(
        build.module.as_ref().map_or(".", |m| m.value.as_str()),
        if maven { "target" } else { "build" },
    );
    let name = build.artifact.as_ref().and_then(|a| {
        let file = a.value.rsplit('/').next()?;
        file.rsplit_once('.').map(|(stem, _)| stem.to_string())
    });
    let health_dependency = build.manifests.iter().find_map(|m| {
        let path = join(dir, m);
        let text = tree.read_text(&path).ok()?;
        crate::detect::source_scan::line_of(&text, "quarkus-smallrye-health").map(|line| {
            Evidence::at(path, Some(line)).because("quarkus-smallrye-health dependency")
        })
    });
    let config = AppConfig::read(tree, &build.module_dir);
    let q = detect(
        &config,
        &out_dir,
        name.as_deref(),
        framework,
        health_dependency,
    );
    let java = |jar: String| vec!["java".to_string(), "-jar".to_string(), jar];
    match &q.package.value {
        Package::Folder { dir: app_dir, jar } => {
            facts.start = Some(Fact::new(
                java(join(app_dir, jar)),
                q.package.evidence.clone(),
            ));
            facts.detail("app_dir", app_dir.clone(), q.package.evidence.clone());
            facts.detail("app_jar", jar.clone(), q.package.evidence.clone());
        }
        Package::Jar(jar) => {
            facts.start = Some(Fact::new(java(jar.clone()), q.package.evidence.clone()));
            facts.detail("artifact", jar.clone(), q.package.evidence.clone());
        }
    }
    facts.detail("executable_jar", true, q.package.evidence.clone());
    facts.detail(
        "packaging",
        "jar",
        build
            .packaging
            .evidence
            .clone()
            .because("Quarkus packages jars"),
    );
    q
}

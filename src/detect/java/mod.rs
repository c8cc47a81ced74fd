//! Java detection: a folder with a pom.xml or a Gradle build is a Java project. Reads the build
//! (Maven or Gradle, choosing one when both exist), the Java version, Spring Boot and its
//! configuration, and the application source; returns facts with evidence. Pure (`RepoTree`).

mod build_tool;
mod collection;
mod frameworks;
mod gradle;
mod gradle_build;
mod maven;
mod maven_build;
mod migrations;
mod quarkus;
mod routes;
mod spring;
mod version;

use crate::detect::source_scan::best_health;
use crate::error::Result;
use crate::facts::{Evidence, Fact, Language, PackageManager, ServiceFacts};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;
use build_tool::BuildFacts;
use spring::{AppConfig, JarMode};

/// Spring Boot's embedded server port when nothing sets it.
const SPRING_DEFAULT_PORT: u16 = 8080;

pub fn detect(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    let Some(choice) = build_tool::choose(tree, dir) else {
        return Ok(None);
    };
    if choice.tool == PackageManager::Maven {
        let pom = maven::Pom::parse(&choice.manifest, &tree.read_text(&choice.manifest)?)?;
        if collection::is_collection(tree, dir, &pom) {
            return Ok(None);
        }
    }
    let build = match choice.tool {
        PackageManager::Gradle => gradle_build::detect(tree, dir, choice.evidence.clone())?,
        _ => maven_build::detect(tree, dir, &choice.manifest, choice.evidence.clone())?,
    };
    let mut facts = ServiceFacts::new(dir, Language::Java);
    facts.warnings.extend(choice.warning);
    facts.warnings.extend(build.warnings.iter().cloned());
    facts.package_manager = Some(build.tool.clone());

    let v = version::detect(tree, dir, &build.java);
    facts.version = v.version;
    facts.warnings.extend(v.warnings);

    commands(&mut facts, &build);
    migrations::apply(tree, &choice.manifest, &mut facts);
    let boot = build.spring_boot.clone();
    if let Some(boot) = &boot {
        facts.framework = Some(Fact::new("spring-boot".to_string(), boot.evidence.clone()));
        if let Some(version) = &boot.value {
            facts.detail(
                "spring_boot_version",
                version.clone(),
                boot.evidence.clone(),
            );
        }
        let (mode, launcher, why) =
            spring::layering(boot.value.as_deref(), build.packaging.value == "war");
        facts.detail("jar_mode", mode.name(), boot.evidence.clone().because(why));
        if let (Some(launcher), true) = (launcher, mode != JarMode::None) {
            facts.detail("launcher", launcher, boot.evidence.clone());
        }
        if boot.value.is_none() {
            facts.warnings.push(Warning::located("spring-boot-version-unknown", format!(
                "{}: Spring Boot version not found; the fat jar runs without layers (set spring_boot_version and jar_mode to split it)",
                boot.evidence.source()
            )).about("spring_boot_version"));
        }
    }

    let source = routes::scan(tree, &build.module_dir);
    let main_class = build.main_class.clone().or(source.main_class);
    if let Some(main) = &main_class {
        facts.detail("main_class", main.value.clone(), main.evidence.clone());
    }
    if let Some(dist) = &build.install_dist {
        facts.detail("app_dir", dist.value.clone(), dist.evidence.clone());
    }
    let executable = build.manifest_main || boot.is_some();
    facts.detail(
        "executable_jar",
        executable,
        build.packaging.evidence.clone().because(if boot.is_some() {
            "a Spring Boot fat jar runs with java -jar"
        } else if executable {
            "the jar manifest names the main class"
        } else {
            "the jar manifest names no main class: run with -cp and the main class"
        }),
    );
    let artifact_shown = build.artifact.as_ref().map_or_else(
        || {
            format!(
                "{}/*.{}",
                if build.tool.value == PackageManager::Maven {
                    "target"
                } else {
                    "build/libs"
                },
                build.packaging.value
            )
        },
        |a| a.value.clone(),
    );
    let jar = |a: String| vec!["java".to_string(), "-jar".to_string(), a];
    facts.start = match (&boot, &main_class) {
        (Some(b), _) => Some(Fact::new(
            jar(artifact_shown),
            b.evidence.clone().because("the Spring Boot fat jar"),
        )),
        (None, Some(m)) if build.manifest_main => Some(Fact::new(
            jar(artifact_shown),
            m.evidence
                .clone()
                .because("the jar manifest names the main class"),
        )),
        (None, Some(m)) => Some(match &build.install_dist {
            Some(dist) => Fact::new(
                vec![
                    "java".into(),
                    "-cp".into(),
                    format!("{}/lib/*", dist.value),
                    m.value.clone(),
                ],
                dist.evidence.clone(),
            ),
            None => Fact::new(
                vec!["java".into(), "-cp".into(), artifact_shown, m.value.clone()],
                m.evidence.clone(),
            ),
        }),
        (None, None) => None,
    };
    let framework = if boot.is_none() {
        let manifests: Vec<String> = build.manifests.iter().map(|m| join(dir, m)).collect();
        frameworks::detect(tree, &manifests)
    } else {
        None
    };
    let quarkus = framework
        .as_ref()
        .filter(|f| f.name.value == "quarkus")
        .map(|f| quarkus::start(&mut facts, tree, &build, dir, &f.name.evidence));
    if facts.start.is_none() {
        facts.warnings.push(Warning::located("no-main-class", format!(
            "{}: no main class found (jar manifest, build script or a class with main); set main_class",
            build.tool.evidence.path
        )).about("main_class"));
    }

    if boot.is_some() {
        spring_port_and_health(&mut facts, tree, &build, source.routes);
    } else if let Some(q) = quarkus {
        facts.port = q.port;
        facts.framework = framework.map(|f| f.name);
        facts.health = q
            .health
            .or_else(|| best_health(source.routes, &[]).map(|h| Fact::new(h.route, h.evidence)));
    } else {
        facts.port = source
            .port
            .or_else(|| framework.as_ref().and_then(|f| f.default_port.clone()));
        facts.framework = framework.map(|f| f.name);
        facts.health = best_health(source.routes, &[]).map(|h| Fact::new(h.route, h.evidence));
    }
    facts.probe_grpc_by_tcp();
    Ok(Some(facts))
}

/// The build and dependency-resolution commands, and the build facts the templates use.
fn commands(facts: &mut ServiceFacts, build: &BuildFacts) {
    let maven = build.tool.value == PackageManager::Maven;
    let program = match (&build.wrapper, maven) {
        (Some(_), true) => "./mvnw",
        (Some(_), false) => "./gradlew",
        (None, true) => "mvn",
        (None, false) => "gradle",
    };
    let module = build.module.as_ref().map(|m| m.value.clone());
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let (resolve, mut command) = if maven {
        (
            words(&[program, "-B", "dependency:go-offline"]),
            words(&[program, "-B", "package", "-DskipTests"]),
        )
    } else {
        let task = match (build.spring_boot.is_some(), build.packaging.value == "war") {
            (true, true) => "bootWar",
            (true, false) => "bootJar",
            (false, true) => "war",
            (false, false) if build.install_dist.is_some() => "installDist",
            (false, false) => "jar",
        };
        let prefix = module
            .as_ref()
            .map_or(String::new(), |m| format!(":{}:", m.replace('/', ":")));
        (
            words(&[program, "--no-daemon", &format!("{prefix}dependencies")]),
            words(&[program, "--no-daemon", &format!("{prefix}{task}")]),
        )
    };
    if let (Some(m), true) = (&module, maven) {
        command.extend(["-pl".to_string(), m.clone(), "-am".to_string()]);
    }
    let ev = Evidence::file(&build.tool.evidence.path).because(match &build.wrapper {
        Some(_) => format!("{program}: the committed wrapper script"),
        None => format!(
            "{program}: no wrapper script, the image's {}",
            build.tool.value.name()
        ),
    });
    facts.build = Some(Fact::new(command, ev.clone()));
    facts.detail(
        "resolve",
        resolve,
        ev.clone()
            .because("downloads dependencies before the source is copied"),
    );
    facts.detail(
        "manifests",
        build.manifests.clone(),
        Evidence::file(&build.tool.evidence.path).because("build files, copied before the source"),
    );
    if let Some(w) = &build.wrapper {
        facts.detail("wrapper", true, w.evidence.clone());
    }
    if let Some(v) = &build.tool_version {
        facts.detail("tool_version", v.value.clone(), v.evidence.clone());
    }
    if let Some(m) = &build.module {
        facts.detail("module", m.value.clone(), m.evidence.clone());
    }
    facts.detail(
        "packaging",
        build.packaging.value.clone(),
        build.packaging.evidence.clone(),
    );
    if let Some(a) = &build.artifact {
        facts.detail("artifact", a.value.clone(), a.evidence.clone());
    }
    if let Some(n) = &build.name {
        facts.detail("name", n.value.clone(), n.evidence.clone());
    }
}

/// Spring: `server.port` (or Boot's 8080), the actuator health endpoint when the actuator is
/// there and exposes it, else a health route from the controllers; the context path and a
/// separate management port are applied.
fn spring_port_and_health(
    facts: &mut ServiceFacts,
    tree: &RepoTree,
    build: &BuildFacts,
    routes: Vec<crate::detect::source_scan::RouteHit>,
) {
    let config = AppConfig::read(tree, &build.module_dir);
    let boot_ev = build
        .spring_boot
        .as_ref()
        .map_or_else(|| build.tool.evidence.clone(), |b| b.evidence.clone());
    facts.port = Some(match config.get("server.port") {
        Some(s) => match spring::port_value(&s.value) {
            Some((port, placeholder)) => Fact::new(
                port,
                s.evidence.clone().because(if placeholder {
                    format!("default of {}", s.value)
                } else {
                    "server.port".into()
                }),
            ),
            None => {
                facts.warnings.push(Warning::located("port-not-a-number", format!(
                    "{}: server.port '{}' is not a port number; using Spring Boot's default {SPRING_DEFAULT_PORT}",
                    s.evidence.source(),
                    s.value
                )).about("port"));
                Fact::new(
                    SPRING_DEFAULT_PORT,
                    boot_ev.clone().because("Spring Boot's default port"),
                )
            }
        },
        None => Fact::new(
            SPRING_DEFAULT_PORT,
            boot_ev.clone().because("Spring Boot's default port"),
        ),
    });
    let context = config
        .get("server.servlet.context-path")
        .map(|s| s.value.trim_end_matches('/').to_string())
        .unwrap_or_default();
    let management_port = config
        .get("management.server.port")
        .and_then(|s| spring::port_value(&s.value).map(|(p, _)| (p, s.evidence.clone())));
    let exposed = config
        .get("management.endpoints.web.exposure.include")
        .is_none_or(|s| {
            s.value
                .split(',')
                .any(|e| matches!(e.trim(), "health" | "*"))
        });
    let actuator = build.actuator.clone().filter(|_| exposed);
    if build.actuator.is_some() && !exposed {
        facts.warnings.push(Warning::located("actuator-health-hidden", format!(
            "{}: management.endpoints.web.exposure.include leaves out health; the health check uses an application route",
            config.get("management.endpoints.web.exposure.include").map_or(String::new(), |s| s.evidence.source())
        )).about("health"));
    }
    if let Some(ev) = actuator {
        let base = config
            .get("management.endpoints.web.base-path")
            .map_or("/actuator".to_string(), |s| {
                s.value.trim_end_matches('/').to_string()
            });
        let prefix = if management_port.is_some() {
            String::new()
        } else {
            context.clone()
        };
        facts.health = Some(Fact::new(
            format!("{prefix}{base}/health"),
            ev.because("Spring Boot actuator health endpoint, DOWN while a configured database, Redis or MongoDB is unreachable (its health indicators)"),
        ));
        if let Some((port, ev)) = management_port {
            facts.detail(
                "health_port",
                port,
                ev.because("management.server.port: the actuator listens there"),
            );
        }
    } else if let Some(hit) = best_health(routes, &[]) {
        facts.health = Some(Fact::new(format!("{context}{}", hit.route), hit.evidence));
    }
}

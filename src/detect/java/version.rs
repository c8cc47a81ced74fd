//! The Java feature release a service runs on. The build states the release it compiles for
//! (Maven properties and compiler plugin, Gradle toolchain or compatibility); a
//! `system.properties` `java.runtime.version` states the runtime itself and wins when it is not
//! older than the compile release. `1.8` is 8; `17.0.2` is 17. Disagreements are warnings
//! naming both files.

use super::build_tool::Stated;
use crate::facts::{Evidence, Fact};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

/// Java releases past the end of free public updates of their images, for a gentle nudge.
const OLD_RELEASES: &[u64] = &[8, 11];

pub struct VersionFacts {
    pub version: Option<Fact<String>>,
    pub warnings: Vec<Warning>,
}

pub fn detect(tree: &RepoTree, dir: &str, stated: &[Stated]) -> VersionFacts {
    let mut warnings = Vec::new();
    let mut parsed: Vec<(&Stated, u64)> = Vec::new();
    for s in stated {
        match feature_release(&s.raw) {
            Some(v) => parsed.push((s, v)),
            None => warnings.push(
                Warning::located(
                    "version-not-understood",
                    format!(
                "{}: {} '{}' is not understood; expected a Java release such as 17, 21 or 1.8",
                s.evidence.source(),
                s.what,
                s.raw
            ),
                )
                .about("version"),
            ),
        }
    }
    let build = parsed.first().copied();
    if let Some((first, major)) = build {
        for (other, v) in parsed.iter().skip(1) {
            if *v != major && other.evidence.path != first.evidence.path {
                warnings.push(
                    Warning::new(
                        "version-disagreement",
                        format!(
                            "java version: {} says {} ({}) but {} says {} ({}); using {major}",
                            first.evidence.source(),
                            first.raw,
                            first.what,
                            other.evidence.source(),
                            other.raw,
                            other.what
                        ),
                    )
                    .about("version"),
                );
            }
        }
    }
    let runtime = runtime_version(tree, dir);
    let chosen = match (build, &runtime) {
        (Some((s, major)), Some((rt, rt_major))) if *rt_major < major => {
            warnings.push(
                Warning::new(
                    "version-disagreement",
                    format!(
                "java version: {} asks for runtime {} but {} compiles for {}; using {major}",
                rt.source(),
                rt_major,
                s.evidence.source(),
                s.raw
            ),
                )
                .about("version"),
            );
            Some((
                s.evidence.clone().because(format!("{} {}", s.what, s.raw)),
                major,
            ))
        }
        (Some((s, major)), Some((rt, rt_major))) => {
            let detail = if *rt_major == major {
                format!("java.runtime.version; the build's {} agrees", s.what)
            } else {
                format!(
                    "java.runtime.version; the build compiles for {major} ({})",
                    s.evidence.source()
                )
            };
            Some((rt.clone().because(detail), *rt_major))
        }
        (None, Some((rt, rt_major))) => {
            Some((rt.clone().because("java.runtime.version"), *rt_major))
        }
        (Some((s, major)), None) => {
            let detail = if s.raw == major.to_string() {
                s.what.clone()
            } else {
                format!("{} {}: images are chosen by feature release", s.what, s.raw)
            };
            Some((s.evidence.clone().because(detail), major))
        }
        (None, None) => None,
    };
    if let Some((_, major)) = &chosen {
        if OLD_RELEASES.contains(major) {
            warnings.push(Warning::new("no-distroless-image", format!(
                "Java {major} has no distroless image; the runtime is eclipse-temurin:{major}-jre. Consider Java 17 or 21"
            )).about("version"));
        }
    }
    VersionFacts {
        version: chosen.map(|(ev, major)| Fact::new(major.to_string(), ev)),
        warnings,
    }
}

/// `java.runtime.version` from `system.properties` (the Heroku convention).
fn runtime_version(tree: &RepoTree, dir: &str) -> Option<(Evidence, u64)> {
    let path = join(dir, "system.properties");
    let text = tree.read_text(&path).ok()?;
    text.lines().enumerate().find_map(|(i, line)| {
        let (key, value) = line.split_once(['=', ':'])?;
        (key.trim() == "java.runtime.version")
            .then(|| feature_release(value.trim()))
            .flatten()
            .map(|v| (Evidence::at(&path, Some(i + 1)), v))
    })
}

/// `17`, `17.0.2`, `1.8`, `21-ea`, `VERSION_17` style values as a feature release.
pub fn feature_release(raw: &str) -> Option<u64> {
    let raw = raw.trim().trim_matches(['"', '\'']);
    let mut parts = raw.split(['.', '-', '_', '+']);
    let first: u64 = parts.next()?.parse().ok()?;
    let major = if first == 1 {
        parts.next()?.parse().ok()?
    } else {
        first
    };
    (5..=99).contains(&major).then_some(major)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stated(raw: &str, path: &str) -> Stated {
        Stated {
            raw: raw.into(),
            evidence: Evidence::at(path, Some(3)),
            what: "java.version".into(),
        }
    }

    #[test]
    fn releases_reduce_to_their_feature_number() {
        assert_eq!(feature_release("1.8"), Some(8));
        assert_eq!(feature_release("17.0.2"), Some(17));
        assert_eq!(feature_release("21"), Some(21));
        assert_eq!(feature_release("${java.version}"), None);
    }

    #[test]
    fn system_properties_state_the_runtime_unless_older() {
        let tree = RepoTree::from_files([("system.properties", "java.runtime.version=21\n")]);
        let v = detect(&tree, ".", &[stated("17", "pom.xml")]);
        assert_eq!(v.version.unwrap().value, "21");
        let tree = RepoTree::from_files([("system.properties", "java.runtime.version=11\n")]);
        let v = detect(&tree, ".", &[stated("17", "pom.xml")]);
        assert_eq!(v.version.unwrap().value, "17");
        assert!(v.warnings[0].contains("system.properties:1"));
    }
}

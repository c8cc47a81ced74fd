//! Spring Boot specifics: how the fat jar is split into layers for the detected Boot version,
//! the launcher class that starts the extracted layers, and the settings in
//! `application.properties` / `application.yml` that decide the port and the health endpoint
//! (`server.port`, `server.servlet.context-path`, `management.*`).

use crate::facts::Evidence;
use crate::repo::{join, RepoTree};

/// How the build stage turns the fat jar into layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JarMode {
    /// Boot 3.3+: `java -Djarmode=tools -jar app.jar extract --layers --launcher`.
    Tools,
    /// Boot 2.4 to 3.2: `java -Djarmode=layertools -jar app.jar extract`.
    Layertools,
    /// Older or unknown Boot: the fat jar is run as it is.
    None,
}

impl JarMode {
    pub fn name(self) -> &'static str {
        match self {
            JarMode::Tools => "tools",
            JarMode::Layertools => "layertools",
            JarMode::None => "none",
        }
    }
}

/// The layering mode and launcher class for Spring Boot `version` (`None`: unknown version).
pub fn layering(version: Option<&str>, war: bool) -> (JarMode, Option<String>, String) {
    let Some((major, minor)) = version.and_then(major_minor) else {
        return (
            JarMode::None,
            None,
            "Spring Boot version unknown: the fat jar runs as it is".into(),
        );
    };
    let kind = if war { "WarLauncher" } else { "JarLauncher" };
    let launcher = if (major, minor) >= (3, 2) {
        format!("org.springframework.boot.loader.launch.{kind}")
    } else {
        format!("org.springframework.boot.loader.{kind}")
    };
    let v = format!("{major}.{minor}");
    if (major, minor) >= (3, 3) {
        (
            JarMode::Tools,
            Some(launcher),
            format!("Spring Boot {v}: jarmode=tools extract --layers --launcher"),
        )
    } else if (major, minor) >= (2, 4) {
        (
            JarMode::Layertools,
            Some(launcher),
            format!("Spring Boot {v}: jarmode=layertools extract"),
        )
    } else {
        (
            JarMode::None,
            None,
            format!("Spring Boot {v} has no layered jars by default: the fat jar runs as it is"),
        )
    }
}

fn major_minor(v: &str) -> Option<(u64, u64)> {
    let mut parts = v.split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// A setting from application.properties or application.yml, with where it is.
#[derive(Debug, Clone)]
pub struct Setting {
    pub value: String,
    pub evidence: Evidence,
}

/// The flattened settings of the module's `src/main/resources/application.{properties,yml,yaml}`.
pub struct AppConfig {
    entries: Vec<(String, Setting)>,
}

impl AppConfig {
    pub fn read(tree: &RepoTree, module_dir: &str) -> AppConfig {
        let mut entries = Vec::new();
        let resources = join(module_dir, "src/main/resources");
        for name in [
            "application.properties",
            "application.yml",
            "application.yaml",
        ] {
            let path = join(&resources, name);
            let Ok(text) = tree.read_text(&path) else {
                continue;
            };
            let flat = if name.ends_with(".properties") {
                properties(&text)
            } else {
                yaml(&text)
            };
            entries.extend(flat.into_iter().map(|(key, value, line)| {
                (
                    key,
                    Setting {
                        value,
                        evidence: Evidence::at(&path, Some(line)),
                    },
                )
            }));
        }
        AppConfig { entries }
    }

    pub fn get(&self, key: &str) -> Option<&Setting> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, s)| s)
    }
}

/// A port setting: `8081`, or the default of a placeholder `${PORT:8081}`.
pub fn port_value(value: &str) -> Option<(u16, bool)> {
    if let Some(inner) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) {
        let (_, default) = inner.split_once(':')?;
        return port_value(default).map(|(p, _)| (p, true));
    }
    value
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .map(|p| (p, false))
}

fn properties(text: &str) -> Vec<(String, String, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.starts_with(['#', '!']) || line.is_empty() {
                return None;
            }
            let (key, value) = line.split_once(['=', ':'])?;
            Some((key.trim().to_string(), value.trim().to_string(), i + 1))
        })
        .collect()
}

/// Flattens the block mappings of the first YAML document (`server:\n  port: 8081` is
/// `server.port`); sequences and flow collections are skipped.
fn yaml(text: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim_start().starts_with('#') || raw.trim().is_empty() {
            continue;
        }
        if i > 0 && raw.starts_with("---") {
            break;
        }
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if line.starts_with('-') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        while stack.last().is_some_and(|(d, _)| *d >= indent) {
            stack.pop();
        }
        let key = key.trim().trim_matches(['"', '\'']);
        let full = stack
            .iter()
            .map(|(_, k)| k.as_str())
            .chain(std::iter::once(key))
            .collect::<Vec<_>>()
            .join(".");
        let value = value
            .split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if value.is_empty() {
            stack.push((indent, key.to_string()));
        } else {
            out.push((full, value.to_string(), i + 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layering_follows_the_boot_version() {
        assert_eq!(layering(Some("3.3.5"), false).0, JarMode::Tools);
        let (mode, launcher, _) = layering(Some("3.2.12"), false);
        assert_eq!(mode, JarMode::Layertools);
        assert_eq!(
            launcher.as_deref(),
            Some("org.springframework.boot.loader.launch.JarLauncher")
        );
        let (mode, launcher, _) = layering(Some("2.7.18"), false);
        assert_eq!(mode, JarMode::Layertools);
        assert_eq!(
            launcher.as_deref(),
            Some("org.springframework.boot.loader.JarLauncher")
        );
        assert_eq!(layering(Some("2.2.0.RELEASE"), false).0, JarMode::None);
        assert_eq!(layering(None, false).0, JarMode::None);
    }

    #[test]
    fn yaml_and_properties_flatten_to_dotted_keys() {
        let y = yaml("server:\n  port: 8081 # web\n  servlet:\n    context-path: /api\nmanagement:\n  server:\n    port: \"9001\"\n---\nserver:\n  port: 1\n");
        assert_eq!(y[0], ("server.port".into(), "8081".into(), 2));
        assert_eq!(y[1].0, "server.servlet.context-path");
        assert_eq!(y[2], ("management.server.port".into(), "9001".into(), 7));
        assert_eq!(y.len(), 3);
        let p = properties("# c\nserver.port=${PORT:8082}\n");
        assert_eq!(p[0].2, 2);
        assert_eq!(port_value(&p[0].1), Some((8082, true)));
        assert_eq!(port_value("${PORT}"), None);
    }
}

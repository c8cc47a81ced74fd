//! Reading Gradle build scripts (`build.gradle`, `build.gradle.kts`) and settings scripts.
//! They are programs, not data: dockgen recognises the common declarative forms of both DSLs
//! (plugins, toolchain, compatibility, archive names, version, main class, includes) with
//! patterns, after blanking comments so commented-out lines say nothing.

use crate::detect::source_scan::line_at;
use regex::Regex;
use std::sync::LazyLock;

macro_rules! pattern {
    ($name:ident, $re:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($re).expect("valid pattern"));
    };
}

pattern!(
    TOOLCHAIN,
    r"languageVersion\s*(?:=|\.set\s*\()\s*JavaLanguageVersion\.of\(\s*(\d+)\s*\)"
);
pattern!(JVM_TOOLCHAIN, r"jvmToolchain\s*\(\s*(\d+)\s*\)");
pattern!(
    COMPATIBILITY,
    r#"(?:source|target)Compatibility\s*(?:=|\.set\s*\()\s*(?:JavaVersion\.VERSION_([0-9_]+)|["']([0-9.]+)["']|([0-9.]+))"#
);
pattern!(RELEASE, r"options\.release\s*(?:=|\.set\s*\()\s*(\d+)");
pattern!(
    ARCHIVE_NAME,
    r#"(?:archivesBaseName|archivesName|archiveBaseName)\s*(?:=|\.set\s*\()\s*["']([^"'$]+)["']"#
);
pattern!(
    ARCHIVE_FILE,
    r#"archiveFileName\s*(?:=|\.set\s*\()\s*["']([^"'$]+)["']"#
);
pattern!(VERSION, r#"(?m)^\s*version\s*=\s*["']([^"'$]+)["']"#);
pattern!(
    MAIN_CLASS,
    r#"(?:mainClass(?:Name)?\s*(?:=|\.set\s*\()\s*|["']Main-Class["']\s*\]?\s*(?::|to|,|=)\s*)["']([\w.$]+)["']"#
);
pattern!(ROOT_NAME, r#"rootProject\.name\s*=\s*["']([^"']+)["']"#);
pattern!(INCLUDE, r"(?m)^\s*include\s*\(?([^\n)]*)");
pattern!(QUOTED, r#"["']([^"']+)["']"#);
pattern!(
    CORE_PLUGIN,
    r#"(?m)^\s*(?:`?([a-z-]+)`?|id\s*\(?\s*["']([a-z-]+)["']\s*\)?)\s*$"#
);
pattern!(
    APPLY_PLUGIN,
    r#"apply\s*\(?\s*plugin\s*[:=]\s*["']([\w.-]+)["']"#
);
pattern!(BOOT_CLASSPATH, r#"spring-boot-gradle-plugin:([\w.-]+)"#);

/// A Gradle build or settings script, with comments blanked (offsets and lines unchanged).
#[derive(Debug, Clone)]
pub struct Script {
    pub path: String,
    pub code: String,
}

/// A value found in a script and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub value: String,
    pub line: usize,
}

impl Script {
    pub fn new(path: &str, text: &str) -> Script {
        Script {
            path: path.to_string(),
            code: blank_comments(text),
        }
    }

    fn first(&self, re: &Regex) -> Option<Found> {
        let c = re.captures(&self.code)?;
        let m = c.iter().skip(1).flatten().next()?;
        Some(Found {
            value: m.as_str().to_string(),
            line: line_at(&self.code, m.start()),
        })
    }

    /// A plugin applied by id (not declared with `apply false`), with its version when stated.
    pub fn plugin(&self, id: &str) -> Option<(Option<String>, usize)> {
        self.plugin_declared(id).filter(|(_, line)| {
            !self
                .code
                .lines()
                .nth(line - 1)
                .is_some_and(|l| l.contains("apply false"))
        })
    }

    /// A plugin named by id: `id("x") version "v"`, `id 'x' version 'v'`, `apply plugin: 'x'`,
    /// or, for core plugins, the bare name inside `plugins { }`. The version when stated.
    pub fn plugin_declared(&self, id: &str) -> Option<(Option<String>, usize)> {
        let quoted = regex::escape(id);
        let by_id = Regex::new(&format!(
            r#"id\s*\(?\s*["']{quoted}["']\s*\)?(?:\s*version\s*\(?\s*["']([^"']+)["'])?"#
        ))
        .ok()?;
        if let Some(c) = by_id.captures(&self.code) {
            let at = c.get(0).map_or(0, |m| m.start());
            return Some((
                c.get(1).map(|m| m.as_str().to_string()),
                line_at(&self.code, at),
            ));
        }
        if let Some(c) = APPLY_PLUGIN.captures_iter(&self.code).find(|c| &c[1] == id) {
            let at = c.get(0).map_or(0, |m| m.start());
            return Some((None, line_at(&self.code, at)));
        }
        if id == "org.springframework.boot" {
            if let Some(f) = self.first(&BOOT_CLASSPATH) {
                return Some((Some(f.value), f.line));
            }
        }
        let block = self.plugins_block()?;
        CORE_PLUGIN
            .captures_iter(&self.code[block.clone()])
            .find(|c| c.get(1).or(c.get(2)).is_some_and(|m| m.as_str() == id))
            .map(|c| {
                (
                    None,
                    line_at(
                        &self.code,
                        block.start + c.get(1).or(c.get(2)).map_or(0, |m| m.start()),
                    ),
                )
            })
    }

    /// The byte range of the `plugins { ... }` block.
    fn plugins_block(&self) -> Option<std::ops::Range<usize>> {
        let start = self.code.find("plugins")?;
        let open = start + self.code[start..].find('{')?;
        let mut depth = 0;
        for (i, ch) in self.code[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(open + 1..open + i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The line of the first dependency on `artifact` (any configuration).
    pub fn dependency(&self, artifact: &str) -> Option<usize> {
        let needle = format!(":{artifact}");
        self.code.find(&needle).map(|at| line_at(&self.code, at))
    }

    /// Java versions stated by the toolchain, `jvmToolchain`, `options.release` and
    /// source/target compatibility, in that order, with the line and what stated it.
    pub fn java_versions(&self) -> Vec<(Found, &'static str)> {
        let mut out = Vec::new();
        if let Some(f) = self.first(&TOOLCHAIN) {
            out.push((f, "java toolchain languageVersion"));
        }
        if let Some(f) = self.first(&JVM_TOOLCHAIN) {
            out.push((f, "jvmToolchain"));
        }
        if let Some(f) = self.first(&RELEASE) {
            out.push((f, "options.release"));
        }
        if let Some(mut f) = self.first(&COMPATIBILITY) {
            f.value = f.value.replace('_', ".");
            out.push((f, "sourceCompatibility"));
        }
        out
    }

    pub fn archive_base_name(&self) -> Option<Found> {
        self.first(&ARCHIVE_NAME)
    }

    pub fn archive_file_name(&self) -> Option<Found> {
        self.first(&ARCHIVE_FILE)
    }

    pub fn version(&self) -> Option<Found> {
        self.first(&VERSION)
    }

    pub fn main_class(&self) -> Option<Found> {
        self.first(&MAIN_CLASS)
    }

    /// Whether the jar manifest names a `Main-Class` (so `java -jar` works).
    pub fn manifest_main_class(&self) -> bool {
        self.code.contains("Main-Class")
    }

    pub fn root_project_name(&self) -> Option<Found> {
        self.first(&ROOT_NAME)
    }

    /// Included projects as folders: `include(":app")` is `app`, `':services:api'` is
    /// `services/api`.
    pub fn includes(&self) -> Vec<Found> {
        INCLUDE
            .captures_iter(&self.code)
            .flat_map(|c| {
                let args = c.get(1).map_or("", |m| m.as_str());
                let line = line_at(&self.code, c.get(0).map_or(0, |m| m.start()));
                QUOTED
                    .captures_iter(args)
                    .map(|q| Found {
                        value: q[1].trim_start_matches(':').replace(':', "/"),
                        line,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// Replaces `// ...` and `/* ... */` comments with spaces, keeping newlines and offsets. A `//`
/// inside a string (`"https://..."`) is kept: strings are skipped.
fn blank_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q || b == b'\n' {
                quote = None;
            }
            i += 1;
            continue;
        }
        match (b, bytes.get(i + 1)) {
            (b'"' | b'\'', _) => quote = Some(b),
            (b'/', Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            (b'/', Some(b'*')) => {
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    if bytes[i] != b'\n' {
                        out[i] = b' ';
                    }
                    i += 1;
                }
                for _ in 0..2 {
                    if i < bytes.len() {
                        out[i] = b' ';
                        i += 1;
                    }
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII spaces, so the text stays valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KTS: &str = r#"plugins {
    java
    id("org.springframework.boot") version "3.2.12"
    // id("war")
}
version = "0.0.1-SNAPSHOT"
java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }
dependencies { implementation("org.springframework.boot:spring-boot-starter-actuator") }
tasks.jar { manifest { attributes["Main-Class"] = "com.x.Main" } }
"#;

    #[test]
    fn reads_kotlin_dsl() {
        let s = Script::new("build.gradle.kts", KTS);
        assert_eq!(
            s.plugin("org.springframework.boot"),
            Some((Some("3.2.12".into()), 3))
        );
        assert_eq!(s.plugin("java").map(|p| p.1), Some(2));
        assert_eq!(s.plugin("war"), None);
        let root = Script::new(
            "b",
            "plugins {\n  id(\"org.springframework.boot\") version \"3.3.1\" apply false\n}\n",
        );
        assert_eq!(root.plugin("org.springframework.boot"), None);
        assert_eq!(
            root.plugin_declared("org.springframework.boot")
                .unwrap()
                .0
                .as_deref(),
            Some("3.3.1")
        );
        assert_eq!(s.java_versions()[0].0.value, "21");
        assert_eq!(s.version().unwrap().value, "0.0.1-SNAPSHOT");
        assert_eq!(s.dependency("spring-boot-starter-actuator"), Some(8));
        assert_eq!(s.main_class().unwrap().value, "com.x.Main");
    }

    #[test]
    fn reads_groovy_dsl_and_settings() {
        let s = Script::new(
            "build.gradle",
            "plugins {\n  id 'java'\n  id 'application'\n}\nsourceCompatibility = JavaVersion.VERSION_1_8\njar {\n  archiveBaseName = 'clock' // name\n  manifest { attributes 'Main-Class': 'a.B' }\n}\n",
        );
        assert!(s.plugin("application").is_some());
        assert_eq!(s.java_versions()[0].0.value, "1.8");
        assert_eq!(s.archive_base_name().unwrap().value, "clock");
        assert_eq!(s.main_class().unwrap().value, "a.B");
        let settings = Script::new(
            "settings.gradle",
            "rootProject.name = 'shop'\ninclude ':api', ':services:worker'\n",
        );
        assert_eq!(settings.root_project_name().unwrap().value, "shop");
        let inc: Vec<String> = settings.includes().into_iter().map(|f| f.value).collect();
        assert_eq!(inc, ["api", "services/worker"]);
    }

    #[test]
    fn comments_are_blanked_but_urls_in_strings_stay() {
        let code = blank_comments("a // x\nurl = \"https://h\" /* y\n z */ b");
        assert_eq!(code, "a     \nurl = \"https://h\"     \n      b");
    }
}

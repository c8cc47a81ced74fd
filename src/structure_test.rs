//! What a built image must hold, as a container-structure-test config: the image settings its
//! Dockerfile's last stage gives (user, ports, entrypoint, command, working folder, variables),
//! the programs the start and the health probe run and the entry file the start names, no shell
//! and no package manager in a distroless runtime, and the runtime's version where the runtime
//! can print it. The renderer lays it out; the end-to-end tier runs it against the built image.

use crate::image_config::ImageConfig;
use crate::plan::ServicePlan;
use serde::Serialize;

/// The file dockgen writes beside each Dockerfile.
pub const FILE_NAME: &str = "container-structure-test.yaml";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructureTest {
    pub user: Option<String>,
    /// Port numbers, as container-structure-test compares them (`3000`, `53/udp`).
    pub exposed_ports: Vec<String>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub workdir: Option<String>,
    pub env: Vec<(String, String)>,
    pub files: Vec<FileCheck>,
    pub commands: Vec<CommandCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileCheck {
    pub name: String,
    pub path: String,
    pub should_exist: bool,
    /// Checked as executable by any user (the app runs as a numeric non-root one).
    pub executable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandCheck {
    pub name: String,
    pub command: String,
    pub args: Vec<String>,
    /// Regular expressions, on standard output or, where the program prints its version
    /// there, standard error.
    pub expected_output: Vec<String>,
    pub expected_error: Vec<String>,
}

/// Extensions of an entry file a start command names (`node server.js`, `java -jar app.jar`).
const ENTRY_FILES: &[&str] = &[".js", ".mjs", ".cjs", ".py", ".jar", ".dll", ".sh"];

pub fn plan(service: &ServicePlan, image: &ImageConfig) -> StructureTest {
    let mut files = Vec::new();
    let start: Vec<String> = match (&image.entrypoint, &image.cmd) {
        (Some(e), Some(c)) => e.iter().chain(c).cloned().collect(),
        (Some(e), None) => e.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => Vec::new(),
    };
    let program = |path: &str, why: &str, files: &mut Vec<FileCheck>| {
        if path.starts_with('/') && !files.iter().any(|f: &FileCheck| f.path == path) {
            files.push(FileCheck {
                name: format!("{why}: {path}"),
                path: path.to_string(),
                should_exist: true,
                executable: true,
            });
        }
    };
    if let Some(first) = start.first() {
        program(first, "the program the container starts", &mut files);
    }
    if let Some(first) = image.healthcheck.as_ref().and_then(|h| h.first()) {
        program(first, "the program the health check runs", &mut files);
    }
    let workdir = image.workdir.as_deref().unwrap_or("/");
    for word in start.iter().skip(1) {
        let entry = !word.starts_with('-')
            && !word.contains([':', '=', '(', ' ', '$'])
            && ENTRY_FILES.iter().any(|ext| word.ends_with(ext));
        if entry {
            let path = match word.starts_with('/') {
                true => word.clone(),
                false => format!("{}/{word}", workdir.trim_end_matches('/')),
            };
            files.push(FileCheck {
                name: format!("the entry file the start names: {word}"),
                path,
                should_exist: true,
                executable: false,
            });
        }
    }
    // A distroless runtime is one without a shell or a package manager: keep it so.
    if image.base.starts_with("gcr.io/distroless/") {
        for (path, what) in [
            ("/bin/sh", "no shell"),
            ("/usr/bin/apt-get", "no package manager"),
        ] {
            files.push(FileCheck {
                name: format!("{what} in the distroless runtime: {path}"),
                path: path.to_string(),
                should_exist: false,
                executable: false,
            });
        }
    }
    let version = service
        .answers
        .get("version")
        .and_then(|a| a.value.as_str())
        .map(str::to_string);
    let mut commands = Vec::new();
    let candidates = start
        .first()
        .into_iter()
        .chain(image.healthcheck.as_ref().and_then(|h| h.first()));
    for path in candidates {
        if let (Some(check), true) = (
            version.as_deref().and_then(|v| version_check(path, v)),
            commands.is_empty(),
        ) {
            commands.push(check);
        }
    }
    StructureTest {
        user: image.user.clone(),
        exposed_ports: image
            .exposed
            .iter()
            .map(|p| p.strip_suffix("/tcp").unwrap_or(p).to_string())
            .collect(),
        entrypoint: image.entrypoint.clone(),
        cmd: image.cmd.clone(),
        workdir: image.workdir.clone(),
        env: image.env.clone(),
        files,
        commands,
    }
}

/// The runtime's own version, for the interpreters whose version the plan chose.
fn version_check(path: &str, version: &str) -> Option<CommandCheck> {
    let program = path.rsplit('/').next().unwrap_or(path);
    let escaped = version.replace('.', "\\.");
    let (args, output, error) = match program {
        "node" => (vec!["--version"], vec![format!("^v{escaped}\\.")], vec![]),
        p if p == "python" || p.starts_with("python3") => (
            vec!["--version"],
            vec![format!("^Python {escaped}\\.")],
            vec![],
        ),
        // java prints its version on standard error.
        "java" => (
            vec!["-version"],
            vec![],
            vec![format!("version \"{escaped}")],
        ),
        _ => return None,
    };
    Some(CommandCheck {
        name: format!("{program} is the chosen release ({version})"),
        command: path.to_string(),
        args: args.into_iter().map(String::from).collect(),
        expected_output: output,
        expected_error: error,
    })
}

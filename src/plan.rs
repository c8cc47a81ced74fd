//! The plan: for every service, the chosen preset (and why), the resolved answers with their
//! origins, and the files it will render; plus what dockgen.toml must record so the next run
//! reproduces the same choices. A plain value, printed by `generate --plan` and snapshotted.

use crate::answers::{self, Answers, Origin, Override};
use crate::backing_plan::{self, BackingService, Connection};
use crate::error::{Error, Result};
use crate::facts::Facts;
use crate::preset::select::{select, Selection};
use crate::preset::Presets;
use crate::project_file::ProjectFile;
use crate::warning::Warning;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The compose file, written at the repository root.
pub const COMPOSE_FILE: &str = "compose.yaml";

#[derive(Debug, Clone, Serialize)]
pub struct ServicePlan {
    /// Service folder relative to the repository root (`.` for the root).
    pub path: String,
    /// Name of the service in compose.yaml.
    pub name: String,
    /// The image compose builds it as: `NAME:local`, or `PROJECT-NAME:local` in a project of
    /// several services, so that two repositories with a `backend/` never share an image.
    pub image: String,
    pub selection: Selection,
    pub answers: Answers,
    /// Backing services this service connects to, with the variables it gets.
    pub connections: Vec<Connection>,
    /// Variables the program exits without, passed from `.env` by compose.
    pub required_env: Vec<String>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The compose project's name: the only service's, else dockgen.toml's `project`, else the
    /// repository folder's (then recorded there).
    pub project: String,
    /// `project` when this render derived it and dockgen.toml should record it.
    pub record_project: Option<String>,
    pub services: Vec<ServicePlan>,
    /// Databases, caches and brokers compose.yaml runs beside the services, each once.
    pub backing: Vec<BackingService>,
    /// What dockgen.toml records: service path → key → value.
    pub record: BTreeMap<String, BTreeMap<String, toml::Value>>,
    /// Explanatory comments in the generated files (the header line is always kept).
    pub comments: bool,
    /// The compose file the services are written to: compose.yaml, or the project's own
    /// compose file of another name, which a new compose.yaml would shadow.
    pub compose_file: String,
    /// The files written beyond the default three (dockgen.toml `outputs`, `--with`).
    pub outputs: Vec<crate::outputs::Output>,
}

pub fn build(
    facts: &Facts,
    presets: &Presets,
    project: &ProjectFile,
    preset_flag: Option<&str>,
    overrides: &[Override],
    repository: Option<&str>,
) -> Result<Plan> {
    let several = facts.services.len() > 1;
    if several && preset_flag.is_some() {
        return Err(Error::Usage(
            "--preset applies to one service; this repository has several: record a preset per service in dockgen.toml".into(),
        ));
    }
    if let Some((path, entry)) = project
        .services
        .iter()
        .find(|(path, _)| !facts.services.iter().any(|f| &f.path == *path))
    {
        return Err(Error::invalid_settings(
            crate::project_file::FILE_NAME,
            entry.position,
            format!(
                "[service.\"{path}\"] names no service of this repository; expected one of: {} (remove the table, or rename it to the folder the service moved to)",
                facts.services.iter().map(|f| format!("\"{}\"", f.path)).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    for o in overrides {
        match &o.service {
            Some(s) if !facts.services.iter().any(|f| &f.path == s) => {
                return Err(Error::Usage(format!(
                    "--set {s}:{}: no service at '{s}'; services: {}",
                    o.key,
                    facts
                        .services
                        .iter()
                        .map(|f| f.path.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
            None if several => {
                return Err(Error::Usage(format!(
                    "--set {}: this repository has several services; name one, e.g. --set {}:{}={}",
                    o.key, facts.services[0].path, o.key, o.raw
                )))
            }
            _ => {}
        }
    }

    let mut services = Vec::new();
    let mut backing = Vec::new();
    let mut record = BTreeMap::new();
    let mut names = BTreeSet::new();
    for service in &facts.services {
        let entry = project.service(&service.path);
        let recorded_preset = entry
            .and_then(|e| e.preset.as_ref())
            .and_then(|p| p.value.as_str());
        let selection = select(presets, service, preset_flag, recorded_preset)?;
        let preset = presets.get(&selection.preset)?;
        let mine: Vec<Override> = overrides
            .iter()
            .filter(|o| o.service.as_deref().is_none_or(|s| s == service.path))
            .cloned()
            .collect();
        let mut answers = answers::resolve(preset, service, entry, &mine)?;
        // What detection warned about an answer given by hand no longer holds.
        let mut warnings: Vec<Warning> = service
            .warnings
            .iter()
            .filter(|w| {
                w.about.as_ref().is_none_or(|key| {
                    answers
                        .get(key)
                        .is_none_or(|a| matches!(a.origin, Origin::Detected | Origin::Default))
                })
            })
            .cloned()
            .collect();
        tcp_without_health_route(&service.path, &mut answers, &mut warnings);
        crate::port_answer::apply(service, &mut answers, &mut warnings)?;
        crate::version_check::check(service, &mut answers, &mut warnings)?;
        for (key, spec) in &preset.answers {
            let answer = &answers[key];
            if spec.required && answer.value.is_null() {
                return Err(Error::Usage(format!(
                    "{}: {key} was not detected and has no default; {}. Set it with --set {key}=... or in {}",
                    service.path,
                    spec.help,
                    crate::project_file::FILE_NAME
                )));
            }
            // A TCP probe (or none, for a worker) requests no path: its health route is not missing.
            let tcp_probe = key == "health"
                && matches!(
                    answers.get("probe").and_then(|a| a.value.as_str()),
                    Some("tcp" | "none")
                );
            if spec.detectable
                && answer.origin == Origin::Default
                && !answer.value.is_null()
                && !tcp_probe
            {
                warnings.push(Warning::located("answer-defaulted", format!(
                    "{}: {key} not detected; using the preset default {} (set it with --set {key}=...)",
                    service.path, answer.value
                )).about(key.as_str()));
            }
        }

        let mut keys = BTreeMap::new();
        keys.insert(
            "preset".to_string(),
            toml::Value::String(selection.preset.clone()),
        );
        // What detection read from the service's own Dockerfile is gone once dockgen writes
        // its Dockerfile there: record it, so the next run renders the same bytes.
        let own_dockerfile = crate::repo::join(&service.path, "Dockerfile");
        let from_own_dockerfile = |answer: &crate::answers::Answer| {
            answer.origin == Origin::Detected
                && answer.source.as_deref().is_some_and(|s| {
                    s.strip_prefix(own_dockerfile.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
                })
        };
        for (key, answer) in &answers {
            if matches!(answer.origin, Origin::Flag | Origin::Wizard) || from_own_dockerfile(answer)
            {
                // A command answered "none" is recorded as such: null has no TOML form.
                if answer.value.is_null() {
                    keys.insert(key.clone(), toml::Value::String("none".into()));
                } else if let Ok(v) = toml::Value::try_from(&answer.value) {
                    keys.insert(key.clone(), v);
                }
            }
        }

        let recorded_name = entry
            .and_then(|e| e.name.as_ref())
            .and_then(|n| n.value.as_str());
        let base = match recorded_name
            .map(String::from)
            .or_else(|| service_name(service))
        {
            Some(name) => name,
            // Named after the repository's folder, and recorded: another clone in a folder of
            // another name renders the same bytes.
            None => {
                let name = repository
                    .and_then(clean_name)
                    .unwrap_or_else(|| "app".to_string());
                keys.insert("name".to_string(), toml::Value::String(name.clone()));
                name
            }
        };
        let name = unique_name(&base, &mut names);
        record.insert(service.path.clone(), keys);
        let (connections, missing) = backing_plan::connections(service);
        warnings.extend(missing);
        let required_env: Vec<String> = service
            .details
            .get("required_env")
            .and_then(|f| f.value.as_array())
            .map(|names| {
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(fact) = service.details.get("required_env") {
            warnings.push(Warning::located("required-variable", format!(
                "{}: the program exits unless {} is set; compose.yaml passes it from .env (set it there)",
                fact.evidence.source(),
                required_env.join(", ")
            )));
        }
        for c in &connections {
            if !backing.iter().any(|b: &BackingService| b.name == c.service) {
                if let Some(b) = service
                    .backing
                    .iter()
                    .find(|b| backing_plan::service(b.value.kind).name == c.service)
                {
                    backing.push(backing_plan::service(b.value.kind));
                }
            }
        }
        services.push(ServicePlan {
            path: service.path.clone(),
            image: format!("{name}:local"),
            name,
            selection,
            answers,
            connections,
            required_env,
            warnings,
        });
    }
    let recorded_project = project.project.as_ref().and_then(|p| p.value.as_str());
    let (project_name, record_project) = match (recorded_project, services.as_slice()) {
        (None, [only]) => (only.name.clone(), None),
        (Some(name), _) => (name.to_string(), None),
        (None, _) => match repository.and_then(clean_name) {
            Some(name) => (name.clone(), Some(name)),
            None => ("app".to_string(), None),
        },
    };
    if services.len() > 1 {
        for service in &mut services {
            if service.name != project_name {
                service.image = format!("{project_name}-{}:local", service.name);
            }
        }
    }
    Ok(Plan {
        project: project_name,
        record_project,
        services,
        backing,
        record,
        comments: project.comments.unwrap_or(true),
        compose_file: COMPOSE_FILE.to_string(),
        outputs: project.outputs.clone(),
    })
}

/// A health route nobody found is never requested: when neither detection nor the user named
/// one, a preset that can probe by TCP connects to the port instead, and says so.
fn tcp_without_health_route(path: &str, answers: &mut Answers, warnings: &mut Vec<Warning>) {
    let chosen_by_default =
        |a: Option<&answers::Answer>| a.is_some_and(|a| a.origin == Origin::Default);
    if !chosen_by_default(answers.get("health")) || !chosen_by_default(answers.get("probe")) {
        return;
    }
    if answers.get("runtime").and_then(|a| a.value.as_str()) == Some("static") {
        return;
    }
    let port = answers
        .get("port")
        .map(|a| a.value.to_string())
        .unwrap_or_default();
    if let Some(probe) = answers.get_mut("probe") {
        probe.value = serde_json::Value::String("tcp".into());
    }
    warnings.push(Warning::located("health-by-tcp", format!(
        "{path}: no health route was found in the source, so the health check connects to port {port} instead of requesting a path (set health=/path to request one)"
    )).about("health"));
}

/// The compose service name: the folder of a service in a monorepo, else the name its manifest
/// declares (`@acme/web-app` is `web-app`); `None` when neither names it.
fn service_name(service: &crate::facts::ServiceFacts) -> Option<String> {
    // `services/cart/src` is the cart service: a source folder is named by its parent.
    let from_path = (service.path != ".")
        .then(|| {
            let mut parts = service.path.rsplit('/');
            let last = parts.next()?;
            let named = if last == "src" {
                parts.next().unwrap_or(last)
            } else {
                last
            };
            clean_name(named)
        })
        .flatten();
    from_path.or_else(|| {
        let declared = service.details.get("name")?.value.as_str()?;
        clean_name(declared.rsplit('/').next().unwrap_or(declared))
    })
}

/// Lower-case letters, digits, `-` and `_`, as compose service and image names allow; spaces
/// and dots become `-` (`Orders API` is `orders-api`).
fn clean_name(raw: &str) -> Option<String> {
    let mut name = String::new();
    for c in raw.chars().map(|c| c.to_ascii_lowercase()) {
        let c = if c.is_whitespace() || c == '.' {
            '-'
        } else {
            c
        };
        let keep = c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if keep && !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    let name = name.trim_matches(|c| c == '-' || c == '_').to_string();
    (!name.is_empty()).then_some(name)
}

fn unique_name(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Compose `tmpfs` entries for the folders the app writes (`writable_dirs`, under its /app
/// working directory), owned by the image's numeric user so a read-only root filesystem keeps
/// working.
pub fn writable_mounts(service: &ServicePlan, derived: &serde_json::Value) -> Vec<String> {
    let user = derived
        .get("user")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    let (uid, gid) = user.split_once(':').unwrap_or((user, user));
    service
        .answers
        .get("writable_dirs")
        .and_then(|a| a.value.as_array())
        .map(|dirs| {
            dirs.iter()
                .filter_map(serde_json::Value::as_str)
                .map(|dir| format!("/app/{dir}:uid={uid},gid={gid},mode=0755"))
                .collect()
        })
        .unwrap_or_default()
}

//! Kubernetes manifests for a service, decided here and laid out by the template: a Deployment
//! with the hardened security context (non-root with the image's own numeric user, read-only
//! root filesystem, no privilege escalation, every capability dropped, the runtime's default
//! seccomp profile), requests and limits, startup, readiness and liveness probes on the health
//! route and port the image's HEALTHCHECK uses, emptyDir volumes where the app writes; a
//! Service and a NetworkPolicy for a service that listens; a PodDisruptionBudget. Backing
//! services are references: the variables that point at them come from a Secret.

use crate::facts::Language;
use crate::image_config::ImageConfig;
use crate::plan::ServicePlan;
use crate::state_plan::ServiceState;
use serde::Serialize;

/// The folder the manifests are written to, at the repository root.
pub const DIR: &str = "k8s";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workload {
    pub name: String,
    pub namespace: String,
    pub image: String,
    pub uid: u32,
    pub gid: u32,
    pub port: Option<u64>,
    /// `http` with `path`, `tcp`, or `none` (a worker).
    pub probe: String,
    pub path: String,
    /// emptyDir mounts: (volume name, path).
    pub mounts: Vec<(String, String)>,
    /// Variables the app reads that come from the Secret `secret`.
    pub secret_env: Vec<String>,
    /// Variables with a fixed value (the SQLite file moved onto the data volume).
    pub env: Vec<(String, String)>,
    /// The migration, run by an init container of the same image before the app starts.
    pub migrate: Option<Vec<String>>,
    /// A SQLite database's claim and where it is mounted: one replica, on a volume that stays.
    pub data: Option<(String, String)>,
    pub replicas: u32,
    pub secret: String,
    pub requests: (String, String),
    pub limits: (String, String),
    /// Checks that cannot hold for this workload, each `ID=why` (checkov's skip annotations).
    pub skips: Vec<String>,
}

/// The workload of `service` in `language`, whose image the rendered Dockerfile describes.
pub fn plan(
    service: &ServicePlan,
    language: Option<Language>,
    image: &ImageConfig,
    state: &ServiceState,
    project: &str,
) -> Workload {
    let user = image.user.as_deref().unwrap_or("65532:65532");
    let (uid, gid) = user.split_once(':').unwrap_or((user, user));
    let (uid, gid) = (uid.parse().unwrap_or(65532), gid.parse().unwrap_or(65532));
    let answer = |key: &str| service.answers.get(key).map(|a| &a.value);
    let probe = answer("probe")
        .and_then(|v| v.as_str())
        .unwrap_or("http")
        .to_string();
    let port = answer("port")
        .and_then(|v| v.as_u64())
        .filter(|_| probe != "none");
    let path = answer("health")
        .and_then(|v| v.as_str())
        .unwrap_or("/")
        .to_string();
    let mut mounts = vec![("tmp".to_string(), "/tmp".to_string())];
    for dir in answer("writable_dirs")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|d| d.as_str())
    {
        mounts.push((
            format!("writable-{}", dir.replace(['/', '_', '.'], "-")),
            format!("/app/{dir}"),
        ));
    }
    let mut secret_env: Vec<String> = service
        .connections
        .iter()
        .flat_map(|c| c.environment.iter().map(|(k, _)| k.clone()))
        .chain(service.required_env.iter().cloned())
        .collect();
    secret_env.dedup();
    // Memory by runtime: a JVM reserves heap up front; compiled binaries need little.
    let (requests, limits) = match language {
        Some(Language::Java) | Some(Language::Dotnet) => (("250m", "512Mi"), ("1", "1Gi")),
        Some(Language::Go) | Some(Language::Rust) | Some(Language::Shell) => {
            (("50m", "64Mi"), ("500m", "256Mi"))
        }
        _ => (("100m", "128Mi"), ("1", "512Mi")),
    };
    let pair = |(a, b): (&str, &str)| (a.to_string(), b.to_string());
    let mut skips = vec![
        "CKV_K8S_43=the image is built here; its registry digest is set at deploy time (kubectl set image)".to_string(),
    ];
    if port.is_none() {
        for check in ["CKV_K8S_8", "CKV_K8S_9"] {
            skips.push(format!(
                "{check}=a worker listens on no port and its image has no health probe"
            ));
        }
    }
    if uid < 10000 {
        skips.push(format!(
            "CKV_K8S_40=the pod runs as the image's own user ({uid}), which the image's files are set up for"
        ));
    }
    if !secret_env.is_empty() {
        skips.push(
            "CKV_K8S_35=the app reads its connection settings from environment variables"
                .to_string(),
        );
    }
    let data = state
        .data_volume
        .as_ref()
        .map(|claim| (claim.clone(), state.data_dir.to_string()));
    Workload {
        env: state.data_env.clone().into_iter().collect(),
        migrate: state.migrate.clone(),
        replicas: if data.is_some() { 1 } else { 2 },
        data,
        name: service.name.clone(),
        namespace: project.to_string(),
        image: service.image.clone(),
        uid,
        gid,
        port,
        probe,
        path,
        mounts,
        secret: format!("{}-env", service.name),
        secret_env,
        requests: pair(requests),
        limits: pair(limits),
        skips,
    }
}

//! What detection found, each value with the evidence it came from. These types are the
//! `detect --format json` contract (see README): a fact that is not known is `None` (JSON
//! `null`), never a guess presented as a fact.

use crate::warning::Warning;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// Where a fact came from: a file (relative to the repository root, `/`-separated), the line
/// when one line says it, and a short explanation when the path alone does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub path: String,
    pub line: Option<usize>,
    pub detail: Option<String>,
}

impl Evidence {
    pub fn file(path: impl Into<String>) -> Evidence {
        Evidence {
            path: path.into(),
            line: None,
            detail: None,
        }
    }

    pub fn at(path: impl Into<String>, line: Option<usize>) -> Evidence {
        Evidence {
            path: path.into(),
            line,
            detail: None,
        }
    }

    pub fn because(mut self, detail: impl Into<String>) -> Evidence {
        self.detail = Some(detail.into());
        self
    }

    /// `path` or `path:line`, as shown in the JSON `source` field.
    pub fn source(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{}", self.path, line),
            None => self.path.clone(),
        }
    }
}

/// A detected value and its evidence. Serialises as `{"value", "source", "detail"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<T> {
    pub value: T,
    pub evidence: Evidence,
}

impl<T> Fact<T> {
    pub fn new(value: T, evidence: Evidence) -> Fact<T> {
        Fact { value, evidence }
    }
}

impl<T: Serialize> Serialize for Fact<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Fact", 3)?;
        s.serialize_field("value", &self.value)?;
        s.serialize_field("source", &self.evidence.source())?;
        s.serialize_field("detail", &self.evidence.detail)?;
        s.end()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Node,
    Python,
    Java,
    Go,
    Dotnet,
    Rust,
    /// A shell script on a plain OS image, found from the folder's own Dockerfile.
    Shell,
}

impl Language {
    pub const ALL: [Language; 7] = [
        Language::Node,
        Language::Python,
        Language::Java,
        Language::Go,
        Language::Dotnet,
        Language::Rust,
        Language::Shell,
    ];

    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Language::Node => "node",
            Language::Python => "python",
            Language::Java => "java",
            Language::Go => "go",
            Language::Dotnet => "dotnet",
            Language::Rust => "rust",
            Language::Shell => "shell",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    Npm,
    Yarn,
    Pnpm,
    Bun,
    Pip,
    Poetry,
    Uv,
    Pipenv,
    Pdm,
    Maven,
    Gradle,
    Go,
    Dotnet,
    Cargo,
}

impl PackageManager {
    pub fn name(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Yarn => "yarn",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Bun => "bun",
            PackageManager::Pip => "pip",
            PackageManager::Poetry => "poetry",
            PackageManager::Uv => "uv",
            PackageManager::Pipenv => "pipenv",
            PackageManager::Pdm => "pdm",
            PackageManager::Maven => "maven",
            PackageManager::Gradle => "gradle",
            PackageManager::Go => "go",
            PackageManager::Dotnet => "dotnet",
            PackageManager::Cargo => "cargo",
        }
    }
}

/// A kind of backing service an application connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BackingKind {
    Postgres,
    Mysql,
    Mongodb,
    Redis,
    Rabbitmq,
}

impl BackingKind {
    pub fn name(self) -> &'static str {
        match self {
            BackingKind::Postgres => "postgres",
            BackingKind::Mysql => "mysql",
            BackingKind::Mongodb => "mongodb",
            BackingKind::Redis => "redis",
            BackingKind::Rabbitmq => "rabbitmq",
        }
    }
}

/// A backing service and the environment variable the application reads its connection
/// from, when one was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backing {
    pub kind: BackingKind,
    pub env: Option<Fact<String>>,
}

/// Everything known about one deployable service of the repository.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceFacts {
    /// Folder of the service, relative to the repository root (`.` for the root itself).
    pub path: String,
    pub language: Language,
    /// Runtime version (Node major, Python minor, Java feature release, Go release).
    pub version: Option<Fact<String>>,
    pub package_manager: Option<Fact<PackageManager>>,
    pub framework: Option<Fact<String>>,
    /// Production build command, exec form.
    pub build: Option<Fact<Vec<String>>>,
    /// Production start command, exec form.
    pub start: Option<Fact<Vec<String>>>,
    pub port: Option<Fact<u16>>,
    /// A health-check route the application itself defines.
    pub health: Option<Fact<String>>,
    /// Databases, caches and brokers the service connects to, each from its driver dependency.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backing: Vec<Fact<Backing>>,
    /// Stack-specific facts the templates use (lockfile name, build output folder, ...).
    pub details: BTreeMap<String, Fact<serde_json::Value>>,
    /// The preset chosen for this service; filled in by preset selection.
    pub preset: Option<String>,
    /// Why that preset was chosen (shown by `detect --verbose`; not part of the JSON contract).
    #[serde(skip)]
    pub preset_reason: Option<String>,
    pub warnings: Vec<Warning>,
}

impl ServiceFacts {
    pub fn new(path: impl Into<String>, language: Language) -> ServiceFacts {
        ServiceFacts {
            path: path.into(),
            language,
            version: None,
            package_manager: None,
            framework: None,
            build: None,
            start: None,
            port: None,
            health: None,
            backing: Vec::new(),
            details: BTreeMap::new(),
            preset: None,
            preset_reason: None,
            warnings: Vec::new(),
        }
    }

    pub fn detail(&mut self, key: &str, value: impl Into<serde_json::Value>, evidence: Evidence) {
        self.details
            .insert(key.to_string(), Fact::new(value.into(), evidence));
    }

    /// A gRPC server answers no HTTP GET: its health check connects to the port instead.
    pub fn probe_grpc_by_tcp(&mut self) {
        let Some(fw) = self.framework.as_ref().filter(|f| f.value == "grpc") else {
            return;
        };
        let evidence = fw
            .evidence
            .clone()
            .because("a gRPC server answers no HTTP GET: the health check connects to its port");
        self.detail("probe", "tcp", evidence);
        self.health = None;
    }

    /// How much this candidate looks like a deployable service rather than tooling: used to
    /// choose between two stacks found in one folder.
    pub fn service_weight(&self) -> u32 {
        u32::from(self.start.is_some()) * 4
            + u32::from(self.framework.is_some()) * 2
            + u32::from(self.port.is_some())
            + u32::from(self.health.is_some())
    }
}

/// The whole detection result for a repository.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Facts {
    pub services: Vec<ServiceFacts>,
}

impl Facts {
    /// Every service's warnings, in order: what a failed plan prints before its error.
    pub fn warnings(&self) -> Vec<crate::warning::Warning> {
        self.services
            .iter()
            .flat_map(|s| s.warnings.iter().cloned())
            .collect()
    }
}

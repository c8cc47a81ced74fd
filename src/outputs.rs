//! The files dockgen writes beyond the default three (Dockerfile, .dockerignore and the compose
//! file): opt-in per repository with `--with`, in the wizard, or as `outputs = [...]` at the top
//! of dockgen.toml, where `--with` records them.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Output {
    /// `container-structure-test.yaml` beside each Dockerfile.
    StructureTest,
    /// `k8s/`: a namespace, and per service a Deployment, PodDisruptionBudget, NetworkPolicy
    /// and (for a service that listens) a Service.
    Kubernetes,
    /// `docker-bake.hcl` at the root: a target per service and a default group, for amd64 and
    /// arm64, with registry cache, SBOM and provenance attestations and OCI labels.
    Bake,
}

impl Output {
    pub const ALL: [Output; 3] = [Output::StructureTest, Output::Kubernetes, Output::Bake];

    /// The name `--with` and dockgen.toml use.
    pub fn name(self) -> &'static str {
        match self {
            Output::StructureTest => "structure-test",
            Output::Kubernetes => "kubernetes",
            Output::Bake => "bake",
        }
    }

    /// What the output is, as the wizard and `--help` say it.
    pub fn describe(self) -> &'static str {
        match self {
            Output::StructureTest => {
                "container-structure-test.yaml: the image's user, ports, entrypoint, files and runtime, checked against the built image"
            }
            Output::Kubernetes => {
                "k8s/: a hardened Deployment with probes and limits, Service, NetworkPolicy and PodDisruptionBudget per service"
            }
            Output::Bake => {
                "docker-bake.hcl: every service for linux/amd64 and linux/arm64 with registry cache, SBOM, provenance and OCI labels"
            }
        }
    }

    /// An output by name, or why the name is not one.
    pub fn parse(name: &str) -> Result<Output, String> {
        Output::ALL
            .into_iter()
            .find(|o| o.name() == name.trim())
            .ok_or_else(|| {
                let known: Vec<&str> = Output::ALL.iter().map(|o| o.name()).collect();
                format!(
                    "unknown output '{name}'{}; expected one of: {}",
                    crate::suggest::did_you_mean(name, known.iter().copied()),
                    known.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_a_typo_is_answered() {
        for output in Output::ALL {
            assert_eq!(Output::parse(output.name()), Ok(output));
        }
        let err = Output::parse("structure-tests").unwrap_err();
        assert!(err.contains("did you mean 'structure-test'"), "{err}");
    }
}

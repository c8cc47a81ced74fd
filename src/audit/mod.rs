//! `dockgen audit`: what an expert would change in a Dockerfile someone already has, rule by
//! rule with the line it concerns: a root user, no HEALTHCHECK, a shell-form start, the
//! dependency install after `COPY . .`, installs without a cache mount, an unpinned or
//! end-of-life base, secrets in ENV or ARG, `ADD` of a URL. Pure: text in, findings out.

pub mod rules;
pub mod sarif;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    RootUser,
    NonNumericUser,
    NoHealthcheck,
    ShellFormStart,
    InstallAfterCopyAll,
    NoCacheMount,
    UnpinnedBase,
    EndOfLifeBase,
    SecretInImage,
    AddUrl,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::RootUser,
        Rule::NonNumericUser,
        Rule::NoHealthcheck,
        Rule::ShellFormStart,
        Rule::InstallAfterCopyAll,
        Rule::NoCacheMount,
        Rule::UnpinnedBase,
        Rule::EndOfLifeBase,
        Rule::SecretInImage,
        Rule::AddUrl,
    ];

    /// The rule's stable name, as JSON and SARIF carry it.
    pub fn id(self) -> &'static str {
        match self {
            Rule::RootUser => "root-user",
            Rule::NonNumericUser => "non-numeric-user",
            Rule::NoHealthcheck => "no-healthcheck",
            Rule::ShellFormStart => "shell-form-start",
            Rule::InstallAfterCopyAll => "install-after-copy-all",
            Rule::NoCacheMount => "no-cache-mount",
            Rule::UnpinnedBase => "unpinned-base",
            Rule::EndOfLifeBase => "end-of-life-base",
            Rule::SecretInImage => "secret-in-image",
            Rule::AddUrl => "add-url",
        }
    }

    /// Why the rule matters, in one sentence.
    pub fn description(self) -> &'static str {
        match self {
            Rule::RootUser => "The runtime runs as root: a process that escapes the app owns the container.",
            Rule::NonNumericUser => "The user is a name: Kubernetes can verify runAsNonRoot only for a numeric user.",
            Rule::NoHealthcheck => "The runtime has no HEALTHCHECK: a running container that no longer answers looks healthy.",
            Rule::ShellFormStart => "The start is in shell form: /bin/sh is PID 1 and the app never receives SIGTERM.",
            Rule::InstallAfterCopyAll => "Dependencies install after the whole source is copied: every source change reinstalls them.",
            Rule::NoCacheMount => "A package install without a BuildKit cache mount downloads everything again on each rebuild.",
            Rule::UnpinnedBase => "The base image has no tag (or :latest): the same Dockerfile builds something else tomorrow.",
            Rule::EndOfLifeBase => "The base image's runtime has reached end of life: it gets no security fixes.",
            Rule::SecretInImage => "A secret is set in ENV or ARG: it stays in the image's layers and history.",
            Rule::AddUrl => "ADD of a URL downloads without a checksum, on every build.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    /// The Dockerfile, relative to the repository root.
    pub file: String,
    pub line: usize,
    /// What is wrong here, and what to do instead.
    pub message: String,
}

//! The process exit statuses, in one place: commands return them, errors map to them, and the
//! manual page's EXIT STATUS section and the README's table are written from (and tested
//! against) this list.

/// How a dockgen run ended, as the shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    /// `--check` found a file that would change, `generate` met a conflict and wrote nothing,
    /// or `verify` saw a service fail.
    Pending,
    Usage,
    InvalidInput,
    Io,
    Template,
    NoEngine,
    Cancelled,
}

impl ExitStatus {
    /// Every status, in the order the documentation lists them.
    pub const ALL: [ExitStatus; 8] = [
        ExitStatus::Success,
        ExitStatus::Pending,
        ExitStatus::Usage,
        ExitStatus::InvalidInput,
        ExitStatus::Io,
        ExitStatus::Template,
        ExitStatus::NoEngine,
        ExitStatus::Cancelled,
    ];

    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Pending => 1,
            ExitStatus::Usage => 2,
            ExitStatus::InvalidInput => 3,
            ExitStatus::Io => 4,
            ExitStatus::Template => 5,
            ExitStatus::NoEngine => 6,
            ExitStatus::Cancelled => 130,
        }
    }

    /// What the status means, as the manual page and the README say it.
    pub fn meaning(self) -> &'static str {
        match self {
            ExitStatus::Success => "success; for `--check`, every file is identical",
            ExitStatus::Pending => "changes pending (`--check`), conflicts (`generate` wrote nothing), or a service failed (`verify`)",
            ExitStatus::Usage => "usage error, unknown preset or key, or nothing recognisable in the repository",
            ExitStatus::InvalidInput => "a file in the repository (a manifest, dockgen.toml) is invalid; the message names file:line:column",
            ExitStatus::Io => "a file could not be read or written",
            ExitStatus::Template => "a template failed to render (a bug in a preset or an override template)",
            ExitStatus::NoEngine => "`verify`: no Docker engine answers, or no compose command runs",
            ExitStatus::Cancelled => "the wizard was cancelled (Ctrl-C, Escape, or \"quit\"); nothing was written",
        }
    }

    /// Pending when `any` holds, else success.
    pub fn pending_if(any: bool) -> ExitStatus {
        if any {
            ExitStatus::Pending
        } else {
            ExitStatus::Success
        }
    }
}

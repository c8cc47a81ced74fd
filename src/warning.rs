//! A warning: something the user should know about a choice dockgen made, with a stable code a
//! script can match, the file (and line) it is about, and the answer it concerns, so that a
//! warning about a question the user has answered (a missing start command they then gave) is
//! not shown any more.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Kebab-case and stable across releases: `no-lockfile`, `end-of-life`, ...
    pub code: &'static str,
    /// `path`, `path:line` or a service folder, relative to the repository root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub message: String,
    /// The answer it concerns: once that answer is given by hand, the warning no longer holds.
    #[serde(rename = "answer", skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
}

impl Warning {
    /// A warning about the project as a whole, or one whose subject is in its message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Warning {
        Warning {
            code,
            location: None,
            message: message.into(),
            about: None,
        }
    }

    /// A warning written as `LOCATION: message` (every located warning is written so): the
    /// location is what comes before the first `": "`.
    pub fn located(code: &'static str, text: impl Into<String>) -> Warning {
        let text = text.into();
        match text.split_once(": ") {
            Some((location, message)) if !location.is_empty() => Warning {
                code,
                location: Some(location.to_string()),
                message: message.to_string(),
                about: None,
            },
            _ => Warning::new(code, text),
        }
    }

    /// The answer this warning concerns.
    pub fn about(mut self, key: impl Into<String>) -> Warning {
        self.about = Some(key.into());
        self
    }

    /// Whether the text as printed contains `needle` (tests and filters read it whole).
    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_located_warning_prints_as_it_was_written() {
        let w = Warning::located("no-lockfile", "api/package.json:3: no lockfile for npm");
        assert_eq!(w.location.as_deref(), Some("api/package.json:3"));
        assert_eq!(w.message, "no lockfile for npm");
        assert_eq!(w.to_string(), "api/package.json:3: no lockfile for npm");
        let plain = Warning::located("x", "no colon-space here");
        assert_eq!(plain.location, None);
        assert_eq!(plain.to_string(), "no colon-space here");
    }
}

//! The Go release to build with, from go.mod: the `toolchain` directive when it names a newer
//! release than `go` (which is only the minimum), otherwise `go`. Images are tagged by minor
//! (`golang:1.22` carries the newest 1.22 patch), so the fact is `major.minor` and the evidence
//! says which directive decided and why.

use super::go_mod::{minor, newer, GoMod};
use crate::facts::{Evidence, Fact};
use crate::warning::Warning;

pub struct VersionFacts {
    pub version: Option<Fact<String>>,
    pub warnings: Vec<Warning>,
}

pub fn detect(manifest: &str, go_mod: &GoMod) -> VersionFacts {
    let mut warnings = Vec::new();
    let tag_note = |m: &str| {
        format!("images are tagged by minor: golang:{m} carries the newest {m} patch release")
    };
    let version = match (&go_mod.go, &go_mod.toolchain) {
        (Some(go), Some(tc)) if !newer(&go.value, &tc.value) => {
            let m = minor(&tc.value);
            Some(Fact::new(
                m.clone(),
                Evidence::at(manifest, Some(tc.line)).because(format!(
                    "toolchain go{} (go {} is only the minimum language version) selects the build release; {}",
                    tc.value,
                    go.value,
                    tag_note(&m)
                )),
            ))
        }
        (Some(go), toolchain) => {
            if let Some(tc) = toolchain {
                warnings.push(Warning::located("toolchain-ignored", format!(
                    "{manifest}:{}: toolchain go{} is older than go {}; the go command ignores it, building with {}",
                    tc.line,
                    tc.value,
                    go.value,
                    minor(&go.value)
                )));
            }
            let m = minor(&go.value);
            Some(Fact::new(
                m.clone(),
                Evidence::at(manifest, Some(go.line)).because(format!(
                    "go {}: the minimum Go release; {}",
                    go.value,
                    tag_note(&m)
                )),
            ))
        }
        (None, Some(tc)) => {
            let m = minor(&tc.value);
            Some(Fact::new(
                m.clone(),
                Evidence::at(manifest, Some(tc.line)).because(format!(
                    "toolchain go{}; {}",
                    tc.value,
                    tag_note(&m)
                )),
            ))
        }
        (None, None) => {
            warnings.push(Warning::located("no-go-directive", format!(
                "{manifest}: no `go` directive (the go command assumes go 1.16); add one, e.g. `go 1.22`"
            )).about("version"));
            None
        }
    };
    VersionFacts { version, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> (Option<String>, Option<usize>, usize) {
        let m = GoMod::parse("go.mod", text).unwrap();
        let v = detect("go.mod", &m);
        (
            v.version.as_ref().map(|f| f.value.clone()),
            v.version.and_then(|f| f.evidence.line),
            v.warnings.len(),
        )
    }

    #[test]
    fn toolchain_wins_over_go_when_newer() {
        assert_eq!(
            version("module a\ngo 1.22.5\ntoolchain go1.22.12\n"),
            (Some("1.22".into()), Some(3), 0)
        );
        assert_eq!(
            version("module a\ngo 1.21.0\ntoolchain go1.23.4\n"),
            (Some("1.23".into()), Some(3), 0)
        );
    }

    #[test]
    fn go_directive_otherwise() {
        assert_eq!(
            version("module a\ngo 1.22\n"),
            (Some("1.22".into()), Some(2), 0)
        );
        assert_eq!(
            version("module a\ngo 1.23.1\ntoolchain go1.22.0\n"),
            (Some("1.23".into()), Some(2), 1)
        );
        assert_eq!(version("module a\n"), (None, None, 1));
    }
}

//! Choosing a runtime version from the places a project states one (`.nvmrc`, `engines`,
//! `.python-version`, `requires-python`, ...). Each detector lists what it found in its own
//! order of precedence, each statement already reduced to a number (a Node major, a Python
//! minor); the first understood one wins, and later ones that do not allow it are warnings
//! naming both files. Shared so every stack words and decides this the same way.

use crate::facts::{Evidence, Fact};
use crate::warning::Warning;

/// One place that states a version.
pub struct Stated {
    pub evidence: Evidence,
    /// The text as written, e.g. `>=18` or `3.11.9`.
    pub raw: String,
    /// What it reduces to (a Node major, a Python minor), if it is understood.
    pub number: Option<u64>,
    /// How `raw` became `number`, for the evidence.
    pub detail: String,
}

/// How one runtime's versions are named and compared.
pub struct Rules<'a> {
    /// `Node.js`, `Python`.
    pub runtime: &'a str,
    /// What a version looks like, for the warning about one that is not understood.
    pub expected: &'a str,
    /// The version as shown and rendered (`20`, `3.11`).
    pub show: fn(u64) -> String,
    /// Whether the version text `raw` allows the version `number`.
    pub allows: fn(&str, u64) -> bool,
    /// Versions past their end of life, with the date.
    pub end_of_life: &'a [(u64, &'a str)],
    /// The newest version dockgen knows, suggested for end-of-life ones.
    pub newest: u64,
}

pub struct VersionFacts {
    pub version: Option<Fact<String>>,
    pub warnings: Vec<Warning>,
    /// The range the project's manifest allows (`engines`, `requires-python`), which a version
    /// chosen by hand is checked against.
    pub constraint: Option<Fact<String>>,
}

pub fn choose(stated: &[Stated], rules: &Rules) -> VersionFacts {
    let mut warnings = Vec::new();
    let Some(chosen_index) = stated.iter().position(|s| s.number.is_some()) else {
        for s in stated {
            warnings.push(
                Warning::located(
                    "version-not-understood",
                    format!(
                        "{}: {} version '{}' is not understood; expected {}",
                        s.evidence.source(),
                        rules.runtime,
                        s.raw,
                        rules.expected
                    ),
                )
                .about("version"),
            );
        }
        return VersionFacts {
            version: None,
            warnings,
            constraint: None,
        };
    };
    let chosen = &stated[chosen_index];
    let number = chosen.number.unwrap_or_default();
    let shown = (rules.show)(number);
    for other in &stated[chosen_index + 1..] {
        if other.number.is_some_and(|n| n != number) && !(rules.allows)(&other.raw, number) {
            warnings.push(
                Warning::new(
                    "version-disagreement",
                    format!(
                        "{} version: {} says '{}' but {} says '{}'; using {shown} from {}",
                        rules.runtime,
                        chosen.evidence.source(),
                        chosen.raw,
                        other.evidence.source(),
                        other.raw,
                        chosen.evidence.path
                    ),
                )
                .about("version"),
            );
        }
    }
    if let Some((_, date)) = rules.end_of_life.iter().find(|(n, _)| *n == number) {
        warnings.push(
            Warning::new(
                "end-of-life",
                format!(
                    "{} {shown} reached end of life on {date}; consider {}",
                    rules.runtime,
                    (rules.show)(rules.newest)
                ),
            )
            .about("version"),
        );
    }
    VersionFacts {
        version: Some(Fact::new(
            shown,
            chosen.evidence.clone().because(chosen.detail.clone()),
        )),
        warnings,
        constraint: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stated(path: &str, raw: &str, number: Option<u64>) -> Stated {
        Stated {
            evidence: Evidence::at(path, Some(1)),
            raw: raw.into(),
            number,
            detail: format!("'{raw}'"),
        }
    }

    const RULES: Rules = Rules {
        runtime: "Node.js",
        expected: "a version such as 20",
        show: |n| n.to_string(),
        allows: |raw, n| raw == format!(">={n}"),
        end_of_life: &[(18, "2025-04-30")],
        newest: 24,
    };

    #[test]
    fn first_understood_wins_and_disagreement_is_a_warning() {
        let facts = choose(
            &[
                stated(".nvmrc", "lts", None),
                stated(".node-version", "18", Some(18)),
                stated("package.json", ">=22", Some(24)),
                stated(".tool-versions", ">=18", Some(24)),
            ],
            &RULES,
        );
        let version = facts.version.unwrap();
        assert_eq!(version.value, "18");
        assert_eq!(version.evidence.path, ".node-version");
        assert_eq!(facts.warnings.len(), 2, "{:?}", facts.warnings);
        assert!(facts.warnings[0].contains("package.json:1 says '>=22'"));
        assert!(facts.warnings[1].contains("end of life on 2025-04-30; consider 24"));
    }

    #[test]
    fn nothing_understood_is_unknown_with_a_warning_each() {
        let facts = choose(&[stated(".nvmrc", "lts", None)], &RULES);
        assert!(facts.version.is_none());
        assert_eq!(
            facts
                .warnings
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>(),
            [".nvmrc:1: Node.js version 'lts' is not understood; expected a version such as 20"]
        );
    }
}

//! Which Node package manager a project uses: from its lockfiles and the `packageManager`
//! field. When lockfiles disagree the choice is explained in a warning that names both files.

use super::lock_currency;
use super::package_json::PackageJson;
use crate::detect::source_scan::line_of;
use crate::facts::{Evidence, Fact, PackageManager};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

/// Lockfiles in the order they are preferred when nothing else decides.
const LOCKFILES: &[(&str, PackageManager)] = &[
    ("pnpm-lock.yaml", PackageManager::Pnpm),
    ("yarn.lock", PackageManager::Yarn),
    ("bun.lock", PackageManager::Bun),
    ("bun.lockb", PackageManager::Bun),
    ("package-lock.json", PackageManager::Npm),
    ("npm-shrinkwrap.json", PackageManager::Npm),
];

/// What was found about the package manager of one Node project.
pub struct PackageManagerFacts {
    pub manager: Fact<PackageManager>,
    /// The lockfile to copy before installing, if there is one for the chosen manager.
    pub lockfile: Option<String>,
    /// The version pinned by `packageManager` (e.g. `9.15.0`), when it names the chosen one.
    pub pinned_version: Option<String>,
    /// Yarn 2+ ("berry"), which installs differently from yarn 1.
    pub yarn_berry: bool,
    pub warnings: Vec<Warning>,
}

pub fn detect(tree: &RepoTree, dir: &str, pj: &PackageJson) -> PackageManagerFacts {
    let mut warnings = Vec::new();
    let mut stale_note: Option<String> = None;
    let present: Vec<(String, PackageManager)> = LOCKFILES
        .iter()
        .map(|(name, pm)| (join(dir, name), *pm))
        .filter(|(path, _)| tree.exists(path))
        .collect();

    let declared = pj.string("packageManager").and_then(|spec| {
        let (name, version) = spec.split_once('@').unwrap_or((spec, ""));
        let pm = match name {
            "npm" => PackageManager::Npm,
            "yarn" => PackageManager::Yarn,
            "pnpm" => PackageManager::Pnpm,
            "bun" => PackageManager::Bun,
            _ => return None,
        };
        let version = version.split('+').next().unwrap_or("").to_string();
        Some((pm, version))
    });

    let (manager, evidence, pinned_version) = match (&declared, present.first()) {
        (Some((pm, version)), _) => {
            let lock = present.iter().find(|(_, p)| p == pm);
            let mut ev = pj.evidence_for("packageManager");
            if lock.is_none() && !present.is_empty() {
                warnings.push(
                    Warning::located(
                        "package-manager-mismatch",
                        format!(
                            "{}: packageManager names {} but only {} is present; using {}",
                            pj.path,
                            pm.name(),
                            present
                                .iter()
                                .map(|(p, _)| p.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            pm.name()
                        ),
                    )
                    .about("package_manager"),
                );
            }
            if let Some((path, _)) = lock {
                ev = ev.because(format!("packageManager field, lockfile {path}"));
            } else {
                ev = ev.because("packageManager field");
            }
            let version = (!version.is_empty()).then(|| version.clone());
            (*pm, ev, version)
        }
        (None, Some((path, pm))) => {
            // Of two managers' lockfiles, one that fell behind package.json is not in use.
            let behind = |(p, m): &(String, PackageManager)| {
                lock_currency::missing(tree, p, *m, pj).filter(|gone| !gone.is_empty())
            };
            let current = present.iter().find(|l| {
                l.1 != *pm
                    && lock_currency::missing(tree, &l.0, l.1, pj).is_some_and(|g| g.is_empty())
            });
            match (behind(&(path.clone(), *pm)), current) {
                (Some(gone), Some((other, other_pm))) => {
                    stale_note = Some(format!(
                        "{path} lacks {} of package.json's ranges ({}{}): it fell behind, {other} matches",
                        gone.len(),
                        gone[0],
                        if gone.len() > 1 { ", ..." } else { "" }
                    ));
                    (
                        *other_pm,
                        Evidence::file(other.clone()).because("lockfile that matches package.json"),
                        None,
                    )
                }
                _ => (*pm, Evidence::file(path.clone()), None),
            }
        }
        (None, None) => (
            PackageManager::Npm,
            Evidence::file(pj.path.clone())
                .because("no lockfile and no packageManager field: npm is the default"),
            None,
        ),
    };

    let distinct: Vec<&(String, PackageManager)> =
        present.iter().filter(|(_, pm)| *pm != manager).collect();
    if !distinct.is_empty() {
        let chosen = present
            .iter()
            .find(|(_, pm)| *pm == manager)
            .map(|(p, _)| p.as_str())
            .unwrap_or("packageManager");
        let others: Vec<&str> = distinct.iter().map(|(p, _)| p.as_str()).collect();
        let why = if declared.is_some() {
            "the packageManager field names it".to_string()
        } else if let Some(note) = &stale_note {
            note.clone()
        } else {
            "lockfile precedence is pnpm, yarn, bun, npm".to_string()
        };
        warnings.push(Warning::new("several-lockfiles", format!(
            "two package managers' lockfiles: {chosen} and {}; using {} because {why}; delete the other lockfile",
            others.join(", "),
            manager.name()
        )).about("package_manager"));
    }

    let lockfile = present
        .iter()
        .find(|(_, pm)| *pm == manager)
        .map(|(p, _)| p.clone());
    if lockfile.is_none() {
        warnings.push(Warning::located(
            "no-lockfile",
            format!(
                "{}: no lockfile for {}: installs are not reproducible; commit one",
                if dir == "." { "." } else { dir },
                manager.name()
            ),
        ));
    }
    let yarn_berry = manager == PackageManager::Yarn
        && (tree.exists(&join(dir, ".yarnrc.yml"))
            || lockfile
                .as_deref()
                .and_then(|l| tree.read_text(l).ok())
                .is_some_and(|t| line_of(&t, "__metadata:").is_some())
            || pinned_version
                .as_deref()
                .is_some_and(|v| !v.starts_with("1.") && !v.is_empty()));

    PackageManagerFacts {
        manager: Fact::new(manager, evidence),
        lockfile,
        pinned_version,
        yarn_berry,
        warnings,
    }
}

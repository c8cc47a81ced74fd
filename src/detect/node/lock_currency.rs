//! Whether a lockfile still matches its package.json: every dependency range the manifest asks
//! for is one the lockfile resolved. With two package managers' lockfiles committed, the one
//! that fell behind the manifest is not the one the project uses. Reads yarn.lock v1 keys
//! (`name@range`), package-lock.json `packages[""]` ranges (v2/v3) or resolved versions (v1);
//! other formats are taken as current.

use super::package_json::PackageJson;
use crate::facts::PackageManager;
use crate::repo::RepoTree;
use serde_json::Value;

/// The manifest's `name@range` entries the lockfile at `path` does not resolve; None when the
/// format is not read here.
pub fn missing(
    tree: &RepoTree,
    path: &str,
    manager: PackageManager,
    pj: &PackageJson,
) -> Option<Vec<String>> {
    let text = tree.read_text(path).ok()?;
    let wanted = pj.dependency_ranges();
    let out: Vec<String> = match manager {
        PackageManager::Yarn if !text.contains("__metadata:") => wanted
            .iter()
            .filter(|(name, range)| !yarn_v1_resolves(&text, name, range))
            .map(|(name, range)| format!("{name}@{range}"))
            .collect(),
        PackageManager::Npm => {
            let lock: Value = serde_json::from_str(&text).ok()?;
            let root = lock.get("packages").and_then(|p| p.get(""));
            wanted
                .iter()
                .filter(|(name, range)| match root {
                    Some(root) => !["dependencies", "devDependencies", "optionalDependencies"]
                        .iter()
                        .any(|s| {
                            root.get(*s)
                                .and_then(|d| d.get(*name))
                                .and_then(Value::as_str)
                                == Some(*range)
                        }),
                    None => !v1_satisfies(&lock, name, range),
                })
                .map(|(name, range)| format!("{name}@{range}"))
                .collect()
        }
        _ => return None,
    };
    Some(out)
}

/// A yarn v1 entry header names the range: `argon2@^0.26.2:` or `"@types/node@^13", "@types/node@^13.1":`.
fn yarn_v1_resolves(text: &str, name: &str, range: &str) -> bool {
    let key = format!("{name}@{range}");
    text.lines()
        .filter(|l| !l.starts_with([' ', '#']) && l.ends_with(':'))
        .any(|l| {
            l.trim_end_matches(':')
                .split(", ")
                .any(|k| k.trim_matches('"') == key)
        })
}

/// Lockfile v1: the resolved version of `name` satisfies `range`, where the range is one the
/// semver crate reads; otherwise it counts as satisfied.
fn v1_satisfies(lock: &Value, name: &str, range: &str) -> bool {
    let Some(version) = lock
        .get("dependencies")
        .and_then(|d| d.get(name))
        .and_then(|d| d.get("version"))
        .and_then(Value::as_str)
    else {
        return false;
    };
    match (
        semver::VersionReq::parse(range),
        semver::Version::parse(version),
    ) {
        (Ok(req), Ok(v)) => req.matches(&v),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pj() -> PackageJson {
        PackageJson::parse(
            "package.json",
            r#"{"dependencies": {"argon2": "^0.26.2", "@nestjs/core": "^7.0.5"}}"#.into(),
        )
        .unwrap()
    }

    #[test]
    fn a_yarn_lock_that_fell_behind_the_manifest() {
        let tree = RepoTree::from_files([
            ("yarn.lock", "# yarn lockfile v1\n\n\"@nestjs/core@^7.0.5\":\n  version \"7.0.5\"\n\nargon2@^0.25.1:\n  version \"0.25.1\"\n"),
            ("package-lock.json", r#"{"lockfileVersion": 1, "dependencies": {"argon2": {"version": "0.26.2"}, "@nestjs/core": {"version": "7.6.0"}}}"#),
        ]);
        let p = pj();
        assert_eq!(
            missing(&tree, "yarn.lock", PackageManager::Yarn, &p).unwrap(),
            ["argon2@^0.26.2"]
        );
        assert!(missing(&tree, "package-lock.json", PackageManager::Npm, &p)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn package_lock_v3_records_the_ranges() {
        let tree = RepoTree::from_files([(
            "package-lock.json",
            r#"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"argon2": "^0.26.2", "@nestjs/core": "^7.0.0"}}}}"#,
        )]);
        assert_eq!(
            missing(&tree, "package-lock.json", PackageManager::Npm, &pj()).unwrap(),
            ["@nestjs/core@^7.0.5"]
        );
    }
}

//! Dependencies that compile a native addon with node-gyp when no prebuilt binary fits the
//! platform or Node.js version (sqlite3, bcrypt, better-sqlite3, ...). Their install needs
//! python3, make and a C++ compiler in the build stages; the runtime only gets the result.

use super::package_json::PackageJson;
use crate::facts::Fact;

/// Packages known to build with node-gyp at install time.
const NATIVE: &[&str] = &[
    "sqlite3",
    "better-sqlite3",
    "bcrypt",
    "argon2",
    "node-sass",
    "canvas",
    "leveldown",
    "bufferutil",
    "utf-8-validate",
    "microtime",
    "kerberos",
    "libxmljs",
    "libxmljs2",
    "re2",
    "isolated-vm",
    "zeromq",
    "deasync",
    "farmhash",
    "node-expat",
    "iconv",
    "@serialport/bindings-cpp",
];

/// The native dependencies of package.json (production and development: both are installed
/// in the build stage), with the evidence of the first.
pub fn detect(pj: &PackageJson) -> Option<Fact<Vec<String>>> {
    let found: Vec<&str> = NATIVE
        .iter()
        .copied()
        .filter(|name| pj.depends_on(name))
        .collect();
    let first = found.first()?;
    let evidence = pj.evidence_for(first).because(format!(
        "{} compile{} a native addon with node-gyp when no prebuilt binary fits: the build stages get python3, make and g++",
        found.join(", "),
        if found.len() == 1 { "s" } else { "" }
    ));
    Some(Fact::new(
        found.iter().map(|s| s.to_string()).collect(),
        evidence,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_dependencies_are_named() {
        let pj = PackageJson::parse(
            "package.json",
            r#"{"dependencies": {"express": "4", "sqlite3": "^5.1.6"}, "devDependencies": {"bcrypt": "5"}}"#.into(),
        )
        .unwrap();
        let fact = detect(&pj).unwrap();
        assert_eq!(fact.value, ["sqlite3", "bcrypt"]);
        assert_eq!(fact.evidence.source(), "package.json:1");
        let plain = PackageJson::parse(
            "package.json",
            r#"{"dependencies": {"express": "4"}}"#.into(),
        )
        .unwrap();
        assert!(detect(&plain).is_none());
    }
}

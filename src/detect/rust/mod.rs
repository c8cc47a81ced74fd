//! Rust detection: a folder with a Cargo.toml whose package builds a binary is a Rust service.
//! Reads the manifest (package, `rust-version`, binaries, dependencies), a pinned toolchain
//! (`rust-toolchain.toml`, `rust-toolchain`), Cargo.lock (here or at the root of the workspace
//! the package is a member of), and where the server listens and what it answers from its
//! source. A library, or a virtual workspace manifest, is not a service. Pure: reads only
//! through `RepoTree`.

mod cargo_toml;
mod routes;

use crate::detect::source_scan::source_files;
use crate::error::Result;
use crate::facts::{Evidence, Fact, Language, PackageManager, ServiceFacts};
use crate::paths::relative;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;
use cargo_toml::{Bin, CargoToml};

/// Web frameworks by crate, most specific first; tonic serves gRPC.
const FRAMEWORKS: &[(&str, &str)] = &[
    ("axum", "axum"),
    ("actix-web", "actix-web"),
    ("rocket", "rocket"),
    ("warp", "warp"),
    ("poem", "poem"),
    ("tide", "tide"),
    ("tonic", "grpc"),
    ("hyper", "hyper"),
];

/// Ports frameworks listen on when the code does not say.
const FRAMEWORK_PORTS: &[(&str, u16)] = &[("rocket", 8000)];

pub fn detect(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    let Some(manifest) = CargoToml::read(tree, dir)? else {
        return Ok(None);
    };
    let Some(package) = manifest.package.clone() else {
        return Ok(None);
    };
    let Some(bin) = choose_bin(&manifest, &package) else {
        return Ok(None);
    };
    let mut facts = ServiceFacts::new(dir, Language::Rust);
    let package_evidence = Evidence::at(&manifest.path, manifest.line("name"));
    facts.detail("name", package.clone(), package_evidence.clone());
    facts.detail(
        "bin",
        bin.name.clone(),
        Evidence::file(bin.path.clone()).because("the binary target that is built"),
    );
    if manifest.bins.len() > 1 {
        for other in manifest.bins.iter().filter(|b| b.name != bin.name) {
            facts.warnings.push(
                Warning::located(
                    "binary-not-built",
                    format!(
                        "{}: another binary ({}) is not built; build it instead with --set bin={}",
                        other.path, other.name, other.name
                    ),
                )
                .about("bin"),
            );
        }
    }

    let workspace_root = member_of_root_workspace(tree, dir);
    let lock = if tree.exists(&join(dir, "Cargo.lock")) {
        Some(join(dir, "Cargo.lock"))
    } else {
        workspace_root
            .as_ref()
            .and(Some("Cargo.lock".to_string()))
            .filter(|l| tree.exists(l))
    };
    facts.package_manager = Some(Fact::new(
        PackageManager::Cargo,
        Evidence::file(lock.clone().unwrap_or_else(|| manifest.path.clone())).because(
            if lock.is_some() {
                "Cargo.lock"
            } else {
                "Cargo.toml without Cargo.lock"
            },
        ),
    ));
    if let Some(l) = &lock {
        let text = tree.read_text(l).unwrap_or_default();
        if let Some(line) = crate::detect::source_scan::line_of(&text, "name = \"openssl-sys\"") {
            facts.detail(
                "openssl",
                true,
                Evidence::at(l.clone(), Some(line))
                    .because("openssl-sys links the system OpenSSL: built with libssl-dev, run on distroless/base"),
            );
        }
    }
    match &lock {
        Some(l) => facts.detail("locked", true, Evidence::file(l.clone()).because("builds with --locked")),
        None => facts.warnings.push(Warning::located("no-lockfile", format!(
            "{}: no Cargo.lock: dependencies resolve at build time. Commit Cargo.lock for reproducible images",
            manifest.path
        ))),
    }
    if let Some(root) = &workspace_root {
        facts.detail("workspace", dir.to_string(), root.clone());
        facts.detail(
            "cargo_package",
            package.clone(),
            root.clone()
                .because("a workspace member: built from the root with cargo build -p"),
        );
    }
    version(tree, dir, &manifest, &mut facts);

    facts.framework = FRAMEWORKS
        .iter()
        .find(|(c, _)| manifest.depends_on(c))
        .map(|(c, name)| {
            Fact::new(
                name.to_string(),
                Evidence::at(
                    &manifest.path,
                    manifest
                        .line(&format!("{c} "))
                        .or_else(|| manifest.line(&format!("{c}="))),
                )
                .because(format!("dependency {c}")),
            )
        });
    let mut argv = vec![
        "cargo".to_string(),
        "build".to_string(),
        "--release".to_string(),
    ];
    if lock.is_some() {
        argv.push("--locked".into());
    }
    if workspace_root.is_some() {
        argv.extend(["-p".to_string(), package.clone()]);
    }
    argv.extend(["--bin".to_string(), bin.name.clone()]);
    facts.build = Some(Fact::new(
        argv,
        Evidence::file(bin.path.clone()).because("a release build of the binary"),
    ));
    facts.start = Some(Fact::new(
        vec![format!("/app/{}", bin.name)],
        Evidence::file(bin.path.clone()).because(format!("the {} binary", bin.name)),
    ));

    let sources: Vec<(String, String)> =
        source_files(tree, dir, &[".rs"], std::slice::from_ref(&bin.path))
            .into_iter()
            .filter(|(p, _)| !relative(dir, p).starts_with("target/"))
            .collect();
    let listening = routes::detect(&sources);
    facts.warnings.extend(listening.warnings);
    facts.health = listening.health;
    let framework = facts.framework.as_ref().map(|f| f.value.clone());
    facts.port = listening
        .port
        .or_else(|| crate::detect::declared_port(tree, dir))
        .or_else(|| {
            let fw = framework.as_deref()?;
            let (_, port) = FRAMEWORK_PORTS.iter().find(|(f, _)| *f == fw)?;
            let evidence = facts.framework.as_ref()?.evidence.clone();
            Some(Fact::new(
                *port,
                evidence.because(format!("{fw} listens on {port} by default")),
            ))
        });
    facts.probe_grpc_by_tcp();
    Ok(Some(facts))
}

/// The binary to build: the only one, else the one named like the package, else the first.
fn choose_bin(manifest: &CargoToml, package: &str) -> Option<Bin> {
    manifest
        .bins
        .iter()
        .find(|b| b.name == package)
        .or_else(|| manifest.bins.first())
        .cloned()
}

/// The root Cargo.toml's `[workspace]` when `dir` is one of its members.
fn member_of_root_workspace(tree: &RepoTree, dir: &str) -> Option<Evidence> {
    if dir == "." {
        return None;
    }
    let root = CargoToml::read(tree, ".").ok()??;
    let member = root
        .members
        .iter()
        .filter_map(|p| tree.folders_matching(p.trim_end_matches('/')))
        .flatten()
        .any(|m| m == dir);
    member.then(|| Evidence::at("Cargo.toml", root.line("members")).because("[workspace] members"))
}

/// The Rust release: a pinned toolchain channel, else `1` (the current stable, which builds
/// any `rust-version` minimum).
fn version(tree: &RepoTree, dir: &str, manifest: &CargoToml, facts: &mut ServiceFacts) {
    for (file, pattern) in [("rust-toolchain.toml", "channel"), ("rust-toolchain", "")] {
        let path = join(dir, file);
        let Ok(text) = tree.read_text(&path) else {
            continue;
        };
        let (line, raw) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                let l = l.trim();
                if pattern.is_empty() {
                    (!l.is_empty() && !l.starts_with('#')).then(|| (i + 1, l.to_string()))
                } else {
                    let rest = l.strip_prefix(pattern)?.trim_start().strip_prefix('=')?;
                    Some((i + 1, rest.trim().trim_matches('"').to_string()))
                }
            })
            .unwrap_or((0, String::new()));
        let minor: Vec<&str> = raw.split('.').take(2).collect();
        if minor.len() == 2 && minor.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
            facts.version = Some(Fact::new(
                minor.join("."),
                Evidence::at(&path, Some(line)).because(format!("toolchain channel {raw}")),
            ));
            return;
        }
        if !raw.is_empty() {
            facts.warnings.push(Warning::located("toolchain-channel", format!(
                "{path}:{line}: toolchain channel '{raw}' is not a release number; building with the current stable (rust:1)"
            )).about("version"));
        }
    }
    if let Some(msrv) = &manifest.rust_version {
        facts.version = Some(Fact::new(
            "1".to_string(),
            Evidence::at(&manifest.path, manifest.line("rust-version")).because(format!(
                "rust-version {msrv} is a minimum: the current stable release (rust:1) builds it"
            )),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_axum_service() {
        let tree = RepoTree::from_files([
            ("Cargo.toml", "[package]\nname = \"notes\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.80\"\n\n[dependencies]\naxum = \"0.8\"\ntokio = { version = \"1\", features = [\"full\"] }\n"),
            ("Cargo.lock", "version = 4\n"),
            ("src/main.rs", "let app = Router::new().route(\"/health\", get(h));\nlet listener = tokio::net::TcpListener::bind(\"0.0.0.0:3000\").await?;\n"),
        ]);
        let f = detect(&tree, ".").unwrap().unwrap();
        assert_eq!(f.framework.unwrap().value, "axum");
        assert_eq!(f.version.unwrap().value, "1");
        assert_eq!(
            f.build.unwrap().value,
            ["cargo", "build", "--release", "--locked", "--bin", "notes"]
        );
        assert_eq!(f.start.unwrap().value, ["/app/notes"]);
        assert_eq!(f.port.unwrap().value, 3000);
        assert_eq!(f.health.unwrap().value, "/health");
    }

    #[test]
    fn a_pinned_toolchain_and_a_workspace_member() {
        let tree = RepoTree::from_files([
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"),
            ("Cargo.lock", "version = 4\n"),
            ("crates/api/Cargo.toml", "[package]\nname = \"api\"\n"),
            ("crates/api/src/main.rs", "fn main() {}"),
            (
                "crates/api/rust-toolchain.toml",
                "[toolchain]\nchannel = \"1.85.1\"\n",
            ),
            ("crates/core/Cargo.toml", "[package]\nname = \"core\"\n"),
            ("crates/core/src/lib.rs", ""),
        ]);
        assert!(detect(&tree, ".").unwrap().is_none());
        assert!(detect(&tree, "crates/core").unwrap().is_none());
        let f = detect(&tree, "crates/api").unwrap().unwrap();
        assert_eq!(f.version.unwrap().value, "1.85");
        assert_eq!(f.details["cargo_package"].value, "api");
        assert_eq!(
            f.build.unwrap().value,
            [
                "cargo",
                "build",
                "--release",
                "--locked",
                "-p",
                "api",
                "--bin",
                "api"
            ]
        );
    }
}

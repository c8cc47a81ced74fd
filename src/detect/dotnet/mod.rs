//! .NET detection: a folder holding an MSBuild project (`*.csproj`, `*.fsproj`, `*.vbproj`)
//! that builds an executable is a .NET service. Reads the project (SDK, target framework,
//! assembly name, packages and project references, with `Directory.Build.props` above it),
//! then where the app listens and what it answers from its C# source, appsettings.json and the
//! repository's own Dockerfile. Test projects and class libraries are not services. Pure:
//! reads only through `RepoTree`.

mod project;
mod restore;
mod routes;

use crate::detect::dockerfile_evidence;
use crate::detect::source_scan::source_files;
use crate::error::Result;
use crate::facts::{Evidence, Fact, Language, PackageManager, ServiceFacts};
use crate::paths::relative;
use crate::repo::{join, RepoTree};
use crate::warning::Warning;
use project::{runtime_version, Project};

const PROJECT_EXTENSIONS: &[&str] = &[".csproj", ".fsproj", ".vbproj"];

/// .NET releases past their end of support, with the date.
const END_OF_SUPPORT: &[(&str, &str)] = &[
    ("5.0", "2022-05-10"),
    ("6.0", "2024-11-12"),
    ("7.0", "2024-05-14"),
    ("8.0", "2026-11-10"),
    ("9.0", "2026-11-10"),
];
/// The newest long-term-support release, suggested for the ones past their end of support.
const NEWEST_LTS: &str = "10.0";

/// The ports Kestrel reads from the environment, as a repository's Dockerfile sets them.
const PORT_VARIABLES: &[&str] = &["ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS", "PORT"];

pub fn detect(tree: &RepoTree, dir: &str) -> Result<Option<ServiceFacts>> {
    let mut projects = Vec::new();
    for path in project_files(tree, dir) {
        projects.push(Project::parse(&path, &tree.read_text(&path)?)?);
    }
    if projects.is_empty() {
        return Ok(None);
    }
    let props = directory_build_props(tree, dir)?;
    for p in &mut projects {
        for imported in &props {
            p.inherit(imported);
        }
    }
    let runnable: Vec<&Project> = projects
        .iter()
        .filter(|p| !p.is_test() && p.is_executable())
        .collect();
    let web = |p: &&Project| p.sdk_name() == Some("Microsoft.NET.Sdk.Web");
    let Some(chosen) = runnable
        .iter()
        .find(|p| web(p))
        .or_else(|| runnable.first())
        .copied()
    else {
        return Ok(None);
    };
    let mut facts = ServiceFacts::new(dir, Language::Dotnet);
    for other in runnable.iter().filter(|p| p.path != chosen.path) {
        facts.warnings.push(
            Warning::located(
                "several-executables",
                format!(
            "{}: also an executable project; built {} (set project=<file> to build the other)",
            other.path, chosen.path
        ),
            )
            .about("project"),
        );
    }
    let project_file = relative(dir, &chosen.path);
    let sdk_line = chosen.sdk.as_ref().map(|s| s.line);
    let project_evidence = Evidence::at(&chosen.path, sdk_line);
    facts.package_manager = Some(Fact::new(
        PackageManager::Dotnet,
        Evidence::file(&chosen.path).because("NuGet packages restored by dotnet restore"),
    ));
    version(&mut facts, chosen);
    let assembly = chosen
        .assembly_name
        .as_ref()
        .map(|a| a.value.clone())
        .unwrap_or_else(|| {
            let name = project_file.rsplit('/').next().unwrap_or(&project_file);
            name.rsplit_once('.')
                .map_or(name, |(stem, _)| stem)
                .to_string()
        });
    let assembly_evidence = match &chosen.assembly_name {
        Some(a) => Evidence::at(&chosen.path, Some(a.line)).because("AssemblyName"),
        None => {
            Evidence::file(&chosen.path).because("the assembly is named after the project file")
        }
    };
    facts.detail(
        "project",
        project_file.clone(),
        Evidence::file(&chosen.path),
    );
    restore::layer(tree, dir, chosen, &mut facts);
    let built = facts.details["project"]
        .value
        .as_str()
        .unwrap_or(&project_file)
        .to_string();
    facts.detail("assembly", assembly.clone(), assembly_evidence.clone());
    facts.detail("name", assembly.clone(), assembly_evidence.clone());
    facts.build = Some(Fact::new(
        vec![
            "dotnet".into(),
            "publish".into(),
            built,
            "-c".into(),
            "Release".into(),
            "-o".into(),
            "/app".into(),
        ],
        Evidence::file(&chosen.path).because("publishes the project with its dependencies"),
    ));
    facts.start = Some(Fact::new(
        vec!["dotnet".into(), format!("{assembly}.dll")],
        assembly_evidence.because("the published assembly, run by the dotnet host"),
    ));

    let is_web = web(&chosen);
    if is_web {
        facts.framework = Some(Fact::new(
            "aspnetcore".to_string(),
            project_evidence
                .clone()
                .because("the Microsoft.NET.Sdk.Web SDK"),
        ));
    }
    let sources: Vec<(String, String)> =
        source_files(tree, dir, &[".cs"], &[join(dir, "Program.cs")])
            .into_iter()
            .filter(|(p, _)| {
                !relative(dir, p)
                    .split('/')
                    .any(|c| c == "bin" || c == "obj")
            })
            .collect();
    let settings_path = join(dir, "appsettings.json");
    let settings = tree.read_text(&settings_path).ok();
    let listening = routes::detect(
        &sources,
        settings.as_deref().map(|t| (settings_path.as_str(), t)),
    );
    facts.warnings.extend(listening.warnings);
    facts.health = listening.health;
    if let Some(var) = listening.port_variable {
        facts.detail("port_variable", var.value, var.evidence);
    }
    facts.port = listening
        .port
        .or_else(|| dockerfile_evidence::stated_port(tree, dir, PORT_VARIABLES))
        .or_else(|| {
            is_web.then(|| {
                Fact::new(
                    8080,
                    project_evidence.clone().because(
                        "Kestrel listens on ASPNETCORE_HTTP_PORTS, which the image sets (8080, the .NET container default)",
                    ),
                )
            })
        });
    if let Some(grpc) = chosen.has_package("Grpc.AspNetCore") {
        facts.detail(
            "probe",
            "tcp",
            Evidence::at(&chosen.path, Some(grpc.line)).because(
                "a gRPC server answers no HTTP/1.1 GET: the health check connects to its port",
            ),
        );
        facts.health = None;
    }
    if facts.port.is_none() {
        facts.detail(
            "probe",
            "none",
            Evidence::file(&chosen.path)
                .because("a console program that listens on no port: a background worker, with no health check to run"),
        );
    }
    Ok(Some(facts))
}

/// The project files directly in `dir`: also the manifests whose packages name backing
/// services.
pub fn project_files(tree: &RepoTree, dir: &str) -> Vec<String> {
    tree.files_under(dir)
        .filter(|p| {
            let rest = relative(dir, p);
            !rest.contains('/') && PROJECT_EXTENSIONS.iter().any(|e| rest.ends_with(e))
        })
        .map(String::from)
        .collect()
}

/// `Directory.Build.props` in `dir` and each folder above it, nearest first: MSBuild imports
/// the nearest one, which by convention imports the next.
fn directory_build_props(tree: &RepoTree, dir: &str) -> Result<Vec<Project>> {
    let mut out = Vec::new();
    let mut current = dir.to_string();
    loop {
        let path = join(&current, "Directory.Build.props");
        if tree.exists(&path) {
            out.push(Project::parse(&path, &tree.read_text(&path)?)?);
        }
        if current == "." || current.is_empty() {
            break;
        }
        current = current
            .rsplit_once('/')
            .map_or(".", |(parent, _)| parent)
            .to_string();
    }
    Ok(out)
}

/// The runtime version: the newest target framework the project builds for.
fn version(facts: &mut ServiceFacts, project: &Project) {
    let newest = project
        .target_frameworks
        .iter()
        .filter_map(|t| runtime_version(&t.value).map(|v| (v, t)))
        .max_by_key(|(v, _)| {
            let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
            (
                major.parse::<u64>().unwrap_or(0),
                minor.parse::<u64>().unwrap_or(0),
            )
        });
    let Some((version, tfm)) = newest else {
        let shown: Vec<&str> = project
            .target_frameworks
            .iter()
            .map(|t| t.value.as_str())
            .collect();
        facts.warnings.push(Warning::located("unsupported-target-framework", if shown.is_empty() {
            format!("{}: no TargetFramework; expected one such as <TargetFramework>net10.0</TargetFramework>", project.path)
        } else {
            format!("{}: target framework {} is not .NET 5 or later; expected one such as net10.0 (.NET Framework does not run on Linux images)", project.path, shown.join(";"))
        }));
        return;
    };
    if let Some((_, date)) = END_OF_SUPPORT.iter().find(|(v, _)| *v == version) {
        facts.warnings.push(
            Warning::located(
                "end-of-life",
                format!(
            "{}:{}: .NET {version} reached end of support on {date}; consider net{NEWEST_LTS}",
            project.path, tfm.line
        ),
            )
            .about("version"),
        );
    }
    facts.version = Some(Fact::new(
        version,
        Evidence::at(&project.path, Some(tfm.line))
            .because(format!("TargetFramework {}", tfm.value)),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
</Project>"#;

    #[test]
    fn a_web_project_is_an_aspnetcore_service() {
        let tree = RepoTree::from_files([
            ("api/Api.csproj", WEB),
            ("api/Program.cs", "app.MapHealthChecks(\"/healthz\");"),
            ("api/tests/Api.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>"),
        ]);
        let f = detect(&tree, "api").unwrap().unwrap();
        assert_eq!(f.version.unwrap().value, "10.0");
        assert_eq!(f.framework.unwrap().value, "aspnetcore");
        assert_eq!(f.start.unwrap().value, ["dotnet", "Api.dll"]);
        assert_eq!(f.port.unwrap().value, 8080);
        assert_eq!(f.health.unwrap().value, "/healthz");
        assert!(detect(&tree, "api/tests").unwrap().is_none());
    }

    #[test]
    fn a_console_program_without_a_port_is_a_worker() {
        let tree = RepoTree::from_files([(
            "Worker.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net7.0</TargetFramework></PropertyGroup></Project>",
        )]);
        let f = detect(&tree, ".").unwrap().unwrap();
        assert!(f.port.is_none());
        assert_eq!(f.details["probe"].value, "none");
        assert!(
            f.warnings.iter().any(|w| w.contains("end of support")),
            "{:?}",
            f.warnings
        );
    }

    #[test]
    fn a_library_is_not_a_service() {
        let tree = RepoTree::from_files([(
            "Lib.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>",
        )]);
        assert!(detect(&tree, ".").unwrap().is_none());
    }

    #[test]
    fn references_outside_the_folder_build_from_the_root() {
        let web = WEB.replace(
            "</Project>",
            "<ItemGroup><ProjectReference Include=\"..\\Core\\Core.csproj\" /></ItemGroup></Project>",
        );
        let tree = RepoTree::from_files([
            ("src/Api/Api.csproj", web.as_str()),
            (
                "src/Core/Core.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\" />",
            ),
        ]);
        let f = detect(&tree, "src/Api").unwrap().unwrap();
        assert_eq!(f.details["project"].value, "src/Api/Api.csproj");
        assert_eq!(
            f.details["restore_inputs"].value,
            serde_json::json!(["src/Api/Api.csproj", "src/Core/Core.csproj"])
        );
        assert_eq!(f.details["build_from_root"].value, true);
    }
}

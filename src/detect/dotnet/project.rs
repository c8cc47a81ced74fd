//! Reading an MSBuild project file (`*.csproj`, `*.fsproj`, `*.vbproj`) with a real XML
//! parser: the SDK it builds with, the target framework(s), the output type and assembly name,
//! the package and project references, each with its line. `Directory.Build.props` files in the
//! folder and above it supply properties the project leaves out, as MSBuild imports them. A
//! malformed project file is an error at its line and column.

use crate::error::Result;
use roxmltree::Node;

/// A value read from the project file and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Project {
    pub path: String,
    /// `<Project Sdk="Microsoft.NET.Sdk.Web">`, or an `<Sdk Name=...>` / `<Import Sdk=...>`.
    pub sdk: Option<Located>,
    /// `<TargetFramework>`, or each of `<TargetFrameworks>`.
    pub target_frameworks: Vec<Located>,
    pub output_type: Option<Located>,
    pub assembly_name: Option<Located>,
    pub is_test_project: Option<Located>,
    pub packages: Vec<Located>,
    /// `<ProjectReference Include="..\Lib\Lib.csproj">`, `/`-separated as written.
    pub project_references: Vec<Located>,
}

impl Project {
    pub fn parse(path: &str, text: &str) -> Result<Project> {
        let doc = crate::detect::xml::parse(path, text, "a well-formed MSBuild project file")?;
        crate::detect::xml::expect_root(&doc, path, "Project", "an MSBuild project file")?;
        let root = doc.root_element();
        let line = |n: Node| doc.text_pos_at(n.range().start).row as usize;
        let mut project = Project {
            path: path.to_string(),
            sdk: root.attribute("Sdk").map(|s| Located {
                value: s.trim().to_string(),
                line: line(root),
            }),
            ..Project::default()
        };
        for node in root.descendants().filter(Node::is_element) {
            let text = || {
                node.text().map(|t| Located {
                    value: t.trim().to_string(),
                    line: line(node),
                })
            };
            match node.tag_name().name() {
                "Sdk" | "Import" if project.sdk.is_none() => {
                    let attr = if node.tag_name().name() == "Sdk" {
                        "Name"
                    } else {
                        "Sdk"
                    };
                    project.sdk = node.attribute(attr).map(|s| Located {
                        value: s.trim().to_string(),
                        line: line(node),
                    });
                }
                "TargetFramework" => project.target_frameworks.extend(text()),
                "TargetFrameworks" => {
                    if let Some(all) = text() {
                        project.target_frameworks.extend(
                            all.value
                                .split(';')
                                .map(str::trim)
                                .filter(|t| !t.is_empty())
                                .map(|t| Located {
                                    value: t.to_string(),
                                    line: all.line,
                                }),
                        );
                    }
                }
                "OutputType" => project.output_type = text(),
                "AssemblyName" => project.assembly_name = text(),
                "IsTestProject" => project.is_test_project = text(),
                "PackageReference" => {
                    if let Some(name) = node.attribute("Include").or(node.attribute("Update")) {
                        project.packages.push(Located {
                            value: name.trim().to_string(),
                            line: line(node),
                        });
                    }
                }
                "ProjectReference" => {
                    if let Some(name) = node.attribute("Include") {
                        project.project_references.push(Located {
                            value: name.trim().replace('\\', "/"),
                            line: line(node),
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(project)
    }

    /// Fills what this project leaves out from an imported `Directory.Build.props`.
    pub fn inherit(&mut self, props: &Project) {
        if self.target_frameworks.is_empty() {
            self.target_frameworks = props.target_frameworks.clone();
        }
        if self.output_type.is_none() {
            self.output_type = props.output_type.clone();
        }
        if self.assembly_name.is_none() {
            self.assembly_name = props.assembly_name.clone();
        }
    }

    pub fn has_package(&self, name: &str) -> Option<&Located> {
        self.packages
            .iter()
            .find(|p| p.value.eq_ignore_ascii_case(name))
    }

    /// The SDK's name without a version (`Microsoft.NET.Sdk.Web/8.0.0` → `Microsoft.NET.Sdk.Web`).
    pub fn sdk_name(&self) -> Option<&str> {
        self.sdk
            .as_ref()
            .map(|s| s.value.split('/').next().unwrap_or(&s.value))
    }

    /// A test project: `<IsTestProject>true`, or the test SDK package every test runner needs.
    pub fn is_test(&self) -> bool {
        self.is_test_project
            .as_ref()
            .is_some_and(|t| t.value.eq_ignore_ascii_case("true"))
            || self.has_package("Microsoft.NET.Test.Sdk").is_some()
            || self.sdk_name() == Some("MSTest.Sdk")
    }

    /// Builds an executable: the Web and Worker SDKs do by default, others with `OutputType`.
    pub fn is_executable(&self) -> bool {
        match &self.output_type {
            Some(t) => {
                t.value.eq_ignore_ascii_case("exe") || t.value.eq_ignore_ascii_case("winexe")
            }
            None => matches!(
                self.sdk_name(),
                Some(
                    "Microsoft.NET.Sdk.Web"
                        | "Microsoft.NET.Sdk.Worker"
                        | "Microsoft.NET.Sdk.Razor"
                )
            ),
        }
    }
}

/// The runtime version a target framework moniker names (`net8.0` → `8.0`, `net10.0-windows` →
/// `10.0`); None for .NET Framework (`net48`) and .NET Standard / Core 1-3.
pub fn runtime_version(tfm: &str) -> Option<String> {
    let rest = tfm.trim().to_ascii_lowercase();
    let rest = rest.strip_prefix("net")?;
    let version = rest.split('-').next()?;
    let (major, minor) = version.split_once('.')?;
    let major: u64 = major.parse().ok()?;
    let minor: u64 = minor.parse().ok()?;
    (major >= 5).then(|| format!("{major}.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sdk_frameworks_and_references() {
        let p = Project::parse(
            "app/App.csproj",
            r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
    <AssemblyName>Shop.Api</AssemblyName>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Npgsql" Version="8.0.3" />
    <ProjectReference Include="..\Lib\Lib.csproj" />
  </ItemGroup>
</Project>"#,
        )
        .unwrap();
        assert_eq!(p.sdk_name(), Some("Microsoft.NET.Sdk.Web"));
        assert_eq!(p.target_frameworks.len(), 2);
        assert_eq!(p.target_frameworks[1].value, "net10.0");
        assert_eq!(p.assembly_name.as_ref().unwrap().value, "Shop.Api");
        assert_eq!(p.has_package("npgsql").unwrap().line, 7);
        assert_eq!(p.project_references[0].value, "../Lib/Lib.csproj");
        assert!(p.is_executable());
        assert!(!p.is_test());
    }

    #[test]
    fn libraries_and_tests_are_told_apart() {
        let lib = Project::parse("L.csproj", r#"<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>"#).unwrap();
        assert!(!lib.is_executable());
        let test = Project::parse("T.csproj", r#"<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.0.0" /></ItemGroup></Project>"#).unwrap();
        assert!(test.is_test());
    }

    #[test]
    fn a_malformed_project_names_line_and_column() {
        let err = Project::parse("A.csproj", "<Project>\n  <PropertyGroup>\n</Project>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("A.csproj:3:"), "{err}");
        assert!(
            err.contains("expected a well-formed MSBuild project file"),
            "{err}"
        );
    }

    #[test]
    fn target_framework_monikers() {
        assert_eq!(runtime_version("net8.0").as_deref(), Some("8.0"));
        assert_eq!(runtime_version("net10.0-windows").as_deref(), Some("10.0"));
        assert_eq!(runtime_version("netcoreapp3.1"), None);
        assert_eq!(runtime_version("net48"), None);
    }
}

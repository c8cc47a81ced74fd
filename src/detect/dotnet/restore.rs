//! The restore layer of a .NET build: which files `dotnet restore` reads (the project, the
//! projects it references, NuGet.config, `Directory.*.props`, the lock file), copied before the
//! source so the NuGet download is cached; and the build context, which is the repository root
//! when the project references projects outside its folder.

use super::project::Project;
use crate::facts::{Evidence, ServiceFacts};
use crate::paths::relative;
use crate::repo::{join, normalize, RepoTree};

/// Files beside the project that `dotnet restore` reads: copied before the source so the
/// restore layer is rebuilt only when one of them changes.
const RESTORE_INPUTS: &[&str] = &[
    "NuGet.config",
    "nuget.config",
    "NuGet.Config",
    "Directory.Build.props",
    "Directory.Packages.props",
    "packages.lock.json",
    "global.json",
];

/// What the restore layer copies, and from where the image is built: the service folder, or
/// the repository root when the project references projects outside it.
pub fn layer(tree: &RepoTree, dir: &str, project: &Project, facts: &mut ServiceFacts) {
    let references: Vec<String> = project
        .project_references
        .iter()
        .map(|r| normalize(&join(dir, &r.value)))
        .collect();
    let outside = references
        .iter()
        .any(|r| dir != "." && !r.starts_with(&format!("{dir}/")));
    let base = if outside { "." } else { dir };
    let mut inputs: Vec<String> = vec![relative(base, &project.path)];
    for reference in &references {
        inputs.push(relative(base, reference));
    }
    for name in RESTORE_INPUTS {
        let path = join(dir, name);
        if tree.exists(&path) && !inputs.contains(&relative(base, &path)) {
            inputs.push(relative(base, &path));
        }
    }
    if outside {
        facts.detail(
            "build_from_root",
            true,
            Evidence::at(&project.path, project.project_references.first().map(|r| r.line))
                .because("it references projects outside its folder: the image is built from the repository root"),
        );
        facts.detail(
            "project",
            relative(".", &project.path),
            Evidence::file(&project.path),
        );
    }
    facts.detail("restore_inputs", inputs, Evidence::file(&project.path));
}

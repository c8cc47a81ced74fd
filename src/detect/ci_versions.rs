//! Runtime versions stated where the project is tested or deployed rather than in its
//! manifests: GitHub Actions workflows (`setup-node`'s `node-version: 22`, or a matrix
//! `node-version: [22, 24]`, whose lowest entry is the version the project still supports) and
//! Azure bicep files (`runtimeName: 'python'` with `runtimeVersion: '3.13'`). They describe the
//! repository, so they count for the service at its root only. Weakest evidence: detectors
//! list them after every manifest and version file.

use crate::facts::Evidence;
use crate::repo::RepoTree;

/// A version as a workflow or deployment file states it.
pub struct CiVersion {
    pub evidence: Evidence,
    pub raw: String,
}

/// The version `key` (`node-version`, `python-version`, `go-version`, `java-version`) the
/// root's workflows set up, then the bicep `runtimeVersion` of `runtime` (`python`, `node`).
pub fn stated(tree: &RepoTree, dir: &str, key: &str, runtime: &str) -> Option<CiVersion> {
    if dir != "." {
        return None;
    }
    let mut workflows: Vec<&str> = tree
        .files_under(".github/workflows")
        .filter(|p| p.ends_with(".yml") || p.ends_with(".yaml"))
        .collect();
    workflows.sort();
    for path in workflows {
        let Ok(text) = tree.read_text(path) else {
            continue;
        };
        if let Some((line, raw)) = workflow_version(&text, key) {
            return Some(CiVersion {
                evidence: Evidence::at(path, Some(line))
                    .because(format!("{key} the CI workflow sets up")),
                raw,
            });
        }
    }
    let mut bicep: Vec<&str> = tree
        .files()
        .filter(|p| p.ends_with(".bicep") && p.matches('/').count() <= 2)
        .collect();
    bicep.sort();
    for path in bicep {
        let Ok(text) = tree.read_text(path) else {
            continue;
        };
        if let Some((line, raw)) = bicep_version(&text, runtime) {
            return Some(CiVersion {
                evidence: Evidence::at(path, Some(line))
                    .because(format!("the {runtime} runtimeVersion it deploys with")),
                raw,
            });
        }
    }
    None
}

/// `key: 22`, `key: '3.12'`, `key: [22, 24]`, or `key: ${{ matrix.key }}` with the matrix list
/// (flow or block) elsewhere in the file: the lowest version listed, with its line.
fn workflow_version(text: &str, key: &str) -> Option<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let prefix = format!("{key}:");
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim().trim_start_matches("- ").trim();
        let Some(value) = trimmed.strip_prefix(&prefix) else {
            continue;
        };
        let value = value.split(" #").next().unwrap_or("").trim();
        if value.contains("${{") {
            continue;
        }
        if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            candidates.extend(list.split(',').map(|v| (i + 1, unquote(v))));
        } else if value.is_empty() {
            // A block list on the following lines.
            let indent = line.len() - line.trim_start().len();
            for (j, next) in lines.iter().enumerate().skip(i + 1) {
                let t = next.trim();
                if t.is_empty() {
                    continue;
                }
                if next.len() - next.trim_start().len() <= indent || !t.starts_with("- ") {
                    break;
                }
                candidates.push((j + 1, unquote(&t[2..])));
            }
        } else {
            candidates.push((i + 1, unquote(value)));
        }
    }
    candidates
        .into_iter()
        .filter(|(_, v)| v.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .min_by_key(|(_, v)| numbers(v))
}

/// `runtimeName: 'python'` followed (within a few lines) by `runtimeVersion: '3.13'`, or
/// `linuxFxVersion: 'PYTHON|3.13'`.
fn bicep_version(text: &str, runtime: &str) -> Option<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("linuxFxVersion:") {
            let v = unquote(v);
            if let Some((name, version)) = v.split_once('|') {
                if name.eq_ignore_ascii_case(runtime) {
                    return Some((i + 1, version.to_string()));
                }
            }
        }
        if t.strip_prefix("runtimeName:")
            .is_some_and(|v| unquote(v).eq_ignore_ascii_case(runtime))
        {
            for (j, next) in lines.iter().enumerate().skip(i + 1).take(4) {
                if let Some(v) = next.trim().strip_prefix("runtimeVersion:") {
                    return Some((j + 1, unquote(v)));
                }
            }
        }
    }
    None
}

fn unquote(v: &str) -> String {
    v.trim().trim_matches(['\'', '"']).trim().to_string()
}

fn numbers(v: &str) -> Vec<u64> {
    v.split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_matrix_and_setup_values() {
        let matrix = "jobs:\n  test:\n    strategy:\n      matrix:\n        node-version: [24, 22]\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.node-version }}\n";
        assert_eq!(
            workflow_version(matrix, "node-version"),
            Some((5, "22".into()))
        );
        let block =
            "    matrix:\n      python-version:\n        - '3.12'\n        - '3.11'\n    steps:\n";
        assert_eq!(
            workflow_version(block, "python-version"),
            Some((4, "3.11".into()))
        );
        let plain = "      - uses: actions/setup-go@v5\n        with:\n          go-version: '1.23' # pinned\n";
        assert_eq!(
            workflow_version(plain, "go-version"),
            Some((3, "1.23".into()))
        );
        assert_eq!(
            workflow_version("node-version: lts/*\n", "node-version"),
            None
        );
    }

    #[test]
    fn bicep_runtime_versions_and_only_the_root() {
        let tree = RepoTree::from_files([(
            "infra/main.bicep",
            "params: {\n    runtimeName: 'python'\n    runtimeVersion: '3.13'\n}\n",
        )]);
        let v = stated(&tree, ".", "python-version", "python").unwrap();
        assert_eq!(
            (v.raw.as_str(), v.evidence.source()),
            ("3.13", "infra/main.bicep:3".to_string())
        );
        assert!(stated(&tree, "api", "python-version", "python").is_none());
        assert!(stated(&tree, ".", "node-version", "node").is_none());
    }
}

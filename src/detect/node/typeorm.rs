//! TypeORM migrations, found from the project's own configuration: a DataSource module
//! (`new DataSource({ ... migrations: [...] })`, TypeORM 0.3) or a legacy `ormconfig.json` /
//! `ormconfig.js` with a `migrations` entry (0.2). The runtime image holds the compiled
//! JavaScript, so a TypeScript DataSource is run from its file under tsconfig's `outDir`
//! (`typeorm migration:run -d dist/data-source.js`). An app that sets `migrationsRun: true`
//! applies them itself when it starts: that is recorded and no step is added.

use crate::detect::source_scan::line_of;
use crate::facts::Evidence;
use crate::repo::{join, RepoTree};

/// TypeORM's CLI, as its package's `bin` entry names it.
pub const CLI: &str = "node_modules/typeorm/cli.js";

/// The TypeScript compiler's output layout, to find the compiled DataSource.
pub struct Compiled<'a> {
    pub out_dir: &'a str,
    pub root_dir: Option<&'a str>,
}

/// What the project's configuration says about its migrations.
pub enum Found {
    /// Run `argv` once before the app; `config` is the file that configures them.
    Step {
        argv: Vec<String>,
        config: String,
        evidence: Evidence,
    },
    /// The app runs its migrations when it starts (`migrationsRun: true`).
    AtStart(Evidence),
}

/// Names a DataSource module is given in TypeORM's documentation and in the projects that use it.
const DATA_SOURCE_NAMES: &[&str] = &["data-source", "datasource", "ormconfig", "typeorm.config"];
const SOURCE_EXTENSIONS: &[&str] = &[".ts", ".js", ".mts", ".mjs", ".cts", ".cjs"];

pub fn detect(tree: &RepoTree, dir: &str, compiled: Option<Compiled>) -> Option<Found> {
    let sources: Vec<&str> = tree
        .files_under(dir)
        .filter(|f| {
            !f.split('/').any(|segment| {
                segment == "node_modules" || segment.starts_with("test") || segment == "__tests__"
            })
        })
        .filter(|f| SOURCE_EXTENSIONS.iter().any(|e| f.ends_with(e)))
        .collect();
    for file in &sources {
        let Ok(text) = tree.read_text(file) else {
            continue;
        };
        if let Some(line) = migrations_run_line(&text) {
            let why = "migrationsRun: true: the app applies its TypeORM migrations when it starts, so no migration service is added";
            return Some(Found::AtStart(
                Evidence::at(file.to_string(), Some(line)).because(why),
            ));
        }
    }
    for file in sources.iter().filter(|f| is_data_source_name(f)) {
        let Ok(text) = tree.read_text(file) else {
            continue;
        };
        if !text.contains("DataSource(") || !text.contains("migrations") {
            continue;
        }
        let relative = file
            .strip_prefix(&format!("{dir}/"))
            .unwrap_or(file)
            .trim_start_matches("./");
        let runtime_file = runtime_path(relative, compiled.as_ref())?;
        let argv = vec![
            "node".to_string(),
            CLI.to_string(),
            "migration:run".to_string(),
            "-d".to_string(),
            runtime_file.clone(),
        ];
        let why = format!("TypeORM DataSource with migrations: `typeorm migration:run -d {runtime_file}` runs once before the app");
        let line = line_of(&text, "migrations");
        return Some(Found::Step {
            argv,
            config: file.to_string(),
            evidence: Evidence::at(file.to_string(), line).because(why),
        });
    }
    for name in ["ormconfig.json", "ormconfig.js"] {
        let config = join(dir, name);
        let Ok(text) = tree.read_text(&config) else {
            continue;
        };
        let Some(line) = line_of(&text, "migrations") else {
            continue;
        };
        let argv = vec![
            "node".to_string(),
            CLI.to_string(),
            "migration:run".to_string(),
        ];
        let why = format!(
            "TypeORM migrations ({name}): `typeorm migration:run` runs once before the app"
        );
        return Some(Found::Step {
            argv,
            evidence: Evidence::at(config.clone(), Some(line)).because(why),
            config,
        });
    }
    None
}

fn is_data_source_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or(&name);
    DATA_SOURCE_NAMES
        .iter()
        .any(|n| stem == *n || name.starts_with(&format!("{n}.")))
}

/// The line of `migrationsRun: true`, outside comments.
fn migrations_run_line(text: &str) -> Option<usize> {
    text.lines().enumerate().find_map(|(i, line)| {
        let code = line.split("//").next().unwrap_or(line);
        let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        compact.contains("migrationsRun:true").then_some(i + 1)
    })
}

/// Where the DataSource module is in the runtime image: a JavaScript file is itself; a
/// TypeScript one is its compiled file under `outDir` (None when the project does not compile).
fn runtime_path(relative: &str, compiled: Option<&Compiled>) -> Option<String> {
    let is_ts = [".ts", ".mts", ".cts"]
        .iter()
        .any(|e| relative.ends_with(e));
    if !is_ts {
        return Some(relative.to_string());
    }
    let compiled = compiled?;
    let out = compiled.out_dir.trim_end_matches('/');
    let inner = match compiled.root_dir {
        _ if out == "." => relative,
        Some(root) => relative
            .strip_prefix(&format!("{root}/"))
            .unwrap_or(relative),
        None => relative.strip_prefix("src/").unwrap_or(relative),
    };
    let stem = inner
        .trim_end_matches(".ts")
        .trim_end_matches(".mts")
        .trim_end_matches(".cts");
    Some(if out == "." {
        format!("{stem}.js")
    } else {
        format!("{out}/{stem}.js")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> RepoTree {
        RepoTree::from_files(files.iter().map(|(p, c)| (*p, c.as_bytes().to_vec())))
    }

    const DATA_SOURCE: &str = "import { DataSource } from 'typeorm';\n\nexport default new DataSource({\n  type: 'postgres',\n  url: process.env.DATABASE_URL,\n  migrations: [__dirname + '/migrations/*.js'],\n});\n";

    #[test]
    fn a_typescript_data_source_runs_from_its_compiled_file() {
        let t = tree(&[("src/db/data-source.ts", DATA_SOURCE)]);
        let compiled = Compiled {
            out_dir: "dist",
            root_dir: Some("src"),
        };
        let Some(Found::Step { argv, evidence, .. }) = detect(&t, ".", Some(compiled)) else {
            panic!("no step");
        };
        assert_eq!(argv[2..], ["migration:run", "-d", "dist/db/data-source.js"]);
        assert_eq!(evidence.source(), "src/db/data-source.ts:6");
        // Not compiled: the runtime image has no JavaScript to run.
        assert!(detect(&t, ".", None).is_none());
    }

    #[test]
    fn legacy_ormconfig_and_migrations_run_at_start() {
        let legacy = tree(&[(
            "ormconfig.json",
            "{\n  \"type\": \"postgres\",\n  \"migrations\": [\"dist/migration/*.js\"]\n}\n",
        )]);
        let Some(Found::Step { argv, evidence, .. }) = detect(&legacy, ".", None) else {
            panic!("no step");
        };
        assert_eq!(argv[2..], ["migration:run"]);
        assert_eq!(evidence.source(), "ormconfig.json:3");
        let at_start = tree(&[
            ("src/data-source.js", DATA_SOURCE),
            (
                "src/app.module.js",
                "TypeOrmModule.forRoot({\n  // migrationsRun: false,\n  migrationsRun: true,\n})\n",
            ),
        ]);
        let Some(Found::AtStart(evidence)) = detect(&at_start, ".", None) else {
            panic!("not at start");
        };
        assert_eq!(evidence.source(), "src/app.module.js:3");
        // A DataSource without migrations has nothing to run.
        let plain = tree(&[("data-source.js", "new DataSource({ type: 'sqlite' })")]);
        assert!(detect(&plain, ".", None).is_none());
    }
}

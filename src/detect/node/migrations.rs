//! The migrations a Node app applies before it serves, found from the tool's own configuration:
//! Prisma (`prisma/schema.prisma` with a `prisma/migrations` folder: `prisma migrate deploy`),
//! knex (a `knexfile`: `knex migrate:latest`) and Sequelize (`.sequelizerc` or
//! `config/config.json` beside `migrations/`: `sequelize db:migrate`) and TypeORM (see
//! `typeorm.rs`: `typeorm migration:run`). compose runs the command
//! once, in the runtime image, before the app starts; the image has production dependencies
//! only, so a CLI that is a devDependency gets a warning with the fix instead of a service.

use super::package_json::PackageJson;
use super::typeorm::{self, Compiled, Found};
use crate::facts::{Evidence, ServiceFacts};
use crate::repo::{join, RepoTree};
use crate::warning::Warning;

struct Tool {
    name: &'static str,
    /// The package whose CLI applies the migrations, and the script its `bin` entry runs.
    package: &'static str,
    bin: &'static str,
    args: &'static [&'static str],
    /// Files, any of which says the project uses the tool's migrations.
    config: &'static [&'static str],
    /// A folder that must hold the migrations, when the configuration alone does not say so.
    folder: Option<&'static str>,
}

const TOOLS: &[Tool] = &[
    Tool {
        name: "Prisma",
        package: "prisma",
        bin: "node_modules/prisma/build/index.js",
        args: &["migrate", "deploy"],
        config: &["prisma/schema.prisma"],
        folder: Some("prisma/migrations"),
    },
    Tool {
        name: "knex",
        package: "knex",
        bin: "node_modules/knex/bin/cli.js",
        args: &["migrate:latest"],
        config: &["knexfile.js", "knexfile.cjs"],
        folder: None,
    },
    Tool {
        name: "Sequelize",
        package: "sequelize-cli",
        bin: "node_modules/sequelize-cli/lib/sequelize",
        args: &["db:migrate"],
        config: &[".sequelizerc", "config/config.json", "config/config.js"],
        folder: Some("migrations"),
    },
];

/// Records `migrate` on `facts` (the command in exec form), or warns why it cannot run.
/// `compiled` is the TypeScript output layout when the project compiles TypeScript.
pub fn apply(
    tree: &RepoTree,
    dir: &str,
    pj: &PackageJson,
    compiled: Option<Compiled>,
    facts: &mut ServiceFacts,
) {
    for tool in TOOLS {
        let Some(config) = tool
            .config
            .iter()
            .map(|c| join(dir, c))
            .find(|c| tree.exists(c))
        else {
            continue;
        };
        if let Some(folder) = tool.folder {
            if tree.files_under(&join(dir, folder)).next().is_none() {
                continue;
            }
        }
        if !pj.depends_on(tool.package) {
            continue;
        }
        let command = format!("{} {}", tool.package_command(), tool.args.join(" "));
        if !pj.in_section("dependencies", tool.package) {
            facts.warnings.push(Warning::located("migration-tool-dev-dependency", format!(
                "{}: {} migrations ({config}) are applied by {}, a devDependency: the runtime image installs production dependencies only, so compose runs no `{command}` before the app; move {} to dependencies to have it run",
                pj.evidence_for(tool.package).source(),
                tool.name,
                tool.package,
                tool.package
            )).about("migrate"));
            return;
        }
        let mut argv = vec!["node".to_string(), tool.bin.to_string()];
        argv.extend(tool.args.iter().map(|a| a.to_string()));
        let why = format!(
            "{} migrations ({config}): `{command}` runs once before the app",
            tool.name
        );
        let evidence = Evidence::at(config.clone(), None).because(why);
        facts.detail("migrate", argv, evidence);
        return;
    }
    if pj.depends_on("typeorm") {
        match typeorm::detect(tree, dir, compiled) {
            Some(Found::AtStart(evidence)) => {
                facts.detail("migrations", "TypeORM, at start", evidence)
            }
            Some(Found::Step {
                argv,
                config,
                evidence,
            }) => {
                if pj.in_section("dependencies", "typeorm") {
                    facts.detail("migrate", argv, evidence);
                } else {
                    facts.warnings.push(Warning::located("migration-tool-dev-dependency", format!(
                        "{}: TypeORM migrations ({config}) are applied by typeorm, a devDependency: the runtime image installs production dependencies only, so compose runs no `typeorm migration:run` before the app; move typeorm to dependencies to have it run",
                        pj.evidence_for("typeorm").source()
                    )).about("migrate"));
                }
            }
            None => {}
        }
    }
}

impl Tool {
    /// The command as a user types it.
    fn package_command(&self) -> &'static str {
        match self.package {
            "sequelize-cli" => "sequelize",
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_for(files: &[(&str, &str)]) -> ServiceFacts {
        let tree = RepoTree::from_files(files.iter().map(|(p, c)| (*p, c.as_bytes().to_vec())));
        let text = files.iter().find(|(p, _)| *p == "package.json").unwrap().1;
        let pj = PackageJson::parse("package.json", text.to_string()).unwrap();
        let mut facts = ServiceFacts::new(".", crate::facts::Language::Node);
        apply(&tree, ".", &pj, None, &mut facts);
        facts
    }

    #[test]
    fn each_tool_is_found_from_its_configuration() {
        let knex = facts_for(&[
            (
                "package.json",
                r#"{"dependencies": {"knex": "^3.1.0", "pg": "^8"}}"#,
            ),
            ("knexfile.js", "module.exports = {}"),
        ]);
        assert_eq!(
            knex.details["migrate"].value,
            serde_json::json!(["node", "node_modules/knex/bin/cli.js", "migrate:latest"])
        );
        let prisma = facts_for(&[
            (
                "package.json",
                r#"{"dependencies": {"prisma": "^6", "@prisma/client": "^6"}}"#,
            ),
            ("prisma/schema.prisma", "datasource db {}"),
            (
                "prisma/migrations/20240101_init/migration.sql",
                "CREATE TABLE a();",
            ),
        ]);
        assert_eq!(
            prisma.details["migrate"].value,
            serde_json::json!([
                "node",
                "node_modules/prisma/build/index.js",
                "migrate",
                "deploy"
            ])
        );
        // A schema without migrations (prisma db push) has nothing to deploy.
        let pushed = facts_for(&[
            ("package.json", r#"{"dependencies": {"prisma": "^6"}}"#),
            ("prisma/schema.prisma", "datasource db {}"),
        ]);
        assert!(!pushed.details.contains_key("migrate"));
    }

    #[test]
    fn a_cli_among_dev_dependencies_is_a_warning_with_the_fix() {
        let facts = facts_for(&[
            (
                "package.json",
                "{\n  \"dependencies\": {\"sequelize\": \"^6\"},\n  \"devDependencies\": {\"sequelize-cli\": \"^6\"}\n}",
            ),
            (".sequelizerc", "module.exports = {}"),
            ("migrations/1-create.js", "module.exports = {}"),
        ]);
        assert!(!facts.details.contains_key("migrate"));
        assert!(
            facts.warnings[0].contains("package.json:3: Sequelize migrations (.sequelizerc) are applied by sequelize-cli, a devDependency"),
            "{:?}",
            facts.warnings
        );
    }
}

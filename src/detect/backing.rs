//! The backing services a service needs (Postgres, MySQL, MongoDB, Redis, RabbitMQ), from the
//! drivers its manifests declare (`pg`, `psycopg`, `org.postgresql:postgresql`,
//! `github.com/lib/pq`, ...), each with the manifest line; and the environment variable the
//! application reads its connection from (`DATABASE_URL`, `MONGODB_URI`, `REDIS_URL`), found in
//! its source or its `.env.example`. Pure: reads only through `RepoTree`.

use crate::detect::env_example;
use crate::detect::source_scan::{line_at, read_source, source_paths};
use crate::facts::{Backing, BackingKind, Evidence, Fact, Language};
use crate::repo::{join, RepoTree};
use regex::Regex;
use std::sync::LazyLock;

/// Manifests that declare dependencies, per language, as paths in the repository.
fn manifest_paths(tree: &RepoTree, dir: &str, language: Language) -> Vec<String> {
    if language == Language::Dotnet {
        return crate::detect::dotnet::project_files(tree, dir);
    }
    manifests(language).iter().map(|m| join(dir, m)).collect()
}

/// Manifests that declare dependencies, per language, by file name.
fn manifests(language: Language) -> &'static [&'static str] {
    match language {
        Language::Dotnet | Language::Shell => &[],
        Language::Rust => &["Cargo.toml"],
        Language::Node => &["package.json"],
        Language::Python => &[
            "requirements.txt",
            "requirements/base.txt",
            "requirements/prod.txt",
            "requirements/production.txt",
            "pyproject.toml",
            "Pipfile",
        ],
        Language::Java => &["pom.xml", "build.gradle", "build.gradle.kts"],
        Language::Go => &["go.mod"],
    }
}

/// (kind, what the manifest line holds): a dependency name as it appears in that language's
/// manifest. Matched as a whole token.
const DRIVERS: &[(BackingKind, Language, &str)] = &[
    (BackingKind::Postgres, Language::Rust, "tokio-postgres"),
    (BackingKind::Postgres, Language::Rust, "postgres"),
    (BackingKind::Mysql, Language::Rust, "mysql_async"),
    (BackingKind::Mongodb, Language::Rust, "mongodb"),
    (BackingKind::Redis, Language::Rust, "redis"),
    (BackingKind::Rabbitmq, Language::Rust, "lapin"),
    (BackingKind::Postgres, Language::Dotnet, "Npgsql"),
    (BackingKind::Mysql, Language::Dotnet, "MySqlConnector"),
    (BackingKind::Mysql, Language::Dotnet, "MySql.Data"),
    (
        BackingKind::Mysql,
        Language::Dotnet,
        "Pomelo.EntityFrameworkCore.MySql",
    ),
    (BackingKind::Mongodb, Language::Dotnet, "MongoDB.Driver"),
    (BackingKind::Redis, Language::Dotnet, "StackExchange.Redis"),
    (
        BackingKind::Redis,
        Language::Dotnet,
        "Microsoft.Extensions.Caching.StackExchangeRedis",
    ),
    (BackingKind::Rabbitmq, Language::Dotnet, "RabbitMQ.Client"),
    (BackingKind::Postgres, Language::Node, "\"pg\""),
    (BackingKind::Postgres, Language::Node, "\"postgres\""),
    (BackingKind::Postgres, Language::Node, "\"pg-promise\""),
    (BackingKind::Mysql, Language::Node, "\"mysql\""),
    (BackingKind::Mysql, Language::Node, "\"mysql2\""),
    (BackingKind::Mongodb, Language::Node, "\"mongoose\""),
    (BackingKind::Mongodb, Language::Node, "\"mongodb\""),
    (BackingKind::Redis, Language::Node, "\"redis\""),
    (BackingKind::Redis, Language::Node, "\"ioredis\""),
    (BackingKind::Redis, Language::Node, "\"bull\""),
    (BackingKind::Redis, Language::Node, "\"bullmq\""),
    (BackingKind::Rabbitmq, Language::Node, "\"amqplib\""),
    (BackingKind::Postgres, Language::Python, "psycopg2"),
    (BackingKind::Postgres, Language::Python, "psycopg2-binary"),
    (BackingKind::Postgres, Language::Python, "psycopg"),
    (BackingKind::Postgres, Language::Python, "psycopg-binary"),
    (BackingKind::Postgres, Language::Python, "asyncpg"),
    (BackingKind::Mysql, Language::Python, "pymysql"),
    (BackingKind::Mysql, Language::Python, "mysqlclient"),
    (BackingKind::Mysql, Language::Python, "aiomysql"),
    (BackingKind::Mongodb, Language::Python, "pymongo"),
    (BackingKind::Mongodb, Language::Python, "motor"),
    (BackingKind::Redis, Language::Python, "redis"),
    (BackingKind::Redis, Language::Python, "rq"),
    (BackingKind::Rabbitmq, Language::Python, "pika"),
    (BackingKind::Rabbitmq, Language::Python, "aio-pika"),
    (BackingKind::Postgres, Language::Java, "org.postgresql"),
    (BackingKind::Mysql, Language::Java, "mysql-connector-java"),
    (BackingKind::Mysql, Language::Java, "mysql-connector-j"),
    (BackingKind::Mysql, Language::Java, "mariadb-java-client"),
    (
        BackingKind::Mongodb,
        Language::Java,
        "spring-boot-starter-data-mongodb",
    ),
    (
        BackingKind::Redis,
        Language::Java,
        "spring-boot-starter-data-redis",
    ),
    (
        BackingKind::Rabbitmq,
        Language::Java,
        "spring-boot-starter-amqp",
    ),
    (BackingKind::Postgres, Language::Go, "github.com/lib/pq"),
    (BackingKind::Postgres, Language::Go, "github.com/jackc/pgx"),
    (
        BackingKind::Mysql,
        Language::Go,
        "github.com/go-sql-driver/mysql",
    ),
    (
        BackingKind::Mongodb,
        Language::Go,
        "go.mongodb.org/mongo-driver",
    ),
    (
        BackingKind::Redis,
        Language::Go,
        "github.com/redis/go-redis",
    ),
    (
        BackingKind::Redis,
        Language::Go,
        "github.com/go-redis/redis",
    ),
    (
        BackingKind::Rabbitmq,
        Language::Go,
        "github.com/rabbitmq/amqp091-go",
    ),
    (
        BackingKind::Rabbitmq,
        Language::Go,
        "github.com/streadway/amqp",
    ),
];

/// Environment reads: `process.env.X`, `process.env['X']`, `os.getenv("X")`,
/// `os.environ.get("X")`, `os.environ["X"]`, `os.Getenv("X")`, `env("X")`, `config("X")`,
/// `System.getenv("X")`, and `${X}` / `${X:default}` placeholders in Spring configuration.
pub static ENV_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]|(?:getenv|Getenv|LookupEnv|environ\.get|\benv|\bconfig|getEnv|GetEnvironmentVariable)\(\s*['"]([A-Z][A-Z0-9_]*)['"]|environ\[\s*['"]([A-Z][A-Z0-9_]*)['"]|\$\{([A-Z][A-Z0-9_]*)(?::[^}]*)?\}"#,
    )
    .expect("valid pattern")
});

/// Source extensions scanned for environment reads, per language.
pub fn extensions(language: Language) -> &'static [&'static str] {
    match language {
        Language::Node => &[".js", ".mjs", ".cjs", ".ts", ".mts"],
        Language::Python => &[".py"],
        Language::Java => &[".java", ".kt", ".properties", ".yml", ".yaml"],
        Language::Go => &[".go"],
        Language::Dotnet => &[".cs", "appsettings.json"],
        Language::Rust => &[".rs"],
        Language::Shell => &[".sh"],
    }
}

pub fn detect(tree: &RepoTree, dir: &str, language: Language) -> Vec<Fact<Backing>> {
    let mut found: Vec<(BackingKind, Evidence)> = Vec::new();
    for path in manifest_paths(tree, dir, language) {
        let Ok(text) = tree.read_text(&path) else {
            continue;
        };
        for (kind, lang, name) in DRIVERS {
            if *lang != language || found.iter().any(|(k, _)| k == kind) {
                continue;
            }
            if let Some(line) = dependency_line(&text, name, language) {
                found.push((
                    *kind,
                    Evidence::at(&path, Some(line))
                        .because(format!("{} dependency", name.trim_matches('"'))),
                ));
            }
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let reads = env_reads(tree, dir, language);
    found
        .into_iter()
        .map(|(kind, evidence)| {
            let env = connection_variable(kind, &reads);
            Fact::new(Backing { kind, env }, evidence)
        })
        .collect()
}

/// The 1-based line of the manifest that declares `name` as a dependency.
fn dependency_line(text: &str, name: &str, language: Language) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim();
            match language {
                // `"pg": "^8.11.0"`
                Language::Node => line
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.trim_start().starts_with(':')),
                // `psycopg2-binary==2.9.9`, `"asyncpg>=0.29"`, `redis = "*"`, `redis[hiredis]`
                Language::Python => {
                    let line = line.trim_start_matches(['"', '\'']).to_ascii_lowercase();
                    line.strip_prefix(name).is_some_and(|rest| {
                        rest.is_empty()
                            || rest.starts_with([
                                '=', '<', '>', '~', '!', '[', ' ', ';', '"', '\'', ',',
                            ])
                    })
                }
                // `<groupId>org.postgresql</groupId>`, `<artifactId>mysql-connector-j</artifactId>`,
                // `implementation("org.postgresql:postgresql")`
                Language::Java => {
                    line.contains(&format!(">{name}<"))
                        || line.contains(&format!("\"{name}:"))
                        || line.contains(&format!("'{name}:"))
                        || line.contains(&format!(":{name}:"))
                        || line.contains(&format!(":{name}\""))
                        || line.contains(&format!(":{name}'"))
                }
                // `<PackageReference Include="Npgsql" Version="8.0.3" />`, and the packages
                // named after it (`Npgsql.EntityFrameworkCore.PostgreSQL`).
                Language::Dotnet => {
                    let lower = line.to_ascii_lowercase();
                    let name = name.to_ascii_lowercase();
                    lower.contains(&format!("include=\"{name}\""))
                        || lower.contains(&format!("include=\"{name}."))
                }
                // `redis = "0.27"`, `tokio-postgres = { version = "0.7" }`
                Language::Rust => line
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.trim_start().starts_with('=')),
                // `github.com/lib/pq v1.10.9` in a require block or line
                Language::Go => line
                    .trim_start_matches("require")
                    .trim_start()
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with([' ', '/'])),
                // A script declares no dependencies.
                Language::Shell => false,
            }
        })
        .map(|i| i + 1)
}

/// Every environment variable the service reads, with where, in the order found: its
/// `.env.example` first, then its source.
fn env_reads(tree: &RepoTree, dir: &str, language: Language) -> Vec<(String, Evidence)> {
    let mut out: Vec<(String, Evidence)> = env_example::entries(tree, dir)
        .into_iter()
        .map(|(key, _, evidence)| (key, evidence))
        .collect();
    for path in source_paths(tree, dir, extensions(language), &[]) {
        let Some(text) = read_source(tree, path) else {
            continue;
        };
        for caps in ENV_READ.captures_iter(&text) {
            let Some(m) = caps.iter().skip(1).flatten().next() else {
                continue;
            };
            if !out.iter().any(|(k, _)| k == m.as_str()) {
                out.push((
                    m.as_str().to_string(),
                    Evidence::at(path, Some(line_at(&text, m.start()))),
                ));
            }
        }
    }
    out
}

/// The variable that holds the connection to `kind`: a URL or URI variable named for it
/// (`MONGODB_URI`, `REDIS_URL`), or for databases in general (`DATABASE_URL`).
fn connection_variable(kind: BackingKind, reads: &[(String, Evidence)]) -> Option<Fact<String>> {
    let url =
        |name: &str| name.ends_with("_URL") || name.ends_with("_URI") || name.ends_with("_DSN");
    let named: &[&str] = match kind {
        BackingKind::Postgres => &["POSTGRES", "PG", "DATABASE", "DB"],
        BackingKind::Mysql => &["MYSQL", "MARIADB", "DATABASE", "DB"],
        BackingKind::Mongodb => &["MONGO"],
        BackingKind::Redis => &["REDIS", "CACHE"],
        BackingKind::Rabbitmq => &["AMQP", "RABBIT", "BROKER"],
    };
    let pick = named.iter().find_map(|prefix| {
        reads
            .iter()
            .find(|(name, _)| url(name) && name.starts_with(prefix))
    });
    if let Some((name, evidence)) = pick {
        return Some(Fact::new(
            name.clone(),
            evidence
                .clone()
                .because("the application reads its connection from this variable"),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drivers_in_each_manifest_name_their_service_and_variable() {
        let tree = RepoTree::from_files([
            (
                "package.json",
                "{\n  \"dependencies\": {\n    \"koa\": \"^2\",\n    \"pg\": \"^8.11.0\",\n    \"ioredis\": \"^5\"\n  }\n}",
            ),
            (
                "src/config.ts",
                "const db = process.env.DATABASE_URL || 'postgres://localhost/x';\nconst cache = process.env['REDIS_URL'];",
            ),
        ]);
        let found = detect(&tree, ".", Language::Node);
        let got: Vec<(BackingKind, Option<String>, String)> = found
            .iter()
            .map(|f| {
                (
                    f.value.kind,
                    f.value.env.as_ref().map(|e| e.value.clone()),
                    f.evidence.source(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    BackingKind::Postgres,
                    Some("DATABASE_URL".into()),
                    "package.json:4".into()
                ),
                (
                    BackingKind::Redis,
                    Some("REDIS_URL".into()),
                    "package.json:5".into()
                ),
            ]
        );
    }

    #[test]
    fn python_go_and_java_drivers() {
        let kinds = |files: &[(&str, &str)], language| {
            detect(&RepoTree::from_files(files.iter().copied()), ".", language)
                .into_iter()
                .map(|f| f.value.kind)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            kinds(
                &[(
                    "requirements.txt",
                    "flask\npsycopg2-binary==2.9.9\nredis[hiredis]>=5\n"
                )],
                Language::Python
            ),
            [BackingKind::Postgres, BackingKind::Redis]
        );
        assert_eq!(
            kinds(&[("requirements.txt", "redis-om==0.3\n")], Language::Python),
            []
        );
        assert_eq!(
            kinds(
                &[(
                    "go.mod",
                    "module x\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n)\n"
                )],
                Language::Go
            ),
            [BackingKind::Postgres]
        );
        assert_eq!(
            kinds(&[("pom.xml", "<dependency>\n<groupId>com.mysql</groupId>\n<artifactId>mysql-connector-j</artifactId>\n</dependency>")], Language::Java),
            [BackingKind::Mysql]
        );
    }
}

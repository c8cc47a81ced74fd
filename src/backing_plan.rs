//! What compose.yaml runs beside the application for each backing service it needs: the
//! official image (major-pinned), its healthcheck, named volume and hardening, the password
//! variable the user sets in `.env` (never a value in a committed file), and the connection
//! settings the application gets, under the variable name it reads. Part of the plan: the
//! compose template only lays these out.

use crate::facts::{BackingKind, Language, ServiceFacts};
use crate::warning::Warning;
use serde::Serialize;

/// One backing service in compose.yaml, shared by every application service that needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackingService {
    /// Compose service name, also the host name the applications connect to.
    pub name: String,
    pub image: String,
    pub environment: Vec<(String, String)>,
    /// Named volume and where the image keeps its data.
    pub volume: String,
    pub data_dir: String,
    /// Exec-form healthcheck that works inside the image.
    pub healthcheck: Vec<String>,
    /// Capabilities the server needs once compose drops all (it switches to its own user).
    pub cap_add: Vec<String>,
    /// Writable paths beside the volume when the root filesystem is read-only.
    pub tmpfs: Vec<String>,
    /// The variable the user sets in `.env`, if the service has a password.
    pub password_variable: Option<String>,
    /// Why this image, for the comment above it.
    pub note: String,
}

/// The connection settings one application gets for one backing service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Connection {
    pub service: String,
    pub environment: Vec<(String, String)>,
}

const USER: &str = "app";
const DATABASE: &str = "app";

/// `${NAME}`, set by the user in `.env`: compose warns on every command while it is unset (a
/// `:?` requirement would also fail `docker compose config` on a fresh checkout), and the
/// server refuses to initialise without a password.
fn required(name: &str) -> String {
    format!("${{{name}}}")
}

pub fn service(kind: BackingKind) -> BackingService {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    let env = |v: &[(&str, String)]| {
        v.iter()
            .map(|(k, val)| (k.to_string(), val.clone()))
            .collect::<Vec<_>>()
    };
    let server_caps = s(&["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"]);
    match kind {
        BackingKind::Postgres => BackingService {
            name: "postgres".into(),
            image: "postgres:18".into(),
            environment: env(&[
                ("POSTGRES_USER", USER.into()),
                ("POSTGRES_DB", DATABASE.into()),
                ("POSTGRES_PASSWORD", required("POSTGRES_PASSWORD")),
            ]),
            volume: "postgres-data".into(),
            // Postgres 18 keeps its data in a versioned folder under /var/lib/postgresql.
            data_dir: "/var/lib/postgresql".into(),
            healthcheck: s(&["pg_isready", "-U", USER, "-d", DATABASE]),
            cap_add: server_caps,
            tmpfs: s(&["/tmp", "/var/run/postgresql"]),
            password_variable: Some("POSTGRES_PASSWORD".into()),
            note: "PostgreSQL 18, the current major".into(),
        },
        BackingKind::Mysql => BackingService {
            name: "mysql".into(),
            image: "mysql:8.4".into(),
            environment: env(&[
                ("MYSQL_USER", USER.into()),
                ("MYSQL_DATABASE", DATABASE.into()),
                ("MYSQL_PASSWORD", required("MYSQL_PASSWORD")),
                ("MYSQL_RANDOM_ROOT_PASSWORD", "yes".into()),
            ]),
            volume: "mysql-data".into(),
            data_dir: "/var/lib/mysql".into(),
            healthcheck: s(&["mysqladmin", "ping", "-h", "127.0.0.1", "--silent"]),
            cap_add: server_caps,
            tmpfs: s(&["/tmp", "/run/mysqld", "/var/run/mysqld"]),
            password_variable: Some("MYSQL_PASSWORD".into()),
            note: "MySQL 8.4, the long-term-support release".into(),
        },
        BackingKind::Mongodb => BackingService {
            name: "mongodb".into(),
            image: "mongo:8".into(),
            environment: env(&[
                ("MONGO_INITDB_ROOT_USERNAME", USER.into()),
                ("MONGO_INITDB_ROOT_PASSWORD", required("MONGODB_PASSWORD")),
            ]),
            volume: "mongodb-data".into(),
            data_dir: "/data/db".into(),
            healthcheck: s(&["mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"]),
            cap_add: server_caps,
            tmpfs: s(&["/tmp", "/data/configdb"]),
            password_variable: Some("MONGODB_PASSWORD".into()),
            note: "MongoDB 8, the current major".into(),
        },
        BackingKind::Redis => BackingService {
            name: "redis".into(),
            image: "redis:8".into(),
            environment: Vec::new(),
            volume: "redis-data".into(),
            data_dir: "/data".into(),
            healthcheck: s(&["redis-cli", "ping"]),
            cap_add: s(&["SETGID", "SETUID"]),
            tmpfs: s(&["/tmp"]),
            password_variable: None,
            note: "Redis 8, the current major; reachable only on the compose network".into(),
        },
        BackingKind::Rabbitmq => BackingService {
            name: "rabbitmq".into(),
            image: "rabbitmq:4".into(),
            environment: env(&[
                ("RABBITMQ_DEFAULT_USER", USER.into()),
                ("RABBITMQ_DEFAULT_PASS", required("RABBITMQ_PASSWORD")),
            ]),
            volume: "rabbitmq-data".into(),
            data_dir: "/var/lib/rabbitmq".into(),
            healthcheck: s(&["rabbitmq-diagnostics", "-q", "ping"]),
            cap_add: server_caps,
            tmpfs: s(&["/tmp"]),
            password_variable: Some("RABBITMQ_PASSWORD".into()),
            note: "RabbitMQ 4, the current major".into(),
        },
    }
}

/// The variable an application conventionally reads when its own was not found.
fn conventional_variable(kind: BackingKind) -> &'static str {
    match kind {
        BackingKind::Postgres | BackingKind::Mysql => "DATABASE_URL",
        BackingKind::Mongodb => "MONGODB_URI",
        BackingKind::Redis => "REDIS_URL",
        BackingKind::Rabbitmq => "AMQP_URL",
    }
}

/// The connection URL, with the password interpolated by compose from `.env`.
fn url(kind: BackingKind, host: &str) -> String {
    let p = |name: &str| format!("${{{name}}}");
    match kind {
        BackingKind::Postgres => format!(
            "postgresql://{USER}:{}@{host}:5432/{DATABASE}?sslmode=disable",
            p("POSTGRES_PASSWORD")
        ),
        BackingKind::Mysql => format!(
            "mysql://{USER}:{}@{host}:3306/{DATABASE}",
            p("MYSQL_PASSWORD")
        ),
        BackingKind::Mongodb => format!(
            "mongodb://{USER}:{}@{host}:27017/{DATABASE}?authSource=admin",
            p("MONGODB_PASSWORD")
        ),
        BackingKind::Redis => format!("redis://{host}:6379"),
        BackingKind::Rabbitmq => format!("amqp://{USER}:{}@{host}:5672", p("RABBITMQ_PASSWORD")),
    }
}

/// Spring Boot binds `spring.*` settings from the environment whatever the code reads.
fn spring(kind: BackingKind, host: &str) -> Vec<(String, String)> {
    let v = |pairs: &[(&str, String)]| {
        pairs
            .iter()
            .map(|(k, val)| (k.to_string(), val.clone()))
            .collect::<Vec<_>>()
    };
    match kind {
        BackingKind::Postgres => v(&[
            (
                "SPRING_DATASOURCE_URL",
                format!("jdbc:postgresql://{host}:5432/{DATABASE}"),
            ),
            ("SPRING_DATASOURCE_USERNAME", USER.into()),
            ("SPRING_DATASOURCE_PASSWORD", required("POSTGRES_PASSWORD")),
        ]),
        BackingKind::Mysql => v(&[
            (
                "SPRING_DATASOURCE_URL",
                format!("jdbc:mysql://{host}:3306/{DATABASE}"),
            ),
            ("SPRING_DATASOURCE_USERNAME", USER.into()),
            ("SPRING_DATASOURCE_PASSWORD", required("MYSQL_PASSWORD")),
        ]),
        BackingKind::Mongodb => v(&[("SPRING_DATA_MONGODB_URI", url(kind, host))]),
        // Boot 3 reads spring.data.redis.*, Boot 2 spring.redis.*.
        BackingKind::Redis => v(&[
            ("SPRING_DATA_REDIS_HOST", host.into()),
            ("SPRING_REDIS_HOST", host.into()),
        ]),
        BackingKind::Rabbitmq => v(&[
            ("SPRING_RABBITMQ_HOST", host.into()),
            ("SPRING_RABBITMQ_USERNAME", USER.into()),
            ("SPRING_RABBITMQ_PASSWORD", required("RABBITMQ_PASSWORD")),
        ]),
    }
}

/// The connections of one application service, and a warning for each backing service whose
/// connection variable was not found in the application.
pub fn connections(facts: &ServiceFacts) -> (Vec<Connection>, Vec<Warning>) {
    let spring_boot = facts.language == Language::Java
        && facts
            .framework
            .as_ref()
            .is_some_and(|f| f.value == "spring-boot");
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for b in &facts.backing {
        let kind = b.value.kind;
        let host = service(kind).name;
        let environment = if spring_boot {
            spring(kind, &host)
        } else {
            let name = match &b.value.env {
                Some(env) => env.value.clone(),
                None => {
                    warnings.push(Warning::located("backing-variable-unknown", format!(
                        "{}: uses {} but no connection variable was found in its source; compose.yaml sets {} (point the application at it)",
                        b.evidence.source(),
                        kind.name(),
                        conventional_variable(kind)
                    )));
                    conventional_variable(kind).to_string()
                }
            };
            vec![(name, url(kind, &host))]
        };
        out.push(Connection {
            service: host,
            environment,
        });
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Backing, Evidence, Fact};

    #[test]
    fn the_application_gets_the_variable_it_reads() {
        let mut facts = ServiceFacts::new(".", Language::Node);
        facts.backing = vec![
            Fact::new(
                Backing {
                    kind: BackingKind::Postgres,
                    env: Some(Fact::new("PG_URL".into(), Evidence::file("a.js"))),
                },
                Evidence::at("package.json", Some(4)),
            ),
            Fact::new(
                Backing {
                    kind: BackingKind::Redis,
                    env: None,
                },
                Evidence::at("package.json", Some(5)),
            ),
        ];
        let (c, warnings) = connections(&facts);
        assert_eq!(c[0].service, "postgres");
        assert_eq!(
            c[0].environment,
            [(
                "PG_URL".to_string(),
                "postgresql://app:${POSTGRES_PASSWORD}@postgres:5432/app?sslmode=disable"
                    .to_string()
            )]
        );
        assert_eq!(c[1].environment[0].0, "REDIS_URL");
        assert!(warnings[0].contains("package.json:5") && warnings[0].contains("REDIS_URL"));
        // No password is ever written: the user sets it in .env.
        assert!(service(BackingKind::Postgres)
            .environment
            .iter()
            .any(|(k, v)| k == "POSTGRES_PASSWORD" && v == "${POSTGRES_PASSWORD}"));
    }
}

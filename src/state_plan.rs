//! What compose.yaml does for an app's database state: the named volume its SQLite file lives
//! on, the variable that points the app at it, and the one-shot migration service the app waits
//! for. Computed from the answers, so the compose template only lays these out.

use crate::plan::ServicePlan;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceState {
    /// Named volume for a SQLite database, and where it is mounted (the image creates that
    /// folder owned by the app's user).
    pub data_volume: Option<String>,
    pub data_dir: &'static str,
    /// `(NAME, VALUE)` that moves the SQLite file onto the volume.
    pub data_env: Option<(String, String)>,
    /// The migration command in exec form, as the runtime image runs it.
    pub migrate: Option<Vec<String>>,
}

/// `derived` is the preset's rendered `[derived]` table: a value named like the migration's
/// program (`python`, `node`) is the runtime's interpreter at its path in the image
/// (distroless keeps it elsewhere), which the migration runs with.
pub fn plan(service: &ServicePlan, derived: &Value) -> ServiceState {
    let answer = |key: &str| service.answers.get(key).map(|a| &a.value);
    let text = |key: &str| {
        answer(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let data_env = text("sqlite_env").and_then(|s| {
        let (name, value) = s.split_once('=')?;
        Some((name.to_string(), value.to_string()))
    });
    let data_volume = (data_env.is_some() || text("sqlite_file").is_some())
        .then(|| format!("{}-data", service.name));
    let migrate = answer("migrate").and_then(Value::as_array).map(|words| {
        let mut argv: Vec<String> = words
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        if let Some(first) = argv.first_mut() {
            let interpreter = ["python", "node"]
                .contains(&first.as_str())
                .then(|| derived.get(first.as_str()).and_then(Value::as_str))
                .flatten();
            if let Some(interpreter) = interpreter {
                *first = interpreter.to_string();
            }
        }
        argv
    });
    ServiceState {
        data_volume,
        data_dir: crate::detect::python::DATA_DIR,
        data_env,
        migrate: migrate.filter(|m| !m.is_empty()),
    }
}

//! A Python program that is its own server: a file in the service folder with an
//! `if __name__ == "__main__":` block that serves (`uvicorn.run(app)`, `app.run(host=...)`,
//! gRPC's `server.start()` and `wait_for_termination()`, `serve_forever()`). When no application object and
//! no declared command name the start, `python FILE` is the start command.

use crate::detect::source_scan::line_at;
use crate::facts::{Evidence, Fact};
use crate::paths::relative;
use regex::Regex;
use std::sync::LazyLock;

static MAIN_GUARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^if\s+__name__\s*==\s*['"]__main__['"]\s*:"#).expect("valid pattern")
});
static SERVES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:uvicorn\.run\(|\w+\.run\(\s*(?:\w+\s*,\s*)?(?:host|port|debug)\s*=|serve_forever\(|wait_for_termination\(|server\.start\(|web\.run_app\(|serve\()")
        .expect("valid pattern")
});

/// `python FILE` for the first service-level file (`files` are ordered, entry points first)
/// whose `__main__` block serves. Files in sub-folders are modules, not programs; manage.py
/// is Django's command runner.
pub fn detect(dir: &str, files: &[(String, String)]) -> Option<Fact<Vec<String>>> {
    files.iter().find_map(|(path, text)| {
        let file = relative(dir, path);
        if file.contains('/')
            || file == "manage.py"
            || file.starts_with("test")
            || file == "setup.py"
        {
            return None;
        }
        let guard = MAIN_GUARD.find(text)?;
        SERVES.is_match(text).then(|| {
            Fact::new(
                vec!["python".to_string(), file.clone()],
                Evidence::at(path.clone(), Some(line_at(text, guard.start()))).because(format!(
                    "{file} serves when run as a program (its __main__ block)"
                )),
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_whose_main_block_serves() {
        // GoogleCloudPlatform/microservices-demo's emailservice: a gRPC server.
        let grpc = "import grpc\n\ndef start():\n    server.start()\n\nif __name__ == '__main__':\n    start()\n    server.wait_for_termination()\n";
        let tool = "def main():\n    app.run()\n\nif __name__ == \"__main__\":\n    main()\n";
        let files = vec![
            ("svc/tool.py".to_string(), tool.to_string()),
            ("svc/email_server.py".to_string(), grpc.to_string()),
            ("svc/lib/inner.py".to_string(), grpc.to_string()),
        ];
        let fact = detect("svc", &files).unwrap();
        assert_eq!(fact.value, ["python", "email_server.py"]);
        assert_eq!(fact.evidence.source(), "svc/email_server.py:6");
        assert!(detect("svc", &files[..1]).is_none());
    }
}

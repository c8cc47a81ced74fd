//! The signal that stops a Python program run as its own server. As PID 1 a process gets no
//! default signal handlers, and Python installs none for SIGTERM: `docker stop` then waits out
//! its grace period and kills it. Python does turn SIGINT into KeyboardInterrupt, which its
//! servers (Flask's, `http.server`, asyncio loops) stop on, so a script that handles no SIGTERM
//! is stopped with SIGINT. gunicorn, uvicorn and other servers handle SIGTERM themselves.

use crate::detect::dockerfile_start::run_words;
use crate::facts::{Evidence, Fact};

/// `SIGINT` when `start` runs a Python file (directly or in `sh -c 'exec python …'`) whose
/// source handles no SIGTERM.
pub fn detect(start: &[String], sources: &[(String, String)]) -> Option<Fact<String>> {
    let words = run_words(start);
    let [python, script, ..] = words.as_slice() else {
        return None;
    };
    if !python.rsplit('/').next()?.starts_with("python") || !script.ends_with(".py") {
        return None;
    }
    let script = script.trim_start_matches("./");
    let (path, text) = sources
        .iter()
        .find(|(p, _)| p == script || p.ends_with(&format!("/{script}")))?;
    if text.contains("SIGTERM") {
        return None;
    }
    Some(Fact::new(
        "SIGINT".to_string(),
        Evidence::at(path, None).because(
            "handles no SIGTERM, which Python as PID 1 ignores; SIGINT raises KeyboardInterrupt",
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_script_without_a_sigterm_handler_stops_on_sigint() {
        let sources = vec![
            ("app.py".to_string(), "app.run()\n".to_string()),
            (
                "server.py".to_string(),
                "signal.signal(signal.SIGTERM, stop)\n".to_string(),
            ),
        ];
        let s = detect(&words(&["python", "app.py"]), &sources).unwrap();
        assert_eq!(
            (s.value.as_str(), s.evidence.source()),
            ("SIGINT", "app.py".into())
        );
        assert!(detect(
            &words(&["sh", "-c", "exec python ./app.py --name \"$N\""]),
            &sources
        )
        .is_some());
        assert!(detect(&words(&["python", "server.py"]), &sources).is_none());
        assert!(detect(&words(&["gunicorn", "app:app"]), &sources).is_none());
        assert!(detect(&words(&["python", "-m", "app"]), &sources).is_none());
    }
}

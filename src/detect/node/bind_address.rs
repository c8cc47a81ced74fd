//! A server that listens only on the loopback interface cannot be reached from outside its
//! container: `app.listen(3000, 'localhost')`, `listen({ host: '127.0.0.1' })`, and Fastify's
//! `listen({ port })`, whose default host is localhost. Found in the file that sets the port,
//! and reported with its line, since the fix is in the application's code.

use crate::detect::source_scan::line_at;
use crate::warning::Warning;
use regex::Regex;
use std::sync::LazyLock;

static LOOPBACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\.listen\([^;]*?['"`](?:localhost|127\.0\.0\.1)['"`]"#).expect("valid pattern")
});
static OPTIONS_LISTEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.listen\(\s*\{([^}]*)\}").expect("valid pattern"));

/// A warning when `text` (the file at `path`) listens on loopback only.
pub fn warning(path: &str, text: &str, framework: Option<&str>) -> Option<Warning> {
    if let Some(m) = LOOPBACK.find(text) {
        return Some(Warning::located(
            "binds-loopback",
            format!(
                "{path}:{}: the server listens on localhost only, which is unreachable from outside the container; listen on 0.0.0.0 (or read the host from HOST)",
                line_at(text, m.start())
            ),
        ));
    }
    if framework != Some("fastify") {
        return None;
    }
    let caps = OPTIONS_LISTEN.captures(text)?;
    if caps[1].contains("host") {
        return None;
    }
    Some(Warning::located(
        "binds-loopback",
        format!(
            "{path}:{}: fastify listens on localhost unless `host` is given, which is unreachable from outside the container; pass host: '0.0.0.0'",
            line_at(text, caps.get(0).map_or(0, |m| m.start()))
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_listeners_are_named() {
        // fastify/demo: `await app.listen({ port: process.env.PORT ?? 3000 })`.
        let demo =
            "async function init() {\n  await app.listen({ port: process.env.PORT ?? 3000 })\n}\n";
        let w = warning("src/server.ts", demo, Some("fastify")).unwrap();
        assert!(
            w.to_string()
                .starts_with("src/server.ts:2: fastify listens on localhost"),
            "{w}"
        );
        let hosted = "app.listen({ port: 3000, host: '0.0.0.0' })";
        assert!(warning("s.js", hosted, Some("fastify")).is_none());
        let express = "app.listen(3000, 'localhost', () => {})";
        assert!(warning("s.js", express, Some("express"))
            .unwrap()
            .contains("localhost only"));
        assert!(warning("s.js", "app.listen(3000)", Some("express")).is_none());
    }
}

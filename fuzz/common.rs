//! The bodies of the fuzz targets, shared with `tests/fuzz_smoke.rs` so the stable test suite
//! runs exactly the code the fuzzer runs. Each takes arbitrary bytes and must not panic: bad
//! input is an `Err`, never a crash. Inputs that detect are carried on through the plan and the
//! render, so fuzzed facts also exercise answer checks and templates.
#![allow(dead_code)]

use dockgen::project_file::ProjectFile;
use dockgen::repo::RepoTree;
use std::cell::RefCell;
use std::path::Path;

/// File names the first input byte chooses from, each with companions that make detection go
/// past the first check (a source file needs a manifest beside it).
pub const FILES: &[(&str, &[(&str, &str)])] = &[
    ("package.json", &[("server.js", "require('http').createServer().listen(3000)\n")]),
    (".nvmrc", &[("package.json", "{\"main\": \"server.js\"}")]),
    (".tool-versions", &[("package.json", "{\"main\": \"server.js\"}")]),
    ("tsconfig.json", &[("package.json", "{\"devDependencies\": {\"typescript\": \"5\"}, \"scripts\": {\"build\": \"tsc\", \"start\": \"node dist/main.js\"}}")]),
    ("server.js", &[("package.json", "{\"main\": \"server.js\", \"dependencies\": {\"express\": \"4\"}}")]),
    ("next.config.js", &[("package.json", "{\"dependencies\": {\"next\": \"14\"}, \"scripts\": {\"build\": \"next build\", \"start\": \"next start\"}}")]),
    ("yarn.lock", &[("package.json", "{\"main\": \"server.js\"}")]),
    ("pyproject.toml", &[("app.py", "from flask import Flask\napp = Flask(__name__)\n")]),
    ("poetry.lock", &[("pyproject.toml", "[tool.poetry]\nname = \"a\"\n[tool.poetry.dependencies]\nflask = \"*\"\ngunicorn = \"*\"\n")]),
    ("requirements.txt", &[("app.py", "from flask import Flask\napp = Flask(__name__)\n")]),
    ("Pipfile", &[("app.py", "import fastapi\n")]),
    ("app.py", &[("requirements.txt", "flask\ngunicorn\n")]),
    ("manage.py", &[("requirements.txt", "django\ngunicorn\n")]),
    ("pom.xml", &[("src/main/java/App.java", "class App {}\n")]),
    ("build.gradle", &[("src/main/java/App.java", "class App {}\n")]),
    ("build.gradle.kts", &[("settings.gradle.kts", "rootProject.name = \"a\"\n")]),
    ("src/main/resources/application.properties", &[("pom.xml", "<project><artifactId>a</artifactId></project>")]),
    ("go.mod", &[("main.go", "package main\nfunc main() {}\n")]),
    ("main.go", &[("go.mod", "module a\n\ngo 1.22\n")]),
];

thread_local! {
    static PIPELINE: RefCell<Option<(dockgen::preset::Presets, dockgen::render::Renderer)>> =
        const { RefCell::new(None) };
}

/// Detects `tree`; when that works, plans and renders it too. Errors are fine, panics are not.
fn pipeline(tree: &RepoTree) {
    let Ok(facts) = dockgen::detect::detect(tree, Path::new(".")) else {
        return;
    };
    PIPELINE.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let presets = dockgen::preset::Presets::load(None).expect("embedded presets");
            let renderer = dockgen::render::Renderer::new(None).expect("embedded templates");
            *cell = Some((presets, renderer));
        }
        let Some((presets, renderer)) = cell.as_mut() else {
            return;
        };
        let project = ProjectFile::default();
        if let Ok(plan) = dockgen::plan::build(&facts, presets, &project, None, &[], None) {
            let _ = renderer.render(&plan, presets);
        }
    });
}

/// First byte: which file; the rest: its contents. Tried at the root and as a monorepo service.
pub fn detect_manifest(data: &[u8]) {
    let Some((&choice, contents)) = data.split_first() else {
        return;
    };
    let (name, companions) = FILES[choice as usize % FILES.len()];
    for dir in ["", "svc/"] {
        let mut files: Vec<(String, Vec<u8>)> = companions
            .iter()
            .map(|(p, c)| (format!("{dir}{p}"), c.as_bytes().to_vec()))
            .collect();
        files.push((format!("{dir}{name}"), contents.to_vec()));
        pipeline(&RepoTree::from_files(files));
    }
}

/// package.json alone: its bytes with a fixed server.js beside it.
pub fn package_json(data: &[u8]) {
    let tree = RepoTree::from_files([
        ("package.json", data.to_vec()),
        (
            "server.js",
            b"const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n".to_vec(),
        ),
    ]);
    pipeline(&tree);
}

/// dockgen.toml: parsed, and when that works, rewritten with a recorded answer.
pub fn dockgen_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(project) = ProjectFile::parse(text) else {
        return;
    };
    let mut records = std::collections::BTreeMap::new();
    records.insert(
        ".".to_string(),
        std::collections::BTreeMap::from([
            ("preset".to_string(), toml::Value::String("node".into())),
            ("port".to_string(), toml::Value::Integer(8080)),
        ]),
    );
    let updated = project.updated_text(&records, Some("fuzz-project"));
    // What dockgen writes, it must read back.
    if let Err(e) = ProjectFile::parse(&updated) {
        panic!("dockgen.toml written by dockgen does not parse: {e}\n{updated}");
    }
}

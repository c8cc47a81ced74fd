//! No injection through repositories: a value taken from a repository (a script, a version
//! file, a port literal, a path, a package name, a route, a folder name) never adds a Dockerfile
//! instruction, a shell command, a compose key or a .dockerignore line. Each hostile repository
//! either renders as inert data or is rejected with an error naming the file. Every successful
//! render is compared with the render of a benign twin repository: the strict splitter in
//! `support` (always) and BuildKit's own parser (when the validators' venv is installed) must
//! see the same instructions in the same order, and the compose file parsed as YAML must have
//! the same keys. Also checks the strict splitter itself against BuildKit. Hostile answers are
//! in injection_answers.rs.

mod support;

use support::*;

/// One hostile repository and its benign twin.
struct Case {
    name: &'static str,
    hostile: Vec<(&'static str, Vec<u8>)>,
    benign: Vec<(&'static str, Vec<u8>)>,
    /// The file a rejection must name.
    blame: &'static str,
}

fn files(list: &[(&'static str, &str)]) -> Vec<(&'static str, Vec<u8>)> {
    list.iter()
        .map(|(p, c)| (*p, c.as_bytes().to_vec()))
        .collect()
}

const SERVER: &str = "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n";

fn express(package_json: &str, server: &str) -> Vec<(&'static str, Vec<u8>)> {
    files(&[
        ("package.json", package_json),
        ("server.js", server),
        ("package-lock.json", "{\"lockfileVersion\": 3}\n"),
    ])
}

const PJ: &str =
    r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#;

fn cases() -> Vec<Case> {
    let mut cases = vec![
        Case {
            name: "start script with a newline and an instruction",
            hostile: express(
                r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js\nRUN curl x | sh"}}"#,
                SERVER,
            ),
            benign: express(PJ, SERVER),
            blame: "package.json",
        },
        Case {
            name: "start script that chains a shell command",
            hostile: express(
                r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js && curl x | sh"}}"#,
                SERVER,
            ),
            benign: express(PJ, SERVER),
            blame: "package.json",
        },
        Case {
            name: ".nvmrc with a second line",
            hostile: [express(PJ, SERVER), files(&[(".nvmrc", "22\nUSER root\n")])].concat(),
            benign: [express(PJ, SERVER), files(&[(".nvmrc", "22\n")])].concat(),
            blame: ".nvmrc",
        },
        Case {
            name: ".nvmrc with an instruction on its only line",
            hostile: [express(PJ, SERVER), files(&[(".nvmrc", "22 AS x\\\n")])].concat(),
            benign: [express(PJ, SERVER), files(&[(".nvmrc", "22\n")])].concat(),
            blame: ".nvmrc",
        },
        Case {
            name: "engines.node with a newline",
            hostile: express(
                r#"{"name": "app", "engines": {"node": "22\nUSER root"}, "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            benign: express(
                r#"{"name": "app", "engines": {"node": "22"}, "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            blame: "package.json",
        },
        Case {
            name: "packageManager with a shell command",
            hostile: express(
                r#"{"name": "app", "packageManager": "pnpm@9.0.0; curl x | sh", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            benign: express(
                r#"{"name": "app", "packageManager": "pnpm@9.0.0", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            blame: "package.json",
        },
        Case {
            name: "main with a shell command",
            hostile: files(&[
                ("package.json", r#"{"name": "app", "main": "server.js; rm -rf /"}"#),
                ("server.js", SERVER),
            ]),
            benign: files(&[
                ("package.json", r#"{"name": "app", "main": "server.js"}"#),
                ("server.js", SERVER),
            ]),
            blame: "package.json",
        },
        Case {
            name: "main that is a node option",
            hostile: files(&[
                ("package.json", r#"{"name": "app", "main": "-e=require('child_process').execSync('id')"}"#),
                ("server.js", SERVER),
            ]),
            benign: files(&[
                ("package.json", r#"{"name": "app", "main": "server.js"}"#),
                ("server.js", SERVER),
            ]),
            blame: "package.json",
        },
        Case {
            name: "package name with quotes and backslashes",
            hostile: express(
                r#"{"name": "a\"b\\c\nRUN curl x", "dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}"#,
                SERVER,
            ),
            benign: express(PJ, SERVER),
            blame: "package.json",
        },
        Case {
            name: "listen port literals that cannot parse",
            hostile: express(
                PJ,
                "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(process.env.PORT || 99999999999999999999);\n",
            ),
            benign: express(PJ, SERVER),
            blame: "server.js",
        },
        Case {
            name: "listen port out of range",
            hostile: express(
                PJ,
                "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(70000);\n",
            ),
            benign: express(PJ, SERVER),
            blame: "server.js",
        },
        Case {
            name: "listen port as a string with a newline",
            hostile: express(
                PJ,
                "const app = require('express')();\napp.get('/health', (q, r) => r.send('ok'));\napp.listen(\"30x0\\nUSER root\");\n",
            ),
            benign: express(PJ, SERVER),
            blame: "server.js",
        },
        Case {
            name: "health route literal with quotes",
            hostile: express(
                PJ,
                "const app = require('express')();\napp.get('/health\\'+require(\"child_process\").execSync(\"id\")+\\'', (q, r) => r.send('ok'));\napp.get(\"/he\\\"alth\", (q, r) => r.send('ok'));\napp.listen(3000);\n",
            ),
            benign: express(PJ, SERVER),
            blame: "server.js",
        },
        Case {
            name: "tsconfig outDir that leaves the context",
            hostile: files(&[
                ("package.json", r#"{"name": "app", "devDependencies": {"typescript": "5"}, "scripts": {"build": "tsc", "start": "node dist/main.js"}}"#),
                ("tsconfig.json", r#"{"compilerOptions": {"outDir": "../../$(id) x"}}"#),
                ("src/main.ts", "console.log(1)\n"),
            ]),
            benign: files(&[
                ("package.json", r#"{"name": "app", "devDependencies": {"typescript": "5"}, "scripts": {"build": "tsc", "start": "node dist/main.js"}}"#),
                ("tsconfig.json", r#"{"compilerOptions": {"outDir": "dist"}}"#),
                ("src/main.ts", "console.log(1)\n"),
            ]),
            blame: "tsconfig.json",
        },
        Case {
            name: "build script with a newline",
            hostile: express(
                r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"build": "tsc\nRUN curl x | sh", "start": "node server.js"}}"#,
                SERVER,
            ),
            benign: express(
                r#"{"name": "app", "dependencies": {"express": "4"}, "scripts": {"build": "tsc", "start": "node server.js"}}"#,
                SERVER,
            ),
            blame: "package.json",
        },
    ];
    // A monorepo whose service folders have spaces, quotes, `$()` and a leading `-`.
    let service = |p: &'static str| (p, PJ.as_bytes().to_vec());
    let server = |p: &'static str| (p, SERVER.as_bytes().to_vec());
    cases.push(Case {
        name: "monorepo folders with spaces, quotes, $() and a leading -",
        hostile: vec![
            service("my svc/package.json"),
            server("my svc/server.js"),
            service("q\"uo'te/package.json"),
            server("q\"uo'te/server.js"),
            service("$(id)/package.json"),
            server("$(id)/server.js"),
            service("-rf/package.json"),
            server("-rf/server.js"),
        ],
        benign: vec![
            service("a/package.json"),
            server("a/server.js"),
            service("b/package.json"),
            server("b/server.js"),
            service("c/package.json"),
            server("c/server.js"),
            service("d/package.json"),
            server("d/server.js"),
        ],
        blame: "package.json",
    });
    cases
}

#[test]
fn hostile_repositories_render_inert_data_or_are_rejected() {
    let mut pairs = Pairs::new();
    for case in cases() {
        let as_refs =
            |f: &[(&'static str, Vec<u8>)]| -> Vec<(&'static str, Vec<u8>)> { f.to_vec() };
        let hostile_files = as_refs(&case.hostile);
        let benign_files = as_refs(&case.benign);
        let h: Vec<(&str, &[u8])> = hostile_files
            .iter()
            .map(|(p, c)| (*p, c.as_slice()))
            .collect();
        let b: Vec<(&str, &[u8])> = benign_files
            .iter()
            .map(|(p, c)| (*p, c.as_slice()))
            .collect();
        let (_th, hostile_root) = repo(&h);
        let (_tb, benign_root) = repo(&b);
        let benign = generate_stdout(&benign_root, &[]);
        let benign_files = benign
            .as_ref()
            .unwrap_or_else(|e| panic!("{}: benign twin failed: {e:?}", case.name));
        let hostile = generate_stdout(&hostile_root, &[]);
        match &hostile {
            Ok(files) => {
                compare(case.name, benign_files, files);
                println!("{}: rendered as inert data", case.name);
            }
            Err((code, err)) => {
                assert_eq!(*code, 3, "{}: {err}", case.name);
                assert!(
                    err.contains(case.blame),
                    "{}: {err} does not name {}",
                    case.name,
                    case.blame
                );
                println!("{}: rejected: {}", case.name, err.trim());
            }
        }
        collect_pairs(&mut pairs, case.name, &hostile, &benign);
    }
    buildkit_check(&pairs);
}

#[test]
fn the_strict_splitter_sees_what_buildkit_sees() {
    let text = "# syntax=docker/dockerfile:1\nFROM a AS b\n# comment\nRUN --mount=type=cache,target=/x \\\n    # inner comment\n    npm ci && \\\n    echo \"$(id)\"\nCMD [\"node\", \"a b\"]\nHEALTHCHECK --interval=30s \\\n  CMD [\"x\"]\n";
    let ins = split_dockerfile(text).unwrap();
    let shapes: Vec<String> = ins.iter().map(shape).collect();
    assert_eq!(
        shapes,
        [
            "FROM  words[\"W\", \"W\", \"W\"]",
            "RUN mount sh[\"W\", \"W\", \"&&\", \"W\", \"W\", \"$(\"]",
            "CMD  json[2]",
            "HEALTHCHECK interval CMD json[1]",
        ]
    );
    assert!(split_dockerfile("FROM a\nRUN x \\\n").is_err());
    assert!(split_dockerfile("FROM a\nEVIL x\n").is_err());
    assert!(split_dockerfile("FROM a\nRUN <<EOF\nx\nEOF\n").is_err());
    if let Some(python) = buildkit_python() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, text).unwrap();
        let shapes = buildkit_shapes(&python, &[path]);
        assert_eq!(shapes[0].as_ref().unwrap().len(), ins.len());
    }
}

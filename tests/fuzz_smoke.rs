//! The fuzz targets (fuzz/common.rs) as a stable, deterministic test: every input kept in
//! fuzz/regressions/, then a few thousand mutations of the fixtures' manifests (bit flips,
//! cuts, duplicated ranges, inserted quotes, brackets, newlines, huge numbers, invalid UTF-8),
//! each fed to the same functions the fuzzer runs. A panic fails the test and saves the input
//! under fuzz/regressions/ so it stays a regression case. `bash scripts/fuzz.sh` runs the
//! coverage-guided fuzzer on nightly.

#[path = "../fuzz/common.rs"]
mod common;

use std::path::{Path, PathBuf};

/// Mutations per seed file; with ~60 seeds this is a few thousand inputs per run.
const MUTATIONS: usize = 40;

const TOKENS: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"\"",
    b"'",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b"[[",
    b"]]",
    b"<",
    b"</",
    b"<![CDATA[",
    b"&#x0;",
    b"=",
    b":",
    b",",
    b"\0",
    b"\xff\xfe",
    b"\xe2\x80\xa8",
    b"99999999999999999999999",
    b"-1",
    b"0",
    b"65536",
    b"${X}",
    b"$(id)",
    b"`id`",
    b"require (",
    b")",
    b"\"\"\"",
    b"#",
    b"@",
    b"^",
    b"~>",
    b">=",
    b"||",
    b"\t",
    b"listen(",
    b"app.get('/",
    b"module ",
    b"go 1.",
    b"<version>",
    b"[project]",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(16)).min(len);
                data.drain(start..end);
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                data.splice(at..at, token.iter().copied());
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                let copy = data[start..end].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            4 => data.truncate(rng.below(len + 1)),
            5 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            _ => {
                let at = rng.below(len + 1);
                data.insert(at, rng.next() as u8);
            }
        }
    }
    data
}

/// Seeds: every fixture file whose name a target knows, as (target index into FILES, bytes).
fn seeds() -> Vec<(usize, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.to_string_lossy().replace('\\', "/");
            let known = common::FILES
                .iter()
                .position(|(name, _)| rel.ends_with(&format!("/{name}")));
            if let (Some(i), Ok(bytes)) = (known, std::fs::read(&path)) {
                if bytes.len() <= 64 * 1024 {
                    out.push((i, bytes));
                }
            }
        }
    }
    out.sort();
    out
}

fn regressions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions")
}

/// Runs `target` on `input`; on a panic, keeps the input as a regression case and fails.
fn run(name: &str, target: fn(&[u8]), input: &[u8]) {
    if std::panic::catch_unwind(|| target(input)).is_err() {
        let mut hash: u64 = 0xcbf29ce484222325;
        for b in input {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x100000001b3);
        }
        let path = regressions_dir().join(format!("{name}-{hash:016x}"));
        let _ = std::fs::create_dir_all(regressions_dir());
        let _ = std::fs::write(&path, input);
        panic!("{name} panicked on an input kept as {}", path.display());
    }
}

fn target_of(name: &str) -> fn(&[u8]) {
    match name.split('-').next().unwrap_or("") {
        "package_json" => common::package_json,
        "dockgen_toml" => common::dockgen_toml,
        _ => common::detect_manifest,
    }
}

#[test]
fn kept_regression_inputs_do_not_panic() {
    let Ok(entries) = std::fs::read_dir(regressions_dir()) else {
        return;
    };
    let mut count = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".md") {
            continue;
        }
        let input = std::fs::read(entry.path()).expect("read regression input");
        run(&name, target_of(&name), &input);
        count += 1;
    }
    println!("{count} regression inputs replayed");
}

#[test]
fn mutated_manifests_never_panic() {
    let seeds = seeds();
    assert!(!seeds.is_empty(), "no fixture manifests found");
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut count = 0;
    for (choice, bytes) in &seeds {
        for _ in 0..MUTATIONS {
            let mut input = vec![*choice as u8];
            input.extend(mutate(bytes, &mut rng));
            run("detect_manifest", common::detect_manifest, &input);
            if common::FILES[*choice].0 == "package.json" {
                run("package_json", common::package_json, &input[1..]);
            }
            count += 1;
        }
    }
    println!(
        "{count} mutated manifests from {} fixture files",
        seeds.len()
    );
}

#[test]
fn mutated_dockgen_toml_never_panics() {
    let seeds: &[&[u8]] = &[
        b"[service.\".\"]\npreset = \"node\"\nport = 8080\nruntime = \"slim\"\n",
        b"# mine\n[service.\"api\"]\npreset = \"go\" # chosen\nstart = [\"/app\", \"serve\"]\n\n[service.web]\nhealth = \"/healthz\"\n",
        b"service = 1\n",
        b"[service]\n\"a.b\" = { preset = \"x\" }\n",
    ];
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let mut count = 0;
    for seed in seeds {
        for _ in 0..500 {
            run(
                "dockgen_toml",
                common::dockgen_toml,
                &mutate(seed, &mut rng),
            );
            count += 1;
        }
    }
    println!("{count} mutated dockgen.toml files");
}

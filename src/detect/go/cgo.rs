//! Whether the program needs cgo. With `CGO_ENABLED=0` a cgo driver such as mattn/go-sqlite3
//! still compiles but fails at run time, so this decides between a static binary on
//! distroless/static and a glibc build on distroless/base. Evidence is a go.mod `require` of a
//! module known to need cgo, or an `import "C"` in the module's own source.

use super::go_mod::GoMod;
use crate::detect::source_scan::line_at;
use crate::facts::{Evidence, Fact};
use crate::warning::Warning;
use regex::Regex;
use std::sync::LazyLock;

/// Modules that do not work without cgo, and what they bring in.
const CGO_MODULES: &[(&str, &str)] = &[
    (
        "github.com/mattn/go-sqlite3",
        "compiles SQLite from C (modernc.org/sqlite is a pure-Go alternative that builds static)",
    ),
    (
        "github.com/confluentinc/confluent-kafka-go",
        "links librdkafka through cgo",
    ),
    (
        "github.com/confluentinc/confluent-kafka-go/v2",
        "links librdkafka through cgo",
    ),
    (
        "github.com/google/gopacket",
        "its pcap package links libpcap through cgo",
    ),
    ("github.com/h2non/bimg", "links libvips through cgo"),
    (
        "gopkg.in/gographics/imagick.v3",
        "links ImageMagick through cgo",
    ),
    ("github.com/tecbot/gorocksdb", "links RocksDB through cgo"),
];

/// Modules whose C libraries are not in distroless/base: the runtime needs them added.
const NEEDS_SYSTEM_LIBRARIES: &[&str] = &[
    "github.com/google/gopacket",
    "github.com/h2non/bimg",
    "gopkg.in/gographics/imagick.v3",
    "github.com/tecbot/gorocksdb",
];

static IMPORT_C: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^\s*import\s+"C"|^\s*import\s*\([^)]*^\s*"C"\s*$"#).expect("valid pattern")
});

pub struct CgoFacts {
    pub cgo: Option<Fact<bool>>,
    pub warnings: Vec<Warning>,
}

/// `go_mod_path` is the repository path of go.mod; `files` the module's Go source.
pub fn detect(go_mod_path: &str, go_mod: &GoMod, files: &[(String, String)]) -> CgoFacts {
    let mut warnings = Vec::new();
    let from_module = CGO_MODULES.iter().find_map(|(module, why)| {
        let req = go_mod.require(module)?;
        if NEEDS_SYSTEM_LIBRARIES.contains(module) {
            warnings.push(Warning::located("cgo-libraries", format!(
                "{go_mod_path}:{}: {module} needs C libraries that distroless/base does not have; add them to the runtime stage",
                req.line
            )));
        }
        Some(Fact::new(
            true,
            Evidence::at(go_mod_path, Some(req.line)).because(format!(
                "requires {module}, which {why}: built with CGO_ENABLED=1 for glibc"
            )),
        ))
    });
    let cgo = from_module.or_else(|| {
        files.iter().find_map(|(path, text)| {
            let m = IMPORT_C.find(text)?;
            let line = line_at(text, m.end());
            Some(Fact::new(
                true,
                Evidence::at(path.clone(), Some(line)).because(
                    "import \"C\": the package uses cgo; built with CGO_ENABLED=1 for glibc",
                ),
            ))
        })
    });
    CgoFacts { cgo, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go_mod(text: &str) -> GoMod {
        GoMod::parse("go.mod", text).unwrap()
    }

    #[test]
    fn a_cgo_driver_in_go_mod_needs_cgo() {
        let m = go_mod("module x\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n");
        let f = detect("go.mod", &m, &[]).cgo.unwrap();
        assert_eq!(f.evidence.source(), "go.mod:5");
    }

    #[test]
    fn import_c_needs_cgo_in_either_form() {
        let m = go_mod("module x\n");
        let single = [(
            "a.go".to_string(),
            "package a\n\n// #include <x.h>\nimport \"C\"\n".to_string(),
        )];
        assert_eq!(
            detect("go.mod", &m, &single).cgo.unwrap().evidence.line,
            Some(4)
        );
        let block = [(
            "b.go".to_string(),
            "package b\n\nimport (\n\t\"fmt\"\n\t\"C\"\n)\n".to_string(),
        )];
        assert_eq!(
            detect("go.mod", &m, &block).cgo.unwrap().evidence.line,
            Some(5)
        );
        let none = [(
            "c.go".to_string(),
            "package c\n\nimport \"fmt\"\n".to_string(),
        )];
        assert!(detect("go.mod", &m, &none).cgo.is_none());
    }
}

//! Fuzz target: see `common::detect_manifest`. Run with `bash scripts/fuzz.sh detect_manifest`.
#![no_main]

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::detect_manifest(data));

//! Fuzz target: see `common::package_json`. Run with `bash scripts/fuzz.sh package_json`.
#![no_main]

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::package_json(data));

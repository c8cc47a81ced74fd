//! Fuzz target: see `common::dockgen_toml`. Run with `bash scripts/fuzz.sh dockgen_toml`.
#![no_main]

#[path = "../common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::dockgen_toml(data));

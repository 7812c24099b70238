//! Catalog parsing: a fuzzed region file (`catalogus.toml`, optionally followed by NUL
//! and a taxonomy) validated with the real offering files. Input format and invariants:
//! `../invariants.rs`.

#![no_main]

#[path = "../invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    invariants::check_catalog_region(data);
});

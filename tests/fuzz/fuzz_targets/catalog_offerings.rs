//! Catalog parsing: fuzzed offering files (`aanbod/*.toml`) validated with the real
//! region and taxonomy. Input format and invariants: `../invariants.rs`.

#![no_main]

#[path = "../invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    invariants::check_catalog_offerings(data);
});

//! Requests end to end: as the `convert` target, then every accepted request runs
//! through the engine (in-memory index over the real catalog) and the wire conversion
//! of its answer. Input format and invariants: `../invariants.rs`.

#![no_main]

#[path = "../invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(init: {
    invariants::engine();
}, |data: &[u8]| {
    invariants::check_request_in_engine(data);
});

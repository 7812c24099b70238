//! Request conversion: arbitrary bytes decoded as one of the five request messages and
//! validated by `wegwijzer::grpc::convert`. Input format and invariants: `../invariants.rs`.

#![no_main]

#[path = "../invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(init: {
    invariants::catalog();
}, |data: &[u8]| {
    invariants::check_request(data);
});

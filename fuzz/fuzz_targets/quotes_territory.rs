//! Quote handling in the territory reader (`quote_cases.rs`).
#![no_main]

mod common;
mod quote_cases;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quote_cases::territory(data));

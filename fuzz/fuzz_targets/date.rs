//! `cargo +nightly fuzz run date`: see `docsite::fuzzing::date`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    docsite::fuzzing::date(data);
});

//! `cargo +nightly fuzz run markdown`: see `docsite::fuzzing::markdown`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    docsite::fuzzing::markdown(data);
});

//! `cargo +nightly fuzz run front_matter`: see `docsite::fuzzing::front_matter`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    docsite::fuzzing::front_matter(data);
});

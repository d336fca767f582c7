//! The integration tests: one crate, fixture sites under `tests/fixtures/<feature>/<case>/`.

mod harness;

mod build;
mod check;
mod documentary;
mod errors;
mod escaping;
mod new;
mod output;
mod robust;
mod serve;
mod subpath;
mod taxonomies;
mod theme;

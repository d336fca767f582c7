//! The integration tests: one crate, fixture sites under `tests/fixtures/<feature>/<case>/`.

mod harness;

mod build;
mod check;
mod copying;
mod dates;
mod documentary;
mod errors;
mod escaping;
mod i18n;
mod incremental;
mod init;
mod languages;
mod media;
mod multilingual;
mod new;
mod output;
mod pages;
mod paginate;
mod reading;
mod robust;
mod scale;
mod search;
mod serve;
mod subpath;
mod taxonomies;
mod theme;

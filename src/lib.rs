//! A static site generator for documentaries.
//!
//! The build runs as stages over plain data, each in its own module or folder:
//! `config` → `content` → `markdown` → `render` → `output`. `site` runs them in order;
//! `serve` runs them again on every change; `linkcheck` checks what `check` built.
//! Shared helpers have modules of their own: `diag` (diagnostics), `files` (fenced
//! reading), `text`, `routes` (every URL and output path), `date`, `theme` (the built-in
//! theme compiled into the binary, and `theme eject`).
//!
//! The public API is what the binary, the integration tests and the fuzz targets use,
//! re-exported here; everything else is private to the crate.

#![warn(unreachable_pub)]

mod config;
mod content;
mod date;
mod diag;
mod files;
#[doc(hidden)]
pub mod fuzzing;
mod i18n;
mod incremental;
mod init;
mod linkcheck;
mod maps;
mod markdown;
mod media;
mod mem;
mod output;
mod profile;
mod render;
mod routes;
mod scaffold;
mod serve;
mod site;
mod sync;
mod taxonomy;
mod text;
mod theme;

pub use config::Config;
pub use content::{Content, LoadOptions};
pub use diag::{clean, clean_lines, BuildError, Diagnostics};
pub use incremental::{Files, Rebuilt, Session};
pub use init::{init, InitOptions, InitReport};
pub use markdown::stage::{render_markdown, RenderedContent};
pub use output::{build_on_disk, clean_up_on_interrupt, Output};
pub use scaffold::{create as new_page, NewPage};
pub use serve::{serve, ServeOptions};
pub use site::{build, check, BuildOptions, BuildStats, CheckOptions, Strictness};
pub use text::url_scheme;
pub use theme::{
    eject as eject_theme, list as list_theme, Ejected, Ejection, Listing, Origin as ThemeOrigin,
};

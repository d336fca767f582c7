//! A static site generator for documentaries.
//!
//! The build runs as stages over plain data, each in its own folder:
//! [`config`] → [`content`] → [`markdown`] → `render` → [`output`]. [`site`] runs them in
//! order; [`serve`] runs them again on every change. Shared helpers have their own
//! modules: `diag` (diagnostics), `files` (fenced reading), `text`, `routes` (every URL).

pub mod config;
pub mod content;
pub mod date;
pub mod diag;
mod files;
#[doc(hidden)]
pub mod fuzzing;
mod linkcheck;
pub mod markdown;
pub mod output;
mod profile;
mod render;
mod routes;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod text;

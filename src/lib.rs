//! A static site generator for documentaries.
//!
//! The build runs as stages over plain data, each in its own module:
//! [`config`] → [`content`] → [`markdown`] → [`timeline`] → [`views`] → [`templates`] /
//! [`pages`] → [`output`]. [`site`] runs them in order.

pub mod config;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod figure;
#[doc(hidden)]
pub mod fuzzing;
pub mod highlight;
pub mod linkcheck;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod profile;
pub mod publish;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod templates;
pub mod timeline;
pub mod tomlerr;
pub mod views;

//! The render stage: every page and data file of the site, rendered through the templates
//! and written through the [`Output`] switch. Where each page goes and which template
//! renders it is [`crate::routes`]'s; [`pages`] and [`listings`] make each page's context;
//! the scheduler here runs them; [`static_files`] writes the rest.
//!
//! Every page's output path and template are [`Page`]'s, one variant per kind of page;
//! the data files (`timeline.json`, `highlight.css`, and [`publish`]'s `sitemap.xml`,
//! `robots.txt`, `atom.xml`, `.nojekyll`, `search.json`, `CNAME`) are
//! [`crate::routes::DataFile`]s. Every file of `static/` is copied as it is, unless its
//! path is one the build makes (`static/index.html`, `static/search.json`, …): that is an
//! error, never a silent replacement.
//!
//! Adding a page: give it a [`Page`] variant (path, file, template, section), write its
//! producer in [`pages`] (a function returning its route and context), and list the
//! producer in [`SINGLES`] (or [`LISTINGS`] if it lists every event).

mod listings;
mod pages;
pub(crate) mod publish;
mod static_files;
pub(crate) mod templates;
pub(crate) mod timeline;
pub(crate) mod views;

use crate::config::Config;
use crate::content::Content;
use crate::diag::{BuildError, BuildStats, Diagnostics, Sink};
use crate::markdown::stage::RenderedContent;
use crate::output::Output;
use crate::routes::Page;
use pages::{Pages, Produced};
use rayon::prelude::*;
use static_files::Made;
use std::path::Path;
use templates::Templates;
use tera::Context;
use views::Views;

/// A producer of one page that is rendered once per site.
type Producer = for<'a, 'p> fn(&'p Pages<'a>) -> Produced<'a>;

/// The pages that list every event. Their contexts are the largest (tens of megabytes each
/// on a large site, and holding every context at once was most of the build's peak
/// memory), so they are rendered one after the other, never side by side.
const LISTINGS: [Producer; 2] = [listings::timeline, listings::print];

/// The other pages rendered once per site, in parallel with each other and with the
/// chapters' and the events' pages.
const SINGLES: [Producer; 7] = [
    pages::home,
    pages::sources,
    pages::people,
    pages::places,
    pages::tags,
    pages::search,
    pages::not_found,
];

/// Renders and writes every page, data file and file of `static/`. Problems found by the
/// templates are diagnostics; a failed write is a system error.
pub(crate) fn write_all(
    root: &Path,
    config: &Config,
    content: &Content,
    rendered: &RenderedContent,
    tera: &Templates,
    out: &Output,
) -> Result<BuildStats, BuildError> {
    let views = Views {
        config,
        content,
        rendered,
        base: &config.base_path,
    };
    let mut base = Context::new();
    base.insert("site", &views.site());
    // The footer depends only on the site: rendered once, included by every page.
    let footer = templates::render(tera, "footer.html", &base)
        .map_err(|d| BuildError::Site(Diagnostics(vec![d])))?;
    base.insert("site_footer", footer.trim_end());
    let sink = Sink::default();
    let Some(cards) = cards(&views, tera, &sink) else {
        return Err(BuildError::Site(sink.into_diagnostics()));
    };
    crate::profile::stage("cards");
    let p = Pages {
        config,
        content,
        rendered,
        views,
        base,
        cards,
        groups: timeline::group(config, content),
    };
    let mut made = render_pages(&p, tera, out, &sink);
    let pages = made.len();
    drop(p);
    crate::profile::stage("pages");
    let written = static_files::write_data(config, content, rendered, out, &mut made);
    let statics = static_files::copy_static(root, out, &made);
    crate::profile::stage("files");
    let errors = sink.into_diagnostics();
    if !errors.is_empty() {
        return Err(BuildError::Site(errors));
    }
    written?;
    Ok(BuildStats {
        pages,
        files: made.len() + statics?,
        events: content.events.len(),
        chapters: content.chapters.len(),
    })
}

/// Every event's card (`card.html`), by event index; `None` when a card failed (its
/// problem is in `sink`).
fn cards(views: &Views, tera: &Templates, sink: &Sink) -> Option<Vec<String>> {
    let cards: Vec<Option<String>> = (0..views.rendered.events.len())
        .into_par_iter()
        .map(|i| {
            let mut c = Context::new();
            c.insert("e", &views.event(i, String::new()));
            let card = templates::render(tera, "card.html", &c).map(|mut html| {
                html.truncate(html.trim_end().len());
                html
            });
            card.map_err(|d| sink.push(d)).ok()
        })
        .collect();
    cards.into_iter().collect()
}

/// Runs every page producer and writes its page; returns every page written (by output
/// path, with its template). A context is made only when its page is rendered and dropped
/// right after. The pages that list every event ([`LISTINGS`]) go one after the other,
/// then the other site-wide pages and the chapters in parallel; the events' pages run
/// beside them all, each worker thread with one base context for all its events.
fn render_pages(p: &Pages, tera: &Templates, out: &Output, sink: &Sink) -> Made {
    let write = |page: Page, ctx: &Context| -> (String, Option<&'static str>) {
        let (file, template) = (page.file(), page.template());
        sink.record(out.put_with(&file, |w| templates::render_to(tera, template, ctx, w)));
        (file, Some(template))
    };
    let produce = |(page, ctx): Produced| write(page, &ctx);
    let (mut made, events): (Made, Vec<_>) = rayon::join(
        || {
            let mut made: Made = LISTINGS.iter().map(|make| produce(make(p))).collect();
            let chapters = (0..p.rendered.chapters.len())
                .into_par_iter()
                .map(|i| produce(pages::chapter(p, i)));
            let singles = SINGLES.par_iter().map(|make| produce(make(p)));
            made.par_extend(singles.chain(chapters));
            made
        },
        || {
            (0..p.rendered.events.len())
                .into_par_iter()
                .map_init(
                    || p.base.clone(),
                    |c, i| {
                        let page = pages::event(p, i, c);
                        write(page, c)
                    },
                )
                .collect()
        },
    );
    made.extend(events);
    made
}

//! The render stage: every page and data file of the site, rendered through the templates
//! and written through the [`Output`] switch.
//!
//! | output path                  | template        |
//! |------------------------------|-----------------|
//! | `index.html`                 | `index.html`    |
//! | `chapters/<slug>/index.html` | `chapter.html`  |
//! | `events/<id>/index.html`     | `event.html`    |
//! | `timeline/index.html`        | `timeline.html` |
//! | `sources/index.html`         | `sources.html`  |
//! | `people/index.html`, `places/index.html` | `entries.html` |
//! | `tags/index.html`            | `tags.html`     |
//! | `404.html`                   | `404.html`      |
//! | `timeline.json`              | TimelineJS3 JSON |
//! | `highlight.css`              | syntect themes  |
//!
//! and every file of `static/`, copied as it is, unless its path is one the build makes
//! (`static/index.html`, `static/search.json`, …): that is an error, never a silent
//! replacement.

pub mod publish;
pub mod templates;
pub mod timeline;
pub mod views;

use crate::config::Config;
use crate::content::Content;
use crate::diag::{BuildError, BuildStats};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::stage::RenderedContent;
use crate::output::Output;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use templates::{json_for_script, Templates};
use tera::Context;
use views::{ListedEvent, Views};

/// One page to render: output path, template, and how to make its context.
struct Job<'a> {
    path: String,
    template: &'static str,
    make: Box<dyn Fn() -> Context + Send + Sync + 'a>,
}

impl<'a> Job<'a> {
    fn new(
        path: impl Into<String>,
        template: &'static str,
        make: impl Fn() -> Context + Send + Sync + 'a,
    ) -> Self {
        Job {
            path: path.into(),
            template,
            make: Box::new(make),
        }
    }
}

fn ctx_with(
    base: &Context,
    canonical: &str,
    section: &str,
    title: &str,
    description: &str,
) -> Context {
    let mut c = base.clone();
    c.insert("canonical", canonical);
    c.insert("section", section);
    c.insert("title", title);
    c.insert("description", description);
    c
}

fn insert<T: Serialize + ?Sized>(c: &mut Context, key: &str, v: &T) {
    c.insert(key, v);
}

/// Renders and writes every page. Returns problems found by templates as diagnostics.
pub fn write_all(
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
    let site = views.site();
    let mut base = Context::new();
    base.insert("site", &site);
    // The footer depends only on the site: rendered once, included by every page.
    let footer = templates::render(tera, "footer.html", &base)
        .map_err(|d| BuildError::Site(Diagnostics(vec![d])))?;
    base.insert("site_footer", footer.trim_end());
    let abs = |path: &str| format!("{}{}", config.base_url, path);

    // Each card is rendered once (`card.html`, which receives `e`) and its HTML reused by
    // every page that lists events. Only the HTML is kept: a page that needs an event's
    // fields builds its view again, which costs less than holding ten thousand of them.
    let rendered_cards: Vec<Result<String, Diagnostic>> = (0..content.events.len())
        .into_par_iter()
        .map(|i| {
            let mut c = Context::new();
            c.insert("e", &views.event(i, String::new()));
            templates::render(tera, "card.html", &c).map(|mut html| {
                html.truncate(html.trim_end().len());
                html
            })
        })
        .collect();
    let mut cards = Vec::with_capacity(rendered_cards.len());
    let mut card_errors = Vec::new();
    for r in rendered_cards {
        match r {
            Ok(html) => cards.push(html),
            Err(d) => card_errors.push(d),
        }
    }
    if !card_errors.is_empty() {
        let mut d = Diagnostics(card_errors);
        d.sort();
        return Err(BuildError::Site(d));
    }
    crate::profile::stage("cards");
    let groups = timeline::group(config, content);

    // Pages with one context each, rendered in parallel below. A context is made only when
    // its page is rendered and dropped right after: on a large site the timeline's and the
    // print view's contexts are tens of megabytes each, and holding every context at once
    // was most of the build's peak memory. For the same reason the two pages that list
    // every event (`listings`) are rendered one after the other, never side by side.
    let (base, abs, views, cards, groups) = (&base, &abs, &views, &cards, &groups);
    let mut jobs: Vec<Job> = Vec::new();
    let mut listings: Vec<Job> = Vec::new();

    jobs.push(Job::new("index.html", "index.html", move || {
        let home_title = content
            .home
            .as_ref()
            .map_or(config.title.as_str(), |h| h.title.as_str());
        let mut c = ctx_with(base, &abs(""), "home", home_title, &config.description);
        if let Some(h) = &content.home {
            insert(&mut c, "home_title", &h.title);
            insert(&mut c, "home_summary", &h.summary);
            insert(
                &mut c,
                "home_html",
                &rendered.home.as_ref().map_or("", |r| r.html.as_str()),
            );
        }
        let mut per_chapter: HashMap<&str, usize> = HashMap::new();
        for e in &content.events {
            *per_chapter.entry(e.chapter.as_str()).or_default() += 1;
        }
        let chapter_cards: Vec<_> = content
            .chapters
            .iter()
            .zip(&rendered.chapter_summaries)
            .map(|(ch, s)| {
                serde_json::json!({
                    "title": ch.title, "url": format!("{}chapters/{}/", config.base_path, ch.slug),
                    "order": ch.order, "years": ch.years, "summary_html": s.html,
                    "events": per_chapter.get(ch.slug.as_str()).copied().unwrap_or(0),
                })
            })
            .collect();
        insert(&mut c, "chapters", &chapter_cards);
        c
    }));

    for (i, ch) in content.chapters.iter().enumerate() {
        jobs.push(Job::new(
            format!("chapters/{}/index.html", ch.slug),
            "chapter.html",
            move || {
                let page = views.chapter_page(i, cards);
                let mut c = ctx_with(
                    base,
                    &abs(&format!("chapters/{}/", ch.slug)),
                    "chapters",
                    &ch.title,
                    &page.summary_text,
                );
                c.insert("page", &page);
                c
            },
        ));
    }

    // Serialized straight into the page's context from borrowed cards: no copy in between.
    #[derive(Serialize)]
    struct GroupView<'a> {
        id: &'a str,
        name: &'a str,
        start: &'a Option<String>,
        end: &'a Option<String>,
        events: Vec<ListedEvent<'a>>,
    }
    // The print view lists events without their cards, so its groups leave `card_html` out.
    let timeline_groups = move |with_cards: bool| -> Vec<GroupView> {
        groups
            .iter()
            .map(|g| GroupView {
                id: &g.id,
                name: &g.name,
                start: &g.start,
                end: &g.end,
                events: g
                    .events
                    .iter()
                    .map(|&i| views.listed(i, with_cards.then(|| cards[i].as_str())))
                    .collect(),
            })
            .collect()
    };
    listings.push(Job::new(
        "timeline/index.html",
        "timeline.html",
        move || {
            let mut c = ctx_with(
                base,
                &abs("timeline/"),
                "timeline",
                "Timeline",
                &format!(
                    "All {} events of the documentary, by era and date.",
                    content.events.len()
                ),
            );
            c.insert("groups", &timeline_groups(true));
            c.insert("filters", &timeline_filters(config, content));
            c.insert("timeline_data", &timeline_data(views));
            c
        },
    ));

    jobs.push(Job::new("sources/index.html", "sources.html", move || {
        let mut c = ctx_with(
            base,
            &abs("sources/"),
            "sources",
            "Sources",
            "The texts every chapter and event of the documentary rests on.",
        );
        c.insert("sources", &views.sources());
        c
    }));

    // The people and the places pages: one template, `entries.html`.
    struct Registry<'r> {
        kind: &'static str,
        heading: &'static str,
        description: &'static str,
        list: &'r [crate::content::Entry],
        texts: &'r [crate::markdown::Rendered],
        of: fn(&crate::content::Event) -> &[String],
    }
    let registries = [
        Registry {
            kind: "people",
            heading: "People",
            description: "Who is who in the documentary.",
            list: &content.people,
            texts: &rendered.people,
            of: |e| &e.people,
        },
        Registry {
            kind: "places",
            heading: "Places",
            description: "The places where the documentary's events happened.",
            list: &content.places,
            texts: &rendered.places,
            of: |e| &e.places,
        },
    ];
    for Registry {
        kind,
        heading,
        description,
        list,
        texts,
        of,
    } in registries
    {
        jobs.push(Job::new(
            format!("{kind}/index.html"),
            "entries.html",
            move || {
                let mut c = ctx_with(base, &abs(&format!("{kind}/")), kind, heading, description);
                c.insert("entries", &views.entries(list, texts, kind, of));
                c.insert("kind", kind);
                c.insert("heading", heading);
                c
            },
        ));
    }

    jobs.push(Job::new("tags/index.html", "tags.html", move || {
        let mut c = ctx_with(
            base,
            &abs("tags/"),
            "tags",
            "Tags",
            "The documentary's events by theme.",
        );
        c.insert("tags", &views.tags());
        c
    }));

    jobs.push(Job::new("search/index.html", "search.html", move || {
        ctx_with(
            base,
            &abs("search/"),
            "search",
            "Search",
            "Search the chapters, events, people and places of the documentary.",
        )
    }));

    listings.push(Job::new("print/index.html", "print.html", move || {
        let mut c = ctx_with(
            base,
            &abs("print/"),
            "print",
            "The whole documentary",
            &config.description,
        );
        // Every body shares one page: the layout's ids and the chapters' own are taken
        // first, then each body's ids, in page order, get their prefix (and -1, -2 if
        // that is taken too).
        let mut used: HashSet<String> = crate::routes::LAYOUT_IDS
            .iter()
            .map(|s| s.to_string())
            .collect();
        for ch in &content.chapters {
            used.insert(format!("chapter-{}", ch.slug));
            used.insert(format!("chapter-{}-h", ch.slug));
        }
        if let Some(h) = &rendered.home {
            c.insert("home_html", &prefix_ids(&h.html, "intro", &mut used));
        }
        let print_chapters: Vec<_> = content
            .chapters
            .iter()
            .enumerate()
            .map(|(i, ch)| {
                serde_json::json!({
                    "slug": ch.slug, "title": ch.title, "order": ch.order, "years": ch.years,
                    "summary_html": rendered.chapter_summaries[i].html,
                    "body_html": prefix_ids(&rendered.chapter_bodies[i].html, &ch.slug, &mut used),
                })
            })
            .collect();
        c.insert("chapters", &print_chapters);
        c.insert("groups", &timeline_groups(false));
        c
    }));

    jobs.push(Job::new("404.html", "404.html", move || {
        ctx_with(
            base,
            &abs("404.html"),
            "404",
            "Page not found",
            &config.description,
        )
    }));

    let n_events = content.events.len();
    let errors = std::sync::Mutex::new(Diagnostics::default());
    let record = |r: Result<(), Diagnostic>| {
        if let Err(d) = r {
            errors.lock().unwrap_or_else(|p| p.into_inner()).push(d);
        }
    };
    let write = |path: &str, template: &str, ctx: &Context| -> Result<(), Diagnostic> {
        out.put_with(path, |w| templates::render_to(tera, template, ctx, w))
    };
    let sys_error: std::sync::Mutex<Option<anyhow::Error>> = std::sync::Mutex::new(None);

    rayon::join(
        || {
            for j in &listings {
                record(write(&j.path, j.template, &(j.make)()));
            }
            jobs.par_iter()
                .for_each(|j| record(write(&j.path, j.template, &(j.make)())))
        },
        || {
            // One context per worker thread, whose per-page keys are overwritten for each
            // event: copying the site-wide part (every chapter's link, …) for each of
            // thousands of pages cost more than rendering some of them.
            (0..n_events).into_par_iter().for_each_init(
                || base.clone(),
                |c, i| {
                    let e = &content.events[i];
                    c.insert("canonical", &abs(&format!("events/{}/", e.id)));
                    c.insert("section", "events");
                    c.insert("title", &e.title);
                    c.insert("description", &rendered.event_summaries[i].text);
                    let card = views.event(i, cards[i].clone());
                    c.insert("page", &views.event_page(i, card));
                    record(write(
                        &format!("events/{}/index.html", e.id),
                        "event.html",
                        c,
                    ));
                },
            )
        },
    );

    crate::profile::stage("pages");
    // Data files and static assets. Every path the build makes is kept, so that a file of
    // static/ with the same path is an error instead of silently replacing it.
    let made = std::sync::Mutex::new(
        listings
            .iter()
            .chain(&jobs)
            .map(|j| (j.path.clone(), Some(j.template)))
            .chain(
                content
                    .events
                    .iter()
                    .map(|e| (format!("events/{}/index.html", e.id), Some("event.html"))),
            )
            .collect::<HashMap<String, Option<&'static str>>>(),
    );
    let put = |path: &str, bytes: Vec<u8>| {
        made.lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_string(), None);
        if let Err(e) = out.put(path, bytes) {
            sys_error
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert(e);
        }
    };
    {
        let summaries: Vec<&str> = rendered
            .event_summaries
            .iter()
            .map(|r| r.html.as_str())
            .collect();
        let tl = timeline::timelinejs(config, content, &summaries);
        put(
            "timeline.json",
            serde_json::to_vec_pretty(&tl).unwrap_or_default(),
        );
    }
    put(
        "highlight.css",
        crate::markdown::highlight::stylesheet().into_bytes(),
    );
    // Each file is written as soon as it is made, so only one is in memory at a time.
    let n_extras = crate::render::publish::write_files(config, content, rendered, put);
    let made = made.into_inner().unwrap_or_else(|p| p.into_inner());
    let statics = copy_static(root, out, &made);
    crate::profile::stage("files");

    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if !errors.is_empty() {
        let mut e = errors;
        e.sort();
        return Err(BuildError::Site(e));
    }
    if let Some(e) = sys_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e.into());
    }
    let statics = statics?;
    let pages = listings.len() + jobs.len() + n_events;
    Ok(BuildStats {
        pages,
        files: pages + 2 + n_extras + statics,
        events: n_events,
        chapters: content.chapters.len(),
    })
}

/// Fits a page into the print view, where every chapter shares one document: ids get a
/// prefix, and `-1`, `-2` when that id is in `used` already (chapter `a`'s `b-c` and
/// chapter `a-b`'s `c` would both be `a-b-c`), so they stay unique; the body's
/// `href="#…"` and `aria-labelledby` follow. Headings go one level down under the
/// chapter's `<h2>`.
fn prefix_ids(html: &str, prefix: &str, used: &mut HashSet<String>) -> String {
    const ID: &str = " id=\"";
    let mut map: HashMap<&str, String> = HashMap::new();
    for (i, _) in html.match_indices(ID) {
        let rest = &html[i + ID.len()..];
        let Some(end) = rest.find('"') else { continue };
        let old = &rest[..end];
        if map.contains_key(old) {
            continue;
        }
        let base = format!("{prefix}-{old}");
        let mut new = base.clone();
        let mut n = 1;
        while used.contains(&new) {
            new = format!("{base}-{n}");
            n += 1;
        }
        used.insert(new.clone());
        map.insert(old, new);
    }
    // One pass, so that a new id is never rewritten again. Each attribute's next place is
    // looked for again only once the pass is beyond it: linear in the body's length.
    let mut s = String::with_capacity(html.len() + html.len() / 8);
    let attrs = [ID, " href=\"#", " aria-labelledby=\""];
    let find = |a: &str, from: usize| html[from..].find(a).map(|i| from + i);
    let mut next: Vec<Option<usize>> = attrs.iter().map(|a| find(a, 0)).collect();
    let mut done = 0;
    while let Some((k, at)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, p)| p.map(|p| (k, p)))
        .min_by_key(|(_, p)| *p)
    {
        let value = at + attrs[k].len();
        s.push_str(&html[done..value]);
        let end = html[value..].find('"').map_or(html.len(), |i| value + i);
        let old = &html[value..end];
        match map.get(old) {
            Some(new) => s.push_str(new),
            None => {
                s.push_str(prefix);
                s.push('-');
                s.push_str(old);
            }
        }
        done = end;
        for (j, p) in next.iter_mut().enumerate() {
            if p.is_some_and(|p| p < done) {
                *p = find(attrs[j], done);
            }
        }
    }
    let rest = &html[done..];
    s.push_str(rest);
    for level in (2..=5).rev() {
        s = s
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    s
}

/// The template that renders the page at `path` (the table at the top of this module), for
/// messages about a page's HTML.
pub fn template_of(path: &str) -> Option<&'static str> {
    let first = path.split('/').next().unwrap_or_default();
    Some(match (first, path) {
        (_, "index.html") => "index.html",
        (_, "404.html") => "404.html",
        ("chapters", _) => "chapter.html",
        ("events", _) => "event.html",
        ("timeline", _) => "timeline.html",
        ("sources", _) => "sources.html",
        ("people" | "places", _) => "entries.html",
        ("tags", _) => "tags.html",
        ("search", _) => "search.html",
        ("print", _) => "print.html",
        _ => return None,
    })
}

/// The timeline's filter menus, rendered into the page so that it is laid out before the
/// script runs (nothing moves when it does): `[{name, label, options: [{value, label}]}]`,
/// options sorted by label.
fn timeline_filters(config: &Config, content: &Content) -> serde_json::Value {
    let menu = |name: &str, label: &str, mut options: Vec<(String, String)>| {
        options.sort_by(|a, b| a.1.cmp(&b.1));
        options.dedup();
        serde_json::json!({
            "name": name, "label": label,
            "options": options.into_iter().map(|(value, label)| serde_json::json!({"value": value, "label": label})).collect::<Vec<_>>(),
        })
    };
    let same = |v: &String| (v.clone(), v.clone());
    let entries = |list: &[crate::content::Entry]| {
        list.iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect::<Vec<_>>()
    };
    let tags = content
        .events
        .iter()
        .flat_map(|e| e.tags.iter().map(same))
        .collect();
    serde_json::json!([
        menu(
            "country",
            "Country",
            config.countries.iter().map(same).collect()
        ),
        menu("person", "Person", entries(&content.people)),
        menu("tag", "Tag", tags),
        menu(
            "chapter",
            "Chapter",
            content
                .chapters
                .iter()
                .map(|c| (c.slug.clone(), c.title.clone()))
                .collect()
        ),
        menu(
            "era",
            "Era",
            config
                .eras
                .iter()
                .map(|r| (r.id.clone(), r.name.clone()))
                .collect()
        ),
    ])
}

/// The compact data the timeline's script reads (embedded as JSON in the page), written
/// straight from borrowed content.
fn timeline_data(views: &Views) -> String {
    let (config, content) = (views.config, views.content);
    use std::collections::BTreeMap;
    #[derive(Serialize)]
    struct Ev<'a> {
        id: &'a str,
        t: &'a str,
        d: String,
        e: Option<String>,
        dd: &'a str,
        a: bool,
        x: bool,
        s: &'a str,
        c: &'a [String],
        p: &'a [String],
        pl: &'a [String],
        g: &'a [String],
        ch: &'a str,
        er: &'a str,
    }
    #[derive(Serialize)]
    struct Data<'a> {
        eras: &'a [crate::config::Era],
        events: Vec<Ev<'a>>,
        people: BTreeMap<&'a str, &'a str>,
        places: BTreeMap<&'a str, &'a str>,
        chapters: BTreeMap<&'a str, &'a str>,
        countries: &'a [String],
    }
    fn names(list: &[crate::content::Entry]) -> BTreeMap<&str, &str> {
        list.iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect()
    }
    let data = Data {
        eras: &config.eras,
        events: (0..content.events.len())
            .map(|i| {
                let (e, l) = (&content.events[i], views.listed(i, None));
                Ev {
                    id: l.id,
                    t: l.title,
                    d: l.date,
                    e: l.end_date,
                    dd: l.display_date,
                    a: l.approximate,
                    x: l.disputed,
                    s: l.summary_text,
                    c: &e.countries,
                    p: &e.people,
                    pl: &e.places,
                    g: &e.tags,
                    ch: &e.chapter,
                    er: l.era,
                }
            })
            .collect(),
        people: names(&content.people),
        places: names(&content.places),
        chapters: content
            .chapters
            .iter()
            .map(|c| (c.slug.as_str(), c.title.as_str()))
            .collect(),
        countries: &config.countries,
    };
    json_for_script(&data)
}

/// Copies `static/` into the output; returns how many files. A file whose path is one the
/// build made (`made`: path → the template that rendered it, if any) is refused. Each file
/// is streamed from its fenced handle, never read whole from a length it claims: one over
/// [`crate::files::MAX_STATIC_BYTES`] (disk) or [`crate::files::MAX_FILE_BYTES`]
/// (memory, for `serve` and `check`) is an error naming it, and all of them together over
/// [`crate::files::MAX_STATIC_TOTAL_BYTES`] (disk) or
/// [`crate::files::MAX_MEMORY_TOTAL_BYTES`] (memory) an error before any is copied.
fn copy_static(
    root: &Path,
    out: &Output,
    made: &HashMap<String, Option<&'static str>>,
) -> Result<usize, BuildError> {
    let dir = root.join("static");
    let mut diags = Diagnostics::default();
    let files = crate::files::files_under(root, "static", &mut diags);
    let fence = crate::files::Fence::new(root, "static");
    // Streamed from the fenced handle: to disk up to MAX_STATIC_BYTES a file, into memory
    // (serve, check) up to MAX_FILE_BYTES; and a bound on all of them together, checked
    // before anything is copied (sizes from `stat`, which opens nothing).
    let (cap, total_cap) = match out {
        Output::Memory(_) => (
            crate::files::MAX_FILE_BYTES,
            crate::files::MAX_MEMORY_TOTAL_BYTES,
        ),
        Output::Disk(_) => (
            crate::files::MAX_STATIC_BYTES,
            crate::files::MAX_STATIC_TOTAL_BYTES,
        ),
    };
    let total = files
        .iter()
        .filter_map(|p| p.metadata().ok())
        // A file over its own limit is reported by itself, below.
        .filter(|m| m.len() <= cap)
        .fold(0u64, |sum, m| sum.saturating_add(m.len()));
    if total > total_cap {
        diags.push(
            Diagnostic::file(
                "static",
                format!(
                    "the files of static/ hold {total} bytes together, over the limit of {}",
                    crate::files::size_in_words(total_cap)
                ),
            )
            .with_hint(
                "a file linked many times counts each time; remove what the site does not need",
            ),
        );
        return Err(BuildError::Site(diags));
    }
    let results: Vec<Result<(), BuildError>> = files
        .par_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&dir)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/");
            if let Some(template) = made.get(&rel) {
                let by = template.map_or_else(String::new, |t| format!(", rendered by templates/{t}"));
                return Err(BuildError::Site(Diagnostics(vec![Diagnostic::file(
                    crate::diag::rel(root, p),
                    format!("this file would replace the generated `{rel}`{by}"),
                )
                .with_hint(
                    "a file of static/ may not have the path of a page or file the build makes; rename or move it",
                )])));
            }
            let src = crate::diag::rel(root, p);
            out.put_with(&rel, |w| fence.copy_to(&src, w, cap).map(drop))
                .map_err(|d| BuildError::Site(Diagnostics(vec![d])))
        })
        .collect();
    for r in results {
        match r {
            Ok(()) => {}
            Err(BuildError::Site(d)) => diags.extend(d.0),
            Err(e) => return Err(e),
        }
    }
    if !diags.is_empty() {
        return Err(BuildError::Site(diags));
    }
    Ok(files.len())
}

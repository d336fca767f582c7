//! The data files: every file the build makes besides the pages, one function per
//! [`DataFile`]. `timeline.json` (the timeline in the TimelineJS3 format),
//! `highlight.css` (the code highlighting's colours), `sitemap.xml`, `robots.txt`, an Atom
//! feed of chapters and events (`atom.xml`), `.nojekyll` (GitHub Pages must not run
//! Jekyll over the output), `CNAME` when `site.toml` names a domain, and the search index
//! (`search.json` and its parts under `search/`: [`super::search_index`]) that the search
//! page reads, and the citations' popover data beside each sources page
//! ([`super::popovers`]).
//!
//! All URLs are absolute under the configured base URL, so the files are right under a
//! project site's sub-path. Dates come from the content, never from the clock, so builds
//! stay byte-identical.
//!
//! Each file is escaped for its own syntax: the XML files (`sitemap.xml`, `atom.xml`)
//! escape markup and drop the characters XML 1.0 cannot hold (C0 controls but tab,
//! newline and carriage return; U+FFFE, U+FFFF), which would make a feed reader reject
//! the whole feed; `robots.txt` and `CNAME` hold only the base URL and the domain, which
//! `config` has checked for whitespace and controls; `search.json` is JSON that the
//! search page shows as text.

use super::views::Views;
use crate::config::Config;
use crate::content::Content;
use crate::markdown::stage::RenderedContent;
use crate::output::Output;
use crate::routes::{sitemap_part, DataFile, Page, SITEMAP_URLS};
use crate::text::escape_html;

/// Every file the build made, by output path, with the template that rendered it (none
/// for a data file): a file of `static/` with one of these paths is an error, never a
/// silent replacement.
pub(crate) type Made = std::collections::HashMap<String, Option<&'static str>>;

/// Writes every data file, each as soon as it is made so that only one is in memory at a
/// time, and adds them to `made`. All are written even when one fails; the first failure
/// (a system error) is returned.
pub(crate) fn write_all(v: Views, out: &Output, made: &mut Made) -> anyhow::Result<()> {
    let mut failed = None;
    let mut put = |name: String, bytes: Vec<u8>| {
        let name = super::in_folder(&v, &name);
        if let Err(e) = out.put(&name, bytes) {
            failed.get_or_insert(e);
        }
        made.insert(name, None);
    };
    // The files every language shares are written by the default language's pass.
    let wanted = |file: &&DataFile| v.language == 0 || !file.shared();
    for &file in DataFile::ALL.iter().filter(wanted) {
        if file == DataFile::Sitemap {
            for (name, text) in sitemaps(v, SITEMAP_URLS) {
                put(name, text.into_bytes());
            }
            crate::profile::stage("sitemap");
            continue;
        }
        if file == DataFile::SearchIndex {
            super::search_index::files(v, &v.config.language, &mut put);
            crate::profile::stage("search");
            continue;
        }
        if file == DataFile::Popovers {
            for (name, bytes) in super::popovers::files(v) {
                put(name, bytes);
            }
            continue;
        }
        let Some(bytes) = make(file, v) else { continue };
        put(file.file().to_string(), bytes);
        crate::profile::stage(file.file());
    }
    failed.map_or(Ok(()), Err)
}

/// The bytes of `file`, or none when the site has no such file (`CNAME` without a domain).
fn make(file: DataFile, v: Views) -> Option<Vec<u8>> {
    let (config, content, rendered) = (v.config, v.content, v.rendered);
    Some(match file {
        DataFile::TimelineJson => timeline_json(v, content, rendered),
        DataFile::HighlightCss => crate::markdown::highlight::stylesheet().into_bytes(),
        DataFile::Sitemap => return None,
        DataFile::Robots => robots(config).into_bytes(),
        DataFile::Feed => feed(v, rendered).into_bytes(),
        DataFile::NoJekyll => Vec::new(),
        // Written with its shards by `write_all` (`super::search_index`).
        DataFile::SearchIndex => return None,
        // Written one per sources page by `write_all` (`super::popovers`).
        DataFile::Popovers => return None,
        DataFile::Cname => format!("{}\n", config.domain.as_ref()?).into_bytes(),
    })
}

/// `timeline.json`: the timeline in the TimelineJS3 format; on a site of several
/// languages, with the language of its texts (`language`, as TimelineJS3's option of
/// that name takes it: its interface's language).
fn timeline_json(v: Views, content: &Content, rendered: &RenderedContent) -> Vec<u8> {
    let mut tl = super::timeline::timelinejs(v.config, v.root_url(), content, rendered);
    tl.language = v.current().map(|l| l.code.clone());
    serde_json::to_vec_pretty(&tl).unwrap_or_default()
}

/// `robots.txt`: everything allowed, and where the sitemap is.
fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        DataFile::Sitemap.url(&config.base_url)
    )
}

/// Text escaped for XML, without the characters XML 1.0 cannot hold.
fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    if s.chars().any(not_xml_char) {
        let kept: String = s.chars().filter(|&c| !not_xml_char(c)).collect();
        escape_html(&kept, &mut o);
    } else {
        escape_html(s, &mut o);
    }
    o
}

/// Not a `Char` of XML 1.0 (Rust strings hold no surrogates).
fn not_xml_char(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// The sitemap: `sitemap.xml` listing every page (each numbered page of a listing too),
/// or, past `limit` URLs (the protocol's 50,000), `sitemap.xml` as an index of the files
/// `sitemap-1.xml`, `sitemap-2.xml`, … of `limit` URLs each. On a site of several
/// languages it lists every page in each language, each URL with its alternates
/// (`xhtml:link`, every language's and `x-default`). Returns each file's name and text.
fn sitemaps(v: Views, limit: usize) -> Vec<(String, String)> {
    let (config, content) = (v.config, v.content);
    let numbers = super::paginate::Numbers::of(v);
    let pages = crate::routes::sitemap_pages(
        content.pages.iter().map(|p| p.path.as_str()),
        content.chapters.iter().map(|c| c.slug.as_str()),
        content.events.iter().map(|e| e.id.as_str()),
        (config.taxonomies.iter().zip(&content.terms)).map(|(t, terms)| {
            (
                t.name.as_str(),
                terms.iter().map(|x| x.id.as_str()).collect(),
            )
        }),
        |page| numbers.of_page(v, page),
    );
    let mut paths: Vec<String> = (pages.iter()).map(|p| p.path()).collect();
    // The pages of the eras' lists on the timeline, as the render stage groups them.
    let eras = super::timeline::by_era(config, &v.rendered.events, |r| &r.event.date);
    for (era, events) in eras {
        let count = events.len().div_ceil(super::timeline::PER_PAGE).max(1);
        paths.extend((1..=count).map(|n| Page::TimelinePart(era, n).path()));
    }
    let languages = match v.current() {
        Some(_) => v.languages,
        None => &[],
    };
    let entries: Vec<String> = match languages {
        [] => (paths.iter())
            .map(|p| sitemap_entry(&crate::routes::rooted_url(&config.base_url, p), &[]))
            .collect(),
        all => (paths.iter())
            .flat_map(|p| {
                let alternates: Vec<(&str, String)> = (all.iter())
                    .map(|l| (l.code.as_str(), crate::routes::rooted_url(&l.url, p)))
                    .chain([("x-default", crate::routes::rooted_url(&all[0].url, p))])
                    .collect();
                (all.iter())
                    .map(move |l| sitemap_entry(&crate::routes::rooted_url(&l.url, p), &alternates))
            })
            .collect(),
    };
    sitemap_files(&entries, !languages.is_empty(), v.root_url(), limit)
}

/// One page's `<url>` element in a sitemap, with its `alternates` (`hreflang`, URL), if
/// any, as `xhtml:link` elements.
fn sitemap_entry(loc: &str, alternates: &[(&str, String)]) -> String {
    let mut s = format!("  <url><loc>{}</loc>", xml(loc));
    for (hreflang, href) in alternates {
        s.push_str(&format!(
            "\n    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            xml(hreflang),
            xml(href)
        ));
    }
    if !alternates.is_empty() {
        s.push_str("\n  ");
    }
    s.push_str("</url>\n");
    s
}

/// The sitemap files listing `entries` ([`sitemap_entry`]; `alternates` when they hold
/// `xhtml:link`s): one `sitemap.xml`, or past `limit` entries an index `sitemap.xml` of
/// the files of `limit` entries each, under `base_url`.
fn sitemap_files(
    entries: &[String],
    alternates: bool,
    base_url: &str,
    limit: usize,
) -> Vec<(String, String)> {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    let ns = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
    let xhtml = match alternates {
        true => " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"",
        false => "",
    };
    let urlset = |entries: &[String]| {
        let mut s = format!("{head}<urlset {ns}{xhtml}>\n");
        entries.iter().for_each(|e| s.push_str(e));
        s.push_str("</urlset>\n");
        s
    };
    let file = DataFile::Sitemap.file().to_string();
    if entries.len() <= limit {
        return vec![(file, urlset(entries))];
    }
    let mut index = format!("{head}<sitemapindex {ns}>\n");
    let mut files = Vec::new();
    for (n, chunk) in (1..).zip(entries.chunks(limit.max(1))) {
        let name = sitemap_part(n);
        let url = crate::routes::rooted_url(base_url, &name);
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml(&url)));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, (file, index));
    files
}

/// A date as an RFC 3339 timestamp, whose years run from 0001: a date before year 1 gives
/// the first day of year 1.
fn rfc3339(d: &crate::date::Date) -> String {
    if d.year < 1 {
        return "0001-01-01T00:00:00Z".into();
    }
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        d.year,
        d.month.unwrap_or(1),
        d.day.unwrap_or(1)
    )
}

/// The Atom feed of a language's chapters and events (`atom.xml` under its folder).
fn feed(v: Views, r: &RenderedContent) -> String {
    let (config, base) = (v.config, v.base_url());
    let language = v.current().map_or(&config.language, |l| &l.code);
    let latest = r.events.iter().map(|e| e.event.date).max();
    let updated = latest
        .as_ref()
        .map_or_else(|| "2000-01-01T00:00:00Z".to_string(), rfc3339);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    s.push_str(&format!(" xml:lang=\"{}\">\n", xml(language)));
    s.push_str(&format!(
        "  <title>{}</title>\n  <subtitle>{}</subtitle>\n",
        xml(&config.title),
        xml(&config.description)
    ));
    s.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml(&DataFile::Feed.url(base))
    ));
    s.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(base)
    ));
    s.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n",
        xml(base)
    ));
    if !config.author.is_empty() {
        s.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml(&config.author)
        ));
    }
    let first_year = |years: (i32, i32)| format!("{:04}-01-01T00:00:00Z", years.0.clamp(1, 9999));
    // Every entry: (title, URL, updated, summary), the chapters then the events; past
    // FEED_ENTRIES, the latest by `updated` are kept, in this order.
    let chapters = (r.chapters.iter()).map(|c| {
        let (ch, url) = (c.chapter, Page::Chapter(&c.chapter.slug).url(base));
        (&ch.title, url, first_year(ch.years), &c.summary.html)
    });
    let events = (r.events.iter()).map(|e| {
        let url = Page::Event(&e.event.id).url(base);
        (&e.event.title, url, rfc3339(&e.event.date), &e.summary.html)
    });
    let mut entries: Vec<_> = chapters.chain(events).enumerate().collect();
    if entries.len() > FEED_ENTRIES {
        entries.sort_by(|a, b| (&b.1 .2, a.0).cmp(&(&a.1 .2, b.0)));
        entries.truncate(FEED_ENTRIES);
        entries.sort_by_key(|e| e.0);
    }
    for (_, (title, url, updated, summary)) in entries {
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}</updated>\n    <summary type=\"html\">{}</summary>\n  </entry>\n",
            xml(title), xml(&url), xml(&url), updated, xml(summary)
        ));
    }
    s.push_str("</feed>\n");
    s
}

/// The most entries the Atom feed holds: past it, the latest (by their `updated` date).
const FEED_ENTRIES: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    /// Past its limit of URLs, the sitemap is an index of numbered sitemaps, each within
    /// the limit, together listing every URL once, in order.
    #[test]
    fn a_sitemap_past_its_limit_is_an_index_of_sitemaps() {
        let urls: Vec<String> = (1..=5)
            .map(|i| sitemap_entry(&format!("https://x.org/b/p{i}/"), &[]))
            .collect();
        let one = sitemap_files(&urls, false, "https://x.org/b/", 5);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert!(one[0].1.contains("<urlset ") && one[0].1.matches("<url>").count() == 5);
        let split = sitemap_files(&urls, false, "https://x.org/b/", 2);
        let names: Vec<&str> = split.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert_eq!(
            split[0].1,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  \
             <sitemap><loc>https://x.org/b/sitemap-1.xml</loc></sitemap>\n  \
             <sitemap><loc>https://x.org/b/sitemap-2.xml</loc></sitemap>\n  \
             <sitemap><loc>https://x.org/b/sitemap-3.xml</loc></sitemap>\n</sitemapindex>\n"
        );
        let listed: Vec<String> = (split[1..].iter())
            .flat_map(|f| {
                f.1.lines()
                    .filter(|l| l.contains("<url>"))
                    .map(String::from)
            })
            .collect();
        assert_eq!(listed.len(), 5);
        assert!(listed[4].contains("/p5/") && split[3].1.matches("<url>").count() == 1);
        assert_eq!(SITEMAP_URLS, 50_000);
    }

    #[test]
    fn xml_escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml("a\u{0}b\u{1}<c>&\"'\u{fffe}\t\n"),
            "ab&lt;c&gt;&amp;&quot;&#39;\t\n"
        );
    }
}

//! The data files: every file the build makes besides the pages, one function per
//! [`DataFile`]. `timeline.json` (the timeline in the TimelineJS3 format),
//! `highlight.css` (the code highlighting's colours), `sitemap.xml`, `robots.txt`, an Atom
//! feed of chapters and events (`atom.xml`), `.nojekyll` (GitHub Pages must not run
//! Jekyll over the output), `CNAME` when `site.toml` names a domain, and the search index
//! (`search.json` and its parts under `search/`: [`super::search_index`]) that the search
//! page reads.
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
use crate::routes::{DataFile, Page};
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
    for &file in DataFile::ALL {
        let parts = match file {
            DataFile::SearchIndex => super::search_index::files(v),
            _ => match make(file, v) {
                Some(bytes) => vec![(file.file().to_string(), bytes)],
                None => continue,
            },
        };
        for (path, bytes) in parts {
            if let Err(e) = out.put(&path, bytes) {
                failed.get_or_insert(e);
            }
            made.insert(path, None);
        }
    }
    failed.map_or(Ok(()), Err)
}

/// The bytes of `file`, or none when the site has no such file (`CNAME` without a domain).
fn make(file: DataFile, v: Views) -> Option<Vec<u8>> {
    let (config, content, rendered) = (v.config, v.content, v.rendered);
    Some(match file {
        DataFile::TimelineJson => timeline_json(config, content, rendered),
        DataFile::HighlightCss => crate::markdown::highlight::stylesheet().into_bytes(),
        DataFile::Sitemap => sitemap(config, content).into_bytes(),
        DataFile::Robots => robots(config).into_bytes(),
        DataFile::Feed => feed(config, rendered).into_bytes(),
        DataFile::NoJekyll => Vec::new(),
        // Written with its shards by `write_all` (`super::search_index`).
        DataFile::SearchIndex => return None,
        DataFile::Cname => format!("{}\n", config.domain.as_ref()?).into_bytes(),
    })
}

/// `timeline.json`: the timeline in the TimelineJS3 format.
fn timeline_json(config: &Config, content: &Content, rendered: &RenderedContent) -> Vec<u8> {
    let tl = super::timeline::timelinejs(config, content, &rendered.events);
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

fn sitemap(config: &Config, content: &Content) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
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
    );
    for p in pages {
        s.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml(&p.url(&config.base_url))
        ));
    }
    s.push_str("</urlset>\n");
    s
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

fn feed(config: &Config, r: &RenderedContent) -> String {
    let base = &config.base_url;
    let latest = r.events.iter().map(|e| e.event.date).max();
    let updated = latest
        .as_ref()
        .map_or_else(|| "2000-01-01T00:00:00Z".to_string(), rfc3339);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    s.push_str(&format!(" xml:lang=\"{}\">\n", xml(&config.language)));
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
    for (c, sum) in r.chapters.iter().map(|c| (c.chapter, &c.summary)) {
        let url = Page::Chapter(&c.slug).url(base);
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}</updated>\n    <summary type=\"html\">{}</summary>\n  </entry>\n",
            xml(&c.title), xml(&url), xml(&url), first_year(c.years), xml(&sum.html)
        ));
    }
    for (e, sum) in r.events.iter().map(|e| (e.event, &e.summary)) {
        let url = Page::Event(&e.id).url(base);
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}</updated>\n    <summary type=\"html\">{}</summary>\n  </entry>\n",
            xml(&e.title), xml(&url), xml(&url), rfc3339(&e.date), xml(&sum.html)
        ));
    }
    s.push_str("</feed>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml("a\u{0}b\u{1}<c>&\"'\u{fffe}\t\n"),
            "ab&lt;c&gt;&amp;&quot;&#39;\t\n"
        );
    }
}

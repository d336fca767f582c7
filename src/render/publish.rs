//! What a published site carries besides its pages: `sitemap.xml`, `robots.txt`, an Atom
//! feed of chapters and events (`atom.xml`), `.nojekyll` (GitHub Pages must not run
//! Jekyll over the output), `CNAME` when `site.toml` names a domain, and the search index
//! (`search.json`) that the search page reads.
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

use crate::config::Config;
use crate::content::Content;
use crate::markdown::stage::RenderedContent;
use crate::routes::{DataFile, Fragment, Page};
use crate::text::escape_html;
use crate::text::fold;
use serde_json::json;

/// Makes the extra files and hands each to `put` as soon as it is made; returns how many.
pub fn write_files(
    config: &Config,
    content: &Content,
    rendered: &RenderedContent,
    put: impl Fn(&str, Vec<u8>),
) -> usize {
    let mut n = 0;
    let mut put = |path: &str, bytes: Vec<u8>| {
        n += 1;
        put(path, bytes)
    };
    put(
        DataFile::Sitemap.file(),
        sitemap(config, content).into_bytes(),
    );
    put(
        DataFile::Robots.file(),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            DataFile::Sitemap.url(&config.base_url)
        )
        .into_bytes(),
    );
    put(DataFile::Feed.file(), feed(config, rendered).into_bytes());
    put(DataFile::NoJekyll.file(), Vec::new());
    put(
        DataFile::SearchIndex.file(),
        search_index(config, rendered).into_bytes(),
    );
    if let Some(domain) = &config.domain {
        put(DataFile::Cname.file(), format!("{domain}\n").into_bytes());
    }
    n
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
        content.chapters.iter().map(|c| c.slug.as_str()),
        content.events.iter().map(|e| e.id.as_str()),
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

fn rfc3339(d: &crate::date::Date) -> String {
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

/// Splits a chapter's HTML at its `<h2>`/`<h3>` headings into (id, title, text) sections.
fn sections(html: &str) -> Vec<(String, String, String)> {
    // One scan for "<h" followed by 2 or 3 and an id; searching the rest of the page for
    // each level separately made a page with many headings quadratic.
    let next_heading = |s: &str| -> Option<usize> {
        s.match_indices("<h").map(|(i, _)| i).find(|&i| {
            let t = &s[i..];
            t.starts_with("<h2 id=\"") || t.starts_with("<h3 id=\"")
        })
    };
    let mut out = Vec::new();
    let (mut id, mut title) = (String::new(), String::new());
    let mut rest = html;
    loop {
        let Some(i) = next_heading(rest) else {
            out.push((id, title, strip_tags(rest)));
            break;
        };
        out.push((
            std::mem::take(&mut id),
            std::mem::take(&mut title),
            strip_tags(&rest[..i]),
        ));
        let h = &rest[i..];
        let id_end = h[8..].find('"').map_or(8, |j| 8 + j);
        id = h[8..id_end].to_string();
        let close = h.find("</h").unwrap_or(h.len());
        let inner = h[..close].find('>').map_or(close, |j| j + 1);
        title = strip_tags(&h[inner..close]);
        let after = h[close..].find('>').map_or(h.len(), |j| close + j + 1);
        rest = &h[after..];
    }
    out
}

/// Plain text from HTML: tags dropped, the few entities we emit decoded, citations removed.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut skip_cite = 0usize;
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if html[i..].starts_with("<span class=\"cite\">") {
            // "relations [E]." reads "relations." once the citation is gone.
            if skip_cite == 0 {
                while out.ends_with(' ') {
                    out.pop();
                }
            }
            skip_cite += 1;
        }
        if skip_cite > 0 && html[i..].starts_with("</span>") {
            skip_cite -= 1;
            i += 7;
            continue;
        }
        let c = html[i..].chars().next().unwrap_or(' ');
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag && skip_cite == 0 => out.push(c),
            _ => {}
        }
        i += c.len_utf8();
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn search_index(config: &Config, r: &RenderedContent) -> String {
    let base = &config.base_path;
    let mut docs = Vec::new();
    let doc = |kind: &str, title: &str, url: String, text: &str| {
        let excerpt: String = text.chars().take(4000).collect();
        let plain = fold(&format!("{title} {excerpt}"));
        json!({ "k": kind, "t": title, "u": url, "x": excerpt, "f": if plain != format!("{title} {excerpt}") { plain } else { String::new() } })
    };
    for (c, body) in r.chapters.iter().map(|c| (c.chapter, &c.body)) {
        for (id, heading, text) in sections(&body.html) {
            if id.is_empty() {
                if !text.is_empty() {
                    docs.push(doc(
                        "Chapter",
                        &c.title,
                        Page::Chapter(&c.slug).url(base),
                        &text,
                    ));
                }
            } else {
                docs.push(doc(
                    "Chapter",
                    &format!("{} › {heading}", c.title),
                    crate::routes::anchor_url(Page::Chapter(&c.slug), base, &id),
                    &text,
                ));
            }
        }
    }
    for (e, sum) in r.events.iter().map(|e| (e.event, &e.summary)) {
        docs.push(doc(
            "Event",
            &e.title,
            Page::Event(&e.id).url(base),
            &format!("{} — {}", e.display_date, sum.text),
        ));
    }
    for (p, s) in r.people.iter().map(|p| (p.entry, &p.summary)) {
        let aliases = p.aliases.join(", ");
        docs.push(doc(
            "Person",
            &p.name,
            Fragment::Person(&p.id).url(base),
            &format!("{aliases} {}", s.text),
        ));
    }
    for (p, s) in r.places.iter().map(|p| (p.entry, &p.summary)) {
        let aliases = p.aliases.join(", ");
        docs.push(doc(
            "Place",
            &p.name,
            Fragment::Place(&p.id).url(base),
            &format!("{aliases} {}", s.text),
        ));
    }
    // Compact: drop empty folded forms.
    for d in &mut docs {
        if d["f"] == "" {
            if let Some(o) = d.as_object_mut() {
                o.remove("f");
            }
        }
    }
    serde_json::to_string(&docs).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::routes::*;
    #[allow(unused_imports)]
    use crate::text::*;

    #[test]
    fn xml_escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml("a\u{0}b\u{1}<c>&\"'\u{fffe}\t\n"),
            "ab&lt;c&gt;&amp;&quot;&#39;\t\n"
        );
    }

    #[test]
    fn strips_tags_and_citations() {
        assert_eq!(
            strip_tags(
                "<p>Aid <span class=\"cite\">[<a href=\"#\">E</a>]</span> came &amp; went.</p>"
            ),
            "Aid came & went."
        );
    }

    #[test]
    fn splits_sections_at_headings() {
        let s = sections("<p>Intro</p>\n<h2 id=\"aid\">Aid</h2>\n<p>Money <b>x</b></p><h3 id=\"p\">Pilots</h3><p>200</p>");
        assert_eq!(s[0].2, "Intro");
        assert_eq!(
            (s[1].0.as_str(), s[1].1.as_str(), s[1].2.as_str()),
            ("aid", "Aid", "Money x")
        );
        assert_eq!((s[2].0.as_str(), s[2].2.as_str()), ("p", "200"));
    }
}

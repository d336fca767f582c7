//! Listings split into numbered pages (`paginate` in `site.toml`): the chapters' index,
//! each taxonomy's index and each term's page, with their pagers, `rel="prev"`/`"next"`,
//! canonical URLs and sitemap entries; the home page and the footer bounded.

use crate::harness::{page, region, SiteTest};
use std::collections::BTreeMap;

/// The documentary with `paginate = 2`: four chapters on two pages, Vietnam's 54 events on
/// 27, and so on.
fn paginated() -> (SiteTest, BTreeMap<String, Vec<u8>>) {
    let site = SiteTest::documentary();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    let toml = toml.replacen("\n[[taxonomies]]", "\npaginate = 2\n\n[[taxonomies]]", 1);
    site.write("site.toml", &toml);
    let files = site.build_memory().unwrap();
    (site, files)
}

/// The `href`s of the `<a>` elements in `html`.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("<a ")
        .skip(1)
        .filter_map(|a| a.split("href=\"").nth(1)?.split('"').next())
        .collect()
}

#[test]
fn term_pages_split_into_numbered_pages_with_a_pager() {
    let (_site, files) = paginated();
    let base = "/distant-comrades/";
    let events = |html: &str| html.matches("<article class=\"event-card\"").count();
    // Vietnam has 54 events: 27 pages of 2.
    let first = page(&files, "countries/vietnam/index.html");
    let second = page(&files, "countries/vietnam/page/2/index.html");
    let last = page(&files, "countries/vietnam/page/27/index.html");
    assert!(!files.contains_key("countries/vietnam/page/28/index.html"));
    assert!(!files.contains_key("countries/vietnam/page/1/index.html"));
    assert_eq!((events(&first), events(&second), events(&last)), (2, 2, 2));
    // Each page has its own canonical URL and title, and links its neighbours.
    assert!(second.contains(
        "<link rel=\"canonical\" href=\"https://example.github.io/distant-comrades/countries/vietnam/page/2/\">"
    ));
    assert!(second.contains("<title>Vietnam, page 2 of 27 · Distant Comrades</title>"));
    assert!(second.contains(&format!(
        "<link rel=\"prev\" href=\"{base}countries/vietnam/\">\n<link rel=\"next\" href=\"{base}countries/vietnam/page/3/\">"
    )));
    assert!(!first.contains("rel=\"prev\"") && !last.contains("rel=\"next\""));
    assert!(second.contains("Page 2 of 27: events 3–4 of 54."));
    // The pager: an accessible nav, the current page marked, the ends and the pages
    // around the current one, with gaps.
    let nav = region(&second, "<nav class=\"pagination\"", "</nav>");
    assert!(nav.contains("aria-label=\"Pages of the events\""), "{nav}");
    assert!(nav.contains(&format!(
        "<a href=\"{base}countries/vietnam/page/2/\" aria-current=\"page\"><span class=\"visually-hidden\">Page </span>2</a>"
    )));
    let numbers: Vec<&str> = hrefs(nav)
        .into_iter()
        .map(|h| h.trim_start_matches(base))
        .collect();
    assert_eq!(
        numbers,
        [
            "countries/vietnam/",
            "countries/vietnam/",
            "countries/vietnam/page/2/",
            "countries/vietnam/page/3/",
            "countries/vietnam/page/4/",
            "countries/vietnam/page/27/",
            "countries/vietnam/page/3/",
        ]
    );
    assert_eq!(nav.matches("class=\"gap\"").count(), 1);
    // A term with no more events than a page holds has no pager.
    let china = page(&files, "countries/denmark/index.html");
    assert!(!china.contains("class=\"pagination\"") && !china.contains("rel=\"next\""));
}

#[test]
fn taxonomy_indexes_and_the_chapters_index_paginate() {
    let (_site, files) = paginated();
    let terms = |html: &str| html.matches("<li class=\"entry\">").count();
    let people = page(&files, "people/index.html");
    assert_eq!(terms(&people), 2);
    assert!(people.contains("aria-label=\"Pages of the people\""));
    let pages = files
        .keys()
        .filter(|k| k.starts_with("people/page/"))
        .count();
    assert!(pages > 5, "{pages} numbered pages of people");
    // The chapters' index: four chapters on two pages, numbered across them.
    let first = page(&files, "chapters/index.html");
    let second = page(&files, "chapters/page/2/index.html");
    assert!(!files.contains_key("chapters/page/3/index.html"));
    assert!(first
        .contains("<span class=\"num\">1</span> <span class=\"t\">The Cold War alliance</span>"));
    assert!(second.contains("<span class=\"num\">3</span> <span class=\"t\">Doi moi</span>"));
    assert!(second.contains("Page 2 of 2: chapters 3–4 of 4."));
    assert_eq!(second.matches("class=\"chapter-link\"").count(), 2);
    // The home page shows the first two and links the index; the header's link is the
    // index; the footer lists no chapter but links the index.
    let home = page(&files, "index.html");
    assert_eq!(home.matches("class=\"chapter-link\"").count(), 2);
    assert!(home.contains("<a href=\"/distant-comrades/chapters/\">All 4 chapters</a>"));
    let nav = region(&home, "<nav class=\"site-nav\"", "</nav>");
    assert!(nav.contains("<a href=\"/distant-comrades/chapters/\">Chapters</a>"));
    let footer = region(&home, "<footer", "</footer>");
    assert!(!footer.contains("footer-chapters"), "{footer}");
    assert!(footer.contains("<a href=\"/distant-comrades/chapters/\">All 4 chapters</a>"));
    // The sitemap lists every numbered page, and every page but the 404 pages (one per
    // language).
    let sitemap = page(&files, "sitemap.xml");
    let listed = sitemap.matches("<url>").count();
    let html = files.keys().filter(|k| k.ends_with(".html")).count();
    let missing = files.keys().filter(|k| k.ends_with("404.html")).count();
    assert_eq!(listed, html - missing);
    for url in [
        "chapters/page/2/",
        "countries/vietnam/page/27/",
        "people/page/2/",
    ] {
        assert!(
            sitemap.contains(&format!(
                "<loc>https://example.github.io/distant-comrades/{url}</loc>"
            )),
            "{url}"
        );
    }
}

/// The documentary as it is: the footer and the home page list its four chapters, and
/// the print view is one page.
#[test]
fn a_small_site_keeps_its_chapter_lists_and_one_print_page() {
    let files = SiteTest::documentary().build_memory().unwrap();
    let home = page(&files, "index.html");
    assert_eq!(home.matches("class=\"chapter-link\"").count(), 4);
    assert!(!home.contains("All 4 chapters"));
    let footer = region(&home, "<footer", "</footer>");
    assert_eq!(footer.matches("<li><a href=").count(), 4, "{footer}");
    assert!(!files.keys().any(|k| k.starts_with("print/page/")));
    let print = page(&files, "print/index.html");
    assert!(!print.contains("class=\"pagination\"") && !print.contains("print-part"));
}

#[test]
fn a_bad_paginate_is_an_error_at_its_line() {
    let site = SiteTest::documentary();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    let line = toml
        .lines()
        .position(|l| l.starts_with("[[taxonomies]]"))
        .unwrap()
        + 1;
    let toml = toml.replacen("\n[[taxonomies]]", "\npaginate = 0\n[[taxonomies]]", 1);
    site.write("site.toml", &toml);
    let r = site.run(&["build"]);
    r.failure();
    assert!(
        r.stderr.contains(&format!("site.toml:{line}:12")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("paginate = 0 is out of range"),
        "{}",
        r.stderr
    );
}

/// Past 512 KiB of text the print view is split into numbered pages of whole chapters,
/// then the events, each saying which part it holds; every page's ids stay its own.
#[test]
fn a_long_documentary_prints_on_numbered_pages() {
    let site = SiteTest::new("build/minimal");
    // Three chapters of about 450 KB of HTML each: one a page.
    let paragraph = "The delegation crossed the border by train and signed the protocol [@E].\n\n";
    for (order, slug) in [(3, "long-a"), (4, "long-b"), (5, "long-c")] {
        site.write(
            &format!("content/chapters/{slug}.md"),
            &format!(
                "+++\ntitle = \"Long {slug}\"\norder = {order}\nsummary = \"Long [@E].\"\nyears = [1970, 1980]\n+++\n## Part\n\n{}",
                paragraph.repeat(2_000)
            ),
        );
    }
    let files = site.build_memory().unwrap();
    let print: Vec<&String> = files.keys().filter(|k| k.starts_with("print/")).collect();
    assert_eq!(
        print,
        [
            "print/index.html",
            "print/page/2/index.html",
            "print/page/3/index.html"
        ]
    );
    let first = page(&files, "print/index.html");
    assert!(first.contains("it is split into 3 pages"), "{first}");
    assert!(first.contains("<link rel=\"next\" href=\"/sub/print/page/2/\">"));
    let last = page(&files, "print/page/3/index.html");
    assert!(
        last.contains("This is page 3, with chapter 5 of 5 and 3 of the 3 events of the timeline.")
    );
    assert!(last.contains("id=\"print-timeline\"") && !first.contains("id=\"print-timeline\""));
    assert!(last.contains("id=\"chapter-long-c\"") && !last.contains("id=\"chapter-long-b\""));
    for f in &print {
        assert!(files[*f].len() < 700_000, "{f}: {} bytes", files[*f].len());
    }
    let sitemap = page(&files, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sub/print/page/3/</loc>"));
}

/// The `id`s of the sources whose entries `html` holds.
fn source_entries(html: &str) -> Vec<&str> {
    html.split("<li id=\"source-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

#[test]
fn the_sources_page_splits_and_every_link_to_a_source_finds_its_page() {
    let (_site, files) = paginated();
    let base = "/distant-comrades/";
    // 18 sources, 2 a page: 9 pages, each with its pager, in `sources.toml`'s order.
    let first = page(&files, "sources/index.html");
    let second = page(&files, "sources/page/2/index.html");
    assert!(files.contains_key("sources/page/9/index.html"));
    assert!(!files.contains_key("sources/page/10/index.html"));
    assert_eq!(source_entries(&first), ["A", "B"]);
    assert_eq!(source_entries(&second), ["C", "D"]);
    assert!(second.contains("<title>Sources, page 2 of 9 · Distant Comrades</title>"));
    assert!(second.contains("Page 2 of 9: sources 3–4 of 18."));
    assert!(second.contains("<ol class=\"source-list\" start=\"3\">"));
    let nav = region(&second, "<nav class=\"pagination\"", "</nav>");
    assert!(nav.contains("aria-label=\"Pages of the sources\""), "{nav}");
    // "Cited in E": E is on page 3 (the 5th source), the works E cites on pages 3 to 9.
    let third = page(&files, "sources/page/3/index.html");
    assert!(third.contains(&format!(
        "<a href=\"{base}sources/page/6/#source-szalontai-2014\">"
    )));
    assert!(third.contains("<a href=\"#source-szalontai-2012\">szalontai-2012</a>"));
    let fifth = page(&files, "sources/page/5/index.html");
    assert!(fifth.contains(&format!(
        "Cited in <a href=\"{base}sources/page/3/#source-E\">E</a>"
    )));
    // Every link to a source's entry, on every page (citations, popovers' "On the sources
    // page", the sources pages' own), names the page that holds the entry.
    let mut checked = 0;
    for (file, bytes) in &files {
        let Ok(html) = std::str::from_utf8(bytes) else {
            continue;
        };
        if !file.ends_with(".html") {
            continue;
        }
        for href in hrefs(html) {
            let Some((url, id)) = href.split_once("#source-") else {
                continue;
            };
            let target = match url.strip_prefix(base) {
                Some(path) => format!("{path}index.html"),
                None if url.is_empty() => file.clone(),
                None => panic!("{file}: {href}"),
            };
            let holder = page(&files, &target);
            assert!(
                source_entries(&holder).contains(&id),
                "{file}: {href} is not on {target}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    // Citations in a chapter's text and on an event's card.
    let chapter = page(&files, "chapters/cold-war-alliance/index.html");
    assert!(chapter.contains(&format!("href=\"{base}sources/page/")));
    // The sources are in the sitemap.
    let sitemap = page(&files, "sitemap.xml");
    assert!(sitemap.contains("distant-comrades/sources/page/9/</loc>"));
}

#[test]
fn a_chapter_shows_a_page_of_its_events_and_numbers_the_rest() {
    let (_site, files) = paginated();
    let base = "/distant-comrades/";
    let cards = |html: &str| html.matches("<article class=\"event-card\"").count();
    // Doi moi has 17 events: its page holds its text and the first 2, then 8 pages more.
    let first = page(&files, "chapters/doi-moi/index.html");
    let second = page(&files, "chapters/doi-moi/page/2/index.html");
    let last = page(&files, "chapters/doi-moi/page/9/index.html");
    assert!(!files.contains_key("chapters/doi-moi/page/10/index.html"));
    assert_eq!((cards(&first), cards(&second), cards(&last)), (2, 2, 1));
    assert!(first.contains("class=\"prose\"") && !second.contains("class=\"prose\""));
    assert!(first.contains("Page 1 of 9: events 1–2 of 17."));
    assert!(second.contains("Page 2 of 9: events 3–4 of 17."));
    assert!(second.contains("<ol class=\"event-list\" start=\"3\">"));
    assert!(second.contains("<title>Doi moi, page 2 of 9 · Distant Comrades</title>"));
    assert!(second.contains(&format!(
        "<a href=\"{base}chapters/doi-moi/\">Read the chapter from its start</a>"
    )));
    assert!(second.contains(&format!(
        "<link rel=\"prev\" href=\"{base}chapters/doi-moi/\">"
    )));
    let nav = region(&first, "<nav class=\"pagination\"", "</nav>");
    assert!(
        nav.contains("aria-label=\"Pages of the chapter’s events\""),
        "{nav}"
    );
    assert!(
        nav.contains(&format!("href=\"{base}chapters/doi-moi/page/9/\"")),
        "{nav}"
    );
    // The numbered pages are in the sitemap.
    assert!(page(&files, "sitemap.xml").contains("distant-comrades/chapters/doi-moi/page/9/</loc>"));
}

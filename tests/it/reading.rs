//! Reading (issue 15) in the HTML the build emits: a page embeds the sources it cites, and
//! only those, for its citations' popovers; the sources page links back to what cites each
//! source, bounded per chapter; the search index carries aliases; chapters show their
//! reading time.

use crate::harness::{page, region, SiteTest};

/// The ids of the sources a page embeds for its popovers.
fn embedded(html: &str) -> Vec<String> {
    let t = region(html, "<template id=\"cited-sources\">", "</template>");
    t.split("<span class=\"cite-card\" data-source=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// The ids a page's citations and source lists link to (`data-source`).
fn cited(html: &str) -> Vec<String> {
    let body = &html[..html.find("<template id=\"cited-sources\">").unwrap_or(html.len())];
    let mut ids: Vec<String> = body
        .split("data-source=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn a_page_embeds_the_sources_it_cites_and_no_others() {
    let files = SiteTest::documentary().build_memory().unwrap();
    for path in [
        "chapters/cold-war-alliance/index.html",
        "events/1986-doi-moi/index.html",
        "people/kim-il-sung/index.html",
    ] {
        let html = page(&files, path);
        let mut got = embedded(&html);
        got.sort();
        assert_eq!(got, cited(&html), "{path}");
        assert!(!got.is_empty(), "{path}");
        // Each citation keeps its link to the source's entry, for readers without scripts.
        assert!(
            html.contains("href=\"/distant-comrades/sources/#source-A\" data-source=\"A\""),
            "{path}"
        );
    }
    let doi_moi = page(&files, "events/1986-doi-moi/index.html");
    assert_eq!(embedded(&doi_moi), ["A", "B", "C", "D"]);
    let card = region(&doi_moi, "data-source=\"B\">", "</span></span>");
    assert!(card.contains("The Long Road Back to Hanoi for Pyongyang"), "{card}");
    assert!(card.contains("Juni Kim. The Peninsula"), "{card}");
    assert!(card.contains("20 February 2019"), "{card}");
    assert!(card.contains("href=\"/distant-comrades/sources/#source-B\""), "{card}");
    // A source with an address links out; one without has no such link.
    assert!(!card.contains("Read the source"), "{card}");
    let sources = page(&files, "sources/index.html");
    assert!(!sources.contains("<template id=\"cited-sources\">"));
}

#[test]
fn a_source_with_a_url_links_out_from_its_popover() {
    let t = SiteTest::documentary();
    let toml = std::fs::read_to_string(t.path("content/sources.toml")).unwrap();
    let toml = toml.replace(
        "date = \"2019-02-20\"\n",
        "date = \"2019-02-20\"\nurl = \"https://example.org/b\"\n",
    );
    t.write("content/sources.toml", &toml);
    let files = t.build_memory().unwrap();
    let html = page(&files, "events/1986-doi-moi/index.html");
    let card = region(&html, "data-source=\"B\">", "</span></span>");
    assert!(
        card.contains("<a href=\"https://example.org/b\" rel=\"noopener\">Read the source</a>"),
        "{card}"
    );
}

#[test]
fn the_sources_page_links_back_by_chapter_and_bounds_each_list() {
    let t = SiteTest::documentary();
    let mut toml = std::fs::read_to_string(t.path("content/sources.toml")).unwrap();
    toml.push_str("\n[[source]]\nid = \"Z\"\ntitle = \"A much-cited work\"\n");
    t.write("content/sources.toml", &toml);
    for i in 0..25 {
        t.write(
            &format!("content/events/2000-z-{i:02}.md"),
            &format!("+++\ntitle = \"Z event {i:02}\"\ndate = \"2000\"\nsummary = \"Resting on Z [@Z].\"\nchapter = \"doi-moi\"\nsources = [\"Z\"]\n+++\nBody [@Z].\n"),
        );
    }
    let files = t.build_memory().unwrap();
    let html = page(&files, "sources/index.html");
    let z = region(&html, "<li id=\"source-Z\"", "</details>");
    assert!(
        z.contains("Where it is cited: 25 events in 1 chapter</summary>"),
        "{z}"
    );
    assert_eq!(z.matches("/distant-comrades/events/2000-z-").count(), 10, "{z}");
    assert!(
        z.contains("<a class=\"more\" href=\"/distant-comrades/chapters/doi-moi/#chapter-events\">and 15 more events in Doi moi</a>"),
        "{z}"
    );
    // The documentary's own sources link back to chapters, events and people.
    let b = region(&html, "<li id=\"source-B\"", "</details>");
    assert!(b.contains("href=\"/distant-comrades/chapters/cold-war-alliance/\""), "{b}");
    assert!(b.contains("href=\"/distant-comrades/events/1986-doi-moi/\""), "{b}");
    assert!(b.contains("People and places: "), "{b}");
    assert!(b.contains("href=\"/distant-comrades/people/kim-il-sung/\""), "{b}");
}

#[test]
fn the_search_index_carries_aliases_and_free_terms() {
    let files = SiteTest::documentary().build_memory().unwrap();
    let search: serde_json::Value = serde_json::from_slice(&files["search.json"]).unwrap();
    let docs = search.as_array().unwrap();
    let nk = docs
        .iter()
        .find(|d| d["k"] == "Country" && d["t"] == "North Korea")
        .expect("the country North Korea is in the index");
    assert_eq!(nk["u"], "/distant-comrades/countries/north-korea/");
    assert_eq!(nk["a"][0], "DPRK");
    let kim = docs.iter().find(|d| d["t"] == "Kim Il-sung").unwrap();
    assert_eq!(kim["a"][0], "Kim Il Sung");
    // The text is as written (the page folds accents itself): no folded copy.
    assert!(docs.iter().all(|d| d.get("f").is_none()));
    assert!(docs.iter().any(|d| d["t"] == "Trần Đại Quang"));
}

#[test]
fn aliases_of_a_free_taxonomy_name_its_values() {
    let t = SiteTest::documentary();
    let toml = std::fs::read_to_string(t.path("site.toml")).unwrap();
    t.write(
        "site.toml",
        &toml.replace("\"North Korea\" = [\"DPRK\"", "\"North Koreaa\" = [\"DPRK\""),
    );
    let err = t.build_memory().unwrap_err();
    assert!(
        err.contains("alias of `North Koreaa`, which is not among `values`"),
        "{err}"
    );
    assert!(err.contains("North Korea"), "{err}");
}

#[test]
fn a_chapter_shows_its_reading_time() {
    let files = SiteTest::documentary().build_memory().unwrap();
    let html = page(&files, "chapters/cold-war-alliance/index.html");
    let kicker = region(&html, "<p class=\"kicker\">", "</p>");
    assert!(
        kicker.contains("<span class=\"reading-time\">") && kicker.contains(" min read</span>"),
        "{kicker}"
    );
}

//! Reading (issue 15) in the HTML the build emits: the popover data beside each sources
//! page holds every source a citation's link names there; the sources page links back to what cites each
//! source, bounded per chapter; the search index carries aliases; chapters show their
//! reading time.

use crate::harness::{page, region, SiteTest};
use serde_json::Value;

/// Every doc of a built search index, in order (`read` gives a file of the build).
pub fn search_docs(read: impl Fn(&str) -> Vec<u8>) -> Vec<Value> {
    let head: Value = serde_json::from_slice(&read("search.json")).unwrap();
    let (n, chunk) = (
        head["docs"].as_u64().unwrap(),
        head["chunk"].as_u64().unwrap(),
    );
    let mut docs = Vec::new();
    for k in 0..n.div_ceil(chunk) {
        let part: Value = serde_json::from_slice(&read(&format!("search/d{k}.json"))).unwrap();
        docs.extend(part.as_array().unwrap().iter().cloned());
    }
    assert_eq!(docs.len() as u64, n);
    docs
}

/// The docs (by number) holding `word` in a built search index: list 0 (anywhere), 1 (the
/// title) or 2 (an alias).
pub fn search_postings(read: impl Fn(&str) -> Vec<u8>, word: &str, list: usize) -> Vec<usize> {
    let head: Value = serde_json::from_slice(&read("search.json")).unwrap();
    let words = head["words"].as_array().unwrap();
    let Some(at) = words.iter().position(|w| w == word) else {
        return Vec::new();
    };
    let shards = head["shards"].as_array().unwrap();
    let k = shards
        .iter()
        .rposition(|s| s.as_u64().unwrap() as usize <= at)
        .unwrap();
    let shard: Value = serde_json::from_slice(&read(&format!("search/w{k}.json"))).unwrap();
    let mut n = 0;
    (shard[word][list].as_str().unwrap().split(','))
        .filter(|g| !g.is_empty())
        .map(|g| {
            n += usize::from_str_radix(g, 36).unwrap();
            n
        })
        .collect()
}

/// The popover data file beside the sources page a link names (`…/sources/#source-A` →
/// `sources/popovers.json`), as an output path under `/distant-comrades/`.
fn popover_file(link: &str) -> String {
    let path = link.split('#').next().unwrap();
    format!(
        "{}popovers.json",
        path.strip_prefix("/distant-comrades/").unwrap()
    )
}

/// The links a page's citations and source lists make to sources' entries
/// (`…/sources/#source-<id>`, `…/sources/page/2/#source-<id>`), each once, in order.
fn source_links(html: &str) -> Vec<String> {
    let mut links: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .filter(|l| l.contains("/sources/") && l.contains("#source-"))
        .collect();
    links.sort();
    links.dedup();
    links
}

#[test]
fn every_source_a_page_cites_is_in_the_popover_data_its_link_names() {
    let files = SiteTest::documentary().build_memory().unwrap();
    let json = |file: &str| -> Value { serde_json::from_slice(&files[file]).unwrap() };
    for path in [
        "chapters/cold-war-alliance/index.html",
        "events/1986-doi-moi/index.html",
        "people/kim-il-sung/index.html",
        "vi/people/kim-il-sung/index.html",
    ] {
        let html = page(&files, path);
        let links = source_links(&html);
        assert!(!links.is_empty(), "{path}");
        for link in &links {
            let id = link.split("#source-").nth(1).unwrap();
            let data = json(&popover_file(link));
            assert!(data["sources"][id]["title"].is_string(), "{path}: {link}");
        }
        // The page carries no popover data, only the script and its words.
        assert!(!html.contains("data-source="), "{path}");
        assert!(!html.contains("<template"), "{path}");
        assert!(
            html.contains("<script src=\"/distant-comrades/cite.js\" defer></script>"),
            "{path}"
        );
    }
    // Each citation keeps its link to the source's entry, for readers without scripts.
    let doi_moi = page(&files, "events/1986-doi-moi/index.html");
    assert!(doi_moi
        .contains("<a href=\"/distant-comrades/sources/#source-A\" title=\"Source A\">A</a>"));
    // A sources page's data holds each source it lists, and only those.
    let data = json("sources/popovers.json");
    let sources = page(&files, "sources/index.html");
    let listed = sources.matches("<li id=\"source-").count();
    assert_eq!(data["sources"].as_object().unwrap().len(), listed);
    assert_eq!(data["words"]["on"], "On the sources page");
    assert_eq!(data["words"]["label"], "Source {source}");
    assert_eq!(
        data["sources"]["B"],
        serde_json::json!({
            "title": "The Long Road Back to Hanoi for Pyongyang",
            "meta": "Juni Kim. The Peninsula, blog of the Korea Economic Institute of America. 20 February 2019."
        })
    );
    // Each language's sources page has its own, with its dates in its language.
    let vi = json("vi/sources/popovers.json");
    let (b, vi_b) = (&data["sources"]["B"], &vi["sources"]["B"]);
    assert_eq!(vi_b["title"], b["title"]);
    assert!(vi_b["meta"].as_str().unwrap().contains("tháng 2"), "{vi_b}");
    assert_eq!(vi["words"]["close"], "Đóng");
    assert!(page(&files, "vi/people/kim-il-sung/index.html").contains("/vi/sources/#source-"));
    // A page that cites nothing loads no popover script.
    for path in ["sources/index.html", "search/index.html"] {
        assert!(!page(&files, path).contains("cite.js"), "{path}");
    }
}

/// With `paginate = 2` the sources take several pages, each with its own popover data,
/// and a citation's link names the page (and so the file) holding its source.
#[test]
fn each_numbered_sources_page_has_the_popover_data_of_its_sources() {
    let t = SiteTest::documentary();
    let toml = std::fs::read_to_string(t.path("site.toml")).unwrap();
    t.write(
        "site.toml",
        &toml.replacen("\n[[taxonomies]]", "\npaginate = 2\n\n[[taxonomies]]", 1),
    );
    let files = t.build_memory().unwrap();
    let html = page(&files, "chapters/cold-war-alliance/index.html");
    let links = source_links(&html);
    assert!(
        links.iter().any(|l| l.contains("/sources/page/")),
        "{links:?}"
    );
    for link in &links {
        let id = link.split("#source-").nth(1).unwrap();
        let data: Value = serde_json::from_slice(&files[&popover_file(link)]).unwrap();
        assert!(data["sources"].as_object().unwrap().len() <= 2, "{link}");
        assert!(data["sources"][id]["title"].is_string(), "{link}");
    }
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
    let data: Value = serde_json::from_slice(&files["sources/popovers.json"]).unwrap();
    assert_eq!(data["sources"]["B"]["url"], "https://example.org/b");
    assert!(data["sources"]["A"].get("url").is_none());
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
    assert_eq!(
        z.matches("/distant-comrades/events/2000-z-").count(),
        10,
        "{z}"
    );
    assert!(
        z.contains("<a class=\"more\" href=\"/distant-comrades/chapters/doi-moi/#chapter-events\">and 15 more events in Doi moi</a>"),
        "{z}"
    );
    // The documentary's own sources link back to chapters, events and people.
    let b = region(&html, "<li id=\"source-B\"", "</details>");
    assert!(
        b.contains("href=\"/distant-comrades/chapters/cold-war-alliance/\""),
        "{b}"
    );
    assert!(
        b.contains("href=\"/distant-comrades/events/1986-doi-moi/\""),
        "{b}"
    );
    assert!(b.contains("People and places: "), "{b}");
    assert!(
        b.contains("href=\"/distant-comrades/people/kim-il-sung/\""),
        "{b}"
    );
}

#[test]
fn the_search_index_carries_aliases_and_free_terms() {
    let files = SiteTest::documentary().build_memory().unwrap();
    let read = |p: &str| files[p].clone();
    let docs = search_docs(read);
    let nk = docs
        .iter()
        .position(|d| d["k"] == "Country" && d["t"] == "North Korea")
        .expect("the country North Korea is in the index");
    assert_eq!(docs[nk]["u"], "/distant-comrades/countries/north-korea/");
    assert_eq!(docs[nk]["a"][0], "DPRK");
    // Its alias is a word of the index that finds it, as an alias.
    assert_eq!(search_postings(read, "dprk", 2), [nk]);
    let head: Value = serde_json::from_slice(&files["search.json"]).unwrap();
    assert_eq!(
        head["aliases"]["dprk"],
        serde_json::json!(["north", "korea"])
    );
    let kim = docs.iter().find(|d| d["t"] == "Kim Il-sung").unwrap();
    assert_eq!(kim["a"][0], "Kim Il Sung");
    // The text is as written; its words are folded (the page folds a query the same way).
    let tran = docs
        .iter()
        .position(|d| d["t"] == "Trần Đại Quang")
        .unwrap();
    assert!(search_postings(read, "tran", 1).contains(&tran));
    // Facets are pseudo-words.
    let doi_moi = docs
        .iter()
        .position(|d| d["u"] == "/distant-comrades/events/1986-doi-moi/")
        .unwrap();
    assert!(search_postings(read, "=people=bill-hayton", 0).contains(&doi_moi));
}

#[test]
fn the_search_index_head_stays_small_as_events_grow() {
    let t = SiteTest::documentary();
    for i in 0..400 {
        t.write(
            &format!("content/events/2001-grow-{i:03}.md"),
            &format!("+++\ntitle = \"Growth event {i}\"\ndate = \"2001\"\nsummary = \"A summary about Hanoi [@A].\"\nchapter = \"doi-moi\"\nsources = [\"A\"]\n+++\nBody [@A].\n"),
        );
    }
    let big = t.build_memory().unwrap();
    let small = SiteTest::documentary().build_memory().unwrap();
    let (h1, h2) = (small["search.json"].len(), big["search.json"].len());
    // 400 more events add their numbers as words, and nothing else, to the head.
    assert!(h2 < h1 + 400 * 8, "{h1} → {h2}");
    // Every part stays about one shard or one chunk.
    for (path, bytes) in &big {
        if path.starts_with("search/w") {
            assert!(bytes.len() < 3 * 32 * 1024, "{path}: {}", bytes.len());
        }
    }
}

#[test]
fn aliases_of_a_free_taxonomy_name_its_values() {
    let t = SiteTest::documentary();
    let toml = std::fs::read_to_string(t.path("site.toml")).unwrap();
    t.write(
        "site.toml",
        &toml.replace(
            "\"North Korea\" = [\"DPRK\"",
            "\"North Koreaa\" = [\"DPRK\"",
        ),
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

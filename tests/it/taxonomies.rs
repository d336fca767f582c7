//! Taxonomies declared in `site.toml`: the fixture `build/taxonomies` declares people and
//! places (registries), `organisations` exactly as the README shows it (free values, a
//! timeline filter) and `ships` (a registry of its own, `content/ships.toml`), and no
//! countries or tags. Its index pages, term pages, card chips, timeline menus, search
//! index and sitemap follow; the site that declares none gets the default set.

use crate::harness::{page, region, SiteTest};

fn built() -> std::collections::BTreeMap<String, Vec<u8>> {
    SiteTest::new("build/taxonomies").build_memory().unwrap()
}

#[test]
fn every_taxonomy_has_an_index_and_term_pages_and_no_other_is_made() {
    let files = built();
    for want in [
        "organisations/index.html",
        "organisations/cominform/index.html",
        "organisations/workers-party-of-korea/index.html",
        "ships/index.html",
        "ships/sovetsky-soyuz/index.html",
        "ships/unused-ship/index.html",
        "people/ho-chi-minh/index.html",
        "places/pyongyang/index.html",
    ] {
        assert!(files.contains_key(want), "{want} missing");
    }
    // The site declares no countries and no tags: no page of theirs, and no menu.
    assert!(!files
        .keys()
        .any(|f| f.starts_with("countries/") || f.starts_with("tags/")));
    let index = page(&files, "organisations/index.html");
    let list = region(&index, "<ul class=\"entry-list term-list\">", "</ul>");
    assert!(list.contains("<a href=\"/sub/organisations/cominform/\">Cominform</a> <span class=\"count\">(2 events)</span>"), "{list}");
    assert!(
        list.contains("Workers&#39; Party of Korea</a> <span class=\"count\">(1 event)</span>"),
        "{list}"
    );
    // A registry's index names each entry with its detail and summary, used or not.
    let ships = page(&files, "ships/index.html");
    assert!(ships.contains("Sovetsky Soyuz</a> <span class=\"count\">(1 event)</span>"));
    assert!(ships.contains("<p class=\"detail\">Passenger liner</p>"));
    assert!(ships.contains("Unused ship</a> <span class=\"count\">(0 events)</span>"));
}

#[test]
fn a_term_page_shows_its_entry_and_its_events_cards_in_date_order() {
    let files = built();
    let term = page(&files, "organisations/cominform/index.html");
    let first = term
        .find("id=\"h-1950-01-31-relations\"")
        .expect("the 1950 card");
    let second = term
        .find("id=\"h-1957-07-ho-visit\"")
        .expect("the 1957 card");
    assert!(first < second, "cards in date order");
    assert!(!term.contains("1968-peace-talks"));
    assert!(term.contains("<a href=\"/sub/organisations/\">Organisations</a>"));
    let ship = page(&files, "ships/sovetsky-soyuz/index.html");
    assert!(ship.contains("<h1>Sovetsky Soyuz</h1>"));
    assert!(ship.contains("Also written: Sovetskiy Soyuz"));
    assert!(
        ship.contains("<a href=\"/sub/sources/#source-szalontai-2012\""),
        "the summary's citation and the sources"
    );
    assert!(ship.contains("id=\"h-1957-07-ho-visit\""));
    let unused = page(&files, "ships/unused-ship/index.html");
    assert!(unused.contains("No event of the documentary carries this ship yet."));
}

#[test]
fn cards_and_event_pages_carry_each_taxonomy_s_terms_linked() {
    let files = built();
    let event = page(&files, "events/1957-07-ho-visit/index.html");
    for chip in [
        "<div class=\"terms terms-organisations\"><dt>Organisations</dt><dd><a href=\"/sub/organisations/workers-party-of-korea/\">Workers&#39; Party of Korea</a>, <a href=\"/sub/organisations/cominform/\">Cominform</a></dd></div>",
        "<div class=\"terms terms-ships\"><dt>Ships</dt><dd><a href=\"/sub/ships/sovetsky-soyuz/\">Sovetsky Soyuz</a></dd></div>",
        "<a href=\"/sub/people/ho-chi-minh/\">Ho Chi Minh</a>",
    ] {
        assert!(event.contains(chip), "{chip} missing from the event page");
        // The full card (the timeline's era page) carries them; the brief card of a
        // chapter's list of events does not.
        let era = (files.iter())
            .filter(|(path, _)| path.starts_with("timeline/") && path.ends_with(".html"))
            .map(|(path, _)| page(&files, path))
            .find(|html| html.contains("id=\"h-1957-07-ho-visit\""))
            .expect("the event's card on its era's page");
        assert!(era.contains(chip), "{chip} missing from the event's card");
        let chapter = page(&files, "chapters/alliance/index.html");
        assert!(chapter.contains("id=\"h-1957-07-ho-visit\""));
        if chip.contains("terms-") {
            assert!(!chapter.contains(chip), "{chip} on the chapter's brief card");
        }
    }
    // An event with no term of a taxonomy has no row for it.
    let talks = page(&files, "events/1968-peace-talks/index.html");
    assert!(!talks.contains("terms-"));
}

#[test]
fn the_timeline_has_a_menu_per_filter_taxonomy_and_its_data_the_terms() {
    let files = built();
    let html = page(&files, "timeline/index.html");
    let form = region(&html, "<form class=\"tl-filters\"", "</form>");
    let menus: Vec<&str> = form
        .match_indices("<select id=\"")
        .map(|(i, _)| {
            let rest = &form[i + 12..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(
        menus,
        [
            "tl-f-people",
            "tl-f-organisations",
            "tl-f-chapter",
            "tl-f-era",
            "tl-story"
        ]
    );
    assert!(form.contains("<option value=\"cominform\">Cominform</option>"));
    let data = region(
        &html,
        "<script type=\"application/json\" id=\"timeline-data\">",
        "</script>",
    );
    assert!(
        data.contains("\"filters\":[\"people\",\"organisations\"]"),
        "{data}"
    );
    // The event's row in the script's index: its terms of each filter taxonomy as places in
    // that menu (people, then organisations), and their names for the search.
    let row = (files.iter())
        .filter(|(k, _)| k.starts_with("timeline/") && k.ends_with(".json"))
        .flat_map(|(_, b)| serde_json::from_slice::<Vec<serde_json::Value>>(b).unwrap())
        .find(|e| e[0] == "1957-07-ho-visit")
        .unwrap();
    let options = |menu: &str| -> Vec<String> {
        let m = region(form, &format!("<select id=\"tl-f-{menu}\""), "</select>");
        (m.match_indices("<option value=\"").skip(1))
            .map(|(i, _)| m[i + 15..].split('"').next().unwrap().to_string())
            .collect()
    };
    let named = |menu: &str, k: usize| -> Vec<String> {
        (row[7][k].as_array().unwrap().iter())
            .map(|i| options(menu)[i.as_u64().unwrap() as usize].clone())
            .collect()
    };
    assert_eq!(named("people", 0), ["ho-chi-minh"]);
    let mut orgs = named("organisations", 1);
    orgs.sort();
    assert_eq!(orgs, ["cominform", "workers-party-of-korea"]);
    assert!(row[8].as_str().unwrap().contains("Cominform"), "{row}");
    let read = |p: &str| files[p].clone();
    let docs = crate::reading::search_docs(read);
    let ho = (docs.iter())
        .position(|d| d["u"] == "/sub/events/1957-07-ho-visit/")
        .unwrap();
    let cominform = crate::reading::search_postings(read, "=organisations=cominform", 0);
    assert!(cominform.contains(&ho), "{cominform:?}");
    assert!(docs
        .iter()
        .any(|d| d["k"] == "Ship" && d["u"] == "/sub/ships/sovetsky-soyuz/"));
    let sitemap = String::from_utf8(files["sitemap.xml"].clone()).unwrap();
    for url in [
        "organisations/",
        "organisations/cominform/",
        "ships/unused-ship/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/sub/{url}</loc>")),
            "{url}"
        );
    }
}

#[test]
fn a_site_that_declares_no_taxonomies_gets_people_places_tags_and_countries() {
    let t = SiteTest::new("build/minimal");
    let text = std::fs::read_to_string(t.path("site.toml")).unwrap();
    // The fixture declares its taxonomies last: without them, the defaults.
    let cut = text.find("\n[[taxonomies]]").unwrap();
    t.write("site.toml", &text[..cut]);
    let files = t.build_memory().unwrap();
    for want in [
        "people/ho-chi-minh/index.html",
        "places/pyongyang/index.html",
        "tags/state-visit/index.html",
        "countries/north-korea/index.html",
    ] {
        assert!(files.contains_key(want), "{want} missing");
    }
}

#[test]
fn new_event_writes_the_site_s_taxonomies_and_builds_as_a_draft() {
    let t = SiteTest::new("build/taxonomies");
    t.run(&["new", "event", "1960-launch", "--date", "1960"])
        .success();
    let text = std::fs::read_to_string(t.path("content/events/1960-launch.md")).unwrap();
    assert!(
        text.contains("\npeople = []\nplaces = []\norganisations = []\nships = []\n"),
        "{text}"
    );
    assert!(
        !text.contains("countries") && !text.contains("tags"),
        "{text}"
    );
    t.run(&["build", "--drafts"]).success();
}

#[test]
fn a_free_page_under_a_taxonomy_s_folder_is_an_error() {
    let t = SiteTest::new("build/taxonomies");
    t.write(
        "content/pages/organisations/about.md",
        "+++\ntitle = \"About\"\n+++\nText.\n",
    );
    let err = t.build_memory().unwrap_err();
    assert!(
        err.contains("error: this page would build to /organisations/about/, which is in /organisations/, the folder where the build puts the pages of the taxonomy `organisations` (made with taxonomy.html and term.html)\n --> content/pages/organisations/about.md"),
        "{err}"
    );
}

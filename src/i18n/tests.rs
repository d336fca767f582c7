use super::*;
use crate::date::{human_range_in, year_range_text_in, Date};

fn load(code: &str) -> (Catalog, Diagnostics) {
    let mut d = Diagnostics::default();
    let c = Catalog::load(Path::new("/nonexistent-site"), code, &mut d);
    (c, d)
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn the_built_in_catalogues_load_clean_and_vi_and_ko_have_every_english_key() {
    for code in ["en", "vi", "ko"] {
        let (_, diags) = load(code);
        assert!(diags.is_empty(), "{code}: {diags}");
    }
}

#[test]
fn plurals_follow_cldr() {
    let en = Catalog::english();
    let one = en.format("events", &[("count", 1usize.into())]).unwrap();
    let many = en.format("events", &[("count", 58usize.into())]).unwrap();
    assert_eq!((one.as_str(), many.as_str()), ("1 event", "58 events"));
    let (vi, _) = load("vi");
    assert_eq!(vi.category(1.0), "other");
    assert_eq!(
        vi.format("events", &[("count", 1usize.into())]).unwrap(),
        "1 sự kiện"
    );
    let (ko, _) = load("ko");
    assert_eq!(
        ko.format("events", &[("count", 58usize.into())]).unwrap(),
        "사건 58건"
    );
    // A language a site adds gets its own rules: Polish has few and many.
    let pl = Catalog::empty("pl");
    assert_eq!(
        [pl.category(1.0), pl.category(3.0), pl.category(5.0)],
        ["one", "few", "many"]
    );
}

#[test]
fn counts_are_grouped_as_the_language_writes_them() {
    let (vi, _) = load("vi");
    let (ko, _) = load("ko");
    assert_eq!(vi.number(1234), "1.234");
    assert_eq!(ko.number(1234567), "1,234,567");
    assert_eq!(Catalog::english().number(10000), "10000");
}

#[test]
fn dates_in_english_are_as_they_were() {
    let w = &Catalog::english().date;
    assert_eq!(d("1957-07-05").human_in(w, false), d("1957-07-05").human());
    assert_eq!(d("44-03-15 BCE").human_in(w, false), "15 March 44 BCE");
    assert_eq!(
        human_range_in(w, &d("1957-07"), Some(&d("1957-08"))),
        "July–August 1957"
    );
    assert_eq!(year_range_text_in(w, -49, 30), "50 BCE – 30 CE");
}

/// Dates at every precision, and spans, in Vietnamese and in Korean: (start, end, vi, ko).
#[rustfmt::skip]
const DATES: &[(&str, &str, &str, &str)] = &[
    ("1957", "", "1957", "1957년"),
    ("1957-07", "", "tháng 7 năm 1957", "1957년 7월"),
    ("1950-01-31", "", "ngày 31 tháng 1 năm 1950", "1950년 1월 31일"),
    ("490 BCE", "", "490 TCN", "기원전 490년"),
    ("490-09 BCE", "", "tháng 9 năm 490 TCN", "기원전 490년 9월"),
    ("44-03-15 BCE", "", "ngày 15 tháng 3 năm 44 TCN", "기원전 44년 3월 15일"),
    ("14 CE", "", "14 SCN", "서기 14년"),
    ("1957-07", "1957-08", "tháng 7–8 năm 1957", "1957년 7–8월"),
    ("1957-07-01", "1957-07-05", "ngày 1–5 tháng 7 năm 1957", "1957년 7월 1–5일"),
    ("1958", "1964", "1958–1964", "1958–1964년"),
    ("431 BCE", "404 BCE", "431–404 TCN", "기원전 431–404년"),
    ("50 BCE", "30 CE", "50 TCN – 30 SCN", "기원전 50년 – 서기 30년"),
    ("27-01 BCE", "14-08 CE", "tháng 1 năm 27 TCN – tháng 8 năm 14 SCN", "기원전 27년 1월 – 서기 14년 8월"),
];

#[test]
fn dates_in_vietnamese_and_korean_at_every_precision_and_span() {
    let (vi, _) = load("vi");
    let (ko, _) = load("ko");
    for &(a, b, in_vi, in_ko) in DATES {
        let end = (!b.is_empty()).then(|| d(b));
        assert_eq!(
            human_range_in(&vi.date, &d(a), end.as_ref()),
            in_vi,
            "{a} {b}"
        );
        assert_eq!(
            human_range_in(&ko.date, &d(a), end.as_ref()),
            in_ko,
            "{a} {b}"
        );
    }
}

#[test]
fn a_site_overrides_a_string_and_a_bad_catalogue_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("i18n")).unwrap();
    let file = dir.path().join("i18n/vi.toml");
    std::fs::write(&file, "[text]\nsearch = \"Tra cứu\"\n").unwrap();
    let mut diags = Diagnostics::default();
    let vi = Catalog::load(dir.path(), "vi", &mut diags);
    assert!(diags.is_empty(), "{diags}");
    assert_eq!(vi.format("search", &[]).unwrap(), "Tra cứu");
    assert_eq!(vi.format("timeline", &[]).unwrap(), "Dòng thời gian");

    std::fs::write(
        &file,
        "[text]\nok = \"fine\"\nbad = \"{count\"\nevents = { one = \"x\" }\n",
    )
    .unwrap();
    let mut diags = Diagnostics::default();
    Catalog::load(dir.path(), "vi", &mut diags);
    let shown = diags.to_string();
    assert!(shown.contains("i18n/vi.toml:3:7"), "{shown}");
    assert!(shown.contains("never closed"), "{shown}");
    assert!(shown.contains("i18n/vi.toml:4:10"), "{shown}");
    assert!(shown.contains("need `other`"), "{shown}");
}

#[test]
fn an_unknown_language_falls_back_to_english_with_a_warning_and_unknown_keys_are_errors() {
    let (fr, diags) = load("fr");
    assert_eq!(diags.count(Severity::Warning), 1, "{diags}");
    assert!(diags
        .to_string()
        .contains("no interface catalogue for the language `fr`"));
    assert_eq!(fr.format("search", &[]).unwrap(), "Search");
    let e = fr.format("no-such-key", &[]).unwrap_err();
    assert!(e.contains("unknown interface string `no-such-key`"), "{e}");
    let e = fr.format("events", &[]).unwrap_err();
    assert!(e.contains("give it `count`"), "{e}");
}

#[test]
fn a_site_language_missing_strings_is_warned_once_counting_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("i18n")).unwrap();
    std::fs::write(
        dir.path().join("i18n/fr.toml"),
        "[text]\nsearch = \"Recherche\"\n",
    )
    .unwrap();
    let mut diags = Diagnostics::default();
    let fr = Catalog::load(dir.path(), "fr", &mut diags);
    assert_eq!(diags.count(Severity::Warning), 1, "{diags}");
    let all = Catalog::english().text.len();
    let shown = diags.to_string();
    assert!(shown.contains("i18n/fr.toml"), "{shown}");
    assert!(
        shown.contains(&format!("lacks {} strings of the English one", all - 1)),
        "{shown}"
    );
    assert_eq!(fr.format("search", &[]).unwrap(), "Recherche");
    assert_eq!(fr.format("timeline", &[]).unwrap(), "Timeline");
}

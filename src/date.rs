//! Dates at the precision the sources give, from 100000 BCE to 9999 CE.
//!
//! # Syntax
//!
//! A date is a string in one of two spellings, each at three precisions:
//!
//! | spelling                 | year          | month            | day                 |
//! |--------------------------|---------------|------------------|---------------------|
//! | ISO 8601                 | `"1957"`      | `"1957-07"`      | `"1957-07-05"`      |
//! | with an era              | `"490 BCE"`   | `"490-09 BCE"`   | `"44-03-15 BCE"`    |
//!
//! * **ISO 8601**: the year has exactly four digits (0001–9999), the month two (01–12) and
//!   the day two, valid for that month in the proleptic Gregorian calendar (so
//!   `"2019-02-29"` is an error and `"2020-02-29"` is not). Years before 1 follow ISO 8601's
//!   astronomical numbering, which has a year 0: `"0000"` is 1 BCE, `"-0001"` is 2 BCE and
//!   `"-0489"` is 490 BCE (a minus sign, then four to six digits).
//! * **With an era**, as historians count: a year of one to six digits, optionally with
//!   `-MM` and `-MM-DD`, then a space and `BCE` (or `BC`) or `CE` (or `AD`). There is no
//!   year 0 in this count: 1 BCE is followed by 1 CE, and `"0 BCE"` is an error.
//!   `"490 BCE"` is `"-0489"`, and `"14 CE"` is `"0014"`.
//!
//! Dates run from 100000 BCE (`"-99999"`) to 9999 CE; months and days before year 1 use
//! the proleptic Gregorian calendar too. Nothing else is accepted: no times, no time zones,
//! no `"c. 1960"` (use `approximate = true` and `display_date` for vague dates).
//!
//! Dates order by their start: `1957` sorts before `1957-01`, which sorts before
//! `1957-01-01`, and 490 BCE before 44 BCE before 14 CE.
//!
//! # Display
//!
//! Years from 1 show as numbers ("1957", "July 1957", "5 July 1957"); years before 1 as
//! "490 BCE", "September 490 BCE", "15 March 44 BCE". A span within one era names the era
//! once ("600–500 BCE", "March–April 44 BCE"); a span across the boundary marks both ends
//! ("50 BCE – 30 CE"). CE is written there, and after any year below 1000 ("14 CE",
//! "19 August 14 CE"), which would not read as a year without it.

use crate::diag::Diagnostic;
use std::fmt;

/// A calendar date known to the year, the month or the day. `year` counts astronomically,
/// as ISO 8601 does: 0 is 1 BCE, -489 is 490 BCE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// The first year a date may have (100000 BCE), astronomically numbered.
pub(crate) const MIN_YEAR: i32 = -99_999;
/// The last year a date may have.
pub(crate) const MAX_YEAR: i32 = 9999;

/// Why a date string was refused, with the byte range of the offending part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateError {
    pub message: String,
    pub span: std::ops::Range<usize>,
}

impl DateError {
    /// This problem as a diagnostic in `text` (the file `path`), for a date written as a
    /// one-line quoted string whose opening quote is at byte `quote`: it points at the
    /// offending part inside the quotes.
    fn in_string(self, path: &std::path::Path, text: &str, quote: usize) -> Diagnostic {
        let b = quote + 1;
        Diagnostic::at(
            path,
            text,
            b + self.span.start..b + self.span.end,
            self.message,
        )
    }
}

/// The hint for a refused date: the syntax in brief.
const DATE_HINT: &str =
    "dates are YYYY, YYYY-MM or YYYY-MM-DD; before year 1 add the era: \"490 BCE\", \"44-03-15 BCE\"";

/// Parses `s`, a date written in `text` (the file `path`) as a one-line quoted string whose
/// opening quote is at byte `quote`. A refused date is a diagnostic pointing at the
/// offending part inside the quotes, with the syntax in brief as its hint: every date of
/// the site's files is read through here.
pub(crate) fn parse_at(
    s: &str,
    path: &std::path::Path,
    text: &str,
    quote: usize,
) -> Result<Date, Diagnostic> {
    Date::parse(s).map_err(|e| e.in_string(path, text, quote).with_hint(DATE_HINT))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(y: i32) -> bool {
    (y.rem_euclid(4) == 0 && y.rem_euclid(100) != 0) || y.rem_euclid(400) == 0
}

/// Days in `month` (1–12) of `year` (astronomically numbered).
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// `s` as a number when it is `n` ASCII digits (`n` in `range`).
fn digits(s: &str, range: std::ops::RangeInclusive<usize>) -> Option<u32> {
    (range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// Years from 1 CE below this carry their era ("19 August 14 CE"): without it, a
/// three-digit or smaller number does not read as a year.
const CE_SHOWN_BELOW: i32 = 1000;

/// The words and patterns dates are written with in one language: the month names and
/// one pattern per shape of date, each with `{…}` placeholders. The interface catalogue
/// ([`crate::i18n`]) fills one from its `[date]` table; [`DateWords::english`] is the
/// built-in English, which every date of a site in English is written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateWords {
    /// "January" … "December" (`{month}`; `{m}` is the month's number).
    pub(crate) months: [String; 12],
    /// A year from 1 CE: "{year}" ("1957").
    pub(crate) year: String,
    /// A year before 1: "{year} BCE".
    pub(crate) year_bce: String,
    /// A year from 1 with its era: "{year} CE".
    pub(crate) year_ce: String,
    /// A month of a year (`{year}` already written with its era): "{month} {year}".
    pub(crate) month: String,
    /// A day: "{day} {month} {year}".
    pub(crate) day: String,
    /// Years within one era, `{from}` and `{to}` bare numbers: "{from}–{to}".
    pub(crate) years: String,
    /// The same before year 1: "{from}–{to} BCE".
    pub(crate) years_bce: String,
    /// The same with the era after years below 1000: "{from}–{to} CE".
    pub(crate) years_ce: String,
    /// Two months of one year: "{from}–{to} {year}" (`{from_m}`, `{to_m}`: numbers).
    pub(crate) months_span: String,
    /// Two days of one month: "{from}–{to} {month} {year}".
    pub(crate) days_span: String,
    /// Any other span, both ends written whole: "{from} – {to}".
    pub(crate) span: String,
}

impl DateWords {
    /// The English words: "5 July 1957", "490 BCE", "March–April 44 BCE".
    pub(crate) fn english() -> DateWords {
        DateWords {
            months: MONTHS.map(String::from),
            year: "{year}".into(),
            year_bce: "{year} BCE".into(),
            year_ce: "{year} CE".into(),
            month: "{month} {year}".into(),
            day: "{day} {month} {year}".into(),
            years: "{from}–{to}".into(),
            years_bce: "{from}–{to} BCE".into(),
            years_ce: "{from}–{to} CE".into(),
            months_span: "{from}–{to} {year}".into(),
            days_span: "{from}–{to} {month} {year}".into(),
            span: "{from} – {to}".into(),
        }
    }

    /// The names every pattern may use, for the catalogue's check of its placeholders.
    pub(crate) const PLACEHOLDERS: &'static [&'static str] =
        &["year", "month", "m", "day", "from", "to", "from_m", "to_m"];

    fn month_name(&self, m: u8) -> &str {
        &self.months[usize::from(m.clamp(1, 12)) - 1]
    }
}

/// The English words, made once.
pub(crate) fn english() -> &'static DateWords {
    static EN: std::sync::OnceLock<DateWords> = std::sync::OnceLock::new();
    EN.get_or_init(DateWords::english)
}

/// `pattern` with each `{name}` replaced by its value in `args`; a name it does not know
/// stays as written. (The catalogue checks its patterns' names when it loads.)
pub(crate) fn fill(pattern: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match args.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => out.push_str(v),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A year as a reader reads it: "1957", "490 BCE", "14 CE" (a year below 1000 CE), or
/// "1957 CE" when `ce` asks for the era.
pub(crate) fn year_text(year: i32, ce: bool) -> String {
    year_text_in(english(), year, ce)
}

/// [`year_text`] in the language of `w`.
pub(crate) fn year_text_in(w: &DateWords, year: i32, ce: bool) -> String {
    if year <= 0 {
        let n = (1 - i64::from(year)).to_string();
        fill(&w.year_bce, &[("year", &n)])
    } else if ce || year < CE_SHOWN_BELOW {
        fill(&w.year_ce, &[("year", &year.to_string())])
    } else {
        fill(&w.year, &[("year", &year.to_string())])
    }
}

/// "1950–1967", "490–44 BCE", "50 BCE – 30 CE", "14–68 CE": the years a chapter covers.
#[cfg(test)]
pub(crate) fn year_range_text(first: i32, last: i32) -> String {
    year_range_text_in(english(), first, last)
}

/// [`year_range_text`] in the language of `w`.
pub(crate) fn year_range_text_in(w: &DateWords, first: i32, last: i32) -> String {
    let (a, b) = (first.to_string(), last.to_string());
    match (first <= 0, last <= 0) {
        (true, true) => {
            let (a, b) = (
                (1 - i64::from(first)).to_string(),
                (1 - i64::from(last)).to_string(),
            );
            fill(&w.years_bce, &[("from", &a), ("to", &b)])
        }
        (true, false) => {
            let (a, b) = (year_text_in(w, first, false), year_text_in(w, last, true));
            fill(&w.span, &[("from", &a), ("to", &b)])
        }
        _ if last < CE_SHOWN_BELOW => fill(&w.years_ce, &[("from", &a), ("to", &b)]),
        _ => fill(&w.years, &[("from", &a), ("to", &b)]),
    }
}

/// How a date string spells its year: ISO 8601 (astronomical) or with an era.
enum Spelling {
    Iso,
    Era { bce: bool },
}

impl Date {
    /// Parses the syntax described in the module documentation.
    pub(crate) fn parse(s: &str) -> Result<Date, DateError> {
        let hint = "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, or with an era as 490 BCE";
        let malformed = |what: &str, span| DateError {
            message: format!("`{s}` is not a date: {what}({hint})"),
            span,
        };
        let (body, spelling) = match s.split_once(' ') {
            None => (s, Spelling::Iso),
            Some((body, era)) => {
                let bce = match era {
                    "BCE" | "BC" => true,
                    "CE" | "AD" => false,
                    _ => {
                        let at = body.len() + 1..s.len();
                        return Err(malformed("after the space comes BCE, BC, CE or AD ", at));
                    }
                };
                (body, Spelling::Era { bce })
            }
        };
        let (sign, unsigned) = match body.strip_prefix('-') {
            Some(rest) if matches!(spelling, Spelling::Iso) => (1, rest),
            _ => (0, body),
        };
        let parts: Vec<&str> = unsigned.split('-').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(malformed("", 0..s.len()));
        }
        let yspan = 0..sign + parts[0].len();
        let width = match (&spelling, sign) {
            (Spelling::Era { .. }, _) => 1..=6,
            (Spelling::Iso, 0) => 4..=4,
            (Spelling::Iso, _) => 4..=6,
        };
        let Some(n) = digits(parts[0], width) else {
            let what = match spelling {
                Spelling::Iso if sign == 0 => "the year must have four digits ",
                Spelling::Iso => "a year before 0000 has a minus sign and four to six digits ",
                Spelling::Era { .. } => "the year must be one to six digits ",
            };
            return Err(malformed(what, yspan));
        };
        let n = n as i32;
        let year = match spelling {
            Spelling::Era { .. } if n == 0 => return Err(DateError {
                message:
                    "there is no year 0 when counting with BCE and CE: 1 BCE is followed by 1 CE"
                        .into(),
                span: yspan,
            }),
            Spelling::Era { bce: true } => 1 - n,
            Spelling::Iso if sign == 1 && n == 0 => {
                return Err(DateError {
                    message: "-0000 is not a year: ISO 8601 writes 1 BCE as 0000".into(),
                    span: yspan,
                })
            }
            Spelling::Iso if sign == 1 => -n,
            _ => n,
        };
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError {
                message: format!(
                    "{} is out of range: dates run from 100000 BCE to 9999 CE",
                    year_text(year, true)
                ),
                span: yspan,
            });
        }
        let mut date = Date {
            year,
            month: None,
            day: None,
        };
        date.parse_month_day(&parts, sign + parts[0].len() + 1, &malformed)?;
        Ok(date)
    }

    /// Sets the month and the day of `parts` (`[year, month, day]`, the month starting at
    /// byte `at` of the date string) on this date.
    fn parse_month_day(
        &mut self,
        parts: &[&str],
        at: usize,
        malformed: &dyn Fn(&str, std::ops::Range<usize>) -> DateError,
    ) -> Result<(), DateError> {
        if let Some(m) = parts.get(1) {
            let span = at..at + m.len();
            match digits(m, 2..=2) {
                Some(m @ 1..=12) => self.month = Some(m as u8),
                Some(m) => {
                    return Err(DateError {
                        message: format!("month {m:02} does not exist: months run from 01 to 12"),
                        span,
                    })
                }
                None => return Err(malformed("the month must have two digits ", span)),
            }
        }
        if let Some(d) = parts.get(2) {
            let span = at + 3..at + 3 + d.len();
            let month = self.month.unwrap_or(1);
            let max = days_in_month(self.year, month);
            match digits(d, 2..=2) {
                Some(d) if d >= 1 && d <= max as u32 => self.day = Some(d as u8),
                Some(d) => {
                    return Err(DateError {
                        message: format!(
                            "{} {} has {max} days, so day {d:02} does not exist",
                            MONTHS[month as usize - 1],
                            year_text(self.year, false)
                        ),
                        span,
                    })
                }
                None => return Err(malformed("the day must have two digits ", span)),
            }
        }
        Ok(())
    }

    /// The ISO 8601 form at this date's precision: "1957-07", and before year 1 the
    /// astronomical year ("0000" is 1 BCE, "-0489-03" is March 490 BCE). Every date has
    /// this one canonical spelling; the timeline's script reads it.
    pub(crate) fn iso(&self) -> String {
        let sign = if self.year < 0 { "-" } else { "" };
        let y = format!("{sign}{:04}", self.year.unsigned_abs());
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{y}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y}-{m:02}"),
            _ => y,
        }
    }

    /// The value of an HTML `<time datetime>`: the ISO form, or `None` before year 1, which
    /// HTML's date strings cannot express.
    pub(crate) fn datetime(&self) -> Option<String> {
        (self.year >= 1).then(|| self.iso())
    }

    /// The year as TimelineJS3 reads it: the historians' count with a sign, -490 for
    /// 490 BCE and never 0 (TimelineJS3 shows a negative year `y` as "|y| BCE").
    pub(crate) fn signed_year(&self) -> i32 {
        if self.year <= 0 {
            self.year - 1
        } else {
            self.year
        }
    }

    /// A human reading: "1957", "July 1957", "5 July 1957", "15 March 44 BCE".
    pub(crate) fn human(&self) -> String {
        self.human_in(english(), false)
    }

    /// [`Date::human`] in the language of `w`, with the era after a year from 1 when `ce`: "tháng 7 năm 1957", "1957년 7월".
    pub(crate) fn human_in(&self, w: &DateWords, ce: bool) -> String {
        let year = year_text_in(w, self.year, ce);
        let Some(m) = self.month else { return year };
        let (month, num) = (w.month_name(m), m.to_string());
        let mut args = vec![
            ("year", year.as_str()),
            ("month", month),
            ("m", num.as_str()),
        ];
        match self.day {
            Some(d) => {
                let day = d.to_string();
                args.push(("day", &day));
                fill(&w.day, &args)
            }
            None => fill(&w.month, &args),
        }
    }

    /// "year", "month" or "day".
    pub(crate) fn precision(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "day",
            (Some(_), None) => "month",
            _ => "year",
        }
    }

    /// A position on a continuous axis in fractional years: the start of the period.
    pub(crate) fn as_year_fraction(&self) -> f64 {
        let m = self.month.unwrap_or(1) as f64 - 1.0;
        let d = self.day.unwrap_or(1) as f64 - 1.0;
        self.year as f64 + (m + d / 31.0) / 12.0
    }

    /// The last day this date could mean, as a fractional year (end of year/month/day).
    pub(crate) fn end_as_year_fraction(&self) -> f64 {
        let y = self.year as f64;
        match (self.month, self.day) {
            (Some(m), Some(d)) => y + (m as f64 - 1.0 + d as f64 / 31.0) / 12.0,
            (Some(m), None) => y + m as f64 / 12.0,
            _ => y + 1.0,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// "July–August 1957", "1958–1964", "November 1958 – December 1958", "600–500 BCE",
/// "50 BCE – 30 CE" style range text: the era is named once within BCE, and on both ends
/// across the boundary.
pub(crate) fn human_range(start: &Date, end: Option<&Date>) -> String {
    human_range_in(english(), start, end)
}

/// [`human_range`] in the language of `w`.
pub(crate) fn human_range_in(w: &DateWords, start: &Date, end: Option<&Date>) -> String {
    let Some(end) = end else {
        return start.human_in(w, false);
    };
    let y = year_text_in(w, start.year, false);
    if start.year == end.year {
        match (start.month, end.month, start.day, end.day) {
            (Some(a), Some(b), None, None) if a != b => {
                let (am, bm) = (a.to_string(), b.to_string());
                let args = [
                    ("from", w.month_name(a)),
                    ("to", w.month_name(b)),
                    ("from_m", am.as_str()),
                    ("to_m", bm.as_str()),
                    ("year", y.as_str()),
                ];
                return fill(&w.months_span, &args);
            }
            (Some(a), Some(b), Some(x), Some(y2)) if a == b => {
                let (x, y2, m) = (x.to_string(), y2.to_string(), a.to_string());
                let args = [
                    ("from", x.as_str()),
                    ("to", y2.as_str()),
                    ("month", w.month_name(a)),
                    ("m", m.as_str()),
                    ("year", y.as_str()),
                ];
                return fill(&w.days_span, &args);
            }
            _ => {}
        }
    }
    let across = start.year <= 0 && end.year >= 1;
    if start.precision() == "year" && end.precision() == "year" && !across {
        return year_range_text_in(w, start.year, end.year);
    }
    let (a, b) = (start.human_in(w, false), end.human_in(w, across));
    fill(&w.span, &[("from", &a), ("to", &b)])
}

/// Serializes a date as its ISO string (for templates and JSON).
pub(crate) fn serialize_iso<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.iso())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parses_three_precisions() {
        assert_eq!(
            d("1957"),
            Date {
                year: 1957,
                month: None,
                day: None
            }
        );
        assert_eq!(
            d("1957-07"),
            Date {
                year: 1957,
                month: Some(7),
                day: None
            }
        );
        assert_eq!(d("1957-07-05").iso(), "1957-07-05");
        assert_eq!(d("1957-07").precision(), "month");
    }

    #[test]
    fn refuses_impossible_dates_with_span() {
        let e = Date::parse("2019-02-30").unwrap_err();
        assert_eq!(
            e.message,
            "February 2019 has 28 days, so day 30 does not exist"
        );
        assert_eq!(e.span, 8..10);
        assert_eq!(
            Date::parse("2019-13").unwrap_err().message,
            "month 13 does not exist: months run from 01 to 12"
        );
        assert!(Date::parse("2020-02-29").is_ok());
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
    }

    #[test]
    fn refuses_malformed_strings() {
        for bad in [
            "",
            "57",
            "1957-7",
            "1957-07-5",
            "1957-07-05-01",
            "1957--01",
            "c. 1960",
            "１９５７",
            "1957-07-05T00",
            "-957",
            "-1957-7",
            "490 bce",
            "490  BCE",
            "490BCE",
            "BCE",
            " BCE",
            "-490 BCE",
            "+0490",
            "1234567 BCE",
            "490 BCE BCE",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn orders_by_start_then_precision() {
        let mut v = [d("1957-07-05"), d("1957"), d("1956-12"), d("1957-07")];
        v.sort();
        let s: Vec<String> = v.iter().map(|x| x.iso()).collect();
        assert_eq!(s, ["1956-12", "1957", "1957-07", "1957-07-05"]);
    }

    #[test]
    fn human_forms() {
        assert_eq!(d("1957-07-05").human(), "5 July 1957");
        assert_eq!(
            human_range(&d("1958-11"), Some(&d("1958-12"))),
            "November–December 1958"
        );
        assert_eq!(
            human_range(&d("2019-02-27"), Some(&d("2019-02-28"))),
            "27–28 February 2019"
        );
        assert_eq!(human_range(&d("1966"), Some(&d("1969"))), "1966–1969");
    }

    #[test]
    fn parses_years_before_1_in_both_spellings() {
        let marathon = Date {
            year: -489,
            month: Some(9),
            day: None,
        };
        assert_eq!(d("490-09 BCE"), marathon);
        assert_eq!(d("490-09 BC"), marathon);
        assert_eq!(d("-0489-09"), marathon);
        assert_eq!(d("1 BCE").year, 0);
        assert_eq!(d("0000"), d("1 BCE"));
        assert_eq!(d("-0001"), d("2 BCE"));
        assert_eq!(d("14 CE"), d("0014"));
        assert_eq!(d("14-08-19 AD"), d("0014-08-19"));
        assert_eq!(d("100000 BCE").year, MIN_YEAR);
        assert_eq!(d("-99999"), d("100000 BCE"));
        assert_eq!(d("44-03-15 BCE").iso(), "-0043-03-15");
        assert_eq!(d("1 BCE").iso(), "0000");
        // 1 BCE (astronomical 0) and 5 BCE are leap years in the proleptic calendar.
        assert!(Date::parse("1-02-29 BCE").is_ok());
        assert!(Date::parse("5-02-29 BCE").is_ok());
        assert!(Date::parse("2-02-29 BCE").is_err());
    }

    #[test]
    fn refuses_year_0_and_out_of_range_with_span() {
        let e = Date::parse("0 BCE").unwrap_err();
        assert_eq!(
            e.message,
            "there is no year 0 when counting with BCE and CE: 1 BCE is followed by 1 CE"
        );
        assert_eq!(e.span, 0..1);
        let e = Date::parse("100001 BCE").unwrap_err();
        assert_eq!(
            e.message,
            "100001 BCE is out of range: dates run from 100000 BCE to 9999 CE"
        );
        assert_eq!(e.span, 0..6);
        assert_eq!(Date::parse("-100000").unwrap_err().span, 0..7);
        assert_eq!(Date::parse("10000 CE").unwrap_err().span, 0..5);
        assert_eq!(
            Date::parse("-0000").unwrap_err().message,
            "-0000 is not a year: ISO 8601 writes 1 BCE as 0000"
        );
        let e = Date::parse("44-02-30 BCE").unwrap_err();
        assert_eq!(
            e.message,
            "February 44 BCE has 28 days, so day 30 does not exist"
        );
        assert_eq!(e.span, 6..8);
        let e = Date::parse("-0043-13").unwrap_err();
        assert_eq!(e.span, 6..8);
        let e = Date::parse("490 BCF").unwrap_err();
        assert_eq!(e.span, 4..7);
    }

    #[test]
    fn orders_across_year_0() {
        let mut v = [
            d("14 CE"),
            d("44-03-15 BCE"),
            d("1 BCE"),
            d("490 BCE"),
            d("44 BCE"),
            d("0001"),
            d("490-09 BCE"),
        ];
        v.sort();
        let s: Vec<String> = v.iter().map(|x| x.human()).collect();
        assert_eq!(
            s,
            [
                "490 BCE",
                "September 490 BCE",
                "44 BCE",
                "15 March 44 BCE",
                "1 BCE",
                "1 CE",
                "14 CE"
            ]
        );
        assert!(d("1 BCE").end_as_year_fraction() <= d("1 CE").as_year_fraction());
        assert!(d("490 BCE").as_year_fraction() < d("44 BCE").as_year_fraction());
    }

    #[test]
    fn human_forms_before_year_1() {
        assert_eq!(d("44-03-15 BCE").human(), "15 March 44 BCE");
        assert_eq!(d("-0489-09").human(), "September 490 BCE");
        assert_eq!(
            human_range(&d("600 BCE"), Some(&d("500 BCE"))),
            "600–500 BCE"
        );
        assert_eq!(
            human_range(&d("50 BCE"), Some(&d("30 CE"))),
            "50 BCE – 30 CE"
        );
        assert_eq!(
            human_range(&d("44-03 BCE"), Some(&d("44-04 BCE"))),
            "March–April 44 BCE"
        );
        assert_eq!(
            human_range(&d("44-03-15 BCE"), Some(&d("44-03-17 BCE"))),
            "15–17 March 44 BCE"
        );
        assert_eq!(
            human_range(&d("4-03 BCE"), Some(&d("2-06 CE"))),
            "March 4 BCE – June 2 CE"
        );
        assert_eq!(
            human_range(&d("44 BCE"), Some(&d("43-06 BCE"))),
            "44 BCE – June 43 BCE"
        );
        assert_eq!(year_range_text(-489, -43), "490–44 BCE");
        assert_eq!(year_range_text(-49, 30), "50 BCE – 30 CE");
        assert_eq!(year_range_text(1950, 1967), "1950–1967");
    }

    #[test]
    fn machine_forms_before_year_1() {
        assert_eq!(d("490 BCE").signed_year(), -490);
        assert_eq!(d("1 BCE").signed_year(), -1);
        assert_eq!(d("14 CE").signed_year(), 14);
        assert_eq!(d("490 BCE").datetime(), None);
        assert_eq!(d("0014-08").datetime().as_deref(), Some("0014-08"));
        for s in ["490 BCE", "44-03-15 BCE", "1 BCE", "100000 BCE", "14 CE"] {
            assert_eq!(Date::parse(&d(s).iso()), Ok(d(s)), "{s}");
        }
    }
}

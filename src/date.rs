//! Dates at the precision the sources give.
//!
//! # Syntax
//!
//! A date is a string of one of three forms:
//!
//! | form         | example        | precision |
//! |--------------|----------------|-----------|
//! | `YYYY`       | `"1957"`       | year      |
//! | `YYYY-MM`    | `"1957-07"`    | month     |
//! | `YYYY-MM-DD` | `"1957-07-05"` | day       |
//!
//! The year has exactly four digits (0001–9999), the month two (01–12) and the day two,
//! valid for that month in the proleptic Gregorian calendar (so `"2019-02-29"` is an error
//! and `"2020-02-29"` is not). Nothing else is accepted: no times, no time zones, no
//! `"c. 1960"` (use `approximate = true` and `display_date` for vague dates).
//!
//! Dates order by their start: `1957` sorts before `1957-01`, which sorts before
//! `1957-01-01`.

use std::fmt;

/// A calendar date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

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
    pub(crate) fn in_string(
        self,
        path: &std::path::Path,
        text: &str,
        quote: usize,
    ) -> crate::diag::Diagnostic {
        let b = quote + 1;
        crate::diag::Diagnostic::at(
            path,
            text,
            b + self.span.start..b + self.span.end,
            self.message,
        )
    }
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

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Days in `month` (1–12) of `year`.
pub(crate) fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

impl Date {
    /// Parses the syntax described in the module documentation.
    pub(crate) fn parse(s: &str) -> Result<Date, DateError> {
        let err = |message: String, span: std::ops::Range<usize>| Err(DateError { message, span });
        let format_hint = "expected a date as YYYY, YYYY-MM or YYYY-MM-DD";
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return err(format!("`{s}` is not a date: {format_hint}"), 0..s.len());
        }
        let Some(year) = digits(parts[0], 4) else {
            return err(
                format!("`{s}` is not a date: the year must have four digits ({format_hint})"),
                0..parts[0].len(),
            );
        };
        if year == 0 {
            return err("year 0000 does not exist".into(), 0..4);
        }
        let year = year as u16;
        let mut date = Date {
            year,
            month: None,
            day: None,
        };
        if let Some(m) = parts.get(1) {
            let span = 5..5 + m.len();
            match digits(m, 2) {
                Some(m @ 1..=12) => date.month = Some(m as u8),
                Some(m) => {
                    return err(
                        format!("month {m:02} does not exist: months run from 01 to 12"),
                        span,
                    )
                }
                None => {
                    return err(
                        format!(
                            "`{s}` is not a date: the month must have two digits ({format_hint})"
                        ),
                        span,
                    )
                }
            }
        }
        if let Some(d) = parts.get(2) {
            let span = 8..8 + d.len();
            let month = date.month.unwrap_or(1);
            let max = days_in_month(year, month);
            match digits(d, 2) {
                Some(d) if d >= 1 && d <= max as u32 => date.day = Some(d as u8),
                Some(d) => {
                    return err(
                        format!(
                            "{} {year} has {max} days, so day {d:02} does not exist",
                            MONTHS[month as usize - 1]
                        ),
                        span,
                    )
                }
                None => {
                    return err(
                        format!(
                            "`{s}` is not a date: the day must have two digits ({format_hint})"
                        ),
                        span,
                    )
                }
            }
        }
        Ok(date)
    }

    /// The ISO form at this date's precision, as used in `<time datetime>`.
    pub(crate) fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// A human reading: "1957", "July 1957", "5 July 1957".
    pub(crate) fn human(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
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
        match (self.month, self.day) {
            (Some(m), Some(d)) => self.year as f64 + (m as f64 - 1.0 + d as f64 / 31.0) / 12.0,
            (Some(m), None) => self.year as f64 + m as f64 / 12.0,
            _ => self.year as f64 + 1.0,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// "July–August 1957", "1958–1964", "November 1958 – December 1958" style range text.
pub(crate) fn human_range(start: &Date, end: Option<&Date>) -> String {
    let Some(end) = end else { return start.human() };
    if start.year == end.year {
        match (start.month, end.month, start.day, end.day) {
            (Some(a), Some(b), None, None) if a != b => {
                return format!(
                    "{}–{} {}",
                    MONTHS[a as usize - 1],
                    MONTHS[b as usize - 1],
                    start.year
                )
            }
            (Some(a), Some(b), Some(x), Some(y)) if a == b => {
                return format!("{x}–{y} {} {}", MONTHS[a as usize - 1], start.year)
            }
            _ => {}
        }
    }
    if start.precision() == "year" && end.precision() == "year" {
        return format!("{}–{}", start.year, end.year);
    }
    format!("{} – {}", start.human(), end.human())
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
            "0000",
            "-1957",
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
}

//! Calendar dates: civil dates from `jiff`, written `YYYY-MM-DD` everywhere a person or
//! a file sees them. An impossible date (`2027-02-31`) never parses.

pub use jiff::civil::Date;

/// The time zone whose calendar decides what "today" is: the catalog's region.
const ZONE: &str = "Europe/Amsterdam";

/// A `YYYY-MM-DD` date; `None` for any other form and for impossible dates.
pub fn parse(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    text.parse().ok()
}

/// Today in the catalog's region.
pub fn today() -> Date {
    let now = jiff::Timestamp::now();
    match jiff::tz::TimeZone::get(ZONE) {
        Ok(tz) => now.to_zoned(tz).date(),
        Err(_) => now.to_zoned(jiff::tz::TimeZone::UTC).date(),
    }
}

/// Whole days from `earlier` to `later` (negative when `later` comes first).
pub fn days_between(earlier: Date, later: Date) -> i64 {
    i64::from(earlier.until(later).map_or(0, |span| span.get_days()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_dates_in_one_form() {
        assert_eq!(
            parse("2026-11-23").map(|d| d.to_string()).as_deref(),
            Some("2026-11-23")
        );
        for bad in [
            "2027-02-31",
            "2026-13-01",
            "2026-1-01",
            "20261123",
            "2026-11-23T00:00",
            "",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(parse("2028-02-29").is_some() && parse("2027-02-29").is_none());
    }

    #[test]
    fn today_and_day_counts() {
        assert!(today() > parse("2024-01-01").unwrap());
        let (a, b) = (parse("2026-02-27").unwrap(), parse("2026-03-02").unwrap());
        assert_eq!((days_between(a, b), days_between(b, a)), (3, -3));
    }
}

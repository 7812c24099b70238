//! Review warnings: not errors, but worth a reviewer's look.

use super::{Catalog, Problem};
use crate::search::analysis::normalize;

/// Names at least this similar (normalised Damerau-Levenshtein) are flagged.
const NEAR_DUPLICATE: f64 = 0.85;
/// Entries older than this many days since verification are flagged.
const STALE_DAYS: i64 = 365;

/// Near-duplicate names and stale verification dates.
pub fn warnings(catalog: &Catalog, today: &str) -> Vec<Problem> {
    let at = |id: &str, message: String| {
        let (file, line) = catalog
            .location(id)
            .map_or((Default::default(), None), |(f, l)| {
                (f.to_path_buf(), Some(l))
            });
        Problem {
            file,
            line,
            message,
        }
    };
    let mut out = Vec::new();
    let names: Vec<(String, &str, &str)> = catalog
        .offerings()
        .iter()
        .map(|o| (normalize(&o.name), o.id.as_str(), o.name.as_str()))
        .collect();
    for (i, (a, id_a, name_a)) in names.iter().enumerate() {
        for (b, id_b, name_b) in &names[i + 1..] {
            let similarity = strsim::normalized_damerau_levenshtein(a, b);
            if similarity >= NEAR_DUPLICATE {
                let other = catalog
                    .location(id_b)
                    .map_or(String::new(), |(f, l)| format!(" at {}:{l}", f.display()));
                out.push(at(
                    id_a,
                    format!("name '{name_a}' is very close to '{name_b}'{other} (similarity {similarity:.2}): the same offering twice?"),
                ));
            }
        }
    }
    if let Some(now) = days(today) {
        for o in catalog.offerings() {
            if let Some(age) = o.verified.as_deref().and_then(days).map(|d| now - d) {
                if age > STALE_DAYS {
                    out.push(at(
                        &o.id,
                        format!(
                            "aanbod '{}' was last verified {age} days ago: check it again",
                            o.id
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian calendar);
/// `None` for anything else, impossible dates such as `2027-02-31` included.
pub fn days(date: &str) -> Option<i64> {
    let n = day_number(date)?;
    (date_of(n) == date).then_some(n)
}

fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Today's date as `YYYY-MM-DD`, from the system clock (UTC).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    date_of(secs.div_euclid(86_400))
}

/// The `YYYY-MM-DD` date of a day number since 1970-01-01.
fn date_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "2027-02-31",
            "2026-02-29",
            "2026-04-31",
            "2026-1-05",
            "2026-13-01",
        ] {
            assert_eq!(days(bad), None, "{bad}");
        }
        assert!(days("2028-02-29").is_some());
        assert_eq!(days("1970-01-02"), Some(1));
    }

    #[test]
    fn day_numbers() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2000-03-01"), Some(11_017));
        assert_eq!(
            days("2026-11-23").unwrap() - days("2025-11-23").unwrap(),
            365
        );
        assert_eq!(
            days("2024-03-01").unwrap() - days("2024-02-28").unwrap(),
            2,
            "leap year"
        );
        assert_eq!(days("2026-13-01"), None);
        assert_eq!(days("gisteren"), None);
    }

    #[test]
    fn today_round_trips_through_days() {
        let t = today();
        let d = days(&t).unwrap();
        assert!(d > days("2024-01-01").unwrap());
    }
}

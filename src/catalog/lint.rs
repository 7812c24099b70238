//! Review warnings: not errors, but worth a reviewer's look.

use super::{Catalog, Problem};
use crate::domain::dates::{self, Date};
use crate::search::analysis::normalize;

/// Names at least this similar (normalised Damerau-Levenshtein) are flagged.
const NEAR_DUPLICATE: f64 = 0.85;
/// Entries older than this many days since verification are flagged.
const STALE_DAYS: i64 = 365;

/// Near-duplicate names and stale verification dates.
pub fn warnings(catalog: &Catalog, today: Date) -> Vec<Problem> {
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
    let audit = super::facts::audit(catalog);
    for id in &audit.no_route {
        out.push(at(
            id,
            format!("aanbod '{id}' has no way to reach it: no contact facts and no `via`"),
        ));
    }
    for id in &audit.doors_without_contact {
        out.push(at(
            id,
            format!(
                "aanbod '{id}' is the door of other offerings but has no contact facts: \
                 answers say \"contactgegevens niet bekend in deze catalogus\""
            ),
        ));
    }
    for id in &audit.unsourced_costs {
        out.push(at(
            id,
            format!("aanbod '{id}': `kosten` has no source reference in `[aanbod.bewijs]`; cite it or use \"onbekend\""),
        ));
    }
    for (id, fact) in &audit.unsourced_eligibility {
        out.push(at(
            id,
            format!("aanbod '{id}': `{fact}` has no source reference in `[aanbod.bewijs]`; cite it or leave the fact out"),
        ));
    }
    {
        for o in catalog.offerings() {
            if let Some(age) = o.verified.map(|d| dates::days_between(d, today)) {
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

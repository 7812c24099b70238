//! Review warnings: not errors, but worth a reviewer's look.

use super::{Catalog, Problem};
use crate::domain::dates::{self, Date};
use crate::search::analysis::normalize;

/// Names at least this similar (normalised Damerau-Levenshtein) are flagged.
const NEAR_DUPLICATE: f64 = 0.85;
/// Entries older than this many days since verification are flagged.
const STALE_DAYS: i64 = 365;

/// The character trigrams of a name, with two spaces of padding at each end.
fn trigrams(name: &str) -> Vec<String> {
    let chars: Vec<char> = format!("  {name}  ").chars().collect();
    let mut out: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    out.sort();
    out.dedup();
    out
}

/// Pairs `(i, j)`, `i < j`, of names that may be [`NEAR_DUPLICATE`] similar: every pair
/// that is, and few that are not (a similarity join with a length and a prefix filter).
///
/// Similarity `s` means at most `d = (1 - s) · longer length` edits; a name of length
/// `L` can only match names of length `s·L ..= L/s`, so `d ≤ D = (1 - s)·L/s`; an edit
/// removes at most three of a name's trigrams, so a match shares all but `3·D` of them,
/// and among its `3·D + 1` rarest trigrams at least one. Only those are looked up.
fn near_duplicate_candidates(names: &[&str]) -> Vec<(usize, usize)> {
    let s = NEAR_DUPLICATE;
    let grams: Vec<Vec<String>> = names.iter().map(|n| trigrams(n)).collect();
    let mut postings: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, g) in grams.iter().enumerate() {
        for t in g {
            postings.entry(t.as_str()).or_default().push(i);
        }
    }
    let mut pairs = std::collections::BTreeSet::new();
    for (i, g) in grams.iter().enumerate() {
        let len = names[i].chars().count() as f64;
        let d = ((1.0 - s) * len / s).floor() as usize;
        let mut rare: Vec<&String> = g.iter().collect();
        rare.sort_by_key(|t| (postings[t.as_str()].len(), *t));
        let prefix = (3 * d + 1).min(rare.len());
        let fits = |j: usize| {
            let other = names[j].chars().count() as f64;
            other >= s * len - 1e-9 && other <= len / s + 1e-9
        };
        for t in &rare[..prefix] {
            for &j in &postings[t.as_str()] {
                if j != i && fits(j) {
                    pairs.insert((i.min(j), i.max(j)));
                }
            }
        }
    }
    pairs.into_iter().collect()
}

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
    let keys: Vec<&str> = names.iter().map(|(n, _, _)| n.as_str()).collect();
    for (i, j) in near_duplicate_candidates(&keys) {
        let ((a, id_a, name_a), (b, id_b, name_b)) = (&names[i], &names[j]);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The filtered pairs hold every pair a full comparison finds similar.
    #[test]
    fn candidates_miss_no_near_duplicate() {
        let names = [
            "financieel hulphuis",
            "financieel hulphuis dordrecht",
            "financieel hulpuis",
            "buurtwerk dordrecht sociaal",
            "buurtwerk dordrecht",
            "jongerenwerk dordrecht sociaal",
            "sociaal wijkteam dordrecht sociaal",
            "sociaal wijkteam dordrecht",
            "ab",
            "abc",
            "maatjes",
            "maatje",
            "de luisterlijn",
            "luisterlijn",
            "wijkwinkel",
            "wijkwinkels",
            "expertisecentrum mantelzorg",
            "expertisecentrum mantelzrog",
        ];
        let candidates: std::collections::HashSet<(usize, usize)> =
            near_duplicate_candidates(&names).into_iter().collect();
        let mut similar = 0;
        for i in 0..names.len() {
            for j in i + 1..names.len() {
                if strsim::normalized_damerau_levenshtein(names[i], names[j]) >= NEAR_DUPLICATE {
                    similar += 1;
                    assert!(candidates.contains(&(i, j)), "{} ~ {}", names[i], names[j]);
                }
            }
        }
        assert!(
            similar >= 3,
            "the set has near duplicates to find ({similar})"
        );
        assert!(
            candidates.len() < names.len() * (names.len() - 1) / 2,
            "and it filters"
        );
    }
}

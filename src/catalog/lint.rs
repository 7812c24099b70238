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

/// Pairs `(i, j)`, `i < j`, of names at least [`NEAR_DUPLICATE`] similar, with their
/// similarity: the pairs a comparison of every pair finds, without comparing every pair
/// (a similarity join with a length, a prefix and a count filter).
///
/// Similarity `s` means at most `e = (1 - s) · longer length` edits. A name of length
/// `L` can only match names of length `s·L ..= L/s`, so `e ≤ D = (1 - s)·L/s`. An edit
/// changes at most four of a name's trigrams (a transposition touches two characters),
/// so two matching names share all but `4·e` of each one's trigrams; then, with the
/// trigrams of every name in one order (rarest first), the first `4·D + 1` of the one
/// and of the other have one in common (prefix filtering). Only those prefixes are
/// indexed and looked up. A candidate that shares fewer trigrams than the bound is
/// dropped before the edit distance is computed.
fn near_duplicates(names: &[&str]) -> Vec<(usize, usize, f64)> {
    use std::collections::HashMap;

    let s = NEAR_DUPLICATE;
    let lens: Vec<usize> = names.iter().map(|n| n.chars().count()).collect();
    let texts: Vec<Vec<String>> = names.iter().map(|n| trigrams(n)).collect();
    let mut frequency: HashMap<&str, u32> = HashMap::new();
    for g in texts.iter().flatten() {
        *frequency.entry(g.as_str()).or_default() += 1;
    }
    // Trigram ids in order of rarity, so a name's sorted ids start with its rarest.
    let mut order: Vec<(&str, u32)> = frequency.into_iter().collect();
    order.sort_unstable_by_key(|&(g, n)| (n, g));
    let id: HashMap<&str, u32> = order
        .iter()
        .enumerate()
        .map(|(i, &(g, _))| (g, i as u32))
        .collect();
    let grams: Vec<Vec<u32>> = texts
        .iter()
        .map(|t| {
            let mut g: Vec<u32> = t.iter().map(|t| id[t.as_str()]).collect();
            g.sort_unstable();
            g
        })
        .collect();
    let prefix = |i: usize| {
        let most = ((1.0 - s) * lens[i] as f64 / s).floor() as usize;
        &grams[i][..(4 * most + 1).min(grams[i].len())]
    };
    // Where each trigram stands in each name's prefix.
    let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); order.len()];
    for i in 0..names.len() {
        for (at, &t) in prefix(i).iter().enumerate() {
            postings[t as usize].push((i as u32, at as u32));
        }
    }
    // The trigrams two names must share: all but four per edit of each.
    let needed = |i: usize, j: usize| {
        let edits = ((1.0 - s) * lens[i].max(lens[j]) as f64).floor() as usize;
        grams[i].len().max(grams[j].len()).saturating_sub(4 * edits)
    };
    const DROPPED: i32 = -1;
    let mut count = vec![0i32; names.len()];
    let mut touched = Vec::new();
    let mut out = Vec::new();
    for i in 0..names.len() {
        let len = lens[i] as f64;
        for (at, &t) in prefix(i).iter().enumerate() {
            for &(j, at_j) in &postings[t as usize] {
                let j = j as usize;
                if j <= i || count[j] == DROPPED {
                    continue;
                }
                if count[j] == 0 {
                    touched.push(j);
                    let other = lens[j] as f64;
                    if other < s * len - 1e-9 || other > len / s + 1e-9 {
                        count[j] = DROPPED;
                        continue;
                    }
                }
                // Shared so far, this one, and at most all that follow in the shorter
                // rest (positional filtering): too few, and the pair is dropped.
                let rest = (grams[i].len() - at - 1).min(grams[j].len() - at_j as usize - 1);
                if count[j] as usize + 1 + rest < needed(i, j) {
                    count[j] = DROPPED;
                } else {
                    count[j] += 1;
                }
            }
        }
        let (len_i, prefix_i) = (grams[i].len(), prefix(i).len());
        for &j in &touched {
            // Shared between the two prefixes; at most, beside them, one for each other
            // trigram of this prefix found beyond the other's, and one for each trigram
            // beyond this prefix. Only then the full count, then the edit distance.
            let found = count[j].max(0) as usize;
            let (len_j, prefix_j) = (grams[j].len(), prefix(j).len());
            let most = found
                + (prefix_i - found).min(len_j - prefix_j)
                + (len_i - prefix_i).min(len_j - found);
            let enough =
                found > 0 && most >= needed(i, j) && shared(&grams[i], &grams[j]) >= needed(i, j);
            if enough {
                let similarity = strsim::normalized_damerau_levenshtein(names[i], names[j]);
                if similarity >= s {
                    out.push((i, j, similarity));
                }
            }
            count[j] = 0;
        }
        touched.clear();
    }
    out.sort_unstable_by_key(|&(i, j, _)| (i, j));
    out
}

/// How many ids two sorted lists share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
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
    for (i, j, similarity) in near_duplicates(&keys) {
        let ((_, id_a, name_a), (_, id_b, name_b)) = (&names[i], &names[j]);
        let other = catalog
            .location(id_b)
            .map_or(String::new(), |(f, l)| format!(" at {}:{l}", f.display()));
        out.push(at(
            id_a,
            format!("name '{name_a}' is very close to '{name_b}'{other} (similarity {similarity:.2}): the same offering twice?"),
        ));
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

    /// The join finds exactly the pairs a comparison of every pair finds similar,
    /// transpositions and length differences at the edge of the bound included.
    #[test]
    fn the_join_finds_what_comparing_every_pair_finds() {
        let names = [
            "financieel hulphuis",
            "financieel hulphuis dordrecht",
            "financieel hulpuis",
            "financiele hulphuis",
            "buurtwerk dordrecht sociaal",
            "buurtwerk dordrecht",
            "jongerenwerk dordrecht sociaal",
            "sociaal wijkteam dordrecht sociaal",
            "sociaal wijkteam dordrecht",
            "ab",
            "abc",
            "ba",
            "maatjes",
            "maatje",
            "amatjes",
            "de luisterlijn",
            "luisterlijn",
            "wijkwinkel",
            "wijkwinkels",
            "wjikwinkel",
            "expertisecentrum mantelzorg",
            "expertisecentrum mantelzrog",
            "xepertisecentrum mantelzorg",
            "expertisecentrum mantelzorg ",
        ];
        let found: Vec<(usize, usize)> = near_duplicates(&names)
            .iter()
            .map(|&(i, j, _)| (i, j))
            .collect();
        let mut every = Vec::new();
        for i in 0..names.len() {
            for j in i + 1..names.len() {
                if strsim::normalized_damerau_levenshtein(names[i], names[j]) >= NEAR_DUPLICATE {
                    every.push((i, j));
                }
            }
        }
        assert!(
            every.len() >= 6,
            "the set has near duplicates to find ({every:?})"
        );
        assert_eq!(found, every);
    }

    proptest::proptest! {
        /// The same on random names from a small alphabet, where near duplicates,
        /// transpositions and shared trigrams are common.
        #[test]
        fn the_join_matches_every_pair_on_random_names(
            names in proptest::collection::vec("[abc ]{1,14}", 2..40)
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let found: Vec<(usize, usize)> =
                near_duplicates(&names).iter().map(|&(i, j, _)| (i, j)).collect();
            let mut every = Vec::new();
            for i in 0..names.len() {
                for j in i + 1..names.len() {
                    if strsim::normalized_damerau_levenshtein(names[i], names[j]) >= NEAR_DUPLICATE {
                        every.push((i, j));
                    }
                }
            }
            proptest::prop_assert_eq!(found, every);
        }
    }
}

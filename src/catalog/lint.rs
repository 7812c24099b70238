//! Review warnings: not errors, but worth a reviewer's look.

use super::{Catalog, Problem};
use crate::domain::dates::{self, Date};
use crate::search::analysis::normalize;

/// Names at least this similar (normalised Damerau-Levenshtein) are flagged.
const NEAR_DUPLICATE: f64 = 0.85;
/// Entries older than this many days since verification are flagged.
const STALE_DAYS: i64 = 365;

/// The most edits (Damerau-Levenshtein) two names may differ by and still be
/// [`NEAR_DUPLICATE`], when the longer has `len` characters.
fn most_edits(len: usize) -> usize {
    ((1.0 - NEAR_DUPLICATE) * len as f64 + 1e-9).floor() as usize
}

/// How a name of `len` characters is cut into pieces for [`near_duplicates`]: the start
/// and length of each piece. Enough pieces that one stays untouched by the plain edits
/// any partner may need: a transposition is two plain edits, so `2·E + 1` pieces for the
/// most edits `E` that a partner of length up to `len / s` allows.
fn pieces(len: usize) -> Vec<(usize, usize)> {
    let longest_partner = (len as f64 / NEAR_DUPLICATE + 1e-9).floor() as usize;
    let count = (2 * most_edits(longest_partner) + 1).min(len.max(1));
    (0..count)
        .map(|i| {
            let from = i * len / count;
            (from, (i + 1) * len / count - from)
        })
        .collect()
}

/// Letters and digits counted into 32 bins: an edit changes the counts by at most two,
/// a transposition not at all, so names whose counts differ by more than twice the edits
/// allowed cannot be near duplicates. Letters sharing a bin only make the bound looser.
fn letter_counts(name: &str) -> [u8; 32] {
    let mut counts = [0u8; 32];
    for c in name.chars() {
        let bin = &mut counts[(c as u32 % 32) as usize];
        *bin = bin.saturating_add(1);
    }
    counts
}

/// Pairs `(i, j)`, `i < j`, of names at least [`NEAR_DUPLICATE`] similar, with their
/// similarity: the pairs a comparison of every pair finds, without comparing every pair
/// (a partition-based similarity join, after Li, Deng, Wang and Feng's Pass-Join).
///
/// Similarity `s` allows at most `e = (1 - s) · longer length` edits, and the shorter
/// name is then at least `s ·` the longer. Names are taken shortest first; each shorter
/// name is cut into pieces ([`pieces`]) and indexed by length, piece number and text.
/// Every edit touches at most one piece, so a name within `e` edits of a shorter one
/// holds one of its pieces unchanged, shifted by `d` places, with at least `|d|` edits
/// before the piece and `|Δ - d|` after it (`Δ` the difference in length), so `d` lies in
/// `[-(2e - Δ) / 2, (2e + Δ) / 2]`. A name only looks up its own substrings at those places; what it finds is checked by letter
/// counts ([`letter_counts`]) and then by the edit distance itself.
fn near_duplicates(names: &[&str]) -> Vec<(usize, usize, f64)> {
    use std::collections::HashMap;

    let s = NEAR_DUPLICATE;
    // Byte offset of every character, and one past the end.
    let offsets: Vec<Vec<usize>> = names
        .iter()
        .map(|n| n.char_indices().map(|(b, _)| b).chain([n.len()]).collect())
        .collect();
    let len = |i: usize| offsets[i].len() - 1;
    let piece = |i: usize, from: usize, n: usize| &names[i][offsets[i][from]..offsets[i][from + n]];
    let counts: Vec<[u8; 32]> = names.iter().map(|n| letter_counts(n)).collect();
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| (len(i), i));

    let mut index: HashMap<(usize, usize, &str), Vec<u32>> = HashMap::new();
    let mut cuts: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    let mut seen = vec![usize::MAX; names.len()];
    let mut out = Vec::new();
    for &x in &order {
        let m = len(x);
        let edits = most_edits(m);
        let reach = 2 * edits;
        let shortest = ((s * m as f64) - 1e-9).ceil().max(0.0) as usize;
        for l in shortest..=m {
            let Some(cut) = cuts.get(&l) else {
                continue;
            };
            for (number, &(from, n)) in cut.iter().enumerate() {
                // Shifted by d, the piece has at least |d| edits before it and |m - l - d|
                // after it, so d lies in [-(reach - grow) / 2, (reach + grow) / 2].
                let grow = m - l;
                let first = from.saturating_sub(reach.saturating_sub(grow) / 2);
                let last = (from + (reach + grow) / 2).min(m.saturating_sub(n));
                for at in first..=last.max(first) {
                    if at + n > m {
                        break;
                    }
                    let Some(found) = index.get(&(l, number, piece(x, at, n))) else {
                        continue;
                    };
                    for &y in found {
                        let y = y as usize;
                        if seen[y] == x {
                            continue;
                        }
                        seen[y] = x;
                        let apart: usize = counts[x]
                            .iter()
                            .zip(&counts[y])
                            .map(|(a, b)| a.abs_diff(*b) as usize)
                            .sum();
                        if apart > 2 * edits {
                            continue;
                        }
                        let similarity = strsim::normalized_damerau_levenshtein(names[x], names[y]);
                        if similarity >= s {
                            out.push((x.min(y), x.max(y), similarity));
                        }
                    }
                }
            }
        }
        let cut = cuts.entry(m).or_insert_with(|| pieces(m));
        for (number, &(from, n)) in cut.iter().enumerate() {
            index
                .entry((m, number, piece(x, from, n)))
                .or_default()
                .push(x as u32);
        }
    }
    out.sort_unstable_by_key(|&(i, j, _)| (i, j));
    out
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
        let (found, every) = join_and_every_pair(&names);
        assert!(
            every.len() >= 6,
            "the set has near duplicates to find ({every:?})"
        );
        assert_eq!(found, every);
    }

    /// The pairs the join finds, and the pairs a comparison of every pair finds.
    type Pairs = Vec<(usize, usize)>;
    fn join_and_every_pair(names: &[&str]) -> (Pairs, Pairs) {
        let found = near_duplicates(names)
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
        (found, every)
    }

    proptest::proptest! {
        /// The same on random names from a small alphabet, where near duplicates,
        /// transpositions and shared trigrams are common.
        #[test]
        fn the_join_matches_every_pair_on_random_names(
            names in proptest::collection::vec("[abc ]{1,14}", 2..40)
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let (found, every) = join_and_every_pair(&names);
            proptest::prop_assert_eq!(found, every);
        }

        /// Letters of more than one byte: pieces are cut by character.
        #[test]
        fn the_join_matches_every_pair_on_accented_names(
            names in proptest::collection::vec("[aéëł ß€]{1,24}", 2..40)
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let (found, every) = join_and_every_pair(&names);
            proptest::prop_assert_eq!(found, every);
        }

        /// And on longer names (more edits allowed, more pieces), built from a few
        /// words with letters changed, dropped, swapped or added, so near duplicates are
        /// common.
        #[test]
        fn the_join_matches_every_pair_on_longer_names(
            picks in proptest::collection::vec(
                (
                    0..4usize,
                    0..4usize,
                    proptest::collection::vec((0..40usize, "[a-z]", 0..4u8), 0..4),
                ),
                2..50,
            )
        ) {
            const WORDS: [&str; 4] = ["sociaal wijkteam", "buurtwerk", "westerburcht", "winterhaven"];
            let names: Vec<String> = picks
                .iter()
                .map(|(a, b, changes)| {
                    let mut name: Vec<char> = format!("{} {}", WORDS[*a], WORDS[*b]).chars().collect();
                    // Change, drop, swap with the next, or add a letter.
                    for (at, letter, edit) in changes {
                        let at = at % name.len();
                        let letter = letter.chars().next().unwrap();
                        match edit {
                            0 => name[at] = letter,
                            1 if name.len() > 1 => {
                                name.remove(at);
                            }
                            2 if at + 1 < name.len() => name.swap(at, at + 1),
                            _ => name.insert(at, letter),
                        }
                    }
                    name.into_iter().collect()
                })
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let (found, every) = join_and_every_pair(&names);
            proptest::prop_assert_eq!(found, every);
        }
    }
}

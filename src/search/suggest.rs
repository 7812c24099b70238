//! Completions while a volunteer types, and "did you mean" when a search finds nothing.
//!
//! The vocabulary holds offering names and common terms (the catalog's lay terms and the
//! taxonomy's labels and synonyms). Every word start of every entry is kept in one sorted
//! list, so a prefix is found by binary search whatever the catalog's size. "Did you
//! mean" walks a Levenshtein automaton over an FST of every entry and word, so it
//! visits only what lies within a typo or two of the query.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy_fst::{IntoStreamer, Streamer};

use crate::catalog::Catalog;
use crate::search::analysis::normalize;
use crate::search::index::{fuzzy_distance, typo_automaton, TYPO_MAX_CHARS};

/// What a suggestion completes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// An offering's name.
    Offering,
    /// A common term.
    Term,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Text as shown.
    pub text: String,
    /// What it is.
    pub kind: Kind,
    /// The offering id, for offering names.
    pub offering_id: Option<String>,
}

struct Entry {
    text: String,
    key: String,
    kind: Kind,
    offering_id: Option<String>,
    /// How many offerings use this term: common terms rank first.
    weight: u32,
}

/// The vocabulary of one catalog.
pub struct Vocabulary {
    entries: Vec<Entry>,
    /// Every word start of every entry as (entry index, byte offset of the word in its
    /// key), sorted by the key from that word on: a place, not a copy, so a large
    /// catalog's vocabulary stays small.
    starts: Vec<(u32, u32)>,
    /// Every character that occurs in `starts`, for one-typo lookups.
    alphabet: Vec<char>,
    /// Every entry key and word (at least three characters), to its place in
    /// `proposals`: what "did you mean" searches.
    typos: tantivy_fst::Map<Vec<u8>>,
    /// What is proposed for each key of `typos`: the entry as written, or the word.
    proposals: Vec<String>,
}

impl Vocabulary {
    /// Builds the vocabulary of a catalog.
    pub fn new(catalog: &Catalog) -> Self {
        let mut entries: Vec<Entry> = Vec::new();
        let mut by_key: HashMap<(String, Kind), usize> = HashMap::new();
        let mut add = |text: &str, kind: Kind, offering_id: Option<&str>| {
            let key = normalize(text);
            if key.is_empty() {
                return;
            }
            if let Some(&i) = by_key.get(&(key.clone(), kind)) {
                let e: &mut Entry = &mut entries[i];
                e.weight += 1;
                return;
            }
            by_key.insert((key.clone(), kind), entries.len());
            entries.push(Entry {
                text: text.trim().to_string(),
                key,
                kind,
                offering_id: offering_id.map(str::to_string),
                weight: 1,
            });
        };
        for o in catalog.offerings() {
            add(&o.name, Kind::Offering, Some(&o.id));
            for t in &o.lay_terms {
                add(t, Kind::Term, None);
            }
        }
        for d in catalog.taxonomy().domains() {
            add(&d.label.to_lowercase(), Kind::Term, None);
            for s in &d.synonyms {
                add(s, Kind::Term, None);
            }
        }
        entries.shrink_to_fit();
        let mut starts: Vec<(u32, u32)> = Vec::new();
        let mut words = HashSet::new();
        for (i, e) in entries.iter().enumerate() {
            let mut offset = 0;
            for word in e.key.split(' ') {
                starts.push((place(i), place(offset)));
                words.insert(word.to_string());
                offset += word.len() + 1;
            }
        }
        starts.sort_unstable_by(|a, b| tail(&entries, a).cmp(tail(&entries, b)).then(a.cmp(b)));
        let mut alphabet: Vec<char> = entries.iter().flat_map(|e| e.key.chars()).collect();
        alphabet.sort_unstable();
        alphabet.dedup();
        let mut keyed: BTreeMap<&str, &str> = entries
            .iter()
            .map(|e| (e.key.as_str(), e.text.as_str()))
            .collect();
        for w in words.iter().filter(|w| w.chars().count() >= 3) {
            keyed.entry(w.as_str()).or_insert(w.as_str());
        }
        let typos =
            tantivy_fst::Map::from_iter(keyed.keys().zip(0u64..)).expect("sorted unique keys");
        let proposals = keyed.values().map(|t| t.to_string()).collect();
        Self {
            entries,
            starts,
            alphabet,
            typos,
            proposals,
        }
    }

    /// The key of the entry of `start` from its word on.
    fn tail_of(&self, start: &(u32, u32)) -> &str {
        tail(&self.entries, start)
    }

    /// The start at `p` in `starts`: its key from the word on, and its entry.
    fn start(&self, p: usize) -> (&str, usize) {
        let start = &self.starts[p];
        (self.tail_of(start), start.0 as usize)
    }

    /// Where the starts that begin with `key` (or sort after it) begin.
    fn first_start(&self, key: &str) -> usize {
        self.starts.partition_point(|s| self.tail_of(s) < key)
    }

    /// Completions for what has been typed: offering names first, then common terms;
    /// matches at the start of an entry before matches inside it. Falls back to entries
    /// within one typo of the prefix when nothing starts with it.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<Suggestion> {
        let key = normalize(prefix);
        if key.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut found: Vec<(bool, usize)> = self.with_prefix(&key);
        if found.is_empty() && key.chars().count() >= 4 {
            found = self.near_prefix(&key);
        }
        let mut seen = HashSet::new();
        found.retain(|(_, i)| seen.insert(*i));
        found.sort_by(|(a_start, a), (b_start, b)| {
            let (x, y) = (&self.entries[*a], &self.entries[*b]);
            x.kind
                .cmp(&y.kind)
                .then(b_start.cmp(a_start))
                .then(y.weight.cmp(&x.weight))
                .then(x.key.len().cmp(&y.key.len()))
                .then(x.key.cmp(&y.key))
        });
        found
            .into_iter()
            .take(limit)
            .map(|(_, i)| {
                let e = &self.entries[i];
                Suggestion {
                    text: e.text.clone(),
                    kind: e.kind,
                    offering_id: e.offering_id.clone(),
                }
            })
            .collect()
    }

    /// Entries with a word starting with `key`, flagged when the entry itself starts with it.
    fn with_prefix(&self, key: &str) -> Vec<(bool, usize)> {
        (self.first_start(key)..self.starts.len())
            .map(|p| self.start(p))
            .take_while(|(s, _)| s.starts_with(key))
            .map(|(s, i)| (s.len() == self.entries[i].key.len(), i))
            .collect()
    }

    /// Entries whose start is one edit away from `key`: the first `n` characters of a
    /// word start (`n` the key's length) are one substitution or transposition away (or equal), or
    /// the whole start is the key less one character.
    ///
    /// Rather than measuring the distance to every start (a full scan, slow in a large
    /// catalog), it looks up each such variant of the key by binary search, then keeps
    /// the starts that pass the distance test, in their sorted order.
    fn near_prefix(&self, key: &str) -> Vec<(bool, usize)> {
        let chars: Vec<char> = key.chars().collect();
        let n = chars.len();
        let mut positions: Vec<usize> = Vec::new();
        let with_prefix = |v: &str, positions: &mut Vec<usize>| {
            positions.extend(
                (self.first_start(v)..self.starts.len())
                    .take_while(|&p| self.start(p).0.starts_with(v)),
            );
        };
        with_prefix(key, &mut positions);
        let mut variant = chars.clone();
        for i in 0..n {
            for &c in &self.alphabet {
                if c != chars[i] {
                    variant[i] = c;
                    with_prefix(&variant.iter().collect::<String>(), &mut positions);
                }
            }
            variant[i] = chars[i];
            if i + 1 < n {
                variant.swap(i, i + 1);
                with_prefix(&variant.iter().collect::<String>(), &mut positions);
                variant.swap(i, i + 1);
            }
            let shorter: String = chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| *c)
                .collect();
            positions.extend(
                (self.first_start(&shorter)..self.starts.len())
                    .take_while(|&p| self.start(p).0 == shorter),
            );
        }
        positions.sort_unstable();
        positions.dedup();
        positions
            .into_iter()
            .map(|p| self.start(p))
            .filter(|(s, _)| {
                let head: String = s.chars().take(n).collect();
                strsim::damerau_levenshtein(&head, key) <= 1
            })
            .map(|(s, i)| (s.len() == self.entries[i].key.len(), i))
            .collect()
    }

    /// The closest offering names and terms to a query that found nothing, best first:
    /// entries within a typo or two of the whole query, words within a typo or two of
    /// one of its words (of at least four characters), and words a typed word starts
    /// with (the head of a compound), closest first.
    pub fn did_you_mean(&self, query: &str, limit: usize) -> Vec<String> {
        let key = normalize(query);
        if key.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(f64, u64)> = Vec::new();
        let mut near = |typed: &str, penalty: f64| {
            // Nothing for a text too long to be a typo of an entry (its automaton would
            // grow with it).
            if typed.chars().count() > TYPO_MAX_CHARS {
                return;
            }
            let automaton = typo_automaton(typed, fuzzy_distance(typed).max(1));
            let mut stream = self.typos.search(&automaton).into_stream();
            while let Some((found, at)) = stream.next() {
                let found = String::from_utf8_lossy(found);
                scored.push((
                    strsim::normalized_damerau_levenshtein(typed, &found) - penalty,
                    at,
                ));
            }
            // Entries that go on from what was typed ("schuldhulp": Schuldhulpmaatje).
            let mut stream = self.typos.range().ge(typed).into_stream();
            let mut taken = 0;
            while let Some((found, at)) = stream.next() {
                if !found.starts_with(typed.as_bytes()) || taken == COMPLETIONS_MAX {
                    break;
                }
                let share = typed.len() as f64 / found.len() as f64;
                scored.push((share - WORD_PENALTY, at));
                taken += 1;
            }
        };
        near(&key, 0.0);
        if key.contains(' ') {
            for word in key
                .split(' ')
                .filter(|w| w.chars().count() >= 4)
                .take(WORDS_MAX)
            {
                near(word, WORD_PENALTY);
            }
        }
        // The head of a compound the catalog does not hold ("taalles": "taal").
        for word in key.split(' ').take(WORDS_MAX) {
            let chars = word.chars().count();
            for (cut, _) in word.char_indices().skip(HEAD_MIN_CHARS) {
                let share = word[..cut].chars().count() as f64 / chars as f64;
                if share < HEAD_MIN_SHARE {
                    continue;
                }
                if let Some(at) = self.typos.get(&word[..cut]) {
                    scored.push((share - WORD_PENALTY, at));
                }
            }
        }
        let proposal = |at: u64| self.proposals[at as usize].as_str();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| proposal(a.1).cmp(proposal(b.1)))
        });
        // Never propose what was typed: not the query, not one of its words.
        let mut seen: HashSet<String> = key.split(' ').map(str::to_string).collect();
        seen.insert(key.clone());
        scored
            .into_iter()
            .map(|(_, at)| proposal(at))
            .filter(|t| seen.insert(normalize(t)))
            .take(limit)
            .map(str::to_string)
            .collect()
    }
}

/// How much lower a word near one word of the query ranks than an entry near the
/// whole query.
const WORD_PENALTY: f64 = 0.05;
/// Shortest compound head proposed for a word typed, in characters and as a share of
/// the word ("huur" of "huurtoeslg", not "vrij" of "vrijwilliger").
const HEAD_MIN_CHARS: usize = 4;
const HEAD_MIN_SHARE: f64 = 0.4;
/// Most words of a query looked at one by one (a long text that found nothing gets
/// proposals for its first words).
const WORDS_MAX: usize = 8;
/// Most entries taken that go on from a text typed.
const COMPLETIONS_MAX: usize = 20;

/// The key of the entry of a word start from its word on.
fn tail<'a>(entries: &'a [Entry], &(entry, offset): &(u32, u32)) -> &'a str {
    &entries[entry as usize].key[offset as usize..]
}

/// A place in the vocabulary (an entry index or a byte offset) as stored in `starts`.
fn place(at: usize) -> u32 {
    u32::try_from(at).expect("a vocabulary of fewer than 4 billion places")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain scan `near_prefix` replaces.
    fn scan(v: &Vocabulary, key: &str) -> Vec<(bool, usize)> {
        let n = key.chars().count();
        (0..v.starts.len())
            .map(|p| v.start(p))
            .filter(|(s, _)| {
                let head: String = s.chars().take(n).collect();
                strsim::damerau_levenshtein(&head, key) <= 1
            })
            .map(|(s, i)| (s.len() == v.entries[i].key.len(), i))
            .collect()
    }

    #[test]
    fn did_you_mean_never_proposes_what_was_typed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let v = Vocabulary::new(&Catalog::load(&dir).unwrap());
        for typed in ["mantelzorg", "Financieel Hulphuis", "schulden huur"] {
            let proposals = v.did_you_mean(typed, 5);
            let typed_words: Vec<String> =
                normalize(typed).split(' ').map(str::to_string).collect();
            for p in &proposals {
                let p = normalize(p);
                assert!(
                    p != normalize(typed) && !typed_words.contains(&p),
                    "{typed}: {proposals:?}"
                );
            }
        }
        assert_eq!(
            v.did_you_mean("mantelzrog", 5).first().map(String::as_str),
            Some("mantelzorg"),
            "a typo gets the word it misses"
        );
        assert!(
            v.did_you_mean("taalles", 5).iter().any(|p| p == "taal"),
            "a compound the catalog lacks gets its head"
        );
        assert!(
            v.did_you_mean("schuldhulp", 5)
                .iter()
                .any(|p| p == "Schuldhulpmaatje"),
            "entries that go on from what was typed"
        );
        // A long text that found nothing: proposals for its first words, no automaton
        // for the whole of it.
        let long = "mantelzrog ".repeat(180);
        assert_eq!(
            v.did_you_mean(&long, 5).first().map(String::as_str),
            Some("mantelzorg")
        );
    }

    #[test]
    fn did_you_mean_walk_finds_what_measuring_every_key_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let v = Vocabulary::new(&Catalog::load(&dir).unwrap());
        let keys: Vec<String> = {
            let mut stream = v.typos.stream();
            let mut out = Vec::new();
            while let Some((k, _)) = stream.next() {
                out.push(String::from_utf8(k.to_vec()).unwrap());
            }
            out
        };
        let mut typed: Vec<String> = vec!["mantelzrog".into(), "schuldhlp".into(), "qqqqq".into()];
        for k in keys.iter().step_by(5) {
            let c: Vec<char> = k.chars().collect();
            if c.len() >= 5 {
                let mut swapped = c.clone();
                swapped.swap(1, 2);
                typed.push(swapped.into_iter().collect());
                let mut two = c.clone();
                two[0] = 'x';
                two[c.len() - 1] = 'q';
                typed.push(two.into_iter().collect());
            }
        }
        for t in &typed {
            let distance = usize::from(fuzzy_distance(t).max(1));
            let mut walked: Vec<String> = Vec::new();
            let automaton = typo_automaton(t, distance as u8);
            let mut stream = v.typos.search(&automaton).into_stream();
            while let Some((k, _)) = stream.next() {
                walked.push(String::from_utf8(k.to_vec()).unwrap());
            }
            let scanned: Vec<String> = keys
                .iter()
                .filter(|k| strsim::osa_distance(t, k) <= distance)
                .cloned()
                .collect();
            assert_eq!(walked, scanned, "{t}");
        }
        assert!(typed.len() > 100, "{} typed keys", typed.len());
    }

    #[test]
    fn one_typo_lookup_finds_what_the_scan_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let v = Vocabulary::new(&Catalog::load(&dir).unwrap());
        let mut keys = vec![
            "mantelzrog".to_string(),
            "schuldn".into(),
            "xq".into(),
            "eenzam".into(),
        ];
        for s in v.starts.iter().step_by(7).map(|s| v.tail_of(s)) {
            let c: Vec<char> = s.chars().take(7).collect();
            if c.len() >= 4 {
                let mut swapped = c.clone();
                swapped.swap(1, 2);
                keys.push(swapped.iter().collect());
                let mut replaced = c.clone();
                replaced[c.len() - 1] = 'q';
                keys.push(replaced.iter().collect());
                keys.push(c[1..].iter().collect());
            }
        }
        for key in &keys {
            assert_eq!(v.near_prefix(key), scan(&v, key), "{key}");
        }
        assert!(!v.suggest("mantelzrog", 5).is_empty());
    }
}

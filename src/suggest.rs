//! Completions while a volunteer types, and "did you mean" when a search finds nothing.
//!
//! The vocabulary holds offering names and common terms (the catalog's lay terms and the
//! taxonomy's labels and synonyms). Every word start of every entry is kept in one sorted
//! list, so a prefix is found by binary search whatever the catalog's size.

use std::collections::{HashMap, HashSet};

use crate::analysis::normalize;
use crate::catalog::Catalog;

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
    /// (suffix of an entry's key starting at a word, entry index), sorted.
    starts: Vec<(String, usize)>,
    /// Every distinct word, for typo suggestions.
    words: Vec<String>,
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
        let mut starts = Vec::new();
        let mut words = HashSet::new();
        for (i, e) in entries.iter().enumerate() {
            let mut offset = 0;
            for word in e.key.split(' ') {
                starts.push((e.key[offset..].to_string(), i));
                words.insert(word.to_string());
                offset += word.len() + 1;
            }
        }
        starts.sort();
        let mut words: Vec<String> = words
            .into_iter()
            .filter(|w| w.chars().count() >= 3)
            .collect();
        words.sort();
        Self {
            entries,
            starts,
            words,
        }
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
        let from = self.starts.partition_point(|(s, _)| s.as_str() < key);
        self.starts[from..]
            .iter()
            .take_while(|(s, _)| s.starts_with(key))
            .map(|(s, i)| (s.len() == self.entries[*i].key.len(), *i))
            .collect()
    }

    /// Entries whose start is one edit away from `key`.
    fn near_prefix(&self, key: &str) -> Vec<(bool, usize)> {
        let n = key.chars().count();
        self.starts
            .iter()
            .filter(|(s, _)| {
                let head: String = s.chars().take(n).collect();
                strsim::damerau_levenshtein(&head, key) <= 1
            })
            .map(|(s, i)| (s.len() == self.entries[*i].key.len(), *i))
            .collect()
    }

    /// The closest offering names and terms to a query that found nothing, best first.
    pub fn did_you_mean(&self, query: &str, limit: usize) -> Vec<String> {
        let key = normalize(query);
        if key.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(f64, &str)> = Vec::new();
        for e in &self.entries {
            let score = strsim::normalized_damerau_levenshtein(&key, &e.key)
                .max(strsim::jaro_winkler(&key, &e.key) - 0.1);
            if score >= 0.6 {
                scored.push((score, &e.text));
            }
        }
        for word in key.split(' ').filter(|w| w.chars().count() >= 4) {
            for w in &self.words {
                let score = strsim::jaro_winkler(word, w);
                if score >= 0.85 && w != word {
                    scored.push((score - 0.05, w));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let mut seen = HashSet::new();
        scored
            .into_iter()
            .filter(|(_, t)| seen.insert(normalize(t)))
            .take(limit)
            .map(|(_, t)| t.to_string())
            .collect()
    }
}

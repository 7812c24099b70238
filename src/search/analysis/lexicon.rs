//! Stems numbered once, so one text can be checked against many phrases with bit tests
//! instead of hashing strings for every phrase.

use foldhash::HashMap;

/// A stem's number in a [`Lexicon`].
pub type StemId = u32;

/// The stems of a list of phrases, numbered in the order first seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    ids: HashMap<String, StemId>,
}

impl Lexicon {
    /// The number of `stem`; a new stem gets the next number.
    pub fn number(&mut self, stem: &str) -> StemId {
        if let Some(&id) = self.ids.get(stem) {
            return id;
        }
        let id = StemId::try_from(self.ids.len()).expect("fewer than 2^32 stems");
        self.ids.insert(stem.to_string(), id);
        id
    }

    /// The number of `stem`, when it is one of the lexicon's.
    pub fn get(&self, stem: &str) -> Option<StemId> {
        self.ids.get(stem).copied()
    }

    /// How many stems it numbers.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether it numbers no stem.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every stem with its number.
    pub fn iter(&self) -> impl Iterator<Item = (&str, StemId)> {
        self.ids.iter().map(|(s, &id)| (s.as_str(), id))
    }

    /// An empty set of this lexicon's stems.
    pub fn empty_set(&self) -> StemSet {
        StemSet {
            bits: vec![0; self.ids.len().div_ceil(64)],
        }
    }

    /// Which of the lexicon's stems occur among `stems`.
    pub fn present<'a>(&self, stems: impl IntoIterator<Item = &'a str>) -> StemSet {
        let mut set = self.empty_set();
        for id in stems.into_iter().filter_map(|s| self.get(s)) {
            set.insert(id);
        }
        set
    }
}

/// Words in order, each with the number of a stem, to find those a word being typed
/// begins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ByStart {
    sorted: Vec<(Box<str>, StemId)>,
}

impl ByStart {
    /// The words of phrases as written (normalized), each with the number of its stem:
    /// `phrases` gives each phrase with its stems' numbers, one per word in order (as
    /// [`super::stems`] makes them).
    pub fn of_phrases<'a>(phrases: impl IntoIterator<Item = (&'a str, &'a [StemId])>) -> ByStart {
        let words = phrases.into_iter().flat_map(|(phrase, stems)| {
            let normalized = super::normalize(phrase);
            let words: Vec<String> = normalized
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            words.into_iter().zip(stems.iter().copied())
        });
        let mut sorted: Vec<(Box<str>, StemId)> = words.map(|(w, id)| (w.into(), id)).collect();
        sorted.sort_unstable();
        sorted.dedup();
        ByStart { sorted }
    }

    /// The words that begin with `start` (the word itself too), with their stems'
    /// numbers.
    pub fn beginning_with<'a>(
        &'a self,
        start: &'a str,
    ) -> impl Iterator<Item = (&'a str, StemId)> + 'a {
        let from = self.sorted.partition_point(|(s, _)| &**s < start);
        self.sorted[from..]
            .iter()
            .take_while(move |(s, _)| s.starts_with(start))
            .map(|(s, id)| (&**s, *id))
    }
}

/// A set of one lexicon's stems, a bit each.
#[derive(Debug, Clone, PartialEq)]
pub struct StemSet {
    bits: Vec<u64>,
}

impl StemSet {
    /// Adds a stem.
    pub fn insert(&mut self, id: StemId) {
        self.bits[id as usize / 64] |= 1 << (id % 64);
    }

    /// Whether the set holds the stem.
    pub fn contains(&self, id: StemId) -> bool {
        self.bits[id as usize / 64] >> (id % 64) & 1 == 1
    }

    /// The stems of the set, by number, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = StemId> + '_ {
        self.bits.iter().enumerate().flat_map(|(i, &block)| {
            let mut rest = block;
            std::iter::from_fn(move || {
                let bit = (rest != 0).then(|| rest.trailing_zeros())?;
                rest &= rest - 1;
                Some((i * 64) as StemId + bit)
            })
        })
    }

    /// Whether the set holds no stem.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|&b| b == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_words_a_start_begins_with_their_stems() {
        let mut lexicon = Lexicon::default();
        let phrases: Vec<(&str, Vec<StemId>)> = ["huiselijk geweld", "geweldig gevoel"]
            .iter()
            .map(|p| {
                (
                    *p,
                    super::super::stems(p)
                        .iter()
                        .map(|s| lexicon.number(s))
                        .collect(),
                )
            })
            .collect();
        let by_start = ByStart::of_phrases(phrases.iter().map(|(p, s)| (*p, s.as_slice())));
        let begun: Vec<&str> = by_start.beginning_with("gew").map(|(w, _)| w).collect();
        assert_eq!(begun, ["geweld", "geweldig"]);
        let (_, id) = by_start.beginning_with("huiselijk").next().unwrap();
        assert_eq!(Some(id), lexicon.get(&super::super::stem("huiselijk")));
        assert_eq!(by_start.beginning_with("zzz").count(), 0);
        assert_eq!(
            by_start.beginning_with("").count(),
            4,
            "an empty start begins every word"
        );
    }

    #[test]
    fn numbers_are_stable_and_sets_hold_what_was_found() {
        let mut l = Lexicon::default();
        let words = ["schuld", "huur", "deurwaarder"];
        let ids: Vec<StemId> = words.iter().map(|w| l.number(w)).collect();
        assert_eq!(ids, [0, 1, 2]);
        assert_eq!(l.number("huur"), 1, "a known stem keeps its number");
        for n in 3..200 {
            l.number(&format!("w{n}"));
        }
        let set = l.present(["huur", "onbekend", "w130"]);
        assert!(set.contains(1) && set.contains(l.get("w130").unwrap()));
        assert!(!set.contains(0) && !set.contains(2) && !set.contains(199));
        assert!(l.present(["onbekend"]).is_empty());
        let found: Vec<StemId> = set.iter().collect();
        assert_eq!(found, [1, l.get("w130").unwrap()]);
    }
}

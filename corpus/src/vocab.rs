//! The words the generator writes with, harvested from real catalogs: description
//! sentences, lay terms and name words per leefgebied, the gemeenten, and the taxonomy.
//!
//! Nothing here is invented text: sentences and terms come from the catalogs given to
//! [`Harvest::from_catalogs`] (the bundled Drechtsteden catalog and the national 2020
//! data set by default). Only the place-like parts of generated names come from a fixed
//! list of Dutch word parts below.

use std::collections::BTreeSet;

use wegwijzer::catalog::Catalog;
use wegwijzer::domain::taxonomy::DomainInfo;
use wegwijzer::domain::Leefgebied;
use wegwijzer::search::analysis;

/// First halves of generated place names (`Wilgen` + `hof`).
pub const PLACE_HEADS: &[&str] = &[
    "Wilgen",
    "Eiken",
    "Linden",
    "Beuken",
    "Kastanje",
    "Vlinder",
    "Zonne",
    "Regenboog",
    "Molen",
    "Haven",
    "Dijk",
    "Polder",
    "Kade",
    "Sluis",
    "Brug",
    "Toren",
    "Markt",
    "Kerk",
    "Bloemen",
    "Rozen",
    "Tulpen",
    "Appel",
    "Peren",
    "Kersen",
    "Vogel",
    "Merel",
    "Zwanen",
    "Reiger",
    "Ooievaar",
    "Meeuwen",
    "Duinen",
    "Heide",
    "Bos",
    "Veen",
    "Klaver",
    "Hazel",
    "Berken",
    "Iepen",
    "Essen",
    "Populier",
    "Riet",
    "Water",
    "Zilver",
    "Gouden",
    "Sterren",
    "Maan",
    "Lente",
    "Zomer",
    "Herfst",
    "Winter",
    "Noorder",
    "Zuider",
    "Ooster",
    "Wester",
    "Hoog",
    "Laag",
    "Oude",
    "Nieuwe",
    "Groene",
    "Blauwe",
];

/// Second halves of generated place names.
pub const PLACE_TAILS: &[&str] = &[
    "hof", "hoek", "hart", "huis", "brug", "poort", "kring", "dijk", "werf", "kade", "veld",
    "wijk", "plein", "tuin", "hage", "stede", "lust", "rijk", "oord", "dal", "berg", "waard",
    "weide", "gaarde", "haven", "laan", "straat", "burcht", "kamp", "horst",
];

/// Words for the kind of place or project, used when a leefgebied has few name words.
const KIND_WORDS: &[&str] = &[
    "Buurthuis",
    "Inloop",
    "Steunpunt",
    "Spreekuur",
    "Huiskamer",
    "Ontmoetingsplek",
    "Maatjesproject",
    "Servicepunt",
    "Wijkpunt",
    "Buurtkamer",
];

/// Everything harvested, indexed by the position of a [`Leefgebied`] in
/// [`Leefgebied::ALL`].
#[derive(Debug, Clone)]
pub struct Harvest {
    /// Description sentences per leefgebied, with gemeente names replaced by `{gemeente}`.
    pub sentences: Vec<Vec<String>>,
    /// Lay terms per leefgebied (offerings' `zoektermen` plus taxonomy synonyms).
    pub lay_terms: Vec<Vec<String>>,
    /// Capitalised name words per leefgebied (`Schuldhulpmaatje`, `Thuisadministratie`).
    pub name_words: Vec<Vec<String>>,
    /// All gemeenten of all catalogs, sorted.
    pub gemeenten: Vec<String>,
    /// The taxonomy of the first catalog.
    pub taxonomy: Vec<DomainInfo>,
}

/// Position of a domain in [`Leefgebied::ALL`].
pub fn domain_index(l: Leefgebied) -> usize {
    Leefgebied::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

impl Harvest {
    /// Harvests the vocabulary of `catalogs` (at least one).
    pub fn from_catalogs(catalogs: &[&Catalog]) -> Harvest {
        let n = Leefgebied::ALL.len();
        let mut sentences = vec![BTreeSet::new(); n];
        let mut lay_terms = vec![BTreeSet::new(); n];
        let mut name_words = vec![BTreeSet::new(); n];
        let gemeenten: BTreeSet<String> = catalogs
            .iter()
            .flat_map(|c| c.gemeenten().iter().cloned())
            .collect();
        let gemeenten: Vec<String> = gemeenten.into_iter().collect();
        let folded_gemeenten: Vec<String> = gemeenten.iter().map(|g| analysis::fold(g)).collect();
        for catalog in catalogs {
            for o in catalog.offerings() {
                let sents = split_sentences(&o.description)
                    .into_iter()
                    .filter(|s| usable_sentence(s))
                    .map(|s| with_placeholder(&s, &gemeenten))
                    .collect::<Vec<_>>();
                let words: Vec<String> = o
                    .name
                    .split_whitespace()
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                    .filter(|w| {
                        w.chars().count() >= 5
                            && w.chars().all(char::is_alphabetic)
                            && !analysis::is_stop_word(&analysis::fold(w))
                            && !folded_gemeenten.contains(&analysis::fold(w))
                    })
                    .map(capitalise)
                    .collect();
                for l in &o.leefgebieden {
                    let i = domain_index(*l);
                    sentences[i].extend(sents.iter().cloned());
                    lay_terms[i].extend(o.lay_terms.iter().map(|t| t.to_lowercase()));
                    name_words[i].extend(words.iter().cloned());
                }
            }
        }
        let taxonomy = catalogs[0].taxonomy().domains().to_vec();
        for d in &taxonomy {
            let i = domain_index(d.leefgebied);
            lay_terms[i].extend(d.synonyms.iter().map(|s| s.to_lowercase()));
        }
        let finish = |sets: Vec<BTreeSet<String>>, fallback: &[&str]| -> Vec<Vec<String>> {
            sets.into_iter()
                .map(|s| {
                    let mut v: Vec<String> = s.into_iter().collect();
                    if v.len() < 4 {
                        v.extend(fallback.iter().map(|w| w.to_string()));
                    }
                    v
                })
                .collect()
        };
        Harvest {
            sentences: finish(sentences, &["Inwoners kunnen hier terecht met hun vraag."]),
            lay_terms: finish(lay_terms, &["hulp", "vraag"]),
            name_words: finish(name_words, KIND_WORDS),
            gemeenten,
            taxonomy,
        }
    }
}

/// Splits a description into sentences at `.`, `?` and `!` followed by a space.
fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'?' | b'!') && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(format!("{rest}."));
    }
    out
}

/// Whether a sentence is ordinary prose: long enough, no web or mail addresses, no
/// phone-like digit runs.
fn usable_sentence(s: &str) -> bool {
    s.chars().count() >= 25
        && !s.contains("http")
        && !s.contains("www")
        && !s.contains('@')
        && s.chars().filter(char::is_ascii_digit).count() < 4
}

/// Replaces each gemeente name in `s` by `{gemeente}`, so it can be filled in again.
fn with_placeholder(s: &str, gemeenten: &[String]) -> String {
    let mut out = s.to_string();
    for g in gemeenten {
        if out.contains(g.as_str()) {
            out = out.replace(g.as_str(), "{gemeente}");
        }
    }
    out
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_and_filter() {
        let s = split_sentences("Eerste zin over hulp bij geld. Tweede zin! Bel 0800-1234 nu");
        assert_eq!(
            s,
            [
                "Eerste zin over hulp bij geld.",
                "Tweede zin!",
                "Bel 0800-1234 nu."
            ]
        );
        assert!(usable_sentence(&s[0]));
        assert!(!usable_sentence(&s[1]));
        assert!(!usable_sentence(
            "Kijk op https://example.nl voor meer informatie vandaag."
        ));
    }

    #[test]
    fn gemeenten_become_placeholders() {
        let g = vec!["Dordrecht".to_string()];
        assert_eq!(
            with_placeholder("Inwoners van Dordrecht helpen.", &g),
            "Inwoners van {gemeente} helpen."
        );
    }
}

//! Query sets for benchmarks: free-text searches (exact names, typos, prefixes, name
//! plus topic, lay terms), Suggest prefixes and help requests across profiles, drawn
//! from any loaded catalog with a seeded [`Rng`].
//!
//! Searches that have a definite answer carry the ids of the offerings that answer them
//! (`expected`), so hit@3 can be computed for any engine replaying the same set.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::rng::Rng;
use wegwijzer::catalog::Catalog;
use wegwijzer::domain::{Household, Leefgebied, Offering, ServiceArea, Signal};
use wegwijzer::search::analysis;

/// Benchmark queries for one catalog.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuerySet {
    /// What made the set.
    pub generator: String,
    /// The seed.
    pub seed: u64,
    /// Name of the catalog the set was drawn from.
    pub catalog: String,
    /// Number of offerings in that catalog.
    pub offerings: usize,
    /// Free-text searches.
    pub search: Vec<SearchQuery>,
    /// Suggest prefixes.
    pub suggest: Vec<String>,
    /// Help requests in the Dutch-keyed format of evaluation files
    /// ([`wegwijzer::api::input::RequestInput`]).
    pub help: Vec<Value>,
}

/// One free-text search.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchQuery {
    /// Entry id.
    pub id: String,
    /// `naam`, `typo`, `prefix`, `naam+term` or `zoekterm`.
    pub kind: String,
    /// The text as typed.
    pub query: String,
    /// Gemeente filter; empty for none.
    #[serde(default)]
    pub gemeente: String,
    /// Ids of the offerings that answer it; empty when the query has no single answer
    /// (lay terms), which then counts for latency only.
    #[serde(default)]
    pub expected: Vec<String>,
}

/// How many entries of each kind a set holds.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    /// Free-text searches.
    pub search: usize,
    /// Suggest prefixes.
    pub suggest: usize,
    /// Help requests.
    pub help: usize,
}

impl Default for Counts {
    fn default() -> Self {
        Counts {
            search: 300,
            suggest: 100,
            help: 100,
        }
    }
}

/// Most expected ids listed for one query.
const MAX_EXPECTED: usize = 20;

/// Draws a query set from `catalog`.
pub fn generate(catalog: &Catalog, seed: u64, counts: Counts) -> QuerySet {
    let mut rng = Rng::new(seed, 2);
    let offerings = catalog.offerings();
    let names: Vec<String> = offerings
        .iter()
        .map(|o| analysis::normalize(&o.name))
        .collect();
    let mut search = Vec::with_capacity(counts.search);
    for i in 0..counts.search {
        let ord = rng.below(offerings.len());
        let o = &offerings[ord];
        let gemeente = match &o.area {
            ServiceArea::Gemeenten(list) if rng.chance(0.5) => rng.pick(list).clone(),
            _ => String::new(),
        };
        let kind = ["naam", "typo", "prefix", "naam+term", "zoekterm"][i % 5];
        let name = o.name.to_lowercase();
        let query = match kind {
            "naam" => name.clone(),
            "typo" => with_typo(&name, &mut rng),
            "prefix" => typed_prefix(&name, &mut rng),
            "naam+term" => {
                let word = longest_word(&name);
                let term = rng.pick(&o.lay_terms).to_lowercase();
                if rng.chance(0.5) {
                    format!("{} {term}", with_typo(&word, &mut rng))
                } else {
                    format!("{word} {term}")
                }
            }
            _ => rng.pick(&o.lay_terms).to_lowercase(),
        };
        let expected = if kind == "zoekterm" {
            Vec::new()
        } else {
            same_name(offerings, &names, ord, &gemeente)
        };
        search.push(SearchQuery {
            id: format!("s{i:04}"),
            kind: kind.to_string(),
            query,
            gemeente,
            expected,
        });
    }

    let mut suggest = Vec::with_capacity(counts.suggest);
    for _ in 0..counts.suggest {
        let o = rng.pick(offerings);
        let source = if rng.chance(0.5) {
            o.name.to_lowercase()
        } else {
            rng.pick(&o.lay_terms).to_lowercase()
        };
        let chars: Vec<char> = source.chars().collect();
        let n = (3 + rng.below(6)).min(chars.len());
        let mut prefix: String = chars[..n].iter().collect();
        if n >= 5 && rng.chance(0.1) {
            prefix = with_typo(&prefix, &mut rng);
        }
        suggest.push(prefix);
    }

    let help = (0..counts.help)
        .map(|_| help_request(catalog, &mut rng))
        .collect();
    QuerySet {
        generator: format!("wegwijzer corpus {}", env!("CARGO_PKG_VERSION")),
        seed,
        catalog: catalog.name().to_string(),
        offerings: offerings.len(),
        search,
        suggest,
        help,
    }
}

/// The target and every offering with the same name plus a suffix (`Buurthuis
/// Wilgenhof` and `Buurthuis Wilgenhof Dordrecht`), that serve `gemeente` when given.
fn same_name(offerings: &[Offering], names: &[String], ord: usize, gemeente: &str) -> Vec<String> {
    let base = &names[ord];
    let with_space = format!("{base} ");
    let mut out = vec![offerings[ord].id.clone()];
    for (i, n) in names.iter().enumerate() {
        if i != ord
            && (n == base || n.starts_with(&with_space))
            && (gemeente.is_empty() || offerings[i].area.serves(gemeente))
            && out.len() < MAX_EXPECTED
        {
            out.push(offerings[i].id.clone());
        }
    }
    out
}

fn longest_word(text: &str) -> String {
    text.split_whitespace()
        .max_by_key(|w| w.chars().count())
        .unwrap_or("")
        .to_string()
}

/// One typing error in the longest word of at least five letters: a swapped pair, a
/// dropped, doubled or replaced letter (never the first letter).
pub fn with_typo(text: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let Some((w, _)) = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().count() >= 5 && w.chars().all(char::is_alphabetic))
        .max_by_key(|(_, w)| w.chars().count())
    else {
        return text.to_string();
    };
    let mut chars: Vec<char> = words[w].chars().collect();
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(4) {
        0 => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        2 => chars.insert(at, chars[at]),
        _ => {
            const NEAR: &[(char, char)] = &[
                ('a', 's'),
                ('e', 'r'),
                ('i', 'o'),
                ('o', 'p'),
                ('u', 'y'),
                ('n', 'm'),
                ('s', 'd'),
                ('t', 'r'),
                ('r', 't'),
                ('l', 'k'),
                ('d', 'f'),
                ('g', 'h'),
            ];
            let c = chars[at];
            chars[at] = NEAR.iter().find(|(a, _)| *a == c).map_or('e', |(_, b)| *b);
        }
    }
    let mut typo: String = chars.into_iter().collect();
    if typo == words[w] {
        // Swapping two equal letters changes nothing: drop one instead.
        let mut c: Vec<char> = typo.chars().collect();
        c.remove(at);
        typo = c.into_iter().collect();
    }
    words
        .iter()
        .enumerate()
        .map(|(i, x)| if i == w { typo.as_str() } else { x })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text as typed so far: the last word of six letters or more cut to 60–85%.
fn typed_prefix(text: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let Some(w) = words.iter().rposition(|w| w.chars().count() >= 6) else {
        return text.to_string();
    };
    let chars: Vec<char> = words[w].chars().collect();
    let keep = (chars.len() * (60 + rng.below(26)) / 100).max(3);
    let cut: String = chars[..keep].iter().collect();
    let mut out: Vec<&str> = words[..w].to_vec();
    out.push(&cut);
    out.join(" ")
}

/// A help request across profiles: one to three domains, capacity and burden on every
/// axis, context, sometimes free text and (rarely) a safety signal.
fn help_request(catalog: &Catalog, rng: &mut Rng) -> Value {
    let mut leefgebieden = serde_json::Map::new();
    let k = 1 + rng.below(3);
    let domains = rng.sample(Leefgebied::ALL, k);
    for l in &domains {
        leefgebieden.insert(l.key().to_string(), json!(rng.between(1, 4)));
    }
    let axis = |rng: &mut Rng, keys: &[&str]| -> Value {
        let m: serde_json::Map<String, Value> = keys
            .iter()
            .map(|k| (k.to_string(), json!(rng.between(0, 4))))
            .collect();
        Value::Object(m)
    };
    let draagkracht = axis(
        rng,
        &[
            "lichamelijk",
            "mentaal",
            "netwerk",
            "financieel",
            "vaardigheden",
        ],
    );
    let draaglast = axis(
        rng,
        &[
            "verplichtingen",
            "zorgtaken",
            "gebeurtenissen",
            "geldzorgen",
        ],
    );
    let text = if rng.chance(0.5) {
        let words: Vec<String> = domains
            .iter()
            .filter_map(|l| catalog.taxonomy().info(**l))
            .map(|d| rng.pick(&d.synonyms).clone())
            .collect();
        words.join(", ")
    } else {
        String::new()
    };
    let signalen: Vec<&str> = if rng.chance(0.05) {
        vec![rng.pick(Signal::ALL).key()]
    } else {
        Vec::new()
    };
    json!({
        "text": text,
        "leeftijd": rng.between(16, 90),
        "gemeente": rng.pick(catalog.gemeenten()),
        "huishouden": rng.pick(Household::ALL).key(),
        "minima": rng.chance(0.3),
        "talen": if rng.chance(0.9) { vec!["nl"] } else { vec!["nl", "ar"] },
        "kan_reizen": rng.chance(0.8),
        "digitaal": rng.chance(0.7),
        "signalen": signalen,
        "leefgebieden": leefgebieden,
        "draagkracht": draagkracht,
        "draaglast": draaglast,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_change_one_word_a_little() {
        let mut rng = Rng::new(3, 0);
        for _ in 0..50 {
            let t = with_typo("hulp bij schulden", &mut rng);
            assert!(t.starts_with("hulp bij s"), "{t}");
            assert_ne!(t, "hulp bij schulden");
            assert!(strsim::damerau_levenshtein(&t, "hulp bij schulden") <= 1);
        }
        assert_eq!(with_typo("de bus", &mut rng), "de bus");
    }

    #[test]
    fn prefixes_cut_the_last_long_word() {
        let mut rng = Rng::new(3, 0);
        let p = typed_prefix("buurthuis wilgenhof", &mut rng);
        assert!(
            p.starts_with("buurthuis wilg") && p.len() < "buurthuis wilgenhof".len(),
            "{p}"
        );
    }
}

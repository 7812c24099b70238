//! Crisis language in free text: words that mean someone may be in danger now.
//!
//! One detector for every text a person types: Search, Suggest, Match and the web page
//! all call [`signals_in`]. A match acts like the safety signal it stands for, even when
//! nobody ticked it. Phrases are compared after analysis (folding, stemming), word by
//! word in any order, so "hij sloeg me" and "ik werd geslagen" are found alike; words of
//! seven letters or more also match with one typo ("zelfmoort"), and a few unmistakable
//! word parts match inside compounds ("zelfmoordgedachten"). First and third person,
//! Dutch and English, direct and indirect phrasings are listed. False alarms cost a
//! crisis line at the top of the list; a miss can cost a life, so the list leans wide.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::domain::Signal;
use crate::search::analysis;

/// Phrases per signal, reviewed data: `crisis_phrases.toml` beside this file.
const PHRASES_TOML: &str = include_str!("crisis_phrases.toml");

/// The phrase lists by signal key, in [`Signal::ALL`] order.
fn phrase_lists() -> Vec<(Signal, Vec<String>)> {
    let table: std::collections::BTreeMap<String, Vec<String>> =
        toml::from_str(PHRASES_TOML).expect("crisis_phrases.toml is valid (a unit test checks)");
    Signal::ALL
        .iter()
        .map(|s| (*s, table.get(s.key()).cloned().unwrap_or_default()))
        .collect()
}

/// Unmistakable word parts: found inside any word, so compounds count too.
const PARTS: &[(Signal, &str)] = &[
    (Signal::Suicidaal, "zelfmoord"),
    (Signal::Suicidaal, "suicid"),
    (Signal::Suicidaal, "zelfdoding"),
    (Signal::HuiselijkGeweld, "partnergeweld"),
    (Signal::HuiselijkGeweld, "mishandel"),
    (Signal::HuiselijkGeweld, "huiselijkgeweld"),
    (Signal::Kindermishandeling, "kindermishandel"),
    (Signal::Kindermishandeling, "kindermisbruik"),
    (Signal::Dakloos, "dakloos"),
    (Signal::AcuutGevaar, "levensgevaar"),
    (Signal::AcuutGevaar, "overdosis"),
];

/// Shortest word being typed that counts when it is the start of a word part above
/// ("zelfmoo" while typing "zelfmoord").
const TYPED_PART_MIN_CHARS: usize = 6;

/// Shortest word that may match with one typo.
const FUZZY_MIN_CHARS: usize = 7;

struct Detector {
    /// Per signal, its phrases as sets of stems.
    phrases: Vec<(Signal, Vec<Vec<String>>)>,
    /// Every stem the phrases use.
    vocabulary: HashSet<String>,
    /// One-letter deletions of the longer stems, to the stems they come from.
    deletions: HashMap<String, Vec<String>>,
}

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        let phrases: Vec<(Signal, Vec<Vec<String>>)> = phrase_lists()
            .into_iter()
            .map(|(signal, phrases)| (signal, phrases.iter().map(|p| analysis::stems(p)).collect()))
            .collect();
        let vocabulary: HashSet<String> = phrases
            .iter()
            .flat_map(|(_, list)| list.iter().flatten().cloned())
            .collect();
        let mut deletions: HashMap<String, Vec<String>> = HashMap::new();
        for word in &vocabulary {
            if word.chars().count() >= FUZZY_MIN_CHARS {
                for d in one_deletion(word) {
                    deletions.entry(d).or_default().push(word.clone());
                }
            }
        }
        Detector {
            phrases,
            vocabulary,
            deletions,
        }
    })
}

/// The word itself and every form with one letter left out.
fn one_deletion(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = vec![word.to_string()];
    for skip in 0..chars.len() {
        out.push(
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .collect(),
        );
    }
    out
}

impl Detector {
    /// The phrase stems `text` contains, each with the word positions where it occurs:
    /// exact, or within one typo of a longer stem.
    fn known_words(&self, text: &str) -> HashMap<String, Vec<usize>> {
        let mut found: HashMap<String, Vec<usize>> = HashMap::new();
        // Sentences apart: a phrase never spans "op straat beroofd. Ze slaapt slecht".
        let mut at = 0;
        let words = text
            .split(['.', '!', '?', ';', '\n'])
            .flat_map(|sentence| {
                at += 64;
                let start = at;
                let stems = analysis::stems(sentence);
                at += stems.len();
                stems
                    .into_iter()
                    .enumerate()
                    .map(move |(i, w)| (start + i, w))
            })
            .collect::<Vec<_>>();
        for (at, word) in words {
            if self.vocabulary.contains(&word) {
                found.entry(word).or_default().push(at);
                continue;
            }
            if word.chars().count() < FUZZY_MIN_CHARS {
                continue;
            }
            for d in one_deletion(&word) {
                for known in self.deletions.get(&d).into_iter().flatten() {
                    found.entry(known.clone()).or_default().push(at);
                }
            }
        }
        found
    }
}

/// Extra words a phrase may be spread over ("bang ben ik voor mijn ex" for "bang voor
/// mijn ex"); words further apart belong to different thoughts ("de kinderen komen
/// niet ... ik ben alleen thuis").
const PHRASE_SLACK: usize = 6;

/// Whether all words of `phrase` occur in `words` close together.
fn occurs(phrase: &[String], words: &HashMap<String, Vec<usize>>) -> bool {
    let Some(lists) = phrase
        .iter()
        .map(|w| words.get(w))
        .collect::<Option<Vec<&Vec<usize>>>>()
    else {
        return false;
    };
    let span = phrase.len() + PHRASE_SLACK;
    // Some window of `span` positions holds every word.
    lists[0].iter().any(|&anchor| {
        (anchor.saturating_sub(span - 1)..=anchor).any(|from| {
            lists
                .iter()
                .all(|l| l.iter().any(|&p| p >= from && p < from + span))
        })
    })
}

/// Word starts that mark a clause as talk about crisis, not a crisis: training, policy,
/// reports, the past ("training suïcidepreventie", "TS in voorgeschiedenis").
const ABOUT_NOT_IN: &[&str] = &[
    "training",
    "scholing",
    "voorlichting",
    "cursus",
    "beleid",
    "rapportage",
    "lotgenot",
    "nabestaande",
    "workshop",
    "webinar",
    "voorgeschiedenis",
    "verleden",
    "vroeger",
    "geleden",
    "previous",
    "history",
    "stabiel",
    "klachtenvrij",
    "uitgevraagd",
    "screening",
];

/// Negations that, right before a word starting as below, say the crisis is absent
/// ("geen suïcidale gedachten", "no signs of abuse").
const NEGATIONS: &[&str] = &["geen", "zonder", "ontkent", "no", "denies", "without"];
const NEGATED: &[&str] = &[
    "suicid",
    "doodswens",
    "zelfbeschad",
    "zelfdod",
    "signal",
    "aanwijzing",
    "risico",
    "sign",
    "gevaar",
    "acuut",
    "zorgen",
];

/// `text` without its clauses about crisis (training, policy, the past) and without
/// negated crisis words; what is left is where crisis language counts.
fn where_it_counts(text: &str) -> String {
    let mut kept = Vec::new();
    for clause in text.split(['.', '!', '?', ';', ':', '\n', ',', '(', ')']) {
        let words: Vec<String> = analysis::normalize(clause)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if words
            .iter()
            .any(|w| ABOUT_NOT_IN.iter().any(|m| w.contains(m)))
        {
            continue;
        }
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let negated = NEGATIONS.contains(&words[i].as_str())
                && words
                    .get(i + 1)
                    .is_some_and(|next| NEGATED.iter().any(|n| next.starts_with(n)));
            if negated {
                i += 2;
                continue;
            }
            out.push(words[i].as_str());
            i += 1;
        }
        kept.push(out.join(" "));
    }
    // Kept clauses stay one sentence each, as written.
    let ends_typing = text.ends_with(|c: char| c.is_alphanumeric());
    let mut joined = kept.join(". ");
    if !ends_typing {
        joined.push('.');
    }
    joined
}

/// The signals whose crisis language occurs in `text`, in a fixed order.
pub fn signals_in(text: &str) -> Vec<Signal> {
    let d = detector();
    let text = &where_it_counts(text);
    let words = d.known_words(text);
    let normalized = analysis::normalize(text);
    let folded = normalized.replace(' ', "");
    let typing = text
        .ends_with(|c: char| c.is_alphanumeric())
        .then(|| normalized.rsplit(' ').next())
        .flatten()
        .filter(|w| w.chars().count() >= TYPED_PART_MIN_CHARS)
        // A whole word of the phrases ("partner") is typed out, not the start of a part.
        .filter(|w| !d.vocabulary.contains(&analysis::stem(w)));
    d.phrases
        .iter()
        .filter(|(signal, phrases)| {
            phrases.iter().any(|p| !p.is_empty() && occurs(p, &words))
                || PARTS.iter().any(|(s, part)| {
                    s == signal
                        && (folded.contains(part) || typing.is_some_and(|w| part.starts_with(w)))
                })
        })
        .map(|(signal, _)| *signal)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signal_has_its_phrases() {
        let table: std::collections::BTreeMap<String, Vec<String>> =
            toml::from_str(PHRASES_TOML).unwrap();
        for s in Signal::ALL {
            assert!(table.get(s.key()).is_some_and(|l| l.len() >= 20), "{s:?}");
        }
        assert_eq!(table.len(), Signal::ALL.len(), "no unknown keys");
    }

    #[test]
    fn finds_crisis_language() {
        assert_eq!(
            signals_in("Ze denkt aan zelfmoord"),
            vec![Signal::Suicidaal]
        );
        assert_eq!(
            signals_in("Hij wil niet meer leven"),
            vec![Signal::Suicidaal]
        );
        assert_eq!(
            signals_in("Mijn partner heeft me gisteren geslagen"),
            vec![Signal::HuiselijkGeweld]
        );
        assert_eq!(
            signals_in("Ik heb vannacht geen slaapplek"),
            vec![Signal::Dakloos]
        );
        assert_eq!(
            signals_in("DAKLOOS sinds vorige week"),
            vec![Signal::Dakloos]
        );
        assert_eq!(
            signals_in("zelfmoo"),
            vec![Signal::Suicidaal],
            "while typing"
        );
        assert_eq!(signals_in("zelfmoordgedachten"), vec![Signal::Suicidaal]);
        assert_eq!(
            signals_in("hij heeft me gisteren weer geslagen"),
            vec![Signal::HuiselijkGeweld]
        );
        assert_eq!(
            signals_in("ik ben bang voor mijn ex"),
            vec![Signal::HuiselijkGeweld]
        );
        assert_eq!(
            signals_in("ik wil er een eind aan maken"),
            vec![Signal::Suicidaal]
        );
        assert_eq!(
            signals_in("geen dak boven mijn hoofd vannacht"),
            vec![Signal::Dakloos]
        );
        assert_eq!(signals_in("zelfmoort"), vec![Signal::Suicidaal], "one typo");
        assert_eq!(
            signals_in("geen werk, en hij wil niet meer leven"),
            vec![Signal::Suicidaal],
            "a negation elsewhere does not hide it"
        );
    }

    #[test]
    fn ordinary_worries_raise_no_alarm() {
        assert!(signals_in("Ik kan de huur niet betalen en voel me eenzaam").is_empty());
        assert!(signals_in("Geweldig dat het leven weer lukt").is_empty());
        assert!(signals_in("").is_empty());
        for text in [
            "Jongen van 17, is door corona zijn baan bij een productiebedrijf kwijt. Zit thuis te gamen en hangt op straat, thuis veel ruzie. Geeft meer uit dan hij heeft.",
            "vier het leven",
            "slaapproblemen",
            "ik wil niet meer naar school",
            "mijn baan is in gevaar",
            "de verwarming is uitgezet",
            "ik gun het je",
            "dood moe van de mantelzorg",
            "somber, geen suïcidale gedachten, wachtlijst GGZ",
            "training suïcidepreventie voor wijkteammedewerkers",
            "screening huiselijk geweld: geen signalen",
            "TS in voorgeschiedenis (2015), nu stabiel",
        ] {
            assert_eq!(signals_in(text), vec![], "{text}");
        }
    }

    /// Crisis texts and ordinary questions written apart from the phrase lists (a
    /// reviewer's set, `tests/eval/crisis-texts.tsv` and `ordinary-texts.txt`): the
    /// detector finds nearly all crises and rarely raises a false alarm. Both rates are
    /// printed, so a change shows what it costs.
    #[test]
    fn recall_and_false_alarms_on_the_reviewers_texts() {
        recall_and_false_alarms("crisis-texts.tsv", "ordinary-texts.txt");
    }

    /// The same for short search-box queries from a second reviewer.
    #[test]
    fn recall_and_false_alarms_on_search_box_queries() {
        recall_and_false_alarms("crisis-queries.tsv", "ordinary-queries.txt");
    }

    fn recall_and_false_alarms(crisis_file: &str, ordinary_file: &str) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
        let crises = std::fs::read_to_string(root.join(crisis_file)).unwrap();
        let mut missed = Vec::new();
        let mut total = 0;
        for line in crises.lines().filter(|l| !l.trim().is_empty()) {
            let (key, text) = line.split_once('\t').unwrap();
            let signal = Signal::from_key(key).unwrap();
            total += 1;
            if !signals_in(text).contains(&signal) {
                missed.push(line);
            }
        }
        let ordinary = std::fs::read_to_string(root.join(ordinary_file)).unwrap();
        let texts: Vec<&str> = ordinary.lines().filter(|l| !l.trim().is_empty()).collect();
        let alarms: Vec<&&str> = texts.iter().filter(|t| !signals_in(t).is_empty()).collect();
        println!(
            "{crisis_file}: crisis texts found {}/{total}; {ordinary_file}: false alarms {}/{}: {alarms:?}",
            total - missed.len(),
            alarms.len(),
            texts.len()
        );
        assert!(
            missed.len() * 20 <= total,
            "more than 5% of crisis texts missed: {missed:#?}"
        );
        assert!(
            alarms.len() * 50 <= texts.len(),
            "more than 2% false alarms: {alarms:#?}"
        );
    }
}

//! Crisis language in free text: words that mean someone may be in danger now.
//!
//! One detector for every text a person types: Search, Suggest and the web page
//! call [`signals_in`] (Match: [`signals_in_note`]). A match acts like the safety signal it stands for, even when
//! nobody ticked it. Phrases are compared after analysis (folding, stemming), word by
//! word in any order, so "hij sloeg me" and "ik werd geslagen" are found alike; words of
//! seven letters or more also match with one typo ("zelfmoort"), and a few unmistakable
//! word parts match inside compounds ("zelfmoordgedachten"). First and third person,
//! Dutch and English, direct and indirect phrasings are listed. False alarms cost a
//! crisis line at the top of the list; a miss can cost a life, so the list leans wide.
//! Typed texts are also read by a learned reader ([`model`]) that catches phrasings the
//! lists do not name, and the word still being typed counts as the phrase word it begins
//! when the phrase's other words were typed in full ("huiselijk gew"); intake notes in
//! Match requests are read by the lists alone, as written.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::sync::OnceLock;

use crate::domain::Signal;
use crate::search::analysis;
use crate::search::analysis::lexicon::{ByStart, Lexicon, StemId as WordId, StemSet};

mod model;

/// Phrases per signal, reviewed data: `crisis_phrases.toml` beside this file.
const PHRASES_TOML: &str = include_str!("crisis_phrases.toml");
/// Word groups that mean a crisis together: `crisis_combinations.toml`.
const COMBINATIONS_TOML: &str = include_str!("crisis_combinations.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Combinations {
    combinatie: Vec<RawCombination>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCombination {
    signaal: String,
    /// `wat_eerst`: the act must come before the person ("slaat mijn kind").
    volgorde: Option<String>,
    wie: Vec<String>,
    wat: Vec<String>,
}

/// A word of one group near a word of the other; words as stems, or as their numbers
/// in the detector's vocabulary.
struct Combination<W = String> {
    signal: Signal,
    who: Vec<W>,
    what: Vec<W>,
    /// The act comes before the person.
    what_first: bool,
}

fn combinations() -> Vec<Combination> {
    let raw: Combinations = toml::from_str(COMBINATIONS_TOML)
        .expect("crisis_combinations.toml is valid (a unit test checks)");
    let stems = |words: &[String]| -> Vec<String> {
        words.iter().flat_map(|w| analysis::stems(w)).collect()
    };
    raw.combinatie
        .iter()
        .map(|c| Combination {
            signal: Signal::from_key(&c.signaal).expect("a known signal (a unit test checks)"),
            who: stems(&c.wie),
            what: stems(&c.wat),
            what_first: match c.volgorde.as_deref() {
                None => false,
                Some("wat_eerst") => true,
                Some(other) => panic!("unknown volgorde '{other}' (a unit test checks)"),
            },
        })
        .collect()
}

/// How many words apart the two words of a combination may stand.
const COMBINATION_SPAN: usize = 6;

/// The mark before a phrase whose words must stand next to each other, in the order
/// written ("=tweede telefoon": not "de telefoon is voor de tweede keer afgesloten"). A
/// phrase without it matches its words in any order, a few words apart.
const IN_ORDER: char = '=';

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

/// Shortest word being typed that counts as each phrase word it begins (and at least
/// half of it, [`analysis::begins`]): "huiselijk gew" while typing "huiselijk geweld",
/// in a phrase of two words or more whose other words were typed in full.
const COMPLETED_MIN_CHARS: usize = 3;

struct Detector {
    /// Per signal, its phrases as sets of stems (by number).
    phrases: Vec<(Signal, Vec<Vec<WordId>>)>,
    /// The phrases (signal, phrase, by position in `phrases`) whose words must stand
    /// next to each other in order ([`IN_ORDER`]).
    in_order: HashSet<(usize, usize)>,
    /// Word groups that mean a crisis together.
    combinations: Vec<Combination<WordId>>,
    /// Every stem the phrases use, numbered.
    vocabulary: Lexicon,
    /// Per stem (by number), the phrases (signal, phrase, by position in `phrases`)
    /// that start with it: a text is checked against the phrases that can occur in it.
    by_first_word: Vec<Vec<(usize, usize)>>,
    /// One-letter deletions of the longer stems, to the stems they come from.
    deletions: HashMap<String, Vec<WordId>>,
    /// The words of phrases of two words or more as written, in order: those a word being
    /// typed begins (a word begun alone is no phrase).
    by_start: ByStart,
    /// The learned reader: phrasings the lists do not name.
    model: model::Model,
}

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        let phrases: Vec<(Signal, Vec<Vec<String>>)> = phrase_lists()
            .into_iter()
            .map(|(signal, phrases)| {
                let stems = phrases
                    .iter()
                    .map(|p| analysis::stems(p.trim_start_matches(IN_ORDER)));
                (signal, stems.collect())
            })
            .collect();
        let combinations = combinations();
        let mut vocabulary = Lexicon::default();
        let mut number = |word: &String| vocabulary.number(word);
        let phrases: Vec<(Signal, Vec<Vec<WordId>>)> = phrases
            .iter()
            .map(|(signal, list)| {
                let list = list.iter().map(|p| p.iter().map(&mut number).collect());
                (*signal, list.collect())
            })
            .collect();
        let combinations: Vec<Combination<WordId>> = combinations
            .iter()
            .map(|c| Combination {
                signal: c.signal,
                who: c.who.iter().map(&mut number).collect(),
                what: c.what.iter().map(&mut number).collect(),
                what_first: c.what_first,
            })
            .collect();
        let mut by_first_word = vec![Vec::new(); vocabulary.len()];
        for (s, (_, list)) in phrases.iter().enumerate() {
            for (p, phrase) in list.iter().enumerate() {
                if let Some(&first) = phrase.first() {
                    by_first_word[first as usize].push((s, p));
                }
            }
        }
        let mut deletions: HashMap<String, Vec<WordId>> = HashMap::new();
        for (word, id) in vocabulary.iter() {
            if word.chars().count() >= FUZZY_MIN_CHARS {
                for d in one_deletion(word) {
                    deletions.entry(d).or_default().push(id);
                }
            }
        }
        // The words of phrases of two words or more as written: "doo" begins "dood",
        // whose stem is "dod".
        let texts = phrase_lists();
        let by_start = ByStart::of_phrases(texts.iter().zip(&phrases).flat_map(
            |((_, texts), (_, list))| {
                texts
                    .iter()
                    .zip(list)
                    .filter(|(_, stems)| stems.len() >= 2)
                    .map(|(text, stems)| (text.trim_start_matches(IN_ORDER), stems.as_slice()))
            },
        ));
        let in_order = texts
            .iter()
            .enumerate()
            .flat_map(|(s, (_, list))| {
                list.iter()
                    .enumerate()
                    .filter(|(_, text)| text.starts_with(IN_ORDER))
                    .map(move |(p, _)| (s, p))
            })
            .collect();
        Detector {
            by_start,
            phrases,
            in_order,
            combinations,
            vocabulary,
            by_first_word,
            deletions,
            model: model::Model::trained(),
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

/// The phrase words a text holds, and where.
struct Found {
    /// (word, position), sorted.
    at: Vec<(WordId, usize)>,
    /// The words the text holds.
    present: StemSet,
    /// The stem of the text's last word and its position.
    last: Option<(String, usize)>,
}

impl Found {
    fn has(&self, w: WordId) -> bool {
        self.present.contains(w)
    }

    fn positions(&self, w: WordId) -> impl Iterator<Item = usize> + '_ {
        let from = self.at.partition_point(|&(x, _)| x < w);
        self.at[from..]
            .iter()
            .take_while(move |&&(x, _)| x == w)
            .map(|&(_, p)| p)
    }
}

impl Detector {
    /// The phrase stems `text` contains, each with the word positions where it occurs:
    /// exact, or within one typo of a longer stem.
    fn known_words(&self, text: &str) -> Found {
        let mut found: Vec<(WordId, usize)> = Vec::new();
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
        let last = words.last().cloned().map(|(at, word)| (word, at));
        for (at, word) in words {
            if let Some(id) = self.vocabulary.get(&word) {
                found.push((id, at));
                continue;
            }
            if word.chars().count() < FUZZY_MIN_CHARS {
                continue;
            }
            for d in one_deletion(&word) {
                for &id in self.deletions.get(&d).into_iter().flatten() {
                    found.push((id, at));
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        let mut present = self.vocabulary.empty_set();
        for &(id, _) in &found {
            present.insert(id);
        }
        Found {
            at: found,
            present,
            last,
        }
    }

    /// `found` with the stems of the phrase words that `typing`, the word being typed at
    /// the end of the text, begins, at its position, and those stems; `None` without
    /// such a word. A word of the vocabulary typed out is taken as meant.
    fn completed(&self, typing: Option<&str>, found: &Found) -> Option<(Found, Vec<WordId>)> {
        let typing = typing?;
        let (stem, at) = found.last.as_ref()?;
        // A stop word being typed waits for its next letter: "in dan" is no "in danger",
        // "wil er niet meer heen maar zij" no "wil er niet meer zijn".
        if analysis::is_stop_word(typing)
            || analysis::stem(typing) != *stem
            || self.vocabulary.get(stem).is_some()
        {
            return None;
        }
        let mut begun: Vec<WordId> = self
            .by_start
            .beginning_with(typing)
            .filter(|(word, _)| analysis::begins(typing, word, COMPLETED_MIN_CHARS))
            .map(|(_, id)| id)
            .collect();
        begun.sort_unstable();
        begun.dedup();
        if begun.is_empty() {
            return None;
        }
        let mut at: Vec<(WordId, usize)> = found
            .at
            .iter()
            .copied()
            .chain(begun.iter().map(|&id| (id, *at)))
            .collect();
        at.sort_unstable();
        at.dedup();
        let mut present = found.present.clone();
        for &id in &begun {
            present.insert(id);
        }
        let completed = Found {
            at,
            present,
            last: None,
        };
        Some((completed, begun))
    }
}

/// Extra words a phrase may be spread over ("bang ben ik voor mijn ex" for "bang voor
/// mijn ex"); words further apart belong to different thoughts ("de kinderen komen
/// niet ... ik ben alleen thuis").
const PHRASE_SLACK: usize = 6;

impl Detector {
    /// Whether the phrase at (signal, phrase) occurs in `found`: all its words close
    /// together, or, for a phrase marked [`IN_ORDER`], next to each other in order.
    fn occurs(&self, (s, p): (usize, usize), found: &Found) -> bool {
        let phrase = &self.phrases[s].1[p];
        if self.in_order.contains(&(s, p)) {
            phrase.first().is_some_and(|&first| {
                found.positions(first).any(|at| {
                    (phrase.iter().enumerate())
                        .all(|(i, &w)| found.positions(w).any(|x| x == at + i))
                })
            })
        } else {
            occurs(phrase, found)
        }
    }
}

/// Whether all words of `phrase` occur in `found` close together.
fn occurs(phrase: &[WordId], found: &Found) -> bool {
    if !phrase.iter().all(|&w| found.has(w)) {
        return false;
    }
    let span = phrase.len() + PHRASE_SLACK;
    // Some window of `span` positions holds every word.
    found.positions(phrase[0]).any(|anchor| {
        (anchor.saturating_sub(span - 1)..=anchor).any(|from| {
            phrase
                .iter()
                .all(|&w| found.positions(w).any(|p| p >= from && p < from + span))
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
    "stabiel",
    "klachtenvrij",
    "uitgevraagd",
    "screening",
    "camping",
    "kamperen",
    "scouting",
    "elearning",
    "signaleren",
    "inzameling",
    "spreekbeurt",
    "werkstuk",
    "scriptie",
];

/// Groups of whole words that tell of a childhood long past, by a grown-up ("toen ik
/// klein was werd ik thuis geslagen", "as a child I was abused").
const CHILDHOOD: &[&[&str]] = &[
    &["toen", "ik", "klein", "was"],
    &["in", "mijn", "jeugd"],
    &["when", "i", "was", "a", "kid"],
    &["when", "i", "was", "a", "child"],
    &["as", "a", "child"],
    &["in", "my", "childhood"],
];

/// Whether a clause's `words` are told of the past: a [`TOLD_OF_THE_PAST`] mark, a
/// [`CHILDHOOD`] group, or a childhood by its age ("toen ik 12 was", "when i was 9").
fn told_of_the_past(words: &[String]) -> bool {
    let all_in = |group: &[&str]| group.iter().all(|g| words.iter().any(|w| w == g));
    words
        .iter()
        .any(|w| TOLD_OF_THE_PAST.iter().any(|m| marks_word(w, m)))
        || CHILDHOOD.iter().any(|group| all_in(group))
        || words.windows(4).any(|w| {
            let then = matches!(
                [w[0].as_str(), w[1].as_str(), w[3].as_str()],
                ["toen", "ik", "was"]
            ) || matches!(
                [w[0].as_str(), w[1].as_str(), w[2].as_str()],
                ["when", "i", "was"]
            );
            let age = if w[0] == "toen" { &w[2] } else { &w[3] };
            then && age.parse::<u32>().is_ok_and(|a| a < 18)
        })
}

/// Word starts that put a clause in the past ("TS in voorgeschiedenis", "jaren geleden").
/// What such a clause also says of now counts ("vroeger sloeg hij me en nu doet hij het
/// weer").
const TOLD_OF_THE_PAST: &[&str] = &[
    "voorgeschiedenis",
    "verleden",
    "vroeger",
    "geleden",
    "previous",
    "history",
];

/// Whether `word` holds the mark `mark`, also as a part of a compound
/// ("suïcidepreventietraining", "nascholing"), unless the word only contains its
/// letters ([`NO_MARKS`]).
fn marks_word(word: &str, mark: &str) -> bool {
    word.contains(mark) && !NO_MARKS.iter().any(|w| word.starts_with(w))
}

/// Starts of words that contain a mark's letters but not its meaning: "overleden" is
/// no "verleden", "instabiel" no "stabiel". A clause about a death or an unstable mind
/// can be a cry for help ("sinds mijn broer is overleden wil ik mezelf van kant maken").
const NO_MARKS: &[&str] = &["overled", "instabiel", "onstabiel"];

/// Word starts that mark a clause as talk about a procedure for crisis ("meldcode
/// uitleg voor leerkrachten") unless the clause also states a suspicion
/// ([`SUSPICION`]): the meldcode is what a professional follows for a case at hand, and
/// its first call is the advice line ("vermoeden kindermishandeling meldcode stappen").
const ABOUT_UNLESS_SUSPECTED: &[&str] = &["meldcode"];

/// Word starts that state a suspicion about someone ("vermoeden", "vermoed").
const SUSPICION: &[&str] = &["vermoed"];

/// Groups of whole words that, all in one clause, mark it as talk about crisis: a word
/// like "informatie" or "herkennen" alone also stands in real cries for help ("ik wil
/// informatie want mijn man slaat me", "ik herken mezelf niet meer").
const ABOUT_PHRASES: &[&[&str]] = &[
    &["informatie", "over"],
    &["informatie", "voor"],
    &["uitleg", "over"],
    &["uitleg", "voor"],
    &["uitleg", "meldcode"],
    &["hoe", "werkt", "meldcode"],
    &["wat", "is", "meldcode"],
    &["signalen", "herkennen"],
    &["herken", "ik", "signalen"],
    &["palliatieve", "zorg"],
    &["waar", "doneren"],
    &["vrijwilligerswerk", "bij"],
    &["vrijwilliger", "worden"],
    &["iets", "doen", "voor", "dakloze"],
    &["iets", "doen", "voor", "daklozen"],
];

/// Words that put a clause in the past ("er was brand vorige week"): acute danger is
/// danger now, so such a clause does not raise it (other signals still count: "sinds
/// vorige week dakloos" is a crisis today).
const PAST: &[&str] = &[
    "was",
    "waren",
    "vorige",
    "vorig",
    "afgelopen",
    "toen",
    "last",
];

/// Words that put a clause later ("we staan volgende maand op straat", "komt binnenkort
/// vrij en heeft geen woning"): a home lost later is a worry for help with housing, not a
/// night without a roof.
const LATER: &[&str] = &[
    "volgende",
    "komende",
    "binnenkort",
    "straks",
    "next",
    "soon",
];

/// Threat verbs: what follows them in a clause is threatened, not done ("we dreigen uit
/// huis gezet te worden"), so for a signal that is only about now the clause counts up to
/// the verb ("ik slaap op straat en mijn vader dreigt ..." still counts), unless it says
/// now ([`NOW`]).
const THREATENED: &[&str] = &["dreigt", "dreigen", "dreig", "dreigde", "dreigden"];

/// Words of fear that, followed by what is feared ([`FEARED`]) and a home lost
/// ([`LOSING`]), put the loss later: "bang dat we op straat komen te staan" is a worry
/// about a home, not a night without one. For a signal that is only about now the clause
/// counts up to the fear, like a threat. A fear beside a night outside ("bezorgd om mij
/// want ik slaap al weken op straat", "scared to sleep on the street") is no such worry:
/// a word of sleeping ([`SLEEPING`]) keeps the clause.
const FEARS: &[&str] = &[
    "bang",
    "doodsbang",
    "vrees",
    "vreest",
    "afraid",
    "scared",
    "worried",
    "bezorgd",
];
/// What follows a fear ([`FEARS`]) when it names what is feared.
const FEARED: &[&str] = &["dat", "om", "that", "of", "to"];
/// Words of coming to lose a home ("op straat komen te staan", "dakloos worden",
/// "kwijtraken", "end up", "become homeless").
const LOSING: &[&str] = &[
    "komen", "komt", "kom", "worden", "word", "wordt", "raken", "raak", "kwijt", "gezet",
    "belanden", "beland", "end", "become", "lose", "losing", "evicted", "moet", "moeten", "must",
    "sta", "staan", "staat", "be",
];
/// Words of sleeping somewhere, which keep a clause about tonight.
const SLEEPING: &[&str] = &[
    "slaap", "slaapt", "slapen", "sliep", "sleep", "sleeping", "slept", "nacht", "nachten",
    "night", "nights",
];

/// Whether a fear of losing a home starts at word `i` ([`FEARS`]).
fn fears_at(words: &[String], i: usize) -> bool {
    FEARS.contains(&words[i].as_str())
        && words
            .get(i + 1)
            .is_some_and(|w| FEARED.contains(&w.as_str()))
        && words
            .iter()
            .skip(i + 2)
            .any(|w| LOSING.contains(&w.as_str()))
        && !words.iter().any(|w| SLEEPING.contains(&w.as_str()))
}

/// Words that open a span of time to come: "over twee weken", "in 3 months".
const AFTER: &[&str] = &["over", "in"];
/// Units of such a span. Not days: "in dagen niet in een bed geslapen".
const SPAN_UNITS: &[&str] = &[
    "week", "weken", "maand", "maanden", "jaar", "weeks", "month", "months", "year", "years",
];
/// Words that turn such a span into one gone by ("in de afgelopen weken", "in the past
/// months").
const SPAN_GONE: &[&str] = &["afgelopen", "laatste", "vorige", "last", "past"];
/// At most this many words from [`AFTER`] to the unit.
const SPAN_REACH: usize = 3;

/// Whether `words` name a span of time to come: [`AFTER`], then a count, then a unit
/// ([`SPAN_UNITS`]) within [`SPAN_REACH`] words. A unit right after the word is no span
/// to come ("haven't slept in a bed in weeks").
fn time_to_come(words: &[String]) -> bool {
    (0..words.len()).any(|i| {
        AFTER.contains(&words[i].as_str())
            && (i + 2..=(i + SPAN_REACH).min(words.len() - 1)).any(|j| {
                SPAN_UNITS.contains(&words[j].as_str())
                    && !words[i + 1..j]
                        .iter()
                        .any(|w| SPAN_GONE.contains(&w.as_str()))
            })
    })
}

/// Words that say it is well now ("jaren geleden agressief maar nu gaat het goed").
const WELL: &[&str] = &[
    "goed", "beter", "veilig", "rustig", "safe", "fine", "better", "okay", "ok",
];

/// Pairs of words that put a clause long ago ("vorig jaar", "two years ago").
const LONG_AGO: &[[&str; 2]] = &[
    ["vorig", "jaar"],
    ["vorige", "jaar"],
    ["afgelopen", "jaar"],
    ["years", "ago"],
    ["year", "ago"],
    ["months", "ago"],
    ["last", "year"],
];

/// Whether a clause's `words` hold a [`LONG_AGO`] pair.
fn long_ago(words: &[String]) -> bool {
    words
        .windows(2)
        .any(|pair| LONG_AGO.iter().any(|ago| pair == ago))
}

/// Words of worry or of a return that, after a clause saying it is well now, say it may
/// not be over ("nu is het rustig, maar ik ben bang dat het weer gebeurt").
const NOT_OVER: &[&str] = &[
    "bang",
    "doodsbang",
    "bezorgd",
    "afraid",
    "scared",
    "worried",
    "weer",
    "opnieuw",
    "again",
];

/// Whether `clauses` say it is well now: a clause with a word of now ([`NOW`]) and of
/// being well ([`WELL`]), with no word that it may not be over ([`NOT_OVER`]) in it or
/// after it ("het gaat nu echt beter", "i'm safe now but i still get panic attacks").
fn well_now(clauses: &[(usize, Vec<String>)]) -> bool {
    let has = |words: &[String], list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    (0..clauses.len()).any(|k| {
        let words = &clauses[k].1;
        has(words, NOW)
            && has(words, WELL)
            && !clauses[k..].iter().any(|(_, later)| has(later, NOT_OVER))
    })
}

/// Words that say it happens again ("nu doet hij het weer").
const AGAIN: &[&str] = &["weer", "opnieuw", "again"];

/// Words that keep a clause now whatever else it says ("vorige week uit huis gezet, nu
/// op straat").
const NOW: &[&str] = &[
    "nu", "vannacht", "vanavond", "vandaag", "tonight", "today", "now",
];

/// Idioms built on a crisis word that mean nothing of the kind: the verbs, and words that
/// anywhere in the same clause turn them into the idiom ("hij slaat dicht", "slaat de
/// deur dicht", "dat slaat nergens op", "slaat zijn huiswerk over"); the verb is dropped.
const IDIOMS: &[(&[&str], &[&str])] = &[
    (&["slaat", "sla"], &["dicht"]),
    (&["slaat"], &["nergens", "over"]),
    // A light that burns is on, not on fire ("het licht brandt de hele nacht").
    (
        &["brandt", "branden"],
        &["licht", "lamp", "lampje", "lampen", "verlichting"],
    ),
    // Hurting someone's feelings.
    (&["hurt"], &["feelings"]),
    // Sales or income that collapsed ("de omzet is ingestort").
    (
        &["ingestort", "instort", "instorten"],
        &[
            "omzet",
            "inkomen",
            "inkomsten",
            "winst",
            "verkoop",
            "opdrachten",
            "bedrijf",
            "markt",
            "koers",
            "sales",
            "income",
            "business",
        ],
    ),
    // Drowning in paperwork, an overdose of forms: too much of a burden.
    (
        &[
            "verdrink",
            "verdrinkt",
            "verdrinken",
            "verzuip",
            "verzuipt",
            "drowning",
            "drown",
        ],
        BURDENS,
    ),
    (&["overdosis", "overdose"], BURDENS),
    // Slipping away ("ertussenuit geknepen") and being scared ("'m knijpen") are no
    // pinching. Not "hem": "mama knijpt hem" is a child hurt.
    (
        &["geknepen", "knijpt", "knijp", "kneep"],
        &["ertussenuit", "tussenuit", "m"],
    ),
    // Shutting oneself in is withdrawing, not being locked up.
    (&["sluit", "sluiten", "sloot"], &["zich", "zichzelf"]),
    // A crossing, a road or a way of getting about that is very dangerous is a hazard
    // to report, not a life in danger now.
    (
        &["levensgevaarlijk", "levensgevaarlijke"],
        &[
            "kruispunt",
            "oversteek",
            "oversteekplaats",
            "verkeer",
            "verkeerslichten",
            "fiets",
            "fietsen",
            "fietst",
            "brommer",
            "scooter",
            "scootmobiel",
            "rijden",
            "rijdt",
            "stoep",
            "fietspad",
            "rotonde",
        ],
    ),
];

/// Ways of saying "ombrengen" (to kill), also written apart ("dreigt zijn moeder om te
/// brengen", "wil haar om het leven brengen"), and the word of the phrase lists they are
/// read as. Not "ombrengen" itself in the lists: within a typo it is "opbrengen".
const SEPARATED: &[(&[&str], &str)] = &[
    (&["om", "het", "leven", "te", "brengen"], "doodmaken"),
    (&["om", "het", "leven", "brengen"], "doodmaken"),
    (&["om", "te", "brengen"], "doodmaken"),
    (&["ombrengen"], "doodmaken"),
    (&["ombrengt"], "doodmaken"),
    (&["ombracht"], "doodmaken"),
];

/// Reads the words of a [`SEPARATED`] verb as one, so that the phrase lists see it
/// (their stop words would leave only "brengen").
fn fold_separated(words: &mut Vec<String>) {
    for (parts, joined) in SEPARATED {
        while let Some(at) = words.windows(parts.len()).position(|w| w == *parts) {
            words.splice(at..at + parts.len(), std::iter::once((*joined).to_string()));
        }
    }
}

/// Words that say someone is gone, said of another ("sinds mijn vrouw er niet meer is",
/// "nu hij er niet meer is"): right after [`SINCE`] they speak of a death, a loss to
/// grieve, and are dropped. Said of what may come ("beter af als hij er niet meer is",
/// "zegt nu elke dag dat het beter is als hij er niet meer is") they stay: that is how a
/// wish to die is reported.
const DEPARTED: &[&[&str]] = &[&["er", "niet", "meer", "is"], &["is", "er", "niet", "meer"]];

/// Words that put a loss before now ("sinds", "nu").
const SINCE: &[&str] = &["sinds", "nu", "since"];

/// Words that make what follows a condition or a report, not a loss ("als", "dat").
const CONDITIONAL: &[&str] = &["als", "dat", "wanneer", "zodra", "if", "when", "that"];

/// At most this many words (the one who is gone) between [`SINCE`] and [`DEPARTED`].
const SINCE_REACH: usize = 3;

/// The length of a [`DEPARTED`] phrase at `i` when a [`SINCE`] word stands at most
/// [`SINCE_REACH`] words before it with no [`CONDITIONAL`] word in between.
fn departed_since(words: &[String], i: usize) -> Option<usize> {
    let gone = DEPARTED
        .iter()
        .find(|d| words.len() >= i + d.len() && d.iter().zip(&words[i..]).all(|(a, b)| a == b))?;
    let from = i.saturating_sub(SINCE_REACH + 1);
    let since = (from..i)
        .rev()
        .find(|&j| SINCE.contains(&words[j].as_str()))?;
    let between = &words[since + 1..i];
    (!between.iter().any(|w| CONDITIONAL.contains(&w.as_str()))).then_some(gone.len())
}

/// Whether the word at `i` is "straat" in "op straat gezet" by the boss: dismissed, not
/// homeless ("baas heeft me op straat gezet na 20 jaar"). Not when the clause also speaks
/// of sleeping, staying or a place to live ("de baas van het pension heeft me op straat
/// gezet", "ik slaap op straat sinds mijn werkgever me ontsloeg").
fn dismissed(words: &[String], i: usize) -> bool {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    words[i] == "straat" && has(BOSSES) && has(PUT_OUT) && !has(HOUSING)
}

/// Whether the word at `i` is food burning on, the separable verb "aanbranden" ("het
/// eten brandt aan"): forgetfulness, not a fire. "Het brandt aan de overkant" (a place
/// follows) stays a fire.
fn burns_on(words: &[String], i: usize) -> bool {
    let at = |j: usize| words.get(j).map(String::as_str);
    at(i) == Some("brandt")
        && at(i + 1) == Some("aan")
        && !matches!(
            at(i + 2),
            Some("de" | "het" | "een" | "the" | "onze" | "mijn")
        )
}

/// Words of news, films and books, whose topic ("het nieuws over die steekpartij", "a
/// documentary about a fire") is something heard of, not happening to the caller.
const MEDIA: &[&str] = &[
    "nieuws",
    "journaal",
    "documentaire",
    "film",
    "serie",
    "artikel",
    "krant",
    "boek",
    "podcast",
    "news",
    "documentary",
    "movie",
    "series",
    "article",
    "book",
];
/// What names the topic after a [`MEDIA`] word.
const TOPIC: &[&str] = &["over", "about"];
/// At most this many words of a topic.
const TOPIC_REACH: usize = 3;
/// Words that end a topic: what follows them is said again of the caller ("na het
/// nieuws over de brand wil ik dood", "een film over zelfmoord en sindsdien ...").
const TOPIC_ENDS: &[&str] = &[
    "en",
    "maar",
    "want",
    "dat",
    "sinds",
    "sindsdien",
    "ik",
    "wil",
    "ga",
    "ben",
    "heb",
    "voel",
    "and",
    "but",
    "that",
    "since",
    "i",
    "want",
    "am",
    "feel",
];
/// Words that make a topic the caller's own ("het nieuws over de brand in onze flat").
const OWN: &[&str] = &[
    "mijn", "mn", "onze", "ons", "mij", "me", "my", "our", "me", "us",
];

/// The number of words to leave out at `i` when it opens the topic of a [`MEDIA`] word
/// right before it (or with one word between): the [`TOPIC`] word and at most
/// [`TOPIC_REACH`] words after it, up to a [`TOPIC_ENDS`] word. Not when the topic or
/// the two words after it are the caller's own ([`OWN`]).
fn in_the_news(words: &[String], i: usize) -> Option<usize> {
    let is = |j: usize, list: &[&str]| words.get(j).is_some_and(|w| list.contains(&w.as_str()));
    let after_media = is(i.wrapping_sub(1), MEDIA) || is(i.wrapping_sub(2), MEDIA);
    if !(is(i, TOPIC) && after_media) || (i + 1..=i + TOPIC_REACH + 2).any(|j| is(j, OWN)) {
        return None;
    }
    let topic = (i + 1..words.len())
        .take(TOPIC_REACH)
        .take_while(|&j| !is(j, TOPIC_ENDS))
        .count();
    Some(1 + topic)
}

/// Hitting words said of a child among other children ("mijn dochter van 4 slaat andere
/// kinderen op de opvang"): a worry for a parent, not violence at home.
const HITS: &[&str] = &[
    "slaat", "slaan", "sloeg", "schopt", "schoppen", "bijt", "bijten", "hits", "hit", "kicks",
    "bites",
];
/// Other children, as pairs of words.
const OTHER_CHILDREN: &[[&str; 2]] = &[
    ["andere", "kinderen"],
    ["andere", "kindjes"],
    ["andere", "kids"],
    ["other", "children"],
    ["other", "kids"],
];

/// Children who may hit other children.
const CHILDREN: &[&str] = &[
    "kind",
    "kindje",
    "dochter",
    "dochtertje",
    "zoon",
    "zoontje",
    "peuter",
    "kleuter",
    "child",
    "kid",
    "son",
    "daughter",
    "toddler",
];
/// Grown-ups who may hit a child ("mijn vader slaat mij en andere kinderen").
const GROWN_UPS: &[&str] = &[
    "vader",
    "moeder",
    "stiefvader",
    "stiefmoeder",
    "man",
    "vrouw",
    "partner",
    "vriend",
    "vriendin",
    "ouders",
    "papa",
    "mama",
    "oom",
    "tante",
    "opa",
    "oma",
    "juf",
    "meester",
    "leider",
    "father",
    "mother",
    "dad",
    "mum",
    "mom",
    "husband",
    "wife",
    "boyfriend",
    "girlfriend",
    "uncle",
    "teacher",
    "stepfather",
];

/// Whether the word at `i` is a [`HITS`] word said of a child ([`CHILDREN`]) before it
/// in a clause about [`OTHER_CHILDREN`] and no grown-up ([`GROWN_UPS`]).
fn hits_other_children(words: &[String], i: usize) -> bool {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    HITS.contains(&words[i].as_str())
        && words[..i].iter().any(|w| CHILDREN.contains(&w.as_str()))
        && !has(GROWN_UPS)
        && words
            .windows(2)
            .any(|pair| OTHER_CHILDREN.iter().any(|other| pair == other))
}

/// Whether the word at `i` is "bij" in "komt niet meer bij de supermarkt": getting
/// somewhere, not coming round. "Hij komt niet meer bij" (no place follows) stays a body
/// in danger.
fn comes_by(words: &[String], i: usize) -> bool {
    const COMES: &[&str] = &["komt", "kom", "komen", "kwam", "kwamen"];
    const A_PLACE: &[&str] = &[
        "de", "het", "een", "haar", "zijn", "mijn", "hun", "onze", "ons", "familie", "vrienden",
    ];
    words[i] == "bij"
        && words
            .get(i + 1)
            .is_some_and(|w| A_PLACE.contains(&w.as_str()))
        && words[i.saturating_sub(4)..i]
            .iter()
            .any(|w| COMES.contains(&w.as_str()))
}

/// Who dismisses.
const BOSSES: &[&str] = &["baas", "werkgever", "boss", "employer"];
/// Putting out.
const PUT_OUT: &[&str] = &["gezet", "zetten", "zet", "zette"];
/// Words of sleeping, staying or a place to live.
const HOUSING: &[&str] = &[
    "slaap",
    "slapen",
    "sliep",
    "slaapt",
    "slaapplek",
    "sta",
    "staan",
    "staat",
    "leef",
    "leven",
    "beland",
    "belandt",
    "kamer",
    "woning",
    "huis",
    "pension",
    "onderdak",
    "woon",
    "woont",
    "woonde",
    "wonen",
    "opvang",
];

/// What one drowns in, or has an overdose of, in the figure of speech.
const BURDENS: &[&str] = &[
    "papierwerk",
    "paperwork",
    "post",
    "brieven",
    "rekeningen",
    "schulden",
    "debt",
    "debts",
    "bills",
    "werk",
    "work",
    "formulieren",
    "forms",
    "administratie",
    "mail",
    "mails",
    "emails",
    "huiswerk",
    "aanmaningen",
    "informatie",
    "regels",
    "prikkels",
];

/// Verbs of threatening. Threatened with a loss of work, a home or money ("met ontslag
/// bedreigd", "de verhuurder dreigt met ontruiming") is a worry for help with work, money
/// or housing, not for someone's safety: there the verb is dropped and the loss itself
/// finds its help (an eviction done, today or tomorrow counts for `dakloos`; one
/// threatened does not).
const THREAT_VERBS: &[&str] = &[
    "bedreigd",
    "bedreigt",
    "dreigt",
    "dreigen",
    "dreigde",
    "gedreigd",
    "threatened",
    "threatens",
];
/// The losses of [`THREAT_VERBS`]: only as what is threatened with ("met"), right beside
/// the verb; a threat in the same clause as such a word ("hij dreigt te schieten als de
/// deurwaarder komt") stays a threat.
const THREATENED_LOSSES: &[&str] = &[
    "ontslag",
    "ontruiming",
    "uitzetting",
    "afsluiting",
    "rechtszaak",
    "beslag",
    "beslaglegging",
    "boete",
    "incasso",
    "deurwaarder",
    "schorsing",
    "stopzetting",
    "eviction",
    "dismissal",
    "lawsuit",
];

/// Whether the word at `i` threatens with one of [`THREATENED_LOSSES`]: "met" or "with",
/// at most one article, then the loss, right after the verb ("dreigt met ontslag", "dreigt
/// nu met een rechtszaak") or right before it ("met ontslag bedreigd").
fn threatens_a_loss(words: &[String], i: usize) -> bool {
    let at = |j: usize| words.get(j).map(String::as_str);
    let loss = |j: usize| at(j).is_some_and(|w| THREATENED_LOSSES.contains(&w));
    let article = |j: usize| matches!(at(j), Some("een" | "de" | "het" | "a" | "an" | "the"));
    let with = |j: usize| {
        matches!(at(j), Some("met" | "with")) && (loss(j + 1) || (article(j + 1) && loss(j + 2)))
    };
    THREAT_VERBS.contains(&words[i].as_str())
        && (with(i + 1) || with(i + 2) || (i >= 2 && with(i - 2)) || (i >= 3 && with(i - 3)))
}

/// Negations that, right before a word starting as below, say the crisis is absent
/// ("geen suïcidale gedachten", "no signs of abuse").
const NEGATIONS: &[&str] = &[
    "geen", "zonder", "ontkent", "niet", "no", "not", "denies", "without",
];
const NEGATED: &[&str] = &[
    "agressie",
    "agressief",
    "gewelddadig",
    "violent",
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

/// Words between a negation and what it negates in an assessment: "ontkent gedachten
/// aan zelfdoding", "no thoughts of suicide".
const NEGATED_THOUGHTS: &[&str] = &["gedachten", "thoughts"];
const NEGATED_ABOUT: &[&str] = &["aan", "over", "of", "about"];

/// The number of words a negation at `i` takes out with what it negates ([`NEGATIONS`]
/// right before a word of [`NEGATED`], or before thoughts of one), if one stands there.
fn negated_at(words: &[String], i: usize) -> Option<usize> {
    let crisis = |j: usize| {
        words
            .get(j)
            .is_some_and(|w| NEGATED.iter().any(|n| w.starts_with(n)))
    };
    let is = |j: usize, list: &[&str]| words.get(j).is_some_and(|w| list.contains(&w.as_str()));
    if !NEGATIONS.contains(&words[i].as_str()) {
        None
    } else if crisis(i + 1) {
        Some(2)
    } else if is(i + 1, NEGATED_THOUGHTS) && is(i + 2, NEGATED_ABOUT) && crisis(i + 3) {
        Some(4)
    } else {
        None
    }
}

/// `text` with the brackets around an age taken away ("vader (88) wordt geknepen",
/// "Dochter (16 jr)"): an age belongs to the person it follows, so it does not cut
/// the clause between who and what happens. Other brackets stay clause marks.
fn ages_unbracketed(text: &str) -> std::borrow::Cow<'_, str> {
    const UNITS: [&str; 7] = ["", "jaar", "jr", "j", "mnd", "maanden", "weken"];
    // A number of at most three digits, then perhaps a unit, written apart or not
    // ("88", "16 jr.", "88j").
    let is_age = |inner: &str| {
        let inner = inner.trim();
        let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
        let unit = inner[digits..].trim().trim_end_matches('.').to_lowercase();
        (1..=3).contains(&digits) && UNITS.contains(&unit.as_str())
    };
    let mut out: Option<String> = None;
    let mut rest = text;
    let mut done = 0;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        if is_age(&rest[open + 1..close]) {
            // The brackets and a full stop in them go (one byte each, so places stay).
            let o = out.get_or_insert_with(|| text.to_string());
            for at in done + open..=done + close {
                if matches!(text.as_bytes()[at], b'(' | b')' | b'.') {
                    o.replace_range(at..=at, " ");
                }
            }
        }
        done += close + 1;
        rest = &text[done..];
    }
    out.map_or(std::borrow::Cow::Borrowed(text), std::borrow::Cow::Owned)
}

/// The clauses of `text` where crisis language counts, each with the number of the
/// sentence it stands in: without clauses about crisis (training, policy, the past) and
/// without negated crisis words.
fn kept_clauses(text: &str, not_now: OtherTime) -> Vec<(usize, String)> {
    let mut kept = Vec::new();
    let text = ages_unbracketed(text);
    let sentences = text.split(['.', '!', '?', ';', '\n']).enumerate();
    let clauses: Vec<(usize, Vec<String>)> = sentences
        .flat_map(|(n, s)| s.split([':', ',', '(', ')']).map(move |c| (n, c)))
        .map(|(sentence, clause)| {
            let mut words: Vec<String> = analysis::normalize(clause)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(|w| analysis::written_form(w).to_string())
                .collect();
            fold_separated(&mut words);
            (sentence, words)
        })
        .collect();
    let well_now = well_now(&clauses);
    for (sentence, mut words) in clauses {
        // What happened long ago is over when the text says it is well now ("vorig jaar
        // huiselijk geweld gehad, nu gescheiden en veilig").
        let has_now = words.iter().any(|w| NOW.contains(&w.as_str()));
        if well_now && !has_now && long_ago(&words) {
            continue;
        }
        let about = |words: &[String]| {
            let has = |marks: &[&str]| words.iter().any(|w| marks.iter().any(|m| marks_word(w, m)));
            has(ABOUT_NOT_IN)
                || (has(ABOUT_UNLESS_SUSPECTED) && !has(SUSPICION))
                || ABOUT_PHRASES
                    .iter()
                    .any(|phrase| phrase.iter().all(|p| words.iter().any(|w| w == p)))
                || told_of_the_past(words)
        };
        // What a clause about crisis goes on to say of now counts, from the word of now
        // ("training gehad, nu slaat hij me"); a clause told of the past counts whole
        // when it also speaks of now ("vroeger sloeg hij me en nu doet hij het weer",
        // "hij heeft mij misbruikt toen ik klein was en doet het nu bij mijn nichtje").
        let mut still = false;
        if about(&words) {
            if let Some(at) = (1..words.len()).find(|&i| NOW.contains(&words[i].as_str())) {
                let now_said = &words[at..];
                still = !about(now_said)
                    && !now_said.iter().any(|w| WELL.contains(&w.as_str()))
                    && (told_of_the_past(&words[..at])
                        || now_said.iter().any(|w| AGAIN.contains(&w.as_str())));
                if !still {
                    words.drain(..at);
                }
            }
        }
        if !still && about(&words) {
            continue;
        }
        let now = words.iter().any(|w| NOW.contains(&w.as_str()));
        if !now
            && (words.iter().any(|w| not_now.drop.contains(&w.as_str()))
                || (not_now.spans_to_come && time_to_come(&words)))
        {
            continue;
        }
        if let Some(at) = (!now)
            .then(|| {
                (0..words.len()).position(|i| {
                    not_now.cut.contains(&words[i].as_str())
                        || (not_now.cut_fears && fears_at(&words, i))
                })
            })
            .flatten()
        {
            words.truncate(at);
        }
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            if let Some(gone) = departed_since(&words, i) {
                i += gone;
                continue;
            }
            let idiom = threatens_a_loss(&words, i)
                || dismissed(&words, i)
                || burns_on(&words, i)
                || hits_other_children(&words, i)
                || comes_by(&words, i)
                || IDIOMS.iter().any(|(verbs, markers)| {
                    verbs.contains(&words[i].as_str())
                        && words.iter().any(|w| markers.contains(&w.as_str()))
                });
            if idiom {
                i += 1;
                continue;
            }
            if let Some(length) = negated_at(&words, i).or_else(|| in_the_news(&words, i)) {
                i += length;
                continue;
            }
            out.push(words[i].as_str());
            i += 1;
        }
        kept.push((sentence, out.join(" ")));
    }
    kept
}

/// The kept clauses cut to where crisis language counts, for the phrase lists: each
/// clause a sentence of its own, so a phrase never spans two clauses. The text typed
/// last (`typed`) stays open when it was still being typed.
fn where_it_counts(kept: &[(usize, String)], typed: &str) -> String {
    let clauses: Vec<&str> = kept.iter().map(|(_, clause)| clause.as_str()).collect();
    let mut joined = clauses.join(". ");
    if !typed.ends_with(|c: char| c.is_alphanumeric()) {
        joined.push('.');
    }
    joined
}

/// The same cut for the learned reader: the kept clauses of one sentence stay together,
/// as in the whole lines it learned from ("family kicked me out, sleeping in my car").
fn sentences_that_count(kept: &[(usize, String)]) -> String {
    let mut out = String::new();
    let mut last = None;
    for (sentence, clause) in kept {
        if last.is_some() {
            out.push_str(if last == Some(*sentence) { ", " } else { ". " });
        }
        out.push_str(clause);
        last = Some(*sentence);
    }
    out
}

/// Builds the detector (phrase lists and the learned reader) if it is not built yet.
pub fn prepare() {
    static TIMED: OnceLock<()> = OnceLock::new();
    TIMED.get_or_init(|| {
        let started = std::time::Instant::now();
        detector();
        tracing::info!(
            millis = started.elapsed().as_millis() as u64,
            "crisis detector ready (phrase lists, learned reader)"
        );
    });
}

/// The signals whose crisis language occurs in a typed text (Search, Suggest, the page),
/// in a fixed order: what the phrase lists find, and what the learned reader adds.
pub fn signals_in(text: &str) -> Vec<Signal> {
    signals_read_by(text, Some(&detector().model))
}

/// The same for the text of a help request, an intake note a professional wrote: the
/// phrase lists only. The learned reader knows search-box texts; on unseen intake notes
/// (the blind Match cases) it raised false alarms from 0 to 8 of 76 and found no crisis
/// the lists missed. A Match request also carries the signals the professional ticked.
pub fn signals_in_note(text: &str) -> Vec<Signal> {
    signals_read_by(text, None)
}

/// The signals found by the phrase lists, and by `model` when given.
fn signals_read_by(text: &str, model: Option<&model::Model>) -> Vec<Signal> {
    let mut found = detect(text, OtherTime::default(), model);
    for (signal, other_time) in ONLY_NOW {
        if found.contains(signal) && !detect(text, *other_time, model).contains(signal) {
            found.retain(|s| s != signal);
        }
    }
    // Violence at home against someone who says they are a child is child abuse too:
    // its lines (the Kindertelefoon) are for them. So is a child who writes that there
    // is no food or that they are left alone for days.
    if !found.contains(&Signal::Kindermishandeling)
        && speaker_is_a_minor(text)
        && (found.contains(&Signal::HuiselijkGeweld)
            || neglected(&where_it_counts(
                &kept_clauses(text, OtherTime::default()),
                text,
            )))
    {
        found.push(Signal::Kindermishandeling);
        found.sort_by_key(|s| Signal::ALL.iter().position(|a| a == s));
    }
    found
}

/// Words of a child left without food or care at home, as the child says it: food
/// missing at home or withheld, being left alone for days. Not food missing anywhere
/// ("geen eten in de kantine", "no food i like") nor days alone by choice.
const NEGLECT: &[&str] = &[
    "geen eten in huis",
    "geen eten thuis",
    "thuis geen eten",
    "krijg geen eten",
    "krijgen geen eten",
    "dagen alleen thuis",
    "al dagen alleen",
    "dagen alleen gelaten",
    "no food at home",
    "no food in the house",
    "no food and no one",
    "alone for days",
    "left alone for days",
];

/// Whether `clauses` (the text where crisis language counts) hold one of the
/// [`NEGLECT`] phrases, as whole words.
fn neglected(clauses: &str) -> bool {
    let padded = format!(" {} ", analysis::normalize(clauses));
    NEGLECT.iter().any(|p| padded.contains(&format!(" {p} ")))
}

/// Whether the writer gives their own age, and it is under 18: "ik ben 14", "ben 13
/// jaar", "i'm 12", "im 15", "i am 16". Not a number of something else ("ik ben 10
/// minuten te laat", "ik ben 8 maanden zwanger", "ik ben 16:30 thuis") nor years of
/// something ("ik ben 15 jaar getrouwd").
fn speaker_is_a_minor(text: &str) -> bool {
    const UNITS: &[&str] = &[
        "dag", "dagen", "week", "weken", "maand", "maanden", "minuut", "minuten", "min", "uur",
        "uren", "keer", "x", "euro", "eur", "kilo", "kg", "procent", "day", "days", "weeks",
        "month", "months", "minute", "minutes", "hour", "hours", "times", "dollars",
    ];
    const YEARS_OF: &[&str] = &[
        "getrouwd",
        "samen",
        "bij",
        "met",
        "gescheiden",
        "mantelzorger",
        "werkzaam",
        "lid",
        "in",
        "weduwe",
        "weduwnaar",
        "vrijwilliger",
        "clean",
        "married",
        "together",
        "divorced",
        "sober",
    ];
    // Most texts give no number at all: no need to read their words.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let normalized = analysis::normalize(text);
    let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
    (1..words.len()).any(|i| {
        let said = matches!(words[i - 1], "ben" | "im" | "am")
            || (words[i - 1] == "m" && i >= 2 && words[i - 2] == "i");
        let next = words.get(i + 1).copied();
        let of_something = next
            .is_some_and(|w| UNITS.contains(&w) || w.bytes().all(|b| b.is_ascii_digit()))
            || (matches!(next, Some("jaar" | "years" | "jr"))
                && words.get(i + 2).is_some_and(|w| YEARS_OF.contains(w)));
        said && !of_something
            && words[i]
                .parse::<u32>()
                .is_ok_and(|age| (6..18).contains(&age))
    })
}

/// Signals that are about now, with the words that put a clause at another time: acute
/// danger is danger now ([`PAST`]); having no place to sleep is tonight's, not next
/// month's ([`LATER`]) nor a threat's ([`THREATENED`], which cut the clause). A clause
/// that also says now ([`NOW`]) still counts.
const ONLY_NOW: &[(Signal, OtherTime)] = &[
    (
        Signal::AcuutGevaar,
        OtherTime {
            drop: PAST,
            cut: &[],
            cut_fears: false,
            spans_to_come: false,
        },
    ),
    (
        Signal::Dakloos,
        OtherTime {
            drop: LATER,
            cut: THREATENED,
            cut_fears: true,
            spans_to_come: true,
        },
    ),
];

/// Words that put a clause at another time than now: `drop` the whole clause, `cut` it
/// from the word on.
#[derive(Clone, Copy, Default)]
struct OtherTime {
    drop: &'static [&'static str],
    cut: &'static [&'static str],
    /// Also cut at a fear of what may come ([`fears_at`]).
    cut_fears: bool,
    /// Also drop a clause that names a span of time to come ([`time_to_come`]).
    spans_to_come: bool,
}

/// The signals whose crisis language occurs where it counts in `typed`, for the phrase
/// lists and, when given, the learned reader.
fn detect(typed: &str, not_now: OtherTime, model: Option<&model::Model>) -> Vec<Signal> {
    let d = detector();
    let kept = kept_clauses(typed, not_now);
    let learned = model
        .map(|m| m.signals(&sentences_that_count(&kept)))
        .unwrap_or_default();
    let text = &where_it_counts(&kept, typed);
    let words = d.known_words(text);
    let normalized = analysis::normalize(text);
    // The word still being typed: the typed text's last word, when the clauses kept
    // still end in it ("huiselijk gew, training" drops its last clause, and with it the
    // open end).
    let typing = analysis::word_being_typed(text)
        .filter(|w| analysis::word_being_typed(typed).as_deref() == Some(w.as_str()));
    // Only a text being typed (read with the learned reader) is completed; an intake
    // note is read as written.
    let completed = model.and_then(|_| d.completed(typing.as_deref(), &words));
    // The signals one of whose phrases occurs.
    let mut phrased = [false; Signal::ALL.len()];
    for (s, p) in words
        .present
        .iter()
        .flat_map(|id| &d.by_first_word[id as usize])
    {
        phrased[*s] = phrased[*s] || d.occurs((*s, *p), &words);
    }
    // With the word being typed completed: only a phrase all of whose words but one
    // were typed in full, that one begun.
    if let Some((more, begun)) = &completed {
        for (s, p) in more
            .present
            .iter()
            .flat_map(|id| &d.by_first_word[id as usize])
        {
            let phrase = &d.phrases[*s].1[*p];
            let mut missing = phrase.iter().filter(|&&w| !words.has(w));
            let one_begun = match (missing.next(), missing.next()) {
                (Some(w), None) => phrase.len() >= 2 && begun.contains(w),
                _ => false,
            };
            phrased[*s] = phrased[*s] || (one_begun && d.occurs((*s, *p), more));
        }
    }
    let folded = normalized.replace(' ', "");
    let typing = typing
        .as_deref()
        .filter(|w| w.chars().count() >= TYPED_PART_MIN_CHARS)
        // A whole word of the phrases ("partner") is typed out, not the start of a part.
        .filter(|w| d.vocabulary.get(&analysis::stem(w)).is_none());
    let near = |c: &Combination<WordId>| {
        if !c.who.iter().any(|&w| words.has(w)) || !c.what.iter().any(|&w| words.has(w)) {
            return false;
        }
        let at = |group: &[WordId]| -> Vec<usize> {
            group.iter().flat_map(|&w| words.positions(w)).collect()
        };
        let (who, what) = (at(&c.who), at(&c.what));
        who.iter().any(|&a| {
            what.iter()
                .any(|&b| a != b && a.abs_diff(b) <= COMBINATION_SPAN && (!c.what_first || b < a))
        })
    };
    d.phrases
        .iter()
        .zip(phrased)
        .filter(|((signal, _), phrased)| {
            learned.contains(signal)
                || *phrased
                || d.combinations
                    .iter()
                    .any(|c| c.signal == *signal && near(c))
                || PARTS.iter().any(|(s, part)| {
                    s == signal
                        && (folded.contains(part) || typing.is_some_and(|w| part.starts_with(w)))
                })
        })
        .map(|((signal, _), _)| *signal)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_load() {
        let c = combinations();
        assert!(c.len() >= 8);
        assert!(c.iter().all(|c| !c.who.is_empty() && !c.what.is_empty()));
    }

    #[test]
    fn every_signal_has_its_phrases() {
        let table: std::collections::BTreeMap<String, Vec<String>> =
            toml::from_str(PHRASES_TOML).unwrap();
        for s in Signal::ALL {
            assert!(table.get(s.key()).is_some_and(|l| l.len() >= 20), "{s:?}");
        }
        assert_eq!(table.len(), Signal::ALL.len(), "no unknown keys");
    }

    /// Search as you type: the word being typed counts as each phrase word it begins,
    /// once another word of the phrase was typed in full.
    #[test]
    fn the_word_being_typed_completes_a_phrase() {
        assert_eq!(signals_in("huiselijk gew"), vec![Signal::HuiselijkGeweld]);
        assert_eq!(signals_in("huiselijk ge"), vec![], "under three letters");
        for (begun, signal) in [
            ("ik wil niet meer verd", Signal::Suicidaal),
            ("praat over doodg", Signal::Suicidaal),
            ("kind wordt misbr", Signal::Kindermishandeling),
        ] {
            assert_eq!(signals_in(begun), vec![signal], "{begun}");
            // The same text without the word begun holds no phrase.
            let without = begun.rsplit_once(' ').unwrap().0;
            assert_eq!(signals_in(without), vec![], "{without}");
        }
        // Finished words are taken as typed: "gew." ends the sentence.
        assert_eq!(signals_in("huiselijk gew."), vec![]);
        // A word begun alone is no phrase: "ge" or "gewe" begin many words.
        assert_eq!(signals_in("gewe"), vec![]);
        // Only the last word: "huiselijk gew en meer" holds no phrase.
        assert_eq!(signals_in("huiselijk gew en meer"), vec![]);
        // Nor a word left open when the clause after it was dropped as talk about crisis.
        assert_eq!(signals_in("huiselijk gew, training"), vec![]);
        // An intake note is read as written.
        assert_eq!(signals_in_note("huiselijk gew"), vec![]);
        // A start must be at least half of the word it stands for, and word groups of a
        // person and an act are not completed: "mijn kind ver…" is a birthday as often
        // as neglect.
        for ordinary in [
            "mijn kind ver",
            "hij bed",
            "mijn vader ach",
            "mijn man gesch",
            "ik zit in de schulden en dan",
        ] {
            for start in 1..=ordinary.len() {
                let typed = &ordinary[..start];
                assert_eq!(signals_in(typed), vec![], "{typed}");
            }
        }
    }

    #[test]
    fn a_threat_to_a_job_a_home_or_money_is_no_threat_to_safety() {
        for ordinary in [
            "bedreigd met ontslag door reorganisatie",
            "ik word met ontslag bedreigd",
            "het energiebedrijf dreigt met afsluiting",
            "de deurwaarder dreigt nu met beslag op mijn loon",
            "de verhuurder dreigt met een rechtszaak",
            "threatened with eviction",
        ] {
            assert_eq!(signals_in(ordinary), vec![], "{ordinary}");
            assert_eq!(signals_in_note(ordinary), vec![], "{ordinary}");
        }
        // A threat beside such a word, not with it, stays a threat: in a search box and
        // in an intake note alike.
        for threat in [
            "mijn ex bedreigt me",
            "ik word bedreigd",
            "hij dreigt met een mes",
            "mijn ex dreigt met geweld en met een rechtszaak",
            "mijn ex bedreigt me sinds de rechtszaak over de kinderen",
            "hij dreigt te schieten als de deurwaarder komt",
            "ik ben ontslagen en nu bedreigt mijn ex me",
            "bedreigd tijdens huisbezoek door de deurwaarder",
        ] {
            assert!(!signals_in(threat).is_empty(), "{threat}");
            assert!(!signals_in_note(threat).is_empty(), "note: {threat}");
        }
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

    /// Talk about crisis (a meldcode, how to recognise signals, information for others)
    /// raises no alarm, but the same words in a cry for help do not hide it; and a
    /// negation hides only the word it stands before.
    #[test]
    fn talk_about_crisis_is_told_from_crisis() {
        for text in [
            "meldcode kindermishandeling uitleg voor leerkrachten",
            "wat zijn de stappen van de meldcode kindermishandeling",
            "hoe herken ik signalen van suicide bij jongeren, training",
            "informatie over loverboys voor ouders",
            "mijn man drinkt te veel maar is niet agressief, hoe begin ik erover",
            "gesprek met de huisarts over palliatieve zorg voor moeder",
        ] {
            assert!(
                signals_in(text).is_empty(),
                "{text}: {:?}",
                signals_in(text)
            );
        }
        for (text, signal) in [
            ("ik herken mezelf niet meer en wil dood", Signal::Suicidaal),
            (
                "hij heeft me onherkenbaar in elkaar geslagen",
                Signal::HuiselijkGeweld,
            ),
            (
                "ik wil informatie want mijn man slaat me",
                Signal::HuiselijkGeweld,
            ),
            (
                "kan iemand uitleggen waarom ik niet meer wil leven",
                Signal::Suicidaal,
            ),
            (
                "hij is niet agressief maar zegt dat hij me gaat vermoorden",
                Signal::AcuutGevaar,
            ),
            // The meldcode followed for a suspicion at hand: its first call is the
            // advice line, in an intake note as in a search.
            (
                "vermoeden kindermishandeling meldcode stappen",
                Signal::Kindermishandeling,
            ),
        ] {
            assert!(
                signals_in(text).contains(&signal),
                "{text}: {:?}",
                signals_in(text)
            );
            assert!(
                signals_in_note(text).contains(&signal),
                "{text} (note): {:?}",
                signals_in_note(text)
            );
        }
    }

    /// Everyday senses of words in the phrase lists: a reviewer's examples of questions
    /// that must raise no alarm from the lists, typed or in an intake note.
    #[test]
    fn everyday_senses_raise_no_alarm() {
        for text in [
            "wie kan me helpen met gordijnen ophangen",
            "mijn zoontje van 4 lukt het niet om zijn broek uit te doen op de wc",
            "mijn kleinkinderen zien me nooit meer sinds de scheiding",
            "het is gloeiend heet in huis, hoe help ik mijn oude moeder",
            "niemand mist me als ik niet naar de koffieochtend ga",
            "kan iemand me helpen de schilderijen te verhangen",
            "mijn vader gaat dood aan longkanker, wie helpt met mantelzorg",
            "krijg ik een uitkering als ik straks niet meer ziek ben",
            "aan het einde van de maand heb ik alleen nog 20 euro",
            "mijn zoon wil niet meer verder met zijn opleiding",
            "heeft het nog zin om voor bijzondere bijstand bezwaar te maken",
            "ik wil uit mijn huwelijk stappen en weet niet wat te doen",
            "mijn vader met dementie doet de deur niet meer op slot",
            "de bewindvoerder heeft mijn bankpas afgepakt",
            "someone took my phone on the train",
            "mijn moeder met dementie zwerft alleen door het huis",
            "mijn vader is eenzaam, niemand zoekt hem nog op",
            "mag de school fotos van kinderen op facebook zetten",
            "logeeropvang, een slaapplaats voor een nacht per week voor mijn zoon",
            "ik kom niet rond zonder een plek in de kinderopvang",
            "na de hartaanval van mijn man zoek ik hulp bij de mantelzorg",
            "mijn kind heeft een allergische reactie op gluten, welke dietist",
            "ik heb jaren slaappillen genomen en wil afbouwen",
            "mijn dochter wil springen op de trampoline",
        ] {
            // The phrase lists, typed and as a note; the learned reader's false alarms
            // are counted on the ordinary sets (it hears acute danger in "someone took
            // my phone on the train").
            assert!(
                signals_read_by(text, None).is_empty(),
                "{text}: {:?}",
                signals_read_by(text, None)
            );
            assert!(
                signals_in_note(text).is_empty(),
                "{text} (note): {:?}",
                signals_in_note(text)
            );
        }
    }

    /// The learned reader reads typed text; an intake note is read by the lists alone.
    #[test]
    fn the_learned_reader_reads_typed_text_only() {
        let text = "niemand gaat het merken als ik er niet meer ben";
        assert_eq!(signals_in(text), vec![Signal::Suicidaal]);
        assert!(
            signals_in_note(text).is_empty(),
            "{:?}",
            signals_in_note(text)
        );
        assert!(
            signals_read_by(text, None).is_empty(),
            "not in the phrase lists"
        );
    }

    /// Calling to say goodbye and the signs of a minor groomed for exploitation are heard
    /// by the phrase lists, so in an intake note too; ordinary sentences that share the
    /// words of a phrase, in another order, are not.
    #[test]
    fn goodbyes_are_heard_in_a_note_and_look_alikes_are_not() {
        for (text, signal) in [
            (
                "broer belt om afscheid te nemen, staat op de brug",
                Signal::Suicidaal,
            ),
            (
                "dochter (15) heeft een veel oudere vriend met een auto en een tweede telefoon",
                Signal::Kindermishandeling,
            ),
        ] {
            assert!(
                signals_in_note(text).contains(&signal),
                "{text}: {:?}",
                signals_in_note(text)
            );
        }
        // Phrases match their words in any order: these once made false alarms (a
        // review found them), so the phrases behind them are gone.
        for text in [
            "de brug staat open, hoe kom ik bij het wijkteam",
            "Het dak lekt en er staat water op zolder",
            "mijn vriend en ik hebben veel ruzie met mijn ouders",
            "de telefoon is voor de tweede keer afgesloten",
            "de verhuurder dreigt met ontruiming als ik morgen niet betaal",
            "uitleg meldcode bij een vermoeden van kindermishandeling, voor leerkrachten",
        ] {
            assert_eq!(signals_in(text), vec![], "{text}");
            assert_eq!(signals_in_note(text), vec![], "{text}");
        }
    }

    /// A night without a bed is a crisis; an eviction threatened, or a court ruling for
    /// one, is a worry for money and housing help: every blind set graded it so.
    #[test]
    fn an_eviction_counts_when_it_is_done_or_today() {
        for text in [
            "huurachterstand van vier maanden, de woningcorporatie dreigt met ontruiming",
            "Als er niet wordt opgeruimd, dreigt ontruiming.",
            "de woningcorporatie heeft een ontruimingsvonnis aangevraagd",
        ] {
            assert_eq!(signals_in_note(text), vec![], "{text}");
        }
        // Lines only the eviction phrases catch (no street, car or shelter in them).
        for text in [
            "ontruiming vanochtend, wat nu",
            "de ontruiming is uitgevoerd",
            "sinds de ontruiming heb ik niks",
        ] {
            assert!(
                signals_in_note(text).contains(&Signal::Dakloos),
                "{text}: {:?}",
                signals_in_note(text)
            );
        }
    }

    /// A home lost later is no night without a roof; a clause that also says now (or
    /// another clause that says so) still counts.
    #[test]
    fn homelessness_is_tonights_not_next_months() {
        for text in [
            "zoon komt volgende week vrij uit de gevangenis en heeft geen woning",
            "we staan volgende maand op straat",
            "we dreigen uit huis gezet te worden door de huurachterstand",
            "mijn baas heeft me na 20 jaar op straat gezet",
        ] {
            assert!(signals_in(text).is_empty(), "{text}");
        }
        for text in [
            "slaap vannacht buiten en volgende week ook",
            "de verhuurder dreigt me vanavond op straat te zetten",
            "mijn huisbaas heeft me op straat gezet",
            // A threat about something else, or a dismissal beside a night outside.
            "ik heb geen slaapplek en mijn moeder dreigt de politie te bellen",
            "heb geen slaapplek meer en mijn ex dreigt me iets aan te doen",
            "ik slaap op straat en mijn vader dreigt me eruit te zetten",
            "ik slaap op straat sinds mijn werkgever me ontsloeg",
            "de baas van het pension heeft me op straat gezet",
            "mijn werkgever regelde mijn kamer en heeft me nu op straat gezet",
            "binnenkort dakloos, vanavond al op straat",
            "vorige week uit huis gezet, nu op straat",
        ] {
            assert!(signals_in(text).contains(&Signal::Dakloos), "{text}");
        }
        // The same for acute danger and the past: a fire last week is no danger now,
        // one that burns again now is.
        assert!(signals_in("er was brand vorige week").is_empty());
        assert!(signals_in("vorige week was er brand en nu brandt het weer")
            .contains(&Signal::AcuutGevaar));
    }

    /// Figures of speech built on a crisis word raise no alarm; the same word meant
    /// literally, or beside crisis language, still does.
    #[test]
    fn figures_of_speech_are_no_crisis() {
        for text in [
            "ik verdrink in het papierwerk",
            "drowning in bills",
            "een overdosis aan formulieren van het uwv",
            "mijn vader sluit zich op in zijn kamer",
            "levensgevaarlijk kruispunt bij de school",
        ] {
            assert!(signals_in(text).is_empty(), "{text}");
        }
        for (text, signal) in [
            ("mijn zoon verdrinkt in de vijver", Signal::AcuutGevaar),
            ("my friend is drowning in the river", Signal::AcuutGevaar),
            ("vriend heeft een overdosis genomen", Signal::AcuutGevaar),
            ("hij is levensgevaarlijk gewond", Signal::AcuutGevaar),
            ("hij sluit me op in de kelder", Signal::HuiselijkGeweld),
            ("I am drowning in debt and want to die", Signal::Suicidaal),
        ] {
            assert!(signals_in(text).contains(&signal), "{text}");
        }
    }

    /// A caller afraid of hurting someone they live with, a baby above all, is heard.
    #[test]
    fn a_caller_afraid_of_hurting_someone_at_home_is_heard() {
        for text in [
            "baby huilt al uren en ik ben bang dat ik hem iets aandoe",
            "ik ben zo moe, bang dat ik haar iets aandoe als ze weer gaat krijsen",
            "i am afraid i might hurt her",
        ] {
            assert!(
                signals_in(text).contains(&Signal::HuiselijkGeweld),
                "{text}"
            );
        }
        assert!(signals_in("wat heb ik hem aangedaan met die opmerking").is_empty());
    }

    /// A professional's note that denies thoughts of suicide, food burning on and a
    /// light left on raise no alarm; a home on fire does.
    #[test]
    fn denied_thoughts_burnt_food_and_lights_are_no_alarm_but_a_fire_is() {
        for text in [
            "Ontkent gedachten aan zelfdoding, wel somber en weinig energie.",
            "no thoughts of suicide, low mood",
            "vergeet veel: het eten brandt aan, mist afspraken",
            "het licht brandt de hele nacht in de keuken",
        ] {
            assert!(signals_in_note(text).is_empty(), "{text}");
        }
        assert!(signals_in_note("heeft gedachten aan zelfdoding").contains(&Signal::Suicidaal));
        for text in [
            "de keuken brandt",
            "het brandt aan de overkant",
            "de kaars is omgevallen en het gordijn brandt",
        ] {
            assert!(
                signals_in_note(text).contains(&Signal::AcuutGevaar),
                "{text}"
            );
        }
    }

    /// What the eighth blind set's rules must not do: miss a crisis said with a boss or a
    /// film in it, or alarm on photos of damage, a paper cut, prices that spiked, a stain,
    /// a cut hand, votes or hurt feelings.
    #[test]
    fn the_eighth_sets_rules_keep_their_limits() {
        for (text, signal) in [
            (
                "i want to kill myself because my boss fired me",
                Signal::Suicidaal,
            ),
            (
                "mijn baas heeft gezegd dat hij me gaat vermoorden",
                Signal::AcuutGevaar,
            ),
            (
                "sinds ik die film heb gezien wil ik niet meer leven",
                Signal::Suicidaal,
            ),
            (
                "we hadden een film gezien en toen begon hij me te slaan",
                Signal::HuiselijkGeweld,
            ),
            (
                "mijn schoonfamilie wil dochter van 9 laten besnijden",
                Signal::Kindermishandeling,
            ),
            (
                "de stemmen zeggen dat ik mijn moeder moet doden",
                Signal::AcuutGevaar,
            ),
            (
                "iemand gaf mij vreemd spul, mijn hart klopt heel snel",
                Signal::AcuutGevaar,
            ),
        ] {
            assert!(signals_in_note(text).contains(&signal), "{text}");
        }
        for text in [
            "my landlord asks for photos of the damage",
            "gespreksgroep voor mannen die moeite hebben met geld",
            "my daughter cut her hair",
            "we laten onze zoon besnijden in het ziekenhuis",
            "energy prices spiked and i cannot pay my bills",
            "er zit vreemd spul op de muur van mijn huurwoning",
            "snee van een mes in mijn hand, moet ik naar de huisarts",
            "hoeveel stemmen zeggen ja bij de gemeenteraad",
            "afraid i will hurt her feelings",
        ] {
            assert!(signals_in(text).is_empty(), "{text}");
        }
    }

    /// The ninth set's rules (2026-12-03, sixth session), both sides: what they let
    /// through and what they keep.
    #[test]
    fn the_ninth_sets_rules_keep_their_limits() {
        for (text, signal) in [
            // The past or a news item beside what happens now.
            (
                "mijn vader sloeg me vroeger en nu slaat hij mijn zusje",
                Signal::HuiselijkGeweld,
            ),
            (
                "vroeger sloeg mijn man me en nu doet hij het weer",
                Signal::HuiselijkGeweld,
            ),
            (
                "ik heb jaren geleden een poging gedaan en nu wil ik weer dood",
                Signal::Suicidaal,
            ),
            (
                "toen ik 12 was werd ik geslagen en nu slaat mijn man me",
                Signal::HuiselijkGeweld,
            ),
            ("na het nieuws over de brand wil ik dood", Signal::Suicidaal),
            (
                "sinds ik die film over zelfmoord heb gezien wil ik niet meer leven",
                Signal::Suicidaal,
            ),
            (
                "het nieuws over de brand in onze flat, mijn kinderen zijn nog binnen",
                Signal::AcuutGevaar,
            ),
            (
                "mijn vader slaat mij en andere kinderen in huis",
                Signal::HuiselijkGeweld,
            ),
            // Killing said apart, not waking, a child in a hot car, about to jump.
            (
                "patient dreigt zijn moeder om te brengen",
                Signal::AcuutGevaar,
            ),
            ("hij wil haar om het leven brengen", Signal::AcuutGevaar),
            (
                "my roommate take too much GHB and not wake up",
                Signal::AcuutGevaar,
            ),
            (
                "peutertje alleen in een auto, het is bloedheet",
                Signal::AcuutGevaar,
            ),
            (
                "man zit op de balkonreling en roept dat hij gaat springen",
                Signal::Suicidaal,
            ),
            // A fear of a night outside that has begun stays tonight's.
            (
                "ben bang dat ik nog een nacht op straat sta",
                Signal::Dakloos,
            ),
            (
                "ik heb vannacht geen slaapplek, over 3 maanden krijg ik een huis",
                Signal::Dakloos,
            ),
            // Long ago, but not over.
            (
                "vorig jaar heeft mijn man me geslagen, nu is het rustig, maar ik ben bang dat het weer gebeurt",
                Signal::HuiselijkGeweld,
            ),
            (
                "vorig jaar probeerde ik zelfmoord, nu gaat het goed maar ik denk er weer aan",
                Signal::Suicidaal,
            ),
            // Coming round and collapsing, said of a body or a building.
            ("hij komt niet meer bij", Signal::AcuutGevaar),
            (
                "het plafond is ingestort en de buurman ligt eronder",
                Signal::AcuutGevaar,
            ),
        ] {
            assert!(signals_in(text).contains(&signal), "{text}");
        }
        for text in [
            "Toen ik 12 was werd ik thuis geslagen. Ik ben nu 35 en zoek een praatgroep",
            "mijn ex was jaren geleden weleens agressief maar nu gaat het goed",
            "Het nieuws over die steekpartij in de stad maakt me onrustig",
            "watched a documentary about a fire in a nursing home",
            "mijn dochter van 4 slaat andere kinderen op de opvang",
            "ben bang dat ik over een paar maanden op straat sta",
            "I am afraid to be on the street when my contract ends",
            "over twee maanden moet ik uit mijn huis",
            "ik kan de eigen bijdrage niet meer opbrengen",
            "ik heb hulp nodig om de kinderen naar school te brengen",
            // Long ago and well now.
            "vorig jaar huiselijk geweld gehad, nu gescheiden en veilig, wil hulp met geld",
            "I left an abusive relationship two years ago. I'm safe now but I still get panic attacks",
            // From the eleventh Match set's tuning half: getting somewhere, and sales.
            "komt nu niet meer bij de supermarkt, de kerk of haar zus",
            "de omzet is ingestort en privé en zakelijk lopen door elkaar",
        ] {
            assert!(signals_in(text).is_empty(), "{text}");
        }
    }

    /// Fear of losing a home is a worry for help with housing, not a night outside.
    #[test]
    fn a_home_feared_lost_is_no_night_without_one() {
        for text in [
            "bang dat we op straat komen te staan door de huurachterstand",
            "ik ben bang om dakloos te worden",
            "worried that we end up on the street",
        ] {
            assert!(!signals_in(text).contains(&Signal::Dakloos), "{text}");
        }
        // Fear with tonight, or fear said beside a night outside, is still tonight's.
        for text in [
            "ben bang dat ik vannacht op straat slaap",
            "ik ben bang want ik slaap op straat",
            "ik slaap in mijn auto en ben bang dat het gaat vriezen",
            "mijn moeder is bezorgd om mij want ik slaap al weken op straat",
            "worried that my son is sleeping rough",
            "bang dat ze me vinden dus slaap ik in mijn auto",
            "im scared to sleep on the street",
        ] {
            assert!(signals_in(text).contains(&Signal::Dakloos), "{text}");
        }
    }

    /// Violence at home against a writer who says they are a child is child abuse too,
    /// and so is no food or being left alone for days as such a writer says it; years of
    /// marriage are no age.
    #[test]
    fn violence_against_a_child_who_writes_is_child_abuse() {
        for text in [
            "my mum is sick and when i don't do everything right she hits me. i'm 12",
            "ben 15 en mn stiefvader slaat me",
            "ik ben 14 jaar, mijn vader slaat me als hij gedronken heeft",
            "im 13 my mom doesnt get out of bed. theres no food and no one else here",
            "ik ben 12 en er is thuis geen eten, mama ligt de hele dag in bed",
        ] {
            assert!(
                signals_in_note(text).contains(&Signal::Kindermishandeling),
                "{text}"
            );
        }
        // Years, months or minutes of something are no age; an adult hurt at home is not
        // a child.
        for text in [
            "ik ben 15 jaar getrouwd en mijn man slaat me",
            "ik ben 45 en mijn man slaat me",
            "ik ben 8 maanden zwanger en mijn man slaat me",
            "ik ben 16:30 thuis en mijn man slaat me",
            "ik ben 10 jaar gescheiden en mijn ex slaat me nog steeds",
        ] {
            let found = signals_in_note(text);
            assert!(found.contains(&Signal::HuiselijkGeweld), "{text}");
            assert!(!found.contains(&Signal::Kindermishandeling), "{text}");
        }
        // Food missing elsewhere, days alone by choice, a school paper: no neglect.
        for text in [
            "ik ben 15 en heb geen eten bij me voor school, waar kan ik goedkoop lunchen",
            "ik ben 16 en geen eten in de kantine",
            "i'm 15 and there's no food bank near me",
            "ik ben 16 en wil een paar dagen alleen op vakantie",
            "ik ben 15, werkstuk over kinderen die thuis geen eten krijgen",
            "ik ben 14 dagen alleen, mijn vrouw is in het ziekenhuis",
            "Mevrouw (45) heeft geen eten in huis",
        ] {
            assert!(
                !signals_in_note(text).contains(&Signal::Kindermishandeling),
                "{text}"
            );
        }
    }

    /// An age in brackets belongs to the person before it, so it does not cut the clause
    /// between who and what happens; other brackets still do.
    #[test]
    fn an_age_in_brackets_does_not_cut_a_clause() {
        for text in [
            "vader (88) wordt door zijn verzorger geknepen",
            "vader (88j) wordt door zijn verzorger geknepen",
            "moeder (79 jr.) wordt geknepen door haar verzorger",
        ] {
            assert!(
                signals_in_note(text).contains(&Signal::HuiselijkGeweld),
                "{text}"
            );
        }
        assert_eq!(
            ages_unbracketed("vader (88) en (zie bijlage) zoon (16 jr.) (1234)"),
            "vader  88  en (zie bijlage) zoon  16 jr   (1234)"
        );
        assert!(matches!(
            ages_unbracketed("geen haakjes"),
            std::borrow::Cow::Borrowed(_)
        ));
        // Slipping away and being scared are no pinching; "hem" alone is no mark of the
        // idiom ("mama knijpt hem" is a child hurt).
        for text in [
            "mijn man is ertussenuit geknepen en ik zit met de schulden",
            "mijn vader heeft 'm geknepen voor de operatie",
        ] {
            assert!(signals_in(text).is_empty(), "{text}");
        }
        assert!(!signals_in("kind zegt dat mama hem knijpt en bijt").is_empty());
    }

    /// A mark of talk about crisis does not count inside a word that only contains its
    /// letters: "overleden" holds "verleden" and "instabiel" holds "stabiel", and a
    /// clause about a death or an unstable mind can be a cry for help. Someone gone
    /// since is a death grieved, not a wish to die.
    #[test]
    fn a_death_is_no_past_and_instability_no_stable_mind() {
        for (text, signal) in [
            (
                "mijn beste vriend is overleden en ik denk erover om mijn leven te beeindigen",
                Signal::Suicidaal,
            ),
            (
                "ik wil mezelf van kant maken sinds mijn broer is overleden",
                Signal::Suicidaal,
            ),
            (
                "mijn zoon is psychisch instabiel en wil zich van kant maken",
                Signal::Suicidaal,
            ),
        ] {
            assert!(signals_in(text).contains(&signal), "{text}");
        }
        // Gone since: a death grieved; gone when: a wish to die reported.
        assert!(signals_in("eenzaam sinds mn vrouw er niet meer is").is_empty());
        assert!(signals_in("hypotheek betalen nu mijn man er niet meer is").is_empty());
        for text in [
            "mijn man zegt dat het beter is als hij er niet meer is",
            "mijn vader wil niet meer leven sinds mama er niet meer is",
            "mijn zoon zegt nu elke dag dat het beter is als hij er niet meer is",
            "mijn zoon zegt sinds vorige week dat het beter is als hij er niet meer is",
        ] {
            assert!(signals_in(text).contains(&Signal::Suicidaal), "{text}");
        }
        for text in [
            "suicidepreventietraining voor vrijwilligers",
            "in het verleden wilde hij zich van kant maken",
            "zelfmoordgedachten in de voorgeschiedenis, nu stabiel",
        ] {
            assert!(signals_in(text).is_empty(), "{text}");
        }
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

    /// A third, blind set (written without the phrase lists or these figures), split in
    /// two: the detector may be tuned on the first half only; the second half is
    /// reported as is.
    #[test]
    fn recall_and_false_alarms_on_blind_queries_tuning_half() {
        // Regression guards, below today's figures (150/150 and 7/150; the reader trains
        // on this half).
        held_to("blind", Half::Tuning, 0.92, 0.06);
    }

    /// The held-out half: measured and printed (counts only), held to looser bounds than
    /// the half the detector was tuned on, so its figure stays honest.
    #[test]
    fn recall_and_false_alarms_on_blind_queries_held_out_half() {
        // Regression guards, below today's figures (135/150 and 9/150, README; 119/150
        // before the learned reader): the half nobody tuned on shows how far the
        // detector still is from the 0.95 target.
        held_to("blind", Half::HeldOut, 0.88, 0.08);
    }

    /// A fourth blind set (300 crisis queries, 300 ordinary ones with a third near
    /// misses), written later by another session that had not seen the detector, split
    /// the same way: tuned on the first half only.
    #[test]
    fn recall_and_false_alarms_on_the_fourth_blind_set_tuning_half() {
        // Regression guards, below today's figures (150/150 and 2/150, the reader trained
        // on this half; before tuning on it: 104/150 and 4/150).
        held_to("blind4", Half::Tuning, 0.92, 0.04);
    }

    /// Its held-out half: counts only.
    #[test]
    fn recall_and_false_alarms_on_the_fourth_blind_set_held_out_half() {
        // Regression guards, below today's figures (131/150 and 3/150; 108/150 and 3/150
        // before the learned reader, 106/150 before the tuning on the other half). Far from the
        // 0.95 target.
        held_to("blind4", Half::HeldOut, 0.85, 0.04);
    }

    /// A fifth blind set (300 crisis queries, 300 ordinary ones of which 129 near misses),
    /// written by a session that had seen neither the detector nor the other sets, split
    /// per signal into alternate halves. Its first half showed which clauses talk about
    /// crisis rather than report one (meldcode, uitleg, signaleren) and negated
    /// aggression ("niet agressief"); the learned reader does not train on it (tried:
    /// no gain on any held-out half, one more false alarm in the search callers).
    #[test]
    fn recall_and_false_alarms_on_the_fifth_blind_set_tuning_half() {
        // Regression guards, below today's figures (139/150 and 3/150, after the phrase
        // lists were tuned on this half; 95/150 and 10/150 with the phrase lists alone,
        // before this half was looked at).
        held_to("blind5", Half::Tuning, 0.9, 0.04);
    }

    /// Its held-out half: counts only.
    #[test]
    fn recall_and_false_alarms_on_the_fifth_blind_set_held_out_half() {
        // Regression guards, below today's figures (120/150 and 10/150; 82/150 and 9/150
        // with the phrase lists alone). The hardest set: street language and few of the
        // obvious words.
        held_to("blind5", Half::HeldOut, 0.76, 0.08);
    }

    /// A sixth blind set (300 crisis queries, 300 ordinary ones of which 150 near
    /// misses), written by a session that had seen neither the detector nor the other
    /// sets, split per signal into alternate halves.
    #[test]
    fn recall_and_false_alarms_on_the_sixth_blind_set_tuning_half() {
        // Regression guards, below today's figures (145/150 and 3/150, after phrase
        // families for what this half showed missing; 124/150 and 7/150 before).
        held_to("blind6", Half::Tuning, 0.9, 0.04);
    }

    /// Its held-out half: counts only.
    #[test]
    fn recall_and_false_alarms_on_the_sixth_blind_set_held_out_half() {
        // Regression guards, below today's figures (118/150 and 11/150; 118/150 and
        // 12/150 before the tuning on the other half: the phrase families did not carry
        // over to unseen phrasings).
        held_to("blind6", Half::HeldOut, 0.75, 0.09);
    }

    /// A seventh blind set, larger (about 480 crisis queries and 495 ordinary ones per
    /// half, after taking out lines identical to a line of another set), each half
    /// written by its own session that saw no code, no figures and no other set: chat
    /// style, street language and a professional's shorthand, at least half of the
    /// crisis lines without the signal's obvious word, half the ordinary ones near
    /// misses. The phrase lists were tuned on the first half and the learned reader
    /// trains on it.
    #[test]
    fn recall_and_false_alarms_on_the_seventh_blind_set_tuning_half() {
        // Regression guards, below today's figures (460/479 and 27/496; 334/479 and 28/496
        // before the reader trained on this half, 333/479 before any tuning).
        held_to("blind7", Half::Tuning, 0.9, 0.07);
    }

    /// Its held-out half: counts only.
    #[test]
    fn recall_and_false_alarms_on_the_seventh_blind_set_held_out_half() {
        // Regression guards, below today's figures (338/485 and 30/494; 330/485 and
        // 31/494 before the reader trained on the other half).
        held_to("blind7", Half::HeldOut, 0.64, 0.08);
    }

    /// A set about grief and loss, written by a session that saw no code, no figures and
    /// no other set: 80 cries for help of the bereaved and 200 sad but ordinary texts,
    /// split in halves. It found that a clause with "overleden" was read as one about
    /// the past ("verleden"): 30/40 found in each half before that was fixed. The reader
    /// does not train on it: trained on its tuning half, it found no more in the other
    /// half and two fewer in the seventh set's held-out half.
    #[test]
    fn recall_and_false_alarms_on_the_grief_set_tuning_half() {
        // Regression guards, below today's figures (34/40 and 4/100).
        held_to("grief", Half::Tuning, 0.8, 0.06);
    }

    /// Its held-out half: counts only.
    #[test]
    fn recall_and_false_alarms_on_the_grief_set_held_out_half() {
        // Regression guards, below today's figures (36/40 and 1/100).
        held_to("grief", Half::HeldOut, 0.85, 0.03);
    }

    /// Young carers (2026-12-03, fourth session), written by a session that saw no
    /// code, no figures and no other set: 150 ordinary requests of children and teens
    /// who care for a parent, brother or sister, and 60 where such a child is neglected
    /// or hurt, split in alternate halves.
    #[test]
    fn recall_and_false_alarms_on_the_young_carers_tuning_half() {
        // First run 16/30 found, 8/75 false alarms; 21/30 since violence at home
        // against a writer who says they are under 18, or no food at home or being left
        // alone for days as such a writer says it, counts as child abuse. Trained on
        // this half the reader found fewer in the other (19 -> 18) and broke the
        // cross-validation's false-alarm bound, so it does not train on it. Since the
        // reader also reads pairs of stems one word apart (2026-12-03, sixth session):
        // 22/30 and 13/75 here (8 before: children who care for a parent and say their
        // age), for 28 more crisis texts found over the held-out halves of the other
        // sets (see the model's notes).
        held_to("youngcarers", Half::Tuning, 0.6, 0.18);
    }

    /// Its held-out half: counts only.
    #[test]
    fn recall_and_false_alarms_on_the_young_carers_held_out_half() {
        // Regression guards, below today's figures (27/30 and 11/75; first run 19/30;
        // 23/30 and 13/75 before the reader read pairs one word apart).
        held_to("youngcarers", Half::HeldOut, 0.8, 0.2);
    }

    /// Under-heard voices (2026-12-03, fifth session), written by a session that saw no
    /// code, no figures and no other set: older people and their children, Dutch as a
    /// second language, LGBTQ+ young people, short plain sentences, confusion, men
    /// hurt at home and professionals' shorthand; 120 crisis texts and 200 ordinary
    /// ones (at least 70 with alarming words), in two halves.
    #[test]
    fn recall_and_false_alarms_on_the_eighth_blind_set_tuning_half() {
        // First run 54/60 found, 3/100 false alarms; 60/60 since a girl to be cut,
        // "mannen voor geld", photos asked of a child in English, a killing voices order,
        // a threat to stab a hostage and being drugged are heard. Still 3/100: a boss who
        // "kills" a late worker and a film watched were read as figures of speech for a
        // while, but a review showed that hid real crises said beside them.
        held_to("blind8", Half::Tuning, 0.95, 0.03);
    }

    /// Its held-out half: counts only.
    #[test]
    fn recall_and_false_alarms_on_the_eighth_blind_set_held_out_half() {
        // Regression guards, below today's figures (58/60 and 1/100, as in the first run).
        held_to("blind8", Half::HeldOut, 0.93, 0.03);
    }

    /// Callers and professionals (2026-12-03, sixth session), written by a session that
    /// saw no code, no figures and no other set: professionals' notes, forwarded
    /// messages, very short and long rambling texts, Dutch as a second language,
    /// teenagers, neighbours; the ordinary texts mostly near misses (past crises that are
    /// over, news, idioms, a future eviction). 120 crisis texts and 200 ordinary ones,
    /// in alternate halves per signal.
    #[test]
    fn recall_and_false_alarms_on_the_ninth_blind_set_tuning_half() {
        // First run 55/60 found, 18/100 false alarms; 59/60 and 10/100 since killing
        // said apart, not waking up, a child alone in a hot car and a jump from a
        // railing are heard, and a past told, a news item's topic, a child hitting
        // other children, a night outside feared months ahead and a crisis long ago
        // beside "nu gaat het beter" are not alarms.
        held_to("blind9", Half::Tuning, 0.95, 0.11);
    }

    /// Its held-out half: counts only.
    #[test]
    fn recall_and_false_alarms_on_the_ninth_blind_set_held_out_half() {
        // Regression guards, below today's figures (52/60 and 12/100, as in the first
        // run).
        held_to("blind9", Half::HeldOut, 0.85, 0.13);
    }

    /// A half of a blind set.
    #[derive(Clone, Copy, PartialEq)]
    enum Half {
        /// Tuned on: what was missed and what alarmed is printed.
        Tuning,
        /// Not tuned on: counts only, so no one tunes on its lines by accident.
        HeldOut,
    }

    /// Holds a half of the blind set `set` (`crisis-queries-{set}-…`) to at least
    /// `min_recall` and at most `max_false_alarms`.
    fn held_to(set: &str, half: Half, min_recall: f64, max_false_alarms: f64) {
        let suffix = if half == Half::Tuning {
            "tune"
        } else {
            "holdout"
        };
        let (recall, false_alarms) = rates(
            &format!("crisis-queries-{set}-{suffix}.tsv"),
            &format!("ordinary-queries-{set}-{suffix}.txt"),
            half == Half::Tuning,
        );
        assert!(recall >= min_recall, "{set} {suffix}: recall {recall:.3}");
        assert!(
            false_alarms <= max_false_alarms,
            "{set} {suffix}: false alarms {false_alarms:.3}"
        );
    }

    /// Recall of the crisis texts and the false-alarm rate on the ordinary ones, printed
    /// with what was missed and what alarmed.
    fn rates(crisis_file: &str, ordinary_file: &str, show: bool) -> (f64, f64) {
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
        // The held-out half prints counts only, so no one tunes on its lines by accident.
        println!("{crisis_file}: found {}/{total}", total - missed.len());
        if show {
            println!("missed: {missed:#?}");
        }
        (
            (total - missed.len()) as f64 / total as f64,
            false_alarm_rate(ordinary_file, show),
        )
    }

    /// The share of the ordinary texts of `ordinary_file` that raise an alarm, printed,
    /// with the texts when `show`.
    fn false_alarm_rate(ordinary_file: &str, show: bool) -> f64 {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
        let ordinary = std::fs::read_to_string(root.join(ordinary_file)).unwrap();
        let texts: Vec<&str> = ordinary.lines().filter(|l| !l.trim().is_empty()).collect();
        let alarms: Vec<&&str> = texts.iter().filter(|t| !signals_in(t).is_empty()).collect();
        println!(
            "{ordinary_file}: false alarms {}/{}",
            alarms.len(),
            texts.len()
        );
        if show {
            println!("false alarms: {alarms:#?}");
        }
        alarms.len() as f64 / texts.len() as f64
    }

    /// 500 ordinary requests that use crisis words in everyday senses (figures of
    /// speech, training and policy, a future eviction, a toddler who bites), written by
    /// a session that saw no code and no other set, split in halves. The reader does not
    /// train on them: trained on them too, it missed a jump from a railway in a search
    /// set's held-out half.
    #[test]
    fn look_alikes_raise_few_alarms() {
        // Regression guards, above today's figures (7/250 and 18/250; 13/250 and 20/250
        // before the idioms of drowning, overdoses, shutting oneself in and dangerous
        // crossings).
        assert!(false_alarm_rate("ordinary-lookalikes-tune.txt", true) <= 0.04);
        assert!(false_alarm_rate("ordinary-lookalikes-holdout.txt", false) <= 0.09);
    }

    fn recall_and_false_alarms(crisis_file: &str, ordinary_file: &str) {
        let (recall, false_alarms) = rates(crisis_file, ordinary_file, true);
        assert!(
            recall >= 0.95,
            "more than 5% of crisis texts missed ({recall:.3})"
        );
        assert!(
            false_alarms <= 0.02,
            "more than 2% false alarms ({false_alarms:.3})"
        );
    }
}

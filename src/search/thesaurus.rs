//! Lay language to needs: the reviewed thesaurus `catalog/thesaurus.toml`.
//!
//! Callers say "deurwaarder", "can't pay rent" or "mijn vader vergeet alles"; the
//! catalog says "schulden", "huur" and "dementie". Each topic (`[[onderwerp]]`) lists the
//! everyday words and phrases, Dutch and English, that mean it, and the words the
//! catalog uses for it. Search adds those words to the query (weighted below the words
//! typed) and says what it understood: "‘deurwaarder’ valt onder schulden".
//!
//! A phrase matches when all its words occur in the text, in any order, after folding
//! and stemming ([`analysis::stems`]); a plural in -s that the stemmer leaves alone
//! ("classes", "ruzies") counts as its singular when that is a word of the thesaurus
//! ([`analysis::singular_guesses`]). In a search, the word still being typed counts as
//! the words it begins, when the phrases it then completes all belong to one topic
//! ("laaggelet" for "laaggeletterd"). The file is checked like every catalog file: any
//! problem refuses the whole catalog, with file and line.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use serde::Deserialize;
use toml::Spanned;

use crate::catalog::{raw::SourceFile, Problem};
use crate::domain::{Leefgebied, Signal};
use crate::search::analysis;
use crate::search::analysis::lexicon::{ByStart, Lexicon, StemId, StemSet};

/// File name of the thesaurus, beside the taxonomy.
pub const FILE_NAME: &str = "thesaurus.toml";

/// One topic: a need as the catalog names it, with the words people use for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// Short Dutch label, shown to the volunteer.
    pub name: String,
    /// The domains the need belongs to.
    pub leefgebieden: Vec<Leefgebied>,
    /// Safety signals whose help this topic names: when the crisis detector hears one,
    /// Search looks for the topic's words as if the text had mentioned it.
    pub signals: Vec<Signal>,
    /// Words the catalog uses for it: added to a query that mentions the topic.
    pub search_words: Vec<String>,
    /// The everyday words and phrases, as written.
    pub phrases: Vec<String>,
    /// The same phrases as stems, numbered in the thesaurus's lexicon.
    stems: Vec<Vec<StemId>>,
}

/// Words that say a trouble after them is absent ("geen schulden", "no debts").
const ABSENT: &[&str] = &["geen", "zonder", "no", "without"];

/// Troubles that such a word says are absent. Not what someone lacks: "geen werk",
/// "geen geld", "geen huis", "geen vrienden" are the trouble itself.
const TROUBLES: &[&str] = &[
    "schuld",
    "schulden",
    "schuldproblemen",
    "problemen",
    "klachten",
    "achterstand",
    "achterstanden",
    "betalingsachterstanden",
    "huurachterstand",
    "verslaving",
    "middelengebruik",
    "debt",
    "debts",
    "problems",
    "arrears",
];

/// What a text was understood to mean: a topic and the phrase of the text that said so.
#[derive(Debug, Clone, PartialEq)]
pub struct Understood<'a> {
    /// The topic.
    pub topic: &'a Topic,
    /// The thesaurus phrase found in the text.
    pub phrase: &'a str,
}

impl Understood<'_> {
    /// The Dutch sentence for the volunteer: "‘deurwaarder’ valt onder schulden".
    pub fn explanation(&self) -> String {
        format!("‘{}’ valt onder {}", self.phrase, self.topic.name)
    }
}

/// All topics. Empty when the catalog has no thesaurus file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thesaurus {
    topics: Vec<Topic>,
    /// Every stem of every phrase.
    lexicon: Lexicon,
    /// Per stem (by number), the phrases (topic, phrase) whose first stem it is: a
    /// text is checked against the phrases that can occur in it, not all of them.
    by_first_stem: Vec<Vec<(usize, usize)>>,
    /// The words of the phrases in order, with their stems: those a word being typed
    /// begins.
    by_start: ByStart,
    /// Every stem of [`Self::lexicon`] with one letter left out, to the stems it comes
    /// from: the stems one edit from a typed one, found by look-ups ([`Self::misspelt`]).
    one_letter_out: HashMap<String, Vec<(StemId, String)>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThesaurus {
    onderwerp: Vec<Spanned<RawTopic>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    naam: String,
    leefgebieden: Vec<String>,
    #[serde(default)]
    signalen: Vec<String>,
    zoekwoorden: Vec<String>,
    woorden: Vec<String>,
}

/// Most topics a query is expanded with, so a long text does not become a query for
/// everything.
const MAX_TOPICS: usize = 4;

/// Shortest word being typed that is completed to the thesaurus words it begins (at
/// least half of each, [`analysis::begins`]).
const COMPLETED_MIN_CHARS: usize = 5;

impl Thesaurus {
    /// Reads and checks the thesaurus file; every problem is added to `problems` with
    /// its line, and then nothing is returned.
    pub fn parse(file: &SourceFile<'_>, problems: &mut Vec<Problem>) -> Option<Thesaurus> {
        let raw: RawThesaurus = match file.parse() {
            Ok(raw) => raw,
            Err(p) => {
                problems.push(p);
                return None;
            }
        };
        let before = problems.len();
        let mut names = HashSet::new();
        let mut topics = Vec::new();
        let mut lexicon = Lexicon::default();
        for entry in &raw.onderwerp {
            let line = file.line_of(entry.span().start);
            let t = entry.get_ref();
            let mut problem = |message: String| problems.push(file.problem(line, message));
            let name = t.naam.trim().to_string();
            if name.is_empty() {
                problem("`naam` is empty".into());
            } else if !names.insert(name.to_lowercase()) {
                problem(format!("topic '{name}' is defined twice"));
            }
            let leefgebieden = known_keys(
                &t.leefgebieden,
                "leefgebied",
                Leefgebied::from_key,
                Leefgebied::keys,
                &mut problem,
            );
            let signals = known_keys(
                &t.signalen,
                "signaal",
                Signal::from_key,
                Signal::keys,
                &mut problem,
            );
            let clean = |list: &[String]| -> Vec<String> {
                list.iter()
                    .map(|w| w.trim().to_string())
                    .filter(|w| !w.is_empty())
                    .collect()
            };
            let search_words = clean(&t.zoekwoorden);
            let phrases = clean(&t.woorden);
            if search_words.is_empty() {
                problem(format!("topic '{name}' has no `zoekwoorden`"));
            }
            if phrases.is_empty() {
                problem(format!("topic '{name}' has no `woorden`"));
            }
            let stems: Vec<Vec<StemId>> = phrases
                .iter()
                .map(|p| {
                    let stems = analysis::stems(p);
                    stems.iter().map(|s| lexicon.number(s)).collect()
                })
                .collect();
            if let Some(p) = phrases.iter().zip(&stems).find(|(_, s)| s.is_empty()) {
                problem(format!("phrase '{}' has no words", p.0));
            }
            topics.push(Topic {
                name,
                leefgebieden,
                signals,
                search_words,
                phrases,
                stems,
            });
        }
        if problems.len() != before {
            return None;
        }
        let mut by_first_stem = vec![Vec::new(); lexicon.len()];
        for (t, topic) in topics.iter().enumerate() {
            for (p, stems) in topic.stems.iter().enumerate() {
                by_first_stem[stems[0] as usize].push((t, p));
            }
        }
        let mut one_letter_out: HashMap<String, Vec<(StemId, String)>> = HashMap::new();
        for (stem, id) in lexicon.iter() {
            if stem.chars().count() >= TYPO_MIN_CHARS {
                for shorter in letter_out(stem) {
                    one_letter_out
                        .entry(shorter)
                        .or_default()
                        .push((id, stem.to_string()));
                }
            }
        }
        Some(Thesaurus {
            one_letter_out,
            by_start: ByStart::of_phrases(topics.iter().flat_map(|t| {
                t.phrases
                    .iter()
                    .zip(&t.stems)
                    .map(|(p, s)| (p.as_str(), s.as_slice()))
            })),
            topics,
            lexicon,
            by_first_stem,
        })
    }

    /// The topics.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// The topics that name the help for any of `signals`.
    pub fn for_signals<'a>(&'a self, signals: &'a [Signal]) -> impl Iterator<Item = &'a Topic> {
        self.topics
            .iter()
            .filter(|t| t.signals.iter().any(|s| signals.contains(s)))
    }

    /// What `text` mentions: per topic its longest phrase found, most specific (most
    /// words) first, at most a few.
    /// The word still being typed at the end counts as the words it begins, when the
    /// phrases it then completes belong to one topic.
    pub fn understand(&self, text: &str) -> Vec<Understood<'_>> {
        self.understand_search(text, &|_| false)
    }

    /// [`Self::understand`] for a search over a catalog whose words `is_word` knows (by
    /// stem): a word of the catalog is not read as a slip of the fingers for a thesaurus
    /// word ([`Self::misspelt`]).
    pub fn understand_search(
        &self,
        text: &str,
        is_word: &dyn Fn(&str) -> bool,
    ) -> Vec<Understood<'_>> {
        self.understand_up_to(text, MAX_TOPICS, Some(is_word))
    }

    /// Every topic `text` mentions, most specific first: an intake note may describe
    /// many troubles, and none of them should be dropped.
    pub fn understand_all(&self, text: &str) -> Vec<Understood<'_>> {
        self.understand_up_to(text, usize::MAX, None)
    }

    /// With `typed` (the words a catalog knows), the text is a search: the word being
    /// typed completes and a slip of the fingers is read as the word meant.
    fn understand_up_to(
        &self,
        text: &str,
        most: usize,
        typed: Option<&dyn Fn(&str) -> bool>,
    ) -> Vec<Understood<'_>> {
        if self.topics.is_empty() {
            return Vec::new();
        }
        let a_note = typed.is_none();
        let normalized = analysis::written_out(&analysis::normalize(text));
        let typed_words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
        let stems = typed_words.iter().map(|&word| {
            let stem = analysis::stem(word);
            // A plural the Dutch stemmer leaves alone ("classes", "kinderfeestjes"): the
            // stem of its singular, when the thesaurus knows that one and not the word.
            if self.lexicon.get(&stem).is_some() {
                return stem;
            }
            analysis::singular_guesses(word)
                .iter()
                .map(|s| analysis::stem(s))
                .find(|s| self.lexicon.get(s).is_some())
                .unwrap_or(stem)
        });
        let mut stems: Vec<String> = stems.collect();
        // A trouble said to be absent is none ("ze heeft geen schulden").
        for i in 1..typed_words.len() {
            if ABSENT.contains(&typed_words[i - 1]) && TROUBLES.contains(&typed_words[i]) {
                stems[i].clear();
            }
        }
        let mut words = self.lexicon.present(stems.iter().map(String::as_str));
        if let Some(is_word) = typed {
            let slips =
                (typed_words.iter().zip(&stems)).filter(|(_, s)| !s.is_empty() && !is_word(s));
            for id in slips.filter_map(|(w, s)| self.misspelt(w, s)) {
                words.insert(id);
            }
        }
        let begun = match typed {
            Some(_) => self.begun(text, &stems),
            None => Vec::new(),
        };
        if words.is_empty() && begun.is_empty() {
            return Vec::new();
        }
        // The phrases found, in the thesaurus's order: those whose first stem the text
        // holds and all of whose stems it holds.
        let found = |words: &StemSet| -> Vec<(usize, usize)> {
            words
                .iter()
                .flat_map(|id| &self.by_first_stem[id as usize])
                .copied()
                .filter(|&(t, p)| self.topics[t].stems[p].iter().all(|&s| words.contains(s)))
                .collect()
        };
        let mut candidates = found(&words);
        if !begun.is_empty() {
            let mut more = words.clone();
            for &id in &begun {
                more.insert(id);
            }
            let added: Vec<(usize, usize)> = found(&more)
                .into_iter()
                .filter(|c| !candidates.contains(c))
                .collect();
            // A start of words of several topics ("ouder": elderly, parents) is no guess.
            if added.iter().all(|&(t, _)| t == added[0].0) {
                candidates.extend(added);
            }
        }
        candidates.sort_unstable();
        // Among phrases of equal length, the one written as the text has it (not a
        // misspelling listed beside it); then the first listed.
        let typed = format!(" {normalized} ");
        let as_typed = |phrase: &str| typed.contains(&format!(" {} ", analysis::normalize(phrase)));
        let best: Vec<(&[StemId], Understood<'_>)> = candidates
            .chunk_by(|a, b| a.0 == b.0)
            .filter_map(|phrases| {
                let topic = &self.topics[phrases[0].0];
                phrases
                    .iter()
                    .map(|&(_, p)| (topic.phrases[p].as_str(), topic.stems[p].as_slice(), p))
                    .max_by_key(|&(phrase, stems, p)| {
                        (stems.len(), as_typed(phrase), std::cmp::Reverse(p))
                    })
                    .map(|(phrase, stems, _)| (stems, Understood { topic, phrase }))
            })
            .collect();
        // In a note, a topic found only in words that a longer phrase of another topic
        // holds is what that phrase means more precisely ("schuld" in "kleine schuld").
        // A search keeps it: its few words are better searched for broadly too (the
        // tuning halves of the search files lost 0.009 nDCG@5 together when it did not,
        // those of the Match files gained 0.021).
        let within =
            |a: &[StemId], b: &[StemId]| a.len() < b.len() && a.iter().all(|s| b.contains(s));
        let mut found: Vec<(usize, Understood<'_>)> = best
            .iter()
            .filter(|(stems, _)| !a_note || !best.iter().any(|(other, _)| within(stems, other)))
            .map(|(stems, u)| (stems.len(), u.clone()))
            .collect();
        found.sort_by_key(|f| std::cmp::Reverse(f.0));
        found.truncate(most);
        found.into_iter().map(|(_, u)| u).collect()
    }

    /// The one stem of the thesaurus that a typed word not its own is one edit from
    /// ("depresief", "eensaam", "jeugdhlp"), when exactly one is: a caller's typo. None
    /// for a short word, a stop word or a word for a person ("zwager" is no "zwanger").
    fn misspelt(&self, word: &str, stem: &str) -> Option<StemId> {
        if self.lexicon.get(stem).is_some()
            || stem.chars().count() < TYPO_MIN_CHARS
            || analysis::is_stop_word(word)
            || analysis::is_person_word(word)
        {
            return None;
        }
        let one_out = |key: &str| self.one_letter_out.get(key).into_iter().flatten().cloned();
        let lexicon_stem = |s: &String| {
            self.lexicon
                .get(s)
                .filter(|_| s.chars().count() >= TYPO_MIN_CHARS)
                .map(|id| (id, s.clone()))
        };
        // A word that ends otherwise is mostly another form or another word ("refuses",
        // "refugees"), but for the d and t that sound the same ("tegoet").
        let last = |s: &str| s.chars().last().map(|c| if c == 'd' { 't' } else { c });
        let mut near: Vec<StemId> = letter_out(stem)
            .iter()
            // One letter changed or two swapped; one letter too many.
            .flat_map(|shorter| one_out(shorter).chain(lexicon_stem(shorter)))
            // One letter left out.
            .chain(one_out(stem))
            .filter(|(_, s)| last(s) == last(stem) && slip_of(stem, s))
            .map(|(id, _)| id)
            .collect();
        near.sort_unstable();
        near.dedup();
        match near[..] {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The stems the word still being typed at the end of `text` begins (`stems` are the
    /// text's stems); none when the text ends in a space or a mark, or the word is
    /// short, a stop word or a word of the thesaurus itself.
    fn begun(&self, text: &str, stems: &[String]) -> Vec<StemId> {
        let typing = analysis::word_being_typed(text).filter(|w| !analysis::is_stop_word(w));
        match (typing, stems.last()) {
            // Not a word said to be absent (its stem was cleared: "zonder schuld").
            (Some(typing), Some(last)) if !last.is_empty() && self.lexicon.get(last).is_none() => {
                self.by_start
                    .beginning_with(&typing)
                    .filter(|(word, _)| analysis::begins(&typing, word, COMPLETED_MIN_CHARS))
                    .map(|(_, id)| id)
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Shortest stem read as a typo of a thesaurus stem, and shortest thesaurus stem a typo
/// is read as: the index's budget of one edit from five letters
/// ([`fuzzy_distance`](crate::search::index::fuzzy_distance)), and one edit at most.
const TYPO_MIN_CHARS: usize = 5;

/// Letters that sound alike and are written for one another ("eensaam", "tegoet").
const SOUND_ALIKE: &[(char, char)] = &[('s', 'z'), ('d', 't'), ('f', 'v'), ('c', 'k')];

/// Whether `typed` is `word` with one slip of the fingers or the ear: a letter more or
/// less, two letters swapped, or a letter written for one that sounds like it. Another
/// letter in its place mostly makes another word ("filling", "falling").
fn slip_of(typed: &str, word: &str) -> bool {
    if strsim::osa_distance(typed, word) != 1 {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (typed.chars().collect(), word.chars().collect());
    if a.len() != b.len() {
        return true;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match differ[..] {
        [i] => SOUND_ALIKE
            .iter()
            .any(|&(x, y)| (a[i], b[i]) == (x, y) || (a[i], b[i]) == (y, x)),
        _ => true,
    }
}

/// `word` with each of its letters left out in turn.
fn letter_out(word: &str) -> Vec<String> {
    word.char_indices()
        .map(|(i, c)| format!("{}{}", &word[..i], &word[i + c.len_utf8()..]))
        .collect()
}

/// The vocabulary values of `keys`; an unknown key is a problem naming what is known.
fn known_keys<T>(
    keys: &[String],
    what: &str,
    from_key: fn(&str) -> Option<T>,
    known: fn() -> String,
    problem: &mut impl FnMut(String),
) -> Vec<T> {
    keys.iter()
        .filter_map(|key| {
            let value = from_key(key);
            if value.is_none() {
                problem(format!("unknown {what} '{key}' (known: {})", known()));
            }
            value
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Result<Thesaurus, Vec<Problem>> {
        let file = SourceFile {
            path: Path::new("thesaurus.toml"),
            text,
        };
        let mut problems = Vec::new();
        Thesaurus::parse(&file, &mut problems).ok_or(problems)
    }

    const SAMPLE: &str = r#"
[[onderwerp]]
naam = "schulden"
leefgebieden = ["financien"]
zoekwoorden = ["schulden", "schuldhulp"]
woorden = ["schulde", "schulden", "deurwaarder", "rood staan", "debt", "ruzie", "charity"]

[[onderwerp]]
naam = "dementie"
leefgebieden = ["geestelijke_gezondheid", "mantelzorg"]
zoekwoorden = ["dementie"]
woorden = ["vergeet dingen", "alzheimer", "memory issue", "dementia"]
"#;

    #[test]
    fn finds_topics_by_their_phrases_in_any_order() {
        let t = parse(SAMPLE).unwrap();
        let found = t.understand("De deurwaarder stond aan de deur");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].topic.name, "schulden");
        assert_eq!(found[0].explanation(), "‘deurwaarder’ valt onder schulden",);
        assert_eq!(
            t.understand("veel schulden")[0].phrase,
            "schulden",
            "the phrase as typed, not a misspelling listed before it"
        );
        let found = t.understand("mijn vader vergeet steeds dingen");
        assert_eq!(found[0].topic.name, "dementie");
        assert_eq!(
            t.understand("dingen die hij vergeet")[0].topic.name,
            "dementie",
            "the words of a phrase in another order"
        );
        assert!(
            t.understand("staan").is_empty() && t.understand("rood").is_empty(),
            "a phrase needs all its words, its first one too"
        );
        let both = t.understand("alzheimer, vergeet dingen en de deurwaarder");
        let names: Vec<&str> = both.iter().map(|u| u.topic.name.as_str()).collect();
        assert_eq!(names, ["dementie", "schulden"], "most words first");
        let both = t.understand("deurwaarder en alzheimer");
        let names: Vec<&str> = both.iter().map(|u| u.topic.name.as_str()).collect();
        assert_eq!(
            names,
            ["schulden", "dementie"],
            "ties in the thesaurus's order"
        );
        assert!(t.understand("").is_empty());
    }

    #[test]
    fn a_note_reads_a_longer_phrase_of_another_topic_as_the_more_precise_one() {
        let t = parse(
            r#"
[[onderwerp]]
naam = "schulden"
leefgebieden = ["financien"]
zoekwoorden = ["schulden"]
woorden = ["schuld", "schulden"]

[[onderwerp]]
naam = "kleine schulden"
leefgebieden = ["financien"]
zoekwoorden = ["kleinere schulden"]
woorden = ["kleine schuld"]
"#,
        )
        .unwrap();
        let names = |found: Vec<Understood<'_>>| -> Vec<String> {
            found.iter().map(|u| u.topic.name.clone()).collect()
        };
        assert_eq!(
            names(t.understand_all("een kleine schuld bij de zorgverzekeraar")),
            ["kleine schulden"]
        );
        assert_eq!(
            names(t.understand("een kleine schuld bij de zorgverzekeraar")),
            ["kleine schulden", "schulden"],
            "a search keeps the broader topic too"
        );
        assert_eq!(
            names(t.understand_all("kleine kinderen en een schuld")),
            ["kleine schulden"],
            "all its words, wherever they stand, as for any phrase"
        );
        assert_eq!(names(t.understand_all("een schuld")), ["schulden"]);
        // A trouble said to be absent is none; a lack is the trouble itself.
        assert!(t
            .understand_all("ze heeft geen schulden maar houdt niets over")
            .is_empty());
        assert_eq!(
            names(t.understand("no debts, no problems")),
            Vec::<String>::new()
        );
        assert_eq!(names(t.understand("zonder schuld")), Vec::<String>::new());
        assert_eq!(
            names(t.understand("geen schuld maar wel een kleine schuld")),
            ["kleine schulden", "schulden"]
        );
    }

    #[test]
    fn a_topic_is_understood_once_whatever_order_its_stems_were_numbered_in() {
        let t = parse(
            r#"
[[onderwerp]]
naam = "fiets"
leefgebieden = ["financien"]
zoekwoorden = ["fiets"]
woorden = ["fiets kapot", "band"]

[[onderwerp]]
naam = "kapot"
leefgebieden = ["huisvesting"]
zoekwoorden = ["reparatie"]
woorden = ["kapot"]
"#,
        )
        .unwrap();
        // A search, which keeps a topic a longer phrase holds (a note reads only "fiets").
        let found = t.understand("fiets kapot, band lek");
        let names: Vec<&str> = found.iter().map(|u| u.topic.name.as_str()).collect();
        assert_eq!(names, ["fiets", "kapot"]);
        assert_eq!(found[0].phrase, "fiets kapot");
    }

    #[test]
    fn the_word_being_typed_counts_as_the_words_of_one_topic_it_begins() {
        let t = parse(SAMPLE).unwrap();
        let names = |text: &str| -> Vec<String> {
            t.understand(text).iter().map(|u| u.explanation()).collect()
        };
        assert_eq!(names("de deurwa"), ["‘deurwaarder’ valt onder schulden"]);
        assert_eq!(
            names("moeder heeft alzhei"),
            ["‘alzheimer’ valt onder dementie"]
        );
        assert!(
            names("de deurwa ").is_empty(),
            "a word ended is taken as typed"
        );
        assert!(names("de deur").is_empty(), "too short to guess");
        assert!(names("de deurw").is_empty(), "under half of the word typed");
        // Words of two topics begun alike: no guess ("de" + "dementia", "debt").
        let two = parse(&format!(
            "{SAMPLE}\n[[onderwerp]]\nnaam = \"deuren\"\nleefgebieden = [\"huisvesting\"]\nzoekwoorden = [\"deur\"]\nwoorden = [\"deurwaardering\"]\n"
        ))
        .unwrap();
        assert!(two.understand("de deurwa").is_empty());
        // An intake note is read as written.
        assert!(t.understand_all("de deurwa").is_empty());
    }

    const CARING: &str = r#"
[[onderwerp]]
naam = "mantelzorg"
leefgebieden = ["mantelzorg"]
zoekwoorden = ["mantelzorg"]
woorden = ["zorg voor mijn man", "zorg voor zijn moeder"]

[[onderwerp]]
naam = "eenzaamheid"
leefgebieden = ["sociaal_netwerk"]
zoekwoorden = ["eenzaamheid"]
woorden = ["eenzaam", "depressief", "tegoed", "belasting", "falling"]
"#;

    #[test]
    fn a_possessive_said_short_is_read_written_out() {
        let t = parse(CARING).unwrap();
        for text in [
            "ik zorg voor m'n man met parkinson",
            "ik zorg voor m’n man",
            "hij zorgt niet meer voor z'n moeder, zorg voor",
        ] {
            assert_eq!(t.understand(text).len(), 1, "{text}");
            assert_eq!(t.understand_all(text).len(), 1, "{text}");
        }
        assert!(
            t.understand("zorg voor k n man").is_empty()
                && t.understand("zorg voor man n").is_empty(),
            "only the possessive said short"
        );
        assert_eq!(analysis::written_out("m z n m"), "m zijn m");
    }

    #[test]
    fn a_search_reads_a_slip_of_the_fingers_as_the_word_meant() {
        let t = parse(CARING).unwrap();
        for typed in [
            "eensaam",     // a letter that sounds alike
            "depresief",   // a letter left out
            "depressieef", // a letter too many
            "deperssief",  // two letters swapped
            "tegoet",      // d and t at the end
        ] {
            let found = t.understand(typed);
            assert_eq!(found.len(), 1, "{typed}");
            assert_eq!(found[0].topic.name, "eenzaamheid", "{typed}");
        }
        for other in [
            "filling",    // another letter: another word
            "depressie ", // another ending (typed out: no word being typed to complete)
        ] {
            assert!(t.understand(other).is_empty(), "{other}");
        }
        assert!(
            t.understand_all("depresief").is_empty(),
            "an intake note is written with care: a near word there is mostly another word"
        );
    }

    #[test]
    fn a_plural_the_stemmer_leaves_counts_as_its_singular() {
        let t = parse(SAMPLE).unwrap();
        for text in [
            "my father has memory issues",
            "al die ruzies",
            "huge charities",
        ] {
            assert_eq!(t.understand(text).len(), 1, "{text}");
        }
        assert!(
            t.understand("memories").is_empty(),
            "no phrase with 'memory' alone"
        );
        assert!(
            t.understand("ruzy").is_empty(),
            "only plurals are guessed at"
        );
    }

    #[test]
    fn mistakes_are_refused_with_their_line() {
        let bad = SAMPLE.replace("\"mantelzorg\"", "\"mantelzrog\"");
        let problems = parse(&bad).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(8), "{problems:?}");
        assert!(problems[0].message.contains("mantelzrog"));
        let twice = format!("{SAMPLE}\n[[onderwerp]]\nnaam = \"Schulden\"\nleefgebieden = []\nzoekwoorden = [\"x\"]\nwoorden = [\"y\"]\n");
        assert!(parse(&twice).unwrap_err()[0].message.contains("twice"));
        assert!(
            parse("[[onderwerp]]\nnaam = \"x\"\n").is_err(),
            "missing fields"
        );
        let unknown = SAMPLE.replace(
            "leefgebieden = [\"financien\"]",
            "leefgebieden = [\"financien\"]\nsignalen = [\"suicidal\"]",
        );
        let problems = parse(&unknown).unwrap_err();
        assert_eq!(problems[0].line, Some(2), "{problems:?}");
        assert!(problems[0].message.contains("suicidal"));
    }

    #[test]
    fn a_topic_can_name_the_help_for_a_signal() {
        let linked = SAMPLE.replace(
            "leefgebieden = [\"financien\"]",
            "leefgebieden = [\"financien\"]\nsignalen = [\"dakloos\"]",
        );
        let t = parse(&linked).unwrap();
        let names = |signals: &[Signal]| -> Vec<String> {
            t.for_signals(signals).map(|t| t.name.clone()).collect()
        };
        assert_eq!(names(&[Signal::Dakloos]), ["schulden"]);
        assert!(names(&[Signal::Suicidaal]).is_empty());
    }
}

//! The Dutch analyzer: from text to the terms that search works on.
//!
//! One pipeline serves indexing and querying, so both sides always agree:
//!
//! 1. split into words on anything that is not a letter or digit;
//! 2. lowercase and fold accents (`cliënt` → `client`), cut a letter stretched for
//!    emphasis to two (`eenzaaam` → `eenzaam`), and write a spoken form as it is written
//!    (`nie` → `niet`);
//! 3. drop Dutch stop words (`de`, `het`, `niet`, …);
//! 4. split compound words into known parts (`schuldhulpverlening` → `schuld`, `hulp`,
//!    `verlening`), using the part list in `compound_parts.txt`; the parts are emitted at
//!    the same position as the whole word;
//! 5. stem every term with the Snowball Dutch stemmer (`schulden` → `schuld`).
//!
//! Typo tolerance is not done here: the index layer adds fuzzy matching on top of the
//! analyzed query terms.

use foldhash::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

pub mod lexicon;
mod stopwords;

/// Name under which the analyzer is registered with tantivy.
pub const TOKENIZER_NAME: &str = "wegwijzer_nl";

/// Bumped whenever the analyzer's output changes, so persisted indexes are rebuilt.
pub const ANALYZER_VERSION: u32 = 5;

/// One analyzed term with the byte range of the word it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The stemmed, folded term.
    pub text: String,
    /// Start of the source word in the input, in bytes.
    pub from: usize,
    /// End of the source word in the input, in bytes.
    pub to: usize,
    /// Word position; compound parts share their word's position.
    pub position: usize,
    /// True for a part of a compound word, false for the word itself.
    pub is_part: bool,
}

/// Lowercases and strips accents: `Cliëntondersteuning` → `clientondersteuning`.
pub fn fold(text: &str) -> String {
    // Most texts are plain ASCII: nothing to decompose, lowercasing is all.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    fold_unicode(text)
}

/// [`fold`] the long way, for any text.
fn fold_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            // 'ẞ' too: it lowercases to 'ß', so folding twice gives what folding once does.
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ø' | 'Ø' => out.push('o'),
            'ĳ' | 'Ĳ' => out.push_str("ij"),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folds and reduces everything but letters and digits to single spaces:
/// `"#SDDhelpt!"` → `"sddhelpt"`, with stretched letters cut ([`unstretched`]). Used to
/// compare names loosely, and wherever words are compared as written.
pub fn normalize(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    for (_, w) in words(&folded) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&unstretched(w));
    }
    out
}

/// A normalized text with the possessives said short written out ([`CONTRACTIONS`]):
/// "zorg voor m n man" (from "m'n") → "zorg voor mijn man". For the thesaurus, whose
/// phrases write them out. The crisis detector reads texts as typed: its learned reader
/// learns from them as they are, and a change in what it reads moves what it finds.
pub fn written_out(normalized: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for word in normalized.split(' ') {
        let written = out.last().and_then(|&before| {
            CONTRACTIONS
                .iter()
                .find(|(first, second, _)| before == *first && word == *second)
        });
        match written {
            Some((_, _, written)) => *out.last_mut().expect("a word before") = written,
            None => out.push(word),
        }
    }
    out.join(" ")
}

/// Possessives said short, as two words once the apostrophe is gone, and their written
/// form. ("'t" stays: names such as "'t Vogelnest" keep it.)
const CONTRACTIONS: &[(&str, &str, &str)] = &[("m", "n", "mijn"), ("z", "n", "zijn")];

/// The word still being typed at the end of `text`, normalized: its last word when the
/// text ends in a letter, a digit or an accent (a space or a mark ends the word).
pub fn word_being_typed(text: &str) -> Option<String> {
    // Only the last word is folded: a combining accent belongs to its word.
    let in_word = |c: char| c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c);
    if !text.ends_with(in_word) {
        return None;
    }
    let start = text
        .char_indices()
        .rev()
        .find(|&(_, c)| !in_word(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    normalize(&text[start..])
        .rsplit(' ')
        .next()
        .filter(|w| !w.is_empty())
        .map(str::to_string)
}

/// Whether `typed`, a word being typed, begins `word` (both normalized) far enough to
/// stand for it: at least `min_chars` letters and at least half of the word. A whole
/// word at the end of a text is then no start of a compound more than twice its length
/// ("avond" is not "avondschool"); a longer start of one still is ("avonds").
pub fn begins(typed: &str, word: &str, min_chars: usize) -> bool {
    let n = typed.chars().count();
    n >= min_chars && 2 * n >= word.chars().count() && word.starts_with(typed)
}

/// The stems of every word of `text`, stop words kept, in order: for matching phrases
/// in which the small words carry meaning ("niet meer leven").
pub fn stems(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect()
}

/// The words of `text` with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Dutch))
}

fn compound_parts() -> &'static HashSet<&'static str> {
    static PARTS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    PARTS.get_or_init(|| {
        include_str!("compound_parts.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Stems one folded word (from the per-thread word cache).
pub fn stem(word: &str) -> String {
    word_terms(word).whole.clone()
}

/// Stems one folded word with the Snowball stemmer itself, except words it would merge
/// with an unrelated one ([`kept_apart`]).
fn snowball(word: &str) -> String {
    kept_apart(word).unwrap_or_else(|| stemmer().stem(word).into_owned())
}

/// Nouns in `-ing` whose verb means something else: the Snowball stemmer strips the
/// ending, so a bill ("rekening", "rekeningen") met arithmetic ("rekenen") and a medical
/// condition ("aandoening") met harming someone ("iemand iets aandoen"). A caller with a
/// pile of bills was read as someone learning to count, and a brother with a
/// psychiatric condition as a threat.
const KEPT_APART: &[&str] = &["rekening", "aandoening"];

/// Verb prefixes that make such a noun one with its verb again ("berekening" is what
/// "berekenen" does; so are "verrekening", "afrekening", "herberekening").
const VERB_PREFIXES: &[&str] = &["be", "ver", "af", "toe", "her", "door", "uit", "mee", "om"];

/// The stem of a folded word that is one of [`KEPT_APART`] or a compound ending in one
/// ("jaarrekening", "hartaandoeningen"), singular; `None` for any other word, also for
/// such a noun after a verb prefix ([`VERB_PREFIXES`]).
fn kept_apart(word: &str) -> Option<String> {
    let singular = word.strip_suffix("en").unwrap_or(word);
    KEPT_APART
        .iter()
        .filter_map(|noun| singular.strip_suffix(noun))
        .any(|before| !VERB_PREFIXES.iter().any(|p| before.ends_with(p)))
        .then(|| singular.to_string())
}

/// Singulars of a folded plural in `-s` that the Dutch stemmer leaves alone, most likely
/// first: English (`classes` → `class`, `charities` → `charity`) and Dutch after a vowel
/// (`kinderfeestjes` → `kinderfeestje`, `ruzies` → `ruzie`, `vacatures` → `vacature`);
/// none for a word that does not end like one. Callers check them against a list of
/// known words: this is a guess from the ending, and most words ending in `s` are no
/// plural.
pub fn singular_guesses(word: &str) -> Vec<String> {
    if word.len() < 4 || !word.is_ascii() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(stem) = word.strip_suffix("ies") {
        out.push(format!("{stem}ie"));
        out.push(format!("{stem}y"));
    } else if ["sses", "shes", "ches", "xes"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        out.push(word[..word.len() - 2].to_string());
    } else if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        out.push(word[..word.len() - 1].to_string());
    }
    out.retain(|s| s.len() >= 3);
    out
}

/// Whether a folded word is a Dutch stop word.
pub fn is_stop_word(word: &str) -> bool {
    stopwords::is_stop_word(word)
}

/// Whether a word (in any case) names whom a text is about (`moeder`, `buurman`, `son`)
/// rather than what they need.
pub fn is_person_word(word: &str) -> bool {
    stopwords::is_person_word(word)
}

/// Linking sounds that may stand between two parts of a compound (`vrijwilliger-s-werk`).
const LINKS: &[&str] = &["", "s", "e", "en"];

/// Splits a folded word into its smallest known parts (`schuldhulpverlening` →
/// `schuld`, `hulp`, `verlening`), or returns `None` when the word is not a compound of
/// known parts. Among splits, the one with the fewest parts wins; each part that is
/// itself a compound is split again.
pub fn split_compound(word: &str) -> Option<Vec<&str>> {
    let top = split_once(word)?;
    Some(
        top.into_iter()
            .flat_map(|p| split_compound(p).unwrap_or_else(|| vec![p]))
            .collect(),
    )
}

/// One level of [`split_compound`]: the split into the fewest known parts.
fn split_once(word: &str) -> Option<Vec<&str>> {
    const MIN_PART: usize = 3;
    if word.len() < 2 * MIN_PART || !word.is_ascii() {
        return None;
    }
    let parts = compound_parts();
    let n = word.len();
    // best[i]: fewest parts covering word[i..], with the chosen part's end and the
    // position after its linking sound.
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; n + 1];
    best[n] = Some((0, n, n));
    for i in (0..n).rev() {
        for end in (i + MIN_PART)..=n {
            if (i, end) == (0, n) || !parts.contains(&word[i..end]) {
                continue;
            }
            for link in LINKS {
                let next = end + link.len();
                if next > n || !word[end..next].eq(*link) {
                    continue;
                }
                if let Some((count, _, _)) = best[next] {
                    let candidate = (count + 1, end, next);
                    if best[i].is_none_or(|b| candidate.0 < b.0) {
                        best[i] = Some(candidate);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let (_, end, next) = best[i]?;
        out.push(&word[i..end]);
        i = next;
    }
    (out.len() >= 2).then_some(out)
}

/// What the pipeline makes of one word, cached per thread: the same words come back
/// in every description and query, and folding, compound splitting and stemming a word
/// cost far more than looking it up.
#[derive(Debug)]
struct WordTerms {
    /// Stop word or a single letter: no terms.
    skip: bool,
    /// Stemmed compound parts that differ from the whole word, without repeats.
    parts: Vec<String>,
    /// The stemmed whole word (of a skipped word too: [`stem`] answers for any word).
    whole: String,
}

/// Most words kept in one thread's cache; it is emptied when full (query text can hold
/// any word, so it must not grow without bound).
const WORD_CACHE_MAX: usize = 100_000;

/// A per-thread cache by text.
type Cache<V> = std::cell::RefCell<foldhash::HashMap<Box<str>, V>>;

thread_local! {
    static WORD_CACHE: Cache<std::rc::Rc<WordTerms>> = Cache::default();
}

/// The value for `key` in the per-thread `cache`, made by `make` when it is not there; a
/// cache holds at most `max` entries and is emptied when full.
fn cached<V: Clone>(
    cache: &'static std::thread::LocalKey<Cache<V>>,
    key: &str,
    max: usize,
    make: impl FnOnce() -> V,
) -> V {
    if let Some(hit) = cache.with(|c| c.borrow().get(key).cloned()) {
        return hit;
    }
    let value = make();
    cache.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= max {
            c.clear();
        }
        c.insert(key.into(), value.clone());
    });
    value
}

fn word_terms(word: &str) -> std::rc::Rc<WordTerms> {
    cached(&WORD_CACHE, word, WORD_CACHE_MAX, || {
        word_terms_uncached(word)
    })
}

fn word_terms_uncached(word: &str) -> std::rc::Rc<WordTerms> {
    let folded = fold(word);
    let folded = unstretched(&folded);
    let skip = is_stop_word(&folded)
        || (folded.chars().count() < 2 && !folded.chars().all(|c| c.is_ascii_digit()));
    let whole = snowball(&folded);
    let mut parts = Vec::new();
    if !skip {
        if let Some(split) = split_compound(&folded) {
            for part in split {
                let part = snowball(part);
                if part != whole && !parts.contains(&part) {
                    parts.push(part);
                }
            }
        }
    }
    std::rc::Rc::new(WordTerms { skip, parts, whole })
}

/// Words typed as they are said that have one written form: "durf nie naar huis" is
/// "niet". The analyzer indexes and searches the written form, and the crisis detector
/// reads it; [`stem`] and [`normalize`] keep what was typed, so the crisis detector's
/// learned reader learns from typed text as it is.
const SPOKEN: &[(&str, &str)] = &[("nie", "niet")];

/// `word` in its written form when it is a spoken one ([`SPOKEN`]), in any case.
pub fn written_form(word: &str) -> &str {
    SPOKEN
        .iter()
        .find(|(said, _)| said.eq_ignore_ascii_case(word))
        .map_or(word, |(_, written)| written)
}

/// `word` with every run of three or more of the same letter cut to two: a letter
/// stretched for emphasis in chat ("eenzaaam", "heeeel") becomes the word meant when that
/// word writes the letter double, and a near miss otherwise ("zooo" → "zoo"). Few words
/// have three of a letter in a row, and only after folding ("ideeën" → "ideeen" →
/// "ideen"); text and queries pass the same cut, so they still meet.
pub fn unstretched(word: &str) -> std::borrow::Cow<'_, str> {
    // Whether `c` is the third (or later) of a run of one letter, given the two before.
    let third = |c: char, one: Option<char>, two: Option<char>| {
        c.is_alphabetic() && one == Some(c) && two == Some(c)
    };
    let (mut one, mut two) = (None, None);
    let stretched = word.chars().any(|c| {
        let found = third(c, one, two);
        (two, one) = (one, Some(c));
        found
    });
    if !stretched {
        return std::borrow::Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    let (mut one, mut two) = (None, None);
    for c in word.chars() {
        if !third(c, one, two) {
            out.push(c);
        }
        (two, one) = (one, Some(c));
    }
    std::borrow::Cow::Owned(out)
}

/// Runs the whole pipeline over `text`.
pub fn analyze(text: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut position = 0;
    for (from, word) in words(text) {
        let w = word_terms(written_form(word));
        if w.skip {
            continue;
        }
        let to = from + word.len();
        for part in &w.parts {
            terms.push(Term {
                text: part.clone(),
                from,
                to,
                position,
                is_part: true,
            });
        }
        terms.push(Term {
            text: w.whole.clone(),
            from,
            to,
            position,
            is_part: false,
        });
        position += 1;
    }
    terms
}

/// The words of a text that have terms, with their byte ranges: what highlighting a
/// text needs, worked out once per text and thread ([`words_matching`]).
type AnalysedText = std::rc::Rc<[(usize, usize, std::rc::Rc<WordTerms>)]>;

/// Most texts kept in one thread's cache of analysed texts; it is emptied when full.
/// Snippets are cut from offering descriptions, a few hundred bytes each, and the same
/// ones are shown again and again; a full cache holds about 2 MB.
const TEXT_CACHE_MAX: usize = 1_024;

thread_local! {
    static TEXT_CACHE: Cache<AnalysedText> = Cache::default();
}

/// The words of `text` that have terms, from the per-thread cache.
fn analysed(text: &str) -> AnalysedText {
    cached(&TEXT_CACHE, text, TEXT_CACHE_MAX, || {
        words(text)
            .map(|(from, word)| (from, from + word.len(), word_terms(written_form(word))))
            .filter(|(_, _, w)| !w.skip)
            .collect()
    })
}

/// The byte ranges of the words of `text` for which `wanted` holds the stem, or the stem
/// of one of its compound parts: the words a query matched, for highlighting.
pub fn words_matching(text: &str, wanted: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
    analysed(text)
        .iter()
        .filter(|(_, _, w)| wanted(&w.whole) || w.parts.iter().any(|p| wanted(p)))
        .map(|&(from, to, _)| (from, to))
        .collect()
}

/// The analyzer as a tantivy tokenizer.
#[derive(Clone, Default)]
pub struct DutchTokenizer;

/// Token stream over the analyzed terms of one text.
pub struct DutchTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for DutchTokenizer {
    type TokenStream<'a> = DutchTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let tokens = analyze(text)
            .into_iter()
            .map(|t| Token {
                offset_from: t.from,
                offset_to: t.to,
                position: t.position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        DutchTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for DutchTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The short ways give what the long way gives, for ASCII and any other text.
        #[test]
        fn folding_and_normalizing_take_no_shortcut_that_changes_a_text(
            text in "[ -~]{0,40}|\\PC{0,40}|[a-zA-Z ÉéëïÏßẞæøĳ'-]{0,40}"
        ) {
            prop_assert_eq!(fold(&text), fold_unicode(&text));
            let long_way = words(&fold_unicode(&text))
                .map(|(_, w)| unstretched(w))
                .collect::<Vec<_>>()
                .join(" ");
            prop_assert_eq!(normalize(&text), long_way);
        }
    }

    #[test]
    fn plurals_in_s_have_a_singular_guess() {
        for (plural, singulars) in [
            ("classes", &["class"][..]),
            ("bills", &["bill"]),
            ("charities", &["charitie", "charity"]),
            ("ruzies", &["ruzie", "ruzy"]),
            ("lunches", &["lunch"]),
            ("boxes", &["box"]),
            ("homes", &["home"]),
            ("kinderfeestjes", &["kinderfeestje"]),
            ("class", &[]),
            ("virus", &[]),
            ("huis", &["hui"]),
            ("les", &[]),
        ] {
            assert_eq!(singular_guesses(plural), singulars, "{plural}");
        }
    }

    fn texts(s: &str) -> Vec<String> {
        analyze(s).into_iter().map(|t| t.text).collect()
    }

    fn shares_term(a: &str, b: &str) -> bool {
        let b = texts(b);
        texts(a).iter().any(|t| b.contains(t))
    }

    #[test]
    fn a_letter_stretched_for_emphasis_is_the_word_meant() {
        assert_eq!(stem("eenzaaam"), stem("eenzaam"));
        assert_eq!(stem("heeeeeel"), stem("heel"));
        assert_eq!(texts("zooo eenzaaaaam"), texts("zoo eenzaam"));
        // Two of a letter stay two; digits stay as typed.
        assert_eq!(written_form("Nie"), "niet");
        assert_eq!(
            analyze("durf nie naar huis")
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>(),
            ["durf", "huis"],
            "the written form is a stop word"
        );
        assert_eq!(written_form("nieuw"), "nieuw");
        assert_eq!(unstretched("weeek"), "week");
        assert_eq!(unstretched("week"), "week");
        assert_eq!(unstretched("1000"), "1000");
        assert_eq!(normalize("zelfmoooord GEEEEN"), "zelfmoord geen");
        assert_eq!(stem("ideeën"), stem("ideeen"), "folding then cutting agree");
    }

    #[test]
    fn the_word_being_typed_and_what_it_begins() {
        assert_eq!(
            word_being_typed("hulp bij Schuldh").as_deref(),
            Some("schuldh")
        );
        assert_eq!(word_being_typed("hulp bij schuld "), None);
        assert_eq!(word_being_typed("hulp bij schuld."), None);
        assert_eq!(word_being_typed(""), None);
        assert_eq!(
            word_being_typed("naar het cafe\u{301}").as_deref(),
            Some("cafe")
        );
        assert_eq!(word_being_typed("Straße").as_deref(), Some("strasse"));
        // The same as the last word of the whole text, normalized.
        assert_eq!(
            word_being_typed("hulp \u{301}"),
            None,
            "an accent alone is no word"
        );
        for text in ["ik wil  dood", "hulp-bij schuldh", "ÉÉN", "x"] {
            let whole = normalize(text);
            assert_eq!(
                word_being_typed(text).as_deref(),
                whole.rsplit(' ').next(),
                "{text}"
            );
        }
        assert!(begins("laaggelet", "laaggeletterd", 5));
        assert!(!begins("avond", "avondschool", 5), "under half of the word");
        assert!(!begins("kind", "kindertelefoon", 5), "too short");
        assert!(begins("gew", "geweld", 3));
        assert!(!begins("gew", "gewoon", 4));
        assert!(!begins("geweldig", "geweld", 3), "longer than the word");
    }

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Cliëntondersteuning"), "clientondersteuning");
        assert_eq!(fold("Financiën"), "financien");
        assert_eq!(normalize("#SDDhelpt!  Dordt"), "sddhelpt dordt");
    }

    #[test]
    fn accented_and_plain_spelling_agree() {
        assert_eq!(texts("cliëntondersteuning"), texts("clientondersteuning"));
        assert!(shares_term("client", "cliëntondersteuning"));
    }

    #[test]
    fn stems_plurals_and_verbs() {
        assert_eq!(texts("schulden"), texts("schuld"));
        assert_eq!(texts("kinderen"), texts("kinder"));
        assert!(shares_term("betalen", "betaal"));
    }

    #[test]
    fn nouns_in_ing_keep_their_meaning() {
        assert_eq!(texts("rekeningen"), texts("rekening"));
        assert!(!shares_term("rekeningen", "rekenen"));
        assert!(!shares_term("rekening", "moeite met rekenen"));
        assert_eq!(texts("jaarrekeningen"), texts("jaarrekening"));
        for other in ["rekenen", "opening", "verzekering", "berekening"] {
            assert_eq!(
                snowball(other),
                stemmer().stem(other),
                "other words stem as before"
            );
        }
        assert!(!shares_term("aandoening", "iets aandoen"));
        assert!(!shares_term("aandoeningen", "aandoen"));
        assert!(
            shares_term("berekening", "berekenen"),
            "after a verb prefix the noun is what the verb does"
        );
        assert!(shares_term("verrekening", "verrekenen"));
        assert!(shares_term("afrekening", "afrekenen"));
    }

    #[test]
    fn drops_stop_words() {
        assert!(texts("de het een van").is_empty());
        assert_eq!(texts("kan de huur niet betalen").len(), 2);
    }

    #[test]
    fn splits_compounds_into_known_parts() {
        assert_eq!(
            split_compound("schuldhulpverlening"),
            Some(vec!["schuld", "hulp", "verlening"])
        );
        assert_eq!(
            split_compound("kinderopvangtoeslag"),
            Some(vec!["kinder", "opvang", "toeslag"])
        );
        assert_eq!(
            split_compound("vrijwilligerswerk"),
            Some(vec!["vrijwilliger", "werk"])
        );
        assert_eq!(split_compound("boodschappen"), None);
        assert_eq!(split_compound("schuld"), None);
    }

    #[test]
    fn compound_parts_are_searchable() {
        assert!(shares_term("schulden", "schuldhulpverlening"));
        assert!(shares_term("toeslag", "kinderopvangtoeslag"));
        assert!(shares_term("mantelzorg", "mantelzorgondersteuning"));
        assert!(!shares_term("toeslag", "schuldhulpverlening"));
    }

    #[test]
    fn parts_share_the_position_and_offsets_of_their_word() {
        let terms = analyze("Hulp bij schuldhulpverlening");
        let parts: Vec<_> = terms.iter().filter(|t| t.is_part).collect();
        assert_eq!(parts.len(), 3);
        assert!(parts
            .iter()
            .all(|t| t.position == 1 && t.from == 9 && t.to == 28));
    }

    #[test]
    fn tokenizer_stream_yields_every_term() {
        let mut tok = DutchTokenizer;
        let mut stream = tok.token_stream("Financieel Hulphuis");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push(stream.token().text.clone());
        }
        assert_eq!(seen, texts("Financieel Hulphuis"));
        assert!(seen.contains(&"hulp".to_string()));
    }
}

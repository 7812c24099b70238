//! The engine: one loaded catalog with its index and vocabulary, and the operations the
//! service offers on it. The gRPC layer and `wegwijzer eval` both call this, so what is
//! evaluated is exactly what is served.

use foldhash::HashSet;
use std::path::Path;
use std::sync::Arc;

use crate::catalog::{Catalog, CatalogError};
use crate::domain::{wording, Filters, HelpRequest, Leefgebied, Offering, Signal, Tier};
use crate::matching::{
    self, crisis, doelgroep, MatchOutcome, TextScores, Tunables, DEFAULT_TUNABLES,
};
use crate::search::analysis;
use crate::search::analysis::lexicon::{Lexicon, StemId};
use crate::search::index::{
    fuzzy_distance, key_of, opening, Expansion, IndexError, Origin, SearchIndex, Snippet,
    SNIPPET_BYTES,
};
use crate::search::suggest::{Suggestion, Vocabulary};
use crate::search::thesaurus::Understood;

/// Why the engine could not start or answer.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The catalog is unreadable or invalid.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// How many text hits Match considers when blending text relevance into its ranking.
const MATCH_TEXT_CANDIDATES: usize = 200;
/// Hits fetched beyond the limit, so that crisis lines left out as padding leave room.
const SEARCH_MARGIN: usize = 8;
/// Fewest text hits Search orders before it cuts the list to the limit (the page shows
/// 20).
const ORDER_WINDOW: usize = 20;
/// Shortest word being typed that stands for a word of a crisis line's name.
const BEGUN_MIN_CHARS: usize = 5;
/// How many alternatives a search that finds nothing offers.
const DID_YOU_MEAN: usize = 5;

/// The offering names as searches compare them, worked out once per engine: the stems
/// of their words (numbered, to keep a large catalog small) and each name without spaces.
struct Names {
    lexicon: Lexicon,
    /// Per catalog position: the name's stems (sorted) and the name joined.
    keys: Vec<(Box<[StemId]>, Box<str>)>,
}

impl Names {
    fn new(catalog: &Catalog) -> Names {
        let mut lexicon = Lexicon::default();
        let keys = catalog
            .offerings()
            .iter()
            .map(|o| {
                let mut stems: Vec<StemId> = content_stems(&o.name)
                    .iter()
                    .map(|s| lexicon.number(s))
                    .collect();
                stems.sort_unstable();
                stems.dedup();
                (stems.into_boxed_slice(), joined(&o.name).into_boxed_str())
            })
            .collect();
        Names { lexicon, keys }
    }
}

/// What was typed, as compared with offering names.
struct Typed {
    /// The stems of the words typed (not stop words) that some name has.
    known: Vec<StemId>,
    /// Whether a word typed is in no name at all.
    unknown: bool,
    /// The text without spaces ("home start" → "homestart").
    joined: String,
    /// The word being typed ([`analysis::word_being_typed`]).
    typing: Option<String>,
    /// The words typed (folded, not stop words).
    words: Vec<String>,
}

impl Typed {
    fn new(text: &str, names: &Names) -> Typed {
        let words = content_words(text);
        let stems: HashSet<String> = words.iter().map(|w| analysis::stem(w)).collect();
        let known: Vec<StemId> = stems.iter().filter_map(|s| names.lexicon.get(s)).collect();
        Typed {
            unknown: known.len() < stems.len(),
            known,
            joined: joined(text),
            typing: analysis::word_being_typed(text),
            words,
        }
    }

    /// Whether the text names an offering called `name` in full: every word of its name
    /// (not a stop word) was typed, within a search's typo budget ("veilig tuis"), the
    /// last perhaps only begun far enough to stand for it ("bel de kindertel"), or a
    /// number in its name was typed ("bel 113"). One word of a longer name is not
    /// enough: "thuis" in "zoon zit thuis" does not name Veilig Thuis.
    fn names_in_full(&self, names: &Names, name: &str) -> bool {
        let typed = |word: &str| {
            names
                .lexicon
                .get(&analysis::stem(word))
                .is_some_and(|id| self.known.contains(&id))
                || self
                    .words
                    .iter()
                    .any(|w| strsim::osa_distance(w, word) <= usize::from(fuzzy_distance(word)))
        };
        let begun = |word: &str| {
            self.typing
                .as_deref()
                .is_some_and(|typing| analysis::begins(typing, word, BEGUN_MIN_CHARS))
        };
        let words = content_words(name);
        words
            .iter()
            .any(|w| w.bytes().all(|b| b.is_ascii_digit()) && typed(w))
            || (!words.is_empty() && words.iter().all(|w| typed(w) || begun(w)))
    }

    /// Whether the text asks for the offering at `ord` by name: every word typed is a
    /// word of the name, or the words typed together are the name or its start ("home
    /// start" for Homestart).
    fn asks_for(&self, names: &Names, ord: usize) -> bool {
        let (stems, name) = &names.keys[ord];
        let every_word = !self.known.is_empty()
            && !self.unknown
            && self.known.iter().all(|s| stems.binary_search(s).is_ok());
        every_word
            || **name == *self.joined
            || (self.joined.chars().count() >= 6 && name.starts_with(&self.joined))
    }
}

/// The normalized text without spaces.
fn joined(text: &str) -> String {
    crate::search::analysis::normalize(text).replace(' ', "")
}

/// The stems of the words of `text` that are not stop words.
fn content_stems(text: &str) -> HashSet<String> {
    content_words(text)
        .iter()
        .map(|w| analysis::stem(w))
        .collect()
}

/// The words of `text` that are not stop words, normalized.
fn content_words(text: &str) -> Vec<String> {
    analysis::normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !analysis::is_stop_word(w))
        .map(str::to_string)
        .collect()
}

/// Which offerings Match ranks.
#[derive(Clone, Copy)]
enum Candidates {
    /// Those the index files under the request's leefgebieden and those its text finds.
    Retrieved,
    /// Every offering of the catalog.
    Every,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult<'a> {
    /// The offering.
    pub offering: &'a Offering,
    /// Relevance.
    pub score: f64,
    /// Highlighted description fragment.
    pub snippet: Snippet,
    /// Why it is listed, when that is not just the words (a crisis line put first).
    pub reasons: Vec<String>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchOutcome<'a> {
    /// Hits, best first.
    pub hits: Vec<SearchResult<'a>>,
    /// When nothing was found: a Dutch note saying so.
    pub note: Option<String>,
    /// When nothing was found: names and terms to try instead.
    pub did_you_mean: Vec<String>,
    /// Crisis language found in the text; its crisis lines come first.
    pub signals: Vec<crate::domain::Signal>,
    /// What the text was understood to mean, in Dutch ("‘deurwaarder’ valt onder
    /// schulden"), when the thesaurus widened the search.
    pub understood: Vec<String>,
}

/// One page of offerings.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<'a> {
    /// The offerings on this page.
    pub offerings: Vec<&'a Offering>,
    /// Id to continue after, when there is a next page.
    pub next_after: Option<String>,
    /// Matching offerings over all pages.
    pub total: usize,
}

/// A loaded catalog, ready to answer. Immutable: a change builds a new engine (sharing
/// the index when the indexed content is the same) that replaces this one atomically.
pub struct Engine {
    catalog: Catalog,
    index: Arc<SearchIndex>,
    /// Catalog position by document key ([`crate::search::index::key_of`]).
    positions: Arc<rustc_hash::FxHashMap<u64, usize>>,
    vocabulary: Arc<Vocabulary>,
    /// Each offering's name as searches compare it, by catalog position.
    names: Arc<Names>,
    tunables: Tunables,
}

/// What a change of the served catalog cost the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexChange {
    /// Only availability changed: the index is shared.
    None,
    /// Documents were replaced one by one in the index in memory.
    Updated,
    /// The index was built anew in memory.
    Rebuilt,
}

impl Engine {
    /// Loads the catalog in `catalog_dir` and opens (or rebuilds) its index under
    /// `data_dir`.
    pub fn open(catalog_dir: &Path, data_dir: &Path) -> Result<(Engine, Origin), EngineError> {
        Self::build(Catalog::load(catalog_dir)?, data_dir)
    }

    /// Opens (or rebuilds) the index of `catalog` under `data_dir`.
    pub fn build(catalog: Catalog, data_dir: &Path) -> Result<(Engine, Origin), EngineError> {
        let (index, origin) = SearchIndex::open_or_build(&catalog, data_dir)?;
        Ok((Self::assemble(catalog, index), origin))
    }

    /// Like [`Engine::build`], but when the index cannot be written under `data_dir`
    /// (a full or read-only disk) it is built in memory instead, so the last good
    /// catalog is still served; the notes say so.
    pub fn build_or_in_memory(
        catalog: Catalog,
        data_dir: &Path,
    ) -> Result<(Engine, Origin, Vec<String>), EngineError> {
        match SearchIndex::open_or_build(&catalog, data_dir) {
            Ok((index, origin)) => Ok((Self::assemble(catalog, index), origin, Vec::new())),
            Err(e) => {
                let note = format!(
                    "the index could not be written to disk ({e}); it is kept in memory \
                     for this run, and admin changes may fail until there is room"
                );
                let index = SearchIndex::in_memory(&catalog)?;
                Ok((Self::assemble(catalog, index), Origin::Built, vec![note]))
            }
        }
    }

    /// An engine serving `catalog` with this engine's index, when the indexed content
    /// is the same (only availability differs); otherwise the catalog back, to build anew.
    pub fn with_catalog(&self, catalog: Catalog) -> Result<Engine, Box<Catalog>> {
        if catalog.fingerprint() != self.catalog.fingerprint() {
            return Err(Box::new(catalog));
        }
        Ok(Engine {
            catalog,
            index: Arc::clone(&self.index),
            positions: Arc::clone(&self.positions),
            vocabulary: Arc::clone(&self.vocabulary),
            names: Arc::clone(&self.names),
            tunables: self.tunables,
        })
    }

    /// The engine for `served`, the catalog after a change, made durable by `save`
    /// before anything is visible: when `save` fails, the change is rolled back and its
    /// error returned inside. Only availability changed: the index is shared. Otherwise
    /// the offerings that differ are replaced in the index in memory (the first such
    /// change moves an index on disk into memory).
    pub fn next<E>(
        &self,
        served: Catalog,
        save: impl FnOnce() -> Result<(), E>,
    ) -> Result<Result<(Engine, IndexChange), E>, EngineError> {
        let served = match self.with_catalog(served) {
            Ok(engine) => return Ok(save().map(|()| (engine, IndexChange::None))),
            Err(served) => *served,
        };
        if !self.index.is_updatable() {
            let engine = Engine::in_memory(served)?;
            return Ok(save().map(|()| (engine, IndexChange::Rebuilt)));
        }
        let removed: Vec<&str> = self
            .catalog
            .offerings()
            .iter()
            .filter(|o| served.get(&o.id).is_none())
            .map(|o| o.id.as_str())
            .collect();
        let upserted: Vec<&Offering> = served
            .offerings()
            .iter()
            .filter(|o| self.catalog.get(&o.id) != Some(*o))
            .collect();
        let index = match self.index.updated(&served, &upserted, &removed, save)? {
            Ok(index) => index,
            Err(e) => return Ok(Err(e)),
        };
        Ok(Ok((Self::assemble(served, index), IndexChange::Updated)))
    }

    /// An engine with its index in memory (tests, benchmarks, evaluation).
    pub fn in_memory(catalog: Catalog) -> Result<Engine, EngineError> {
        let index = SearchIndex::in_memory(&catalog)?;
        Ok(Self::assemble(catalog, index))
    }

    fn assemble(catalog: Catalog, index: SearchIndex) -> Engine {
        // The crisis detector is built once per process; build it now rather than
        // during the first search.
        crisis::prepare();
        let vocabulary = Arc::new(Vocabulary::new(&catalog));
        let positions = catalog
            .offerings()
            .iter()
            .enumerate()
            .map(|(i, o)| (key_of(&o.id), i))
            .collect();
        let names = Names::new(&catalog);
        Engine {
            catalog,
            index: Arc::new(index),
            positions: Arc::new(positions),
            vocabulary,
            names: Arc::new(names),
            tunables: DEFAULT_TUNABLES,
        }
    }

    fn position(&self) -> impl Fn(u64) -> Option<usize> + '_ {
        |key| self.positions.get(&key).copied()
    }

    /// The catalog position of an offering of this catalog.
    fn ord(&self, o: &Offering) -> usize {
        self.catalog
            .position_of(o)
            .or_else(|| self.catalog.position(&o.id))
            .expect("an offering of this catalog")
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Free-text search with filters.
    pub fn search(
        &self,
        text: &str,
        filters: &Filters,
        limit: usize,
    ) -> Result<SearchOutcome<'_>, IndexError> {
        let mut outcome = SearchOutcome::default();
        let (signals, lines) =
            matching::crisis_in_text(&self.catalog, text, filters.gemeente.as_deref());
        outcome.signals = signals;
        for (offering, reasons) in lines.into_iter().take(limit) {
            outcome.hits.push(SearchResult {
                offering,
                score: 0.0,
                snippet: Snippet::default(),
                reasons,
            });
        }
        let understood = self
            .catalog
            .thesaurus()
            .understand_search(text, &|stem| self.index.knows(stem));
        outcome.understood = understood.iter().map(|u| u.explanation()).collect();
        let mut extra = expansions(&understood);
        // Two words typed apart that the catalog may write as one ("home start"); not
        // for a text of stop words alone ("op en" is no "open").
        let text_stems = analysis::stems(text);
        let has_content = analysis::normalize(text)
            .split(' ')
            .any(|w| !w.is_empty() && !analysis::is_stop_word(w));
        if has_content {
            let words: Vec<&str> = text.split_whitespace().collect();
            extra.extend(words.windows(2).map(|w| Expansion {
                words: format!("{}{}", w[0], w[1]),
                covers: analysis::stems(&format!("{} {}", w[0], w[1])),
            }));
        }
        // The needs the crisis detector heard are searched for too ("dakloos" for "slaapt
        // al weken buiten"), so the help behind the crisis line is found. A need stands
        // for the words it was heard in, as a thesaurus topic for its phrase: it then
        // outweighs an offering that only shares one of them ("buiten").
        extra.extend(self.signal_expansions(&outcome.signals, &text_stems));
        let typed = Typed::new(text, &self.names);
        // The ordering rules below see the same window whatever the limit, so a short
        // list is the start of a longer one.
        let window = limit.max(ORDER_WINDOW);
        let query = self.index.prepare_expanded(text, &extra, filters);
        if let Some(query) = &query {
            for hit in self
                .index
                .search(query, window + SEARCH_MARGIN, self.position())?
            {
                if outcome.hits.len() >= window {
                    break;
                }
                let offering = &self.catalog.offerings()[hit.ord];
                if outcome.hits.iter().any(|h| h.offering.id == offering.id) {
                    continue;
                }
                // A crisis line shows when the text holds crisis language it answers
                // (put first above) or when it is asked for by name, also while its
                // name is being typed: never as padding.
                if offering.is_crisis_line()
                    && !typed.asks_for(&self.names, hit.ord)
                    && !typed.names_in_full(&self.names, &offering.name)
                {
                    continue;
                }
                // So is an arrangement that has ended: only asked for by name.
                if offering.has_ended() && !matching::names(text, offering) {
                    continue;
                }
                outcome.hits.push(SearchResult {
                    offering,
                    score: f64::from(hit.score),
                    snippet: Snippet::default(),
                    reasons: Vec::new(),
                });
            }
        }
        // An offering asked for by name comes first after crisis lines put first
        // (a word in the name beats one in a description; the order stays stable).
        let first_text = outcome
            .hits
            .iter()
            .take_while(|h| !h.reasons.is_empty())
            .count();
        // A name asked for comes first. When the text holds crisis language, only a name
        // typed in full does: its other words say what is wrong, not which offering is
        // wanted ("leven" in "wil niet meer leven" is no request for Vier het leven, while
        // "nachtopvang hooghaven" asks for Nachtopvang Hooghaven). When the text names a need the
        // thesaurus knows, an offering in none of its leefgebieden matched only a side
        // word ("moeder" in "demensie moeder"): it comes after the offerings about the
        // need, also after an arrangement of a past period about it. Among offerings
        // alike in both, one from a past period comes after the current ones.
        // A need the crisis detector heard counts as well, so the help behind the crisis
        // line keeps its place.
        let by_name = outcome.signals.is_empty();
        // An offering for groups that a person of the age the text gives cannot be in,
        // and that the text does not ask for, comes after those that may fit ("ik ben 45"
        // and youth mental health care).
        let aged = doelgroep::Aged::of(text);
        let other_group = |o: &Offering| {
            aged.as_ref()
                .is_some_and(|person| person.not_for(&o.eligibility))
        };
        let needs: HashSet<Leefgebied> = understood
            .iter()
            .map(|u| u.topic)
            .flat_map(|t| t.leefgebieden.iter().copied())
            .chain(
                outcome
                    .signals
                    .iter()
                    .flat_map(|s| s.leefgebieden().iter().copied()),
            )
            .collect();
        let named = |o: &Offering| {
            typed.asks_for(&self.names, self.ord(o))
                && (by_name || typed.names_in_full(&self.names, &o.name))
        };
        // Then a name of more than one word typed in full, among other words ("licht
        // voor dordt hulplijn"): more of a name typed beats a word of it.
        let in_full = |o: &Offering| {
            let stems = &self.names.keys[self.ord(o)].0;
            by_name
                && stems.len() > 1
                && stems.iter().any(|s| typed.known.contains(s))
                && typed.names_in_full(&self.names, &o.name)
        };
        outcome.hits[first_text..].sort_by_cached_key(|h| {
            (
                !named(h.offering),
                !in_full(h.offering),
                other_group(h.offering),
                !needs.is_empty() && !h.offering.leefgebieden.iter().any(|l| needs.contains(l)),
                h.offering.historic.is_some(),
            )
        });
        self.door_after_maatwerk(&mut outcome.hits, first_text, filters);
        outcome.hits.truncate(limit);
        // Snippets only for what is shown.
        if let Some(query) = &query {
            for h in &mut outcome.hits[first_text.min(limit)..] {
                h.snippet = self.index.snippet(query, h.offering);
            }
        }
        // Crisis lines put first carry the best score of the list.
        let best = outcome.hits.iter().map(|h| h.score).fold(0.0, f64::max);
        for h in (outcome.hits.iter_mut())
            .filter(|h| h.offering.is_crisis_line() && !h.reasons.is_empty())
        {
            h.score = best + 1.0;
            if h.snippet.text.is_empty() {
                h.snippet.text = opening(&h.offering.description, SNIPPET_BYTES);
            }
        }
        if outcome.hits.is_empty() {
            outcome.note = Some(
                "Niets gevonden voor deze zoekvraag. Probeer een van de suggesties of andere woorden, of verwijs naar de algemene toegang hieronder.".to_string(),
            );
            outcome.did_you_mean = self.vocabulary.did_you_mean(text, DID_YOU_MEAN);
            if let Some(door) = self.general_door(filters) {
                outcome.hits.push(SearchResult {
                    offering: door,
                    score: 0.0,
                    snippet: Snippet {
                        text: opening(&door.description, SNIPPET_BYTES),
                        highlights: Vec::new(),
                    },
                    reasons: vec![
                        "Niets gevonden voor deze woorden: dit is de algemene toegang voor elke hulpvraag."
                            .to_string(),
                    ],
                });
            }
        }
        Ok(outcome)
    }

    /// The words searched for the needs that `signals` name, standing for the words of
    /// the text they were heard in (`covers`): the signal's own word ("dakloos"), and
    /// the words of the thesaurus topics that name the help for it (a listening line
    /// for suicidal thoughts). Search and Match both look for them, so the help behind
    /// the crisis line is found whether the signal was ticked or heard.
    fn signal_expansions(&self, signals: &[Signal], covers: &[String]) -> Vec<Expansion> {
        let own = signals.iter().map(|s| Expansion {
            words: s.key().replace('_', " "),
            covers: covers.to_vec(),
        });
        let topics = self
            .catalog
            .thesaurus()
            .for_signals(signals)
            .map(|t| Expansion {
                words: t.search_words.join(" . "),
                covers: covers.to_vec(),
            });
        own.chain(topics).collect()
    }

    /// Maatwerk is reached through its door (its `via`: the Wmo-loket, the SDD, the
    /// sociaal wijkteam). When the first hit after the crisis lines (`from`) is maatwerk
    /// that is open now, the door follows it, also when the text did not find the door:
    /// it is the way to the help shown, not padding. (Match puts the door first; a search
    /// often names the maatwerk it wants.)
    fn door_after_maatwerk<'a>(
        &'a self,
        hits: &mut Vec<SearchResult<'a>>,
        from: usize,
        filters: &Filters,
    ) {
        let Some(maatwerk) = (hits.get(from).map(|h| h.offering))
            .filter(|o| o.ranking_tier() == Tier::Maatwerk && o.is_open())
        else {
            return;
        };
        let Some(door) = (maatwerk.via.as_deref())
            .and_then(|id| self.catalog.get(id))
            .filter(|d| d.ranking_tier() == Tier::Toegang && d.is_open() && filters.accepts(d))
        else {
            return;
        };
        // Above `from` stand only crisis lines, never a door.
        let mut entry = match hits.iter().position(|h| h.offering.id == door.id) {
            Some(p) => hits.remove(p),
            None => SearchResult {
                offering: door,
                score: hits[from].score,
                snippet: Snippet::default(),
                reasons: Vec::new(),
            },
        };
        entry.reasons.push(wording::door_to(&maatwerk.name));
        hits.insert(from + 1, entry);
    }

    /// The door for any question within `filters`: the door to specialist help
    /// (`TOEGANG`) that covers the most leefgebieden there (the sociaal wijkteam, the
    /// sociale dienst), ties by id.
    fn general_door(&self, filters: &Filters) -> Option<&Offering> {
        self.catalog
            .offerings()
            .iter()
            .filter(|o| o.ranking_tier() == crate::domain::Tier::Toegang && filters.accepts(o))
            .max_by(|a, b| {
                a.leefgebieden
                    .len()
                    .cmp(&b.leefgebieden.len())
                    .then(b.id.cmp(&a.id))
            })
    }

    /// Completions for a prefix; when the typed text holds crisis language, the crisis
    /// lines that answer it come first.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<Suggestion> {
        let (_, lines) = matching::crisis_in_text(&self.catalog, prefix, None);
        let mut out: Vec<Suggestion> = lines
            .into_iter()
            .map(|(o, _)| Suggestion {
                text: o.name.clone(),
                kind: crate::search::suggest::Kind::Offering,
                offering_id: Some(o.id.clone()),
            })
            .collect();
        for s in self.vocabulary.suggest(prefix, limit) {
            if !out.iter().any(|o| o.text == s.text) {
                out.push(s);
            }
        }
        out.truncate(limit);
        out
    }

    /// Ranks offerings for a help request.
    pub fn match_request(
        &self,
        request: &HelpRequest,
        limit: usize,
    ) -> Result<MatchOutcome<'_>, IndexError> {
        self.match_among(request, limit, Candidates::Retrieved)
    }

    /// [`Engine::match_request`] ranking every offering of the catalog: the reference
    /// that retrieval by the index must agree with (a test compares the two).
    pub fn match_request_scanning(
        &self,
        request: &HelpRequest,
        limit: usize,
    ) -> Result<MatchOutcome<'_>, IndexError> {
        self.match_among(request, limit, Candidates::Every)
    }

    fn match_among(
        &self,
        request: &HelpRequest,
        limit: usize,
        from: Candidates,
    ) -> Result<MatchOutcome<'_>, IndexError> {
        let signals = matching::signals_of(request);
        let text_scores = self.text_scores(request, &signals.0)?;
        let candidates: Vec<usize> = match from {
            Candidates::Every => (0..self.catalog.offerings().len()).collect(),
            // Only offerings filed under a leefgebied of the request, or found by its
            // text, can be relevant: they come from the index, not a pass over the catalog.
            Candidates::Retrieved => {
                let domains: Vec<Leefgebied> =
                    request.leefgebieden.iter().map(|d| d.leefgebied).collect();
                let mut found = self.index.filed_under(
                    &domains,
                    request.context.gemeente.as_deref(),
                    self.position(),
                )?;
                found.extend(text_scores.keys());
                found.sort_unstable();
                found.dedup();
                found
            }
        };
        Ok(matching::rank(
            &self.catalog,
            request,
            signals,
            &candidates,
            &text_scores,
            limit,
            &self.tunables,
        ))
    }

    /// Text relevance of the request's free text, and of the needs its `signals` name,
    /// normalised so the best hit is 1.
    fn text_scores(
        &self,
        request: &HelpRequest,
        signals: &[Signal],
    ) -> Result<TextScores, IndexError> {
        let filters = Filters {
            gemeente: request.context.gemeente.clone(),
            ..Filters::default()
        };
        let understood = self.catalog.thesaurus().understand_all(&request.text);
        let mut extra = expansions(&understood);
        if !signals.is_empty() {
            extra.extend(self.signal_expansions(signals, &analysis::stems(&request.text)));
        }
        let Some(query) = self.index.prepare(&request.text, &extra, &filters) else {
            return Ok(TextScores::default());
        };
        let hits = self
            .index
            .search(&query, MATCH_TEXT_CANDIDATES, self.position())?;
        let best = hits
            .first()
            .map_or(1.0, |h| f64::from(h.score))
            .max(f64::EPSILON);
        Ok(hits
            .into_iter()
            .map(|h| (h.ord, f64::from(h.score) / best))
            .collect())
    }

    /// One offering by id.
    pub fn get(&self, id: &str) -> Option<&Offering> {
        self.catalog.get(id)
    }

    /// A page of offerings in id order, starting after `after`.
    pub fn list(&self, filters: &Filters, page_size: usize, after: Option<&str>) -> Page<'_> {
        let matching: Vec<&Offering> = self
            .catalog
            .offerings()
            .iter()
            .filter(|o| filters.accepts(o))
            .collect();
        let start = after.map_or(0, |a| matching.partition_point(|o| o.id.as_str() <= a));
        let offerings: Vec<&Offering> = matching
            .iter()
            .skip(start)
            .take(page_size)
            .copied()
            .collect();
        let next_after = (start + offerings.len() < matching.len())
            .then(|| offerings.last().map(|o| o.id.clone()))
            .flatten();
        Page {
            offerings,
            next_after,
            total: matching.len(),
        }
    }
}

/// What the thesaurus understood, as query words: each topic's catalog words stand for
/// the words of the phrase it was understood from.
fn expansions(understood: &[Understood<'_>]) -> Vec<Expansion> {
    understood
        .iter()
        .map(|u| Expansion {
            words: u.topic.search_words.join(" . "),
            covers: analysis::stems(u.phrase),
        })
        .collect()
}

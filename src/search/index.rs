//! The tantivy index over the catalog: schema, persistence and typo-tolerant queries.
//!
//! The index lives in `<data-dir>/index` beside a `FINGERPRINT` file holding the
//! catalog's fingerprint. At start-up an index whose fingerprint matches is opened as it
//! is; otherwise it is rebuilt in a fresh folder and swapped in, so a crash mid-build
//! never leaves a half-built index behind. One [`IndexReader`] serves the process; each
//! query takes a cheap searcher from it.

use foldhash::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use tantivy_fst::{IntoStreamer, Streamer};

use sha2::Digest as _;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{
    BitSetDocSet, BooleanQuery, BoostQuery, ConstScorer, EnableScoring, Explanation, Occur, Query,
    Scorer, TermQuery, Weight,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    doc, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::catalog::Catalog;
use crate::domain::{Filters, Leefgebied, Offering, ServiceArea};
use crate::ops::progress::Progress;
use crate::search::analysis::{self, DutchTokenizer, TOKENIZER_NAME};

/// Why the index could not be built, opened or queried.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Tantivy failed.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A file in the data directory could not be read or written.
    #[error("search index at {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Bumped whenever the schema changes, so persisted indexes are rebuilt.
const SCHEMA_VERSION: u32 = 2;

/// Prefix of the folder a new index is built in before it replaces the old one; any left
/// by an earlier process are removed at start-up.
pub const BUILDING_PREFIX: &str = "index.building-";

/// Term used in the gemeente field for offerings available everywhere.
const NATIONAL_TERM: &str = "*nederland";

/// How much each text field weighs in relevance.
const FIELD_BOOSTS: Fields<f32> = Fields {
    name: 3.0,
    lay_terms: 2.0,
    description: 1.0,
    organisation: 1.0,
    domains: 0.6,
};

/// Weight of a compound part relative to a whole query word.
const PART_WEIGHT: f32 = 0.6;
/// Weight of a word naming whom the text is about ([`analysis::is_person_word`]) when
/// the text says more, relative to a word typed. Chosen among 0.1, 0.3 and 0.6 on the
/// tuning halves (they differ by less than 0.01 in nDCG@5).
const PERSON_WEIGHT: f32 = 0.1;
/// Weight of a fuzzy (typo) match relative to an exact one.
const FUZZY_WEIGHT: f32 = 0.5;
/// Weight of a match on the start of the word being typed: below a typo, so a complete
/// word always ranks above a completion.
const PREFIX_WEIGHT: f32 = 0.4;
/// Weight of a word added for what the text mentions (a thesaurus topic's words, a need
/// the crisis detector heard, two words typed apart written as one).
const EXPANSION_WEIGHT: f32 = 0.5;
/// The same in an intake note (thesaurus topics only).
const NOTE_EXPANSION_WEIGHT: f32 = 0.25;

fn expansion_weight(reading: Reading) -> f32 {
    match reading {
        Reading::Typed => EXPANSION_WEIGHT,
        Reading::Note => NOTE_EXPANSION_WEIGHT,
    }
}
/// Score of each word typed that an offering matches (see
/// [`SearchIndex::prepare_expanded`]): about what one exact match of a rare word in a
/// description scores, so an offering that matches more of the words typed mostly comes
/// first while the fields still count. Chosen among 3, 10 and 30 on the tuning half of
/// the caller searches, the own cases, the personas and the generated 100k queries.
const WORD_SCORE: f32 = 10.0;
/// Most terms of a typo or prefix set counted for its rarity.
const RARITY_TERMS: usize = 64;
/// Shortest word being typed that is matched as a prefix.
const PREFIX_MIN_CHARS: usize = 3;
/// A query word that at least this many offerings hold in one field is taken as spelled
/// right: it gets no typo expansion.
const COMMON_TERM_DOCS: u64 = 50;
/// Longest snippet, in bytes (as many characters in most Dutch text).
pub const SNIPPET_BYTES: usize = 160;

#[derive(Clone, Copy)]
struct Fields<T> {
    name: T,
    lay_terms: T,
    description: T,
    organisation: T,
    domains: T,
}

impl<T: Copy> Fields<T> {
    fn zip<U: Copy>(self, other: Fields<U>) -> [(T, U); 5] {
        [
            (self.name, other.name),
            (self.lay_terms, other.lay_terms),
            (self.description, other.description),
            (self.organisation, other.organisation),
            (self.domains, other.domains),
        ]
    }
}

/// The schema's fields.
#[derive(Clone, Copy)]
struct Schemas {
    /// The offering's key, from its id ([`key_of`]): indexed, to delete one document
    /// when the offering changes, and a fast field, to find the offering of a hit.
    key: Field,
    /// Analyzed text fields.
    text: Fields<Field>,
    /// Normalized gemeente names served, or [`NATIONAL_TERM`].
    gemeente: Field,
    /// Tier key.
    tier: Field,
    /// Domain keys.
    leefgebied: Field,
}

impl Schemas {
    fn build() -> (Schema, Schemas) {
        let mut b = Schema::builder();
        let analyzed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Schemas {
            key: b.add_u64_field("key", FAST | INDEXED),
            text: Fields {
                name: b.add_text_field("naam", analyzed.clone()),
                lay_terms: b.add_text_field("zoektermen", analyzed.clone()),
                description: b.add_text_field("beschrijving", analyzed.clone()),
                organisation: b.add_text_field("organisatie", analyzed.clone()),
                domains: b.add_text_field("domeinen", analyzed),
            },
            gemeente: b.add_text_field("gemeente", STRING),
            tier: b.add_text_field("niveau", STRING),
            leefgebied: b.add_text_field("leefgebied", STRING),
        };
        (b.build(), fields)
    }

    fn from_schema(schema: &Schema) -> Result<Schemas, IndexError> {
        let f = |name: &str| schema.get_field(name).map_err(IndexError::from);
        Ok(Schemas {
            key: f("key")?,
            text: Fields {
                name: f("naam")?,
                lay_terms: f("zoektermen")?,
                description: f("beschrijving")?,
                organisation: f("organisatie")?,
                domains: f("domeinen")?,
            },
            gemeente: f("gemeente")?,
            tier: f("niveau")?,
            leefgebied: f("leefgebied")?,
        })
    }
}

/// Words the catalog uses for something the text mentions, and the stems of the words
/// typed they stand for (none when they stand for no word in particular).
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    /// The catalog's words, as text.
    pub words: String,
    /// Stems of the words typed that these words stand for.
    pub covers: Vec<String>,
}

/// What kind of text a query is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Typed into a search box: typos, and a last word still being typed.
    Typed,
    /// The free text of a help request, written out by a professional.
    Note,
}

/// One search hit: the offering's position in the catalog and its relevance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Position in [`Catalog::offerings`].
    pub ord: usize,
    /// BM25-based relevance.
    pub score: f32,
}

/// A highlighted fragment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// The text.
    pub text: String,
    /// Highlighted byte ranges in `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// An analyzed query, ready to run.
pub struct PreparedQuery {
    query: Box<dyn Query>,
    /// The terms of the description field the query matches, for the snippet.
    highlight: HashSet<Box<[u8]>>,
}

/// The searchable index of one catalog: a snapshot. An index in memory can be updated
/// document by document ([`SearchIndex::updated`]); the update is a new snapshot, and
/// engines holding the old one go on seeing the old documents.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    searcher: Searcher,
    /// The one writer of an index in memory; `None` for an index on disk, which live
    /// changes never write (they move to memory on the first change of content).
    writer: Option<Arc<Mutex<IndexWriter>>>,
    fields: Schemas,
    /// Every term of the text fields, to one bit per field that holds it: a typo or
    /// prefix automaton walks this once per query word, not once per field.
    terms: Arc<tantivy_fst::Map<Vec<u8>>>,
    /// The typo neighbours of words looked up before (see
    /// [`SearchIndex::typo_neighbours`]).
    neighbours: Mutex<NeighbourCache>,
}

/// The key of an offering's document: the first eight bytes of its id's SHA-256.
pub fn key_of(id: &str) -> u64 {
    let digest = sha2::Sha256::digest(id.as_bytes());
    u64::from_be_bytes(digest[..8].try_into().expect("eight bytes"))
}

/// Memory budget of the writer of an index in memory.
const WRITER_BYTES: usize = 20_000_000;

/// Whether the index was reused or rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An up-to-date index was found on disk.
    Reused,
    /// The index was (re)built from the catalog.
    Built,
}

impl SearchIndex {
    /// Opens the index for `catalog` under `data_dir`, rebuilding it when the catalog
    /// changed since it was written or when any of its files fails its checksum. A new
    /// index is built beside the old one and only then swapped in.
    pub fn open_or_build(
        catalog: &Catalog,
        data_dir: &Path,
    ) -> Result<(SearchIndex, Origin), IndexError> {
        let dir = data_dir.join("index");
        let wanted = format!("{}-{}", SCHEMA_VERSION, catalog.fingerprint());
        match Self::reuse(&dir, &wanted, catalog.offerings().len()) {
            Ok(Some(index)) => return Ok((index, Origin::Reused)),
            Ok(None) => {}
            Err(reason) => tracing::warn!(%reason, "index on disk is damaged; rebuilding it"),
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| IndexError::Io { path, source }
        };
        fs::create_dir_all(data_dir).map_err(io(data_dir))?;
        let fresh = data_dir.join(format!("{BUILDING_PREFIX}{}", std::process::id()));
        if fresh.exists() {
            fs::remove_dir_all(&fresh).map_err(io(&fresh))?;
        }
        let built = (|| {
            fs::create_dir_all(&fresh).map_err(io(&fresh))?;
            let (schema, _) = Schemas::build();
            let index = Index::create_in_dir(&fresh, schema)?;
            let writer = Self::write_docs(&index, catalog)?;
            writer.wait_merging_threads()?;
            fs::write(fresh.join("FINGERPRINT"), &wanted).map_err(io(&fresh))?;
            drop(index);
            if dir.exists() {
                fs::remove_dir_all(&dir).map_err(io(&dir))?;
            }
            fs::rename(&fresh, &dir).map_err(io(&dir))
        })();
        if let Err(e) = built {
            let _ = fs::remove_dir_all(&fresh);
            return Err(e);
        }
        Ok((Self::from_index(Index::open_in_dir(&dir)?)?, Origin::Built))
    }

    /// The index in `dir` when it is the one `wanted`, whole and undamaged: `Ok(None)`
    /// when it is missing or for another catalog, `Err` with the reason when it is
    /// damaged. Never panics on a damaged file.
    fn reuse(dir: &Path, wanted: &str, docs: usize) -> Result<Option<SearchIndex>, String> {
        if !fs::read_to_string(dir.join("FINGERPRINT")).is_ok_and(|s| s.trim() == wanted) {
            return Ok(None);
        }
        let dir = dir.to_path_buf();
        let checked = std::panic::catch_unwind(move || -> Result<SearchIndex, String> {
            let index = Index::open_in_dir(&dir).map_err(|e| e.to_string())?;
            let damaged = index.validate_checksum().map_err(|e| e.to_string())?;
            if !damaged.is_empty() {
                return Err(format!("{} file(s) fail their checksum", damaged.len()));
            }
            let opened = Self::from_index(index).map_err(|e| e.to_string())?;
            if opened.num_docs() != docs {
                return Err(format!(
                    "it holds {} offerings, not {docs}",
                    opened.num_docs()
                ));
            }
            opened.read_every_document()?;
            Ok(opened)
        });
        match checked {
            Ok(result) => result.map(Some),
            Err(_) => Err("reading it failed".to_string()),
        }
    }

    /// Reads every stored document once, so a damaged store is found at start-up and
    /// not by a search.
    fn read_every_document(&self) -> Result<(), String> {
        let searcher = &self.searcher;
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(0).map_err(|e| e.to_string())?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                doc.map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }

    /// Builds an index in memory (for live changes, tests and benchmarks); it keeps its
    /// writer, so later changes update it document by document.
    pub fn in_memory(catalog: &Catalog) -> Result<SearchIndex, IndexError> {
        let (schema, _) = Schemas::build();
        let index = Index::create_in_ram(schema);
        let writer = Self::write_docs(&index, catalog)?;
        let mut opened = Self::from_index(index)?;
        opened.writer = Some(Arc::new(Mutex::new(writer)));
        Ok(opened)
    }

    /// Whether this index can be updated document by document (it is in memory).
    pub fn is_updatable(&self) -> bool {
        self.writer.is_some()
    }

    /// A new snapshot with the documents of `upserted` (added or replaced) and without
    /// those of `removed`, committed only when `save` succeeds: `save` runs between the
    /// prepared commit and the commit, so a change that could not be saved is rolled
    /// back and never seen. The outer error is the index's, the inner one `save`'s.
    pub fn updated<E>(
        &self,
        catalog: &Catalog,
        upserted: &[&Offering],
        removed: &[&str],
        save: impl FnOnce() -> Result<(), E>,
    ) -> Result<Result<SearchIndex, E>, IndexError> {
        let writer = self.writer.as_ref().ok_or_else(|| {
            IndexError::Tantivy(tantivy::TantivyError::InvalidArgument(
                "an index on disk is not updated in place".into(),
            ))
        })?;
        let mut writer = writer.lock().unwrap_or_else(|e| e.into_inner());
        let f = self.fields;
        for id in removed
            .iter()
            .copied()
            .chain(upserted.iter().map(|o| o.id.as_str()))
        {
            writer.delete_term(Term::from_field_u64(f.key, key_of(id)));
        }
        for o in upserted {
            writer.add_document(document(&f, catalog, o))?;
        }
        let prepared = writer.prepare_commit()?;
        if let Err(e) = save() {
            prepared.abort()?;
            return Ok(Err(e));
        }
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        Ok(Ok(SearchIndex {
            index: self.index.clone(),
            reader: self.reader.clone(),
            terms: Arc::new(text_terms(&searcher, &self.fields)?),
            searcher,
            writer: self.writer.clone(),
            fields: self.fields,
            neighbours: Mutex::default(),
        }))
    }

    fn from_index(index: Index) -> Result<SearchIndex, IndexError> {
        index
            .tokenizers()
            .register(TOKENIZER_NAME, TextAnalyzer::from(DutchTokenizer));
        let fields = Schemas::from_schema(&index.schema())?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        Ok(SearchIndex {
            index,
            terms: Arc::new(text_terms(&searcher, &fields)?),
            searcher,
            reader,
            writer: None,
            fields,
            neighbours: Mutex::default(),
        })
    }

    fn write_docs(index: &Index, catalog: &Catalog) -> Result<IndexWriter, IndexError> {
        index
            .tokenizers()
            .register(TOKENIZER_NAME, TextAnalyzer::from(DutchTokenizer));
        let f = Schemas::from_schema(&index.schema())?;
        let mut writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        // A large catalog fills several segments; they are merged into one below, before
        // the index is opened (each segment searched costs its own term look-ups and
        // scorers); the background policy merges only some counts, and later.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut progress = Progress::new("indexing", "offerings", catalog.offerings().len() as u64);
        for o in catalog.offerings() {
            progress.add(1);
            writer.add_document(document(&f, catalog, o))?;
        }
        writer.commit()?;
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            // The committed segments are a whole index: one that cannot be merged is
            // searched segment by segment.
            if let Err(e) = writer.merge(&segments).wait() {
                tracing::warn!(error = %e, "index segments not merged into one");
            }
        }
        // Live changes add small segments: those the usual policy merges.
        writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        progress.finish();
        Ok(writer)
    }

    /// Number of indexed offerings.
    pub fn num_docs(&self) -> usize {
        self.searcher.num_docs() as usize
    }

    /// Turns free text (an intake note) and filters into a query, with `extra` words
    /// (the catalog's words for what the text mentions) that also match, weighted below
    /// the words written; `None` when the text has no searchable words (only stop words
    /// or punctuation).
    pub fn prepare(
        &self,
        text: &str,
        extra: &[Expansion],
        filters: &Filters,
    ) -> Option<PreparedQuery> {
        self.build(text, extra, filters, Reading::Note)
    }

    /// Like [`SearchIndex::prepare`], for text typed into a search box rather than an
    /// intake note.
    ///
    /// Typos and the word being typed are expected here: they weigh as much as the words
    /// they stand for (see [`SearchIndex::rarity`]). And more words typed that an
    /// offering matches mostly beats fewer (after Meilisearch's first ranking rule): each
    /// word typed that an offering matches, in any field, exactly, with a typo, as the
    /// start of the word being typed, or through extra words that stand for it, adds
    /// [`WORD_SCORE`] once, however many fields hold it.
    pub fn prepare_expanded(
        &self,
        text: &str,
        extra: &[Expansion],
        filters: &Filters,
    ) -> Option<PreparedQuery> {
        self.build(text, extra, filters, Reading::Typed)
    }

    fn build(
        &self,
        text: &str,
        extra: &[Expansion],
        filters: &Filters,
        reading: Reading,
    ) -> Option<PreparedQuery> {
        let terms = analysis::analyze(text);
        // A text of stop words alone may still say something ("wil er niet meer zijn"):
        // then only what it was understood to mean is searched for.
        if terms.is_empty() && extra.is_empty() {
            return None;
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // In typed text, the clauses of each word typed (by position) are grouped, so
        // that the group can add the word's bonus once.
        let words = terms.iter().map(|t| t.position + 1).max().unwrap_or(0);
        let mut per_word: Vec<Vec<(Occur, Box<dyn Query>)>> =
            (0..words).map(|_| Vec::new()).collect();
        let mut place = |word: Option<usize>, clause: Box<dyn Query>| match word {
            Some(p) if reading == Reading::Typed => per_word[p].push((Occur::Should, clause)),
            _ => should.push((Occur::Should, clause)),
        };
        let mut whole = vec![""; words];
        for t in terms.iter().filter(|t| !t.is_part) {
            whole[t.position] = t.text.as_str();
        }
        let mut seen = std::collections::HashSet::new();
        // The description's terms the query matches, for the snippet (only a search
        // shows one).
        let mut highlight: HashSet<Box<[u8]>> = HashSet::default();
        let description = self.fields.text.description;
        let mut mark = |field: Field, terms: &mut dyn Iterator<Item = &[u8]>| {
            if field == description && reading == Reading::Typed {
                highlight.extend(terms.map(Box::from));
            }
        };
        for expansion in extra {
            let covered: Vec<usize> = (0..words)
                .filter(|&p| expansion.covers.iter().any(|c| c == whole[p]))
                .collect();
            for t in analysis::analyze(&expansion.words) {
                if t.is_part || terms.iter().any(|typed| typed.text == t.text) {
                    continue;
                }
                let first = seen.insert(format!("+{}", t.text));
                let held = self.fields_holding(&t.text);
                for (field, boost) in held.iter().map(|&i| self.fields.text.zip(FIELD_BOOSTS)[i]) {
                    mark(field, &mut std::iter::once(t.text.as_bytes()));
                    let term = Term::from_field_text(field, &t.text);
                    let exact: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    // Scored once, with the first word it stands for; the other words
                    // it stands for only count as matched.
                    let weight = if first {
                        boost * expansion_weight(reading)
                    } else {
                        0.0
                    };
                    // A note has no per-word groups: there only the scored clause counts.
                    let covered = match reading {
                        Reading::Typed => &covered[..],
                        Reading::Note => &covered[..covered.len().min(1)],
                    };
                    for (n, &p) in covered.iter().enumerate() {
                        let weight = if n == 0 { weight } else { 0.0 };
                        place(
                            Some(p),
                            Box::new(BoostQuery::new(exact.box_clone(), weight)),
                        );
                    }
                    if covered.is_empty() && first {
                        place(None, Box::new(BoostQuery::new(exact, weight)));
                    }
                }
            }
        }
        // A word naming whom the text is about ("moeder" in "mijn moeder is eenzaam")
        // does not decide what is found when the text says more.
        let person: Vec<bool> = terms
            .iter()
            .map(|t| !t.is_part && analysis::is_person_word(&text[t.from..t.to]))
            .collect();
        let says_more = terms.iter().zip(&person).any(|(t, &p)| !t.is_part && !p);
        for (t, &person) in terms.iter().zip(&person) {
            if !seen.insert(t.text.clone()) {
                continue;
            }
            let about = says_more && person;
            let weight = if t.is_part {
                PART_WEIGHT
            } else if about {
                PERSON_WEIGHT
            } else {
                1.0
            };
            // A part of a compound, or a word naming whom the text is about, scores but
            // does not count as a word typed.
            let word = (!t.is_part && !about).then_some(t.position);
            let distance = fuzzy_distance(&t.text);
            // The terms within a typo or two, from one walk over the terms of all fields
            // (kept for later queries); none for a word many offerings use: it is no
            // typo, and its neighbours are costly to collect in a large catalog.
            let held = self.fields_holding(&t.text);
            let mut neighbours = (distance > 0 && !self.is_common(&t.text))
                .then(|| (*self.typo_neighbours(&t.text, distance)).clone());
            // A misspelt word may keep an ending the stemmer strips from the word meant
            // ("tornkring" stays whole, "torenkring" is indexed as "torenkr"): a word
            // no field holds is also looked for without such an ending.
            if let (Some(sets), true) = (neighbours.as_mut(), held.is_empty() && !t.is_part) {
                for (bare, distance) in
                    without_ending(&analysis::normalize(&text[t.from..t.to]), &t.text)
                {
                    let found = self.typo_neighbours(&bare, distance);
                    for (set, more) in sets.iter_mut().zip(found.iter()) {
                        if !more.is_empty() {
                            let mut merged: Vec<Vec<u8>> =
                                set.iter().chain(more.iter()).cloned().collect();
                            merged.sort_unstable();
                            merged.dedup();
                            *set = merged.into();
                        }
                    }
                }
            }
            for (i, (field, boost)) in self.fields.text.zip(FIELD_BOOSTS).into_iter().enumerate() {
                if held.contains(&i) {
                    mark(field, &mut std::iter::once(t.text.as_bytes()));
                    let term = Term::from_field_text(field, &t.text);
                    let exact = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    place(
                        word,
                        Box::new(BoostQuery::new(Box::new(exact), boost * weight)),
                    );
                }
                if let Some(mut set) = neighbours.as_ref().map(|n| n[i].clone()) {
                    // The word itself is matched above, exactly.
                    if reading == Reading::Typed && set.iter().any(|n| n == t.text.as_bytes()) {
                        set = set
                            .iter()
                            .filter(|n| *n != t.text.as_bytes())
                            .cloned()
                            .collect();
                    }
                    mark(field, &mut set.iter().map(Vec::as_slice));
                    let rarity = self.rarity(field, &set, reading);
                    if let Some(fuzzy) = term_set_query(field, set) {
                        let weight = boost * weight * FUZZY_WEIGHT * rarity;
                        place(word, Box::new(BoostQuery::new(fuzzy, weight)));
                    }
                }
            }
        }
        for prefix in typed_prefixes(text) {
            let mut completions = self.per_field(&PrefixAutomaton(prefix.into_bytes()));
            for (i, (field, boost)) in self.fields.text.zip(FIELD_BOOSTS).into_iter().enumerate() {
                let mut set = std::mem::take(&mut completions[i]);
                // A word typed in full is matched above, exactly: only what goes on
                // from it counts here.
                set.retain(|t| {
                    !terms
                        .iter()
                        .any(|typed| typed.text.as_bytes() == t.as_slice())
                });
                mark(field, &mut set.iter().map(Vec::as_slice));
                let rarity = self.rarity(field, &set, reading);
                if let Some(query) = term_set_query(field, set.into()) {
                    let weight = boost * PREFIX_WEIGHT * rarity;
                    place(
                        words.checked_sub(1),
                        Box::new(BoostQuery::new(query, weight)),
                    );
                }
            }
        }
        for clauses in per_word.into_iter().filter(|c| !c.is_empty()) {
            should.push((
                Occur::Should,
                Box::new(WordQuery {
                    query: Box::new(BooleanQuery::new(clauses)),
                    bonus: WORD_SCORE,
                }),
            ));
        }
        let text_query: Box<dyn Query> = Box::new(BooleanQuery::new(should));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        clauses.extend(self.filter_clauses(filters));
        Some(PreparedQuery {
            query: Box::new(BooleanQuery::new(clauses)),
            highlight,
        })
    }

    /// Whether `stem` is a term of the catalog's text: a word the catalog writes is a
    /// word, not a typo of another one ("hoger" is no "honger").
    pub fn knows(&self, stem: &str) -> bool {
        self.terms.contains_key(stem)
    }

    /// The text fields (in [`Fields::zip`] order) whose terms include `term`: a query for
    /// it in another field would match nothing and only cost a lookup.
    fn fields_holding(&self, term: &str) -> Vec<usize> {
        let mask = self.terms.get(term).unwrap_or(0);
        (0..5).filter(|i| mask & (1 << i) != 0).collect()
    }

    /// The terms `automaton` accepts, per text field (in [`Fields::zip`] order), from
    /// one walk over the terms of all fields.
    fn per_field<A: tantivy_fst::Automaton>(&self, automaton: &A) -> [Vec<Vec<u8>>; 5] {
        let mut out: [Vec<Vec<u8>>; 5] = Default::default();
        let mut stream = self.terms.search(automaton).into_stream();
        while let Some((term, mask)) = stream.next() {
            for (i, set) in out.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    set.push(term.to_vec());
                }
            }
        }
        out
    }

    /// The terms of each text field (in [`Fields::zip`] order) within `distance` edits
    /// of `term`, from the cache when the word was looked up before.
    fn typo_neighbours(&self, term: &str, distance: u8) -> Arc<[Terms; 5]> {
        let key = (Box::<str>::from(term), distance);
        // The cache holds whole entries only: one a panic interrupted is still usable.
        let cache = || self.neighbours.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache().found.get(&key).cloned() {
            return found;
        }
        let found: Arc<[Terms; 5]> = Arc::new(
            self.per_field(&typo_automaton(term, distance))
                .map(Terms::from),
        );
        let terms: usize = found.iter().map(|t| t.len()).sum();
        if terms <= NEIGHBOUR_TERMS_MAX {
            let mut cache = cache();
            if cache.found.len() >= NEIGHBOUR_WORDS_MAX || cache.terms + terms > NEIGHBOUR_TERMS_MAX
            {
                cache.found.clear();
                cache.terms = 0;
            }
            cache.terms += terms;
            // Another query may have put the same word in meanwhile.
            if let Some(before) = cache.found.insert(key, found.clone()) {
                cache.terms -= before.iter().map(|t| t.len()).sum::<usize>();
            }
        }
        found
    }

    /// How rare the words of `set` are in `field`: the BM25 inverse document frequency
    /// of all of them together, what one exact match of an equally rare word scores. A
    /// typo or a completion of a rare word then weighs like that word (times its
    /// weight), not like a fixed amount that a common word's score drowns in a large
    /// catalog. Counted over the first [`RARITY_TERMS`] terms and scaled up to the whole
    /// set. In an intake note ([`Reading::Note`]) a near neighbour of a word
    /// spelled right is mostly another word ("passief", "passend"), so there it keeps a
    /// fixed, small score.
    fn rarity(&self, field: Field, set: &[Vec<u8>], reading: Reading) -> f32 {
        if reading == Reading::Note {
            return 1.0;
        }
        let docs = self.searcher.num_docs() as f32;
        let holding: u64 = set
            .iter()
            .take(RARITY_TERMS)
            .filter_map(|t| {
                let text = std::str::from_utf8(t).ok()?;
                self.searcher
                    .doc_freq(&Term::from_field_text(field, text))
                    .ok()
            })
            .sum();
        // Beyond the terms counted, assume the rest are held as often.
        let counted = set.len().clamp(1, RARITY_TERMS) as f32;
        let holding = (holding as f32 * set.len() as f32 / counted).min(docs);
        (1.0 + (docs - holding + 0.5) / (holding + 0.5)).ln()
    }

    /// Whether at least [`COMMON_TERM_DOCS`] offerings hold `term` in one text field.
    fn is_common(&self, term: &str) -> bool {
        let searcher = &self.searcher;
        self.fields.text.zip(FIELD_BOOSTS).iter().any(|(field, _)| {
            searcher
                .doc_freq(&Term::from_field_text(*field, term))
                .is_ok_and(|n| n >= COMMON_TERM_DOCS)
        })
    }

    fn filter_clauses(&self, filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
        let term = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let mut clauses = Vec::new();
        if let Some(g) = &filters.gemeente {
            let either = BooleanQuery::new(vec![
                (
                    Occur::Should,
                    term(self.fields.gemeente, &analysis::normalize(g)),
                ),
                (Occur::Should, term(self.fields.gemeente, NATIONAL_TERM)),
            ]);
            clauses.push((Occur::Must, Box::new(either) as Box<dyn Query>));
        }
        if let Some(t) = filters.tier {
            clauses.push((Occur::Must, term(self.fields.tier, t.key())));
        }
        if let Some(l) = filters.leefgebied {
            clauses.push((Occur::Must, term(self.fields.leefgebied, l.key())));
        }
        clauses
    }

    /// Every offering (by catalog position, in no particular order) filed under one of
    /// `domains` and available in `gemeente` when one is given. `position` gives an
    /// offering's position from its document key ([`key_of`]).
    pub fn filed_under(
        &self,
        domains: &[Leefgebied],
        gemeente: Option<&str>,
        position: impl Fn(u64) -> Option<usize>,
    ) -> Result<Vec<usize>, IndexError> {
        if domains.is_empty() {
            return Ok(Vec::new());
        }
        let any_domain: Vec<(Occur, Box<dyn Query>)> = domains
            .iter()
            .map(|d| -> (Occur, Box<dyn Query>) {
                let term = Term::from_field_text(self.fields.leefgebied, d.key());
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                )
            })
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(any_domain)))];
        clauses.extend(self.filter_clauses(&Filters {
            gemeente: gemeente.map(str::to_string),
            ..Filters::default()
        }));
        let keys = self.searcher.search(&BooleanQuery::new(clauses), &Keys)?;
        Ok(keys.into_iter().filter_map(position).collect())
    }

    /// Runs a prepared query: the best `limit` hits, highest score first, ties broken by
    /// catalog position so the order is stable. `position` gives an offering's position
    /// in the catalog from its document key ([`key_of`]).
    pub fn search(
        &self,
        query: &PreparedQuery,
        limit: usize,
        position: impl Fn(u64) -> Option<usize>,
    ) -> Result<Vec<Hit>, IndexError> {
        let searcher = &self.searcher;
        // Fetch a margin beyond `limit` so that ties at the cut are broken by position.
        let found = searcher.search(&query.query, &TopDocs::with_limit(limit + 16))?;
        let mut hits = Vec::with_capacity(found.len());
        // The key column of each segment, opened once.
        let mut columns: Vec<Option<tantivy::columnar::Column<u64>>> =
            vec![None; searcher.segment_readers().len()];
        for (score, address) in found {
            let column = match &mut columns[address.segment_ord as usize] {
                Some(column) => column,
                empty => empty.insert(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .u64("key")?,
                ),
            };
            if let Some(ord) = column.first(address.doc_id).and_then(&position) {
                hits.push(Hit { ord, score });
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.ord.cmp(&b.ord)));
        hits.truncate(limit);
        Ok(hits)
    }

    /// A short fragment of the offering's description with the query's words highlighted;
    /// the description's opening when no word matches there. The fragment is the one of
    /// at most [`SNIPPET_BYTES`] that holds the most matched words, the earliest of
    /// equals; from the description's start when they fit there.
    pub fn snippet(&self, query: &PreparedQuery, offering: &Offering) -> Snippet {
        let text = offering.description.as_str();
        let matched =
            analysis::words_matching(text, |term| query.highlight.contains(term.as_bytes()));
        // The most matched words that fit in one fragment, from the first of them.
        let Some((first, fit)) = (0..matched.len())
            .map(|i| {
                let fit = matched[i..]
                    .iter()
                    .take_while(|&&(_, to)| to - matched[i].0 <= SNIPPET_BYTES)
                    .count();
                (i, fit)
            })
            .max_by_key(|&(i, fit)| (fit, std::cmp::Reverse(i)))
        else {
            return Snippet {
                text: opening(text, SNIPPET_BYTES),
                highlights: Vec::new(),
            };
        };
        // A matched word longer than a snippet fits nowhere whole: it is cut.
        let last = first + fit.max(1) - 1;
        let start = if matched[last].1 <= SNIPPET_BYTES {
            0
        } else {
            matched[first].0
        };
        let end = fragment_end(text, start, SNIPPET_BYTES);
        Snippet {
            text: text[start..end].to_string(),
            highlights: matched
                .iter()
                .filter(|&&(from, to)| from >= start && to <= end)
                .map(|&(from, to)| (from - start, to - start))
                .collect(),
        }
    }

    /// The underlying tantivy index (for diagnostics).
    pub fn tantivy(&self) -> &Index {
        &self.index
    }
}

/// Collects the keys ([`key_of`]) of the documents a query matches, read from the key
/// column as each segment is searched.
struct Keys;

impl Collector for Keys {
    type Fruit = Vec<u64>;
    type Child = SegmentKeys;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentKeys> {
        Ok(SegmentKeys {
            column: reader.fast_fields().u64("key")?,
            keys: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<u64>> {
        Ok(fruits.concat())
    }
}

struct SegmentKeys {
    column: tantivy::columnar::Column<u64>,
    keys: Vec<u64>,
}

impl SegmentCollector for SegmentKeys {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        self.keys.extend(self.column.first(doc));
    }

    fn harvest(self) -> Vec<u64> {
        self.keys
    }
}

/// A Levenshtein automaton over a term or a short text (transpositions cost one edit).
pub(crate) struct TypoAutomaton(DFA);

impl tantivy_fst::Automaton for TypoAutomaton {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// Most words whose typo neighbours an index keeps; the cache is emptied when full
/// (query text can hold any word, so it must not grow without bound).
const NEIGHBOUR_WORDS_MAX: usize = 20_000;
/// Most neighbour terms the cache holds together.
const NEIGHBOUR_TERMS_MAX: usize = 200_000;

/// The typo neighbours of the words looked up so far in one index, per field: the same
/// words come back in query after query, and building a word's automaton and walking
/// the term list with it costs far more than a look-up.
#[derive(Default)]
struct NeighbourCache {
    found: HashMap<(Box<str>, u8), Arc<[Terms; 5]>>,
    terms: usize,
}

/// The automaton for `term` within `distance` (1 or 2) edits.
pub(crate) fn typo_automaton(term: &str, distance: u8) -> TypoAutomaton {
    static BUILDERS: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    let builders = BUILDERS.get_or_init(|| {
        [
            LevenshteinAutomatonBuilder::new(1, true),
            LevenshteinAutomatonBuilder::new(2, true),
        ]
    });
    TypoAutomaton(builders[usize::from(distance.clamp(1, 2) - 1)].build_dfa(term))
}

/// Every term of the text fields of `searcher`, to a bit per field (in [`Fields::zip`]
/// order) that holds it.
fn text_terms(searcher: &Searcher, f: &Schemas) -> Result<tantivy_fst::Map<Vec<u8>>, IndexError> {
    let mut readers = Vec::new();
    for segment in searcher.segment_readers() {
        for (i, (field, _)) in f.text.zip(FIELD_BOOSTS).into_iter().enumerate() {
            readers.push((segment.inverted_index(field)?, 1u64 << i));
        }
    }
    let streams = readers
        .iter()
        .map(|(r, _)| r.terms().stream())
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(tantivy::TantivyError::from)?;
    // The sorted term lists merged as they stream: no term is held twice.
    let mut merged = tantivy::termdict::TermMerger::new(streams);
    let mut builder = tantivy_fst::MapBuilder::memory();
    let failed = |e: tantivy_fst::Error| {
        IndexError::Tantivy(tantivy::TantivyError::InternalError(format!(
            "term list: {e}"
        )))
    };
    while merged.advance() {
        let mask = merged
            .matching_segments()
            .fold(0, |mask, (stream, _)| mask | readers[stream].1);
        builder.insert(merged.key(), mask).map_err(failed)?;
    }
    let bytes = builder.into_inner().map_err(failed)?;
    tantivy_fst::Map::from_bytes(bytes).map_err(failed)
}

/// Some terms of one field, in the order of the term dictionary (sorted bytes).
type Terms = Arc<[Vec<u8>]>;

/// A query matching the documents that hold any of `terms` in `field`, each with the
/// same score (as a typo or prefix match is scored); `None` for no terms.
fn term_set_query(field: Field, terms: Terms) -> Option<Box<dyn Query>> {
    (!terms.is_empty()).then(|| -> Box<dyn Query> { Box::new(TermSetQuery { field, terms }) })
}

/// A match of some terms of one field, each document holding any of them with the same
/// score. The terms were found by one walk over the term list; here each is looked up in
/// the field's term dictionary, so the walk is not repeated per field (as an automaton
/// query would).
#[derive(Clone, Debug)]
struct TermSetQuery {
    field: Field,
    terms: Terms,
}

impl Query for TermSetQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for TermSetQuery {
    fn scorer(
        &self,
        reader: &tantivy::SegmentReader,
        boost: tantivy::Score,
    ) -> tantivy::Result<Box<dyn Scorer>> {
        let inverted = reader.inverted_index(self.field)?;
        let mut docs = tantivy_common::BitSet::with_max_value(reader.max_doc());
        for term in self.terms.iter() {
            let Some(info) = inverted.terms().get(term)? else {
                continue;
            };
            let mut postings =
                inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            while !postings.docs().is_empty() {
                for &doc in postings.docs() {
                    docs.insert(doc);
                }
                postings.advance();
            }
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(
        &self,
        reader: &tantivy::SegmentReader,
        doc: tantivy::DocId,
    ) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("term set", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} holds none of the terms"
            )))
        }
    }
}

/// Every term that starts with the given bytes: the word being typed.
struct PrefixAutomaton(Vec<u8>);

impl tantivy_fst::Automaton for PrefixAutomaton {
    /// Bytes of the prefix matched so far; `None` once a byte differed.
    type State = Option<usize>;

    fn start(&self) -> Option<usize> {
        Some(0)
    }

    fn is_match(&self, state: &Option<usize>) -> bool {
        *state == Some(self.0.len())
    }

    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }

    fn will_always_match(&self, state: &Option<usize>) -> bool {
        self.is_match(state)
    }

    fn accept(&self, state: &Option<usize>, byte: u8) -> Option<usize> {
        match *state {
            Some(n) if n == self.0.len() => Some(n),
            Some(n) if self.0[n] == byte => Some(n + 1),
            _ => None,
        }
    }
}

/// The clauses of one word typed: they score as they do, plus a bonus once when any of
/// them matches (the word counts as matched, whatever the fields).
#[derive(Debug)]
struct WordQuery {
    query: Box<dyn Query>,
    bonus: tantivy::Score,
}

impl Clone for WordQuery {
    fn clone(&self) -> Self {
        WordQuery {
            query: self.query.box_clone(),
            bonus: self.bonus,
        }
    }
}

impl Query for WordQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.query.weight(scoring)?;
        Ok(if scoring.is_scoring_enabled() {
            Box::new(WordWeight {
                inner,
                bonus: self.bonus,
            })
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct WordWeight {
    inner: Box<dyn Weight>,
    bonus: tantivy::Score,
}

impl Weight for WordWeight {
    fn scorer(
        &self,
        reader: &tantivy::SegmentReader,
        boost: tantivy::Score,
    ) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(WordScorer {
            inner: self.inner.scorer(reader, boost)?,
            bonus: self.bonus * boost,
        }))
    }

    fn explain(
        &self,
        reader: &tantivy::SegmentReader,
        doc: tantivy::DocId,
    ) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut explanation = Explanation::new("word matched", inner.value() + self.bonus);
        explanation.add_detail(inner);
        Ok(explanation)
    }
}

struct WordScorer {
    inner: Box<dyn Scorer>,
    bonus: tantivy::Score,
}

impl tantivy::DocSet for WordScorer {
    fn advance(&mut self) -> tantivy::DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: tantivy::DocId) -> tantivy::DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> tantivy::DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for WordScorer {
    fn score(&mut self) -> tantivy::Score {
        self.inner.score() + self.bonus
    }
}

/// The word being typed (the last one, when the text does not end in a space or a
/// punctuation mark) as prefixes of indexed terms: the folded word and its stem, from
/// [`PREFIX_MIN_CHARS`] characters on.
fn typed_prefixes(text: &str) -> Vec<String> {
    let Some(last) = analysis::word_being_typed(text) else {
        return Vec::new();
    };
    if last.chars().count() < PREFIX_MIN_CHARS || analysis::is_stop_word(&last) {
        return Vec::new();
    }
    let stem = analysis::stem(&last);
    if stem != last && stem.chars().count() >= PREFIX_MIN_CHARS {
        vec![last, stem]
    } else {
        vec![last]
    }
}

/// Endings the Dutch stemmer strips only from long enough words: a typo can move a word
/// below that length, so its stem keeps the ending.
const STRIPPED_ENDINGS: &[&str] = &["heid", "ing", "en", "e", "s"];

/// The shortest stripped ending that is also recognised with a typo in it ("-ign" for
/// "-ing", "-eid" for "-heid"): a shorter one with a typo is too many words' ending.
const MISSPELT_ENDING_MIN_CHARS: usize = 3;

/// `word` (folded) without each ending of [`STRIPPED_ENDINGS`] it has, where that differs
/// from its `stem` and leaves at least four letters, each with the typo budget left for
/// what remains. A long enough ending also counts when typed with one typo
/// ("ondersteunign", "veiligeid"): the stemmer then keeps it whole, and the word meant
/// is indexed without it; that typo is taken from the budget of the whole word.
fn without_ending(word: &str, stem: &str) -> Vec<(String, u8)> {
    let chars: Vec<char> = word.chars().collect();
    let mut out: Vec<(String, u8)> = Vec::new();
    let mut add = |bare: String, typos: u8| {
        let distance = fuzzy_distance(&bare).min(fuzzy_distance(word).saturating_sub(typos));
        if bare.chars().count() >= 4 && bare != stem && !out.iter().any(|(b, _)| *b == bare) {
            out.push((bare, distance));
        }
    };
    for ending in STRIPPED_ENDINGS {
        if let Some(bare) = word.strip_suffix(ending) {
            add(bare.to_string(), 0);
            continue;
        }
        let n = ending.chars().count();
        // The ending's typo must leave the rest a typo of its own to spend.
        if n < MISSPELT_ENDING_MIN_CHARS || fuzzy_distance(word) < 2 {
            continue;
        }
        for tail in n - 1..=n + 1 {
            let Some(split) = chars.len().checked_sub(tail) else {
                continue;
            };
            let typed: String = chars[split..].iter().collect();
            if strsim::osa_distance(&typed, ending) == 1 {
                add(chars[..split].iter().collect(), 1);
            }
        }
    }
    out
}

/// Longest term that gets typo matches: no word a person types is longer, and the
/// automaton of a longer text grows with it.
pub(crate) const TYPO_MAX_CHARS: usize = 32;

/// Typo budget by term length: none for short terms, one edit from 5 characters, two
/// from 9, none beyond [`TYPO_MAX_CHARS`].
pub(crate) fn fuzzy_distance(term: &str) -> u8 {
    match term.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        9..=TYPO_MAX_CHARS => 2,
        _ => 0,
    }
}

/// The document of one offering.
fn document(f: &Schemas, catalog: &Catalog, o: &Offering) -> TantivyDocument {
    let mut d = doc!(
        f.key => key_of(&o.id),
        f.text.name => o.name.as_str(),
        f.text.lay_terms => o.lay_terms.join(" . "),
        f.text.description => o.description.as_str(),
        f.text.organisation => o.organisation.as_str(),
        f.text.domains => domain_words(catalog, o),
        f.tier => o.tier.key(),
    );
    match &o.area {
        ServiceArea::National => d.add_text(f.gemeente, NATIONAL_TERM),
        ServiceArea::Gemeenten(list) => {
            for g in list {
                d.add_text(f.gemeente, analysis::normalize(g));
            }
        }
    }
    for l in &o.leefgebieden {
        d.add_text(f.leefgebied, l.key());
    }
    d
}

/// The taxonomy words of an offering's domains, indexed so lay words find the domain.
fn domain_words(catalog: &Catalog, o: &Offering) -> String {
    let mut out = String::new();
    for l in &o.leefgebieden {
        if let Some(info) = catalog.taxonomy().info(*l) {
            out.push_str(&info.label);
            for s in &info.synonyms {
                out.push_str(" . ");
                out.push_str(s);
            }
            out.push_str(" . ");
        }
    }
    out
}

/// Where a fragment of `text` from byte `start` ends: after the last whole word within
/// `max` bytes (inside the first word when even that one is longer), or at the text's
/// end when the rest fits.
fn fragment_end(text: &str, start: usize, max: usize) -> usize {
    let rest = &text[start..];
    if rest.len() <= max {
        return text.len();
    }
    let mut cut = max;
    while !rest.is_char_boundary(cut) {
        cut -= 1;
    }
    // Cut inside a word: back to the end of the word before it.
    let whole = if rest[cut..].starts_with(|c: char| c.is_alphanumeric()) {
        rest[..cut].trim_end_matches(|c: char| c.is_alphanumeric())
    } else {
        &rest[..cut]
    };
    let whole = whole.trim_end();
    start + if whole.is_empty() { cut } else { whole.len() }
}

/// The start of `text`, at most `max` bytes cut after a whole word, with an ellipsis
/// when cut.
pub fn opening(text: &str, max: usize) -> String {
    match fragment_end(text, 0, max) {
        end if end == text.len() => text.to_string(),
        end => format!("{}…", &text[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use tantivy::collector::DocSetCollector;

    /// The terms `automaton` accepts in each text field's own term dictionary: the walk
    /// per field that [`SearchIndex::per_field`] replaces.
    fn walked_per_field<A: tantivy_fst::Automaton>(index: &SearchIndex, a: &A) -> Vec<Vec<Vec<u8>>>
    where
        A::State: Clone,
    {
        index
            .fields
            .text
            .zip(FIELD_BOOSTS)
            .iter()
            .map(|(field, _)| {
                let mut found = std::collections::BTreeSet::new();
                for segment in index.searcher.segment_readers() {
                    let inverted = segment.inverted_index(*field).unwrap();
                    let mut stream = inverted.terms().search(a).into_stream().unwrap();
                    while stream.advance() {
                        found.insert(stream.key().to_vec());
                    }
                }
                found.into_iter().collect()
            })
            .collect()
    }

    #[test]
    fn one_walk_over_all_terms_finds_what_a_walk_per_field_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let catalog = Catalog::load(&dir).unwrap();
        let index = SearchIndex::in_memory(&catalog).unwrap();
        one_walk_agrees(&index);
        // After live changes: more than one segment, and deleted documents.
        let mut changed = catalog.offerings()[5].clone();
        changed.description = "Nieuwe hulp bij belastingaangifte en toeslagbrieven.".into();
        let removed = catalog.offerings()[9].id.clone();
        let updated = index
            .updated(&catalog, &[&changed], &[removed.as_str()], || {
                Ok::<(), ()>(())
            })
            .unwrap()
            .unwrap();
        assert!(updated.searcher.segment_readers().len() > 1);
        one_walk_agrees(&updated);
    }

    fn one_walk_agrees(index: &SearchIndex) {
        let mut words: Vec<String> = Vec::new();
        let mut stream = index.terms.stream();
        while let Some((term, _)) = stream.next() {
            words.push(String::from_utf8(term.to_vec()).unwrap());
        }
        let mut checked = 0;
        for word in words.iter().step_by(3) {
            let chars: Vec<char> = word.chars().collect();
            let mut typo = chars.clone();
            if chars.len() >= 5 {
                typo.swap(1, 2);
            }
            let typo: String = typo.into_iter().collect();
            let distance = fuzzy_distance(&typo);
            let prefix: String = chars.iter().take(3).collect();
            let sets = [
                index.typo_neighbours(&typo, distance.max(1)).to_vec(),
                index
                    .per_field(&PrefixAutomaton(prefix.clone().into_bytes()))
                    .map(Terms::from)
                    .to_vec(),
            ];
            let walked = [
                walked_per_field(index, &typo_automaton(&typo, distance.max(1))),
                walked_per_field(index, &PrefixAutomaton(prefix.into_bytes())),
            ];
            for (sets, walked) in sets.iter().zip(&walked) {
                let fields = index.fields.text.zip(FIELD_BOOSTS);
                for ((set, walked), (field, _)) in sets.iter().zip(walked).zip(fields) {
                    assert_eq!(&set[..], &walked[..], "{typo}");
                    // And the set's query finds exactly the documents holding a term.
                    let holding = BooleanQuery::new(
                        walked
                            .iter()
                            .map(|t| -> (Occur, Box<dyn Query>) {
                                let text = std::str::from_utf8(t).unwrap();
                                let term = Term::from_field_text(field, text);
                                let query = TermQuery::new(term, IndexRecordOption::Basic);
                                (Occur::Should, Box::new(query))
                            })
                            .collect(),
                    );
                    let found = |q: &dyn Query| index.searcher.search(q, &DocSetCollector).unwrap();
                    match term_set_query(field, set.clone()) {
                        Some(query) => assert_eq!(found(&*query), found(&holding), "{typo}"),
                        None => assert!(walked.is_empty()),
                    }
                }
            }
            checked += 1;
        }
        assert!(checked > 300, "{checked} words checked");
    }

    #[test]
    fn typo_budget_grows_with_length() {
        assert_eq!(fuzzy_distance("huur"), 0);
        assert_eq!(fuzzy_distance("schuld"), 1);
        assert_eq!(fuzzy_distance("financieel"), 2);
        assert_eq!(fuzzy_distance(&"a".repeat(TYPO_MAX_CHARS)), 2);
        assert_eq!(
            fuzzy_distance(&"a".repeat(TYPO_MAX_CHARS + 1)),
            0,
            "no automaton for a text no word is as long as"
        );
    }

    const REGION: &str = "naam = \"T\"\ngemeenten = [\"Dordrecht\", \"Zwijndrecht\"]\n[[bron]]\nbestand = \"b.txt\"\ntitel = \"t\"\n";

    fn offering(id: &str, naam: &str, gemeente: &str, beschrijving: &str) -> String {
        format!(
            "[[aanbod]]\nid = \"{id}\"\nnaam = \"{naam}\"\norganisatie = \"O\"\nniveau = \"algemene_voorziening\"\n\
             leefgebieden = [\"financien\"]\nbeschrijving = \"{beschrijving}\"\nzoektermen = [\"hulp\"]\n\
             volgende_stap = \"Bel.\"\ngemeenten = [\"{gemeente}\"]\ntoegang = [\"telefoon\"]\nkosten = \"gratis\"\n\
             bron = \"b.txt\"\ngeverifieerd = 2026-11-23\n\n"
        )
    }

    fn index() -> (Catalog, SearchIndex) {
        let text = offering(
            "hulphuis",
            "Financieel Hulphuis",
            "Dordrecht",
            "Hulp bij schuldhulpverlening en rekeningen.",
        ) + &offering(
            "toeslag",
            "Toeslagenloket",
            "Zwijndrecht",
            "Vragen over de kinderopvangtoeslag.",
        ) + &offering(
            "client",
            "Cliëntondersteuning",
            "Dordrecht",
            "Onafhankelijk advies.",
        );
        index_of(&text)
    }

    /// The catalog of the entries in `text`, and its index.
    fn index_of(text: &str) -> (Catalog, SearchIndex) {
        let dir = crate::catalog::fixture::catalog_dir(REGION, &[("a.toml", text)]);
        let catalog = Catalog::load(dir.path()).unwrap();
        let index = SearchIndex::in_memory(&catalog).unwrap();
        (catalog, index)
    }

    fn ids(catalog: &Catalog, index: &SearchIndex, text: &str, filters: &Filters) -> Vec<String> {
        let Some(q) = index.prepare(text, &[], filters) else {
            return Vec::new();
        };
        let position = |key| {
            catalog
                .offerings()
                .iter()
                .position(|o| key_of(&o.id) == key)
        };
        index
            .search(&q, 10, position)
            .unwrap()
            .iter()
            .map(|h| catalog.offerings()[h.ord].id.clone())
            .collect()
    }

    #[test]
    fn an_update_is_a_new_snapshot_and_a_failed_save_rolls_it_back() {
        let (catalog, index) = index();
        let first = catalog.offerings()[0].clone();
        let mut changed = first.clone();
        changed.description = "Hulp bij het invullen van belastingformulieren.".into();
        let filters = Filters::default();
        let find = |ix: &SearchIndex| ids(&catalog, ix, "belastingformulieren", &filters);
        assert!(find(&index).is_empty());

        let refused = index
            .updated(&catalog, &[&changed], &[], || Err("disk full"))
            .unwrap();
        assert_eq!(refused.err(), Some("disk full"));
        let removed = index
            .updated(&catalog, &[], &[first.id.as_str()], || Ok::<(), ()>(()))
            .unwrap()
            .unwrap();
        assert_eq!(removed.num_docs(), index.num_docs() - 1, "a removal");
        let updated = removed
            .updated(&catalog, &[&changed], &[], || Ok::<(), ()>(()))
            .unwrap()
            .unwrap();
        assert_eq!(find(&updated), vec![first.id.clone()]);
        assert_eq!(updated.num_docs(), index.num_docs());
        assert!(find(&index).is_empty(), "the old snapshot is unchanged");
    }

    #[test]
    fn typos_compounds_and_accents_find_the_offering() {
        let (c, i) = index();
        let none = Filters::default();
        assert_eq!(
            ids(&c, &i, "finacieel hulphuis", &none)
                .first()
                .map(String::as_str),
            Some("hulphuis")
        );
        assert_eq!(ids(&c, &i, "schulden", &none), ["hulphuis"]);
        assert_eq!(ids(&c, &i, "toeslag", &none), ["toeslag"]);
        assert_eq!(ids(&c, &i, "clientondersteuning", &none), ["client"]);
        assert!(ids(&c, &i, "de het een", &none).is_empty());
    }

    #[test]
    fn gemeente_filter_keeps_only_offerings_serving_it() {
        let (c, i) = index();
        let zwijndrecht = Filters {
            gemeente: Some("Zwijndrecht".into()),
            ..Filters::default()
        };
        assert!(ids(&c, &i, "hulp toeslag rekeningen", &zwijndrecht)
            .iter()
            .all(|id| id == "toeslag"));
    }

    /// In a typed search a typo or the start of a rare word weighs like that word, and
    /// an offering matching both words typed beats offerings that hold the common word
    /// in more fields.
    #[test]
    fn a_typo_or_a_prefix_of_a_rare_word_beats_a_common_word_repeated() {
        let mut text = String::new();
        for place in [
            "Dijkhorst",
            "Essenkring",
            "Wilgenwijk",
            "Beukenhorst",
            "Zuiderhoek",
        ] {
            text += &offering(
                &format!("sporten-{}", place.to_lowercase()),
                &format!("Sporten {place}"),
                "Dordrecht",
                "Sporten, samen sporten en sporten voor iedereen.",
            );
        }
        text += &offering(
            "sporten-maanhof",
            "Sporten Maanhof",
            "Dordrecht",
            "Een club.",
        );
        // Other offerings, so that "sporten" is a word only some of them hold.
        for n in 0..40 {
            text += &offering(
                &format!("ander-{n}"),
                &format!("Loket {n}"),
                "Dordrecht",
                "Vragen.",
            );
        }
        let dir = crate::catalog::fixture::catalog_dir(REGION, &[("a.toml", &text)]);
        let catalog = Catalog::load(dir.path()).unwrap();
        let index = SearchIndex::in_memory(&catalog).unwrap();
        let position = |key| {
            catalog
                .offerings()
                .iter()
                .position(|o| key_of(&o.id) == key)
        };
        for typed in ["sporten maanhfo", "sporten maanh"] {
            let q = index
                .prepare_expanded(typed, &[], &Filters::default())
                .unwrap();
            let first = index.search(&q, 3, position).unwrap()[0].ord;
            assert_eq!(catalog.offerings()[first].id, "sporten-maanhof", "{typed}");
        }
    }

    /// Words that stand for a word typed (what the thesaurus understood) count as that
    /// word matched; words that stand for none only score.
    #[test]
    fn an_expansion_counts_for_the_words_it_stands_for() {
        let (catalog, index) = index();
        let position = |key| {
            catalog
                .offerings()
                .iter()
                .position(|o| key_of(&o.id) == key)
        };
        let score = |covers: Vec<String>| {
            let extra = [Expansion {
                words: "rekeningen".into(),
                covers,
            }];
            let q = index
                .prepare_expanded("deurwaarder", &extra, &Filters::default())
                .unwrap();
            let hits = index.search(&q, 3, position).unwrap();
            assert_eq!(catalog.offerings()[hits[0].ord].id, "hulphuis");
            hits[0].score
        };
        let standing_for = score(vec![analysis::stem("deurwaarder")]);
        let for_none = score(Vec::new());
        assert!(standing_for >= WORD_SCORE, "{standing_for}");
        assert!(for_none < WORD_SCORE, "{for_none}");
        assert!(
            (standing_for - for_none - WORD_SCORE).abs() < 1e-3,
            "scored once"
        );
    }

    /// A word naming whom the text is about ("moeder") does not outweigh what the text
    /// asks about ("eenzaam"), in a search or an intake note; alone it still finds.
    #[test]
    fn a_word_for_whom_the_text_is_about_does_not_decide_what_is_found() {
        let mut text = offering(
            "moeders",
            "Moeders Informeren Moeders",
            "Dordrecht",
            "Moeders met een baby helpen andere moeders.",
        ) + &offering(
            "koffie",
            "Koffieochtend",
            "Dordrecht",
            "Een plek voor wie zich eenzaam voelt.",
        );
        for n in 0..10 {
            text += &offering(
                &format!("ander-{n}"),
                &format!("Loket {n}"),
                "Dordrecht",
                "Vragen.",
            );
        }
        let (catalog, index) = index_of(&text);
        let position = |key| {
            catalog
                .offerings()
                .iter()
                .position(|o| key_of(&o.id) == key)
        };
        let none = Filters::default();
        let first = |q: Option<PreparedQuery>| {
            let hit = index.search(&q.unwrap(), 3, position).unwrap()[0].ord;
            catalog.offerings()[hit].id.clone()
        };
        for asked in ["mijn moeder is erg eenzaam", "moeder 80 eenzaam"] {
            assert_eq!(
                first(index.prepare_expanded(asked, &[], &none)),
                "koffie",
                "{asked}"
            );
            assert_eq!(
                first(index.prepare(asked, &[], &none)),
                "koffie",
                "note: {asked}"
            );
        }
        assert_eq!(
            first(index.prepare_expanded("moeder", &[], &none)),
            "moeders"
        );
        assert_eq!(
            first(index.prepare_expanded("moeders baby", &[], &none)),
            "moeders"
        );
    }

    /// A typo can leave on an ending the stemmer strips from the word meant.
    #[test]
    fn a_typo_that_keeps_a_stripped_ending_still_finds_the_word() {
        let text = offering("kring", "Toegang Torenkring", "Dordrecht", "Een loket.")
            + &offering("ander", "Toegang Rozenkamp", "Dordrecht", "Een loket.");
        let dir = crate::catalog::fixture::catalog_dir(REGION, &[("a.toml", &text)]);
        let catalog = Catalog::load(dir.path()).unwrap();
        let index = SearchIndex::in_memory(&catalog).unwrap();
        assert_eq!(analysis::stem("torenkring"), "torenkr");
        assert_eq!(
            analysis::stem("tornkring"),
            "tornkring",
            "the typo keeps its ending"
        );
        assert_eq!(
            ids(&catalog, &index, "tornkring", &Filters::default()),
            ["kring"]
        );
    }

    /// The typo can be in the ending itself: the stemmer then keeps the ending, and the
    /// word meant is indexed without it.
    #[test]
    fn a_typo_in_a_stripped_ending_still_finds_the_word() {
        let text = offering(
            "steun",
            "Ondersteuning Hazelwijk",
            "Dordrecht",
            "Een loket.",
        ) + &offering("veilig", "Veiligheid Hazelwijk", "Dordrecht", "Een loket.")
            + &offering("ander", "Groente Hazelwijk", "Dordrecht", "Een loket.");
        let (catalog, index) = index_of(&text);
        for (typed, meant) in [("ondersteunign", "steun"), ("veiligeid", "veilig")] {
            assert_eq!(
                analysis::stem(typed),
                typed,
                "the stemmer keeps {typed} whole"
            );
            let found = ids(
                &catalog,
                &index,
                &format!("{typed} hazelwijk"),
                &Filters::default(),
            );
            assert_eq!(
                found.first().map(String::as_str),
                Some(meant),
                "{typed}: {found:?}"
            );
        }
        // A short word has no typo to spare for its ending: "vrijign" is no "vrij".
        assert!(without_ending("vrijign", "vrijign").is_empty());
        assert_eq!(
            without_ending("ondersteunign", "ondersteunign"),
            [("ondersteun".to_string(), 1)]
        );
    }

    #[test]
    fn a_snippet_shows_and_marks_the_words_matched() {
        let long = format!(
            "{} Wie een deurwaarder aan de deur krijgt, kan hier terecht voor schuldhulp.",
            "Dit is een inleiding zonder de woorden waar het om gaat. ".repeat(4)
        );
        let text = offering("lang", "Lang", "Dordrecht", &long)
            + &offering(
                "kort",
                "Kort",
                "Dordrecht",
                "Hulp bij schulden en rekeningen.",
            );
        let (catalog, index) = index_of(&text);
        let marked = |query: &str, id: &str| {
            let q = index
                .prepare_expanded(query, &[], &Filters::default())
                .unwrap();
            let s = index.snippet(&q, catalog.get(id).unwrap());
            let words: Vec<String> = s
                .highlights
                .iter()
                .map(|&(a, b)| s.text[a..b].to_string())
                .collect();
            (s.text, words)
        };
        // Exactly, with a typo, and as the start of the word being typed.
        let (text, words) = marked("deurwaarder schuldhulp", "lang");
        assert!(text.starts_with("deurwaarder aan de deur"), "{text}");
        assert!(text.len() <= SNIPPET_BYTES);
        assert_eq!(words, ["deurwaarder", "schuldhulp"]);
        assert_eq!(marked("deurwaader", "lang").1, ["deurwaarder"]);
        assert_eq!(
            marked("rekening", "kort"),
            (
                "Hulp bij schulden en rekeningen.".into(),
                vec!["rekeningen".into()]
            )
        );
        assert_eq!(marked("schuldh", "lang").1, ["schuldhulp"]);
        // Two matched words that fit in one fragment only from the first of them on.
        let filler = "woord ".repeat(24);
        let (catalog, index) = index_of(&offering(
            "twee",
            "Twee",
            "Dordrecht",
            &format!("{filler}schulden {} rekeningen, einde.", "ander ".repeat(7)),
        ));
        let q = index
            .prepare_expanded("schulden rekeningen", &[], &Filters::default())
            .unwrap();
        let s = index.snippet(&q, catalog.get("twee").unwrap());
        assert!(
            s.text.starts_with("schulden") && s.highlights.len() == 2,
            "{s:?}"
        );
        // Letters of more than one byte where the fragment is cut.
        let accented = format!(
            "{} cliëntondersteuning",
            "Cliëntondersteuning ë€ ".repeat(12)
        );
        let (catalog, index) = index_of(&offering("accent", "Accent", "Dordrecht", &accented));
        for query in ["clientondersteuning", "cliënt", "zzz"] {
            let q = index.prepare_expanded(query, &[], &Filters::default());
            let s = index.snippet(&q.unwrap(), catalog.get("accent").unwrap());
            assert!(s.text.len() <= SNIPPET_BYTES + '…'.len_utf8(), "{s:?}");
            for &(from, to) in &s.highlights {
                assert!(s.text[from..to].to_lowercase().starts_with("cli"), "{s:?}");
            }
        }
        // A matched word longer than a snippet: cut, not a panic.
        let long_word = format!("Zie {} hier.", "schuld".repeat(40));
        let (catalog, index) = index_of(&offering("lang", "Lang", "Dordrecht", &long_word));
        let q = index.prepare_expanded(&"schuld".repeat(40), &[], &Filters::default());
        let s = index.snippet(&q.unwrap(), catalog.get("lang").unwrap());
        assert!(s.text.len() <= SNIPPET_BYTES, "{s:?}");
        // Nothing matched in the description: its opening, unmarked.
        let (text, words) = marked("lang", "lang");
        assert!(
            text.starts_with("Dit is een inleiding") && text.ends_with('…'),
            "{text}"
        );
        assert!(words.is_empty());
    }

    #[test]
    fn opening_cuts_at_a_word() {
        assert_eq!(opening("kort", 10), "kort");
        assert_eq!(opening("een lange zin hier", 12), "een lange…");
    }
}

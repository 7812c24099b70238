//! Top-k retrieval that skips offerings which cannot reach the list: MaxScore (Turtle
//! and Flood, 1995), as Lucene uses it for disjunctions.
//!
//! A query is a sum of clauses (one per word typed, parts of compounds, expansions),
//! each with an upper bound on what it can add to a score, and filters every hit must
//! pass (gemeente, tier, leefgebied), whose scores are added too. Once the list holds
//! enough hits that a new one must score above some threshold, the clauses with the
//! smallest bounds whose bounds together do not reach it are no longer walked: an
//! offering matching only those cannot get onto the list. They are still looked up for
//! the offerings the other clauses find. In a large catalog this skips the long lists of
//! common words and of the parts of compounds.
//!
//! Every score is the sum of the clause scores in the clauses' own order, whichever
//! clauses were walked, so equal matches get equal scores and ties still go by catalog
//! position. [`SearchIndex::search_every`](super::index::SearchIndex::search_every)
//! scores every match of the same query, the reference the tests compare with.

use std::sync::Arc;

use tantivy::query::{
    BooleanWeight, EnableScoring, Explanation, Occur, Query, Scorer, SumCombiner, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Relative (and absolute) margin on each bound: far above the rounding of a few dozen
/// `f32` additions, far below any difference in score that ranking means.
const BOUND_MARGIN: Score = 1e-3;

/// A clause and the most it can add to a score.
#[derive(Debug)]
pub(super) struct Bounded {
    pub query: Box<dyn Query>,
    pub bound: Score,
}

impl Clone for Bounded {
    fn clone(&self) -> Self {
        Bounded {
            query: self.query.box_clone(),
            bound: self.bound,
        }
    }
}

/// Clauses summed (at least one must match) and filters (each must match).
#[derive(Debug, Clone)]
pub(super) struct PrunedQuery {
    pub should: Vec<Bounded>,
    pub must: Vec<Bounded>,
    /// Whether clauses may be skipped; off for the reference that scores every match.
    pub prune: bool,
}

impl PrunedQuery {
    /// A query that may skip clauses. The bounds get a margin for the rounding of
    /// scores summed in another order.
    pub fn new(should: Vec<Bounded>, must: Vec<Bounded>) -> PrunedQuery {
        let pad = |clauses: Vec<Bounded>| -> Vec<Bounded> {
            clauses
                .into_iter()
                .map(|c| Bounded {
                    bound: c.bound * (1.0 + BOUND_MARGIN) + BOUND_MARGIN,
                    query: c.query,
                })
                .collect()
        };
        PrunedQuery {
            should: pad(should),
            must: pad(must),
            prune: true,
        }
    }
}

impl Query for PrunedQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = |clauses: &[Bounded]| -> tantivy::Result<Vec<(Arc<dyn Weight>, Score)>> {
            clauses
                .iter()
                .map(|c| Ok((Arc::from(c.query.weight(scoring)?), c.bound)))
                .collect()
        };
        let should = weights(&self.should)?;
        let must = weights(&self.must)?;
        // The same clauses as one boolean query: what counting, explaining and
        // collecting without scores use.
        let shared = |clauses: &[(Arc<dyn Weight>, Score)], occur: Occur| {
            clauses
                .iter()
                .map(|(w, _)| (occur, Box::new(Shared(w.clone())) as Box<dyn Weight>))
                .collect::<Vec<_>>()
        };
        let scoring_enabled = scoring.is_scoring_enabled();
        let text = BooleanWeight::new(
            shared(&should, Occur::Should),
            scoring_enabled,
            Box::new(SumCombiner::default),
        );
        let mut clauses: Vec<(Occur, Box<dyn Weight>)> = vec![(Occur::Must, Box::new(text))];
        clauses.extend(shared(&must, Occur::Must));
        let whole = Box::new(BooleanWeight::new(
            clauses,
            scoring_enabled,
            Box::new(SumCombiner::default),
        ));
        if !scoring_enabled {
            return Ok(whole);
        }
        Ok(Box::new(PrunedWeight {
            whole,
            should,
            must,
            prune: self.prune,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for c in self.should.iter().chain(&self.must) {
            c.query.query_terms(visitor);
        }
    }
}

/// A clause's weight, used both by the boolean query and by the walk that skips.
struct Shared(Arc<dyn Weight>);

impl Weight for Shared {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct PrunedWeight {
    whole: Box<dyn Weight>,
    should: Vec<(Arc<dyn Weight>, Score)>,
    must: Vec<(Arc<dyn Weight>, Score)>,
    prune: bool,
}

/// A clause's scorer while walking one segment.
struct Clause {
    scorer: Box<dyn Scorer>,
    bound: Score,
    /// Its place in the query, the order scores are summed in.
    order: usize,
}

impl Clause {
    /// Moves to the first document at or after `target`.
    fn reach(&mut self, target: DocId) -> DocId {
        let doc = self.scorer.doc();
        if doc < target {
            self.scorer.seek(target)
        } else {
            doc
        }
    }
}

impl Weight for PrunedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.whole.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.whole.explain(reader, doc)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut filters = Vec::with_capacity(self.must.len());
        for (weight, _) in &self.must {
            let scorer = weight.scorer(reader, 1.0)?;
            if scorer.doc() == TERMINATED {
                return Ok(());
            }
            filters.push(scorer);
        }
        let filter_bound: Score = self.must.iter().map(|(_, b)| b).sum();
        let mut clauses = Vec::with_capacity(self.should.len());
        for (order, (weight, bound)) in self.should.iter().enumerate() {
            let scorer = weight.scorer(reader, 1.0)?;
            if scorer.doc() != TERMINATED {
                clauses.push(Clause {
                    scorer,
                    bound: *bound,
                    order,
                });
            }
        }
        // Smallest bound first; `reach[i]`: the most a document matching none of
        // clauses `i..` can score.
        clauses.sort_by(|a, b| a.bound.total_cmp(&b.bound).then(a.order.cmp(&b.order)));
        let mut reach = Vec::with_capacity(clauses.len() + 1);
        let mut sum = filter_bound;
        for c in &clauses {
            reach.push(sum);
            sum += c.bound;
        }
        reach.push(sum);
        let mut threshold = threshold;
        // Clauses before `first` are looked up, not walked.
        let essential = |threshold: Score| {
            if self.prune {
                reach.iter().skip(1).take_while(|&&r| r <= threshold).count()
            } else {
                0
            }
        };
        let mut first = essential(threshold);
        let dbg = std::env::var("PRUNE_DEBUG").is_ok();
        let mut visited = 0usize;
        if dbg { eprintln!("clauses {} bounds {:?} filter {}", clauses.len(), clauses.iter().map(|c| (c.bound, c.scorer.size_hint())).collect::<Vec<_>>(), filter_bound); }
        let _g = Dbg(dbg, &visited as *const usize, &first as *const usize);
        let mut scores: Vec<Score> = vec![0.0; self.should.len()];
        loop {
            if first == clauses.len() {
                return Ok(());
            }
            let doc = clauses[first..]
                .iter()
                .map(|c| c.scorer.doc())
                .min()
                .unwrap_or(TERMINATED);
            if doc == TERMINATED {
                return Ok(());
            }
            // Every filter must hold the document; else go on from the first that
            // a filter holds.
            let mut next = doc;
            for f in &mut filters {
                if f.doc() < doc {
                    f.seek(doc);
                }
                next = next.max(f.doc());
            }
            if next != doc {
                if next == TERMINATED {
                    return Ok(());
                }
                for c in &mut clauses[first..] {
                    c.reach(next);
                }
                continue;
            }
            visited += 1;
            let mut known = 0.0;
            for c in &mut clauses[first..] {
                if c.scorer.doc() == doc {
                    let s = c.scorer.score();
                    scores[c.order] = s;
                    known += s;
                }
            }
            // The others, largest bound first, while the document can still make it.
            let mut possible = true;
            for i in (0..first).rev() {
                if known + reach[i + 1] <= threshold {
                    possible = false;
                    break;
                }
                let c = &mut clauses[i];
                if c.reach(doc) == doc {
                    let s = c.scorer.score();
                    scores[c.order] = s;
                    known += s;
                }
            }
            if possible {
                let score = scores.iter().sum::<Score>()
                    + filters.iter_mut().map(|f| f.score()).sum::<Score>();
                if score > threshold {
                    threshold = callback(doc, score);
                    first = first.max(essential(threshold));
                }
            }
            scores.iter_mut().for_each(|s| *s = 0.0);
            for c in &mut clauses[first..] {
                if c.scorer.doc() == doc {
                    c.scorer.advance();
                }
            }
        }
    }
}

struct Dbg(bool, *const usize, *const usize);
impl Drop for Dbg { fn drop(&mut self) { if self.0 { unsafe { eprintln!("visited {} first {}", *self.1, *self.2); } } } }

//! Evaluation files: structured cases (answered by Match) and free-text searches
//! (answered by Search), with graded expectations and the metrics hit@3, nDCG@5, tier@1,
//! crisis@1 and violations.
//!
//! Each case is turned into the same wire request a client would send and goes through
//! the same validation and engine code as the gRPC service.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

pub use crate::api::input::{RequestInput, SearchInput};
use crate::api::{self, Violation};
use crate::domain::Tier;
use crate::engine::Engine;
use crate::matching::crisis;
use crate::search::analysis::normalize;
use crate::search::index::IndexError;

/// How many results an evaluation looks at.
const TOP: usize = 10;

/// Why an evaluation file could not be run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML of the evaluation format.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The path.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A case could not be turned into a valid request.
    #[error("{path}: entry '{id}': {message}")]
    Case {
        /// The path.
        path: String,
        /// The entry id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// The engine failed.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// An evaluation file.
#[derive(Debug, Default)]
pub struct EvalFile {
    /// Structured cases.
    pub case: Vec<Case>,
    /// Free-text searches.
    pub search: Vec<SearchCase>,
}

/// One reading of an evaluation file: the same tables seen as `T` (ids and
/// expectations) or as the requests themselves. Reading twice keeps toml's line numbers,
/// which `#[serde(flatten)]` would lose.
#[derive(Deserialize)]
struct Tables<C, S> {
    #[serde(default = "Vec::new")]
    case: Vec<C>,
    #[serde(default = "Vec::new")]
    search: Vec<S>,
}

/// The parts of an entry that are not the request: its id and expectations.
#[derive(Deserialize)]
struct Meta {
    id: String,
    #[serde(default)]
    verwacht: Expected,
}

/// What a good answer looks like.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Expected {
    /// Expected names with grade 2 (ideal) or 1 (acceptable).
    #[serde(default)]
    pub relevant: BTreeMap<String, u8>,
    /// Tiers allowed at rank 1.
    #[serde(default)]
    pub eerste_niveau: Vec<String>,
    /// Names that must not appear in the top 10.
    #[serde(default)]
    pub niet: Vec<String>,
}

/// A structured help request with its expectations.
#[derive(Debug)]
pub struct Case {
    /// Case id.
    pub id: String,
    /// The request.
    pub request: RequestInput,
    /// Expectations.
    pub verwacht: Expected,
}

/// A free-text search with its expectations.
#[derive(Debug)]
pub struct SearchCase {
    /// Entry id.
    pub id: String,
    /// The search.
    pub search: SearchInput,
    /// Expectations.
    pub verwacht: Expected,
}

/// One returned result, as evaluation output shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResultRow {
    /// Offering id.
    pub id: String,
    /// Offering name.
    pub name: String,
    /// Tier, upper case (`ALGEMENE_VOORZIENING`).
    pub tier: String,
}

/// The outcome of one entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryReport {
    /// `case` or `search`.
    pub kind: &'static str,
    /// Entry id.
    pub id: String,
    /// Ranked results (at most 10).
    pub results: Vec<ResultRow>,
    /// Advice (cases only).
    pub advice: Option<String>,
    /// Relevant result in the top 3; `None` when nothing relevant is expected.
    pub hit_at_3: Option<bool>,
    /// nDCG@5; `None` when nothing relevant is expected.
    pub ndcg_at_5: Option<f64>,
    /// First result's tier allowed; `None` when no tiers are given.
    pub tier_at_1: Option<bool>,
    /// First result is a crisis offering; `None` when the entry carries no crisis.
    pub crisis_at_1: Option<bool>,
    /// `niet` names found in the top 10.
    pub violations: Vec<String>,
    /// What Search understood the text to mean (searches only; see
    /// [`SearchOutcome::understood`](crate::engine::SearchOutcome::understood)).
    pub understood: Vec<String>,
    /// Crisis language detected although the entry expects no crisis line; `None` for
    /// entries that do expect one.
    pub false_alarm: Option<bool>,
}

/// Aggregated metrics.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Metrics {
    /// Entries.
    pub entries: usize,
    /// Share of entries with a relevant result in the top 3.
    pub hit_at_3: f64,
    /// Mean nDCG@5.
    pub ndcg_at_5: f64,
    /// Share of cases whose first tier is allowed.
    pub tier_at_1: f64,
    /// Share of crisis cases with a crisis offering first.
    pub crisis_at_1: f64,
    /// Count of forbidden names in top 10s.
    pub violations: usize,
    /// Entries expecting no crisis line in whose text crisis language was detected.
    pub false_alarms: usize,
    /// Entries expecting no crisis line.
    pub non_crisis: usize,
}

/// Reads an evaluation file.
pub fn load(path: &Path) -> Result<EvalFile, EvalError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: shown.clone(),
        source,
    })?;
    parse(&text, &shown)
}

/// Parses evaluation TOML; `path` is only used in messages.
pub fn parse(text: &str, path: &str) -> Result<EvalFile, EvalError> {
    let format = |e: toml::de::Error| EvalError::Format {
        path: path.to_string(),
        line: e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        }),
        message: e.message().trim().to_string(),
    };
    let meta: Tables<Meta, Meta> = toml::from_str(text).map_err(format)?;
    let requests: Tables<RequestInput, SearchInput> = toml::from_str(text).map_err(format)?;
    Ok(EvalFile {
        case: meta
            .case
            .into_iter()
            .zip(requests.case)
            .map(|(m, request)| Case {
                id: m.id,
                request,
                verwacht: m.verwacht,
            })
            .collect(),
        search: meta
            .search
            .into_iter()
            .zip(requests.search)
            .map(|(m, search)| SearchCase {
                id: m.id,
                search,
                verwacht: m.verwacht,
            })
            .collect(),
    })
}

/// Runs every entry through the engine.
pub fn run(engine: &Engine, file: &EvalFile, path: &str) -> Result<Vec<EntryReport>, EvalError> {
    let mut out = Vec::new();
    for case in &file.case {
        let bad = |message: String| EvalError::Case {
            path: path.to_string(),
            id: case.id.clone(),
            message,
        };
        let draft = case.request.draft(TOP as u32).map_err(bad)?;
        let (help, _) = api::checked(|v| api::match_request(draft, engine.catalog(), v))
            .map_err(|v| bad(describe(&v)))?;
        let outcome = engine.match_request(&help, TOP)?;
        let results: Vec<ResultRow> = outcome.results.iter().map(|r| row(r.offering)).collect();
        let expected = !help.signals.is_empty() || expects_crisis_line(engine, &case.verwacht);
        let detected = !crisis::signals_in_note(&help.text).is_empty();
        out.push(score(
            "case",
            &case.id,
            results,
            Some(outcome.advice.clone()),
            &case.verwacht,
            Crisis { expected, detected },
        ));
    }
    for search in &file.search {
        let bad = |message: String| EvalError::Case {
            path: path.to_string(),
            id: search.id.clone(),
            message,
        };
        let draft = search.search.draft(TOP as u32).map_err(bad)?;
        let (text, filters, _) = api::checked(|v| api::search_request(draft, engine.catalog(), v))
            .map_err(|v| bad(describe(&v)))?;
        let outcome = engine.search(&text, &filters, TOP)?;
        let results = outcome.hits.iter().map(|h| row(h.offering)).collect();
        let crisis = Crisis {
            expected: expects_crisis_line(engine, &search.verwacht),
            detected: !outcome.signals.is_empty(),
        };
        let mut report = score(
            "search",
            &search.id,
            results,
            None,
            &search.verwacht,
            crisis,
        );
        report.understood = outcome.understood;
        out.push(report);
    }
    Ok(out)
}

/// Whether the entry's author expects a crisis line as an ideal answer (grade 2): then
/// the entry counts for crisis@1 whether or not the detector found crisis language, so
/// a miss of the detector shows as a miss.
fn expects_crisis_line(engine: &Engine, expected: &Expected) -> bool {
    engine
        .catalog()
        .offerings()
        .iter()
        .filter(|o| o.is_crisis_line())
        .any(|o| {
            expected
                .relevant
                .iter()
                .any(|(name, g)| *g >= 2 && names_match(&o.name, name))
        })
}

fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("{} {}", v.field, v.description))
        .collect::<Vec<_>>()
        .join("; ")
}

fn row(o: &crate::domain::Offering) -> ResultRow {
    ResultRow {
        id: o.id.clone(),
        name: o.name.clone(),
        tier: o.tier.upper(),
    }
}

/// Whether a catalog name and an expected name refer to the same thing: equal, or one
/// contains the other, ignoring case, accents and punctuation.
pub fn names_match(catalog_name: &str, expected: &str) -> bool {
    let (a, b) = (normalize(catalog_name), normalize(expected));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

fn grade(name: &str, expected: &Expected) -> u8 {
    expected
        .relevant
        .iter()
        .filter(|(n, _)| names_match(name, n))
        .map(|(_, g)| *g)
        .max()
        .unwrap_or(0)
}

fn gain(g: u8) -> f64 {
    f64::from((1u32 << g.min(8)) - 1)
}

/// Whether an entry expects a crisis line, and whether the detector found crisis
/// language in its text.
#[derive(Debug, Clone, Copy)]
struct Crisis {
    expected: bool,
    detected: bool,
}

fn score(
    kind: &'static str,
    id: &str,
    results: Vec<ResultRow>,
    advice: Option<String>,
    expected: &Expected,
    crisis: Crisis,
) -> EntryReport {
    let carries_crisis = crisis.expected || crisis.detected;
    let grades: Vec<u8> = results.iter().map(|r| grade(&r.name, expected)).collect();
    let has_relevant = !expected.relevant.is_empty();
    let hit_at_3 = has_relevant.then(|| grades.iter().take(3).any(|&g| g > 0));
    let ndcg_at_5 = has_relevant.then(|| {
        let dcg: f64 = grades
            .iter()
            .take(5)
            .enumerate()
            .map(|(i, &g)| gain(g) / (i as f64 + 2.0).log2())
            .sum();
        let mut ideal: Vec<u8> = expected.relevant.values().copied().collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let idcg: f64 = ideal
            .iter()
            .take(5)
            .enumerate()
            .map(|(i, &g)| gain(g) / (i as f64 + 2.0).log2())
            .sum();
        if idcg > 0.0 {
            dcg / idcg
        } else {
            0.0
        }
    });
    let tier_at_1 = (!expected.eerste_niveau.is_empty()).then(|| {
        results.first().is_some_and(|r| {
            expected
                .eerste_niveau
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&r.tier))
        })
    });
    let crisis_at_1 = carries_crisis.then(|| {
        results
            .first()
            .is_some_and(|r| r.tier == Tier::Crisis.upper())
    });
    let violations = expected
        .niet
        .iter()
        .filter(|n| results.iter().any(|r| names_match(&r.name, n)))
        .cloned()
        .collect();
    EntryReport {
        kind,
        id: id.to_string(),
        results,
        advice,
        hit_at_3,
        ndcg_at_5,
        tier_at_1,
        crisis_at_1,
        violations,
        false_alarm: (!crisis.expected).then_some(crisis.detected),
        understood: Vec::new(),
    }
}

/// Aggregates entry reports.
pub fn metrics(reports: &[EntryReport]) -> Metrics {
    let share = |values: Vec<bool>| {
        if values.is_empty() {
            1.0
        } else {
            values.iter().filter(|&&b| b).count() as f64 / values.len() as f64
        }
    };
    let ndcg: Vec<f64> = reports.iter().filter_map(|r| r.ndcg_at_5).collect();
    Metrics {
        entries: reports.len(),
        hit_at_3: share(reports.iter().filter_map(|r| r.hit_at_3).collect()),
        ndcg_at_5: if ndcg.is_empty() {
            1.0
        } else {
            ndcg.iter().sum::<f64>() / ndcg.len() as f64
        },
        tier_at_1: share(reports.iter().filter_map(|r| r.tier_at_1).collect()),
        crisis_at_1: share(reports.iter().filter_map(|r| r.crisis_at_1).collect()),
        violations: reports.iter().map(|r| r.violations.len()).sum(),
        false_alarms: reports
            .iter()
            .filter(|r| r.false_alarm == Some(true))
            .count(),
        non_crisis: reports.iter().filter(|r| r.false_alarm.is_some()).count(),
    }
}

fn mark(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "ja",
        Some(false) => "NEE",
        None => "-",
    }
}

/// A readable table of the reports and their metrics.
pub fn table(reports: &[EntryReport]) -> String {
    let mut out = String::new();
    // The id column is as wide as the longest id, so long ids keep the columns aligned.
    let w = reports
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(2);
    let _ = writeln!(
        out,
        "{:<7} {:<w$} {:>5} {:>6} {:>6} {:>8} {:>4}  top 3",
        "soort", "id", "hit@3", "nDCG@5", "tier@1", "crisis@1", "niet"
    );
    for r in reports {
        let top: Vec<String> = r
            .results
            .iter()
            .take(3)
            .map(|x| format!("{} [{}]", x.name, x.tier))
            .collect();
        let _ = writeln!(
            out,
            "{:<7} {:<w$} {:>5} {:>6} {:>6} {:>8} {:>4}  {}",
            r.kind,
            r.id,
            mark(r.hit_at_3),
            r.ndcg_at_5.map_or("-".to_string(), |n| format!("{n:.2}")),
            mark(r.tier_at_1),
            mark(r.crisis_at_1),
            r.violations.len(),
            top.join(" | ")
        );
    }
    let m = metrics(reports);
    out.push_str(
        "\n(niet: names from the entry's `niet` list, offerings that must not appear, found in the top 10)",
    );
    let _ = writeln!(
        out,
        "\n{} entries: hit@3 {:.2}  nDCG@5 {:.2}  tier@1 {:.2}  crisis@1 {:.2}  violations {}  false alarms {}/{}",
        m.entries,
        m.hit_at_3,
        m.ndcg_at_5,
        m.tier_at_1,
        m.crisis_at_1,
        m.violations,
        m.false_alarms,
        m.non_crisis
    );
    out
}

/// One JSON object per entry, then one with the metrics (`"kind": "metrics"`).
pub fn json_lines(reports: &[EntryReport]) -> String {
    let mut out = String::new();
    for r in reports {
        let mut obj = serde_json::json!({
            "kind": r.kind,
            "id": r.id,
            "results": r.results,
            "hit_at_3": r.hit_at_3,
            "ndcg_at_5": r.ndcg_at_5,
            "tier_at_1": r.tier_at_1,
            "crisis_at_1": r.crisis_at_1,
            "false_alarm": r.false_alarm,
            "violations": r.violations,
        });
        if let Some(advice) = &r.advice {
            obj["advice"] = serde_json::Value::String(advice.clone());
        }
        if !r.understood.is_empty() {
            obj["understood"] = serde_json::json!(r.understood);
        }
        let _ = writeln!(out, "{obj}");
    }
    let mut m = serde_json::to_value(metrics(reports)).unwrap_or_default();
    m["kind"] = serde_json::Value::String("metrics".to_string());
    let _ = writeln!(out, "{m}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(relevant: &[(&str, u8)]) -> Expected {
        Expected {
            relevant: relevant.iter().map(|(n, g)| (n.to_string(), *g)).collect(),
            eerste_niveau: vec!["ELKAAR_HELPEN".into()],
            niet: vec!["Valpreventie".into()],
        }
    }

    fn rows(names: &[(&str, Tier)]) -> Vec<ResultRow> {
        names
            .iter()
            .map(|(n, t)| ResultRow {
                id: normalize(n),
                name: n.to_string(),
                tier: t.upper(),
            })
            .collect()
    }

    #[test]
    fn names_match_loosely() {
        assert!(names_match(
            "Onafhankelijke cliëntondersteuning MEE Plus",
            "Onafhankelijke clientondersteuning"
        ));
        assert!(names_match("#SDDhelpt", "#SDDhelpt"));
        assert!(names_match(
            "Sociaal wijkteam (Dordrecht Sociaal)",
            "sociaal wijkteam"
        ));
        assert!(!names_match("Jongerenwerk", "Buurtwerk"));
    }

    #[test]
    fn perfect_ranking_scores_one() {
        let e = expected(&[("A", 2), ("B", 1)]);
        let r = score(
            "case",
            "x",
            rows(&[("A", Tier::ElkaarHelpen), ("B", Tier::Toegang)]),
            None,
            &e,
            Crisis {
                expected: false,
                detected: false,
            },
        );
        assert_eq!(r.hit_at_3, Some(true));
        assert_eq!(r.false_alarm, Some(false));
        assert!((r.ndcg_at_5.unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(r.tier_at_1, Some(true));
        assert_eq!(r.crisis_at_1, None);
    }

    #[test]
    fn misses_and_violations_count() {
        let e = expected(&[("A", 2)]);
        let r = score(
            "case",
            "x",
            rows(&[
                ("C", Tier::Maatwerk),
                ("D", Tier::Toegang),
                ("E", Tier::Toegang),
                ("A", Tier::ElkaarHelpen),
                ("Valpreventie", Tier::AlgemeneVoorziening),
            ]),
            None,
            &e,
            Crisis {
                expected: false,
                detected: true,
            },
        );
        assert_eq!(r.hit_at_3, Some(false));
        assert_eq!(
            r.false_alarm,
            Some(true),
            "detected where none was expected"
        );
        let n = r.ndcg_at_5.unwrap();
        assert!(n > 0.0 && n < 1.0, "partial credit at rank 4: {n}");
        assert_eq!(r.tier_at_1, Some(false));
        assert_eq!(r.crisis_at_1, Some(false));
        assert_eq!(r.violations, vec!["Valpreventie".to_string()]);
        let m = metrics(&[r]);
        assert_eq!(m.violations, 1);
        assert_eq!(m.hit_at_3, 0.0);
    }

    #[test]
    fn format_errors_name_the_line() {
        let err = parse("[[case]]\nid = \"a\"\nleeftijd = \"oud\"\n", "f.toml").unwrap_err();
        assert!(err.to_string().starts_with("f.toml:3:"), "{err}");
    }
}

//! Input decoding and invariant checks shared by the fuzz targets
//! (`tests/fuzz/fuzz_targets/*.rs`) and the replay test (`tests/fuzz_regressions.rs`).
//!
//! Both include this file with `#[path]`, so a saved fuzz input is checked in
//! `cargo test` exactly as the fuzzer checked it. Every check panics on a broken
//! invariant; a clean return means the input was handled correctly.
//!
//! Input formats:
//! - `catalog_offerings`: UTF-8 text (invalid bytes replaced) of offering files, split
//!   on NUL into at most [`MAX_OFFERING_FILES`] files; the real `catalogus.toml` and
//!   `taxonomie.toml` complete the catalog.
//! - `catalog_region`: the text of `catalogus.toml`, optionally followed by NUL and the
//!   text of `taxonomie.toml` (otherwise the real one); the real offering files complete
//!   the catalog.
//! - `convert`, `engine`: one byte choosing the request type ([`RequestKind`], modulo 5),
//!   then the protobuf encoding of that request.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use prost::Message;

use wegwijzer::api::Violation;
use wegwijzer::catalog::{Catalog, CatalogError, Problem};
use wegwijzer::domain::rules::{
    DEFAULT_PAGE_SIZE, DEFAULT_RESULTS, DEFAULT_SUGGESTIONS, MAX_AGE, MAX_DESCRIPTION_CHARS,
    MAX_LANGUAGES, MAX_PAGE_SIZE, MAX_PREFIX_CHARS, MAX_RESULTS, MAX_SUGGESTIONS, MAX_TEXT_CHARS,
};
use wegwijzer::domain::{Filters, HelpRequest, Household, Leefgebied, Signal, Tier};
use wegwijzer::engine::Engine;
use wegwijzer::grpc::convert;
use wegwijzer::grpc::pb;
use wegwijzer::matching::ineligibility;
use wegwijzer::search::suggest::Kind;

// ---------------------------------------------------------------------------------------
// The real catalog, embedded
// ---------------------------------------------------------------------------------------

/// The folder name the embedded catalog pretends to live in.
pub const DIR: &str = "catalog";
/// The real `catalog/catalogus.toml`.
pub const REGION: &str = include_str!("../../catalog/catalogus.toml");
/// The real `catalog/taxonomie.toml`.
pub const TAXONOMY: &str = include_str!("../../catalog/taxonomie.toml");
/// The real `catalog/aanbod/*.toml`, sorted by name as `Catalog::load` reads them.
pub const OFFERING_FILES: &[(&str, &str)] = &[
    (
        "algemene_voorzieningen.toml",
        include_str!("../../catalog/aanbod/algemene_voorzieningen.toml"),
    ),
    (
        "crisis.toml",
        include_str!("../../catalog/aanbod/crisis.toml"),
    ),
    (
        "elkaar_helpen.toml",
        include_str!("../../catalog/aanbod/elkaar_helpen.toml"),
    ),
    (
        "maatwerk.toml",
        include_str!("../../catalog/aanbod/maatwerk.toml"),
    ),
    (
        "toegang.toml",
        include_str!("../../catalog/aanbod/toegang.toml"),
    ),
];
/// The evaluation cases, the source of realistic request seeds.
const EVAL_CASES: &str = include_str!("../eval/cases.toml");

/// At most this many offering files are made from one `catalog_offerings` input.
pub const MAX_OFFERING_FILES: usize = 8;

fn region_path() -> PathBuf {
    Path::new(DIR).join("catalogus.toml")
}

fn taxonomy_path() -> PathBuf {
    Path::new(DIR).join("taxonomie.toml")
}

fn offering_path(name: &str) -> PathBuf {
    Path::new(DIR).join("aanbod").join(name)
}

/// The real catalog's files, as `Catalog::from_texts` takes them.
pub fn real_texts() -> Vec<(PathBuf, String)> {
    let mut texts = vec![
        (region_path(), REGION.to_string()),
        (taxonomy_path(), TAXONOMY.to_string()),
    ];
    texts.extend(
        OFFERING_FILES
            .iter()
            .map(|(name, text)| (offering_path(name), text.to_string())),
    );
    texts
}

/// The real catalog, loaded once from the embedded files.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::from_texts(Path::new(DIR), &real_texts()).expect("the embedded catalog is valid")
    })
}

/// An engine over the real catalog with an in-memory index, built once.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::in_memory(catalog().clone()).expect("the engine starts"))
}

// ---------------------------------------------------------------------------------------
// Catalog parsing
// ---------------------------------------------------------------------------------------

/// Lines of a text as an editor numbers them: a problem at the very end of a file that
/// ends in a newline is on the (empty) line after the last newline.
fn line_count(text: &str) -> usize {
    text.matches('\n').count() + 1
}

/// `catalog_offerings`: fuzzed offering files with the real region and taxonomy.
pub fn check_catalog_offerings(data: &[u8]) -> Option<Catalog> {
    let text = String::from_utf8_lossy(data);
    let mut texts = vec![
        (region_path(), REGION.to_string()),
        (taxonomy_path(), TAXONOMY.to_string()),
    ];
    for (i, part) in text.splitn(MAX_OFFERING_FILES, '\0').enumerate() {
        texts.push((offering_path(&format!("fuzz-{i}.toml")), part.to_string()));
    }
    check_catalog(&texts)
}

/// `catalog_region`: a fuzzed region file (and optionally taxonomy) with the real
/// offering files.
pub fn check_catalog_region(data: &[u8]) -> Option<Catalog> {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(2, '\0');
    let region = parts.next().unwrap_or_default();
    let taxonomy = parts.next().unwrap_or(TAXONOMY);
    let mut texts = real_texts();
    texts[0].1 = region.to_string();
    texts[1].1 = taxonomy.to_string();
    check_catalog(&texts)
}

/// Validates `texts` and checks the outcome:
/// - an invalid catalog reports at least one problem, each with a message, in one of
///   the files given, on a line that file has (or the `aanbod` folder without a line);
/// - a valid catalog has unique ids that `get`, `position` and `location` all find, and
///   only offerings that satisfy the documented rules; its review warnings point at
///   real lines too.
pub fn check_catalog(texts: &[(PathBuf, String)]) -> Option<Catalog> {
    let dir = Path::new(DIR);
    match Catalog::from_texts(dir, texts) {
        Ok(catalog) => {
            check_valid_catalog(&catalog, texts);
            Some(catalog)
        }
        Err(CatalogError::Invalid(problems)) => {
            assert!(!problems.is_empty(), "an invalid catalog without problems");
            for p in &problems {
                check_problem(p, texts, true);
            }
            let shown = CatalogError::Invalid(problems).to_string();
            assert!(!shown.is_empty());
            None
        }
        Err(e @ CatalogError::Io { .. }) => panic!("from_texts read a file: {e}"),
    }
}

fn check_problem(p: &Problem, texts: &[(PathBuf, String)], folder_allowed: bool) {
    assert!(
        !p.message.trim().is_empty(),
        "problem without a message: {p:?}"
    );
    match texts.iter().find(|(path, _)| *path == p.file) {
        Some((_, text)) => {
            if let Some(line) = p.line {
                let lines = line_count(text);
                assert!(
                    (1..=lines).contains(&line),
                    "problem on line {line} of a {lines}-line file: {p}"
                );
            }
        }
        None => {
            assert!(
                folder_allowed && p.file == Path::new(DIR).join("aanbod") && p.line.is_none(),
                "problem in a file that was not given: {p:?}"
            );
        }
    }
}

fn check_valid_catalog(catalog: &Catalog, texts: &[(PathBuf, String)]) {
    assert!(
        !catalog.gemeenten().is_empty(),
        "a catalog without gemeenten"
    );
    let offerings = catalog.offerings();
    assert!(!offerings.is_empty(), "a valid catalog without offerings");
    for (i, o) in offerings.iter().enumerate() {
        if i > 0 {
            assert!(
                offerings[i - 1].id < o.id,
                "ids not unique and ascending: '{}' then '{}'",
                offerings[i - 1].id,
                o.id
            );
        }
        assert!(
            catalog
                .get(&o.id)
                .is_some_and(|found| std::ptr::eq(found, o)),
            "get('{}') does not find it",
            o.id
        );
        assert_eq!(catalog.position(&o.id), Some(i), "position of '{}'", o.id);
        let (file, line) = catalog
            .location(&o.id)
            .unwrap_or_else(|| panic!("no location for '{}'", o.id));
        let Some(i) = texts.iter().position(|(p, _)| p == file) else {
            panic!("'{}' located in a file that was not given", o.id);
        };
        assert!(i >= 2, "'{}' located in the region or taxonomy file", o.id);
        assert!((1..=line_count(&texts[i].1)).contains(&line));

        assert!(!o.id.is_empty());
        assert!(o
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        for (what, value) in [
            ("name", &o.name),
            ("organisation", &o.organisation),
            ("description", &o.description),
            ("next step", &o.next_step),
        ] {
            assert!(!value.is_empty(), "'{}' has an empty {what}", o.id);
            assert_eq!(value.trim(), value, "'{}': {what} not trimmed", o.id);
        }
        assert!(o.description.chars().count() <= MAX_DESCRIPTION_CHARS);
        assert!(!o.lay_terms.is_empty() && o.lay_terms.iter().all(|t| !t.trim().is_empty()));
        assert!(!o.leefgebieden.is_empty() && !o.access.is_empty());
        assert!(!o.area.names().is_empty());
        assert!(o
            .languages
            .iter()
            .all(|l| l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase())));
        if let (Some(min), Some(max)) = (o.eligibility.min_age, o.eligibility.max_age) {
            assert!(min <= max);
        }
        assert!(o.eligibility.max_age.is_none_or(|max| max <= 120));
        assert!(catalog.sources().iter().any(|s| s.file == o.source));
        if let Some(c) = &o.contact {
            assert!(catalog.sources().iter().any(|s| s.file == c.source));
        }
        assert!(o.verified.is_some() || catalog.is_historic());
        // The wire form must be buildable for every valid offering.
        let _ = convert::offering(o).encode_to_vec();
    }
    for w in catalog.warnings(wegwijzer::domain::dates::parse("2026-06-01").unwrap()) {
        check_problem(&w, texts, false);
    }
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/// Which request an input holds; its first byte (modulo 5) chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// `MatchRequest`.
    Match = 0,
    /// `SearchRequest`.
    Search = 1,
    /// `SuggestRequest`.
    Suggest = 2,
    /// `ListOfferingsRequest`.
    List = 3,
    /// `GetOfferingRequest`.
    Get = 4,
}

/// A decoded wire request.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Match.
    Match(pb::MatchRequest),
    /// Search.
    Search(pb::SearchRequest),
    /// Suggest.
    Suggest(pb::SuggestRequest),
    /// ListOfferings.
    List(pb::ListOfferingsRequest),
    /// GetOffering.
    Get(pb::GetOfferingRequest),
}

impl Request {
    /// Decodes a fuzz input; `None` when the bytes are not a valid message.
    pub fn decode(data: &[u8]) -> Option<Request> {
        let (&kind, body) = data.split_first()?;
        Some(match kind % 5 {
            0 => Request::Match(pb::MatchRequest::decode(body).ok()?),
            1 => Request::Search(pb::SearchRequest::decode(body).ok()?),
            2 => Request::Suggest(pb::SuggestRequest::decode(body).ok()?),
            3 => Request::List(pb::ListOfferingsRequest::decode(body).ok()?),
            _ => Request::Get(pb::GetOfferingRequest::decode(body).ok()?),
        })
    }

    /// The fuzz input for this request.
    pub fn encode(&self) -> Vec<u8> {
        let (kind, body) = match self {
            Request::Match(m) => (RequestKind::Match, m.encode_to_vec()),
            Request::Search(m) => (RequestKind::Search, m.encode_to_vec()),
            Request::Suggest(m) => (RequestKind::Suggest, m.encode_to_vec()),
            Request::List(m) => (RequestKind::List, m.encode_to_vec()),
            Request::Get(m) => (RequestKind::Get, m.encode_to_vec()),
        };
        let mut out = vec![kind as u8];
        out.extend(body);
        out
    }
}

/// A request that `convert` accepted, in domain form.
#[derive(Debug, Clone, PartialEq)]
pub enum Accepted {
    /// Match: help request and limit.
    Match(HelpRequest, usize),
    /// Search: text, filters, limit.
    Search(String, Filters, usize),
    /// Suggest: prefix and limit.
    Suggest(String, usize),
    /// ListOfferings: filters, page size, id to continue after.
    List(Filters, usize, Option<String>),
    /// GetOffering: the id.
    Get(String),
}

/// `convert`: decodes the input and checks its validation.
pub fn check_request(data: &[u8]) -> Option<Accepted> {
    Request::decode(data).and_then(check_conversion)
}

/// `engine`: as [`check_request`], then runs an accepted request through the engine
/// and the wire conversion of its answer.
pub fn check_request_in_engine(data: &[u8]) {
    if let Some(accepted) = check_request(data) {
        check_engine(&accepted);
    }
}

/// Characters that may appear in a violation description. A sent value holding any
/// other character is never a fragment of a fixed description, so finding it in one
/// means the description repeats what the caller sent.
fn description_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " ()',.:;-_[]".contains(c)
}

/// A rejected request: at least one violation, each naming a field (a path without
/// spaces) and a rule, never repeating a value the caller sent; and every field in
/// `must_flag` among them.
fn check_rejection(violations: &[Violation], sent: &[&str], must_flag: &[String]) {
    assert!(!violations.is_empty(), "rejected without a violation");
    for v in violations {
        assert!(
            !v.field.is_empty() && !v.field.contains(char::is_whitespace),
            "bad field name in {v:?}"
        );
        assert!(!v.description.trim().is_empty(), "no description in {v:?}");
        for s in sent {
            let s = s.trim();
            if s.chars().count() >= 8 && !s.chars().all(description_char) {
                assert!(
                    !v.description.contains(s),
                    "the description of '{}' repeats a value sent",
                    v.field
                );
            }
        }
    }
    for field in must_flag {
        assert!(
            violations.iter().any(|v| &v.field == field),
            "'{field}' is invalid but not reported: {violations:?}"
        );
    }
}

/// The count `convert` should settle on: the default for 0, else the value itself.
fn expected_count(sent: u32, default: u32, max: u32) -> usize {
    assert!(sent <= max, "a count above its maximum was accepted");
    (if sent == 0 { default } else { sent }) as usize
}

/// The text a page token encodes: pairs of hex digits (either case) forming UTF-8 of at
/// most 200 bytes; `None` for anything else.
fn hex_text(token: &str) -> Option<String> {
    let digits: Vec<u32> = token
        .chars()
        .map(|c| c.to_digit(16))
        .collect::<Option<_>>()?;
    if digits.len() % 2 != 0 || digits.len() > 400 {
        return None;
    }
    let bytes = digits.chunks(2).map(|p| (p[0] * 16 + p[1]) as u8).collect();
    String::from_utf8(bytes).ok()
}

fn enum_in_range(raw: i32, len: usize) -> bool {
    usize::try_from(raw).is_ok_and(|n| n <= len)
}

fn blank_or_too_long(text: &str, max: usize) -> bool {
    text.trim().is_empty() || text.chars().count() > max
}

fn check_filters(f: &Filters, tier: i32, leefgebied: i32) {
    if let Some(g) = &f.gemeente {
        assert!(
            catalog().gemeenten().contains(g),
            "filter gemeente '{g}' is not a canonical gemeente"
        );
    }
    assert_eq!(f.tier.is_some(), tier != 0);
    assert_eq!(f.leefgebied.is_some(), leefgebied != 0);
}

/// Converts one request and checks the result.
pub fn check_conversion(request: Request) -> Option<Accepted> {
    let catalog = catalog();
    match request {
        Request::Match(req) => {
            let mut must_flag = Vec::new();
            if req.limit > MAX_RESULTS {
                must_flag.push("limit".to_string());
            }
            let mut sent: Vec<String> = Vec::new();
            if let Some(r) = &req.request {
                sent.push(r.text.clone());
                if r.text.chars().count() > MAX_TEXT_CHARS {
                    must_flag.push("request.text".into());
                }
                for (i, d) in r.leefgebieden.iter().enumerate() {
                    if !(1..=5).contains(&d.score) {
                        must_flag.push(format!("request.leefgebieden[{i}].score"));
                    }
                    if d.leefgebied == 0 || !enum_in_range(d.leefgebied, Leefgebied::ALL.len()) {
                        must_flag.push(format!("request.leefgebieden[{i}].leefgebied"));
                    }
                }
                let scales = r.draagkracht.as_ref().map(|k| {
                    [
                        k.lichamelijk,
                        k.mentaal,
                        k.netwerk,
                        k.financieel,
                        k.vaardigheden,
                    ]
                    .into_iter()
                    .zip([
                        "lichamelijk",
                        "mentaal",
                        "netwerk",
                        "financieel",
                        "vaardigheden",
                    ])
                    .map(|(v, name)| (v, format!("request.draagkracht.{name}")))
                    .collect::<Vec<_>>()
                });
                let burdens = r.draaglast.as_ref().map(|l| {
                    [
                        l.verplichtingen,
                        l.zorgtaken,
                        l.gebeurtenissen,
                        l.geldzorgen,
                    ]
                    .into_iter()
                    .zip([
                        "verplichtingen",
                        "zorgtaken",
                        "gebeurtenissen",
                        "geldzorgen",
                    ])
                    .map(|(v, name)| (v, format!("request.draaglast.{name}")))
                    .collect::<Vec<_>>()
                });
                for (value, field) in scales.into_iter().chain(burdens).flatten() {
                    if value.is_some_and(|v| v > 4) {
                        must_flag.push(field);
                    }
                }
                for (i, &s) in r.signals.iter().enumerate() {
                    if s == 0 || !enum_in_range(s, Signal::ALL.len()) {
                        must_flag.push(format!("request.signals[{i}]"));
                    }
                }
                if let Some(c) = &r.context {
                    sent.push(c.gemeente.clone());
                    sent.extend(c.languages.iter().cloned());
                    if c.age.is_some_and(|a| a > MAX_AGE) {
                        must_flag.push("request.context.age".into());
                    }
                    if c.languages.len() > MAX_LANGUAGES {
                        must_flag.push("request.context.languages".into());
                    }
                    for (i, lang) in c.languages.iter().enumerate() {
                        if lang.len() != 2 || !lang.chars().all(|ch| ch.is_ascii_alphabetic()) {
                            must_flag.push(format!("request.context.languages[{i}]"));
                        }
                    }
                    if !enum_in_range(c.household, Household::ALL.len()) {
                        must_flag.push("request.context.household".into());
                    }
                }
            } else {
                must_flag.push("request".into());
            }
            let sent_refs: Vec<&str> = sent.iter().map(String::as_str).collect();
            match convert::match_request(req.clone(), catalog) {
                Err(v) => {
                    check_rejection(&v, &sent_refs, &must_flag);
                    None
                }
                Ok((help, limit)) => {
                    assert!(must_flag.is_empty(), "accepted with invalid {must_flag:?}");
                    assert_eq!(
                        limit,
                        expected_count(req.limit, DEFAULT_RESULTS, MAX_RESULTS)
                    );
                    assert!((1..=MAX_RESULTS as usize).contains(&limit));
                    check_help_request(&help);
                    Some(Accepted::Match(help, limit))
                }
            }
        }
        Request::Search(req) => {
            let mut must_flag = Vec::new();
            if blank_or_too_long(&req.query, MAX_TEXT_CHARS) {
                must_flag.push("query".to_string());
            }
            if req.limit > MAX_RESULTS {
                must_flag.push("limit".into());
            }
            if !enum_in_range(req.tier, Tier::ALL.len()) {
                must_flag.push("tier".into());
            }
            if !enum_in_range(req.leefgebied, Leefgebied::ALL.len()) {
                must_flag.push("leefgebied".into());
            }
            let sent = [req.query.as_str(), req.gemeente.as_str()];
            match convert::search_request(req.clone(), catalog) {
                Err(v) => {
                    check_rejection(&v, &sent, &must_flag);
                    None
                }
                Ok((query, filters, limit)) => {
                    assert!(must_flag.is_empty(), "accepted with invalid {must_flag:?}");
                    assert_eq!(query, req.query);
                    assert_eq!(
                        limit,
                        expected_count(req.limit, DEFAULT_RESULTS, MAX_RESULTS)
                    );
                    assert!((1..=MAX_RESULTS as usize).contains(&limit));
                    check_filters(&filters, req.tier, req.leefgebied);
                    assert_eq!(filters.gemeente.is_some(), !req.gemeente.trim().is_empty());
                    Some(Accepted::Search(query, filters, limit))
                }
            }
        }
        Request::Suggest(req) => {
            let mut must_flag = Vec::new();
            if blank_or_too_long(&req.prefix, MAX_PREFIX_CHARS) {
                must_flag.push("prefix".to_string());
            }
            if req.limit > MAX_SUGGESTIONS {
                must_flag.push("limit".into());
            }
            match convert::suggest_request(req.clone()) {
                Err(v) => {
                    check_rejection(&v, &[&req.prefix], &must_flag);
                    None
                }
                Ok((prefix, limit)) => {
                    assert!(must_flag.is_empty(), "accepted with invalid {must_flag:?}");
                    assert_eq!(prefix, req.prefix);
                    assert_eq!(
                        limit,
                        expected_count(req.limit, DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS)
                    );
                    assert!((1..=MAX_SUGGESTIONS as usize).contains(&limit));
                    Some(Accepted::Suggest(prefix, limit))
                }
            }
        }
        Request::List(req) => {
            let mut must_flag = Vec::new();
            if req.page_size > MAX_PAGE_SIZE {
                must_flag.push("page_size".to_string());
            }
            if !enum_in_range(req.tier, Tier::ALL.len()) {
                must_flag.push("tier".into());
            }
            if !enum_in_range(req.leefgebied, Leefgebied::ALL.len()) {
                must_flag.push("leefgebied".into());
            }
            if !req.page_token.is_empty() && hex_text(&req.page_token).is_none() {
                must_flag.push("page_token".into());
            }
            let sent = [req.gemeente.as_str(), req.page_token.as_str()];
            match convert::list_request(req.clone(), catalog) {
                Err(v) => {
                    check_rejection(&v, &sent, &must_flag);
                    None
                }
                Ok((filters, size, after)) => {
                    assert!(must_flag.is_empty(), "accepted with invalid {must_flag:?}");
                    assert_eq!(
                        size,
                        expected_count(req.page_size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
                    );
                    assert!((1..=MAX_PAGE_SIZE as usize).contains(&size));
                    check_filters(&filters, req.tier, req.leefgebied);
                    match &after {
                        None => assert!(req.page_token.is_empty()),
                        Some(id) => {
                            assert_eq!(Some(id), hex_text(&req.page_token).as_ref());
                            assert!(
                                convert::encode_token(id).eq_ignore_ascii_case(&req.page_token),
                                "page token does not round-trip"
                            );
                        }
                    }
                    Some(Accepted::List(filters, size, after))
                }
            }
        }
        Request::Get(req) => {
            let valid = !req.id.is_empty()
                && req.id.len() <= 200
                && req
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            let must_flag = if valid {
                vec![]
            } else {
                vec!["id".to_string()]
            };
            match convert::get_request(req.clone()) {
                Err(v) => {
                    check_rejection(&v, &[&req.id], &must_flag);
                    None
                }
                Ok(id) => {
                    assert!(valid, "an invalid id was accepted");
                    assert_eq!(id, req.id);
                    Some(Accepted::Get(id))
                }
            }
        }
    }
}

fn check_help_request(help: &HelpRequest) {
    assert!(help.leefgebieden.len() <= Leefgebied::ALL.len());
    for (i, d) in help.leefgebieden.iter().enumerate() {
        assert!((1..=5).contains(&d.score), "ZRM score {} accepted", d.score);
        assert!(
            help.leefgebieden[..i]
                .iter()
                .all(|e| e.leefgebied != d.leefgebied),
            "a domain twice"
        );
    }
    for v in help
        .draagkracht
        .values()
        .into_iter()
        .chain(help.draaglast.values())
    {
        assert!(v <= 4, "scale value {v} accepted");
    }
    let c = &help.context;
    assert!(c.age.is_none_or(|a| a <= MAX_AGE));
    assert!(c.languages.len() <= MAX_LANGUAGES);
    assert!(c
        .languages
        .iter()
        .all(|l| l.len() == 2 && l.chars().all(|ch| ch.is_ascii_lowercase())));
    if let Some(g) = &c.gemeente {
        assert!(
            catalog().gemeenten().contains(g),
            "gemeente '{g}' not canonical"
        );
    }
    for (i, s) in help.signals.iter().enumerate() {
        assert!(!help.signals[..i].contains(s), "a signal twice");
    }
    assert!(help.text.chars().count() <= MAX_TEXT_CHARS);
}

// ---------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------

/// Runs an accepted request through the engine and checks the answer.
pub fn check_engine(accepted: &Accepted) {
    let engine = engine();
    match accepted {
        Accepted::Match(help, limit) => {
            let outcome = engine
                .match_request(help, *limit)
                .expect("Match fails on a valid request");
            assert!(outcome.results.len() <= *limit);
            let crisis = outcome
                .results
                .iter()
                .take_while(|r| r.offering.is_crisis_line())
                .count();
            assert!(
                outcome.results[crisis..]
                    .iter()
                    .all(|r| !r.offering.is_crisis_line()),
                "a crisis line below other results"
            );
            if !help.signals.is_empty() || !outcome.signals_from_text.is_empty() {
                assert!(crisis > 0, "a safety signal without a crisis line first");
            }
            for r in &outcome.results {
                assert_eq!(
                    ineligibility(r.offering, help),
                    None,
                    "'{}' is not for this person",
                    r.offering.id
                );
                assert!(!r.reasons.is_empty(), "'{}' without reasons", r.offering.id);
                assert!(r.score.is_finite() && r.score > 0.0, "score {}", r.score);
            }
            let response = convert::match_response(&outcome);
            assert!(response.profile.is_some());
            let _ = response.encode_to_vec();
        }
        Accepted::Search(query, filters, limit) => {
            let outcome = engine
                .search(query, filters, *limit)
                .expect("Search fails on a valid request");
            assert!(outcome.hits.len() <= *limit);
            for hit in &outcome.hits {
                // A crisis line put first for crisis language in the query stands
                // above the filters: safety first, on every path.
                let crisis_first = hit.offering.is_crisis_line() && !hit.reasons.is_empty();
                assert!(
                    filters.accepts(hit.offering) || crisis_first,
                    "'{}' does not pass the filters",
                    hit.offering.id
                );
                assert!(hit.score.is_finite(), "score {}", hit.score);
                let text = &hit.snippet.text;
                for &(start, end) in &hit.snippet.highlights {
                    assert!(
                        start <= end && end <= text.len(),
                        "highlight out of the snippet"
                    );
                    assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
                }
            }
            if outcome.hits.is_empty() {
                assert!(outcome.note.is_some(), "no hits and no note");
            }
            let _ = convert::search_response(&outcome).encode_to_vec();
        }
        Accepted::Suggest(prefix, limit) => {
            let suggestions = engine.suggest(prefix, *limit);
            assert!(suggestions.len() <= *limit);
            for s in &suggestions {
                assert!(!s.text.trim().is_empty(), "an empty suggestion");
                match s.kind {
                    Kind::Offering => assert!(
                        s.offering_id
                            .as_deref()
                            .is_some_and(|id| engine.get(id).is_some()),
                        "an offering suggestion without a known id"
                    ),
                    Kind::Term => assert!(s.offering_id.is_none()),
                }
            }
            let _ = convert::suggest_response(suggestions).encode_to_vec();
        }
        Accepted::List(filters, size, after) => {
            let page = engine.list(filters, *size, after.as_deref());
            assert!(page.offerings.len() <= *size);
            assert!(page.total >= page.offerings.len());
            for (i, o) in page.offerings.iter().enumerate() {
                assert!(filters.accepts(o), "'{}' does not pass the filters", o.id);
                if let Some(a) = after {
                    assert!(o.id.as_str() > a.as_str(), "'{}' is not after '{a}'", o.id);
                }
                if i > 0 {
                    assert!(page.offerings[i - 1].id < o.id, "page not in id order");
                }
                let _ = convert::offering(o).encode_to_vec();
            }
            if let Some(next) = &page.next_after {
                assert_eq!(page.offerings.len(), *size, "a next page after a short one");
                assert_eq!(Some(next), page.offerings.last().map(|o| &o.id));
            }
        }
        Accepted::Get(id) => {
            if let Some(o) = engine.get(id) {
                assert_eq!(&o.id, id);
                let _ = convert::offering(o).encode_to_vec();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------

/// Request seeds: every evaluation case and search, plus hand-made requests of every
/// kind, valid and invalid. Named `<kind>-<what>`.
pub fn request_seeds() -> Vec<(String, Request)> {
    let mut seeds = Vec::new();
    let eval = wegwijzer::eval::parse(EVAL_CASES, "cases.toml").expect("eval cases parse");
    for case in &eval.case {
        let wire = convert::match_to_wire(&case.request.draft(10).expect("eval case converts"));
        seeds.push((format!("match-{}", case.id), Request::Match(wire)));
    }
    for search in &eval.search {
        let wire = convert::search_to_wire(&search.search.draft(10).expect("eval search converts"));
        seeds.push((format!("search-{}", search.id), Request::Search(wire)));
    }

    let domain = |leefgebied: i32, score: u32| pb::DomainScore { leefgebied, score };
    seeds.push((
        "match-crisis-signal".into(),
        Request::Match(pb::MatchRequest {
            request: Some(pb::HelpRequest {
                leefgebieden: vec![domain(pb::Leefgebied::Veiligheid as i32, 1)],
                signals: vec![pb::Signal::HuiselijkGeweld as i32],
                text: "mijn partner slaat me en ik wil niet meer leven".into(),
                context: Some(pb::Context {
                    age: Some(34),
                    gemeente: "dordrecht".into(),
                    languages: vec!["NL".into(), "en".into()],
                    ..Default::default()
                }),
                ..Default::default()
            }),
            limit: 3,
        }),
    ));
    seeds.push((
        "match-invalid-everything".into(),
        Request::Match(pb::MatchRequest {
            request: Some(pb::HelpRequest {
                leefgebieden: vec![domain(0, 0), domain(99, 6), domain(1, 2), domain(1, 3)],
                draagkracht: Some(pb::Draagkracht {
                    mentaal: Some(5),
                    ..Default::default()
                }),
                draaglast: Some(pb::Draaglast {
                    geldzorgen: Some(9),
                    ..Default::default()
                }),
                context: Some(pb::Context {
                    age: Some(121),
                    gemeente: "Atlantis".into(),
                    household: 42,
                    languages: vec!["nld".into(), "1x".into()],
                    ..Default::default()
                }),
                signals: vec![0, -1],
                text: "x".repeat(MAX_TEXT_CHARS + 1),
            }),
            limit: MAX_RESULTS + 1,
        }),
    ));
    seeds.push((
        "match-empty".into(),
        Request::Match(pb::MatchRequest::default()),
    ));

    let search = |query: &str, gemeente: &str, tier: i32, leefgebied: i32, limit: u32| {
        Request::Search(pb::SearchRequest {
            query: query.into(),
            gemeente: gemeente.into(),
            tier,
            leefgebied,
            limit,
        })
    };
    seeds.push((
        "search-filters".into(),
        search(
            "schulden",
            "Zwijndrecht",
            pb::Tier::AlgemeneVoorziening as i32,
            pb::Leefgebied::Financien as i32,
            50,
        ),
    ));
    seeds.push((
        "search-stop-words-only".into(),
        search("de het een", "", 0, 0, 0),
    ));
    seeds.push((
        "search-invalid".into(),
        search("  ", "Rotterdam", 6, -3, 51),
    ));

    let suggest = |prefix: &str, limit: u32| {
        Request::Suggest(pb::SuggestRequest {
            prefix: prefix.into(),
            limit,
        })
    };
    seeds.push(("suggest-schul".into(), suggest("schul", 0)));
    seeds.push(("suggest-typo".into(), suggest("mantlz", 20)));
    seeds.push(("suggest-accent".into(), suggest("cliënt", 5)));
    seeds.push(("suggest-invalid".into(), suggest(" ", MAX_SUGGESTIONS + 1)));

    let list = |page_size: u32, page_token: String, tier: i32, gemeente: &str, leefgebied: i32| {
        Request::List(pb::ListOfferingsRequest {
            page_size,
            page_token,
            tier,
            gemeente: gemeente.into(),
            leefgebied,
        })
    };
    seeds.push(("list-all".into(), list(0, String::new(), 0, "", 0)));
    let first = &catalog().offerings()[0].id;
    seeds.push((
        "list-next-page".into(),
        list(
            5,
            convert::encode_token(first),
            pb::Tier::ElkaarHelpen as i32,
            "Dordrecht",
            0,
        ),
    ));
    seeds.push(("list-invalid".into(), list(101, "zz".into(), 9, "?", 20)));

    let get = |id: &str| Request::Get(pb::GetOfferingRequest { id: id.into() });
    seeds.push(("get-known".into(), get(first)));
    seeds.push(("get-unknown".into(), get("bestaat-niet")));
    seeds.push(("get-invalid".into(), get("Niet Geldig!")));
    seeds
}

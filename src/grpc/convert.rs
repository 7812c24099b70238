//! Conversions between wire types (`pb`) and domain types, with input validation.
//!
//! Every request is checked here before it reaches the engine. A bad request yields one
//! [`Violation`] per bad field, all at once; descriptions name the field and the rule and
//! never repeat what the caller sent (free text may hold personal details).

use crate::catalog::{lint, Catalog, Problem, MAX_DESCRIPTION_CHARS, MAX_NOTE_CHARS};
use crate::domain::{
    AccessMode, Availability, AvailabilityStatus, Contact, Context, Cost, Doelgroep, DomainScore,
    Draagkracht, Draaglast, Eligibility, Filters, HelpRequest, Household, Leefgebied, Offering,
    ServiceArea, Signal, Tier, NATIONAL,
};
use crate::engine::{SearchOutcome, SearchResult};
use crate::grpc::pb;
use crate::matching::{MatchOutcome, Ranked};
use crate::search::suggest::{Kind, Suggestion};

/// Longest free text (query or help request description), in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Longest Suggest prefix, in characters.
pub const MAX_PREFIX_CHARS: usize = 100;
/// Most results Match and Search return.
pub const MAX_RESULTS: u32 = 50;
/// Results when the caller does not say.
pub const DEFAULT_RESULTS: u32 = 10;
/// Most suggestions.
pub const MAX_SUGGESTIONS: u32 = 20;
/// Suggestions when the caller does not say.
pub const DEFAULT_SUGGESTIONS: u32 = 8;
/// Largest ListOfferings page.
pub const MAX_PAGE_SIZE: u32 = 100;
/// ListOfferings page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Most languages in a context.
pub const MAX_LANGUAGES: usize = 10;
/// Oldest age accepted.
pub const MAX_AGE: u32 = 120;

/// One invalid field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field's path, e.g. `request.leefgebieden[0].score`.
    pub field: String,
    /// What is wrong, in English, without the value sent.
    pub description: String,
}

/// Most violations listed in one answer; the rest are counted in one more line, so a
/// request with thousands of bad elements gets a small answer.
pub const MAX_VIOLATIONS: usize = 20;

/// Collects violations while converting: the first [`MAX_VIOLATIONS`], and a count of
/// the rest.
#[derive(Debug, Default)]
pub struct Violations(Vec<Violation>, usize);

impl Violations {
    fn add(&mut self, field: impl Into<String>, description: impl Into<String>) {
        if self.0.len() < MAX_VIOLATIONS {
            self.0.push(Violation {
                field: field.into(),
                description: description.into(),
            });
        } else {
            self.1 += 1;
        }
    }

    /// `Ok(value)` when nothing was wrong.
    fn finish<T>(self, value: T) -> Result<T, Vec<Violation>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(bounded(self.0, self.1))
        }
    }
}

/// `list`, with one more line counting `more` problems not listed.
fn bounded(mut list: Vec<Violation>, more: usize) -> Vec<Violation> {
    if more > 0 {
        list.push(Violation {
            field: "request".to_string(),
            description: format!("and {more} more problems, not listed"),
        });
    }
    list
}

/// Shorthand for single-field errors.
pub fn violation(field: &str, description: &str) -> Vec<Violation> {
    vec![Violation {
        field: field.into(),
        description: description.into(),
    }]
}

fn check_text(v: &mut Violations, field: &str, text: &str, max: usize, required: bool) {
    let chars = text.chars().count();
    if chars > max {
        v.add(field, format!("must be at most {max} characters"));
    } else if required && text.trim().is_empty() {
        v.add(field, "must not be empty");
    }
}

fn count(v: &mut Violations, field: &str, value: u32, default: u32, max: u32) -> usize {
    if value > max {
        v.add(
            field,
            format!("must be between 0 and {max} (0 means {default})"),
        );
    }
    (if value == 0 { default } else { value.min(max) }) as usize
}

/// Converts an enum number sent on the wire. The domain vocabularies list their values in
/// the proto's order, after `UNSPECIFIED = 0` (a unit test holds both to that), so the
/// number is a position. `UNSPECIFIED` is `None`; unknown numbers are violations.
fn wire_enum<T: Copy>(v: &mut Violations, field: &str, raw: i32, all: &[T]) -> Option<T> {
    match usize::try_from(raw) {
        Ok(0) => None,
        Ok(n) if n <= all.len() => Some(all[n - 1]),
        _ => {
            v.add(field, "unknown enum value");
            None
        }
    }
}

/// The wire number of a domain value: its position after `UNSPECIFIED`.
pub fn to_wire<T: PartialEq>(all: &[T], value: T) -> i32 {
    all.iter()
        .position(|x| *x == value)
        .map_or(0, |i| i as i32 + 1)
}

/// Canonical gemeente, or a violation when the catalog does not serve it.
fn gemeente(v: &mut Violations, field: &str, raw: &str, catalog: &Catalog) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    if raw.chars().count() > 100 {
        v.add(field, "must be at most 100 characters");
        return None;
    }
    match catalog.gemeente(raw) {
        Some(g) => Some(g.to_string()),
        None => {
            v.add(
                field,
                format!(
                    "unknown gemeente; this catalog serves: {}",
                    catalog.gemeenten().join(", ")
                ),
            );
            None
        }
    }
}

fn scale(v: &mut Violations, field: &str, value: Option<u32>, max: u32) -> Option<u8> {
    match value {
        Some(x) if x > max => {
            v.add(field, format!("must be between 0 and {max}"));
            None
        }
        Some(x) => Some(x as u8),
        None => None,
    }
}

/// A validated Match request: the help request and the result count.
pub fn match_request(
    req: pb::MatchRequest,
    catalog: &Catalog,
) -> Result<(HelpRequest, usize), Vec<Violation>> {
    let mut v = Violations::default();
    let limit = count(&mut v, "limit", req.limit, DEFAULT_RESULTS, MAX_RESULTS);
    let Some(r) = req.request else {
        v.add("request", "is required");
        return v.finish((HelpRequest::default(), limit));
    };
    let mut out = HelpRequest::default();

    if r.leefgebieden.len() > Leefgebied::ALL.len() {
        v.add(
            "request.leefgebieden",
            format!("must hold at most {} domains", Leefgebied::ALL.len()),
        );
    }
    for (i, d) in r.leefgebieden.iter().enumerate() {
        let field = format!("request.leefgebieden[{i}]");
        let domain = wire_enum(
            &mut v,
            &format!("{field}.leefgebied"),
            d.leefgebied,
            Leefgebied::ALL,
        );
        if d.leefgebied == 0 {
            v.add(format!("{field}.leefgebied"), "must be set");
        }
        if !(1..=5).contains(&d.score) {
            v.add(format!("{field}.score"), "must be between 1 and 5 (ZRM)");
        }
        if let Some(l) = domain {
            if out
                .leefgebieden
                .iter()
                .any(|x: &DomainScore| x.leefgebied == l)
            {
                v.add(format!("{field}.leefgebied"), "appears more than once");
            } else {
                out.leefgebieden.push(DomainScore {
                    leefgebied: l,
                    score: d.score.clamp(1, 5) as u8,
                });
            }
        }
    }

    let k = r.draagkracht.unwrap_or_default();
    out.draagkracht = Draagkracht {
        lichamelijk: scale(&mut v, "request.draagkracht.lichamelijk", k.lichamelijk, 4),
        mentaal: scale(&mut v, "request.draagkracht.mentaal", k.mentaal, 4),
        netwerk: scale(&mut v, "request.draagkracht.netwerk", k.netwerk, 4),
        financieel: scale(&mut v, "request.draagkracht.financieel", k.financieel, 4),
        vaardigheden: scale(
            &mut v,
            "request.draagkracht.vaardigheden",
            k.vaardigheden,
            4,
        ),
    };
    let l = r.draaglast.unwrap_or_default();
    out.draaglast = Draaglast {
        verplichtingen: scale(
            &mut v,
            "request.draaglast.verplichtingen",
            l.verplichtingen,
            4,
        ),
        zorgtaken: scale(&mut v, "request.draaglast.zorgtaken", l.zorgtaken, 4),
        gebeurtenissen: scale(
            &mut v,
            "request.draaglast.gebeurtenissen",
            l.gebeurtenissen,
            4,
        ),
        geldzorgen: scale(&mut v, "request.draaglast.geldzorgen", l.geldzorgen, 4),
    };

    let c = r.context.unwrap_or_default();
    if c.age.is_some_and(|a| a > MAX_AGE) {
        v.add(
            "request.context.age",
            format!("must be between 0 and {MAX_AGE}"),
        );
    }
    if c.languages.len() > MAX_LANGUAGES {
        v.add(
            "request.context.languages",
            format!("must hold at most {MAX_LANGUAGES} languages"),
        );
    }
    for (i, lang) in c.languages.iter().enumerate() {
        if lang.len() != 2 || !lang.chars().all(|ch| ch.is_ascii_alphabetic()) {
            v.add(
                format!("request.context.languages[{i}]"),
                "must be a two-letter ISO 639-1 code",
            );
        }
    }
    out.context = Context {
        age: c.age,
        gemeente: gemeente(&mut v, "request.context.gemeente", &c.gemeente, catalog),
        household: wire_enum(
            &mut v,
            "request.context.household",
            c.household,
            Household::ALL,
        ),
        minima: c.minima,
        languages: c.languages.iter().map(|l| l.to_ascii_lowercase()).collect(),
        groups: enum_list(
            &mut v,
            "request.context.doelgroepen",
            &c.doelgroepen,
            Doelgroep::ALL,
            false,
        ),
        can_travel: c.can_travel,
        digital_access: c.digital_access,
    };

    for (i, &s) in r.signals.iter().enumerate() {
        let field = format!("request.signals[{i}]");
        if s == 0 {
            v.add(&field, "must be set");
        }
        if let Some(signal) = wire_enum(&mut v, &field, s, Signal::ALL) {
            if !out.signals.contains(&signal) {
                out.signals.push(signal);
            }
        }
    }
    check_text(&mut v, "request.text", &r.text, MAX_TEXT_CHARS, false);
    out.text = r.text;
    v.finish((out, limit))
}

/// A validated Search request: text, filters and limit.
pub fn search_request(
    req: pb::SearchRequest,
    catalog: &Catalog,
) -> Result<(String, Filters, usize), Vec<Violation>> {
    let mut v = Violations::default();
    check_text(&mut v, "query", &req.query, MAX_TEXT_CHARS, true);
    let filters = filters(&mut v, &req.gemeente, req.tier, req.leefgebied, catalog);
    let limit = count(&mut v, "limit", req.limit, DEFAULT_RESULTS, MAX_RESULTS);
    v.finish((req.query, filters, limit))
}

/// A validated Suggest request: prefix and limit.
pub fn suggest_request(req: pb::SuggestRequest) -> Result<(String, usize), Vec<Violation>> {
    let mut v = Violations::default();
    check_text(&mut v, "prefix", &req.prefix, MAX_PREFIX_CHARS, true);
    let limit = count(
        &mut v,
        "limit",
        req.limit,
        DEFAULT_SUGGESTIONS,
        MAX_SUGGESTIONS,
    );
    v.finish((req.prefix, limit))
}

/// A validated ListOfferings request: filters, page size and the id to continue after.
pub fn list_request(
    req: pb::ListOfferingsRequest,
    catalog: &Catalog,
) -> Result<(Filters, usize, Option<String>), Vec<Violation>> {
    let mut v = Violations::default();
    let filters = filters(&mut v, &req.gemeente, req.tier, req.leefgebied, catalog);
    let size = count(
        &mut v,
        "page_size",
        req.page_size,
        DEFAULT_PAGE_SIZE,
        MAX_PAGE_SIZE,
    );
    let after = (!req.page_token.is_empty()).then(|| decode_token(&req.page_token));
    let after = match after {
        Some(None) => {
            v.add("page_token", "is not a token from a previous response");
            None
        }
        Some(Some(id)) => Some(id),
        None => None,
    };
    v.finish((filters, size, after))
}

/// A validated GetOffering id.
pub fn get_request(req: pb::GetOfferingRequest) -> Result<String, Vec<Violation>> {
    let mut v = Violations::default();
    offering_id(&mut v, "id", &req.id);
    v.finish(req.id)
}

/// A validated DeleteOffering id.
pub fn delete_request(req: pb::DeleteOfferingRequest) -> Result<String, Vec<Violation>> {
    get_request(pb::GetOfferingRequest { id: req.id })
}

fn offering_id(v: &mut Violations, field: &str, id: &str) {
    if id.is_empty() {
        v.add(field, "must not be empty");
    } else if id.len() > MAX_ID_CHARS
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        v.add(
            field,
            format!(
                "must be an offering id: at most {MAX_ID_CHARS} lowercase letters, digits and '-'"
            ),
        );
    }
}

/// Longest offering id.
pub const MAX_ID_CHARS: usize = 100;
/// Longest waiting time accepted, in weeks.
pub const MAX_WAITING_WEEKS: u32 = 104;
/// Longest short text field of an offering (name, organisation, terms, ...).
pub const MAX_FIELD_CHARS: usize = 300;
/// Most entries in a list field of an offering.
pub const MAX_LIST_ITEMS: usize = 50;

/// A validated SetAvailability request: id, availability and effective date.
pub fn set_availability_request(
    req: pb::SetAvailabilityRequest,
) -> Result<(String, Availability, Option<String>), Vec<Violation>> {
    let mut v = Violations::default();
    offering_id(&mut v, "id", &req.id);
    let Some(a) = req.availability else {
        v.add("availability", "is required");
        return v.finish((req.id, Availability::default(), None));
    };
    let status = wire_enum(
        &mut v,
        "availability.status",
        a.status,
        AvailabilityStatus::ALL,
    );
    if a.status == 0 {
        v.add("availability.status", "must be set");
    }
    if let Some(w) = a.waiting_weeks {
        if status.is_some_and(|s| s != AvailabilityStatus::Wachtlijst) {
            v.add(
                "availability.waiting_weeks",
                "only goes with status WACHTLIJST",
            );
        } else if w > MAX_WAITING_WEEKS {
            v.add(
                "availability.waiting_weeks",
                format!("must be at most {MAX_WAITING_WEEKS}"),
            );
        }
    }
    check_text(&mut v, "availability.note", &a.note, MAX_NOTE_CHARS, false);
    let effective = (!a.effective_date.is_empty()).then(|| a.effective_date.clone());
    if effective
        .as_deref()
        .is_some_and(|d| lint::days(d).is_none() || d.len() != 10)
    {
        v.add(
            "availability.effective_date",
            "must be a date as YYYY-MM-DD",
        );
    }
    let note = Some(a.note.trim().to_string()).filter(|n| !n.is_empty());
    v.finish((
        req.id,
        Availability {
            status: status.unwrap_or(AvailabilityStatus::Actief),
            waiting_weeks: a.waiting_weeks,
            note,
            since: None,
        },
        effective,
    ))
}

/// A structurally valid UpsertOffering request, as a domain offering. The catalog's
/// own rules (known sources and gemeenten, contact facts with a source, ...) are checked
/// next, when the offering is applied; `today` fills an empty `verified`.
pub fn upsert_request(
    req: pb::UpsertOfferingRequest,
    today: &str,
) -> Result<Offering, Vec<Violation>> {
    let mut v = Violations::default();
    let Some(o) = req.offering else {
        v.add("offering", "is required");
        return Err(v.0);
    };
    offering_id(&mut v, "offering.id", &o.id);
    for (field, text, max) in [
        ("offering.name", &o.name, MAX_FIELD_CHARS),
        ("offering.organisation", &o.organisation, MAX_FIELD_CHARS),
        (
            "offering.description",
            &o.description,
            MAX_DESCRIPTION_CHARS,
        ),
        ("offering.next_step", &o.next_step, MAX_DESCRIPTION_CHARS),
        ("offering.source", &o.source, MAX_FIELD_CHARS),
    ] {
        check_text(&mut v, field, text, max, true);
    }
    for (field, list) in [
        ("offering.lay_terms", &o.lay_terms),
        ("offering.gemeenten", &o.gemeenten),
        ("offering.languages", &o.languages),
    ] {
        if list.len() > MAX_LIST_ITEMS {
            v.add(field, format!("must hold at most {MAX_LIST_ITEMS} entries"));
        }
        for (i, item) in list.iter().enumerate() {
            check_text(
                &mut v,
                &format!("{field}[{i}]"),
                item,
                MAX_FIELD_CHARS,
                true,
            );
        }
    }
    for (field, list) in [
        ("offering.lay_terms", &o.lay_terms),
        ("offering.gemeenten", &o.gemeenten),
    ] {
        if list.is_empty() {
            v.add(field, "needs at least one entry");
        }
    }
    let tier = required_enum(&mut v, "offering.tier", o.tier, Tier::ALL);
    let cost = required_enum(&mut v, "offering.cost", o.cost, Cost::ALL);
    let leefgebieden = enum_list(
        &mut v,
        "offering.leefgebieden",
        &o.leefgebieden,
        Leefgebied::ALL,
        true,
    );
    let access = enum_list(
        &mut v,
        "offering.access_modes",
        &o.access_modes,
        AccessMode::ALL,
        true,
    );
    let signals = enum_list(&mut v, "offering.signals", &o.signals, Signal::ALL, false);
    let e = o.eligibility.unwrap_or_default();
    check_text(
        &mut v,
        "offering.eligibility.conditions",
        &e.conditions,
        MAX_DESCRIPTION_CHARS,
        false,
    );
    let households = enum_list(
        &mut v,
        "offering.eligibility.households",
        &e.households,
        Household::ALL,
        false,
    );
    let groups = enum_list(
        &mut v,
        "offering.eligibility.doelgroepen",
        &e.doelgroepen,
        Doelgroep::ALL,
        false,
    );
    if groups.contains(&Doelgroep::Iedereen) && groups.len() > 1 {
        v.add(
            "offering.eligibility.doelgroepen",
            "DOELGROEP_IEDEREEN stands alone",
        );
    }
    let availability = o.availability.map(|a| {
        let (_, availability, since) = set_availability_request(pb::SetAvailabilityRequest {
            id: o.id.clone(),
            availability: Some(a),
        })
        .unwrap_or_else(|errors| {
            for err in errors {
                v.add(format!("offering.{}", err.field), err.description);
            }
            (String::new(), Availability::default(), None)
        });
        Availability {
            since,
            ..availability
        }
    });
    let contact = o.contact.map(|c| {
        let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Contact {
            phone: some(c.phone),
            website: some(c.website),
            email: some(c.email),
            address: some(c.address),
            source: c.source,
        }
    });
    let verified = if o.verified.is_empty() {
        today.to_string()
    } else {
        o.verified
    };
    if lint::days(&verified).is_none() || verified.len() != 10 {
        v.add("offering.verified", "must be a date as YYYY-MM-DD");
    }
    let area = if o.gemeenten.iter().any(|g| g.eq_ignore_ascii_case(NATIONAL)) {
        ServiceArea::National
    } else {
        ServiceArea::Gemeenten(o.gemeenten)
    };
    v.finish(Offering {
        id: o.id,
        name: o.name,
        organisation: o.organisation,
        tier: tier.unwrap_or(Tier::ALL[0]),
        leefgebieden,
        description: o.description,
        lay_terms: o.lay_terms,
        next_step: o.next_step,
        area,
        access,
        cost: cost.unwrap_or(Cost::ALL[0]),
        languages: if o.languages.is_empty() {
            vec!["nl".to_string()]
        } else {
            o.languages
        },
        signals,
        eligibility: Eligibility {
            min_age: e.min_age,
            max_age: e.max_age,
            households,
            conditions: e.conditions,
            minima_only: e.minima_only,
            needs_indication: e.needs_indication,
            language_bound: e.language_bound,
            groups: groups
                .into_iter()
                .filter(|g| *g != Doelgroep::Iedereen)
                .collect(),
        },
        availability: availability.unwrap_or_default(),
        contact,
        source: o.source,
        verified: Some(verified),
    })
}

fn required_enum<T: Copy>(v: &mut Violations, field: &str, raw: i32, all: &[T]) -> Option<T> {
    if raw == 0 {
        v.add(field, "must be set");
    }
    wire_enum(v, field, raw, all)
}

fn enum_list<T: Copy + PartialEq>(
    v: &mut Violations,
    field: &str,
    raw: &[i32],
    all: &[T],
    required: bool,
) -> Vec<T> {
    if required && raw.is_empty() {
        v.add(field, "needs at least one entry");
    }
    let mut out = Vec::new();
    for (i, &x) in raw.iter().enumerate() {
        let item = format!("{field}[{i}]");
        match required_enum(v, &item, x, all) {
            Some(value) if out.contains(&value) => v.add(item, "appears more than once"),
            Some(value) => out.push(value),
            None => {}
        }
    }
    out
}

/// The catalog's objections to an upserted offering, as violations of `offering`.
pub fn catalog_violations(problems: &[Problem]) -> Vec<Violation> {
    let mut v = Violations::default();
    for p in problems {
        v.add("offering", p.message.clone());
    }
    v.finish(()).err().unwrap_or_default()
}

fn filters(
    v: &mut Violations,
    gemeente_raw: &str,
    tier: i32,
    leefgebied: i32,
    catalog: &Catalog,
) -> Filters {
    Filters {
        gemeente: gemeente(v, "gemeente", gemeente_raw, catalog),
        tier: wire_enum(v, "tier", tier, Tier::ALL),
        leefgebied: wire_enum(v, "leefgebied", leefgebied, Leefgebied::ALL),
    }
}

/// Page tokens are the last id of the page, hex-encoded so callers treat them as opaque.
pub fn encode_token(id: &str) -> String {
    id.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_token(token: &str) -> Option<String> {
    // Only hex digits: `from_str_radix` alone would also take a sign ("+a").
    if token.len() % 2 != 0 || token.len() > 400 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// The wire form of an offering.
pub fn offering(o: &Offering) -> pb::Offering {
    let e = &o.eligibility;
    pb::Offering {
        id: o.id.clone(),
        name: o.name.clone(),
        organisation: o.organisation.clone(),
        tier: to_wire(Tier::ALL, o.tier),
        leefgebieden: o
            .leefgebieden
            .iter()
            .map(|l| to_wire(Leefgebied::ALL, *l))
            .collect(),
        description: o.description.clone(),
        lay_terms: o.lay_terms.clone(),
        next_step: o.next_step.clone(),
        gemeenten: o.area.names(),
        access_modes: o
            .access
            .iter()
            .map(|a| to_wire(AccessMode::ALL, *a))
            .collect(),
        cost: to_wire(Cost::ALL, o.cost),
        languages: o.languages.clone(),
        signals: o.signals.iter().map(|s| to_wire(Signal::ALL, *s)).collect(),
        eligibility: Some(pb::Eligibility {
            min_age: e.min_age,
            max_age: e.max_age,
            households: e
                .households
                .iter()
                .map(|h| to_wire(Household::ALL, *h))
                .collect(),
            conditions: e.conditions.clone(),
            minima_only: e.minima_only,
            needs_indication: e.needs_indication,
            language_bound: e.language_bound,
            doelgroepen: e
                .groups
                .iter()
                .map(|g| to_wire(Doelgroep::ALL, *g))
                .collect(),
        }),
        availability: Some(pb::Availability {
            status: to_wire(AvailabilityStatus::ALL, o.availability.status),
            waiting_weeks: o.availability.waiting_weeks,
            note: o.availability.note.clone().unwrap_or_default(),
            effective_date: o.availability.since.clone().unwrap_or_default(),
        }),
        contact: o.contact.as_ref().map(|c| pb::Contact {
            phone: c.phone.clone().unwrap_or_default(),
            website: c.website.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            source: c.source.clone(),
        }),
        source: o.source.clone(),
        verified: o.verified.clone().unwrap_or_default(),
    }
}

/// The wire form of a Match answer.
pub fn match_response(outcome: &MatchOutcome<'_>) -> pb::MatchResponse {
    let p = &outcome.profile;
    pb::MatchResponse {
        results: outcome
            .results
            .iter()
            .enumerate()
            .map(|(i, r): (usize, &Ranked<'_>)| pb::MatchResult {
                rank: i as u32 + 1,
                offering: Some(offering(r.offering)),
                score: r.score,
                reasons: r.reasons.clone(),
            })
            .collect(),
        profile: Some(pb::Profile {
            draagkracht: p.draagkracht.unwrap_or(0.0),
            draaglast: p.draaglast.unwrap_or(0.0),
            out_of_balance: p.out_of_balance,
            multiproblem: p.multiproblem,
            recommended_tier: to_wire(Tier::ALL, p.recommended_tier),
            summary: p.summary(),
        }),
        advice: outcome.advice.clone(),
        crisis_in_text: !outcome.signals_from_text.is_empty(),
    }
}

/// The wire form of a Search answer.
pub fn search_response(outcome: &SearchOutcome<'_>) -> pb::SearchResponse {
    pb::SearchResponse {
        hits: outcome
            .hits
            .iter()
            .map(|h: &SearchResult<'_>| pb::SearchHit {
                offering: Some(offering(h.offering)),
                score: h.score,
                snippet: Some(pb::Snippet {
                    text: h.snippet.text.clone(),
                    highlights: h
                        .snippet
                        .highlights
                        .iter()
                        .map(|&(start, end)| pb::Highlight {
                            start: start as u32,
                            end: end as u32,
                        })
                        .collect(),
                }),
                reasons: h.reasons.clone(),
                crisis: !h.reasons.is_empty() && h.offering.tier == crate::domain::Tier::Crisis,
            })
            .collect(),
        note: outcome.note.clone().unwrap_or_default(),
        did_you_mean: outcome.did_you_mean.clone(),
        signals: outcome
            .signals
            .iter()
            .map(|s| to_wire(Signal::ALL, *s))
            .collect(),
        understood: outcome.understood.clone(),
    }
}

/// The wire form of suggestions.
pub fn suggest_response(suggestions: Vec<Suggestion>) -> pb::SuggestResponse {
    pb::SuggestResponse {
        suggestions: suggestions
            .into_iter()
            .map(|s| pb::Suggestion {
                text: s.text,
                kind: match s.kind {
                    Kind::Offering => pb::SuggestionKind::Offering,
                    Kind::Term => pb::SuggestionKind::Term,
                } as i32,
                offering_id: s.offering_id.unwrap_or_default(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each domain vocabulary lists its values in the proto enum's order, so positions
    /// are wire numbers: checked by name for every value of every enum.
    fn lines_up<T: Copy + PartialEq + std::fmt::Display, P: TryFrom<i32>>(
        all: &[T],
        prefix: &str,
        name: fn(P) -> &'static str,
    ) {
        for (i, value) in all.iter().enumerate() {
            let p = P::try_from(i as i32 + 1)
                .unwrap_or_else(|_| panic!("{prefix}: no wire value {}", i + 1));
            assert_eq!(name(p).to_ascii_lowercase(), format!("{prefix}_{value}"));
            assert_eq!(to_wire(all, *value), i as i32 + 1);
            assert!(wire_enum(&mut Violations::default(), "f", i as i32 + 1, all) == Some(*value));
        }
        assert!(
            P::try_from(all.len() as i32 + 1).is_err(),
            "{prefix}: the proto has more values"
        );
    }

    #[test]
    fn wire_and_domain_enums_line_up() {
        lines_up(Tier::ALL, "tier", |p: pb::Tier| p.as_str_name());
        lines_up(Leefgebied::ALL, "leefgebied", |p: pb::Leefgebied| {
            p.as_str_name()
        });
        lines_up(Signal::ALL, "signal", |p: pb::Signal| p.as_str_name());
        lines_up(Doelgroep::ALL, "doelgroep", |p: pb::Doelgroep| {
            p.as_str_name()
        });
        lines_up(Household::ALL, "household", |p: pb::Household| {
            p.as_str_name()
        });
        lines_up(AccessMode::ALL, "access_mode", |p: pb::AccessMode| {
            p.as_str_name()
        });
        lines_up(Cost::ALL, "cost", |p: pb::Cost| p.as_str_name());
        lines_up(
            AvailabilityStatus::ALL,
            "availability_status",
            |p: pb::AvailabilityStatus| p.as_str_name(),
        );
    }

    #[test]
    fn unknown_and_unspecified_enum_values() {
        let mut v = Violations::default();
        assert_eq!(wire_enum(&mut v, "tier", 0, Tier::ALL), None);
        assert!(v.0.is_empty());
        assert_eq!(wire_enum(&mut v, "tier", 6, Tier::ALL), None);
        assert_eq!(wire_enum(&mut v, "tier", -1, Tier::ALL), None);
        assert_eq!(v.0.len(), 2);
    }

    #[test]
    fn page_tokens_round_trip_and_reject_garbage() {
        let t = encode_token("financieel-hulphuis");
        assert_eq!(decode_token(&t).as_deref(), Some("financieel-hulphuis"));
        assert_eq!(decode_token("zz"), None);
        assert_eq!(decode_token("abc"), None);
        assert_eq!(decode_token("+a"), None);
    }

    #[test]
    fn suggest_limits() {
        assert!(suggest_request(pb::SuggestRequest {
            prefix: "sch".into(),
            limit: 0
        })
        .is_ok());
        let err = suggest_request(pb::SuggestRequest {
            prefix: " ".into(),
            limit: 21,
        })
        .unwrap_err();
        let fields: Vec<_> = err.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["prefix", "limit"]);
    }
}

//! The transport-neutral request layer. Every caller — the gRPC adapter, the web page,
//! evaluation files — fills the same drafts, and the one validation here turns a draft
//! into a domain request or into a list of [`Violation`]s naming each bad field.
//!
//! A draft holds what the caller sent, already in domain vocabulary: a value from a
//! closed vocabulary arrives as a [`Choice`], so "not given" and "not a known value"
//! stay apart. Turning wire numbers or Dutch keys into choices is the caller's job
//! (`grpc::convert`, [`input`]); the rules live here and in
//! [`crate::domain::rules`], so every caller gets the same answer for the same mistake.
//!
//! Descriptions name the field and the rule and never repeat what the caller sent: free
//! text may hold personal details.

pub mod input;

use jiff::civil::Date;

use crate::catalog::{Catalog, Problem};
use crate::domain::rules::{
    self, DEFAULT_PAGE_SIZE, DEFAULT_RESULTS, DEFAULT_SUGGESTIONS, MAX_AGE, MAX_DESCRIPTION_CHARS,
    MAX_FIELD_CHARS, MAX_GEMEENTE_CHARS, MAX_ID_CHARS, MAX_LANGUAGES, MAX_LIST_ITEMS,
    MAX_NOTE_CHARS, MAX_PAGE_SIZE, MAX_PREFIX_CHARS, MAX_RESULTS, MAX_SUGGESTIONS, MAX_TEXT_CHARS,
    MAX_WAITING_WEEKS,
};
use crate::domain::{
    dates, AccessMode, Availability, AvailabilityStatus, Contact, Context, Cost, Doelgroep,
    DomainScore, Draagkracht, Draaglast, Eligibility, Evidence, Fact, Filters, HelpRequest,
    Historic, Hours, Household, Leefgebied, Location, Offering, Phone, ServiceArea, Signal, Tier,
    Weekday, NATIONAL,
};

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

/// Collects violations: the first [`MAX_VIOLATIONS`], and a count of the rest.
#[derive(Debug, Default)]
pub struct Violations(Vec<Violation>, usize);

impl Violations {
    /// Records one violation.
    pub fn add(&mut self, field: impl Into<String>, description: impl Into<String>) {
        if self.0.len() < MAX_VIOLATIONS {
            self.0.push(Violation {
                field: field.into(),
                description: description.into(),
            });
        } else {
            self.1 += 1;
        }
    }

    /// `Ok(value)` when nothing was wrong, else the bounded list.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<Violation>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            let (mut list, more) = (self.0, self.1);
            if more > 0 {
                list.push(Violation {
                    field: "request".to_string(),
                    description: format!("and {more} more problems, not listed"),
                });
            }
            Err(list)
        }
    }
}

/// Runs a validation: its value when nothing was wrong, else its violations.
pub fn checked<T>(validate: impl FnOnce(&mut Violations) -> T) -> Result<T, Vec<Violation>> {
    let mut v = Violations::default();
    let value = validate(&mut v);
    v.finish(value)
}

/// Shorthand for single-field errors.
pub fn violation(field: &str, description: &str) -> Vec<Violation> {
    vec![Violation {
        field: field.into(),
        description: description.into(),
    }]
}

/// The catalog's objections to an upserted offering, as violations of `offering`.
pub fn catalog_violations(problems: &[Problem]) -> Vec<Violation> {
    let mut v = Violations::default();
    for p in problems {
        v.add("offering", p.message.clone());
    }
    v.finish(()).err().unwrap_or_default()
}

/// A value from a closed vocabulary, as a caller sent it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Choice<T> {
    /// Not given (the wire's `UNSPECIFIED`, an absent or empty key).
    #[default]
    Absent,
    /// A known value.
    Is(T),
    /// Not a value of the vocabulary (an unknown wire number).
    Invalid,
}

impl<T: Copy> Choice<T> {
    /// The value, when known.
    pub fn value(self) -> Option<T> {
        match self {
            Choice::Is(x) => Some(x),
            _ => None,
        }
    }

    /// The value; an unknown value is a violation.
    fn optional(self, v: &mut Violations, field: &str) -> Option<T> {
        if matches!(self, Choice::Invalid) {
            v.add(field, "unknown enum value");
        }
        self.value()
    }

    /// The value; a missing or unknown value is a violation.
    fn required(self, v: &mut Violations, field: &str) -> Option<T> {
        if matches!(self, Choice::Absent) {
            v.add(field, "must be set");
        }
        self.optional(v, field)
    }
}

impl<T: PartialEq> PartialEq<T> for Choice<T> {
    fn eq(&self, other: &T) -> bool {
        matches!(self, Choice::Is(x) if x == other)
    }
}

/// Known values of a list, each required; a value given twice is a violation.
fn choices<T: Copy + PartialEq>(
    v: &mut Violations,
    field: &str,
    list: &[Choice<T>],
    required: bool,
) -> Vec<T> {
    if required && list.is_empty() {
        v.add(field, "needs at least one entry");
    }
    let mut out = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let item = format!("{field}[{i}]");
        match c.required(v, &item) {
            Some(x) if out.contains(&x) => v.add(item, "appears more than once"),
            Some(x) => out.push(x),
            None => {}
        }
    }
    out
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

/// Canonical gemeente, or a violation when the catalog does not serve it.
fn gemeente(v: &mut Violations, field: &str, raw: &str, catalog: &Catalog) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    if raw.chars().count() > MAX_GEMEENTE_CHARS {
        v.add(
            field,
            format!("must be at most {MAX_GEMEENTE_CHARS} characters"),
        );
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

/// A date as `YYYY-MM-DD`; an impossible date such as `2027-02-31` is a violation.
fn date(v: &mut Violations, field: &str, raw: &str) -> Option<Date> {
    let parsed = dates::parse(raw);
    if parsed.is_none() {
        v.add(field, "must be a real date as YYYY-MM-DD");
    }
    parsed
}

fn offering_id(v: &mut Violations, field: &str, id: &str) {
    if id.is_empty() {
        v.add(field, "must not be empty");
    } else if !rules::is_offering_id(id) {
        v.add(
            field,
            format!(
                "must be an offering id: at most {MAX_ID_CHARS} {}",
                rules::OFFERING_ID_RULE
            ),
        );
    }
}

/// One leefgebied with its ZRM score.
#[derive(Debug, Clone, Default)]
pub struct DomainDraft {
    /// The domain.
    pub leefgebied: Choice<Leefgebied>,
    /// ZRM score, 1–5.
    pub score: u32,
}

/// Draagkracht (capacity) scales, 0–4 each.
#[derive(Debug, Clone, Default)]
pub struct DraagkrachtDraft {
    /// Physical.
    pub lichamelijk: Option<u32>,
    /// Mental.
    pub mentaal: Option<u32>,
    /// Network.
    pub netwerk: Option<u32>,
    /// Financial.
    pub financieel: Option<u32>,
    /// Skills.
    pub vaardigheden: Option<u32>,
}

/// Draaglast (burden) scales, 0–4 each.
#[derive(Debug, Clone, Default)]
pub struct DraaglastDraft {
    /// Obligations.
    pub verplichtingen: Option<u32>,
    /// Care tasks.
    pub zorgtaken: Option<u32>,
    /// Life events.
    pub gebeurtenissen: Option<u32>,
    /// Money worries.
    pub geldzorgen: Option<u32>,
}

/// The person's context: nothing that identifies them.
#[derive(Debug, Clone, Default)]
pub struct ContextDraft {
    /// Age in years.
    pub age: Option<u32>,
    /// Gemeente, any spelling the catalog knows.
    pub gemeente: String,
    /// Household.
    pub household: Choice<Household>,
    /// Income up to 120% of the social minimum.
    pub minima: bool,
    /// Languages (ISO 639-1).
    pub languages: Vec<String>,
    /// Groups ticked by the professional.
    pub doelgroepen: Vec<Choice<Doelgroep>>,
    /// Can travel.
    pub can_travel: Option<bool>,
    /// Digital access.
    pub digital_access: Option<bool>,
}

/// A structured help request as sent.
#[derive(Debug, Clone, Default)]
pub struct HelpDraft {
    /// Domains with ZRM scores.
    pub leefgebieden: Vec<DomainDraft>,
    /// Capacity.
    pub draagkracht: DraagkrachtDraft,
    /// Burden.
    pub draaglast: DraaglastDraft,
    /// Context.
    pub context: ContextDraft,
    /// Safety signals.
    pub signals: Vec<Choice<Signal>>,
    /// Free text.
    pub text: String,
}

/// A Match call as sent.
#[derive(Debug, Clone, Default)]
pub struct MatchDraft {
    /// The help request (required).
    pub request: Option<HelpDraft>,
    /// Most results; 0 means the default.
    pub limit: u32,
}

/// A validated Match request: the help request and the result count.
pub fn match_request(
    draft: MatchDraft,
    catalog: &Catalog,
    v: &mut Violations,
) -> (HelpRequest, usize) {
    let limit = count(v, "limit", draft.limit, DEFAULT_RESULTS, MAX_RESULTS);
    let Some(r) = draft.request else {
        v.add("request", "is required");
        return (HelpRequest::default(), limit);
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
        let domain = d.leefgebied.required(v, &format!("{field}.leefgebied"));
        if !(1..=5).contains(&d.score) {
            v.add(format!("{field}.score"), "must be between 1 and 5 (ZRM)");
        }
        if let Some(l) = domain {
            if out.leefgebieden.iter().any(|x| x.leefgebied == l) {
                v.add(format!("{field}.leefgebied"), "appears more than once");
            } else {
                out.leefgebieden.push(DomainScore {
                    leefgebied: l,
                    score: d.score.clamp(1, 5) as u8,
                });
            }
        }
    }

    let k = &r.draagkracht;
    let f = |name: &str| format!("request.draagkracht.{name}");
    out.draagkracht = Draagkracht {
        lichamelijk: scale(v, &f("lichamelijk"), k.lichamelijk, 4),
        mentaal: scale(v, &f("mentaal"), k.mentaal, 4),
        netwerk: scale(v, &f("netwerk"), k.netwerk, 4),
        financieel: scale(v, &f("financieel"), k.financieel, 4),
        vaardigheden: scale(v, &f("vaardigheden"), k.vaardigheden, 4),
    };
    let l = &r.draaglast;
    let f = |name: &str| format!("request.draaglast.{name}");
    out.draaglast = Draaglast {
        verplichtingen: scale(v, &f("verplichtingen"), l.verplichtingen, 4),
        zorgtaken: scale(v, &f("zorgtaken"), l.zorgtaken, 4),
        gebeurtenissen: scale(v, &f("gebeurtenissen"), l.gebeurtenissen, 4),
        geldzorgen: scale(v, &f("geldzorgen"), l.geldzorgen, 4),
    };

    let c = r.context;
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
        if !rules::is_language_code(lang) {
            v.add(
                format!("request.context.languages[{i}]"),
                "must be a two-letter ISO 639-1 code",
            );
        }
    }
    out.context = Context {
        age: c.age,
        gemeente: gemeente(v, "request.context.gemeente", &c.gemeente, catalog),
        household: c.household.optional(v, "request.context.household"),
        minima: c.minima,
        languages: c.languages.iter().map(|l| l.to_ascii_lowercase()).collect(),
        groups: choices(v, "request.context.doelgroepen", &c.doelgroepen, false),
        can_travel: c.can_travel,
        digital_access: c.digital_access,
    };

    for (i, s) in r.signals.iter().enumerate() {
        if let Some(signal) = s.required(v, &format!("request.signals[{i}]")) {
            if !out.signals.contains(&signal) {
                out.signals.push(signal);
            }
        }
    }
    check_text(v, "request.text", &r.text, MAX_TEXT_CHARS, false);
    out.text = r.text;
    (out, limit)
}

/// Filters of Search and ListOfferings as sent.
#[derive(Debug, Clone, Default)]
pub struct FiltersDraft {
    /// Gemeente, any spelling the catalog knows; empty for all.
    pub gemeente: String,
    /// Tier.
    pub tier: Choice<Tier>,
    /// Domain.
    pub leefgebied: Choice<Leefgebied>,
}

fn filters(v: &mut Violations, f: &FiltersDraft, catalog: &Catalog) -> Filters {
    Filters {
        gemeente: gemeente(v, "gemeente", &f.gemeente, catalog),
        tier: f.tier.optional(v, "tier"),
        leefgebied: f.leefgebied.optional(v, "leefgebied"),
    }
}

/// A Search call as sent.
#[derive(Debug, Clone, Default)]
pub struct SearchDraft {
    /// The query.
    pub query: String,
    /// Filters.
    pub filters: FiltersDraft,
    /// Most results; 0 means the default.
    pub limit: u32,
}

/// A validated Search request: text, filters and limit.
pub fn search_request(
    d: SearchDraft,
    catalog: &Catalog,
    v: &mut Violations,
) -> (String, Filters, usize) {
    check_text(v, "query", &d.query, MAX_TEXT_CHARS, true);
    let filters = filters(v, &d.filters, catalog);
    let limit = count(v, "limit", d.limit, DEFAULT_RESULTS, MAX_RESULTS);
    (d.query, filters, limit)
}

/// A Suggest call as sent.
#[derive(Debug, Clone, Default)]
pub struct SuggestDraft {
    /// What has been typed so far.
    pub prefix: String,
    /// Most suggestions; 0 means the default.
    pub limit: u32,
}

/// A validated Suggest request: prefix and limit.
pub fn suggest_request(d: SuggestDraft, v: &mut Violations) -> (String, usize) {
    check_text(v, "prefix", &d.prefix, MAX_PREFIX_CHARS, true);
    let limit = count(v, "limit", d.limit, DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS);
    (d.prefix, limit)
}

/// A ListOfferings call as sent.
#[derive(Debug, Clone, Default)]
pub struct ListDraft {
    /// Filters.
    pub filters: FiltersDraft,
    /// Page size; 0 means the default.
    pub page_size: u32,
    /// The id to continue after, when the caller sent a token; `Err` for a token that
    /// was not one of ours.
    pub after: Option<Result<String, ()>>,
}

/// A validated ListOfferings request: filters, page size and the id to continue after.
pub fn list_request(
    d: ListDraft,
    catalog: &Catalog,
    v: &mut Violations,
) -> (Filters, usize, Option<String>) {
    let filters = filters(v, &d.filters, catalog);
    let size = count(
        v,
        "page_size",
        d.page_size,
        DEFAULT_PAGE_SIZE,
        MAX_PAGE_SIZE,
    );
    let after = match d.after {
        Some(Err(())) => {
            v.add("page_token", "is not a token from a previous response");
            None
        }
        Some(Ok(id)) => Some(id),
        None => None,
    };
    (filters, size, after)
}

/// A validated offering id (GetOffering, DeleteOffering).
pub fn id_request(id: String, v: &mut Violations) -> String {
    offering_id(v, "id", &id);
    id
}

/// An availability as sent.
#[derive(Debug, Clone, Default)]
pub struct AvailabilityDraft {
    /// Status.
    pub status: Choice<AvailabilityStatus>,
    /// Waiting weeks, only with a waiting list.
    pub waiting_weeks: Option<u32>,
    /// A short note.
    pub note: String,
    /// The date it takes effect, `YYYY-MM-DD`; empty for today.
    pub effective_date: String,
}

/// A validated availability with the date it takes effect; `prefix` leads every field
/// name (`availability` or `offering.availability`).
pub fn availability(
    a: &AvailabilityDraft,
    prefix: &str,
    v: &mut Violations,
) -> (Availability, Option<Date>) {
    let f = |name: &str| format!("{prefix}.{name}");
    let status = a.status.required(v, &f("status"));
    if let Some(w) = a.waiting_weeks {
        if status.is_some_and(|s| !rules::waiting_weeks_allowed(s)) {
            v.add(f("waiting_weeks"), "only goes with status WACHTLIJST");
        } else if w > MAX_WAITING_WEEKS {
            v.add(
                f("waiting_weeks"),
                format!("must be at most {MAX_WAITING_WEEKS}"),
            );
        }
    }
    check_text(v, &f("note"), &a.note, MAX_NOTE_CHARS, false);
    let effective = if a.effective_date.is_empty() {
        None
    } else {
        date(v, &f("effective_date"), &a.effective_date)
    };
    let note = Some(a.note.trim().to_string()).filter(|n| !n.is_empty());
    (
        Availability {
            status: status.unwrap_or(AvailabilityStatus::Actief),
            waiting_weeks: a.waiting_weeks,
            note,
            since: None,
        },
        effective,
    )
}

/// A SetAvailability call as sent.
#[derive(Debug, Clone, Default)]
pub struct SetAvailabilityDraft {
    /// The offering.
    pub id: String,
    /// The new availability (required).
    pub availability: Option<AvailabilityDraft>,
}

/// A validated SetAvailability request: id, availability and effective date.
pub fn set_availability_request(
    d: SetAvailabilityDraft,
    v: &mut Violations,
) -> (String, Availability, Option<Date>) {
    offering_id(v, "id", &d.id);
    let Some(a) = d.availability else {
        v.add("availability", "is required");
        return (d.id, Availability::default(), None);
    };
    let (availability, effective) = availability(&a, "availability", v);
    (d.id, availability, effective)
}

/// Who an offering is for, as sent.
#[derive(Debug, Clone, Default)]
pub struct EligibilityDraft {
    /// Youngest age.
    pub min_age: Option<u32>,
    /// Oldest age.
    pub max_age: Option<u32>,
    /// Oldest age of a child it helps.
    pub child_max_age: Option<u32>,
    /// Households.
    pub households: Vec<Choice<Household>>,
    /// Other conditions, Dutch.
    pub conditions: String,
    /// Only for minima.
    pub minima_only: bool,
    /// A beschikking is needed.
    pub needs_indication: bool,
    /// Meant for when the usual help is not enough.
    pub after_other_help: bool,
    /// The person must speak one of the languages.
    pub language_bound: bool,
    /// Target groups.
    pub doelgroepen: Vec<Choice<Doelgroep>>,
}

/// Contact facts as sent.
#[derive(Debug, Clone, Default)]
pub struct ContactDraft {
    /// Phone.
    pub phone: String,
    /// Website.
    pub website: String,
    /// E-mail.
    pub email: String,
    /// Address.
    pub address: String,
    /// Source of these facts.
    pub source: String,
    /// Further phones: number, purpose, hours.
    pub phones: Vec<(String, String, String)>,
    /// Locations.
    pub locations: Vec<LocationDraft>,
    /// Opening hours.
    pub hours: Vec<HoursDraft>,
}

/// A location as sent.
#[derive(Debug, Clone, Default)]
pub struct LocationDraft {
    /// Name.
    pub name: String,
    /// Street and number.
    pub address: String,
    /// Postcode.
    pub postcode: String,
    /// Town.
    pub city: String,
    /// Neighbourhood.
    pub wijk: String,
    /// Accessibility note.
    pub accessibility: String,
}

/// Opening hours as sent.
#[derive(Debug, Clone, Default)]
pub struct HoursDraft {
    /// Day keys.
    pub days: Vec<String>,
    /// `HH:MM`.
    pub opens: String,
    /// `HH:MM`.
    pub closes: String,
    /// Location name.
    pub location: String,
    /// Note.
    pub note: String,
}

/// An offering as sent to UpsertOffering.
#[derive(Debug, Clone, Default)]
pub struct OfferingDraft {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Tier.
    pub tier: Choice<Tier>,
    /// Domains.
    pub leefgebieden: Vec<Choice<Leefgebied>>,
    /// Description.
    pub description: String,
    /// Lay terms.
    pub lay_terms: Vec<String>,
    /// Next step.
    pub next_step: String,
    /// Gemeenten served.
    pub gemeenten: Vec<String>,
    /// Access modes.
    pub access_modes: Vec<Choice<AccessMode>>,
    /// Cost.
    pub cost: Choice<Cost>,
    /// Languages.
    pub languages: Vec<String>,
    /// Safety signals it answers.
    pub signals: Vec<Choice<Signal>>,
    /// Who it is for.
    pub eligibility: EligibilityDraft,
    /// Availability.
    pub availability: Option<AvailabilityDraft>,
    /// Contact facts.
    pub contact: Option<ContactDraft>,
    /// Source document.
    pub source: String,
    /// Date last verified; empty for today.
    pub verified: String,
    /// The door it is reached through (an offering id); empty when none.
    pub via: String,
    /// The period of an arrangement that may have ended; empty for a current one.
    pub historic_period: String,
    /// Its source says it has ended (needs `historic_period` and its evidence).
    pub historic_ended: bool,
    /// Source references of its hard facts.
    pub evidence: Vec<EvidenceDraft>,
}

/// A source reference as sent.
#[derive(Debug, Clone, Default)]
pub struct EvidenceDraft {
    /// The fact's key (`kosten`, `leeftijd`, ...).
    pub fact: String,
    /// The source document; empty for the offering's own.
    pub file: String,
    /// 1-based line; 0 when the source has no lines.
    pub line: u32,
    /// A word on that line.
    pub word: String,
}

/// Contact facts; their forms (numbers, postcodes, URLs) are the catalog's to check
/// when the offering is applied.
fn contact(c: ContactDraft, v: &mut Violations) -> Contact {
    let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    for (field, n) in [
        ("offering.contact.phones", c.phones.len()),
        ("offering.contact.locations", c.locations.len()),
        ("offering.contact.hours", c.hours.len()),
    ] {
        if n > MAX_LIST_ITEMS {
            v.add(field, format!("must hold at most {MAX_LIST_ITEMS} entries"));
        }
    }
    let mut hours = Vec::new();
    for (i, h) in c.hours.into_iter().enumerate() {
        let field = format!("offering.contact.hours[{i}]");
        let mut days = Vec::new();
        for (j, d) in h.days.iter().enumerate() {
            match Weekday::from_key(d) {
                Some(day) if !days.contains(&day) => days.push(day),
                Some(_) => v.add(format!("{field}.days[{j}]"), "appears more than once"),
                None => v.add(
                    format!("{field}.days[{j}]"),
                    format!("must be one of: {}", Weekday::keys()),
                ),
            }
        }
        let opens = crate::catalog::parse_time(&h.opens);
        let closes = crate::catalog::parse_time(&h.closes);
        match (opens, closes) {
            (Some(opens), Some(closes)) if opens < closes && !days.is_empty() => {
                hours.push(Hours {
                    days,
                    opens,
                    closes,
                    location: some(h.location),
                    note: some(h.note),
                })
            }
            (Some(_), Some(_)) if days.is_empty() => {
                v.add(format!("{field}.days"), "needs at least one day")
            }
            (Some(_), Some(_)) => v.add(format!("{field}.closes"), "must come after opens"),
            _ => v.add(
                format!("{field}.opens"),
                "opens and closes must be times as HH:MM",
            ),
        }
    }
    Contact {
        phone: some(c.phone),
        website: some(c.website),
        email: some(c.email),
        address: some(c.address),
        source: c.source,
        phones: c
            .phones
            .into_iter()
            .map(|(number, purpose, hours)| Phone {
                number: number.trim().to_string(),
                purpose: some(purpose),
                hours: some(hours),
            })
            .collect(),
        locations: c
            .locations
            .into_iter()
            .map(|l| Location {
                name: l.name.trim().to_string(),
                address: some(l.address),
                postcode: some(l.postcode),
                city: some(l.city),
                wijk: some(l.wijk),
                accessibility: some(l.accessibility),
            })
            .collect(),
        hours,
    }
}

/// A structurally valid offering. The catalog's own rules (known sources and
/// gemeenten, contact facts with a source, ...) are checked next, when the offering is
/// applied; `today` fills an empty `verified`.
pub fn offering(o: OfferingDraft, today: Date, v: &mut Violations) -> Offering {
    offering_id(v, "offering.id", &o.id);
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
        check_text(v, field, text, max, true);
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
            check_text(v, &format!("{field}[{i}]"), item, MAX_FIELD_CHARS, true);
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
    let tier = o.tier.required(v, "offering.tier");
    let cost = o.cost.required(v, "offering.cost");
    let leefgebieden = choices(v, "offering.leefgebieden", &o.leefgebieden, true);
    let access = choices(v, "offering.access_modes", &o.access_modes, true);
    let signals = choices(v, "offering.signals", &o.signals, false);
    let e = o.eligibility;
    check_text(
        v,
        "offering.eligibility.conditions",
        &e.conditions,
        MAX_DESCRIPTION_CHARS,
        false,
    );
    let households = choices(v, "offering.eligibility.households", &e.households, false);
    let groups = choices(v, "offering.eligibility.doelgroepen", &e.doelgroepen, false);
    if groups.contains(&Doelgroep::Iedereen) && groups.len() > 1 {
        v.add(
            "offering.eligibility.doelgroepen",
            "DOELGROEP_IEDEREEN stands alone",
        );
    }
    if e.child_max_age.is_some_and(|max| max >= rules::ADULT_AGE) {
        v.add(
            "offering.eligibility.child_max_age",
            format!(
                "must be below {}: older people are no child",
                rules::ADULT_AGE
            ),
        );
    } else if e.child_max_age.is_some() && !Eligibility::child_limit_applies(&groups) {
        v.add(
            "offering.eligibility.child_max_age",
            "limits the children among doelgroepen, which name neither DOELGROEP_JEUGD nor DOELGROEP_OUDERS",
        );
    }
    let availability = o.availability.map(|a| {
        let (availability, since) = availability(&a, "offering.availability", v);
        Availability {
            since,
            ..availability
        }
    });
    let contact = o.contact.map(|c| contact(c, v));
    let verified = if o.verified.is_empty() {
        Some(today)
    } else {
        date(v, "offering.verified", &o.verified)
    };
    let via = Some(o.via.trim().to_string()).filter(|v| !v.is_empty());
    if via.as_deref().is_some_and(|v| !rules::is_offering_id(v)) {
        v.add("offering.via", "must be an offering id");
    }
    check_text(
        v,
        "offering.historic_period",
        &o.historic_period,
        MAX_GEMEENTE_CHARS,
        false,
    );
    let mut historic = Some(o.historic_period.trim().to_string())
        .filter(|p| !p.is_empty())
        .map(|period| Historic {
            period,
            evidence: None,
            ended: o.historic_ended,
        });
    if o.evidence.len() > MAX_LIST_ITEMS {
        v.add(
            "offering.evidence",
            format!("must hold at most {MAX_LIST_ITEMS} entries"),
        );
    }
    let mut evidence = Vec::new();
    for (i, e) in o.evidence.iter().enumerate() {
        let field = format!("offering.evidence[{i}]");
        check_text(v, &format!("{field}.word"), &e.word, MAX_FIELD_CHARS, true);
        check_text(v, &format!("{field}.file"), &e.file, MAX_FIELD_CHARS, false);
        match Fact::from_key(&e.fact) {
            Some(fact) => evidence.push(Evidence {
                fact,
                file: Some(e.file.trim().to_string()).filter(|f| !f.is_empty()),
                line: (e.line > 0).then_some(e.line),
                word: e.word.trim().to_string(),
            }),
            None => v.add(
                format!("{field}.fact"),
                format!("must be one of: {}", Fact::keys()),
            ),
        }
    }
    // The evidence that an arrangement is historic travels in the same list.
    if let Some(h) = historic.as_mut() {
        if let Some(i) = evidence.iter().position(|e| e.fact == Fact::Historisch) {
            h.evidence = Some(evidence.remove(i));
        }
        if h.ended && h.evidence.is_none() {
            v.add(
                "offering.historic_ended",
                "needs the evidence that it ended (an evidence entry for \"historisch\")",
            );
        }
    } else if o.historic_ended {
        v.add("offering.historic_ended", "needs historic_period");
    }
    let area = if o.gemeenten.iter().any(|g| g.eq_ignore_ascii_case(NATIONAL)) {
        ServiceArea::National
    } else {
        ServiceArea::Gemeenten(o.gemeenten)
    };
    Offering {
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
            child_max_age: e.child_max_age,
            households,
            conditions: e.conditions,
            minima_only: e.minima_only,
            needs_indication: e.needs_indication,
            after_other_help: e.after_other_help,
            language_bound: e.language_bound,
            groups: groups
                .into_iter()
                .filter(|g| *g != Doelgroep::Iedereen)
                .collect(),
        },
        availability: availability.unwrap_or_default(),
        contact: contact.map(Box::new),
        via,
        historic: historic.map(Box::new),
        evidence,
        source: o.source,
        verified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_refused_naming_the_field() {
        let mut v = Violations::default();
        let draft = SetAvailabilityDraft {
            id: "wijkwinkel".into(),
            availability: Some(AvailabilityDraft {
                status: Choice::Is(AvailabilityStatus::Actief),
                effective_date: "2027-02-31".into(),
                ..Default::default()
            }),
        };
        let (_, _, effective) = set_availability_request(draft, &mut v);
        assert_eq!(effective, None);
        let errors = v.finish(()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "availability.effective_date");
    }

    #[test]
    fn a_child_age_limit_is_below_18_and_for_youth_or_parents() {
        let fields = |max: u32, groups: Vec<Choice<Doelgroep>>| {
            let mut v = Violations::default();
            let draft = OfferingDraft {
                eligibility: EligibilityDraft {
                    child_max_age: Some(max),
                    doelgroepen: groups,
                    ..Default::default()
                },
                ..Default::default()
            };
            offering(draft, jiff::civil::date(2026, 12, 2), &mut v);
            v.finish(())
                .err()
                .unwrap_or_default()
                .into_iter()
                .filter(|e| e.field == "offering.eligibility.child_max_age")
                .map(|e| e.description)
                .collect::<Vec<_>>()
        };
        let youth = || vec![Choice::Is(Doelgroep::Jeugd)];
        assert_eq!(
            fields(18, youth()),
            ["must be below 18: older people are no child"]
        );
        assert_eq!(fields(1, Vec::new()).len(), 1, "no children to limit");
        assert_eq!(
            fields(1, vec![Choice::Is(Doelgroep::Ouderen)]).len(),
            1,
            "none among the elderly"
        );
        assert!(fields(1, youth()).is_empty());
        assert!(
            fields(1, vec![Choice::Is(Doelgroep::Ouders)]).is_empty(),
            "the children of the parents it helps"
        );
    }

    #[test]
    fn an_ended_arrangement_needs_its_period_and_its_line() {
        let fields = |period: &str, evidence: Vec<EvidenceDraft>| {
            let mut v = Violations::default();
            let draft = OfferingDraft {
                historic_period: period.into(),
                historic_ended: true,
                evidence,
                ..Default::default()
            };
            offering(draft, jiff::civil::date(2026, 12, 3), &mut v);
            v.finish(())
                .err()
                .unwrap_or_default()
                .into_iter()
                .filter(|e| e.field == "offering.historic_ended")
                .map(|e| e.description)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields("", Vec::new()), ["needs historic_period"]);
        assert_eq!(fields("2020-2021", Vec::new()).len(), 1, "no line given");
        let line = EvidenceDraft {
            fact: "historisch".into(),
            file: String::new(),
            line: 609,
            word: "Per 1 juli 2021".into(),
        };
        assert!(fields("2020-2021", vec![line]).is_empty());
    }

    #[test]
    fn absent_invalid_and_repeated_choices() {
        let mut v = Violations::default();
        let list = [
            Choice::Is(Signal::Dakloos),
            Choice::Absent,
            Choice::Invalid,
            Choice::Is(Signal::Dakloos),
        ];
        assert_eq!(choices(&mut v, "s", &list, true), vec![Signal::Dakloos]);
        let errors = v.finish(()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["s[1]", "s[2]", "s[3]"]);
    }

    #[test]
    fn violations_are_bounded() {
        let mut v = Violations::default();
        for i in 0..1000 {
            v.add(format!("f{i}"), "bad");
        }
        let list = v.finish(()).unwrap_err();
        assert_eq!(list.len(), MAX_VIOLATIONS + 1);
        assert!(list.last().unwrap().description.contains("980 more"));
    }
}

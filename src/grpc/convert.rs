//! Wire (`pb`) ↔ domain: wire requests become the neutral drafts of [`crate::api`],
//! which validates them; domain answers become wire responses.
//!
//! The only rule here is the wire's own: an enum number that is not a value of its
//! vocabulary is a violation naming the field. Everything else is `api`'s to check.

use crate::api::{
    self, AvailabilityDraft, Choice, ContactDraft, ContextDraft, DomainDraft, DraagkrachtDraft,
    DraaglastDraft, EligibilityDraft, EvidenceDraft, FiltersDraft, HelpDraft, HoursDraft,
    ListDraft, LocationDraft, MatchDraft, OfferingDraft, SearchDraft, SetAvailabilityDraft,
    SuggestDraft, Violation,
};
use crate::catalog::{time_text, Catalog};
use crate::domain::dates::Date;
use crate::domain::{
    AccessMode, Availability, AvailabilityStatus, Cost, Doelgroep, Filters, HelpRequest, Household,
    Leefgebied, Offering, Signal, Tier,
};
use crate::engine::{SearchOutcome, SearchResult};
use crate::grpc::pb;
use crate::matching::{MatchOutcome, Ranked};
use crate::search::suggest::{Kind, Suggestion};

/// Reads an enum number sent on the wire. The domain vocabularies list their values in
/// the proto's order, after `UNSPECIFIED = 0` (a unit test holds both to that), so the
/// number is a position; an unknown number is `Invalid`, which `api` reports.
fn wire_enum<T: Copy>(raw: i32, all: &[T]) -> Choice<T> {
    match usize::try_from(raw) {
        Ok(0) => Choice::Absent,
        Ok(n) if n <= all.len() => Choice::Is(all[n - 1]),
        _ => Choice::Invalid,
    }
}

fn wire_enums<T: Copy>(raw: &[i32], all: &[T]) -> Vec<Choice<T>> {
    raw.iter().map(|&x| wire_enum(x, all)).collect()
}

/// The wire number of a domain value: its position after `UNSPECIFIED`.
pub fn to_wire<T: PartialEq>(all: &[T], value: T) -> i32 {
    all.iter()
        .position(|x| *x == value)
        .map_or(0, |i| i as i32 + 1)
}

fn help_draft(r: pb::HelpRequest) -> HelpDraft {
    let k = r.draagkracht.unwrap_or_default();
    let l = r.draaglast.unwrap_or_default();
    let c = r.context.unwrap_or_default();
    HelpDraft {
        leefgebieden: r
            .leefgebieden
            .iter()
            .map(|d| DomainDraft {
                leefgebied: wire_enum(d.leefgebied, Leefgebied::ALL),
                score: d.score,
            })
            .collect(),
        draagkracht: DraagkrachtDraft {
            lichamelijk: k.lichamelijk,
            mentaal: k.mentaal,
            netwerk: k.netwerk,
            financieel: k.financieel,
            vaardigheden: k.vaardigheden,
        },
        draaglast: DraaglastDraft {
            verplichtingen: l.verplichtingen,
            zorgtaken: l.zorgtaken,
            gebeurtenissen: l.gebeurtenissen,
            geldzorgen: l.geldzorgen,
        },
        context: ContextDraft {
            age: c.age,
            household: wire_enum(c.household, Household::ALL),
            doelgroepen: wire_enums(&c.doelgroepen, Doelgroep::ALL),
            gemeente: c.gemeente,
            minima: c.minima,
            languages: c.languages,
            can_travel: c.can_travel,
            digital_access: c.digital_access,
        },
        signals: wire_enums(&r.signals, Signal::ALL),
        text: r.text,
    }
}

/// A validated Match request: the help request and the result count.
pub fn match_request(
    req: pb::MatchRequest,
    catalog: &Catalog,
) -> Result<(HelpRequest, usize), Vec<Violation>> {
    let draft = MatchDraft {
        request: req.request.map(help_draft),
        limit: req.limit,
    };
    api::checked(|v| api::match_request(draft, catalog, v))
}

fn filters_draft(gemeente: String, tier: i32, leefgebied: i32) -> FiltersDraft {
    FiltersDraft {
        gemeente,
        tier: wire_enum(tier, Tier::ALL),
        leefgebied: wire_enum(leefgebied, Leefgebied::ALL),
    }
}

/// A validated Search request: text, filters and limit.
pub fn search_request(
    req: pb::SearchRequest,
    catalog: &Catalog,
) -> Result<(String, Filters, usize), Vec<Violation>> {
    let draft = SearchDraft {
        filters: filters_draft(req.gemeente, req.tier, req.leefgebied),
        query: req.query,
        limit: req.limit,
    };
    api::checked(|v| api::search_request(draft, catalog, v))
}

/// A validated Suggest request: prefix and limit.
pub fn suggest_request(req: pb::SuggestRequest) -> Result<(String, usize), Vec<Violation>> {
    api::checked(|v| {
        api::suggest_request(
            SuggestDraft {
                prefix: req.prefix,
                limit: req.limit,
            },
            v,
        )
    })
}

/// A validated ListOfferings request: filters, page size and the id to continue after.
pub fn list_request(
    req: pb::ListOfferingsRequest,
    catalog: &Catalog,
) -> Result<(Filters, usize, Option<String>), Vec<Violation>> {
    let draft = ListDraft {
        filters: filters_draft(req.gemeente, req.tier, req.leefgebied),
        page_size: req.page_size,
        after: (!req.page_token.is_empty()).then(|| decode_token(&req.page_token).ok_or(())),
    };
    api::checked(|v| api::list_request(draft, catalog, v))
}

/// A validated GetOffering id.
pub fn get_request(req: pb::GetOfferingRequest) -> Result<String, Vec<Violation>> {
    api::checked(|v| api::id_request(req.id, v))
}

/// A validated DeleteOffering id.
pub fn delete_request(req: pb::DeleteOfferingRequest) -> Result<String, Vec<Violation>> {
    get_request(pb::GetOfferingRequest { id: req.id })
}

fn availability_draft(a: pb::Availability) -> AvailabilityDraft {
    AvailabilityDraft {
        status: wire_enum(a.status, AvailabilityStatus::ALL),
        waiting_weeks: a.waiting_weeks,
        note: a.note,
        effective_date: a.effective_date,
    }
}

/// A validated SetAvailability request: id, availability and effective date.
pub fn set_availability_request(
    req: pb::SetAvailabilityRequest,
) -> Result<(String, Availability, Option<Date>), Vec<Violation>> {
    let draft = SetAvailabilityDraft {
        availability: req.availability.map(availability_draft),
        id: req.id,
    };
    api::checked(|v| api::set_availability_request(draft, v))
}

/// A structurally valid UpsertOffering request, as a domain offering. The catalog's
/// own rules are checked next, when the offering is applied; `today` fills an empty
/// `verified`.
pub fn upsert_request(
    req: pb::UpsertOfferingRequest,
    today: Date,
) -> Result<Offering, Vec<Violation>> {
    let Some(o) = req.offering else {
        return Err(api::violation("offering", "is required"));
    };
    let e = o.eligibility.unwrap_or_default();
    let draft = OfferingDraft {
        tier: wire_enum(o.tier, Tier::ALL),
        cost: wire_enum(o.cost, Cost::ALL),
        leefgebieden: wire_enums(&o.leefgebieden, Leefgebied::ALL),
        access_modes: wire_enums(&o.access_modes, AccessMode::ALL),
        signals: wire_enums(&o.signals, Signal::ALL),
        eligibility: EligibilityDraft {
            min_age: e.min_age,
            max_age: e.max_age,
            child_max_age: e.child_max_age,
            households: wire_enums(&e.households, Household::ALL),
            conditions: e.conditions,
            minima_only: e.minima_only,
            needs_indication: e.needs_indication,
            after_other_help: e.after_other_help,
            language_bound: e.language_bound,
            doelgroepen: wire_enums(&e.doelgroepen, Doelgroep::ALL),
        },
        availability: o.availability.map(availability_draft),
        contact: o.contact.map(|c| ContactDraft {
            phone: c.phone,
            website: c.website,
            email: c.email,
            address: c.address,
            source: c.source,
            phones: c
                .phones
                .into_iter()
                .map(|p| (p.number, p.purpose, p.hours))
                .collect(),
            locations: c
                .locations
                .into_iter()
                .map(|l| LocationDraft {
                    name: l.name,
                    address: l.address,
                    postcode: l.postcode,
                    city: l.city,
                    wijk: l.wijk,
                    accessibility: l.accessibility,
                })
                .collect(),
            hours: c
                .hours
                .into_iter()
                .map(|h| HoursDraft {
                    days: h.days,
                    opens: h.opens,
                    closes: h.closes,
                    location: h.location,
                    note: h.note,
                })
                .collect(),
        }),
        id: o.id,
        name: o.name,
        organisation: o.organisation,
        description: o.description,
        lay_terms: o.lay_terms,
        next_step: o.next_step,
        gemeenten: o.gemeenten,
        languages: o.languages,
        source: o.source,
        verified: o.verified,
        via: o.via,
        historic_period: o.historic_period,
        historic_ended: o.historic_ended,
        evidence: o
            .evidence
            .into_iter()
            .map(|e| EvidenceDraft {
                fact: e.fact,
                file: e.file,
                line: e.line,
                word: e.word,
            })
            .collect(),
    };
    api::checked(|v| api::offering(draft, today, v))
}

/// The wire form of a choice: `UNSPECIFIED` unless a known value.
fn choice_to_wire<T: Copy + PartialEq>(all: &[T], c: Choice<T>) -> i32 {
    c.value().map_or(0, |x| to_wire(all, x))
}

/// The wire request a client sends for a Match draft (the way back, for clients and
/// tests that start from Dutch-keyed files).
pub fn match_to_wire(d: &MatchDraft) -> pb::MatchRequest {
    pb::MatchRequest {
        request: d.request.as_ref().map(|r| pb::HelpRequest {
            leefgebieden: r
                .leefgebieden
                .iter()
                .map(|x| pb::DomainScore {
                    leefgebied: choice_to_wire(Leefgebied::ALL, x.leefgebied),
                    score: x.score,
                })
                .collect(),
            draagkracht: Some(pb::Draagkracht {
                lichamelijk: r.draagkracht.lichamelijk,
                mentaal: r.draagkracht.mentaal,
                netwerk: r.draagkracht.netwerk,
                financieel: r.draagkracht.financieel,
                vaardigheden: r.draagkracht.vaardigheden,
            }),
            draaglast: Some(pb::Draaglast {
                verplichtingen: r.draaglast.verplichtingen,
                zorgtaken: r.draaglast.zorgtaken,
                gebeurtenissen: r.draaglast.gebeurtenissen,
                geldzorgen: r.draaglast.geldzorgen,
            }),
            context: Some(pb::Context {
                age: r.context.age,
                gemeente: r.context.gemeente.clone(),
                household: choice_to_wire(Household::ALL, r.context.household),
                minima: r.context.minima,
                languages: r.context.languages.clone(),
                can_travel: r.context.can_travel,
                digital_access: r.context.digital_access,
                doelgroepen: r
                    .context
                    .doelgroepen
                    .iter()
                    .map(|g| choice_to_wire(Doelgroep::ALL, *g))
                    .collect(),
            }),
            signals: r
                .signals
                .iter()
                .map(|x| choice_to_wire(Signal::ALL, *x))
                .collect(),
            text: r.text.clone(),
        }),
        limit: d.limit,
    }
}

/// The wire request a client sends for a Search draft.
pub fn search_to_wire(d: &SearchDraft) -> pb::SearchRequest {
    pb::SearchRequest {
        query: d.query.clone(),
        gemeente: d.filters.gemeente.clone(),
        tier: choice_to_wire(Tier::ALL, d.filters.tier),
        leefgebied: choice_to_wire(Leefgebied::ALL, d.filters.leefgebied),
        limit: d.limit,
    }
}

/// Page tokens are the last id of the page, hex-encoded so callers treat them as opaque.
pub fn encode_token(id: &str) -> String {
    hex::encode(id)
}

fn decode_token(token: &str) -> Option<String> {
    if token.len() > 400 {
        return None;
    }
    String::from_utf8(hex::decode(token).ok()?).ok()
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
            child_max_age: e.child_max_age,
            households: e
                .households
                .iter()
                .map(|h| to_wire(Household::ALL, *h))
                .collect(),
            conditions: e.conditions.clone(),
            minima_only: e.minima_only,
            needs_indication: e.needs_indication,
            after_other_help: e.after_other_help,
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
            effective_date: o
                .availability
                .since
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }),
        contact: o.contact.as_ref().map(|c| pb::Contact {
            phone: c.phone.clone().unwrap_or_default(),
            website: c.website.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            source: c.source.clone(),
            phones: c
                .phones
                .iter()
                .map(|p| pb::ContactPhone {
                    number: p.number.clone(),
                    purpose: p.purpose.clone().unwrap_or_default(),
                    hours: p.hours.clone().unwrap_or_default(),
                })
                .collect(),
            locations: c
                .locations
                .iter()
                .map(|l| pb::ContactLocation {
                    name: l.name.clone(),
                    address: l.address.clone().unwrap_or_default(),
                    postcode: l.postcode.clone().unwrap_or_default(),
                    city: l.city.clone().unwrap_or_default(),
                    wijk: l.wijk.clone().unwrap_or_default(),
                    accessibility: l.accessibility.clone().unwrap_or_default(),
                })
                .collect(),
            hours: c
                .hours
                .iter()
                .map(|h| pb::OpeningHours {
                    days: h.days.iter().map(|d| d.key().to_string()).collect(),
                    opens: time_text(h.opens),
                    closes: time_text(h.closes),
                    location: h.location.clone().unwrap_or_default(),
                    note: h.note.clone().unwrap_or_default(),
                })
                .collect(),
        }),
        source: o.source.clone(),
        verified: o.verified.map(|d| d.to_string()).unwrap_or_default(),
        via: o.via.clone().unwrap_or_default(),
        historic_period: o
            .historic
            .as_ref()
            .map(|h| h.period.clone())
            .unwrap_or_default(),
        historic_ended: o.has_ended(),
        evidence: o
            .evidence
            .iter()
            .chain(o.historic.as_ref().and_then(|h| h.evidence.as_ref()))
            .map(|e| pb::Evidence {
                fact: e.fact.key().to_string(),
                file: e.file.clone().unwrap_or_default(),
                line: e.line.unwrap_or(0),
                word: e.word.clone(),
            })
            .collect(),
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
                crisis: r.offering.is_crisis_line(),
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
                crisis: !h.reasons.is_empty() && h.offering.is_crisis_line(),
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
            assert!(wire_enum(i as i32 + 1, all) == *value);
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
        assert_eq!(wire_enum(0, Tier::ALL), Choice::Absent);
        assert_eq!(wire_enum(6, Tier::ALL), Choice::Invalid);
        assert_eq!(wire_enum(-1, Tier::ALL), Choice::Invalid);
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

//! The catalog files as written on disk, and their conversion to domain types.
//!
//! Parsing is strict: unknown fields are errors. Every problem found is collected with
//! its file and line, so a reviewer sees all of them at once.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::Problem;
use crate::domain::dates;
use crate::domain::rules::{self, ADULT_AGE, MAX_AGE, MAX_DESCRIPTION_CHARS, MAX_NOTE_CHARS};
use crate::domain::{
    AccessMode, Availability, AvailabilityStatus, Contact, Cost, Doelgroep, Eligibility, Evidence,
    Fact, Historic, Hours, Household, Leefgebied, Location, Offering, Phone, ServiceArea, Signal,
    Tier, Weekday, NATIONAL,
};

/// `catalogus.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub naam: String,
    pub gemeenten: Vec<String>,
    /// A historic snapshot whose entries were never verified: `geverifieerd` is optional.
    #[serde(default)]
    pub historisch: bool,
    /// Entries taken from another data set that nobody here has verified (an HSDS
    /// import): `geverifieerd` is optional.
    #[serde(default)]
    pub ongeverifieerd: bool,
    /// The province the region lies in, for postal addresses.
    pub provincie: Option<String>,
    /// Path of the taxonomy file, relative to the catalog folder.
    pub taxonomie: Option<String>,
    #[serde(default)]
    pub bron: Vec<RawSource>,
}

/// One `[[bron]]` of `catalogus.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub bestand: String,
    pub titel: String,
}

/// `taxonomie.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTaxonomy {
    pub leefgebied: Vec<Spanned<RawDomain>>,
}

/// One `[[leefgebied]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDomain {
    pub key: String,
    pub label: String,
    pub beschrijving: String,
    pub synoniemen: Vec<String>,
}

/// One file under `aanbod/`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOfferingFile {
    #[serde(default)]
    pub aanbod: Vec<Spanned<RawOffering>>,
}

/// One `[[aanbod]]`. It serializes back to the same format (see [`entry_toml`]).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawOffering {
    id: String,
    naam: String,
    organisatie: String,
    niveau: String,
    leefgebieden: Vec<String>,
    beschrijving: String,
    zoektermen: Vec<String>,
    volgende_stap: String,
    gemeenten: Vec<String>,
    toegang: Vec<String>,
    /// The door this offering is reached through (another entry's id).
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<String>,
    kosten: String,
    /// Set for an arrangement from a past period that may have ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    historisch: Option<RawHistoric>,
    #[serde(default, skip_serializing_if = "is_false")]
    alleen_minima: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    beschikking_nodig: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    na_andere_hulp: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    talen: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "is_false")]
    taalgebonden: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    signalen: Vec<String>,
    /// Who it is for; absent or `["iedereen"]` means everyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    doelgroepen: Vec<String>,
    bron: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    geverifieerd: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doelgroep: Option<RawTargetGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beschikbaarheid: Option<RawAvailability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<RawContact>,
    /// Source references per hard fact.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    bewijs: BTreeMap<String, RawEvidence>,
}

/// Where a fact is written: `{ regel = 12, woord = "gratis" }`, optionally with
/// `bestand` when it is another listed source than the entry's `bron`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    bestand: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    regel: Option<u32>,
    woord: String,
}

/// `historisch = { periode = "2020-2021", regel = 12, woord = "corona" }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawHistoric {
    periode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    bestand: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    regel: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    woord: Option<String>,
    /// The source says it has ended; `regel` and `woord` then show where.
    #[serde(default, skip_serializing_if = "is_false")]
    beeindigd: bool,
}

/// The longest evidence word (a word or a short group of words).
const MAX_EVIDENCE_WORD: usize = 60;

/// Reads one evidence reference, reporting what is wrong with it.
fn evidence(
    fact: Fact,
    file: &Option<String>,
    line: Option<u32>,
    word: &str,
    known: &Known<'_>,
    report: &mut impl FnMut(&str, String),
) -> Option<Evidence> {
    let key = fact.key();
    if let Some(f) = file {
        if !known.sources.contains(f) {
            report(
                key,
                format!("evidence for `{key}` cites '{f}', which catalogus.toml does not list"),
            );
            return None;
        }
    }
    if line == Some(0) {
        report(key, format!("evidence for `{key}`: `regel` counts from 1"));
        return None;
    }
    let word = word.trim();
    if word.is_empty() || word.chars().count() > MAX_EVIDENCE_WORD {
        report(
            key,
            format!("evidence for `{key}`: `woord` must be 1 to {MAX_EVIDENCE_WORD} characters from the cited line"),
        );
        return None;
    }
    Some(Evidence {
        fact,
        file: file.clone(),
        line,
        word: word.to_string(),
    })
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawTargetGroup {
    #[serde(skip_serializing_if = "Option::is_none")]
    leeftijd_min: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    leeftijd_max: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind_leeftijd_max: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    huishoudens: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    voorwaarden: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawAvailability {
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    wachtweken: Option<u32>,
    /// A short note from the organisation, e.g. "Vol tot de zomer".
    #[serde(skip_serializing_if = "Option::is_none")]
    notitie: Option<String>,
    /// The date from which this status holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    per: Option<toml::value::Datetime>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    #[serde(skip_serializing_if = "Option::is_none")]
    telefoon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    adres: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bron: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    telefoons: Vec<RawPhone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    locaties: Vec<RawLocation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    openingstijden: Vec<RawHours>,
}

/// `[[aanbod.contact.telefoons]]`: a further number with what it is for.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawPhone {
    nummer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    waarvoor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uren: Option<String>,
}

/// `[[aanbod.contact.locaties]]`: a place where the offering is given.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawLocation {
    naam: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    adres: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plaats: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wijk: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    toegankelijkheid: Option<String>,
}

/// `[[aanbod.contact.openingstijden]]`: weekly hours.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawHours {
    dagen: Vec<String>,
    van: String,
    tot: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    locatie: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notitie: Option<String>,
}

/// A Dutch postcode: four digits (not starting with 0), an optional space, two capitals.
pub fn valid_postcode(p: &str) -> bool {
    let compact: String = p.chars().filter(|c| *c != ' ').collect();
    let b = compact.as_bytes();
    p.len() <= 7
        && b.len() == 6
        && b[0] != b'0'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_uppercase)
}

/// A time of day as `HH:MM`.
pub fn parse_time(t: &str) -> Option<jiff::civil::Time> {
    let b = t.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    let (h, m): (i8, i8) = (t[..2].parse().ok()?, t[3..].parse().ok()?);
    jiff::civil::Time::new(h, m, 0, 0).ok()
}

/// `HH:MM` of a time.
pub fn time_text(t: jiff::civil::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// One offering in catalog format: a `[[aanbod]]` table that `convert_offering` reads
/// back to the same offering.
pub fn entry_toml(o: &Offering) -> String {
    let e = &o.eligibility;
    let date = |d: &Option<dates::Date>| d.and_then(|d| d.to_string().parse().ok());
    let group = RawTargetGroup {
        leeftijd_min: e.min_age,
        leeftijd_max: e.max_age,
        kind_leeftijd_max: e.child_max_age,
        huishoudens: e.households.iter().map(|h| h.key().to_string()).collect(),
        voorwaarden: e.conditions.clone(),
    };
    let has_group = group.leeftijd_min.is_some()
        || group.leeftijd_max.is_some()
        || group.kind_leeftijd_max.is_some()
        || !group.huishoudens.is_empty()
        || !group.voorwaarden.is_empty();
    let a = &o.availability;
    let raw = RawOffering {
        id: o.id.clone(),
        naam: o.name.clone(),
        organisatie: o.organisation.clone(),
        niveau: o.tier.key().to_string(),
        leefgebieden: o.leefgebieden.iter().map(|l| l.key().to_string()).collect(),
        beschrijving: o.description.clone(),
        zoektermen: o.lay_terms.clone(),
        volgende_stap: o.next_step.clone(),
        gemeenten: o.area.names(),
        toegang: o.access.iter().map(|x| x.key().to_string()).collect(),
        via: o.via.clone(),
        kosten: o.cost.key().to_string(),
        historisch: o.historic.as_ref().map(|h| RawHistoric {
            periode: h.period.clone(),
            bestand: h.evidence.as_ref().and_then(|e| e.file.clone()),
            regel: h.evidence.as_ref().and_then(|e| e.line),
            woord: h.evidence.as_ref().map(|e| e.word.clone()),
            beeindigd: h.ended,
        }),
        alleen_minima: e.minima_only,
        beschikking_nodig: e.needs_indication,
        na_andere_hulp: e.after_other_help,
        talen: (o.languages != ["nl"]).then(|| o.languages.clone()),
        taalgebonden: e.language_bound,
        signalen: o.signals.iter().map(|x| x.key().to_string()).collect(),
        doelgroepen: e.groups.iter().map(|g| g.key().to_string()).collect(),
        bron: o.source.clone(),
        geverifieerd: date(&o.verified),
        doelgroep: has_group.then_some(group),
        beschikbaarheid: (*a != Availability::default()).then(|| RawAvailability {
            status: a.status.key().to_string(),
            wachtweken: a.waiting_weeks,
            notitie: a.note.clone(),
            per: date(&a.since),
        }),
        contact: o.contact.as_ref().map(|c| RawContact {
            telefoon: c.phone.clone(),
            website: c.website.clone(),
            email: c.email.clone(),
            adres: c.address.clone(),
            bron: Some(c.source.clone()),
            telefoons: c
                .phones
                .iter()
                .map(|p| RawPhone {
                    nummer: p.number.clone(),
                    waarvoor: p.purpose.clone(),
                    uren: p.hours.clone(),
                })
                .collect(),
            locaties: c
                .locations
                .iter()
                .map(|l| RawLocation {
                    naam: l.name.clone(),
                    adres: l.address.clone(),
                    postcode: l.postcode.clone(),
                    plaats: l.city.clone(),
                    wijk: l.wijk.clone(),
                    toegankelijkheid: l.accessibility.clone(),
                })
                .collect(),
            openingstijden: c
                .hours
                .iter()
                .map(|h| RawHours {
                    dagen: h.days.iter().map(|d| d.key().to_string()).collect(),
                    van: time_text(h.opens),
                    tot: time_text(h.closes),
                    locatie: h.location.clone(),
                    notitie: h.note.clone(),
                })
                .collect(),
        }),
        bewijs: o
            .evidence
            .iter()
            .map(|e| {
                let raw = RawEvidence {
                    bestand: e.file.clone(),
                    regel: e.line,
                    woord: e.word.clone(),
                };
                (e.fact.key().to_string(), raw)
            })
            .collect(),
    };
    #[derive(Serialize)]
    struct One<'a> {
        aanbod: [&'a RawOffering; 1],
    }
    toml::to_string(&One { aanbod: [&raw] }).expect("an offering always serializes")
}

/// Where a file's text lives, to turn byte offsets into line numbers.
pub struct SourceFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl SourceFile<'_> {
    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    /// The line where `field = …` is written inside `span`, or the span's first line.
    pub fn field_line(&self, span: &Range<usize>, field: &str) -> usize {
        let start = span.start.min(self.text.len());
        let end = span.end.min(self.text.len());
        let mut offset = start;
        for line in self.text[start..end].split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(field) {
                if rest.trim_start().starts_with('=') || rest.starts_with(']') {
                    return self.line_of(offset);
                }
            }
            offset += line.len();
        }
        self.line_of(start)
    }

    /// A problem at a line of this file.
    pub fn problem(&self, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            file: self.path.to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// Parses the whole file, or reports the TOML error with its line.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Problem> {
        toml::from_str(self.text).map_err(|e| Problem {
            file: self.path.to_path_buf(),
            line: e.span().map(|s| self.line_of(s.start)),
            message: e.message().trim().to_string(),
        })
    }
}

/// What an offering is checked against.
pub struct Known<'a> {
    pub gemeenten: &'a [String],
    pub sources: &'a HashSet<String>,
    /// The catalog is a historic, unverified snapshot.
    pub historic: bool,
}

/// Converts and checks one offering, collecting every problem.
///
/// `span` is the entry's text: from its `[[aanbod]]` header to the next entry's header
/// (toml's own span covers only the header), so field lines can be found in it.
pub fn convert_offering(
    raw: &Spanned<RawOffering>,
    span: Range<usize>,
    file: &SourceFile<'_>,
    known: &Known<'_>,
    problems: &mut Vec<Problem>,
) -> Option<Offering> {
    let r = raw.get_ref();
    let before = problems.len();
    let mut report = |field: &str, message: String| {
        let line = file.field_line(&span, field);
        problems.push(file.problem(line, format!("aanbod '{}': {message}", r.id)));
    };

    if !rules::is_offering_id(&r.id) {
        report(
            "id",
            format!(
                "id '{}' may only hold {} (at most {} characters)",
                r.id,
                rules::OFFERING_ID_RULE,
                rules::MAX_ID_CHARS
            ),
        );
    }
    for (field, value) in [
        ("naam", &r.naam),
        ("organisatie", &r.organisatie),
        ("beschrijving", &r.beschrijving),
        ("volgende_stap", &r.volgende_stap),
    ] {
        if value.trim().is_empty() {
            report(field, format!("`{field}` is empty"));
        }
    }
    if r.beschrijving.chars().count() > MAX_DESCRIPTION_CHARS {
        report(
            "beschrijving",
            format!("`beschrijving` is longer than {MAX_DESCRIPTION_CHARS} characters"),
        );
    }
    if r.zoektermen.iter().all(|t| t.trim().is_empty()) {
        report("zoektermen", "`zoektermen` needs at least one term".into());
    }

    let tier = Tier::from_key(&r.niveau);
    if tier.is_none() {
        report(
            "niveau",
            format!("unknown niveau '{}' (known: {})", r.niveau, Tier::keys()),
        );
    }
    let leefgebieden = keys(
        &r.leefgebieden,
        "leefgebieden",
        Leefgebied::from_key,
        Leefgebied::keys,
        &mut report,
    );
    if r.leefgebieden.is_empty() {
        report(
            "leefgebieden",
            "`leefgebieden` needs at least one domain".into(),
        );
    }
    let access = keys(
        &r.toegang,
        "toegang",
        AccessMode::from_key,
        AccessMode::keys,
        &mut report,
    );
    if r.toegang.is_empty() {
        report("toegang", "`toegang` needs at least one access mode".into());
    }
    let signals = keys(
        &r.signalen,
        "signalen",
        Signal::from_key,
        Signal::keys,
        &mut report,
    );
    let cost = Cost::from_key(&r.kosten);
    if cost.is_none() {
        report(
            "kosten",
            format!("unknown kosten '{}' (known: {})", r.kosten, Cost::keys()),
        );
    }
    let area = service_area(&r.gemeenten, known.gemeenten, &mut report);
    if !known.sources.contains(&r.bron) {
        report(
            "bron",
            format!("bron '{}' is not listed in catalogus.toml", r.bron),
        );
    }
    let verified = match r
        .geverifieerd
        .map(|d| (d.date.and_then(|d| dates::parse(&d.to_string())), d.time))
    {
        Some((Some(d), None)) => Some(Some(d)),
        None if known.historic => Some(None),
        None => {
            report(
                "id",
                "`geverifieerd` is missing: when was this entry last checked?".into(),
            );
            None
        }
        Some(_) => {
            report(
                "geverifieerd",
                "`geverifieerd` must be a real date such as 2026-11-23".into(),
            );
            None
        }
    };
    let languages = r.talen.clone().unwrap_or_else(|| vec!["nl".to_string()]);
    for lang in &languages {
        if !rules::is_language_code(lang) || lang.chars().any(|c| c.is_ascii_uppercase()) {
            report(
                "talen",
                format!("language '{lang}' is not a two-letter ISO 639-1 code"),
            );
        }
    }

    let mut eligibility = Eligibility {
        minima_only: r.alleen_minima,
        needs_indication: r.beschikking_nodig,
        after_other_help: r.na_andere_hulp,
        language_bound: r.taalgebonden,
        ..Eligibility::default()
    };
    let groups = keys(
        &r.doelgroepen,
        "doelgroepen",
        Doelgroep::from_key_or_former,
        Doelgroep::keys,
        &mut report,
    );
    if groups.contains(&Doelgroep::Iedereen) && groups.len() > 1 {
        report(
            "doelgroepen",
            "`iedereen` stands alone: it means no particular group".into(),
        );
    }
    eligibility.groups = groups
        .into_iter()
        .filter(|g| *g != Doelgroep::Iedereen)
        .collect();
    if let Some(group) = &r.doelgroep {
        eligibility.min_age = group.leeftijd_min;
        eligibility.max_age = group.leeftijd_max;
        eligibility.child_max_age = group.kind_leeftijd_max;
        eligibility.conditions = group.voorwaarden.trim().to_string();
        eligibility.households = keys(
            &group.huishoudens,
            "huishoudens",
            Household::from_key,
            Household::keys,
            &mut report,
        );
        if !rules::is_age_range(group.leeftijd_min, group.leeftijd_max) {
            report(
                "leeftijd_min",
                format!(
                    "age range {}..{} is not sane (0 ≤ min ≤ max ≤ {MAX_AGE})",
                    group.leeftijd_min.unwrap_or(0),
                    group.leeftijd_max.unwrap_or(MAX_AGE)
                ),
            );
        }
        if let Some(max) = group.kind_leeftijd_max.filter(|&max| max >= ADULT_AGE) {
            report(
                "kind_leeftijd_max",
                format!(
                    "`kind_leeftijd_max` {max} is no child's age (a child is below {ADULT_AGE})"
                ),
            );
        }
        if group.kind_leeftijd_max.is_some()
            && !Eligibility::child_limit_applies(&eligibility.groups)
        {
            report(
                "kind_leeftijd_max",
                "`kind_leeftijd_max` limits the children among the `doelgroepen`, which name neither `jeugd` nor `ouders`".into(),
            );
        }
    }

    let mut availability = Availability::default();
    if let Some(a) = &r.beschikbaarheid {
        match AvailabilityStatus::from_key(&a.status) {
            Some(status) => availability.status = status,
            None => report(
                "status",
                format!(
                    "unknown status '{}' (known: {})",
                    a.status,
                    AvailabilityStatus::keys()
                ),
            ),
        }
        if a.wachtweken.is_some() && !rules::waiting_weeks_allowed(availability.status) {
            report(
                "wachtweken",
                "`wachtweken` only goes with status \"wachtlijst\"".into(),
            );
        }
        availability.waiting_weeks = a.wachtweken;
        availability.note = a
            .notitie
            .as_ref()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        if a.notitie
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            report(
                "notitie",
                format!("`notitie` is longer than {MAX_NOTE_CHARS} characters"),
            );
        }
        match a
            .per
            .map(|d| (d.date.and_then(|d| dates::parse(&d.to_string())), d.time))
        {
            Some((Some(d), None)) => availability.since = Some(d),
            None => {}
            Some(_) => report("per", "`per` must be a real date such as 2026-11-23".into()),
        }
    }

    let contact = r
        .contact
        .as_ref()
        .and_then(|c| contact(c, known, &mut report));

    let via = r.via.as_ref().map(|v| v.trim().to_string());
    if let Some(v) = &via {
        if v == &r.id {
            report("via", "`via` names the entry itself".into());
        } else if !rules::is_offering_id(v) {
            report("via", format!("`via` must be an offering id, not '{v}'"));
        }
    }
    let mut evidence_list = Vec::new();
    for (key, e) in &r.bewijs {
        match Fact::from_key(key) {
            Some(fact) => evidence_list.extend(evidence(
                fact,
                &e.bestand,
                e.regel,
                &e.woord,
                known,
                &mut report,
            )),
            None => report(
                "bewijs",
                format!(
                    "unknown fact '{key}' in `[aanbod.bewijs]` (known: {})",
                    Fact::keys()
                ),
            ),
        }
    }
    let historic = r.historisch.as_ref().and_then(|h| {
        let period = h.periode.trim();
        if period.is_empty() {
            report(
                "historisch",
                "`historisch` needs `periode`, e.g. \"2020-2021\"".into(),
            );
            return None;
        }
        let evidence = match &h.woord {
            Some(w) => Some(evidence(
                Fact::Historisch,
                &h.bestand,
                h.regel,
                w,
                known,
                &mut report,
            )?),
            None => None,
        };
        if h.beeindigd && evidence.is_none() {
            report(
                "historisch",
                "`beeindigd` needs the line that says it ended (`regel` and `woord`)".into(),
            );
            return None;
        }
        Some(Historic {
            period: period.to_string(),
            evidence,
            ended: h.beeindigd,
        })
    });

    if problems.len() > before {
        return None;
    }
    Some(Offering {
        id: r.id.clone(),
        name: r.naam.trim().to_string(),
        organisation: r.organisatie.trim().to_string(),
        tier: tier?,
        leefgebieden,
        description: r.beschrijving.trim().to_string(),
        lay_terms: r
            .zoektermen
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        next_step: r.volgende_stap.trim().to_string(),
        area: area?,
        access,
        cost: cost?,
        languages,
        signals,
        eligibility,
        availability,
        contact: contact.map(Box::new),
        via,
        historic: historic.map(Box::new),
        evidence: evidence_list,
        source: r.bron.clone(),
        verified: verified?,
    })
}

/// Converts a list of vocabulary keys, reporting each unknown one.
fn keys<T: PartialEq>(
    raw: &[String],
    field: &str,
    from_key: fn(&str) -> Option<T>,
    all: fn() -> String,
    report: &mut impl FnMut(&str, String),
) -> Vec<T> {
    let mut out = Vec::new();
    for key in raw {
        match from_key(key) {
            Some(v) if out.contains(&v) => {
                report(field, format!("'{key}' appears twice in `{field}`"))
            }
            Some(v) => out.push(v),
            None => report(
                field,
                format!("unknown value '{key}' in `{field}` (known: {})", all()),
            ),
        }
    }
    out
}

/// Expands `gemeenten` into a service area, canonicalising spelling.
fn service_area(
    raw: &[String],
    known: &[String],
    report: &mut impl FnMut(&str, String),
) -> Option<ServiceArea> {
    if raw.is_empty() {
        report(
            "gemeenten",
            "`gemeenten` needs at least one gemeente".into(),
        );
        return None;
    }
    if raw.iter().any(|g| g.eq_ignore_ascii_case(NATIONAL)) {
        return Some(ServiceArea::National);
    }
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for g in raw {
        if g.eq_ignore_ascii_case(REGION_WIDE) {
            out.extend(known.iter().cloned());
        } else if let Some(canonical) = known.iter().find(|k| k.eq_ignore_ascii_case(g)) {
            out.push(canonical.clone());
        } else {
            ok = false;
            report(
                "gemeenten",
                format!(
                    "unknown gemeente '{g}' (known: {}, {REGION_WIDE}, {NATIONAL})",
                    known.join(", ")
                ),
            );
        }
    }
    out.sort();
    out.dedup();
    ok.then_some(ServiceArea::Gemeenten(out))
}

/// How a catalog entry names all gemeenten of its region.
pub const REGION_WIDE: &str = "Drechtsteden";

/// Checks contact facts: each syntactically valid and backed by a listed source.
fn contact(
    c: &RawContact,
    known: &Known<'_>,
    report: &mut impl FnMut(&str, String),
) -> Option<Contact> {
    let clean = |v: &Option<String>| {
        v.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut ok = true;
    let mut phones = Vec::new();
    for p in &c.telefoons {
        let number = p.nummer.trim().to_string();
        if !valid_phone(&number) {
            report("nummer", format!("'{number}' is not a valid phone number"));
            ok = false;
        }
        phones.push(Phone {
            number,
            purpose: clean(&p.waarvoor),
            hours: clean(&p.uren),
        });
    }
    let mut locations = Vec::new();
    for l in &c.locaties {
        let postcode = clean(&l.postcode);
        if let Some(p) = postcode.as_deref().filter(|p| !valid_postcode(p)) {
            report(
                "postcode",
                format!("'{p}' is not a Dutch postcode such as 3311 AB"),
            );
            ok = false;
        }
        if l.naam.trim().is_empty() {
            report("naam", "a `locaties` entry needs `naam`".into());
            ok = false;
        }
        locations.push(Location {
            name: l.naam.trim().to_string(),
            address: clean(&l.adres),
            postcode,
            city: clean(&l.plaats),
            wijk: clean(&l.wijk),
            accessibility: clean(&l.toegankelijkheid),
        });
    }
    let mut hours = Vec::new();
    for h in &c.openingstijden {
        let days = keys(&h.dagen, "dagen", Weekday::from_key, Weekday::keys, report);
        let (opens, closes) = (parse_time(&h.van), parse_time(&h.tot));
        let location = clean(&h.locatie);
        if days.is_empty() {
            report(
                "dagen",
                "opening hours need at least one day in `dagen`".into(),
            );
            ok = false;
        }
        if let Some(name) = location.as_deref() {
            if !locations.iter().any(|l| l.name == name) {
                report(
                    "locatie",
                    format!("opening hours name location '{name}', which `locaties` does not list"),
                );
                ok = false;
            }
        }
        match (opens, closes) {
            (Some(opens), Some(closes)) if opens < closes => hours.push(Hours {
                days,
                opens,
                closes,
                location,
                note: clean(&h.notitie),
            }),
            (Some(_), Some(_)) => {
                report("tot", "`tot` must come after `van`".into());
                ok = false;
            }
            _ => {
                report("van", "`van` and `tot` must be times such as 09:00".into());
                ok = false;
            }
        }
    }
    let out = Contact {
        phone: clean(&c.telefoon),
        website: clean(&c.website),
        email: clean(&c.email),
        address: clean(&c.adres),
        source: c.bron.clone().unwrap_or_default(),
        phones,
        locations,
        hours,
    };
    if out.phone.is_none()
        && out.website.is_none()
        && out.email.is_none()
        && out.address.is_none()
        && out.phones.is_empty()
        && out.locations.is_empty()
    {
        report(
            "contact",
            "`[aanbod.contact]` has no contact fact; leave the table out".into(),
        );
        ok = false;
    }
    match &c.bron {
        None => {
            report(
                "contact",
                "`[aanbod.contact]` needs `bron`: contact facts must come from a source".into(),
            );
            ok = false;
        }
        Some(b) if !known.sources.contains(b) => {
            report(
                "bron",
                format!("contact bron '{b}' is not listed in catalogus.toml"),
            );
            ok = false;
        }
        Some(_) => {}
    }
    if let Some(p) = &out.phone {
        if !valid_phone(p) {
            report("telefoon", format!("'{p}' is not a valid phone number"));
            ok = false;
        }
    }
    if let Some(w) = &out.website {
        if !valid_url(w) {
            report("website", format!("'{w}' is not a valid http(s) URL"));
            ok = false;
        }
    }
    if let Some(e) = &out.email {
        if !valid_email(e) {
            report("email", format!("'{e}' is not a valid e-mail address"));
            ok = false;
        }
    }
    ok.then_some(out)
}

/// A Dutch phone number: digits with optional spaces or dashes, optionally `+31`; short
/// national numbers such as 112 and 113 count.
pub fn valid_phone(p: &str) -> bool {
    let body = p.strip_prefix('+').unwrap_or(p);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && (3..=13).contains(&digits)
        && body.starts_with(|c: char| c.is_ascii_digit())
}

/// An absolute http(s) URL with a dotted host and no spaces.
pub fn valid_url(u: &str) -> bool {
    let Some(rest) = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !u.contains(char::is_whitespace)
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// A plain e-mail address: one `@`, a dotted domain, no spaces.
pub fn valid_email(e: &str) -> bool {
    let mut parts = e.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.contains(char::is_whitespace)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers() {
        assert!(valid_phone("113"));
        assert!(valid_phone("0800-0113"));
        assert!(valid_phone("088-0767 000"));
        assert!(valid_phone("+31 78 123 4567"));
        assert!(!valid_phone("bel ons"));
        assert!(!valid_phone("12"));
        assert!(!valid_phone("-0800"));
    }

    #[test]
    fn urls_and_emails() {
        assert!(valid_url("https://www.113.nl"));
        assert!(valid_url("https://lichtvoordordt.nl/hulp"));
        assert!(!valid_url("www.113.nl"));
        assert!(!valid_url("https://localhost"));
        assert!(!valid_url("https://a b.nl"));
        assert!(valid_email("info@voorbeeld.nl"));
        assert!(!valid_email("info@voorbeeld"));
        assert!(!valid_email("a@b@c.nl"));
    }

    #[test]
    fn field_line_finds_the_field_inside_the_entry() {
        let text =
            "[[aanbod]]\nid = \"a\"\nniveau = \"x\"\n\n[[aanbod]]\nid = \"b\"\nniveau = \"y\"\n";
        let file = SourceFile {
            path: Path::new("t.toml"),
            text,
        };
        let second = text.rfind("[[aanbod]]").unwrap();
        assert_eq!(file.field_line(&(second..text.len()), "niveau"), 7);
        assert_eq!(file.field_line(&(0..second), "niveau"), 3);
        assert_eq!(file.field_line(&(0..second), "absent"), 1);
    }
}

//! Export of the catalog as Open Referral HSDS 3.0 JSON.
//!
//! [`export()`] turns a loaded [`Catalog`] into two lists of HSDS objects: organizations and
//! services (services carry their nested objects: phones, languages, service areas, cost
//! options, attributes and metadata). [`write()`] stores them as `organizations.json` and
//! `services.json`.
//!
//! ## Principles
//!
//! - **No invented facts.** An HSDS field is written only when the catalog holds the fact
//!   behind it. Fields the catalog has no data for are left out, never filled with
//!   placeholders. Texts the export writes itself (eligibility, fees, taxonomy terms) are
//!   plain Dutch renderings of catalog values, nothing more.
//! - **Stable ids.** HSDS wants UUIDs. Every id is a UUIDv8 (RFC 9562) built from the
//!   first 16 bytes of the SHA-256 of a stable key such as
//!   `wegwijzer:service:<offering id>`, so the same catalog always exports the same ids
//!   and an offering keeps its id across exports.
//! - **Every service names its source.** Each service carries a `bron` attribute per
//!   source document (the offering's own and, when different, that of its contact facts).
//!   Verified entries also get a metadata record that names the source.
//!
//! ## Mapping
//!
//! | catalog | HSDS |
//! |---|---|
//! | `organisatie` (distinct names) | one `organization`: `id`, `name`, `description` ("Organisatie achter: …") |
//! | `id` | `service.id` (UUID from `wegwijzer:service:<id>`) |
//! | `naam`, `beschrijving` | `name`, `description` |
//! | `beschikbaarheid.status` | `status`: `actief`/`wachtlijst` → `active`, `tijdelijk_gesloten` → `temporarily closed` |
//! | `wachtlijst` (+ `wachtweken`) | `alert`, a Dutch sentence on the waiting list |
//! | `contact.website`, `contact.email` | `url`, `email` |
//! | `contact.telefoon` | `phones[].number` |
//! | `doelgroep`, `alleen_minima`, `beschikking_nodig`, `na_andere_hulp`, `taalgebonden` | `eligibility_description` (Dutch) |
//! | `doelgroep.leeftijd_min`, `leeftijd_max` | `minimum_age`, `maximum_age` |
//! | `doelgroep.kind_leeftijd_max` | attribute `kind_leeftijd_max`, taxonomy `wegwijzer kenmerken` (HSDS ages are the person's) |
//! | `volgende_stap` | `application_process` |
//! | `kosten` | `fees_description` (Dutch); `gratis` also a `cost_options` entry with amount 0 |
//! | `talen` | `languages[]`: `code` and, for known codes, the Dutch `name` |
//! | `gemeenten` | `service_areas[]`, one per gemeente, or one named `Nederland` |
//! | `niveau` | attribute, taxonomy `wegwijzer niveau` |
//! | `leefgebieden` | attributes, taxonomy `wegwijzer leefgebieden` (labels from `taxonomie.toml`) |
//! | `toegang` | attributes, taxonomy `wegwijzer toegang` |
//! | `signalen` | attributes, taxonomy `wegwijzer signalen` |
//! | `doelgroepen` | attributes, taxonomy `wegwijzer doelgroepen`; and `eligibility_description` |
//! | `bron`, `contact.bron` | attributes, taxonomy `wegwijzer bronnen` (code = file name, name = title) |
//! | `geverifieerd` | `assured_date`, and a `metadata` record of type `verified` |
//!
//! Metadata records need a date, so entries of a historic data set that were never
//! verified get none; their `bron` attribute still names the source. A verification
//! changes no field, so the record's `field_name`, `previous_value` and
//! `replacement_value` are empty strings.
//!
//! Left out for want of data: `alternate_name`, `contacts` (the catalog names no contact
//! persons), locations and addresses (`contact.adres` is free text and HSDS addresses need
//! structured parts), `schedules`, `program`, `funding`, `required_documents`, an
//! attribute's `link_type` (the open code list has no fixed values), a phone's `type`, and
//! an organization's website, e-mail and phones (the catalog keeps contact facts per
//! offering). The everyday search words (`zoektermen`) are search aids, not facts about a
//! service, and are not exported.

pub mod import;
pub mod model;
pub mod tabular;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::catalog::{time_text, Catalog};
use crate::domain::wording;
use crate::domain::{
    AccessMode, AvailabilityStatus, Cost, Offering, ServiceArea, Signal, NATIONAL,
};
use model::{
    Accessibility, Address, Attribute, CostOption, Language, Location, Metadata, Organization,
    Phone, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm,
};

/// Why an export or import failed.
#[derive(Debug, thiserror::Error)]
pub enum HsdsError {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// JSON could not be encoded or decoded.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The input is not HSDS in a form this importer reads.
    #[error("{0}")]
    Input(String),
}

/// The export as JSON values, one per HSDS object.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// HSDS organizations, sorted by name.
    pub organizations: Vec<Value>,
    /// HSDS services, in catalog (id) order.
    pub services: Vec<Value>,
}

/// The export as typed objects.
pub fn typed(catalog: &Catalog) -> (Vec<Organization>, Vec<Service>) {
    let mut by_organisation: BTreeMap<&str, Vec<&Offering>> = BTreeMap::new();
    for offering in catalog.offerings() {
        by_organisation
            .entry(offering.organisation.as_str())
            .or_default()
            .push(offering);
    }
    let organizations = by_organisation
        .iter()
        .map(|(name, offerings)| organization(name, offerings))
        .collect();
    let services = catalog
        .offerings()
        .iter()
        .map(|o| service(catalog, o))
        .collect();
    (organizations, services)
}

/// Maps the whole catalog onto HSDS 3.0 objects (pure, no IO; deterministic).
pub fn export(catalog: &Catalog) -> Export {
    let (organizations, services) = typed(catalog);
    let value = |v: Result<Value, serde_json::Error>| v.expect("HSDS objects always serialize");
    Export {
        organizations: organizations
            .iter()
            .map(|o| value(serde_json::to_value(o)))
            .collect(),
        services: services
            .iter()
            .map(|s| value(serde_json::to_value(s)))
            .collect(),
    }
}

/// Writes `organizations.json` and `services.json` (JSON arrays, pretty-printed) into `dir`
/// (created if missing) and returns the counts.
pub fn write(export: &Export, dir: &Path) -> Result<(usize, usize), HsdsError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    for (name, values) in [
        ("organizations.json", &export.organizations),
        ("services.json", &export.services),
    ] {
        let path = dir.join(name);
        let mut text = serde_json::to_string_pretty(values)?;
        text.push('\n');
        fs::write(&path, text).map_err(io(&path))?;
    }
    Ok((export.organizations.len(), export.services.len()))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> HsdsError + '_ {
    move |source| HsdsError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A deterministic UUIDv8 (RFC 9562) from the SHA-256 of `key`.
fn uuid(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    uuid::Uuid::new_v8(b).to_string()
}

fn organization_id(name: &str) -> String {
    uuid(&format!("wegwijzer:organization:{name}"))
}

fn service_id(offering_id: &str) -> String {
    uuid(&format!("wegwijzer:service:{offering_id}"))
}

fn organization(name: &str, offerings: &[&Offering]) -> Organization {
    let names: Vec<&str> = offerings.iter().map(|o| o.name.as_str()).collect();
    Organization {
        id: organization_id(name),
        name: name.to_string(),
        description: format!("Organisatie achter: {}.", names.join(", ")),
        ..Organization::default()
    }
}

/// Marks the hours in a phone's description, so an import can tell them apart.
const PHONE_HOURS: &str = " — bereikbaar: ";

fn service(catalog: &Catalog, o: &Offering) -> Service {
    let id = service_id(&o.id);
    let sid = Some(id.clone());
    let contact = o.contact.as_ref();
    let alerts: Vec<String> = o
        .historic
        .as_ref()
        .map(|h| wording::historic(&h.period))
        .into_iter()
        .chain(
            wording::availability(o.availability.status, o.availability.waiting_weeks)
                .filter(|_| o.availability.status == AvailabilityStatus::Wachtlijst),
        )
        .collect();
    let conditions = wording::conditions(&o.eligibility, &o.languages);
    let mut phones = Vec::new();
    if let Some(number) = contact.and_then(|c| c.phone.as_deref()) {
        phones.push(Phone {
            id: uuid(&format!("wegwijzer:phone:{}:{number}", o.id)),
            service_id: sid.clone(),
            number: number.to_string(),
            description: None,
        });
    }
    for p in contact.map(|c| c.phones.as_slice()).unwrap_or_default() {
        let description = match (&p.purpose, &p.hours) {
            (Some(purpose), Some(hours)) => Some(format!("{purpose}{PHONE_HOURS}{hours}")),
            (None, Some(hours)) => Some(format!("{PHONE_HOURS}{hours}").trim_start().to_string()),
            (Some(purpose), None) => Some(purpose.clone()),
            (None, None) => None,
        };
        phones.push(Phone {
            id: uuid(&format!("wegwijzer:phone:{}:{}", o.id, p.number)),
            service_id: sid.clone(),
            number: p.number.clone(),
            description,
        });
    }
    let locations: Vec<ServiceAtLocation> = contact
        .map(|c| c.locations.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|l| location(catalog, o, &id, l))
        .collect();
    let schedules = contact
        .map(|c| c.hours.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, h)| Schedule {
            id: uuid(&format!("wegwijzer:schedule:{}:{i}", o.id)),
            service_id: sid.clone(),
            location_id: h
                .location
                .as_ref()
                .map(|name| uuid(&format!("wegwijzer:location:{}:{name}", o.id))),
            freq: Some("WEEKLY".into()),
            byday: Some(
                h.days
                    .iter()
                    .map(|d| d.ical())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            opens_at: Some(time_text(h.opens)),
            closes_at: Some(time_text(h.closes)),
            description: h.note.clone(),
        })
        .collect();
    Service {
        id: id.clone(),
        organization_id: Some(organization_id(&o.organisation)),
        name: o.name.clone(),
        description: Some(o.description.clone()),
        url: contact.and_then(|c| c.website.clone()),
        email: contact.and_then(|c| c.email.clone()),
        status: status(o.availability.status).to_string(),
        alert: (!alerts.is_empty()).then(|| alerts.join(" ")),
        eligibility_description: (!conditions.is_empty()).then(|| conditions.join(" ")),
        minimum_age: o.eligibility.min_age.map(Into::into),
        maximum_age: o.eligibility.max_age.map(Into::into),
        application_process: Some(o.next_step.clone()),
        fees_description: Some(wording::cost(o.cost).to_string()),
        assured_date: o.verified.map(|d| d.to_string()),
        phones,
        schedules,
        service_areas: service_areas(o, &id),
        service_at_locations: locations,
        languages: languages(o, &id),
        organization: None,
        cost_options: if o.cost == Cost::Gratis {
            vec![CostOption {
                id: uuid(&format!("wegwijzer:cost_option:{}:gratis", o.id)),
                service_id: sid.clone(),
                amount: Some(0.into()),
                amount_description: Some("Gratis".into()),
            }]
        } else {
            Vec::new()
        },
        attributes: attributes(catalog, o, &id),
        metadata: o
            .verified
            .map(|date| Metadata {
                id: uuid(&format!("wegwijzer:metadata:{}:verified:{date}", o.id)),
                resource_id: id.clone(),
                resource_type: "service".into(),
                last_action_date: date.to_string(),
                last_action_type: "verified".into(),
                updated_by: format!("wegwijzer catalogus (bron: {})", o.source),
                ..Metadata::default()
            })
            .into_iter()
            .collect(),
    }
}

fn location(
    catalog: &Catalog,
    o: &Offering,
    service_id: &str,
    l: &crate::domain::Location,
) -> ServiceAtLocation {
    let location_id = uuid(&format!("wegwijzer:location:{}:{}", o.id, l.name));
    let address = match (&l.address, &l.postcode, &l.city, catalog.province()) {
        (Some(street), Some(postcode), Some(city), Some(province)) => vec![Address {
            id: uuid(&format!("wegwijzer:address:{}:{}", o.id, l.name)),
            location_id: Some(location_id.clone()),
            address_1: street.clone(),
            city: city.clone(),
            state_province: province.to_string(),
            postal_code: postcode.clone(),
            country: "NL".into(),
            address_type: "physical".into(),
        }],
        _ => Vec::new(),
    };
    ServiceAtLocation {
        id: uuid(&format!(
            "wegwijzer:service_at_location:{}:{}",
            o.id, l.name
        )),
        service_id: Some(service_id.to_string()),
        location: Some(Location {
            id: location_id.clone(),
            location_type: "physical".into(),
            name: Some(l.name.clone()),
            addresses: address,
            accessibility: l
                .accessibility
                .iter()
                .map(|a| Accessibility {
                    id: uuid(&format!("wegwijzer:accessibility:{}:{}", o.id, l.name)),
                    location_id: Some(location_id.clone()),
                    description: Some(a.clone()),
                })
                .collect(),
        }),
    }
}

fn status(status: AvailabilityStatus) -> &'static str {
    match status {
        AvailabilityStatus::Actief | AvailabilityStatus::Wachtlijst => "active",
        AvailabilityStatus::TijdelijkGesloten => "temporarily closed",
    }
}

fn service_areas(o: &Offering, service_id: &str) -> Vec<model::ServiceArea> {
    let names = match &o.area {
        ServiceArea::National => vec![NATIONAL.to_string()],
        ServiceArea::Gemeenten(list) => list.clone(),
    };
    names
        .iter()
        .map(|name| model::ServiceArea {
            id: uuid(&format!("wegwijzer:service_area:{}:{name}", o.id)),
            service_id: Some(service_id.to_string()),
            name: Some(name.clone()),
        })
        .collect()
}

fn languages(o: &Offering, service_id: &str) -> Vec<Language> {
    o.languages
        .iter()
        .map(|code| Language {
            id: uuid(&format!("wegwijzer:language:{}:{code}", o.id)),
            service_id: Some(service_id.to_string()),
            name: wording::language_name(code).map(str::to_string),
            code: Some(code.clone()),
        })
        .collect()
}

/// A taxonomy the export classifies services by.
pub struct Scheme {
    key: &'static str,
    /// The taxonomy's name in the export.
    pub name: &'static str,
    description: &'static str,
}

const NIVEAU: Scheme = Scheme {
    key: "niveau",
    name: "wegwijzer niveau",
    description: "Het niveau van hulp in de wegwijzer-catalogus, van licht naar zwaar: elkaar \
                  helpen, algemene voorziening, toegang en maatwerk; crisis staat apart.",
};

const LEEFGEBIED: Scheme = Scheme {
    key: "leefgebied",
    name: "wegwijzer leefgebieden",
    description: "De leefgebieden van de wegwijzer-catalogus: de dertien domeinen van de \
                  Zelfredzaamheid-Matrix 2017 plus zes voor het sociaal domein.",
};

const TOEGANG: Scheme = Scheme {
    key: "toegang",
    name: "wegwijzer toegang",
    description: "De manieren waarop iemand een aanbod bereikt.",
};

const SIGNAAL: Scheme = Scheme {
    key: "signaal",
    name: "wegwijzer signalen",
    description: "Veiligheidssignalen waarop een crisisaanbod antwoord geeft.",
};

const DOELGROEP: Scheme = Scheme {
    key: "doelgroep",
    name: "wegwijzer doelgroepen",
    description: "Voor wie een aanbod is (target populations); zonder doelgroep is het voor \
                  iedereen.",
};

const BRON: Scheme = Scheme {
    key: "bron",
    name: "wegwijzer bronnen",
    description: "De brondocumenten waarop de gegevens in de wegwijzer-catalogus steunen.",
};

const KENMERK: Scheme = Scheme {
    key: "kenmerk",
    name: "wegwijzer kenmerken",
    description: "Gegevens uit de wegwijzer-catalogus die HSDS geen eigen veld geeft, zodat een \
                  import ze terugleest: de sleutel van het aanbod, voorwaarden, kosten, \
                  beschikbaarheid en de deur waarlangs het bereikt wordt.",
};

/// The taxonomies of the export, by what their terms mean.
pub const SCHEMES: [(&str, &Scheme); 7] = [
    ("niveau", &NIVEAU),
    ("leefgebied", &LEEFGEBIED),
    ("toegang", &TOEGANG),
    ("signaal", &SIGNAAL),
    ("doelgroep", &DOELGROEP),
    ("bron", &BRON),
    ("kenmerk", &KENMERK),
];

/// One taxonomy term a service is linked to.
struct Term<'a> {
    code: &'a str,
    name: &'a str,
    description: &'a str,
    value: Option<String>,
}

fn attribute(scheme: &Scheme, term: Term<'_>, offering_id: &str, service_id: &str) -> Attribute {
    let taxonomy_id = uuid(&format!("wegwijzer:taxonomy:{}", scheme.key));
    let term_id = uuid(&format!(
        "wegwijzer:taxonomy_term:{}:{}",
        scheme.key, term.code
    ));
    Attribute {
        id: uuid(&format!(
            "wegwijzer:attribute:service:{offering_id}:{}:{}",
            scheme.key, term.code
        )),
        link_id: Some(service_id.to_string()),
        link_entity: Some("service".into()),
        taxonomy_term_id: Some(term_id.clone()),
        value: term.value,
        taxonomy_term: Some(TaxonomyTerm {
            id: term_id,
            code: Some(term.code.to_string()),
            name: term.name.to_string(),
            description: term.description.to_string(),
            taxonomy: Some(scheme.name.to_string()),
            taxonomy_id: Some(taxonomy_id.clone()),
            taxonomy_detail: Some(Taxonomy {
                id: taxonomy_id,
                name: scheme.name.to_string(),
                description: scheme.description.to_string(),
            }),
            language: Some("nl".into()),
        }),
    }
}

fn access_term(mode: AccessMode) -> (&'static str, &'static str) {
    match mode {
        AccessMode::Inloop => ("Inloop", "Binnenlopen zonder afspraak."),
        AccessMode::Telefoon => ("Telefoon", "Bereikbaar per telefoon."),
        AccessMode::Huisbezoek => ("Huisbezoek", "De hulp komt bij de persoon thuis."),
        AccessMode::Online => ("Online", "Bereikbaar via internet."),
        AccessMode::ViaVerwijzing => ("Via verwijzing", "Alleen bereikbaar na een verwijzing."),
    }
}

fn signal_term(signal: Signal) -> (&'static str, &'static str) {
    match signal {
        Signal::AcuutGevaar => (
            "Acuut gevaar",
            "Iemands leven of veiligheid is nu in gevaar.",
        ),
        Signal::HuiselijkGeweld => (
            "Huiselijk geweld",
            "Geweld of dreiging in huiselijke kring.",
        ),
        Signal::Suicidaal => ("Suïcidaal", "Gedachten aan zelfdoding."),
        Signal::Kindermishandeling => (
            "Kindermishandeling",
            "Zorgen om de veiligheid van een kind.",
        ),
        Signal::Dakloos => ("Dakloos", "Geen plek om te slapen."),
    }
}

/// The terms of the `wegwijzer kenmerken` taxonomy.
pub mod kenmerk {
    /// The offering's id in the catalog.
    pub const SLEUTEL: &str = "sleutel";
    /// What it costs (value: the catalog's key).
    pub const KOSTEN: &str = "kosten";
    /// Only for people with a low income.
    pub const ALLEEN_MINIMA: &str = "alleen_minima";
    /// A beschikking is needed.
    pub const BESCHIKKING_NODIG: &str = "beschikking_nodig";
    /// Meant for when the usual help does not fit or is not enough.
    pub const NA_ANDERE_HULP: &str = "na_andere_hulp";
    /// The person must speak one of the languages.
    pub const TAALGEBONDEN: &str = "taalgebonden";
    /// The households served (value: a household key).
    pub const HUISHOUDEN: &str = "huishouden";
    /// The oldest a child it helps may be (value: years).
    pub const KIND_LEEFTIJD_MAX: &str = "kind_leeftijd_max";
    /// Other conditions (value: the catalog's words).
    pub const VOORWAARDEN: &str = "voorwaarden";
    /// A waiting list (value: weeks, or empty).
    pub const WACHTLIJST: &str = "wachtlijst";
    /// The organisation's note on availability (value).
    pub const NOTITIE: &str = "notitie";
    /// The date the availability holds from (value).
    pub const PER: &str = "per";
    /// A historic arrangement (value: the period).
    pub const HISTORISCH: &str = "historisch";
    /// The source says it has ended.
    pub const BEEINDIGD: &str = "beeindigd";
    /// The door it is reached through (value: that offering's id).
    pub const VIA: &str = "via";
    /// A wijk of a location (value: `location name|wijk`).
    pub const WIJK: &str = "wijk";
    /// Prefix of a fact's source reference (`bewijs_kosten`; value: `file|line|word`).
    pub const BEWIJS: &str = "bewijs_";
}

fn kenmerk(code: &str, value: Option<String>, o: &Offering, sid: &str) -> Attribute {
    attribute(
        &KENMERK,
        Term {
            code,
            name: code,
            description: "Een gegeven uit de wegwijzer-catalogus.",
            value,
        },
        &o.id,
        sid,
    )
}

fn attributes(catalog: &Catalog, o: &Offering, service_id: &str) -> Vec<Attribute> {
    let mut out = Vec::new();
    let sid = service_id;
    out.push(attribute(
        &NIVEAU,
        Term {
            code: o.tier.key(),
            name: wording::tier_name(o.tier),
            description: o.tier.label(),
            value: None,
        },
        &o.id,
        sid,
    ));
    let taxonomy = catalog.taxonomy();
    for l in &o.leefgebieden {
        let label = taxonomy.label(*l);
        let description = taxonomy
            .info(*l)
            .map(|d| d.description.as_str())
            .filter(|d| !d.is_empty())
            .unwrap_or(label);
        out.push(attribute(
            &LEEFGEBIED,
            Term {
                code: l.key(),
                name: label,
                description,
                value: None,
            },
            &o.id,
            sid,
        ));
    }
    for mode in &o.access {
        let (name, description) = access_term(*mode);
        let term = Term {
            code: mode.key(),
            name,
            description,
            value: None,
        };
        out.push(attribute(&TOEGANG, term, &o.id, sid));
    }
    for signal in &o.signals {
        let (name, description) = signal_term(*signal);
        let term = Term {
            code: signal.key(),
            name,
            description,
            value: None,
        };
        out.push(attribute(&SIGNAAL, term, &o.id, sid));
    }
    for group in &o.eligibility.groups {
        let term = Term {
            code: group.key(),
            name: wording::doelgroep_label(*group),
            description: "Een doelgroep van de wegwijzer-catalogus.",
            value: None,
        };
        out.push(attribute(&DOELGROEP, term, &o.id, sid));
    }
    // One attribute per source document, saying which facts it backs.
    let contact_source = o.contact.as_ref().map(|c| c.source.as_str());
    let mut sources: Vec<(&str, &str)> = Vec::new();
    if contact_source == Some(o.source.as_str()) {
        sources.push((o.source.as_str(), "aanbod en contactgegevens"));
    } else {
        sources.push((o.source.as_str(), "aanbod"));
        if let Some(file) = contact_source {
            sources.push((file, "contactgegevens"));
        }
    }
    for (file, backs) in sources {
        let title = catalog
            .sources()
            .iter()
            .find(|s| s.file == file)
            .map(|s| s.title.as_str())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(file);
        let term = Term {
            code: file,
            name: title,
            description: title,
            value: Some(backs.to_string()),
        };
        out.push(attribute(&BRON, term, &o.id, sid));
    }
    // The catalog's facts that HSDS has no field of its own for.
    let e = &o.eligibility;
    let a = &o.availability;
    out.push(kenmerk(kenmerk::SLEUTEL, Some(o.id.clone()), o, sid));
    out.push(kenmerk(
        kenmerk::KOSTEN,
        Some(o.cost.key().to_string()),
        o,
        sid,
    ));
    for (code, set) in [
        (kenmerk::ALLEEN_MINIMA, e.minima_only),
        (kenmerk::BESCHIKKING_NODIG, e.needs_indication),
        (kenmerk::NA_ANDERE_HULP, e.after_other_help),
        (kenmerk::TAALGEBONDEN, e.language_bound),
    ] {
        if set {
            out.push(kenmerk(code, None, o, sid));
        }
    }
    if !e.households.is_empty() {
        let keys: Vec<&str> = e.households.iter().map(|h| h.key()).collect();
        out.push(kenmerk(kenmerk::HUISHOUDEN, Some(keys.join(",")), o, sid));
    }
    if let Some(max) = e.child_max_age {
        out.push(kenmerk(
            kenmerk::KIND_LEEFTIJD_MAX,
            Some(max.to_string()),
            o,
            sid,
        ));
    }
    if !e.conditions.trim().is_empty() {
        out.push(kenmerk(
            kenmerk::VOORWAARDEN,
            Some(e.conditions.clone()),
            o,
            sid,
        ));
    }
    if a.status == AvailabilityStatus::Wachtlijst {
        let weeks = a.waiting_weeks.map(|w| w.to_string());
        out.push(kenmerk(kenmerk::WACHTLIJST, weeks, o, sid));
    }
    if let Some(note) = &a.note {
        out.push(kenmerk(kenmerk::NOTITIE, Some(note.clone()), o, sid));
    }
    if let Some(since) = a.since {
        out.push(kenmerk(kenmerk::PER, Some(since.to_string()), o, sid));
    }
    if let Some(h) = &o.historic {
        out.push(kenmerk(kenmerk::HISTORISCH, Some(h.period.clone()), o, sid));
        if h.ended {
            out.push(kenmerk(kenmerk::BEEINDIGD, None, o, sid));
        }
    }
    if let Some(via) = &o.via {
        out.push(kenmerk(kenmerk::VIA, Some(via.clone()), o, sid));
    }
    let wijken: Vec<String> = o
        .contact
        .iter()
        .flat_map(|c| &c.locations)
        .filter_map(|l| l.wijk.as_ref().map(|w| format!("{}|{w}", l.name)))
        .collect();
    if !wijken.is_empty() {
        out.push(kenmerk(kenmerk::WIJK, Some(wijken.join(";")), o, sid));
    }
    let historic = o.historic.as_ref().and_then(|h| h.evidence.as_ref());
    for e in o.evidence.iter().chain(historic) {
        let code = format!("{}{}", kenmerk::BEWIJS, e.fact.key());
        let value = format!(
            "{}|{}|{}",
            e.file.as_deref().unwrap_or_default(),
            e.line.map(|l| l.to_string()).unwrap_or_default(),
            e.word
        );
        out.push(kenmerk(&code, Some(value), o, sid));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const REGION: &str = r#"
naam = "Testregio"
gemeenten = ["Dordrecht", "Zwijndrecht"]

[[bron]]
bestand = "bron.txt"
titel = "Een bron"

[[bron]]
bestand = "nummers.txt"
titel = "Landelijke nummers"
"#;

    const OFFERINGS: &str = r#"[[aanbod]]
id = "maatjes"
naam = "Maatjes"
organisatie = "Stichting Samen"
niveau = "elkaar_helpen"
leefgebieden = ["sociaal_netwerk", "mantelzorg"]
beschrijving = "Een vrijwilliger komt langs."
zoektermen = ["eenzaam"]
volgende_stap = "Bel de coördinator."
gemeenten = ["Drechtsteden"]
toegang = ["huisbezoek"]
kosten = "gratis"
talen = ["nl", "tr"]
bron = "bron.txt"
geverifieerd = 2026-11-23

[aanbod.doelgroep]
leeftijd_min = 65
huishoudens = ["alleenstaand"]

[aanbod.beschikbaarheid]
status = "wachtlijst"
wachtweken = 6

[[aanbod]]
id = "klussen"
naam = "Klusdienst"
organisatie = "Stichting Samen"
niveau = "algemene_voorziening"
leefgebieden = ["huisvesting"]
beschrijving = "Kleine klussen in huis."
zoektermen = ["klus"]
volgende_stap = "Meld je aan."
gemeenten = ["Dordrecht"]
toegang = ["telefoon", "online"]
kosten = "eigen_bijdrage"
alleen_minima = true
bron = "bron.txt"
geverifieerd = 2026-10-01

[aanbod.beschikbaarheid]
status = "tijdelijk_gesloten"

[[aanbod]]
id = "lijn"
naam = "Lijn"
organisatie = "Landelijk"
niveau = "crisis"
leefgebieden = ["veiligheid"]
beschrijving = "Altijd bereikbaar."
zoektermen = ["gevaar"]
volgende_stap = "Bel."
gemeenten = ["Nederland"]
toegang = ["telefoon"]
kosten = "gratis"
signalen = ["acuut_gevaar"]
bron = "bron.txt"
geverifieerd = 2026-11-23

[aanbod.doelgroep]
leeftijd_min = 0
leeftijd_max = 120

[aanbod.contact]
telefoon = "112"
website = "https://www.example.nl/lijn"
bron = "nummers.txt"
"#;

    fn load(region: &str, offerings: &str) -> Catalog {
        let dir = crate::catalog::fixture::catalog_dir(region, &[("a.toml", offerings)]);
        Catalog::load(dir.path()).unwrap()
    }

    fn catalog() -> Catalog {
        load(REGION, OFFERINGS)
    }

    fn service<'a>(e: &'a Export, name: &str) -> &'a Value {
        e.services.iter().find(|s| s["name"] == name).unwrap()
    }

    fn is_uuid_v8(s: &str) -> bool {
        let b = s.as_bytes();
        s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
            })
            && b[14] == b'8'
            && matches!(b[19], b'8' | b'9' | b'a' | b'b')
    }

    /// Every string under an `id` or `*_id` key, with its path.
    fn ids(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = format!("{path}/{k}");
                    if (k == "id" || k.ends_with("_id")) && x.is_string() {
                        out.push((p.clone(), x.as_str().unwrap().to_string()));
                    }
                    ids(x, &p, out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    ids(x, &format!("{path}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    fn attrs<'a>(s: &'a Value, taxonomy: &str) -> Vec<&'a Value> {
        s["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["taxonomy_term"]["taxonomy"] == taxonomy)
            .collect()
    }

    #[test]
    fn uuids_are_deterministic_v8() {
        assert_eq!(uuid("wegwijzer:service:x"), uuid("wegwijzer:service:x"));
        assert_ne!(uuid("wegwijzer:service:x"), uuid("wegwijzer:service:y"));
        assert!(is_uuid_v8(&uuid("wegwijzer:service:x")));
        let c = catalog();
        let e = export(&c);
        assert_eq!(e, export(&c), "the export is deterministic");
        assert_eq!(e, export(&catalog()), "and stable across loads");
        let mut all = Vec::new();
        for v in e.services.iter().chain(&e.organizations) {
            ids(v, "", &mut all);
        }
        assert!(all.len() > 20);
        for (path, id) in &all {
            assert!(is_uuid_v8(id), "{path}: {id}");
        }
        assert_eq!(
            service(&e, "Maatjes")["id"],
            uuid("wegwijzer:service:maatjes")
        );
    }

    #[test]
    fn one_organization_per_name() {
        let e = export(&catalog());
        let names: Vec<&str> = e
            .organizations
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["Landelijk", "Stichting Samen"]);
        let samen = &e.organizations[1];
        assert_eq!(samen["id"], uuid("wegwijzer:organization:Stichting Samen"));
        assert_eq!(
            samen["description"],
            "Organisatie achter: Klusdienst, Maatjes."
        );
        for name in ["Maatjes", "Klusdienst"] {
            assert_eq!(service(&e, name)["organization_id"], samen["id"]);
        }
        assert_eq!(
            service(&e, "Lijn")["organization_id"],
            e.organizations[0]["id"]
        );
    }

    #[test]
    fn tier_and_leefgebied_attributes() {
        let e = export(&catalog());
        let maatjes = service(&e, "Maatjes");
        let tier = attrs(maatjes, "wegwijzer niveau");
        assert_eq!(tier.len(), 1);
        assert_eq!(tier[0]["taxonomy_term"]["code"], "elkaar_helpen");
        assert_eq!(tier[0]["taxonomy_term"]["name"], "Elkaar helpen");
        assert_eq!(tier[0]["link_id"], maatjes["id"]);
        assert_eq!(tier[0]["link_entity"], "service");
        assert_eq!(tier[0]["taxonomy_term_id"], tier[0]["taxonomy_term"]["id"]);
        let domains: Vec<(&str, &str, &str)> = attrs(maatjes, "wegwijzer leefgebieden")
            .iter()
            .map(|a| {
                let t = &a["taxonomy_term"];
                (
                    t["code"].as_str().unwrap(),
                    t["name"].as_str().unwrap(),
                    t["description"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            domains,
            vec![
                (
                    "sociaal_netwerk",
                    "Label sociaal_netwerk",
                    "Over sociaal_netwerk."
                ),
                ("mantelzorg", "Label mantelzorg", "Over mantelzorg."),
            ]
        );
        // The same term has the same id wherever it is used.
        let lijn = service(&e, "Lijn");
        assert_eq!(
            attrs(lijn, "wegwijzer niveau")[0]["taxonomy_term"]["code"],
            "crisis"
        );
        assert_eq!(
            attrs(lijn, "wegwijzer signalen")[0]["taxonomy_term"]["code"],
            "acuut_gevaar"
        );
        let tel = |s: &Value| {
            attrs(s, "wegwijzer toegang")
                .iter()
                .find(|a| a["taxonomy_term"]["code"] == "telefoon")
                .map(|a| a["taxonomy_term_id"].clone())
        };
        assert_eq!(tel(lijn), tel(service(&e, "Klusdienst")));
        assert!(tel(lijn).is_some());
    }

    #[test]
    fn every_service_names_its_source() {
        let e = export(&catalog());
        let bron = |name: &str| -> Vec<(String, String, String)> {
            attrs(service(&e, name), "wegwijzer bronnen")
                .iter()
                .map(|a| {
                    (
                        a["taxonomy_term"]["code"].as_str().unwrap().to_string(),
                        a["taxonomy_term"]["name"].as_str().unwrap().to_string(),
                        a["value"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        };
        let own = |file: &str, title: &str, backs: &str| {
            (file.to_string(), title.to_string(), backs.to_string())
        };
        assert_eq!(bron("Maatjes"), vec![own("bron.txt", "Een bron", "aanbod")]);
        assert_eq!(
            bron("Lijn"),
            vec![
                own("bron.txt", "Een bron", "aanbod"),
                own("nummers.txt", "Landelijke nummers", "contactgegevens")
            ]
        );
        let meta = &service(&e, "Klusdienst")["metadata"][0];
        assert_eq!(meta["last_action_type"], "verified");
        assert_eq!(meta["last_action_date"], "2026-10-01");
        assert_eq!(meta["updated_by"], "wegwijzer catalogus (bron: bron.txt)");
        assert_eq!(service(&e, "Klusdienst")["assured_date"], "2026-10-01");
    }

    #[test]
    fn ages_status_fees_and_eligibility() {
        let e = export(&catalog());
        let maatjes = service(&e, "Maatjes");
        assert_eq!(maatjes["minimum_age"], 65);
        assert!(maatjes.get("maximum_age").is_none());
        assert_eq!(maatjes["status"], "active");
        assert_eq!(
            maatjes["alert"],
            "Let op: er is een wachtlijst van ongeveer 6 weken."
        );
        assert_eq!(
            maatjes["eligibility_description"],
            "Voor mensen vanaf 65 jaar. Voor alleenstaanden."
        );
        assert_eq!(maatjes["cost_options"][0]["amount"], 0);
        assert_eq!(maatjes["application_process"], "Bel de coördinator.");
        let lijn = service(&e, "Lijn");
        assert_eq!(
            (&lijn["minimum_age"], &lijn["maximum_age"]),
            (&json!(0), &json!(120))
        );
        let klus = service(&e, "Klusdienst");
        assert_eq!(klus["status"], "temporarily closed");
        assert!(klus.get("minimum_age").is_none() && klus.get("maximum_age").is_none());
        assert!(klus.get("cost_options").is_none(), "no amount is known");
        assert_eq!(klus["fees_description"], "Er is een eigen bijdrage.");
        assert_eq!(klus["eligibility_description"], wording::MINIMA_ONLY);
        let langs: Vec<(&Value, &Value)> = maatjes["languages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (&l["code"], &l["name"]))
            .collect();
        assert_eq!(
            langs,
            vec![
                (&json!("nl"), &json!("Nederlands")),
                (&json!("tr"), &json!("Turks"))
            ]
        );
    }

    #[test]
    fn contact_fields_only_when_present() {
        let e = export(&catalog());
        let lijn = service(&e, "Lijn");
        let phones = lijn["phones"].as_array().unwrap();
        assert_eq!(phones.len(), 1);
        assert_eq!(phones[0]["number"], "112");
        assert_eq!(phones[0]["service_id"], lijn["id"]);
        assert_eq!(lijn["url"], "https://www.example.nl/lijn");
        assert!(lijn.get("email").is_none());
        for name in ["Maatjes", "Klusdienst"] {
            let s = service(&e, name);
            for field in ["phones", "url", "email", "contacts"] {
                assert!(s.get(field).is_none(), "{name}: {field}");
            }
        }
    }

    #[test]
    fn service_areas_per_gemeente_or_national() {
        let e = export(&catalog());
        let names = |s: &Value| -> Vec<String> {
            s["service_areas"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            names(service(&e, "Maatjes")),
            vec!["Dordrecht", "Zwijndrecht"]
        );
        assert_eq!(names(service(&e, "Lijn")), vec!["Nederland"]);
        assert!(service(&e, "Lijn")["service_areas"][0]
            .get("extent_type")
            .is_none());
    }

    #[test]
    fn unverified_historic_entries_have_no_metadata() {
        let region = format!("historisch = true\n{REGION}");
        let offerings = OFFERINGS.replace("geverifieerd = 2026-11-23\n", "");
        let e = export(&load(&region, &offerings));
        let maatjes = service(&e, "Maatjes");
        assert!(maatjes.get("metadata").is_none());
        assert!(maatjes.get("assured_date").is_none());
        assert_eq!(attrs(maatjes, "wegwijzer bronnen").len(), 1);
        assert!(service(&e, "Klusdienst").get("metadata").is_some());
    }

    #[test]
    fn write_creates_both_files() {
        let e = export(&catalog());
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nieuw").join("hsds");
        assert_eq!(write(&e, &out).unwrap(), (2, 3));
        let read = |name: &str| -> Vec<Value> {
            serde_json::from_str(&fs::read_to_string(out.join(name)).unwrap()).unwrap()
        };
        assert_eq!(read("organizations.json"), e.organizations);
        assert_eq!(read("services.json"), e.services);
        let blocked = dir.path().join("bestand");
        fs::write(&blocked, "x").unwrap();
        assert!(matches!(write(&e, &blocked), Err(HsdsError::Io { .. })));
    }
}

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
//! | `doelgroep`, `alleen_minima`, `beschikking_nodig`, `taalgebonden` | `eligibility_description` (Dutch) |
//! | `doelgroep.leeftijd_min`, `leeftijd_max` | `minimum_age`, `maximum_age` |
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

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::domain::wording;
use crate::domain::{
    AccessMode, AvailabilityStatus, Cost, Offering, ServiceArea, Signal, NATIONAL,
};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum HsdsError {
    /// A file or folder could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The export could not be encoded.
    #[error("cannot encode json: {0}")]
    Json(#[from] serde_json::Error),
}

/// The export as JSON values, one per HSDS object.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// HSDS organizations, sorted by name.
    pub organizations: Vec<Value>,
    /// HSDS services, in catalog (id) order.
    pub services: Vec<Value>,
}

/// Maps the whole catalog onto HSDS 3.0 objects (pure, no IO; deterministic).
pub fn export(catalog: &Catalog) -> Export {
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
    Export {
        organizations,
        services,
    }
}

/// Writes `organizations.json` and `services.json` (JSON arrays, pretty-printed) into `dir`
/// (created if missing) and returns the counts.
pub fn write(export: &Export, dir: &Path) -> Result<(usize, usize), HsdsError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| HsdsError::Io { path, source }
    };
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

fn service_id(offering: &Offering) -> String {
    uuid(&format!("wegwijzer:service:{}", offering.id))
}

fn organization(name: &str, offerings: &[&Offering]) -> Value {
    let names: Vec<&str> = offerings.iter().map(|o| o.name.as_str()).collect();
    json!({
        "id": organization_id(name),
        "name": name,
        "description": format!("Organisatie achter: {}.", names.join(", ")),
    })
}

fn service(catalog: &Catalog, o: &Offering) -> Value {
    let id = service_id(o);
    let contact = o.contact.as_ref();
    let mut s = Map::new();
    s.insert("id".into(), json!(id));
    s.insert(
        "organization_id".into(),
        json!(organization_id(&o.organisation)),
    );
    s.insert("name".into(), json!(o.name));
    s.insert("description".into(), json!(o.description));
    if let Some(url) = contact.and_then(|c| c.website.as_deref()) {
        s.insert("url".into(), json!(url));
    }
    if let Some(email) = contact.and_then(|c| c.email.as_deref()) {
        s.insert("email".into(), json!(email));
    }
    s.insert("status".into(), json!(status(o.availability.status)));
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
    if !alerts.is_empty() {
        s.insert("alert".into(), json!(alerts.join(" ")));
    }
    let conditions = wording::conditions(&o.eligibility, &o.languages);
    if let Some(text) = (!conditions.is_empty()).then(|| conditions.join(" ")) {
        s.insert("eligibility_description".into(), json!(text));
    }
    if let Some(min) = o.eligibility.min_age {
        s.insert("minimum_age".into(), json!(min));
    }
    if let Some(max) = o.eligibility.max_age {
        s.insert("maximum_age".into(), json!(max));
    }
    s.insert("application_process".into(), json!(o.next_step));
    s.insert("fees_description".into(), json!(wording::cost(o.cost)));
    if let Some(date) = &o.verified {
        s.insert("assured_date".into(), json!(date));
    }
    if let Some(number) = contact.and_then(|c| c.phone.as_deref()) {
        s.insert(
            "phones".into(),
            json!([{
                "id": uuid(&format!("wegwijzer:phone:{}:{number}", o.id)),
                "service_id": id,
                "number": number,
            }]),
        );
    }
    s.insert("service_areas".into(), service_areas(o, &id));
    s.insert("languages".into(), languages(o, &id));
    if o.cost == Cost::Gratis {
        s.insert(
            "cost_options".into(),
            json!([{
                "id": uuid(&format!("wegwijzer:cost_option:{}:gratis", o.id)),
                "service_id": id,
                "amount": 0,
                "amount_description": "Gratis",
            }]),
        );
    }
    s.insert(
        "attributes".into(),
        Value::Array(attributes(catalog, o, &id)),
    );
    if let Some(date) = &o.verified {
        s.insert(
            "metadata".into(),
            json!([{
                "id": uuid(&format!("wegwijzer:metadata:{}:verified:{date}", o.id)),
                "resource_id": id,
                "resource_type": "service",
                "last_action_date": date,
                "last_action_type": "verified",
                "field_name": "",
                "previous_value": "",
                "replacement_value": "",
                "updated_by": format!("wegwijzer catalogus (bron: {})", o.source),
            }]),
        );
    }
    Value::Object(s)
}

fn status(status: AvailabilityStatus) -> &'static str {
    match status {
        AvailabilityStatus::Actief | AvailabilityStatus::Wachtlijst => "active",
        AvailabilityStatus::TijdelijkGesloten => "temporarily closed",
    }
}

fn service_areas(o: &Offering, service_id: &str) -> Value {
    let names = match &o.area {
        ServiceArea::National => vec![NATIONAL.to_string()],
        ServiceArea::Gemeenten(list) => list.clone(),
    };
    names
        .iter()
        .map(|name| {
            json!({
                "id": uuid(&format!("wegwijzer:service_area:{}:{name}", o.id)),
                "service_id": service_id,
                "name": name,
            })
        })
        .collect()
}

fn languages(o: &Offering, service_id: &str) -> Value {
    o.languages
        .iter()
        .map(|code| {
            let mut l = Map::new();
            l.insert(
                "id".into(),
                json!(uuid(&format!("wegwijzer:language:{}:{code}", o.id))),
            );
            l.insert("service_id".into(), json!(service_id));
            if let Some(name) = wording::language_name(code) {
                l.insert("name".into(), json!(name));
            }
            l.insert("code".into(), json!(code));
            Value::Object(l)
        })
        .collect()
}

/// A taxonomy the export classifies services by.
struct Scheme {
    key: &'static str,
    name: &'static str,
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

/// One taxonomy term a service is linked to.
struct Term<'a> {
    code: &'a str,
    name: &'a str,
    description: &'a str,
    value: Option<&'a str>,
}

fn attribute(scheme: &Scheme, term: Term<'_>, offering_id: &str, service_id: &str) -> Value {
    let taxonomy_id = uuid(&format!("wegwijzer:taxonomy:{}", scheme.key));
    let term_id = uuid(&format!(
        "wegwijzer:taxonomy_term:{}:{}",
        scheme.key, term.code
    ));
    let mut a = Map::new();
    a.insert(
        "id".into(),
        json!(uuid(&format!(
            "wegwijzer:attribute:service:{offering_id}:{}:{}",
            scheme.key, term.code
        ))),
    );
    a.insert("link_id".into(), json!(service_id));
    a.insert("link_entity".into(), json!("service"));
    a.insert("taxonomy_term_id".into(), json!(term_id));
    if let Some(value) = term.value {
        a.insert("value".into(), json!(value));
    }
    a.insert(
        "taxonomy_term".into(),
        json!({
            "id": term_id,
            "code": term.code,
            "name": term.name,
            "description": term.description,
            "taxonomy": scheme.name,
            "taxonomy_id": taxonomy_id,
            "taxonomy_detail": {
                "id": taxonomy_id,
                "name": scheme.name,
                "description": scheme.description,
            },
            "language": "nl",
        }),
    );
    Value::Object(a)
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

fn attributes(catalog: &Catalog, o: &Offering, service_id: &str) -> Vec<Value> {
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
            value: Some(backs),
        };
        out.push(attribute(&BRON, term, &o.id, sid));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

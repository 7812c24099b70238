//! Import of Open Referral HSDS 3.0 data into a catalog folder.
//!
//! Reads compiled services (a JSON array in `services.json`, optionally with
//! `organizations.json`) or the tabular CSV form ([`super::tabular`]), and writes a
//! catalog folder that `serve` loads: `catalogus.toml`, `taxonomie.toml` (copied), and
//! `aanbod/import.toml`, plus `import-rapport.txt` listing everything that could not be
//! mapped. Nothing is invented: a fact HSDS does not carry is left out; where the catalog
//! format needs a field HSDS lacks, the service is left out and the report says why,
//! except the next step, which becomes a plain "contact them" sentence (reported).
//!
//! Tiers, leefgebieden, access modes, signals and doelgroepen come from taxonomy terms,
//! through a mapping the user can edit ([`Mapping`]); wegwijzer's own export maps onto
//! itself without one, so export → import → export is the identity.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::model::{Organization, Service};
use super::{io, kenmerk, HsdsError, SCHEMES};
use crate::catalog::{entry_toml, parse_time, valid_email, valid_phone, valid_postcode, valid_url};
use crate::domain::rules::{self, MAX_DESCRIPTION_CHARS};
use crate::domain::{
    AccessMode, Availability, AvailabilityStatus, Contact, Cost, Doelgroep, Eligibility, Evidence,
    Fact, Historic, Hours, Household, Leefgebied, Location, Offering, Phone, ServiceArea, Signal,
    Tier, Weekday, NATIONAL,
};

/// What a taxonomy's terms mean, and how their codes map onto catalog keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// One entry per taxonomy.
    #[serde(default)]
    pub taxonomie: Vec<TaxonomyMapping>,
}

/// One taxonomy of the input.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyMapping {
    /// The taxonomy's name as in the data (`taxonomy_term.taxonomy` or the taxonomy's
    /// name).
    pub naam: String,
    /// What its terms are: `niveau`, `leefgebied`, `toegang`, `signaal` or `doelgroep`.
    pub betekenis: String,
    /// Term code (or name) → catalog key; a code not listed is taken as the key itself.
    #[serde(default)]
    pub termen: BTreeMap<String, String>,
}

impl Mapping {
    /// Reads a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, HsdsError> {
        let text = fs::read_to_string(path).map_err(io(path))?;
        let mapping: Mapping = toml::from_str(&text)
            .map_err(|e| HsdsError::Input(format!("{}: {e}", path.display())))?;
        for t in &mapping.taxonomie {
            if !MEANINGS.contains(&t.betekenis.as_str()) {
                return Err(HsdsError::Input(format!(
                    "{}: taxonomy '{}': unknown betekenis '{}' (known: {})",
                    path.display(),
                    t.naam,
                    t.betekenis,
                    MEANINGS.join(", ")
                )));
            }
        }
        Ok(mapping)
    }

    /// The meaning and catalog key of a term, if the mapping (or wegwijzer's own export
    /// taxonomies) knows its taxonomy.
    fn key(&self, taxonomy: &str, code: &str) -> Option<(&str, String)> {
        if let Some(t) = self.taxonomie.iter().find(|t| t.naam == taxonomy) {
            let key = t
                .termen
                .get(code)
                .cloned()
                .unwrap_or_else(|| code.to_string());
            return Some((t.betekenis.as_str(), key));
        }
        SCHEMES
            .iter()
            .find(|(_, s)| s.name == taxonomy)
            .map(|(meaning, _)| (*meaning, code.to_string()))
    }
}

const MEANINGS: [&str; 5] = ["niveau", "leefgebied", "toegang", "signaal", "doelgroep"];

/// What an import produced.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The offerings, in input order.
    pub offerings: Vec<Offering>,
    /// The gemeenten they serve, sorted.
    pub gemeenten: Vec<String>,
    /// Source documents: (file, title).
    pub sources: Vec<(String, String)>,
    /// The province of their addresses, when one is given.
    pub province: Option<String>,
    /// Everything that could not be mapped, one line each.
    pub report: Vec<String>,
}

/// Reads the HSDS data in `dir`: `services.json` (compiled services) if present, else
/// the tabular CSV files.
pub fn read(dir: &Path) -> Result<(Vec<Value>, Vec<Organization>, String), HsdsError> {
    let json = dir.join("services.json");
    if json.exists() {
        let text = fs::read_to_string(&json).map_err(io(&json))?;
        let services: Vec<Value> = match serde_json::from_str(&text)? {
            Value::Array(list) => list,
            Value::Object(page) => match page.get("contents") {
                Some(Value::Array(list)) => list.clone(),
                _ => {
                    return Err(HsdsError::Input(format!(
                        "{}: expected a JSON array of services or a page with `contents`",
                        json.display()
                    )))
                }
            },
            _ => {
                return Err(HsdsError::Input(format!(
                    "{}: expected a JSON array of services",
                    json.display()
                )))
            }
        };
        let orgs_path = dir.join("organizations.json");
        let organizations = if orgs_path.exists() {
            let text = fs::read_to_string(&orgs_path).map_err(io(&orgs_path))?;
            serde_json::from_str(&text)?
        } else {
            Vec::new()
        };
        return Ok((services, organizations, "services.json".to_string()));
    }
    if dir.join("services.csv").exists() {
        let (services, organizations) = super::tabular::read(dir)?;
        return Ok((services, organizations, "services.csv".to_string()));
    }
    Err(HsdsError::Input(format!(
        "{}: no services.json and no services.csv",
        dir.display()
    )))
}

/// The service fields this importer reads; any other field present is reported.
const READ_FIELDS: &[&str] = &[
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "alert",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "application_process",
    "fees_description",
    "assured_date",
    "phones",
    "schedules",
    "service_areas",
    "service_at_locations",
    "languages",
    "organization",
    "cost_options",
    "attributes",
    "metadata",
];

/// Maps HSDS services onto offerings. `source` names the input file; it becomes the
/// source document of every fact that is not attributed to another one.
pub fn import(
    raw: &[Value],
    organizations: &[Organization],
    source: &str,
    mapping: &Mapping,
) -> Result<Imported, HsdsError> {
    let mut out = Imported::default();
    let orgs: HashMap<&str, &Organization> =
        organizations.iter().map(|o| (o.id.as_str(), o)).collect();
    let mut used_ids = BTreeSet::new();
    let mut gemeenten = BTreeSet::new();
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    let mut vias = Vec::new();
    for (i, value) in raw.iter().enumerate() {
        let label = value.get("name").and_then(Value::as_str).map_or_else(
            || format!("service #{}", i + 1),
            |n| format!("service '{n}'"),
        );
        if let Value::Object(map) = value {
            let unread: Vec<&str> = map
                .iter()
                .filter(|(k, v)| !READ_FIELDS.contains(&k.as_str()) && !is_empty(v))
                .map(|(k, _)| k.as_str())
                .collect();
            if !unread.is_empty() {
                out.report.push(format!(
                    "{label}: not mapped (no place in the catalog): {}",
                    unread.join(", ")
                ));
            }
        }
        let service: Service = match serde_json::from_value(value.clone()) {
            Ok(s) => s,
            Err(e) => {
                out.report.push(format!(
                    "{label}: left out, not a service in HSDS 3.0 form: {e}"
                ));
                continue;
            }
        };
        match offering(&service, &orgs, source, mapping, &mut out.report) {
            Some((mut o, facts)) => {
                let base = o.id.clone();
                let mut n = 2;
                while !used_ids.insert(o.id.clone()) {
                    o.id = format!("{base}-{n}");
                    n += 1;
                }
                if let ServiceArea::Gemeenten(list) = &o.area {
                    gemeenten.extend(list.iter().cloned());
                }
                for (file, title) in facts.sources {
                    sources.entry(file).or_insert(title);
                }
                if out.province.is_none() {
                    out.province = facts.province;
                }
                if let Some(v) = facts.via {
                    vias.push((out.offerings.len(), v));
                }
                out.offerings.push(o);
            }
            None => continue,
        }
    }
    for (at, door) in vias {
        if used_ids.contains(&door) && door != out.offerings[at].id {
            out.offerings[at].via = Some(door);
        } else {
            let id = out.offerings[at].id.clone();
            out.report.push(format!(
                "aanbod '{id}': its door '{door}' is not in the import; `via` left out"
            ));
        }
    }
    sources
        .entry(source.to_string())
        .or_insert_with(|| format!("HSDS-import ({source})"));
    out.sources = sources.into_iter().collect();
    out.gemeenten = gemeenten.into_iter().collect();
    Ok(out)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// What a service contributes beyond its offering.
#[derive(Default)]
struct Facts {
    sources: Vec<(String, String)>,
    province: Option<String>,
    via: Option<String>,
}

/// A catalog id from a name: lowercase letters, digits and `-`.
fn slug(name: &str) -> String {
    let folded = crate::search::analysis::normalize(name);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(rules::MAX_ID_CHARS - 4).collect();
    if out.is_empty() {
        "aanbod".to_string()
    } else {
        out
    }
}

fn offering(
    s: &Service,
    orgs: &HashMap<&str, &Organization>,
    source: &str,
    mapping: &Mapping,
    report: &mut Vec<String>,
) -> Option<(Offering, Facts)> {
    let label = format!("service '{}'", s.name);
    let mut facts = Facts::default();
    let mut terms: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut kenmerken: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut bronnen: Vec<(String, String, Option<String>)> = Vec::new();
    let mut unmapped = BTreeSet::new();
    // Search words: the names of the terms that say what the need is.
    let mut lay_terms: Vec<String> = Vec::new();
    for a in &s.attributes {
        let Some(t) = &a.taxonomy_term else { continue };
        let taxonomy = t
            .taxonomy
            .clone()
            .or_else(|| t.taxonomy_detail.as_ref().map(|d| d.name.clone()))
            .unwrap_or_default();
        let code = t.code.clone().unwrap_or_else(|| t.name.clone());
        if taxonomy == super::KENMERK.name {
            kenmerken.insert(code, a.value.clone());
        } else if taxonomy == super::BRON.name {
            bronnen.push((code, t.name.clone(), a.value.clone()));
        } else {
            match mapping.key(&taxonomy, &code) {
                Some((meaning, key)) => {
                    let name = t.name.trim().to_lowercase();
                    let need = matches!(meaning, "leefgebied" | "doelgroep" | "signaal");
                    if need && !name.is_empty() && !lay_terms.contains(&name) {
                        lay_terms.push(name);
                    }
                    terms.entry(meaning).or_default().push(key);
                }
                None => {
                    unmapped.insert(format!("{taxonomy}: {code}"));
                }
            }
        }
    }
    if !unmapped.is_empty() {
        report.push(format!(
            "{label}: taxonomy terms without a mapping: {}",
            unmapped.into_iter().collect::<Vec<_>>().join("; ")
        ));
    }
    let own = kenmerken.contains_key(kenmerk::SLEUTEL);
    let mut keys = |meaning: &str| -> Vec<String> { terms.remove(meaning).unwrap_or_default() };
    let tier_keys = keys("niveau");
    let tier = tier_keys.iter().find_map(|k| Tier::from_key(k));
    let leefgebieden: Vec<Leefgebied> = known(
        keys("leefgebied"),
        "leefgebied",
        Leefgebied::from_key,
        &label,
        report,
    );
    let mut access: Vec<AccessMode> = known(
        keys("toegang"),
        "toegang",
        AccessMode::from_key,
        &label,
        report,
    );
    let signals: Vec<Signal> = known(keys("signaal"), "signaal", Signal::from_key, &label, report);
    let groups: Vec<Doelgroep> = known(
        keys("doelgroep"),
        "doelgroep",
        Doelgroep::from_key_or_former,
        &label,
        report,
    )
    .into_iter()
    .filter(|g| *g != Doelgroep::Iedereen)
    .collect();

    let organisation = s
        .organization
        .as_ref()
        .map(|o| o.name.clone())
        .or_else(|| {
            s.organization_id
                .as_deref()
                .and_then(|id| orgs.get(id))
                .map(|o| o.name.clone())
        })
        .filter(|n| !n.trim().is_empty());
    let description = s.description.clone().filter(|d| !d.trim().is_empty());
    let mut missing = Vec::new();
    if tier.is_none() {
        missing.push("a tier (a taxonomy term mapped to `niveau`)");
    }
    if leefgebieden.is_empty() {
        missing.push("a leefgebied (a taxonomy term mapped to `leefgebied`)");
    }
    if organisation.is_none() {
        missing.push("an organization name");
    }
    if description.is_none() {
        missing.push("a description");
    }
    match s.status.as_str() {
        "active" | "temporarily closed" => {}
        other => {
            report.push(format!("{label}: left out, status '{other}'"));
            return None;
        }
    }

    // Contact facts.
    let contact_source = bronnen
        .iter()
        .find(|(_, _, v)| v.as_deref() == Some("contactgegevens"))
        .map(|(f, _, _)| f.clone());
    let main_source = bronnen
        .iter()
        .find(|(_, _, v)| {
            matches!(
                v.as_deref(),
                Some("aanbod") | Some("aanbod en contactgegevens")
            )
        })
        .map(|(f, _, _)| f.clone());
    for (file, title, _) in &bronnen {
        facts.sources.push((file.clone(), title.clone()));
    }
    let contact = contact(
        s,
        &kenmerken,
        contact_source
            .or_else(|| main_source.clone())
            .unwrap_or_else(|| source.to_string()),
        &label,
        report,
        &mut facts,
    );
    if access.is_empty()
        && !own
        && contact
            .as_ref()
            .is_some_and(|c| c.phone.is_some() || !c.phones.is_empty())
    {
        access.push(AccessMode::Telefoon);
        report.push(format!(
            "{label}: toegang taken as `telefoon` from its phone numbers"
        ));
    }
    if access.is_empty() {
        missing.push("an access mode (a taxonomy term mapped to `toegang`, or a phone)");
    }

    // Where it is available.
    let mut gemeenten: Vec<String> = s
        .service_areas
        .iter()
        .filter_map(|a| a.name.clone())
        .collect();
    if gemeenten.is_empty() {
        if let Some(c) = &contact {
            gemeenten.extend(c.locations.iter().filter_map(|l| l.city.clone()));
            if !gemeenten.is_empty() {
                report.push(format!(
                    "{label}: gemeenten taken from the towns of its addresses"
                ));
            }
        }
    }
    gemeenten.dedup();
    if gemeenten.is_empty() {
        missing.push("an area (service_areas or an address)");
    }
    if !missing.is_empty() {
        report.push(format!(
            "{label}: left out, it lacks {}",
            missing.join("; ")
        ));
        return None;
    }
    let area = if gemeenten.iter().any(|g| g.eq_ignore_ascii_case(NATIONAL)) {
        ServiceArea::National
    } else {
        ServiceArea::Gemeenten(gemeenten)
    };

    let mut description = description.unwrap_or_default();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        description = description
            .chars()
            .take(MAX_DESCRIPTION_CHARS - 1)
            .collect::<String>()
            + "…";
        report.push(format!(
            "{label}: description cut to {MAX_DESCRIPTION_CHARS} characters"
        ));
    }
    let organisation = organisation.unwrap_or_default();
    let next_step = match s
        .application_process
        .clone()
        .filter(|a| !a.trim().is_empty())
    {
        Some(step) => step,
        None => {
            report.push(format!("{label}: no application_process; next step written as \"Neem contact op met {organisation}.\""));
            format!("Neem contact op met {organisation}.")
        }
    };
    lay_terms.truncate(rules::MAX_LIST_ITEMS);
    if lay_terms.is_empty() {
        lay_terms.push(s.name.to_lowercase());
    }

    let mut evidence: Vec<Evidence> = kenmerken
        .iter()
        .filter_map(|(code, value)| {
            let fact = Fact::from_key(code.strip_prefix(kenmerk::BEWIJS)?)?;
            let mut parts = value.as_deref()?.splitn(3, '|');
            let (file, line, word) = (parts.next()?, parts.next()?, parts.next()?);
            Some(Evidence {
                fact,
                file: Some(file.to_string()).filter(|f| !f.is_empty()),
                line: line.parse().ok(),
                word: word.to_string(),
            })
        })
        .collect();
    let historic_evidence = evidence
        .iter()
        .position(|e| e.fact == Fact::Historisch)
        .map(|i| evidence.remove(i));
    let cost = match kenmerken
        .get(kenmerk::KOSTEN)
        .cloned()
        .flatten()
        .as_deref()
        .and_then(Cost::from_key)
    {
        Some(c) => c,
        None => {
            let amounts: Vec<f64> = s
                .cost_options
                .iter()
                .filter_map(|c| c.amount.as_ref()?.as_f64())
                .collect();
            let cost = if amounts.is_empty() {
                Cost::Onbekend
            } else if amounts.iter().all(|a| *a == 0.0) {
                Cost::Gratis
            } else {
                Cost::EigenBijdrage
            };
            if cost != Cost::Onbekend {
                evidence.push(Evidence {
                    fact: Fact::Kosten,
                    file: Some(source.to_string()),
                    line: None,
                    word: "cost_options".into(),
                });
            } else if s
                .fees_description
                .as_deref()
                .is_some_and(|f| !f.trim().is_empty())
            {
                report.push(format!("{label}: fees_description kept only in words is not a cost; `kosten` is onbekend"));
            }
            cost
        }
    };
    let age = |n: &Option<serde_json::Number>| {
        n.as_ref()
            .and_then(|n| n.as_u64())
            .and_then(|n| u32::try_from(n).ok())
    };
    let (min_age, max_age) = (age(&s.minimum_age), age(&s.maximum_age));
    if !own && (min_age.is_some() || max_age.is_some()) {
        evidence.push(Evidence {
            fact: Fact::Leeftijd,
            file: Some(source.to_string()),
            line: None,
            word: "minimum_age/maximum_age".into(),
        });
    }
    if !own && !groups.is_empty() {
        evidence.push(Evidence {
            fact: Fact::Doelgroepen,
            file: Some(source.to_string()),
            line: None,
            word: "attributes".into(),
        });
    }
    // Only from a wegwijzer export: other data has no such fact.
    let child_max_age = kenmerken
        .get(kenmerk::KIND_LEEFTIJD_MAX)
        .cloned()
        .flatten()
        .filter(|_| own)
        .and_then(|v| v.parse::<u32>().ok());
    let households: Vec<Household> = kenmerken
        .get(kenmerk::HUISHOUDEN)
        .cloned()
        .flatten()
        .map(|v| v.split(',').filter_map(Household::from_key).collect())
        .unwrap_or_default();
    let conditions = if own {
        kenmerken
            .get(kenmerk::VOORWAARDEN)
            .cloned()
            .flatten()
            .unwrap_or_default()
    } else {
        s.eligibility_description.clone().unwrap_or_default()
    };
    let conditions: String = conditions.chars().take(MAX_DESCRIPTION_CHARS).collect();
    let flag = |code: &str| kenmerken.contains_key(code);

    let mut availability = Availability::default();
    if s.status == "temporarily closed" {
        availability.status = AvailabilityStatus::TijdelijkGesloten;
    } else if let Some(weeks) = kenmerken.get(kenmerk::WACHTLIJST) {
        availability.status = AvailabilityStatus::Wachtlijst;
        availability.waiting_weeks = weeks.as_deref().and_then(|w| w.parse().ok());
    } else if s.alert.is_some() && !own {
        report.push(format!(
            "{label}: alert kept nowhere (the catalog has no free-text warning)"
        ));
    }
    availability.note = kenmerken.get(kenmerk::NOTITIE).cloned().flatten();
    availability.since = kenmerken
        .get(kenmerk::PER)
        .cloned()
        .flatten()
        .as_deref()
        .and_then(crate::domain::dates::parse);
    let historic = kenmerken
        .get(kenmerk::HISTORISCH)
        .cloned()
        .flatten()
        .map(|period| Historic {
            period,
            evidence: historic_evidence,
            ended: kenmerken.contains_key(kenmerk::BEEINDIGD),
        });
    facts.via = kenmerken.get(kenmerk::VIA).cloned().flatten();

    let mut languages: Vec<String> = Vec::new();
    for l in &s.languages {
        match l.code.as_deref().map(str::to_ascii_lowercase) {
            Some(code) if rules::is_language_code(&code) => {
                if !languages.contains(&code) {
                    languages.push(code);
                }
            }
            _ => report.push(format!(
                "{label}: language without a two-letter code left out"
            )),
        }
    }
    if languages.is_empty() {
        languages.push("nl".into());
    }
    let verified = s
        .assured_date
        .as_deref()
        .and_then(|d| crate::domain::dates::parse(d.get(..10).unwrap_or(d)));
    let id = kenmerken
        .get(kenmerk::SLEUTEL)
        .cloned()
        .flatten()
        .filter(|k| rules::is_offering_id(k))
        .unwrap_or_else(|| slug(&s.name));
    Some((
        Offering {
            id,
            name: s.name.trim().to_string(),
            organisation,
            tier: tier.unwrap_or(Tier::AlgemeneVoorziening),
            leefgebieden,
            description,
            lay_terms,
            next_step,
            area,
            access,
            cost,
            languages,
            signals,
            eligibility: Eligibility {
                min_age,
                max_age,
                child_max_age,
                households,
                conditions,
                minima_only: flag(kenmerk::ALLEEN_MINIMA),
                needs_indication: flag(kenmerk::BESCHIKKING_NODIG),
                after_other_help: flag(kenmerk::NA_ANDERE_HULP),
                language_bound: flag(kenmerk::TAALGEBONDEN),
                groups,
            },
            availability,
            contact: contact.map(Box::new),
            via: None,
            historic: historic.map(Box::new),
            evidence,
            source: main_source.unwrap_or_else(|| source.to_string()),
            verified,
        },
        facts,
    ))
}

/// Known values of a vocabulary; unknown keys are reported.
fn known<T: PartialEq>(
    keys: Vec<String>,
    what: &str,
    from_key: fn(&str) -> Option<T>,
    label: &str,
    report: &mut Vec<String>,
) -> Vec<T> {
    let mut out = Vec::new();
    for k in keys {
        match from_key(&k) {
            Some(v) if !out.contains(&v) => out.push(v),
            Some(_) => {}
            None => report.push(format!("{label}: '{k}' is not a catalog {what}; left out")),
        }
    }
    out
}

fn contact(
    s: &Service,
    kenmerken: &BTreeMap<String, Option<String>>,
    source: String,
    label: &str,
    report: &mut Vec<String>,
    facts: &mut Facts,
) -> Option<Contact> {
    let mut c = Contact {
        source,
        ..Contact::default()
    };
    c.website = s.url.clone().filter(|u| {
        let ok = valid_url(u);
        if !ok {
            report.push(format!(
                "{label}: url '{u}' is not an http(s) URL; left out"
            ));
        }
        ok
    });
    c.email = s.email.clone().filter(|e| {
        let ok = valid_email(e);
        if !ok {
            report.push(format!("{label}: e-mail '{e}' left out, not an address"));
        }
        ok
    });
    for p in &s.phones {
        if !valid_phone(&p.number) {
            report.push(format!(
                "{label}: phone '{}' left out, not a phone number",
                p.number
            ));
            continue;
        }
        match (&p.description, c.phone.is_none() && c.phones.is_empty()) {
            (None, true) => c.phone = Some(p.number.clone()),
            (description, _) => {
                let (purpose, hours) = match description
                    .as_deref()
                    .map(|d| d.split_once(super::PHONE_HOURS.trim_start()))
                {
                    Some(Some((purpose, hours))) => (
                        Some(purpose.trim().to_string()).filter(|p| !p.is_empty()),
                        Some(hours.trim().to_string()),
                    ),
                    _ => (description.clone(), None),
                };
                c.phones.push(Phone {
                    number: p.number.clone(),
                    purpose,
                    hours,
                });
            }
        }
    }
    let wijken: HashMap<String, String> = kenmerken
        .get(kenmerk::WIJK)
        .cloned()
        .flatten()
        .map(|v| {
            v.split(';')
                .filter_map(|pair| pair.split_once('|'))
                .map(|(n, w)| (n.to_string(), w.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let mut location_names: HashMap<String, String> = HashMap::new();
    for (i, sal) in s.service_at_locations.iter().enumerate() {
        let Some(l) = &sal.location else { continue };
        let address = l
            .addresses
            .iter()
            .find(|a| a.address_type != "postal")
            .or(l.addresses.first());
        let name = l
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| address.map(|a| a.address_1.clone()))
            .unwrap_or_else(|| format!("Locatie {}", i + 1));
        let postcode = address.map(|a| a.postal_code.clone()).filter(|p| {
            let ok = valid_postcode(p);
            if !ok && !p.is_empty() {
                report.push(format!(
                    "{label}: postcode '{p}' left out, not a Dutch postcode"
                ));
            }
            ok
        });
        if let Some(a) = address {
            if facts.province.is_none() && !a.state_province.is_empty() {
                facts.province = Some(a.state_province.clone());
            }
        }
        location_names.insert(l.id.clone(), name.clone());
        c.locations.push(Location {
            wijk: wijken.get(&name).cloned(),
            name,
            address: address
                .map(|a| a.address_1.clone())
                .filter(|a| !a.is_empty()),
            postcode,
            city: address.map(|a| a.city.clone()).filter(|a| !a.is_empty()),
            accessibility: l.accessibility.iter().find_map(|a| a.description.clone()),
        });
    }
    for sch in &s.schedules {
        if sch.freq.as_deref().is_some_and(|f| f != "WEEKLY") {
            report.push(format!("{label}: a schedule that is not weekly left out"));
            continue;
        }
        let days: Option<Vec<Weekday>> = sch
            .byday
            .as_deref()
            .map(|b| {
                b.split(',')
                    .map(|d| Weekday::from_ical(d.trim()))
                    .collect::<Option<Vec<_>>>()
            })
            .unwrap_or(None);
        let time = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| parse_time(t.get(..5).unwrap_or(t)))
        };
        match (days, time(&sch.opens_at), time(&sch.closes_at)) {
            (Some(days), Some(opens), Some(closes)) if !days.is_empty() && opens < closes => {
                c.hours.push(Hours {
                    days,
                    opens,
                    closes,
                    location: sch
                        .location_id
                        .as_ref()
                        .and_then(|id| location_names.get(id).cloned()),
                    note: sch.description.clone(),
                })
            }
            _ => report.push(format!(
                "{label}: a schedule without weekdays and opening and closing times left out"
            )),
        }
    }
    let any = c.phone.is_some()
        || c.website.is_some()
        || c.email.is_some()
        || !c.phones.is_empty()
        || !c.locations.is_empty();
    any.then_some(c)
}

/// The catalog files of an import: `catalogus.toml` and `aanbod/import.toml`.
pub fn catalog_files(imported: &Imported, name: &str) -> (String, String) {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut region = String::new();
    let _ = writeln!(
        region,
        "# Imported from Open Referral HSDS data by `wegwijzer catalog import`."
    );
    let _ = writeln!(
        region,
        "# Its entries were not verified here; see import-rapport.txt for what was left out."
    );
    let _ = writeln!(region, "naam = {}", quote(name));
    let _ = writeln!(region, "ongeverifieerd = true");
    if let Some(p) = &imported.province {
        let _ = writeln!(region, "provincie = {}", quote(p));
    }
    let list: Vec<String> = imported.gemeenten.iter().map(|g| quote(g)).collect();
    let _ = writeln!(region, "gemeenten = [{}]", list.join(", "));
    for (file, title) in &imported.sources {
        let _ = writeln!(
            region,
            "\n[[bron]]\nbestand = {}\ntitel = {}",
            quote(file),
            quote(title)
        );
    }
    let mut entries = String::from("# Offerings imported from HSDS data.\n\n");
    for o in &imported.offerings {
        entries.push_str(&entry_toml(o));
        entries.push('\n');
    }
    (region, entries)
}

/// Reads `input`, writes the catalog folder `out` (with the taxonomy from
/// `taxonomy_file`) and `out/import-rapport.txt`; returns the import.
pub fn run(
    input: &Path,
    out: &Path,
    taxonomy_file: &Path,
    mapping: &Mapping,
    name: &str,
) -> Result<Imported, HsdsError> {
    let (services, organizations, file) = read(input)?;
    let imported = import(&services, &organizations, &file, mapping)?;
    let (region, entries) = catalog_files(&imported, name);
    let aanbod = out.join("aanbod");
    fs::create_dir_all(&aanbod).map_err(io(&aanbod))?;
    let write = |path: &Path, text: &str| fs::write(path, text).map_err(io(path));
    write(&out.join("catalogus.toml"), &region)?;
    write(&aanbod.join("import.toml"), &entries)?;
    let taxonomy = fs::read_to_string(taxonomy_file).map_err(io(taxonomy_file))?;
    write(&out.join("taxonomie.toml"), &taxonomy)?;
    let mut rapport = format!(
        "HSDS-import uit {}: {} van {} diensten overgenomen.\n",
        input.display(),
        imported.offerings.len(),
        services.len()
    );
    for line in &imported.report {
        rapport.push_str(line);
        rapport.push('\n');
    }
    write(&out.join("import-rapport.txt"), &rapport)?;
    Ok(imported)
}

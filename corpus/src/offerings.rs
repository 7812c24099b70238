//! Synthetic offerings: drawn from a [`Harvest`] with a seeded [`Rng`] as domain
//! offerings, written with the catalog's own serializer ([`wegwijzer::catalog::entry_toml`]).

use std::collections::HashSet;

use super::rng::Rng;
use super::vocab::{domain_index, Harvest, PLACE_HEADS, PLACE_TAILS};
use wegwijzer::domain::{
    AccessMode, Availability, AvailabilityStatus, Cost, Eligibility, Household, Leefgebied,
    Offering, ServiceArea, Signal, Tier, NATIONAL,
};
use wegwijzer::search::analysis;

/// Prefix of every generated id.
pub const ID_PREFIX: &str = "synth-";
/// The one source every generated entry cites; `catalogus.toml` lists it.
pub const SOURCE: &str = "synthetisch-corpus";
/// The `geverifieerd` date of generated entries (fixed, so output is reproducible).
pub const VERIFIED: &str = "2026-01-01";

const AGE_RANGES: &[(u32, u32)] = &[
    (0, 17),
    (4, 12),
    (12, 23),
    (16, 27),
    (18, 67),
    (55, 120),
    (65, 120),
];
const ORG_FORMS: &[&str] = &[
    "Stichting",
    "Vereniging",
    "Buurtnetwerk",
    "Coöperatie",
    "Welzijn",
];

/// Generates offering number `i` of a corpus; `taken` holds the normalised names so far.
pub fn generate(i: usize, rng: &mut Rng, h: &Harvest, taken: &mut HashSet<String>) -> Offering {
    let tier = if i < Tier::ALL.len() {
        Tier::ALL[i]
    } else {
        let r = rng.below(100);
        match r {
            0..=34 => Tier::ElkaarHelpen,
            35..=69 => Tier::AlgemeneVoorziening,
            70..=84 => Tier::Toegang,
            85..=97 => Tier::Maatwerk,
            _ => Tier::Crisis,
        }
    };
    let primary = if i < Leefgebied::ALL.len() {
        Leefgebied::ALL[i]
    } else if tier == Tier::Crisis {
        *rng.pick(&[
            Leefgebied::Veiligheid,
            Leefgebied::GeestelijkeGezondheid,
            Leefgebied::Huisvesting,
            Leefgebied::HuiselijkeRelaties,
        ])
    } else {
        *rng.pick(Leefgebied::ALL)
    };
    let mut leefgebieden = vec![primary];
    for _ in 0..rng.below(3) {
        let l = *rng.pick(Leefgebied::ALL);
        if !leefgebieden.contains(&l) {
            leefgebieden.push(l);
        }
    }

    let gemeenten: Vec<String> = if i < h.gemeenten.len() {
        vec![h.gemeenten[i].clone()]
    } else if rng.chance(if tier == Tier::Crisis { 0.5 } else { 0.01 }) {
        vec![NATIONAL.to_string()]
    } else {
        let n = if rng.chance(0.2) { 2 + rng.below(3) } else { 1 };
        let mut g: Vec<String> = rng.sample(&h.gemeenten, n).into_iter().cloned().collect();
        g.sort();
        g
    };
    let home = if gemeenten[0] == NATIONAL {
        "heel Nederland".to_string()
    } else {
        gemeenten[0].clone()
    };

    let p = domain_index(primary);
    let place = |rng: &mut Rng| format!("{}{}", rng.pick(PLACE_HEADS), rng.pick(PLACE_TAILS));
    let mut name = String::new();
    for attempt in 0.. {
        let candidate = match attempt {
            0..=7 => format!("{} {}", rng.pick(&h.name_words[p]), place(rng)),
            8..=11 => format!("{} {} {}", rng.pick(&h.name_words[p]), place(rng), home),
            _ => format!("{} {} {}", rng.pick(&h.name_words[p]), place(rng), attempt),
        };
        if taken.insert(analysis::normalize(&candidate)) {
            name = candidate;
            break;
        }
    }
    let organisation = format!("{} {}", rng.pick(ORG_FORMS), place(rng));

    let mut description = String::new();
    if rng.chance(0.5) {
        description = format!("{name} is er voor inwoners van {home}.");
    }
    let pools: Vec<&Vec<String>> = leefgebieden
        .iter()
        .map(|l| &h.sentences[domain_index(*l)])
        .collect();
    for k in 0..2 + rng.below(2) {
        let pool = pools[if k == 0 { 0 } else { rng.below(pools.len()) }];
        let sentence = rng.pick(pool).replace("{gemeente}", &home);
        if description.chars().count() + sentence.chars().count() + 1 > 480 {
            break;
        }
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(&sentence);
    }

    let mut lay_terms: Vec<String> = Vec::new();
    for _ in 0..3 + rng.below(5) {
        let l = leefgebieden[rng.below(leefgebieden.len())];
        let t = rng.pick(&h.lay_terms[domain_index(l)]);
        if !lay_terms.contains(t) {
            lay_terms.push(t.clone());
        }
    }

    let (access, cost, next_step) = match tier {
        Tier::ElkaarHelpen => (
            pick_modes(
                rng,
                &[
                    AccessMode::Telefoon,
                    AccessMode::Huisbezoek,
                    AccessMode::Inloop,
                    AccessMode::Online,
                ],
            ),
            Cost::Gratis,
            format!("Neem contact op met {organisation}; een vrijwilliger belt terug."),
        ),
        Tier::AlgemeneVoorziening => (
            pick_modes(
                rng,
                &[AccessMode::Inloop, AccessMode::Telefoon, AccessMode::Online],
            ),
            if rng.chance(0.8) {
                Cost::Gratis
            } else {
                Cost::EigenBijdrage
            },
            format!("Loop binnen of bel {organisation} voor een afspraak."),
        ),
        Tier::Toegang => (
            pick_modes(
                rng,
                &[
                    AccessMode::Telefoon,
                    AccessMode::Inloop,
                    AccessMode::Huisbezoek,
                ],
            ),
            Cost::Gratis,
            format!("Meld de vraag bij {organisation}; een consulent neemt contact op."),
        ),
        Tier::Maatwerk => (
            vec![AccessMode::ViaVerwijzing],
            if rng.chance(0.5) {
                Cost::NaarInkomen
            } else {
                Cost::EigenBijdrage
            },
            format!(
                "Vraag via het wijkteam een indicatie aan; daarna plant {organisation} een intake."
            ),
        ),
        Tier::Crisis => (
            vec![AccessMode::Telefoon],
            Cost::Gratis,
            format!("Bel direct; {organisation} is dag en nacht bereikbaar."),
        ),
    };
    let signals = if tier == Tier::Crisis {
        let mut s: Vec<Signal> = {
            let k = 1 + rng.below(2);
            rng.sample(Signal::ALL, k)
        }
        .into_iter()
        .copied()
        .collect();
        s.sort();
        s
    } else {
        Vec::new()
    };
    let languages = match rng.below(20) {
        0 | 1 => Some(vec!["nl".to_string(), "en".to_string()]),
        2 => Some(vec![
            "nl".to_string(),
            rng.pick(&["ar", "tr", "pl", "uk"]).to_string(),
        ]),
        _ => None,
    };
    let language_bound = languages.is_some() && rng.chance(0.2);
    let ages = (tier != Tier::Crisis && rng.chance(0.2)).then(|| *rng.pick(AGE_RANGES));
    let households = if tier != Tier::Crisis && rng.chance(0.05) {
        vec![Household::Eenoudergezin, Household::Gezin]
    } else {
        Vec::new()
    };
    let waiting = match (tier, rng.below(50)) {
        (Tier::Crisis, _) => None,
        (_, 0..=3) => Some(rng.between(2, 16)),
        (_, 4) => Some(0),
        _ => None,
    };
    let id = format!("{ID_PREFIX}{i:06}-{}", slug(&name));
    let minima_only = leefgebieden.contains(&Leefgebied::Financien) && rng.chance(0.15);
    Offering {
        id,
        name,
        organisation,
        tier,
        leefgebieden,
        description,
        lay_terms,
        next_step,
        area: if gemeenten.iter().any(|g| g == NATIONAL) {
            ServiceArea::National
        } else {
            ServiceArea::Gemeenten(gemeenten)
        },
        access,
        cost,
        languages: languages.unwrap_or_else(|| vec!["nl".to_string()]),
        signals,
        eligibility: Eligibility {
            min_age: ages.map(|a| a.0),
            max_age: ages.map(|a| a.1),
            child_max_age: None,
            households,
            conditions: String::new(),
            minima_only,
            needs_indication: tier == Tier::Maatwerk,
            after_other_help: false,
            language_bound,
            groups: Vec::new(),
        },
        availability: match waiting {
            Some(0) => Availability {
                status: AvailabilityStatus::TijdelijkGesloten,
                ..Availability::default()
            },
            Some(weeks) => Availability {
                status: AvailabilityStatus::Wachtlijst,
                waiting_weeks: Some(weeks),
                ..Availability::default()
            },
            None => Availability::default(),
        },
        contact: None,
        via: None,
        historic: None,
        evidence: Vec::new(),
        source: SOURCE.to_string(),
        verified: wegwijzer::domain::dates::parse(VERIFIED),
    }
}

fn pick_modes(rng: &mut Rng, modes: &[AccessMode]) -> Vec<AccessMode> {
    let mut out: Vec<AccessMode> = {
        let k = 1 + rng.below(2);
        rng.sample(modes, k)
    }
    .into_iter()
    .copied()
    .collect();
    out.sort();
    out
}

/// Lowercase ASCII letters, digits and `-`, at most 40 characters.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in analysis::fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(
            slug("Cliëntondersteuning Wilgenhof Den Haag"),
            "clientondersteuning-wilgenhof-den-haag"
        );
        assert_eq!(slug("#SDDhelpt!"), "sddhelpt");
    }
}

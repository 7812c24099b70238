//! Every Dutch label and sentence a person reads about an offering or a request, in one
//! place: matching's reasons, the HSDS export and the web page all take their words
//! from here, so the same fact is always said the same way.

use super::{AvailabilityStatus, Cost, Doelgroep, Eligibility, Household, Signal, Tier};

/// The short name of a tier, as a taxonomy term: "Elkaar helpen".
pub fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::ElkaarHelpen => "Elkaar helpen",
        Tier::AlgemeneVoorziening => "Algemene voorziening",
        Tier::Toegang => "Toegang",
        Tier::Maatwerk => "Maatwerk",
        Tier::Crisis => "Crisis",
    }
}

/// What a tier means for the person: "Voor iedereen, zonder verwijzing".
pub fn tier_label(tier: Tier) -> &'static str {
    match tier {
        Tier::ElkaarHelpen => "Hulp van buren en vrijwilligers",
        Tier::AlgemeneVoorziening => "Voor iedereen, zonder verwijzing",
        Tier::Toegang => "Via het wijkteam",
        Tier::Maatwerk => "Met indicatie",
        Tier::Crisis => "Crisishulp, direct bereikbaar",
    }
}

/// The plain Dutch names of `signals`, joined by commas ("huiselijk geweld,
/// kindermishandeling").
pub fn signal_labels(signals: &[Signal]) -> String {
    let labels: Vec<&str> = signals.iter().map(|s| signal_label(*s)).collect();
    labels.join(", ")
}

/// A plain Dutch name for a safety signal.
pub fn signal_label(s: Signal) -> &'static str {
    match s {
        Signal::AcuutGevaar => "acuut gevaar",
        Signal::HuiselijkGeweld => "huiselijk geweld",
        Signal::Suicidaal => "gedachten aan zelfdoding",
        Signal::Kindermishandeling => "kindermishandeling",
        Signal::Dakloos => "geen slaapplek",
    }
}

/// The people of a household kind, plural: "alleenstaanden".
pub fn household_label(h: Household) -> &'static str {
    match h {
        Household::Alleenstaand => "alleenstaanden",
        Household::Eenoudergezin => "eenoudergezinnen",
        Household::Gezin => "gezinnen met kinderen",
        Household::Samenwonend => "samenwonenden",
    }
}

/// The Dutch label of a target group.
pub fn doelgroep_label(g: Doelgroep) -> &'static str {
    match g {
        Doelgroep::Jeugd => "kinderen en jeugd",
        Doelgroep::Jongeren => "jongeren",
        Doelgroep::Ouders => "ouders en aanstaande ouders",
        Doelgroep::Ouderen => "ouderen",
        Doelgroep::Mantelzorgers => "mantelzorgers",
        Doelgroep::Ondernemers => "ondernemers en zzp'ers",
        Doelgroep::Nieuwkomers => "nieuwkomers en statushouders",
        Doelgroep::Beperking => "mensen met een beperking",
        Doelgroep::Minima => "mensen met een laag inkomen",
        Doelgroep::Iedereen => "iedereen",
        Doelgroep::Bijstand => "mensen in de bijstand",
        Doelgroep::DaklozenGedetineerden => "dak- en thuislozen en gedetineerden",
        Doelgroep::Werkenden => "werkenden, werkzoekenden en werkgevers",
    }
}

/// "Voor ouderen of mantelzorgers."; `None` for no groups (everyone).
pub fn for_whom(groups: &[Doelgroep]) -> Option<String> {
    if groups.is_empty() {
        return None;
    }
    let labels: Vec<&str> = groups.iter().map(|g| doelgroep_label(*g)).collect();
    Some(format!("Voor {}.", labels.join(" of ")))
}

/// The age range as a sentence; `None` without limits.
pub fn ages(min: Option<u32>, max: Option<u32>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("Voor mensen van {a} tot en met {b} jaar.")),
        (Some(a), None) => Some(format!("Voor mensen vanaf {a} jaar.")),
        (None, Some(b)) => Some(format!("Voor mensen tot en met {b} jaar.")),
        (None, None) => None,
    }
}

/// Only for people with a low income.
pub const MINIMA_ONLY: &str =
    "Alleen voor mensen met een laag inkomen (tot 120% van het sociaal minimum).";
/// A beschikking is needed.
pub const NEEDS_INDICATION: &str = "Hiervoor is een beschikking of indicatie nodig.";
/// The condition of help meant for when the usual help is not enough.
pub const AFTER_OTHER_HELP: &str = "Voor als de gewone hulp niet past of niet genoeg helpt.";
/// Temporarily closed.
pub const CLOSED: &str = "Let op: tijdelijk gesloten.";
/// Comes to the person's home.
pub const HOME_VISITS: &str = "Komt ook aan huis.";

/// The conditions of an offering as Dutch sentences, in a fixed order: age, household,
/// groups, income, indication, language, the catalog's own words.
pub fn conditions(e: &Eligibility, languages: &[String]) -> Vec<String> {
    let mut parts = Vec::new();
    parts.extend(ages(e.min_age, e.max_age));
    if !e.households.is_empty() {
        let list: Vec<&str> = e.households.iter().map(|h| household_label(*h)).collect();
        parts.push(format!("Voor {}.", join(&list)));
    }
    parts.extend(for_whom(&e.groups));
    if e.minima_only {
        parts.push(MINIMA_ONLY.to_string());
    }
    if e.needs_indication {
        parts.push(NEEDS_INDICATION.to_string());
    }
    if e.after_other_help {
        parts.push(AFTER_OTHER_HELP.to_string());
    }
    if e.language_bound && !languages.is_empty() {
        let names: Vec<&str> = languages
            .iter()
            .map(|c| language_name(c).unwrap_or(c.as_str()))
            .collect();
        let which = if names.len() == 1 {
            format!("het {}", names[0])
        } else {
            format!("een van deze talen: {}", join(&names))
        };
        parts.push(format!("Alleen voor wie {which} spreekt."));
    }
    let own = e.conditions.trim();
    if !own.is_empty() {
        parts.push(own.to_string());
    }
    parts
}

/// The availability as a sentence; `None` when the offering simply runs.
pub fn availability(status: AvailabilityStatus, waiting_weeks: Option<u32>) -> Option<String> {
    match status {
        AvailabilityStatus::Actief => None,
        AvailabilityStatus::Wachtlijst => Some(match waiting_weeks {
            Some(1) => "Let op: er is een wachtlijst van ongeveer 1 week.".to_string(),
            Some(w) => format!("Let op: er is een wachtlijst van ongeveer {w} weken."),
            None => "Let op: er is een wachtlijst.".to_string(),
        }),
        AvailabilityStatus::TijdelijkGesloten => Some(CLOSED.to_string()),
    }
}

/// An arrangement from a past period that may have ended.
pub fn historic(period: &str) -> String {
    format!("Let op: regeling uit {period}; die bestaat misschien niet meer. Vraag het na.")
}

/// How an offering is reached when it has no contact facts of its own.
pub fn reached_via(door: &str) -> String {
    format!("Bereikbaar via {door}.")
}

/// Why a door is shown beside the maatwerk it leads to.
pub fn door_to(maatwerk: &str) -> String {
    format!("Via deze toegang komt u bij {maatwerk}.")
}

/// When the catalog knows no contact facts on an offering's route.
pub const CONTACT_UNKNOWN: &str = "Contactgegevens niet bekend in deze catalogus.";

/// A place on one line: "Wijkpunt, Voorbeeldstraat 12, 2999 AA Voorbeeldstad (wijk X)".
pub fn location_line(l: &super::Location) -> String {
    let town = [l.postcode.as_deref(), l.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut parts = vec![l.name.clone()];
    parts.extend(l.address.clone());
    if !town.is_empty() {
        parts.push(town);
    }
    let mut line = parts.join(", ");
    if let Some(w) = &l.wijk {
        line.push_str(&format!(" (wijk {w})"));
    }
    if let Some(a) = &l.accessibility {
        line.push_str(&format!(". {a}"));
    }
    line
}

/// Opening hours on one line: "ma, di 09:00–12:00 (Wijkpunt)".
pub fn hours_line(h: &super::Hours) -> String {
    let days: Vec<&str> = h.days.iter().map(|d| d.key()).collect();
    let mut line = format!(
        "{} {:02}:{:02}–{:02}:{:02}",
        days.join(", "),
        h.opens.hour(),
        h.opens.minute(),
        h.closes.hour(),
        h.closes.minute()
    );
    if let Some(l) = &h.location {
        line.push_str(&format!(" ({l})"));
    }
    if let Some(n) = &h.note {
        line.push_str(&format!(": {n}"));
    }
    line
}

/// A further phone number on one line: "+31 70 000 0001 (afspraken; ma-vr 9-17)".
pub fn phone_line(p: &super::Phone) -> String {
    let extra: Vec<&str> = [p.purpose.as_deref(), p.hours.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if extra.is_empty() {
        p.number.clone()
    } else {
        format!("{} ({})", p.number, extra.join("; "))
    }
}

/// What it costs, as a sentence.
pub fn cost(cost: Cost) -> &'static str {
    match cost {
        Cost::Gratis => "Gratis.",
        Cost::EigenBijdrage => "Er is een eigen bijdrage.",
        Cost::NaarInkomen => "De bijdrage hangt af van het inkomen.",
        Cost::Onbekend => "Kosten: navragen.",
    }
}

/// "a", "a en b", "a, b en c".
pub fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} en {last}", init.join(", ")),
    }
}

/// The Dutch name of a language (ISO 639-1), when known.
pub fn language_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "nl" => "Nederlands",
        "fy" => "Fries",
        "en" => "Engels",
        "de" => "Duits",
        "fr" => "Frans",
        "es" => "Spaans",
        "pt" => "Portugees",
        "it" => "Italiaans",
        "pl" => "Pools",
        "ro" => "Roemeens",
        "bg" => "Bulgaars",
        "hu" => "Hongaars",
        "cs" => "Tsjechisch",
        "sk" => "Slowaaks",
        "lt" => "Litouws",
        "lv" => "Lets",
        "el" => "Grieks",
        "sq" => "Albanees",
        "hr" => "Kroatisch",
        "sr" => "Servisch",
        "bs" => "Bosnisch",
        "uk" => "Oekraïens",
        "ru" => "Russisch",
        "tr" => "Turks",
        "ar" => "Arabisch",
        "ku" => "Koerdisch",
        "fa" => "Perzisch",
        "ps" => "Pasjtoe",
        "ur" => "Urdu",
        "hi" => "Hindi",
        "ti" => "Tigrinya",
        "am" => "Amhaars",
        "so" => "Somalisch",
        "zh" => "Chinees",
        "vi" => "Vietnamees",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences() {
        assert_eq!(join(&["a", "b", "c"]), "a, b en c");
        assert_eq!(
            ages(Some(65), None).as_deref(),
            Some("Voor mensen vanaf 65 jaar.")
        );
        assert_eq!(ages(None, None), None);
        assert_eq!(for_whom(&[]), None);
        let e = Eligibility {
            min_age: Some(18),
            households: vec![Household::Alleenstaand],
            minima_only: true,
            ..Eligibility::default()
        };
        assert_eq!(
            conditions(&e, &[]),
            [
                "Voor mensen vanaf 18 jaar.",
                "Voor alleenstaanden.",
                MINIMA_ONLY
            ]
        );
        assert_eq!(availability(AvailabilityStatus::Actief, None), None);
        assert!(availability(AvailabilityStatus::Wachtlijst, Some(6))
            .unwrap()
            .contains("6 weken"));
    }
}

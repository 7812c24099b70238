//! Crisis language in free text: words that mean someone may be in danger now.
//!
//! A match here acts like the safety signal it stands for, even when the professional
//! did not tick it. The phrases are compared after analysis (folding, stemming), so
//! "zelfmoordgedachten" and "Zelfmoord" are found alike. False alarms cost a crisis line
//! at the top of the list; a miss can cost a life, so the list leans wide.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::analysis;
use crate::domain::Signal;

/// Phrases per signal; each phrase matches when all its words occur in the text.
const PHRASES: &[(Signal, &[&str])] = &[
    (
        Signal::Suicidaal,
        &[
            "zelfmoord",
            "suicide",
            "suicidaal",
            "zelfdoding",
            "dood willen",
            "niet meer leven",
            "niet meer willen leven",
            "leven beëindigen",
            "einde aan maken",
            "eruit stappen",
            "er een eind aan maken",
        ],
    ),
    (
        Signal::HuiselijkGeweld,
        &[
            "huiselijk geweld",
            "geslagen",
            "slaat",
            "sloeg",
            "mishandeld",
            "mishandelt",
            "mishandeling partner",
            "geschopt",
            "gewurgd",
            "bedreigt",
            "bedreigd",
            "agressief partner",
            "durf niet naar huis",
        ],
    ),
    (
        Signal::Kindermishandeling,
        &[
            "kindermishandeling",
            "kind mishandeld",
            "kinderen mishandeld",
            "kind geslagen",
            "kind misbruikt",
            "seksueel misbruik",
            "verwaarloosd kind",
        ],
    ),
    (
        Signal::Dakloos,
        &[
            "dakloos",
            "geen slaapplek",
            "geen slaapplaats",
            "nergens slapen",
            "op straat slapen",
            "slaapt op straat",
            "uit huis gezet",
            "geen dak boven",
            "vannacht nergens",
        ],
    ),
    (
        Signal::AcuutGevaar,
        &[
            "levensgevaar",
            "acuut gevaar",
            "in gevaar",
            "overdosis",
            "bewusteloos",
            "wapen",
        ],
    ),
];

fn analyzed() -> &'static Vec<(Signal, Vec<HashSet<String>>)> {
    static ANALYZED: OnceLock<Vec<(Signal, Vec<HashSet<String>>)>> = OnceLock::new();
    ANALYZED.get_or_init(|| {
        PHRASES
            .iter()
            .map(|(signal, phrases)| (*signal, phrases.iter().map(|p| whole_words(p)).collect()))
            .collect()
    })
}

/// Stems of the whole words, stop words kept: in "niet meer leven" the small words carry
/// the meaning, and compound parts must not raise an alarm on their own.
fn whole_words(text: &str) -> HashSet<String> {
    analysis::normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(analysis::stem)
        .collect()
}

/// The signals whose crisis language occurs in `text`, in a fixed order.
pub fn signals_in(text: &str) -> Vec<Signal> {
    let words = whole_words(text);
    if words.is_empty() {
        return Vec::new();
    }
    analyzed()
        .iter()
        .filter(|(_, phrases)| phrases.iter().any(|p| !p.is_empty() && p.is_subset(&words)))
        .map(|(signal, _)| *signal)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_crisis_language() {
        assert_eq!(
            signals_in("Ze denkt aan zelfmoord"),
            vec![Signal::Suicidaal]
        );
        assert_eq!(
            signals_in("Hij wil niet meer leven"),
            vec![Signal::Suicidaal]
        );
        assert_eq!(
            signals_in("Mijn partner heeft me gisteren geslagen"),
            vec![Signal::HuiselijkGeweld]
        );
        assert_eq!(
            signals_in("Ik heb vannacht geen slaapplek"),
            vec![Signal::Dakloos]
        );
        assert_eq!(
            signals_in("DAKLOOS sinds vorige week"),
            vec![Signal::Dakloos]
        );
    }

    #[test]
    fn ordinary_worries_raise_no_alarm() {
        assert!(signals_in("Ik kan de huur niet betalen en voel me eenzaam").is_empty());
        assert!(signals_in("Geweldig dat het leven weer lukt").is_empty());
        assert!(signals_in("").is_empty());
    }
}

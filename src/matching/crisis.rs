//! Crisis language in free text: words that mean someone may be in danger now.
//!
//! One detector for every text a person types: Search, Suggest, Match and the web page
//! all call [`signals_in`]. A match acts like the safety signal it stands for, even when
//! nobody ticked it. Phrases are compared after analysis (folding, stemming), word by
//! word in any order, so "hij sloeg me" and "ik werd geslagen" are found alike; words of
//! seven letters or more also match with one typo ("zelfmoort"), and a few unmistakable
//! word parts match inside compounds ("zelfmoordgedachten"). First and third person,
//! Dutch and English, direct and indirect phrasings are listed. False alarms cost a
//! crisis line at the top of the list; a miss can cost a life, so the list leans wide.

use std::collections::{HashMap, HashSet};
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
            "wil dood",
            "liever dood",
            "beter dood",
            "niet meer leven",
            "niet meer willen leven",
            "er niet meer zijn",
            "niet meer wakker worden",
            "leven beëindigen",
            "leven beeindigen",
            "einde aan maken",
            "eind aan maken",
            "er een eind aan maken",
            "eruit stappen",
            "uit het leven stappen",
            "er een punt achter zetten",
            "zie het niet meer zitten",
            "geen zin meer in het leven",
            "geen zin meer om te leven",
            "zin in het leven kwijt",
            "geen uitweg meer",
            "afscheidsbrief",
            "denk aan de dood",
            "denkt aan de dood",
            "wil niet meer leven",
            "pillen innemen alles",
            "alle pillen",
            "voor de trein",
            "van het dak springen",
            "van de brug springen",
            "mezelf iets aandoen",
            "zichzelf iets aandoen",
            "zichzelf wat aandoen",
            "mezelf wat aandoen",
            "zichzelf van het leven beroven",
            "ophangen mezelf",
            "kill myself",
            "killing myself",
            "want to die",
            "dont want to live",
            "do not want to live",
            "not want to live anymore",
            "dont want to be here anymore",
            "wants to die",
            "end my life",
            "end it all",
            "suicidal",
            "no reason to live",
            "hurt myself",
            "zelfbeschadiging",
            "snijdt zichzelf",
            "snijd mezelf",
        ],
    ),
    (
        Signal::HuiselijkGeweld,
        &[
            "huiselijk geweld",
            "partnergeweld",
            "geslagen",
            "slaat me",
            "slaat mij",
            "slaat haar",
            "slaat hem",
            "slaat ons",
            "sloeg me",
            "sloeg mij",
            "sloeg haar",
            "slaan me",
            "mishandeld",
            "mishandelt",
            "mishandeling",
            "geschopt",
            "schopt me",
            "gewurgd",
            "wurgt",
            "knijpt keel",
            "bedreigt",
            "bedreigd",
            "bedreiging",
            "dreigt me",
            "dreigt mij",
            "bang voor mijn man",
            "bang voor mijn vrouw",
            "bang voor mijn partner",
            "bang voor mijn vriend",
            "bang voor mijn ex",
            "bang voor haar ex",
            "bang voor zijn ex",
            "bang voor mijn zoon",
            "bang voor mijn vader",
            "bang voor thuis",
            "duwt me",
            "duwt haar",
            "duwt mij",
            "geduwd",
            "ouderenmishandeling",
            "financieel misbruik",
            "bang om naar huis",
            "durf niet naar huis",
            "agressief partner",
            "agressieve partner",
            "agressief thuis",
            "geweld thuis",
            "geweld in huis",
            "stalkt",
            "stalker",
            "gestalkt",
            "eergerelateerd",
            "uithuwelijking",
            "domestic violence",
            "hits me",
            "hit me",
            "beats me",
            "beaten",
            "abusive",
            "afraid of my husband",
            "afraid of my partner",
            "afraid of my ex",
            "threatens me",
        ],
    ),
    (
        Signal::Kindermishandeling,
        &[
            "kindermishandeling",
            "kind mishandeld",
            "kinderen mishandeld",
            "kind geslagen",
            "kind wordt geslagen",
            "kinderen worden geslagen",
            "wordt thuis geslagen",
            "vader slaat me",
            "moeder slaat me",
            "vader slaat mij",
            "moeder slaat mij",
            "ouders slaan me",
            "stiefvader slaat",
            "kind misbruikt",
            "misbruikt",
            "seksueel misbruik",
            "aangerand",
            "verkracht",
            "ontucht",
            "verwaarloosd kind",
            "verwaarloosd",
            "verwaarlozing",
            "vieze kleren",
            "zonder eten naar school",
            "krijgt geen eten",
            "kind verwaarloosd",
            "kinderen verwaarloosd",
            "kind verwaarlozing",
            "blauwe plekken kind",
            "kind blauwe plekken",
            "child abuse",
            "abused",
            "sexual abuse",
            "molested",
        ],
    ),
    (
        Signal::Dakloos,
        &[
            "dakloos",
            "thuisloos",
            "geen slaapplek",
            "geen slaapplaats",
            "geen plek om te slapen",
            "nergens slapen",
            "nergens te slapen",
            "op straat slapen",
            "slaapt op straat",
            "slaap op straat",
            "op straat gezet",
            "op straat staan",
            "uit huis gezet",
            "ontruimd",
            "ontruiming",
            "huisuitzetting",
            "geen dak boven",
            "geen dak",
            "vannacht nergens",
            "in de auto slapen",
            "slaapt in de auto",
            "slaapt buiten",
            "slaap buiten",
            "buiten slapen",
            "homeless",
            "nowhere to sleep",
            "sleeping rough",
            "on the street",
            "evicted",
        ],
    ),
    (
        Signal::AcuutGevaar,
        &[
            "levensgevaar",
            "acuut gevaar",
            "direct gevaar",
            "leven in gevaar",
            "nu in gevaar",
            "nu gevaar",
            "overdosis",
            "bewusteloos",
            "ademt niet",
            "ademt niet meer",
            "wapen",
            "met een mes",
            "mes gestoken",
            "neergestoken",
            "pistool",
            "vuurwapen",
            "hij gaat me vermoorden",
            "vermoorden",
            "vermoord",
            "doodmaken",
            "dood maken",
            "bloedt erg",
            "in danger",
            "overdose",
            "not breathing",
            "unconscious",
            "kill me",
            "knife",
        ],
    ),
];

/// Unmistakable word parts: found inside any word, so compounds count too.
const PARTS: &[(Signal, &str)] = &[
    (Signal::Suicidaal, "zelfmoord"),
    (Signal::Suicidaal, "suicid"),
    (Signal::Suicidaal, "zelfdoding"),
    (Signal::HuiselijkGeweld, "partnergeweld"),
    (Signal::HuiselijkGeweld, "mishandel"),
    (Signal::HuiselijkGeweld, "huiselijkgeweld"),
    (Signal::Kindermishandeling, "kindermishandel"),
    (Signal::Kindermishandeling, "kindermisbruik"),
    (Signal::Dakloos, "dakloos"),
    (Signal::AcuutGevaar, "levensgevaar"),
    (Signal::AcuutGevaar, "overdosis"),
];

/// Shortest word being typed that counts when it is the start of a word part above
/// ("zelfmoo" while typing "zelfmoord").
const TYPED_PART_MIN_CHARS: usize = 6;

/// Shortest word that may match with one typo.
const FUZZY_MIN_CHARS: usize = 7;

struct Detector {
    /// Per signal, its phrases as sets of stems.
    phrases: Vec<(Signal, Vec<Vec<String>>)>,
    /// Every stem the phrases use.
    vocabulary: HashSet<String>,
    /// One-letter deletions of the longer stems, to the stems they come from.
    deletions: HashMap<String, Vec<String>>,
}

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        let phrases: Vec<(Signal, Vec<Vec<String>>)> = PHRASES
            .iter()
            .map(|(signal, phrases)| {
                (
                    *signal,
                    phrases.iter().map(|p| analysis::stems(p)).collect(),
                )
            })
            .collect();
        let vocabulary: HashSet<String> = phrases
            .iter()
            .flat_map(|(_, list)| list.iter().flatten().cloned())
            .collect();
        let mut deletions: HashMap<String, Vec<String>> = HashMap::new();
        for word in &vocabulary {
            if word.chars().count() >= FUZZY_MIN_CHARS {
                for d in one_deletion(word) {
                    deletions.entry(d).or_default().push(word.clone());
                }
            }
        }
        Detector {
            phrases,
            vocabulary,
            deletions,
        }
    })
}

/// The word itself and every form with one letter left out.
fn one_deletion(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = vec![word.to_string()];
    for skip in 0..chars.len() {
        out.push(
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .collect(),
        );
    }
    out
}

impl Detector {
    /// The phrase stems `text` contains: exact, or within one typo of a longer stem.
    fn known_words(&self, text: &str) -> HashSet<String> {
        let mut found = HashSet::new();
        for word in analysis::stems(text) {
            if self.vocabulary.contains(&word) {
                found.insert(word);
                continue;
            }
            if word.chars().count() < FUZZY_MIN_CHARS {
                continue;
            }
            for d in one_deletion(&word) {
                if let Some(list) = self.deletions.get(&d) {
                    found.extend(list.iter().cloned());
                }
            }
        }
        found
    }
}

/// The signals whose crisis language occurs in `text`, in a fixed order.
pub fn signals_in(text: &str) -> Vec<Signal> {
    let d = detector();
    let words = d.known_words(text);
    let normalized = analysis::normalize(text);
    let folded = normalized.replace(' ', "");
    let typing = text
        .ends_with(|c: char| c.is_alphanumeric())
        .then(|| normalized.rsplit(' ').next())
        .flatten()
        .filter(|w| w.chars().count() >= TYPED_PART_MIN_CHARS);
    d.phrases
        .iter()
        .filter(|(signal, phrases)| {
            phrases
                .iter()
                .any(|p| !p.is_empty() && p.iter().all(|w| words.contains(w)))
                || PARTS.iter().any(|(s, part)| {
                    s == signal
                        && (folded.contains(part) || typing.is_some_and(|w| part.starts_with(w)))
                })
        })
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
        assert_eq!(
            signals_in("zelfmoo"),
            vec![Signal::Suicidaal],
            "while typing"
        );
        assert_eq!(signals_in("zelfmoordgedachten"), vec![Signal::Suicidaal]);
        assert_eq!(
            signals_in("hij heeft me gisteren weer geslagen"),
            vec![Signal::HuiselijkGeweld]
        );
        assert_eq!(
            signals_in("ik ben bang voor mijn ex"),
            vec![Signal::HuiselijkGeweld]
        );
        assert_eq!(
            signals_in("ik wil er een eind aan maken"),
            vec![Signal::Suicidaal]
        );
        assert_eq!(
            signals_in("geen dak boven mijn hoofd vannacht"),
            vec![Signal::Dakloos]
        );
        assert_eq!(signals_in("zelfmoort"), vec![Signal::Suicidaal], "one typo");
    }

    #[test]
    fn ordinary_worries_raise_no_alarm() {
        assert!(signals_in("Ik kan de huur niet betalen en voel me eenzaam").is_empty());
        assert!(signals_in("Geweldig dat het leven weer lukt").is_empty());
        assert!(signals_in("").is_empty());
        for text in [
            "Jongen van 17, is door corona zijn baan bij een productiebedrijf kwijt. Zit thuis te gamen en hangt op straat, thuis veel ruzie. Geeft meer uit dan hij heeft.",
            "vier het leven",
            "slaapproblemen",
            "ik wil niet meer naar school",
            "mijn baan is in gevaar",
            "de verwarming is uitgezet",
            "ik gun het je",
            "dood moe van de mantelzorg",
        ] {
            assert_eq!(signals_in(text), vec![], "{text}");
        }
    }
}

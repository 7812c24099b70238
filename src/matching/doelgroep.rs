//! Which groups (doelgroepen) a help request's person belongs to, and whether an
//! offering for certain groups is for them.
//!
//! Derived from what the request already carries — age, household, domains, the minima
//! flag, languages — plus the groups a professional ticked, which identify no one. A
//! group the request cannot tell about (a disability, say) stays unknown, and an unknown
//! never excludes: a wrong "not for you" hides help. An offering for a group the person
//! is shown not to be in does not appear, unless the request's text asks for that group
//! ("mijn zoon", "ik ben zzp'er").

use std::sync::OnceLock;

use crate::domain::{Doelgroep, HelpRequest, Household, Leefgebied, Signal};
use crate::search::analysis;

/// Whether the person belongs to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// The request shows it.
    In,
    /// The request shows the person is not.
    Out,
    /// The request does not tell.
    Unknown,
}

/// Youngest age counted as older people.
const OUDEREN_FROM: u32 = 65;
/// Below this age a person is surely not counted as older.
const OUDEREN_SURELY_NOT_BELOW: u32 = 55;
/// The age from which people receive the AOW (state pension): work re-integration under
/// the Participatiewet ends there.
const AOW_AGE: u32 = 67;
/// Domain scores at or below this (2, niet zelfredzaam) may hide homelessness or
/// detention the request does not name.
const SERIOUS_SCORE: u8 = 2;
/// The age band of young people.
const JONGEREN: std::ops::RangeInclusive<u32> = 12..=27;

/// Words in a request's text that ask for a group's help, whoever the request is about
/// (a parent asking about a child, a daughter about her mother).
fn text_words(group: Doelgroep) -> &'static [&'static str] {
    match group {
        Doelgroep::Jeugd => &[
            "kind", "kinderen", "zoon", "dochter", "baby", "peuter", "kleuter", "puber", "tiener",
            "scholier", "leerling", "jeugd", "child", "son", "daughter",
        ],
        Doelgroep::Jongeren => &[
            "jongere",
            "jongeren",
            "puber",
            "tiener",
            "zoon",
            "dochter",
            "student",
            "jongerenwerk",
            "teenager",
        ],
        // Not "moeder", "vader" or "ouders": in a help request they are mostly the
        // person's own parents ("mijn moeder is ziek"), not the person as a parent.
        Doelgroep::Ouders => &[
            "zwanger",
            "zwangerschap",
            "baby",
            "opvoeding",
            "opvoeden",
            "kind",
            "kinderen",
            "zoon",
            "dochter",
            "pregnant",
            "parent",
        ],
        Doelgroep::Ouderen => &[
            "oudere",
            "ouderen",
            "bejaard",
            "oma",
            "opa",
            "moeder",
            "vader",
            "schoonmoeder",
            "schoonvader",
            "pensioen",
            "aow",
            "dementie",
            "elderly",
        ],
        Doelgroep::Mantelzorgers => &[
            "mantelzorg",
            "mantelzorger",
            "zorg",
            "zorgen",
            "verzorg",
            "overbelast",
            "carer",
        ],
        Doelgroep::Ondernemers => &[
            "zzp",
            "zzper",
            "ondernemer",
            "zelfstandige",
            "zelfstandig",
            "bedrijf",
            "zaak",
            "winkel",
            "kvk",
            "horeca",
            "eetcafe",
            "klanten",
            "opdrachten",
            "self",
            "business",
        ],
        Doelgroep::Nieuwkomers => &[
            "statushouder",
            "vluchteling",
            "nieuwkomer",
            "asiel",
            "inburgering",
            "inburgeren",
            "azc",
            "refugee",
            "migrant",
            "arbeidsmigrant",
        ],
        Doelgroep::Bijstand => &[
            "bijstand",
            "bijstandsuitkering",
            "wajong",
            "participatieplek",
            "participatiewet",
            "reintegratie",
            "welfare",
        ],
        Doelgroep::DaklozenGedetineerden => &[
            "dakloos",
            "dakloze",
            "daklozen",
            "thuisloos",
            "thuisloze",
            "thuislozen",
            "nachtopvang",
            "zwerven",
            "bankslaper",
            "gevangenis",
            "detentie",
            "gedetineerd",
            "gedetineerde",
            "vrijgekomen",
            "reclassering",
            "homeless",
            "prison",
        ],
        Doelgroep::Beperking | Doelgroep::Minima | Doelgroep::Iedereen => &[],
    }
}

/// Words for the person's own children: without an age beside them they ask for youth
/// and parents' help only from someone young enough to have a child under 18.
const CHILD_WORDS: &[&str] = &[
    "kind", "kinderen", "zoon", "dochter", "child", "children", "son", "daughter",
];
/// From this age a person's children, when the text gives them no age, are taken to be
/// grown up ("zijn kinderen wonen ver weg" from a man of 83).
const GROWN_CHILDREN_FROM: u32 = 60;
/// Words between a group word and the age that follows it ("zoon van 10", "dochter is
/// 15"); an age in brackets follows directly ("zoon (15)").
const AGE_LINKS: &[&str] = &["van", "is"];
/// The word after an age that precedes a group word ("15-jarige zoon").
const AGE_ADJECTIVE: &str = "jarig";

/// Stems of a list of words, in order.
fn stems_of(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| analysis::stem(w)).collect()
}

/// The age the text gives beside the word at `at` ("zoon van 10", "15-jarige zoon").
fn age_beside(stems: &[String], at: usize) -> Option<u32> {
    let number = |i: usize| stems.get(i).and_then(|s| s.parse::<u32>().ok());
    let after = |i: usize| {
        number(i).or_else(|| {
            stems
                .get(i)
                .filter(|s| AGE_LINKS.contains(&s.as_str()))
                .and_then(|_| number(i + 1))
        })
    };
    after(at + 1).or_else(|| {
        let adjective = at.checked_sub(1).and_then(|i| stems.get(i));
        let adjective = adjective.is_some_and(|s| s == AGE_ADJECTIVE);
        adjective
            .then(|| at.checked_sub(2).and_then(number))
            .flatten()
    })
}

/// Whether someone of `age` can be in `group`, for a group word the text gives an age:
/// "dochter van 56" is no child, "zoon van 10" makes the person a parent of a minor.
fn age_fits(group: Doelgroep, age: u32) -> bool {
    match group {
        Doelgroep::Jeugd | Doelgroep::Ouders => age < 18,
        Doelgroep::Jongeren => JONGEREN.contains(&age),
        Doelgroep::Ouderen => age >= OUDEREN_SURELY_NOT_BELOW,
        _ => true,
    }
}

/// Whether the text (its stems, in order) asks for one of a group's words, for a person
/// of `age`: a word the text gives an age counts only when that age fits the group, and
/// a word for one's children without an age only from someone young enough to have a
/// minor child.
fn asks_for(group: Doelgroep, stems: &[String], age: Option<u32>) -> bool {
    struct Words {
        groups: Vec<Vec<String>>,
        children: Vec<String>,
    }
    static WORDS: OnceLock<Words> = OnceLock::new();
    let words = WORDS.get_or_init(|| Words {
        groups: Doelgroep::ALL
            .iter()
            .map(|&g| stems_of(text_words(g)))
            .collect(),
        children: stems_of(CHILD_WORDS),
    });
    let Some(group_words) = Doelgroep::ALL
        .iter()
        .position(|&g| g == group)
        .map(|i| &words.groups[i])
    else {
        return false;
    };
    let grown_children = age.is_some_and(|a| a >= GROWN_CHILDREN_FROM);
    stems.iter().enumerate().any(|(at, stem)| {
        group_words.contains(stem)
            && match age_beside(stems, at) {
                Some(their_age) => age_fits(group, their_age),
                None => !(grown_children && words.children.contains(stem)),
            }
    })
}

/// The person's membership of `group`, from the request's facts alone.
pub fn membership(group: Doelgroep, r: &HelpRequest) -> Membership {
    let c = &r.context;
    if c.groups.contains(&group) {
        return Membership::In;
    }
    let has = |l: Leefgebied| r.leefgebieden.iter().any(|d| d.leefgebied == l);
    let by = |yes: bool| if yes { Membership::In } else { Membership::Out };
    match group {
        Doelgroep::Iedereen => Membership::In,
        Doelgroep::Jeugd => c.age.map_or(Membership::Unknown, |a| by(a < 18)),
        Doelgroep::Jongeren => c
            .age
            .map_or(Membership::Unknown, |a| by(JONGEREN.contains(&a))),
        Doelgroep::Ouderen => match c.age {
            Some(a) if a >= OUDEREN_FROM => Membership::In,
            Some(a) if a < OUDEREN_SURELY_NOT_BELOW => Membership::Out,
            _ => Membership::Unknown,
        },
        // A minor in a family household is the family's child, not its parent (a young
        // parent's text says so: "zwanger", "baby", "mijn kind").
        Doelgroep::Ouders if c.age.is_some_and(|a| a < 18) => Membership::Out,
        Doelgroep::Ouders => match c.household {
            Some(Household::Gezin | Household::Eenoudergezin) => Membership::In,
            _ if has(Leefgebied::Opvoeding) => Membership::In,
            Some(Household::Alleenstaand | Household::Samenwonend) => Membership::Out,
            None => Membership::Unknown,
        },
        Doelgroep::Mantelzorgers => by(has(Leefgebied::Mantelzorg)),
        Doelgroep::Ondernemers => by(has(Leefgebied::Ondernemen)),
        Doelgroep::Nieuwkomers => {
            let speaks_dutch = c.languages.is_empty() || c.languages.iter().any(|l| l == "nl");
            if !speaks_dutch {
                Membership::In
            } else {
                Membership::Out
            }
        }
        Doelgroep::Minima => by(c.minima),
        // Benefits run from 18 to the AOW age and pay no more than the social minimum,
        // so a request that does not say minima shows someone without one.
        Doelgroep::Bijstand => match c.age {
            Some(a) if !(18..AOW_AGE).contains(&a) => Membership::Out,
            _ if !c.minima => Membership::Out,
            _ => Membership::Unknown,
        },
        // Homelessness or detention shows in a signal, or else in a housing or justice
        // domain at its worst scores; without those the person is neither.
        Doelgroep::DaklozenGedetineerden => {
            let serious = |l: Leefgebied| {
                r.leefgebieden
                    .iter()
                    .any(|d| d.leefgebied == l && d.score <= SERIOUS_SCORE)
            };
            if r.signals.contains(&Signal::Dakloos) {
                Membership::In
            } else if serious(Leefgebied::Huisvesting) || serious(Leefgebied::Justitie) {
                Membership::Unknown
            } else {
                Membership::Out
            }
        }
        Doelgroep::Beperking => Membership::Unknown,
    }
}

/// The groups a request's person may be in: worked out once per request, then asked
/// for every offering.
#[derive(Debug, Clone)]
pub struct Person {
    /// Per group (in [`Doelgroep::ALL`] order): shown not to be in it, and not asked for
    /// by the text.
    out: Vec<bool>,
}

impl Person {
    /// The person of `r`: membership from the facts, widened by what the text asks for.
    pub fn of(r: &HelpRequest) -> Person {
        let mut text_stems: Option<Vec<String>> = None;
        let out = Doelgroep::ALL
            .iter()
            .map(|&g| {
                membership(g, r) == Membership::Out && {
                    let stems = text_stems.get_or_insert_with(|| analysis::stems(&r.text));
                    !asks_for(g, stems, r.context.age)
                }
            })
            .collect();
        Person { out }
    }

    /// Whether an offering for `groups` is not for this person: it is for them when any
    /// of its groups is one they are in, may be in, or one their text asks for.
    pub fn excluded(&self, groups: &[Doelgroep]) -> bool {
        !groups.is_empty()
            && groups.iter().all(|g| {
                Doelgroep::ALL
                    .iter()
                    .position(|x| x == g)
                    .is_some_and(|i| self.out[i])
            })
    }
}

/// [`Person::excluded`] for one request and one offering's groups.
pub fn excluded(groups: &[Doelgroep], r: &HelpRequest) -> bool {
    Person::of(r).excluded(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DomainScore;

    fn person(age: u32, household: Household) -> HelpRequest {
        let mut r = HelpRequest::default();
        r.context.age = Some(age);
        r.context.household = Some(household);
        r
    }

    #[test]
    fn groups_follow_from_age_household_and_domains() {
        let carer = {
            let mut r = person(48, Household::Samenwonend);
            r.leefgebieden.push(DomainScore {
                leefgebied: Leefgebied::Mantelzorg,
                score: 2,
            });
            r
        };
        assert!(
            excluded(&[Doelgroep::Jeugd], &carer),
            "youth care for a carer of 48"
        );
        assert!(
            excluded(&[Doelgroep::Ondernemers], &carer),
            "not self-employed"
        );
        assert!(!excluded(&[Doelgroep::Mantelzorgers], &carer));
        assert!(
            !excluded(&[Doelgroep::Beperking], &carer),
            "unknown never excludes"
        );
        assert!(!excluded(&[], &carer), "for everyone");
        let old = person(91, Household::Alleenstaand);
        assert!(excluded(&[Doelgroep::Jongeren], &old));
        assert!(!excluded(&[Doelgroep::Ouderen], &old));
        assert!(
            !excluded(&[Doelgroep::Jongeren, Doelgroep::Ouderen], &old),
            "any group"
        );
    }

    #[test]
    fn benefit_routes_need_a_minimum_income_and_working_age() {
        let mut laid_off = person(52, Household::Gezin);
        laid_off.leefgebieden.push(DomainScore {
            leefgebied: Leefgebied::WerkOpleiding,
            score: 2,
        });
        laid_off.text = "Ontslagen bij de scheepswerf, krijgt nu WW en zoekt werk".into();
        assert!(
            excluded(&[Doelgroep::Bijstand], &laid_off),
            "looking for work is not being on a benefit"
        );
        laid_off.context.minima = true;
        assert!(
            !excluded(&[Doelgroep::Bijstand], &laid_off),
            "may be on one"
        );
        laid_off.context.age = Some(67);
        assert!(excluded(&[Doelgroep::Bijstand], &laid_off), "AOW age");
        let mut said = person(30, Household::Alleenstaand);
        said.text = "Ik zit in de bijstand en wil weer iets doen".into();
        assert!(!excluded(&[Doelgroep::Bijstand], &said), "the text says so");
    }

    #[test]
    fn the_text_can_ask_for_another_group() {
        let mut parent = person(41, Household::Alleenstaand);
        assert!(excluded(&[Doelgroep::Jeugd], &parent));
        parent.text = "Mijn zoon wil niet meer naar school".into();
        assert!(!excluded(&[Doelgroep::Jeugd], &parent));
        let mut zzp = person(37, Household::Gezin);
        zzp.text = "Ik ben zzp'er en heb geen opdrachten meer".into();
        assert!(!excluded(&[Doelgroep::Ondernemers], &zzp));
        assert_eq!(
            crate::domain::wording::for_whom(&[Doelgroep::Ondernemers]).as_deref(),
            Some("Voor ondernemers en zzp'ers.")
        );
    }

    #[test]
    fn a_child_or_parent_the_text_gives_an_age_asks_for_that_age_only() {
        let jeugd = &[Doelgroep::Jeugd, Doelgroep::Ouders];
        let mut carer = person(56, Household::Samenwonend);
        carer.text = "Dochter van 56 zorgt voor haar moeder van 84 met dementie".into();
        assert!(excluded(jeugd, &carer), "a daughter of 56 is no child");
        carer.text = "Zorgt ook voor haar zoon van 15".into();
        assert!(!excluded(jeugd, &carer), "a son of 15 is one");
        carer.text = "Haar 15-jarige zoon spijbelt".into();
        assert!(!excluded(jeugd, &carer), "an age before the word");
        carer.text = "Haar zoon (15) spijbelt".into();
        assert!(!excluded(jeugd, &carer), "an age in brackets");
        carer.text = "Haar zoon is 31 en woont in Breda".into();
        assert!(excluded(jeugd, &carer), "a grown son");
        assert!(excluded(&[Doelgroep::Jongeren], &carer), "nor a jongere");

        let mut widower = person(83, Household::Alleenstaand);
        widower.text = "Weduwnaar, zijn kinderen wonen ver weg".into();
        assert!(
            excluded(jeugd, &widower),
            "the children of a man of 83 are grown"
        );
        widower.text =
            "Hij zorgt voor zijn kleinkind van 6; zijn zoon van 8 woont ook bij hem".into();
        assert!(
            !excluded(jeugd, &widower),
            "unless the text gives a child's age"
        );
        let mut parent = person(44, Household::Alleenstaand);
        parent.text = "Haar kinderen willen niet meer naar school".into();
        assert!(
            !excluded(jeugd, &parent),
            "a parent of 44 may have minor children"
        );
    }
}

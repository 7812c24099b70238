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

use crate::domain::rules::{ADULT_AGE, FULL_TIME_SCHOOL_BELOW};
use crate::domain::{Doelgroep, Eligibility, HelpRequest, Household, Leefgebied, Signal};
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
/// Below this age, someone in a family household with no parenting domain is taken as
/// its child, not a parent, unless the text says otherwise (an 18-year-old "heeft ruzie
/// met zijn ouders").
const CHILD_AT_HOME_BELOW: u32 = 21;
/// The age band of young people.
const JONGEREN: std::ops::RangeInclusive<u32> = 12..=27;

/// Words in a request's text that ask for a group's help, whoever the request is about
/// (a parent asking about a child, a daughter about her mother).
fn text_words(group: Doelgroep) -> &'static [&'static str] {
    match group {
        Doelgroep::Jeugd => &[
            "kind", "kinderen", "zoon", "dochter", "baby", "peuter", "kleuter", "puber", "tiener",
            "scholier", "leerling", "jeugd", "child", "children", "son", "daughter",
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
            "zoontje",
            "dochtertje",
            "kindje",
            "peuter",
            "tweeling",
            "bevallen",
            "kraamtijd",
            "pregnant",
            "parent",
            "child",
            "children",
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
            "zorgt",
            "verzorg",
            "overbelast",
            "carer",
        ],
        Doelgroep::Ondernemers => &[
            "zzp",
            "zzper",
            "ondernemer",
            "zelfstandige",
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
            "daklozenopvang",
            "zwerven",
            "zwerver",
            "bankslaper",
            "bankslapen",
            "gevangenis",
            "detentie",
            "gedetineerd",
            "gedetineerde",
            "vrijgekomen",
            "vrijgelaten",
            "reclassering",
            "homeless",
            "prison",
        ],
        // A teenager looking for a (side) job asks for the work services.
        Doelgroep::Werkenden => &[
            "werk",
            "werken",
            "stage",
            "stageplek",
            "baan",
            "bijbaan",
            "bijbaantje",
            "vakantiewerk",
            "solliciteren",
            "sollicitatie",
            "werkzoekend",
            "werkzoekende",
            "werkloos",
            "vacature",
            "ontslag",
            "werkgever",
            "job",
        ],
        Doelgroep::Beperking | Doelgroep::Minima | Doelgroep::Iedereen => &[],
    }
}

/// Words for the person's own children. The text may give their age ("zoon van 10");
/// without one they ask for youth and parents' help only from someone young enough to
/// have a child under 18.
const CHILD_WORDS: &[&str] = &[
    "kind", "kinderen", "zoon", "dochter", "child", "children", "son", "daughter",
];
/// Words for a pregnancy or a young child whose age they do not give: with one of them,
/// an offering for parents of young children is for the person whatever ages the text
/// gives their other children.
const EXPECTING: &[&str] = &[
    "zwanger",
    "zwangerschap",
    "baby",
    "bevallen",
    "kraamtijd",
    "pasgeboren",
    "pregnant",
    "newborn",
    "zoontje",
    "dochtertje",
    "kindje",
    "peuter",
    "kleuter",
    "tweeling",
    "toddler",
    "infant",
];
/// From this age a person's children, when the text gives them no age, are taken to be
/// grown up ("zijn kinderen wonen ver weg" from a man of 83).
const GROWN_CHILDREN_FROM: u32 = 60;
/// Words between a child word and the age that follows it ("zoon van 10", "dochter is
/// 15"); an age in brackets follows directly ("zoon (15)").
const AGE_LINKS: &[&str] = &["van", "is"];
/// Words between two ages ("kinderen van 4 en 7").
const AGE_LIST: &[&str] = &["en", "of"];
/// The word after an age that precedes a child word ("15-jarige zoon").
const AGE_ADJECTIVE: &str = "jarig";
/// Units after a number that make it a baby's age ("baby van 20 weken").
const BABY_UNITS: &[&str] = &["week", "weken", "maand", "maanden", "dag", "dagen"];
/// Units after a number that make it no age at all ("dochter is 24 uur per dag thuis").
const NO_AGE_UNITS: &[&str] = &["uur", "keer", "euro", "procent", "kilo", "km"];
/// Above this a number is no one's age ("zoon (2012)").
const OLDEST_AGE: u32 = 120;

/// Words that, right before "zorgen", make it worries rather than care for someone:
/// "maakt zich zorgen", "heeft veel zorgen" ("wij zorgen voor onze moeder" and "voor
/// ons kind zorgen" still ask for mantelzorgers).
const WORRY_RIGHT_BEFORE: &[&str] = &["zich", "me", "mij", "ons", "je", "veel", "grote", "erge"];

/// Forms of "maken" that, up to three words before "zorgen", make it worries ("ik maak
/// me grote zorgen").
const WORRY_MAKE: &[&str] = &["maak", "maakt", "maken", "maakte", "maakten", "gemaakt"];

/// Words that, right after "zorgen", make it worries: "zorgen maken", "zorgen over geld",
/// "zorgen om haar zoon".
const WORRY_AFTER: &[&str] = &["maken", "over", "om"];

/// Whether the word at `i` of `words` stems like a group's word without asking for the
/// group: "zorgen" as worries ([`WORRY_RIGHT_BEFORE`], [`WORRY_MAKE`], [`WORRY_AFTER`]),
/// and "zelfstandig" as living on one's own ("woont zelfstandig"; "zelfstandige" stems
/// alike) unless "zonder" follows ("zelfstandig zonder personeel").
fn not_asking(words: &[&str], i: usize) -> bool {
    let next = words.get(i + 1).copied();
    match words[i] {
        "zorgen" => {
            i.checked_sub(1)
                .is_some_and(|b| WORRY_RIGHT_BEFORE.contains(&words[b]))
                || words[i.saturating_sub(3)..i]
                    .iter()
                    .any(|w| WORRY_MAKE.contains(w))
                || next.is_some_and(|w| WORRY_AFTER.contains(&w))
        }
        "zelfstandig" => next != Some("zonder"),
        _ => false,
    }
}

/// The stems of a request's text in order, with an empty stem for each word that does
/// not ask for a group ([`not_asking`]), so positions still line up with the words, for
/// ages.
fn asking_stems(text: &str) -> Vec<String> {
    let text = analysis::normalize(text);
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    (0..words.len())
        .map(|i| {
            if not_asking(&words, i) {
                String::new()
            } else {
                analysis::stem(words[i])
            }
        })
        .collect()
}

/// Stems of a list of words, in order.
fn stems_of(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| analysis::stem(w)).collect()
}

/// Words before a child word that point back to a child named before ("de dochter").
const REFERS_BACK: &[&str] = &["de", "die", "deze"];

/// What a text tells of the person's children: the ages it gives them ("zoon (16)",
/// "kinderen van 4 en 7") and whether it speaks of a pregnancy or a baby.
#[derive(Debug, Clone, Default)]
struct Children {
    ages: Vec<u32>,
    expecting: bool,
}

impl Children {
    fn of(stems: &[String]) -> Children {
        static WORDS: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
        let (children, expecting) =
            WORDS.get_or_init(|| (stems_of(CHILD_WORDS), stems_of(EXPECTING)));
        let mut out = Children {
            ages: Vec::new(),
            expecting: stems.iter().any(|s| expecting.contains(s)),
        };
        let mut aged: Vec<&str> = Vec::new();
        for at in (0..stems.len()).filter(|&at| children.contains(&stems[at])) {
            let ages = ages_beside(stems, at);
            // "De dochter" after "een dochter van 15" is that daughter again.
            let again = ages.is_empty()
                && aged.contains(&stems[at].as_str())
                && at
                    .checked_sub(1)
                    .is_some_and(|b| REFERS_BACK.contains(&stems[b].as_str()));
            if !ages.is_empty() {
                aged.push(&stems[at]);
            }
            // A child the text gives no age ("zoon (16) en een dochter") may be young.
            out.expecting |= ages.is_empty() && !again;
            out.ages.extend(ages);
        }
        out
    }

    /// Whether the text shows the person as a parent of none but children older than
    /// the children an offering helps (its `kind_leeftijd_max`): every child it names has
    /// an age, all above that, and no pregnancy or young child is spoken of. Then its
    /// group `ouders` ("ouders en kinderen tot 2 jaar") is not theirs.
    fn all_older_than(&self, e: &Eligibility) -> bool {
        e.child_max_age.is_some_and(|max| {
            !self.expecting && !self.ages.is_empty() && self.ages.iter().all(|&a| a > max)
        })
    }
}

/// The groups of an offering that cannot be the person's whatever else holds: `jeugd`
/// for a child older than the children it helps ([`Eligibility::too_old_a_child`]);
/// `jeugd` and `ouders` when the text names only children older than those
/// ([`Children::all_older_than`]: the help is for a younger child and its parents).
#[derive(Debug, Clone, Copy)]
struct Closed {
    jeugd: bool,
    ouders: bool,
}

impl Closed {
    fn of(e: &Eligibility, age: Option<u32>, children: &Children) -> Closed {
        // A person young enough for it keeps it, whatever the text says of siblings.
        let young_enough = age
            .zip(e.child_max_age)
            .is_some_and(|(age, max)| age <= max);
        let older = !young_enough && children.all_older_than(e);
        Closed {
            jeugd: older || age.is_some_and(|a| e.too_old_a_child(a)),
            ouders: older,
        }
    }
}

/// What a number at `i` says as an age: `Some(age)`, or `None` when it is no age (a
/// year, a count of hours or euros).
fn age_at(stems: &[String], i: usize) -> Option<u32> {
    static UNITS: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    let (baby, none) = UNITS.get_or_init(|| (stems_of(BABY_UNITS), stems_of(NO_AGE_UNITS)));
    let n = stems
        .get(i)?
        .parse::<u32>()
        .ok()
        .filter(|&n| n <= OLDEST_AGE)?;
    match stems.get(i + 1) {
        Some(unit) if baby.contains(unit) => Some(0),
        Some(unit) if none.contains(unit) => None,
        _ => Some(n),
    }
}

/// The ages the text gives the child word at `at`: "zoon van 10", "kinderen van 4 en 7",
/// "zoon (15)", "15-jarige zoon". Empty when it gives none.
fn ages_beside(stems: &[String], at: usize) -> Vec<u32> {
    let is_number = |i: usize| stems.get(i).is_some_and(|s| s.parse::<u32>().is_ok());
    let mut i = at + 1;
    if !is_number(i)
        && stems
            .get(i)
            .is_some_and(|s| AGE_LINKS.contains(&s.as_str()))
    {
        i += 1;
    }
    let mut ages = Vec::new();
    while is_number(i) {
        ages.extend(age_at(stems, i));
        // "kinderen van 16, 14 en 1": the commas are gone, the numbers follow each other.
        if is_number(i + 1) {
            i += 1;
            continue;
        }
        let joined = stems
            .get(i + 1)
            .is_some_and(|s| AGE_LIST.contains(&s.as_str()));
        if !(joined && is_number(i + 2)) {
            break;
        }
        i += 2;
    }
    let adjective = at.checked_sub(1).and_then(|i| stems.get(i));
    if ages.is_empty() && adjective.is_some_and(|s| s == AGE_ADJECTIVE) {
        ages.extend(at.checked_sub(2).and_then(|i| age_at(stems, i)));
    }
    ages
}

/// Whether a child of `age` makes the person one for `group`'s help: "dochter van 56" is
/// no child, "zoon van 10" makes the person a parent of a minor.
fn age_fits(group: Doelgroep, age: u32) -> bool {
    match group {
        Doelgroep::Jeugd | Doelgroep::Ouders => age < ADULT_AGE,
        Doelgroep::Jongeren => JONGEREN.contains(&age),
        _ => true,
    }
}

/// Whether the text (its stems, in order) asks for one of a group's words, for a person
/// of `age`. A word for a child counts only when an age the text gives it fits the
/// group, or, when it gives none, from someone young enough to have a minor child.
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
        if !group_words.contains(stem) {
            return false;
        }
        if !words.children.contains(stem) {
            return true;
        }
        let ages = ages_beside(stems, at);
        if ages.is_empty() {
            !grown_children
        } else {
            ages.iter().any(|&a| age_fits(group, a))
        }
    })
}

/// What an age alone says of membership of `group`: youth, young people and older
/// people by their age bands; a minor is no parent; benefits run from 18 to the AOW age;
/// a child of full-time school age is no worker or job seeker.
fn by_age(group: Doelgroep, age: u32) -> Membership {
    let by = |yes: bool| if yes { Membership::In } else { Membership::Out };
    match group {
        Doelgroep::Jeugd => by(age < ADULT_AGE),
        Doelgroep::Jongeren => by(JONGEREN.contains(&age)),
        Doelgroep::Ouderen if age >= OUDEREN_FROM => Membership::In,
        Doelgroep::Ouderen if age < OUDEREN_SURELY_NOT_BELOW => Membership::Out,
        Doelgroep::Ouders if age < ADULT_AGE => Membership::Out,
        Doelgroep::Bijstand if !(ADULT_AGE..AOW_AGE).contains(&age) => Membership::Out,
        Doelgroep::Werkenden if age < FULL_TIME_SCHOOL_BELOW => Membership::Out,
        _ => Membership::Unknown,
    }
}

/// Words right before a number that make it the age of the person a text is about:
/// "ik ben 45", "mijn vader is 80" (a word for a person also does: "zoon 15", "moeder
/// van 80", see [`age_in_text`]).
const AGE_BEFORE: &[&str] = &["ben", "is", "wordt", "werd"];
/// Words right after a number that make it an age: "15-jarige" ("2 jaar" alone is as
/// often how long something has lasted).
const AGE_AFTER: &[&str] = &["jarig", "jarige"];
/// Words for a person, besides relatives ([`analysis::is_person_word`]) and children,
/// that an age may follow ("student 20", "meisje van 17").
const PERSON_NOUNS: &[&str] = &[
    "jongen", "meisje", "student", "studente", "tiener", "puber", "baby", "oudere", "jongere",
];

/// The one age a free text (a search) gives the person it is about, when it gives one:
/// a number after "ik ben", "is", a word for a person ("zoon 15", "moeder van 80"), or
/// before "-jarige". `None` when it gives none or several ("ik ben 45 en mijn
/// zoon 15"), or the number is no age (a sum, hours, a year).
fn age_in_text(text: &str) -> Option<u32> {
    let normalized = analysis::normalize(text);
    let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
    let stems = stems_of(&words);
    let person = |w: &str| {
        analysis::is_person_word(w) || CHILD_WORDS.contains(&w) || PERSON_NOUNS.contains(&w)
    };
    let mut ages: Vec<u32> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if word.parse::<u32>().is_err() {
            continue;
        }
        let before = |back: usize| i.checked_sub(back).map(|j| words[j]);
        let told = words.get(i + 1).is_some_and(|w| AGE_AFTER.contains(w))
            || before(1).is_some_and(|w| AGE_BEFORE.contains(&w) || person(w))
            || (before(1) == Some("van") && before(2).is_some_and(person));
        if told {
            ages.extend(age_at(&stems, i));
        }
    }
    ages.sort_unstable();
    ages.dedup();
    match ages[..] {
        [age] => Some(age),
        _ => None,
    }
}

/// Words that say the person has retired.
const RETIRED: &[&str] = &[
    "pensioen",
    "gepensioneerd",
    "gepensioneerde",
    "aow",
    "aower",
    "retired",
];

/// Whether `text` says the person has retired (its words, folded and stemmed).
fn retired(text: &str) -> bool {
    static STEMS: OnceLock<Vec<String>> = OnceLock::new();
    let retired = STEMS.get_or_init(|| stems_of(RETIRED));
    analysis::stems(text).iter().any(|s| retired.contains(s))
}

/// The person a search text is about, as far as an age in it tells: in a search that is
/// all that is known of them. Read once per search.
#[derive(Debug, Clone)]
pub struct Aged {
    age: u32,
    /// The text's stems, for the groups it asks for ([`asking_stems`]).
    stems: Vec<String>,
    children: Children,
}

impl Aged {
    /// The person of `text`, when it gives one age ([`age_in_text`]), or says they are
    /// retired ("sinds mijn pensioen", "gepensioneerd"): then of the AOW age.
    pub fn of(text: &str) -> Option<Aged> {
        age_in_text(text)
            .or_else(|| retired(text).then_some(AOW_AGE))
            .map(|age| {
                let stems = asking_stems(text);
                Aged {
                    age,
                    children: Children::of(&stems),
                    stems,
                }
            })
    }

    /// The age the text gives.
    pub fn age(&self) -> u32 {
        self.age
    }

    /// Whether an offering is not for a person of this age: its age limits, or its
    /// groups are none a person of this age can be in and the text asks for none of
    /// them either ("zoon" asks for youth help); some groups are closed to them
    /// ([`Closed`]).
    pub fn not_for(&self, e: &Eligibility) -> bool {
        !e.admits_age(self.age)
            || self.outside(&e.groups, Closed::of(e, Some(self.age), &self.children))
    }

    fn outside(&self, groups: &[Doelgroep], closed: Closed) -> bool {
        !groups.is_empty()
            && open_groups(groups, closed).all(|g| by_age(g, self.age) == Membership::Out)
            && !open_groups(groups, closed).any(|g| asks_for(g, &self.stems, Some(self.age)))
    }
}

/// The groups of an offering that a person may still be in: all but those [`Closed`]
/// to them.
fn open_groups(groups: &[Doelgroep], closed: Closed) -> impl Iterator<Item = Doelgroep> + '_ {
    groups.iter().copied().filter(move |&g| {
        !(closed.jeugd && g == Doelgroep::Jeugd || closed.ouders && g == Doelgroep::Ouders)
    })
}

/// The person's membership of `group`, from the request's facts and the signals it
/// carries (ticked, or heard in its text).
fn membership(group: Doelgroep, r: &HelpRequest, signals: &[Signal]) -> Membership {
    let c = &r.context;
    if c.groups.contains(&group) {
        return Membership::In;
    }
    let has = |l: Leefgebied| r.leefgebieden.iter().any(|d| d.leefgebied == l);
    let by = |yes: bool| if yes { Membership::In } else { Membership::Out };
    let aged = |g: Doelgroep| c.age.map_or(Membership::Unknown, |a| by_age(g, a));
    match group {
        Doelgroep::Iedereen => Membership::In,
        Doelgroep::Jeugd | Doelgroep::Jongeren | Doelgroep::Ouderen | Doelgroep::Werkenden => {
            aged(group)
        }
        // A minor is a child, not a parent; so is a young adult in a family household
        // with no parenting domain (a young parent's request says so: an opvoeding score,
        // or text such as "zwanger", "baby", "mijn kind").
        Doelgroep::Ouders if aged(group) == Membership::Out => Membership::Out,
        Doelgroep::Ouders
            if c.age.is_some_and(|a| a < CHILD_AT_HOME_BELOW)
                && c.household == Some(Household::Gezin)
                && !has(Leefgebied::Opvoeding) =>
        {
            Membership::Out
        }
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
        Doelgroep::Bijstand if aged(group) == Membership::Out || !c.minima => Membership::Out,
        Doelgroep::Bijstand => Membership::Unknown,
        // Homelessness or detention shows in a signal, or else in a housing or justice
        // domain at its worst scores; without those the person is neither.
        Doelgroep::DaklozenGedetineerden => {
            let serious = |l: Leefgebied| {
                r.leefgebieden
                    .iter()
                    .any(|d| d.leefgebied == l && d.score <= SERIOUS_SCORE)
            };
            if signals.contains(&Signal::Dakloos) {
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
    /// The person's age, when known.
    age: Option<u32>,
    /// What the text tells of their children.
    children: Children,
}

impl Person {
    /// The person of `r`: membership from the facts, widened by what the text asks for.
    pub fn of(r: &HelpRequest) -> Person {
        Self::hearing(r, &r.signals)
    }

    /// The same, with `signals` (those ticked and those heard in the text) in place of
    /// the ones the request carries.
    pub fn hearing(r: &HelpRequest, signals: &[Signal]) -> Person {
        let mut text_stems: Option<Vec<String>> = None;
        let out = Doelgroep::ALL
            .iter()
            .map(|&g| {
                membership(g, r, signals) == Membership::Out && {
                    let stems = text_stems.get_or_insert_with(|| asking_stems(&r.text));
                    !asks_for(g, stems, r.context.age)
                }
            })
            .collect();
        // Without a number the text gives no child an age, and closes nothing.
        let children = if r.text.bytes().any(|b| b.is_ascii_digit()) {
            Children::of(text_stems.get_or_insert_with(|| asking_stems(&r.text)))
        } else {
            Children::default()
        };
        Person {
            out,
            age: r.context.age,
            children,
        }
    }

    /// Whether an offering for `groups` is not for this person: it is for them when any
    /// of its groups is one they are in, may be in, or one their text asks for.
    pub fn excluded(&self, groups: &[Doelgroep]) -> bool {
        let none = Closed {
            jeugd: false,
            ouders: false,
        };
        self.excluded_unless(groups, none)
    }

    /// [`Self::excluded`] for an offering's groups, without those [`Closed`] to them.
    pub fn not_for(&self, e: &Eligibility) -> bool {
        self.excluded_unless(&e.groups, Closed::of(e, self.age, &self.children))
    }

    fn excluded_unless(&self, groups: &[Doelgroep], closed: Closed) -> bool {
        !groups.is_empty()
            && open_groups(groups, closed).all(|g| {
                Doelgroep::ALL
                    .iter()
                    .position(|&x| x == g)
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
    fn a_child_of_full_time_school_age_is_no_job_seeker() {
        let work = [Doelgroep::Werkenden];
        let mut pupil = person(14, Household::Eenoudergezin);
        pupil.leefgebieden.push(DomainScore {
            leefgebied: Leefgebied::WerkOpleiding,
            score: 3,
        });
        assert!(excluded(&work, &pupil), "14: school, not work");
        for text in [
            "wil graag een bijbaantje naast school",
            "ik ben 15 en wil gaan werken",
        ] {
            pupil.text = text.into();
            assert!(!excluded(&work, &pupil), "the text asks for work: {text}");
        }
        let school_leaver = person(16, Household::Gezin);
        assert!(!excluded(&work, &school_leaver), "16: may work");
        let mut unknown = HelpRequest::default();
        unknown.context.household = Some(Household::Alleenstaand);
        assert!(!excluded(&work, &unknown), "no age: unknown");
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
    fn words_that_only_look_like_a_group_do_not_ask_for_it() {
        let mantelzorg = &[Doelgroep::Mantelzorgers];
        let mut son = person(52, Household::Samenwonend);
        for worry in [
            "Zoon maakt zich zorgen om zijn moeder, die steeds meer vergeet",
            "Ik maak me zorgen over geld",
            "Heeft zorgen om haar zoon",
            "Maakt zich al maanden grote zorgen",
        ] {
            son.text = worry.into();
            assert!(
                excluded(mantelzorg, &son),
                "worrying is not caring: {worry}"
            );
        }
        for care in [
            "Hij zorgt elke dag voor zijn moeder",
            "Wij zorgen voor onze moeder",
            "Ik moet elke dag voor mijn vader zorgen",
            "Het zorgen voor mijn man valt zwaar",
            "We moeten voor ons kind zorgen, hij is ernstig ziek",
        ] {
            son.text = care.into();
            assert!(!excluded(mantelzorg, &son), "caring: {care}");
        }

        let ondernemers = &[Doelgroep::Ondernemers];
        let mut old = person(95, Household::Alleenstaand);
        old.text = "Woont nog zelfstandig, maar de trap lukt niet meer".into();
        assert!(excluded(ondernemers, &old), "living on one's own");
        old.text = "Was zelfstandige en heeft nog schulden".into();
        assert!(!excluded(ondernemers, &old), "a former self-employed man");
        old.text = "Was zelfstandig zonder personeel".into();
        assert!(!excluded(ondernemers, &old), "a former zzp'er");

        let mut wajong = person(24, Household::Alleenstaand);
        wajong.text = "Heeft een Wajong-uitkering en zoekt werk".into();
        assert!(
            excluded(&[Doelgroep::Bijstand], &wajong),
            "Wajong is a UWV benefit, not bijstand"
        );
    }

    #[test]
    fn a_young_adult_at_home_is_the_child_of_the_family() {
        let ouders = &[Doelgroep::Ouders];
        let mut young = person(19, Household::Gezin);
        young.text = "Blowt elke dag en heeft vaak ruzie met zijn ouders".into();
        assert!(excluded(ouders, &young), "19, living with his parents");
        young.text = "Zij is zwanger van haar eerste kind".into();
        assert!(
            !excluded(ouders, &young),
            "the text says she will be a parent"
        );
        let grown = person(21, Household::Gezin);
        assert!(
            !excluded(ouders, &grown),
            "from 21 a family household may be his own"
        );
        let mut mother = person(19, Household::Eenoudergezin);
        assert!(!excluded(ouders, &mother), "a single parent's household");
        mother.context.household = Some(Household::Gezin);
        mother.leefgebieden.push(DomainScore {
            leefgebied: Leefgebied::Opvoeding,
            score: 2,
        });
        assert!(!excluded(ouders, &mother), "a parenting domain");
        let mut father = person(20, Household::Gezin);
        father.text = "Jonge vader, ons kindje is net geboren".into();
        assert!(!excluded(ouders, &father), "the text names his child");
    }

    #[test]
    fn a_child_the_text_gives_an_age_asks_for_that_age_only() {
        let jeugd = &[Doelgroep::Jeugd, Doelgroep::Ouders];
        let mut carer = person(56, Household::Samenwonend);
        carer.text = "Dochter van 56 zorgt voor haar moeder van 84 met dementie".into();
        assert!(excluded(jeugd, &carer), "a daughter of 56 is no child");
        assert!(excluded(&[Doelgroep::Jongeren], &carer), "nor a jongere");
        carer.text = "Haar zoon is 31 en woont in Breda".into();
        assert!(excluded(jeugd, &carer), "a grown son");

        // A person of 60 or more: only an age the text gives makes a child a minor.
        let mut grandma = person(63, Household::Alleenstaand);
        for (text, minor) in [
            ("Zij zorgt voor haar zoon van 15", true),
            ("Haar 15-jarige zoon spijbelt", true),
            ("Haar zoon (15) spijbelt", true),
            ("Haar kinderen van 19 en 12 wonen bij haar", true),
            ("Haar baby van 20 weken huilt veel", true),
            ("Haar zoon van 18 maanden slaapt slecht", true),
            ("Ze is zwanger van 20 weken", true),
            ("Haar zoon (1987) woont in Breda", false),
            ("Haar dochter is 24 uur per dag thuis", false),
            ("Haar kinderen wonen ver weg", false),
            ("Haar zoon van 40 komt elke week", false),
        ] {
            grandma.text = text.into();
            assert_eq!(!excluded(jeugd, &grandma), minor, "{text}");
        }

        let mut widower = person(83, Household::Alleenstaand);
        widower.text = "Weduwnaar, zijn kinderen wonen ver weg".into();
        assert!(
            excluded(jeugd, &widower),
            "the children of a man of 83 are grown"
        );
        let mut parent = person(44, Household::Alleenstaand);
        parent.text = "Haar kinderen willen niet meer naar school".into();
        assert!(
            !excluded(jeugd, &parent),
            "a parent of 44 may have minor children"
        );
    }

    #[test]
    fn homelessness_and_detention_show_in_a_signal_a_domain_or_the_text() {
        let group = &[Doelgroep::DaklozenGedetineerden];
        let mut r = person(38, Household::Alleenstaand);
        r.leefgebieden.push(DomainScore {
            leefgebied: Leefgebied::Financien,
            score: 2,
        });
        assert!(excluded(group, &r), "money trouble alone");
        r.leefgebieden.push(DomainScore {
            leefgebied: Leefgebied::Huisvesting,
            score: 3,
        });
        assert!(excluded(group, &r), "housing under control");
        r.leefgebieden[1].score = 2;
        assert!(!excluded(group, &r), "housing at 2 may hide homelessness");
        r.leefgebieden[1].score = 4;
        r.text = "Net vrijgelaten uit de gevangenis".into();
        assert!(!excluded(group, &r), "the text says so");
        r.text = String::new();
        r.signals.push(Signal::Dakloos);
        assert!(!excluded(group, &r), "the signal says so");
        let mut heard = person(38, Household::Alleenstaand);
        heard.text = "Hij slaapt al weken buiten".into();
        let (signals, _) = super::super::signals_of(&heard);
        assert!(
            !Person::hearing(&heard, &signals).excluded(group),
            "a signal heard in the note: {signals:?}"
        );
    }

    #[test]
    fn a_search_text_gives_the_age_of_its_person() {
        for (text, age) in [
            ("ik ben 45 en zit in een depressie", Some(45)),
            ("zoon 15 blowt elke dag", Some(15)),
            ("moeder van 80 eenzaam", Some(80)),
            ("mijn vader is 91", Some(91)),
            ("15-jarige dochter spijbelt", Some(15)),
            ("baby van 3 maanden huilt veel", Some(0)),
            ("al 2 jaar schulden", None),
            ("huur van 900 niet betaald", None),
            ("dochter is 24 uur per dag thuis", None),
            ("ik ben 45 en mijn zoon 15", None),
            ("geen geld voor eten", None),
        ] {
            assert_eq!(age_in_text(text), age, "{text}");
        }
    }

    #[test]
    fn an_age_alone_puts_a_person_outside_groups_unless_the_text_asks_for_them() {
        let outside = |groups: &[Doelgroep], text: &str| {
            let e = Eligibility {
                groups: groups.to_vec(),
                ..Eligibility::default()
            };
            Aged::of(text).unwrap().not_for(&e)
        };
        let youth = [Doelgroep::Jeugd];
        assert!(outside(&youth, "ik ben 45 en somber"));
        assert!(!outside(&youth, "ik ben 45 en mijn zoon is somber"));
        assert!(!outside(&youth, "ik ben 15 en somber"));
        assert!(!outside(&[Doelgroep::Ouderen], "ik ben 60"), "may be older");
        assert!(outside(&[Doelgroep::Ouderen], "ik ben 30"));
        assert!(!outside(&[Doelgroep::Minima], "ik ben 30"), "unknown");
        assert!(!outside(&[], "ik ben 30"), "for everyone");
        assert!(Aged::of("geen geld voor eten").is_none());
        // Retired: of the AOW age, so no work routes for people on a benefit.
        let benefit = [Doelgroep::Bijstand];
        assert!(outside(&benefit, "ik verveel me dood sinds mijn pensioen"));
        assert!(outside(&benefit, "gepensioneerd en zoek vrijwilligerswerk"));
        assert!(!outside(&[], "gepensioneerd en zoek vrijwilligerswerk"));
        assert!(Aged::of("ik zoek werk na mijn opleiding").is_none());
    }

    /// "Voor (aanstaande) ouders en kinderen tot 2 jaar."
    fn first_years() -> Eligibility {
        Eligibility {
            groups: vec![Doelgroep::Jeugd, Doelgroep::Ouders],
            child_max_age: Some(1),
            ..Eligibility::default()
        }
    }

    #[test]
    fn help_for_young_children_is_not_for_an_older_child_but_for_a_parent_of_any_age() {
        let e = first_years();
        let child = |age: u32, text: &str| {
            let mut r = person(age, Household::Gezin);
            r.text = text.into();
            Person::of(&r).not_for(&e)
        };
        assert!(child(16, "spijbelt en blijft nachten weg"), "a girl of 16");
        assert!(child(12, ""), "a boy of 12");
        assert!(!child(1, "huilt veel"), "a baby");
        assert!(
            !child(16, "ze is zwanger"),
            "a pregnant girl of 16 is a parent to be"
        );
        let mut mother = person(29, Household::Gezin);
        mother.text = "baby slaapt slecht".into();
        assert!(!Person::of(&mother).not_for(&e), "a parent");
        assert!(
            !Person::of(&person(16, Household::Gezin)).not_for(&Eligibility {
                child_max_age: None,
                ..first_years()
            }),
            "without a child's age limit, youth help is for every child"
        );
        let searched = |text: &str| Aged::of(text).unwrap().not_for(&e);
        assert!(searched("ik ben 16 en spijbel"));
        assert!(!searched("ik ben 16 en zwanger"));
        assert!(!searched("ik ben 30 en zwanger"));
    }

    /// A text that names the person's children with their ages, all older than the
    /// children an offering helps, shows a parent of older children: not for them, unless
    /// a baby is on the way or there. A parent whose children's ages are not given keeps
    /// it; so does every parent without such a limit.
    #[test]
    fn help_for_young_children_is_not_for_a_parent_of_older_ones() {
        let e = first_years();
        let parent = |age: u32, text: &str| {
            let mut r = person(age, Household::Eenoudergezin);
            r.text = text.into();
            Person::of(&r).not_for(&e)
        };
        assert!(parent(43, "dochter van 15 mist haar vader"));
        assert!(parent(16, "Moeder: zoon (16) is opgepakt en spijbelt"));
        assert!(parent(38, "kinderen van 4 en 7 maken veel ruzie"));
        assert!(!parent(38, "kinderen van 4 en 7, en ik ben weer zwanger"));
        assert!(!parent(30, "dochter van 1 slaapt slecht"));
        assert!(!parent(30, "mijn dochter slaapt slecht"), "no age given");
        assert!(
            !parent(40, "zoon (16) en een dochter, veel ruzie"),
            "one without age"
        );
        assert!(!parent(40, "kinderen van 16, 14 en 1"), "ages in a list");
        assert!(
            parent(43, "een dochter van 15. De dochter is stil"),
            "the same daughter again"
        );
        assert!(
            !parent(43, "een dochter van 15 en een dochter die huilt"),
            "another daughter"
        );
        assert!(
            !parent(43, "een dochter van 15. De zoon huilt veel"),
            "a son without age"
        );
        // Help for mothers of a newborn alone ("ouders" with a child's age limit).
        let mothers = Eligibility {
            groups: vec![Doelgroep::Ouders],
            ..first_years()
        };
        let mut r = person(43, Household::Eenoudergezin);
        r.text = "moeder met een dochter van 15".into();
        assert!(Person::of(&r).not_for(&mothers));
        r.text = "moeder met een dochter van 15, weer zwanger".into();
        assert!(!Person::of(&r).not_for(&mothers));
        assert!(!parent(40, "zoon van 16 en een peuter"), "a young child");
        assert!(
            !parent(1, "huilt veel, mijn dochter van 16 helpt mee"),
            "the baby itself"
        );
        assert!(!parent(30, ""), "no text");
        assert!(!Person::of(&{
            let mut r = person(43, Household::Eenoudergezin);
            r.text = "dochter van 15 mist haar vader".into();
            r
        })
        .not_for(&Eligibility {
            child_max_age: None,
            ..first_years()
        }));
        let searched = |text: &str| Aged::of(text).unwrap().not_for(&e);
        assert!(searched("mijn zoon van 14 blowt"));
        assert!(!searched("mijn zoon van 1 huilt veel"));
    }
}

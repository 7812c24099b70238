//! Domain types: what an offering is and what a help request says.
//!
//! These types know nothing of protobuf or TOML; `convert` maps the wire types onto them
//! and `catalog` builds them from the catalog files.

pub mod dates;
pub mod rules;
pub mod taxonomy;
pub mod wording;

use std::fmt;

/// Declares a closed vocabulary whose values have a stable lowercase key, as used in the
/// catalog files, evaluation files and logs.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key, e.g. as written in catalog files.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The value with this key, if any.
            pub fn from_key(key: &str) -> Option<Self> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }

            /// All keys, for error messages.
            pub fn keys() -> String {
                Self::ALL.iter().map(|v| v.key()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

vocabulary! {
    /// The level of help, lightest first. `Crisis` stands apart from the ladder.
    Tier {
        /// Informal and volunteer help.
        ElkaarHelpen => "elkaar_helpen",
        /// Open to everyone, no indication.
        AlgemeneVoorziening => "algemene_voorziening",
        /// Doors to specialist help that also help directly.
        Toegang => "toegang",
        /// Specialist help with a beschikking or indicatie.
        Maatwerk => "maatwerk",
        /// Crisis lines.
        Crisis => "crisis",
    }
}

vocabulary! {
    /// Who an offering is for (target populations). An offering for a group a person is
    /// not in does not appear for them, unless their text asks for it.
    Doelgroep {
        /// Children under 18.
        Jeugd => "jeugd",
        /// Young people, roughly 12 to 27.
        Jongeren => "jongeren",
        /// Parents and parents-to-be.
        Ouders => "ouders",
        /// Older people.
        Ouderen => "ouderen",
        /// People caring for someone close.
        Mantelzorgers => "mantelzorgers",
        /// Self-employed people and small business owners.
        Ondernemers => "ondernemers",
        /// Newcomers, refugees and statushouders.
        Nieuwkomers => "nieuwkomers",
        /// People with a disability or chronic illness.
        Beperking => "beperking",
        /// People on a low income.
        Minima => "minima",
        /// Everyone: no particular group.
        Iedereen => "iedereen",
        /// People with a benefit the SDD pays or guides (bijstand; also Wajong
        /// participants), whom its work and participation routes are for (after
        /// `Iedereen` to keep the wire numbers).
        Bijstand => "bijstand",
        /// Homeless people and (former) detainees, whom some client support is for.
        DaklozenGedetineerden => "daklozen_gedetineerden",
        /// People who work or look for work, and their employers: the services of the
        /// regional work centre are for them. A child of full-time school age is none of
        /// these.
        Werkenden => "werkenden",
    }
}

impl Doelgroep {
    /// Keys a group had before it was renamed: still read, so older catalog files, HSDS
    /// exports and saved live changes load.
    const FORMER_KEYS: &'static [(&'static str, Doelgroep)] =
        &[("werkzoekenden", Doelgroep::Bijstand)];

    /// The group with this key, or with a key it had before a rename.
    pub fn from_key_or_former(key: &str) -> Option<Self> {
        Self::from_key(key).or_else(|| {
            Self::FORMER_KEYS
                .iter()
                .find(|(former, _)| *former == key)
                .map(|&(_, g)| g)
        })
    }
}

impl Tier {
    /// Position on the ladder of help: 0 for the lightest. Crisis sorts apart and gets
    /// the heaviest weight, since it is never a "light" answer.
    pub fn weight(self) -> u8 {
        match self {
            Tier::ElkaarHelpen => 0,
            Tier::AlgemeneVoorziening => 1,
            Tier::Toegang => 2,
            Tier::Maatwerk => 3,
            Tier::Crisis => 4,
        }
    }

    /// The upper-case name used in evaluation output, e.g. `ALGEMENE_VOORZIENING`.
    pub fn upper(self) -> String {
        self.key().to_ascii_uppercase()
    }

    /// A plain Dutch label for people.
    pub fn label(self) -> &'static str {
        wording::tier_label(self)
    }
}

vocabulary! {
    /// Life domains (ZRM 2017 plus six for the social domain).
    Leefgebied {
        /// Income and debts.
        Financien => "financien",
        /// Work and education.
        WerkOpleiding => "werk_opleiding",
        /// Daytime activities.
        Tijdsbesteding => "tijdsbesteding",
        /// Housing.
        Huisvesting => "huisvesting",
        /// Relations at home.
        HuiselijkeRelaties => "huiselijke_relaties",
        /// Mental health.
        GeestelijkeGezondheid => "geestelijke_gezondheid",
        /// Physical health.
        LichamelijkeGezondheid => "lichamelijke_gezondheid",
        /// Substance use.
        Middelengebruik => "middelengebruik",
        /// Self-care.
        BasaleAdl => "basale_adl",
        /// Household, shopping, paperwork.
        InstrumenteleAdl => "instrumentele_adl",
        /// Social network and loneliness.
        SociaalNetwerk => "sociaal_netwerk",
        /// Taking part in society.
        MaatschappelijkeParticipatie => "maatschappelijke_participatie",
        /// Justice.
        Justitie => "justitie",
        /// Caring for someone.
        Mantelzorg => "mantelzorg",
        /// Raising children.
        Opvoeding => "opvoeding",
        /// Language, reading, digital skills.
        Basisvaardigheden => "basisvaardigheden",
        /// Transport.
        Vervoer => "vervoer",
        /// Safety.
        Veiligheid => "veiligheid",
        /// Small business owners.
        Ondernemen => "ondernemen",
    }
}

vocabulary! {
    /// Safety signals.
    Signal {
        /// Acute danger.
        AcuutGevaar => "acuut_gevaar",
        /// Domestic violence.
        HuiselijkGeweld => "huiselijk_geweld",
        /// Suicidal thoughts.
        Suicidaal => "suicidaal",
        /// Child abuse.
        Kindermishandeling => "kindermishandeling",
        /// Nowhere to sleep.
        Dakloos => "dakloos",
    }
}

impl Signal {
    /// The leefgebieden the need behind a signal belongs to.
    pub fn leefgebieden(self) -> &'static [Leefgebied] {
        match self {
            Signal::AcuutGevaar => &[Leefgebied::Veiligheid],
            Signal::HuiselijkGeweld => &[Leefgebied::HuiselijkeRelaties, Leefgebied::Veiligheid],
            Signal::Suicidaal => &[Leefgebied::GeestelijkeGezondheid],
            Signal::Kindermishandeling => &[Leefgebied::Opvoeding, Leefgebied::Veiligheid],
            Signal::Dakloos => &[Leefgebied::Huisvesting],
        }
    }
}

vocabulary! {
    /// Household composition.
    Household {
        /// Living alone.
        Alleenstaand => "alleenstaand",
        /// Single parent.
        Eenoudergezin => "eenoudergezin",
        /// Family with children.
        Gezin => "gezin",
        /// Living together.
        Samenwonend => "samenwonend",
    }
}

vocabulary! {
    /// How a person reaches an offering.
    AccessMode {
        /// Walk in.
        Inloop => "inloop",
        /// Phone.
        Telefoon => "telefoon",
        /// Home visit.
        Huisbezoek => "huisbezoek",
        /// Online.
        Online => "online",
        /// Only by referral.
        ViaVerwijzing => "via_verwijzing",
    }
}

vocabulary! {
    /// What an offering costs.
    Cost {
        /// Free.
        Gratis => "gratis",
        /// Own contribution.
        EigenBijdrage => "eigen_bijdrage",
        /// Contribution depending on income.
        NaarInkomen => "naar_inkomen",
        /// No source says what it costs: ask.
        Onbekend => "onbekend",
    }
}

vocabulary! {
    /// Days of the week, as in the catalog files.
    Weekday {
        /// Monday.
        Ma => "ma",
        /// Tuesday.
        Di => "di",
        /// Wednesday.
        Wo => "wo",
        /// Thursday.
        Do => "do",
        /// Friday.
        Vr => "vr",
        /// Saturday.
        Za => "za",
        /// Sunday.
        Zo => "zo",
    }
}

impl Weekday {
    /// The iCalendar day code HSDS schedules use (`MO` … `SU`).
    pub fn ical(self) -> &'static str {
        match self {
            Weekday::Ma => "MO",
            Weekday::Di => "TU",
            Weekday::Wo => "WE",
            Weekday::Do => "TH",
            Weekday::Vr => "FR",
            Weekday::Za => "SA",
            Weekday::Zo => "SU",
        }
    }

    /// The day of an iCalendar code.
    pub fn from_ical(code: &str) -> Option<Weekday> {
        Weekday::ALL.iter().copied().find(|d| d.ical() == code)
    }
}

vocabulary! {
    /// The hard facts of an offering that need a source reference of their own.
    Fact {
        /// What it costs.
        Kosten => "kosten",
        /// The age range.
        Leeftijd => "leeftijd",
        /// The target groups.
        Doelgroepen => "doelgroepen",
        /// Only for people with a low income.
        AlleenMinima => "alleen_minima",
        /// A beschikking is needed.
        BeschikkingNodig => "beschikking_nodig",
        /// Meant for when the usual help does not fit or is not enough.
        NaAndereHulp => "na_andere_hulp",
        /// The households served.
        Huishoudens => "huishoudens",
        /// The contact facts.
        Contact => "contact",
        /// The languages offered.
        Talen => "talen",
        /// That it belongs to a past period.
        Historisch => "historisch",
    }
}

/// Where in a source a fact is written: a line and a word on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The fact.
    pub fact: Fact,
    /// The source document, when not the offering's own.
    pub file: Option<String>,
    /// 1-based line in the document; `None` for a listed national source without lines.
    pub line: Option<u32>,
    /// A word (or a few) on that line that shows the fact.
    pub word: String,
}

/// An arrangement from a period that may have ended (such as the corona years).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Historic {
    /// The period, e.g. `2020-2021`.
    pub period: String,
    /// Where the source shows it belongs to that period.
    pub evidence: Option<Evidence>,
    /// The source says it has ended (can no longer be asked for), not only that it
    /// belongs to a past period; then `evidence` is the line that says so.
    pub ended: bool,
}

vocabulary! {
    /// Whether an offering takes people now.
    AvailabilityStatus {
        /// Taking people.
        Actief => "actief",
        /// Waiting list.
        Wachtlijst => "wachtlijst",
        /// Temporarily closed.
        TijdelijkGesloten => "tijdelijk_gesloten",
    }
}

/// Who an offering is for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Eligibility {
    /// Lowest age, inclusive.
    pub min_age: Option<u32>,
    /// Highest age, inclusive.
    pub max_age: Option<u32>,
    /// Highest age, inclusive, of a child it helps ("ouders en kinderen tot 2 jaar"): a
    /// request about an older child is not for it; one about a parent is, unless its
    /// text names only older children with their ages and no pregnancy or young child.
    pub child_max_age: Option<u32>,
    /// Households served; empty means all.
    pub households: Vec<Household>,
    /// Other conditions in Dutch.
    pub conditions: String,
    /// Only for minima.
    pub minima_only: bool,
    /// Needs a beschikking or indicatie.
    pub needs_indication: bool,
    /// The person must speak one of the offering's languages.
    pub language_bound: bool,
    /// Meant for when the usual help does not fit or is not enough ("binnen het
    /// bestaande hulpaanbod niet of onvoldoende geholpen"): the heaviest step, ranked as
    /// maatwerk whatever its tier (see [`Offering::ranking_tier`]).
    pub after_other_help: bool,
    /// The groups it is for; empty means everyone.
    pub groups: Vec<Doelgroep>,
}

impl Eligibility {
    /// Whether a person of `age` is within the age limits.
    pub fn admits_age(&self, age: u32) -> bool {
        !(self.min_age.is_some_and(|min| age < min) || self.max_age.is_some_and(|max| age > max))
    }

    /// Whether a person of `age` is a child older than the children it helps: then its
    /// group `jeugd` is not theirs (its group `ouders` still may be: a pregnant girl of 16).
    pub fn too_old_a_child(&self, age: u32) -> bool {
        age < rules::ADULT_AGE && self.child_max_age.is_some_and(|max| age > max)
    }

    /// Whether a limit on the children's age has children to limit: those of its
    /// groups `jeugd` (the children themselves) or `ouders` (their parents: help for
    /// mothers of a newborn).
    pub fn child_limit_applies(groups: &[Doelgroep]) -> bool {
        groups.contains(&Doelgroep::Jeugd) || groups.contains(&Doelgroep::Ouders)
    }
}

/// Availability of an offering.
#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    /// Status.
    pub status: AvailabilityStatus,
    /// Waiting weeks, when known.
    pub waiting_weeks: Option<u32>,
    /// A short note from the organisation, in Dutch.
    pub note: Option<String>,
    /// The date this status holds from, `YYYY-MM-DD`.
    pub since: Option<dates::Date>,
}

impl Default for Availability {
    fn default() -> Self {
        Self {
            status: AvailabilityStatus::Actief,
            waiting_weeks: None,
            note: None,
            since: None,
        }
    }
}

/// Contact facts, each from a named source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    /// Phone number.
    pub phone: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Visiting address.
    pub address: Option<String>,
    /// Source document of these facts.
    pub source: String,
    /// Further phone numbers, each with what it is for.
    pub phones: Vec<Phone>,
    /// Places where the offering is given.
    pub locations: Vec<Location>,
    /// Opening hours.
    pub hours: Vec<Hours>,
}

/// A phone number with what it is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Phone {
    /// The number, as published.
    pub number: String,
    /// What it is for ("crisisdienst", "afspraken").
    pub purpose: Option<String>,
    /// When it is answered, as published ("ma-vr 9-17").
    pub hours: Option<String>,
}

/// A place where an offering is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// Name of the place.
    pub name: String,
    /// Street and number.
    pub address: Option<String>,
    /// Dutch postcode, `1234 AB`.
    pub postcode: Option<String>,
    /// Town or gemeente.
    pub city: Option<String>,
    /// Neighbourhood.
    pub wijk: Option<String>,
    /// A note on accessibility (wheelchair, lift, ...).
    pub accessibility: Option<String>,
}

/// Weekly opening hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    /// The days.
    pub days: Vec<Weekday>,
    /// Opens at.
    pub opens: jiff::civil::Time,
    /// Closes at.
    pub closes: jiff::civil::Time,
    /// The location's name, when the hours are for one place.
    pub location: Option<String>,
    /// A short note ("alleen op afspraak").
    pub note: Option<String>,
}

/// Where an offering is available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceArea {
    /// Everywhere in the Netherlands.
    National,
    /// These gemeenten (canonical spelling).
    Gemeenten(Vec<String>),
}

impl ServiceArea {
    /// Whether a person living in `gemeente` can use the offering.
    pub fn serves(&self, gemeente: &str) -> bool {
        match self {
            ServiceArea::National => true,
            ServiceArea::Gemeenten(list) => list.iter().any(|g| g.eq_ignore_ascii_case(gemeente)),
        }
    }

    /// The gemeenten as shown to people.
    pub fn names(&self) -> Vec<String> {
        match self {
            ServiceArea::National => vec![NATIONAL.to_string()],
            ServiceArea::Gemeenten(list) => list.clone(),
        }
    }
}

/// How the catalog names the national service area.
pub const NATIONAL: &str = "Nederland";

/// One offering of help.
#[derive(Debug, Clone, PartialEq)]
pub struct Offering {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Tier.
    pub tier: Tier,
    /// Domains served.
    pub leefgebieden: Vec<Leefgebied>,
    /// Dutch description.
    pub description: String,
    /// Everyday words for the need.
    pub lay_terms: Vec<String>,
    /// Next step in Dutch.
    pub next_step: String,
    /// Where it is available.
    pub area: ServiceArea,
    /// Access modes.
    pub access: Vec<AccessMode>,
    /// Cost.
    pub cost: Cost,
    /// Languages offered (ISO 639-1).
    pub languages: Vec<String>,
    /// Signals a crisis offering answers.
    pub signals: Vec<Signal>,
    /// Who it is for.
    pub eligibility: Eligibility,
    /// Availability.
    pub availability: Availability,
    /// Contact facts, if a source gives any (boxed: most offerings are reached through
    /// a door, and a large catalog holds every offering in memory).
    pub contact: Option<Box<Contact>>,
    /// The door this offering is reached through (another offering's id), when it has
    /// no contact facts of its own.
    pub via: Option<String>,
    /// Set for an arrangement from a past period that may have ended (boxed, as
    /// `contact`).
    pub historic: Option<Box<Historic>>,
    /// Source references of its hard facts.
    pub evidence: Vec<Evidence>,
    /// Source document file name.
    pub source: String,
    /// Date last verified against its source, `YYYY-MM-DD`; `None` for entries of a
    /// historic data set that were never verified.
    pub verified: Option<dates::Date>,
}

impl Offering {
    /// Whether this is a crisis line that answers a safety signal (112, 113, Veilig
    /// Thuis): such a line is put first when its signal is present and is never shown as
    /// an ordinary match. A crisis-tier offering that answers no signal (a listening
    /// line) is ranked like any other.
    pub fn is_crisis_line(&self) -> bool {
        self.tier == Tier::Crisis && !self.signals.is_empty()
    }

    /// Whether its source says it has ended: it is no help to refer to, and is shown only
    /// when asked for by name (what it was, and what came instead).
    pub fn has_ended(&self) -> bool {
        self.historic.as_ref().is_some_and(|h| h.ended)
    }

    /// Whether it is a step to take now: not from a past period, not closed for now.
    pub fn is_open(&self) -> bool {
        self.historic.is_none() && self.availability.status != AvailabilityStatus::TijdelijkGesloten
    }

    /// The tier it is ranked as: its own, except that help meant for when the usual help
    /// is not enough ([`Eligibility::after_other_help`]) is the heaviest step, ranked as
    /// [`Tier::Maatwerk`] ("zo licht als mogelijk, zo zwaar als nodig").
    pub fn ranking_tier(&self) -> Tier {
        if self.eligibility.after_other_help && self.tier.weight() < Tier::Maatwerk.weight() {
            Tier::Maatwerk
        } else {
            self.tier
        }
    }
}

/// ZRM score of a domain, 1..=5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainScore {
    /// The domain.
    pub leefgebied: Leefgebied,
    /// Score 1 (acute) ..= 5 (fully self-reliant).
    pub score: u8,
}

/// Capacity, each 0..=4; `None` when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Draagkracht {
    /// Physical.
    pub lichamelijk: Option<u8>,
    /// Mental.
    pub mentaal: Option<u8>,
    /// Social support.
    pub netwerk: Option<u8>,
    /// Financial buffer.
    pub financieel: Option<u8>,
    /// Skills.
    pub vaardigheden: Option<u8>,
}

impl Draagkracht {
    /// The same value on every axis.
    pub fn uniform(value: u8) -> Self {
        let v = Some(value);
        Self {
            lichamelijk: v,
            mentaal: v,
            netwerk: v,
            financieel: v,
            vaardigheden: v,
        }
    }

    /// The known values.
    pub fn values(&self) -> Vec<u8> {
        [
            self.lichamelijk,
            self.mentaal,
            self.netwerk,
            self.financieel,
            self.vaardigheden,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Burden, each 0..=4; `None` when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Draaglast {
    /// Obligations.
    pub verplichtingen: Option<u8>,
    /// Care tasks.
    pub zorgtaken: Option<u8>,
    /// Life events.
    pub gebeurtenissen: Option<u8>,
    /// Money worries.
    pub geldzorgen: Option<u8>,
}

impl Draaglast {
    /// The same value on every axis.
    pub fn uniform(value: u8) -> Self {
        let v = Some(value);
        Self {
            verplichtingen: v,
            zorgtaken: v,
            gebeurtenissen: v,
            geldzorgen: v,
        }
    }

    /// The known values.
    pub fn values(&self) -> Vec<u8> {
        [
            self.verplichtingen,
            self.zorgtaken,
            self.gebeurtenissen,
            self.geldzorgen,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The person's situation. Nothing in it identifies them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// Age in years.
    pub age: Option<u32>,
    /// Gemeente (canonical spelling), when known.
    pub gemeente: Option<String>,
    /// Household.
    pub household: Option<Household>,
    /// Income up to 120% of the social minimum.
    pub minima: bool,
    /// Languages spoken (ISO 639-1); empty means Dutch.
    pub languages: Vec<String>,
    /// Can travel; `None` when unknown.
    pub can_travel: Option<bool>,
    /// Has digital access; `None` when unknown.
    pub digital_access: Option<bool>,
    /// Groups the person belongs to, as ticked by the professional (beyond what age,
    /// household and domains already say); none identifies anyone.
    pub groups: Vec<Doelgroep>,
}

/// A validated help request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HelpRequest {
    /// Domains of concern, at most one per domain.
    pub leefgebieden: Vec<DomainScore>,
    /// Capacity.
    pub draagkracht: Draagkracht,
    /// Burden.
    pub draaglast: Draaglast,
    /// Context.
    pub context: Context,
    /// Safety signals.
    pub signals: Vec<Signal>,
    /// Free text; matching only.
    pub text: String,
}

/// Search filters; `None` means no filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Gemeente (canonical spelling).
    pub gemeente: Option<String>,
    /// Tier.
    pub tier: Option<Tier>,
    /// Domain.
    pub leefgebied: Option<Leefgebied>,
}

impl Filters {
    /// Whether an offering passes the filters.
    pub fn accepts(&self, offering: &Offering) -> bool {
        self.gemeente
            .as_deref()
            .is_none_or(|g| offering.area.serves(g))
            && self.tier.is_none_or(|t| offering.tier == t)
            && self
                .leefgebied
                .is_none_or(|l| offering.leefgebieden.contains(&l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for l in Leefgebied::ALL {
            assert_eq!(Leefgebied::from_key(l.key()), Some(*l));
        }
        assert_eq!(Leefgebied::ALL.len(), 19);
        assert_eq!(Tier::from_key("maatwerk"), Some(Tier::Maatwerk));
        assert_eq!(Tier::from_key("MAATWERK"), None);
        for g in Doelgroep::ALL {
            assert_eq!(Doelgroep::from_key_or_former(g.key()), Some(*g));
        }
        assert_eq!(
            Doelgroep::from_key_or_former("werkzoekenden"),
            Some(Doelgroep::Bijstand),
            "a renamed group's old key still loads"
        );
    }

    #[test]
    fn national_area_serves_everyone() {
        assert!(ServiceArea::National.serves("Zwijndrecht"));
        let dordt = ServiceArea::Gemeenten(vec!["Dordrecht".into()]);
        assert!(dordt.serves("dordrecht"));
        assert!(!dordt.serves("Zwijndrecht"));
    }
}

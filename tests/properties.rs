//! Invariants of Match over the bundled catalog, for arbitrary help requests:
//! eligibility is never violated, a safety signal always puts a crisis line first, and
//! the order is deterministic.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;

use wegwijzer::catalog::Catalog;
use wegwijzer::domain::{
    AccessMode, Context, Doelgroep, DomainScore, Draagkracht, Draaglast, HelpRequest, Household,
    Leefgebied, Signal, Tier,
};
use wegwijzer::engine::Engine;
use wegwijzer::matching::{doelgroep, ineligibility};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE
        .get_or_init(|| Engine::in_memory(Catalog::load(&common::catalog_dir()).unwrap()).unwrap())
}

const TEXTS: &[&str] = &[
    "",
    "kan de huur niet betalen",
    "eenzaam sinds mijn vrouw overleden is",
    "jongen zit thuis en heeft geen werk",
    "mantelzorger raakt overbelast",
    "schulden bij de belastingdienst en kinderopvangtoeslag",
    "wil niet meer leven",
    "mijn partner slaat me",
];

fn scale() -> impl Strategy<Value = Option<u8>> {
    proptest::option::of(0u8..=4)
}

fn request() -> impl Strategy<Value = HelpRequest> {
    let domains = proptest::sample::subsequence(Leefgebied::ALL.to_vec(), 0..5)
        .prop_flat_map(|ls| {
            let n = ls.len();
            (Just(ls), proptest::collection::vec(1u8..=5, n))
        })
        .prop_map(|(ls, scores)| {
            ls.into_iter()
                .zip(scores)
                .map(|(leefgebied, score)| DomainScore { leefgebied, score })
                .collect::<Vec<_>>()
        });
    let kracht =
        (scale(), scale(), scale(), scale(), scale()).prop_map(|(a, b, c, d, e)| Draagkracht {
            lichamelijk: a,
            mentaal: b,
            netwerk: c,
            financieel: d,
            vaardigheden: e,
        });
    let last = (scale(), scale(), scale(), scale()).prop_map(|(a, b, c, d)| Draaglast {
        verplichtingen: a,
        zorgtaken: b,
        gebeurtenissen: c,
        geldzorgen: d,
    });
    let gemeenten = Catalog::load(&common::catalog_dir())
        .unwrap()
        .gemeenten()
        .to_vec();
    let context = (
        proptest::option::of(0u32..=100),
        proptest::option::of(proptest::sample::select(gemeenten)),
        proptest::option::of(proptest::sample::select(Household::ALL.to_vec())),
        any::<bool>(),
        proptest::sample::subsequence(
            vec!["nl".to_string(), "en".into(), "ar".into(), "tr".into()],
            0..3,
        ),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::sample::subsequence(Doelgroep::ALL.to_vec(), 0..2),
    )
        .prop_map(
            |(age, gemeente, household, minima, languages, can_travel, digital_access, groups)| {
                Context {
                    age,
                    gemeente,
                    household,
                    minima,
                    languages,
                    can_travel,
                    digital_access,
                    groups,
                }
            },
        );
    let signals = proptest::sample::subsequence(Signal::ALL.to_vec(), 0..3);
    (
        domains,
        kracht,
        last,
        context,
        signals,
        proptest::sample::select(TEXTS),
    )
        .prop_map(
            |(leefgebieden, draagkracht, draaglast, context, signals, text)| HelpRequest {
                leefgebieden,
                draagkracht,
                draaglast,
                context,
                signals,
                text: text.to_string(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn never_returns_an_ineligible_offering(req in request()) {
        let outcome = engine().match_request(&req, 50).unwrap();
        for r in &outcome.results {
            prop_assert_eq!(ineligibility(r.offering, &req), None, "{} is not for this person", r.offering.name);
        }
    }

    #[test]
    fn no_result_is_for_a_group_the_person_is_not_in(req in request()) {
        let outcome = engine().match_request(&req, 50).unwrap();
        for r in &outcome.results {
            prop_assert!(
                !doelgroep::excluded(&r.offering.eligibility.groups, &req),
                "{} is for {:?}", r.offering.name, r.offering.eligibility.groups
            );
        }
    }

    #[test]
    fn a_signal_always_puts_crisis_first(req in request(), signal in proptest::sample::select(Signal::ALL.to_vec())) {
        let mut req = req;
        if !req.signals.contains(&signal) {
            req.signals.push(signal);
        }
        let outcome = engine().match_request(&req, 10).unwrap();
        prop_assert!(!outcome.results.is_empty());
        prop_assert!(outcome.results[0].offering.is_crisis_line());
        prop_assert!(outcome.advice.contains("Veiligheid eerst"));
    }

    #[test]
    fn no_crisis_line_without_a_reason(req in request()) {
        let mut req = req;
        req.signals.clear();
        req.text = TEXTS[1].to_string();
        let outcome = engine().match_request(&req, 50).unwrap();
        prop_assert!(outcome.results.iter().all(|r| !r.offering.is_crisis_line()));
    }

    #[test]
    fn the_order_is_stable(req in request()) {
        let ids = |n| -> Vec<String> {
            engine().match_request(&req, n).unwrap().results.iter().map(|r| r.offering.id.clone()).collect()
        };
        let first = ids(20);
        prop_assert_eq!(&first, &ids(20));
        let shorter = ids(5);
        prop_assert_eq!(&first[..first.len().min(5)], &shorter[..]);
    }

    #[test]
    fn the_advice_never_contradicts_the_summary(req in request()) {
        let outcome = engine().match_request(&req, 10).unwrap();
        let summary = outcome.profile.summary();
        let advice = &outcome.advice;
        if summary.contains("in evenwicht") {
            prop_assert!(!advice.contains("balans") || !advice.contains("zoek"), "{summary} / {advice}");
        }
        let recommended = outcome.profile.recommended_tier;
        let offered = outcome.results.iter().any(|r| r.offering.tier == recommended);
        prop_assert!(
            offered || outcome.results.is_empty() || advice.contains("aanbevolen niveau"),
            "recommended {recommended:?} is neither in the results nor explained: {advice}"
        );
    }

    /// The advice sends the person to one door, and when a generalist door (the wijkteam,
    /// the sociale dienst: toegang without referral, three leefgebieden or more, for no
    /// particular group) is among the results, it is that one and never a specialised
    /// door beside it (MatchMakers, for young people, has three leefgebieden too).
    #[test]
    fn the_advice_names_the_generalist_door_when_one_is_shown(req in request()) {
        let outcome = engine().match_request(&req, 10).unwrap();
        let generalist = outcome.results.iter().map(|r| r.offering).find(|o| {
            o.tier == Tier::Toegang
                && o.leefgebieden.len() >= 3
                && o.access.iter().any(|a| *a != AccessMode::ViaVerwijzing)
                && o.eligibility.groups.is_empty()
        });
        let Some(door) = generalist else { return Ok(()) };
        let advice = &outcome.advice;
        if advice.contains("vraagverheldering") || advice.contains("verdere hulp") {
            prop_assert!(advice.contains(&format!("Schakel {} in", door.name))
                || advice.contains(&format!("Schakel daarna {} in", door.name)), "{advice}");
        }
        for other in outcome.results.iter().map(|r| r.offering).filter(|o| o.id != door.id) {
            prop_assert!(!advice.contains(&format!("Schakel {} in", other.name)), "{advice}");
            prop_assert!(!advice.contains(&format!("daarna {} in", other.name)), "{advice}");
            prop_assert!(!advice.contains(&format!("Vraag {} wat", other.name)), "{advice}");
        }
    }

    #[test]
    fn every_domain_of_concern_is_covered_or_named(req in request()) {
        let outcome = engine().match_request(&req, 10).unwrap();
        let catalog = engine().catalog();
        for d in req.leefgebieden.iter().filter(|d| d.score <= 3) {
            let covered = outcome
                .results
                .iter()
                .take(5)
                .any(|r| r.offering.leefgebieden.contains(&d.leefgebied));
            let label = catalog.taxonomy().label(d.leefgebied).to_lowercase();
            prop_assert!(
                covered || outcome.advice.contains(&label),
                "{label} neither covered nor named: {}", outcome.advice
            );
        }
    }

    #[test]
    fn crisis_only_at_the_top_and_every_result_explained(req in request()) {
        let outcome = engine().match_request(&req, 50).unwrap();
        let crisis = outcome.results.iter().take_while(|r| r.offering.is_crisis_line()).count();
        prop_assert!(outcome.results[crisis..].iter().all(|r| !r.offering.is_crisis_line()));
        for r in &outcome.results {
            prop_assert!(!r.reasons.is_empty());
            prop_assert!(r.score.is_finite() && r.score > 0.0);
        }
    }
}

//! Ranking principles on small synthetic catalogs, where relevance is controlled exactly:
//! lightest help first for a healthy balance, a door in the top 3 when the balance is
//! out, and hard eligibility.

use std::fmt::Write as _;
use std::fs;

use proptest::prelude::*;

use wegwijzer::catalog::Catalog;
use wegwijzer::domain::{
    Context, DomainScore, Draagkracht, Draaglast, HelpRequest, Leefgebied, Signal, Tier,
};
use wegwijzer::engine::Engine;

/// One synthetic offering: id, tier, domains, optional age range.
#[derive(Debug, Clone)]
struct Spec {
    id: String,
    tier: Tier,
    domains: Vec<Leefgebied>,
    ages: Option<(u32, u32)>,
    /// Its zoektermen; `["hulp"]` unless set.
    terms: Vec<&'static str>,
    /// The safety signals it answers (a crisis line).
    signals: Vec<&'static str>,
    /// Whether it is an arrangement of a past period (`historisch`).
    historic: bool,
    /// Its name; "Aanbod {id}" unless set.
    name: Option<&'static str>,
    /// Meant for when the usual help is not enough (`na_andere_hulp`).
    after_other_help: bool,
}

fn spec(id: &str, tier: Tier, domains: &[Leefgebied]) -> Spec {
    Spec {
        id: id.into(),
        tier,
        domains: domains.to_vec(),
        ages: None,
        terms: vec!["hulp"],
        signals: Vec::new(),
        historic: false,
        name: None,
        after_other_help: false,
    }
}

fn engine(specs: &[Spec]) -> Engine {
    engine_with_thesaurus(specs, "")
}

fn engine_with_thesaurus(specs: &[Spec], thesaurus: &str) -> Engine {
    let dir = tempfile::tempdir().unwrap();
    if !thesaurus.is_empty() {
        fs::write(dir.path().join("thesaurus.toml"), thesaurus).unwrap();
    }
    fs::write(
        dir.path().join("catalogus.toml"),
        "naam = \"Test\"\ngemeenten = [\"Dordrecht\", \"Zwijndrecht\"]\n[[bron]]\nbestand = \"b.txt\"\ntitel = \"t\"\n",
    )
    .unwrap();
    let mut taxonomy = String::new();
    for l in Leefgebied::ALL {
        let _ = write!(taxonomy, "[[leefgebied]]\nkey = \"{l}\"\nlabel = \"{l}\"\nbeschrijving = \"b\"\nsynoniemen = []\n\n");
    }
    fs::write(dir.path().join("taxonomie.toml"), taxonomy).unwrap();
    let mut offers = String::new();
    for s in specs {
        let domains: Vec<String> = s.domains.iter().map(|d| format!("\"{d}\"")).collect();
        let _ = write!(
            offers,
            "[[aanbod]]\nid = \"{id}\"\nnaam = \"{name}\"\norganisatie = \"O\"\nniveau = \"{tier}\"\nleefgebieden = [{domains}]\n\
             beschrijving = \"Hulp.\"\nzoektermen = [{terms}]\nvolgende_stap = \"Bel.\"\ngemeenten = [\"Drechtsteden\"]\n\
             toegang = [\"telefoon\"]\nkosten = \"gratis\"\nbron = \"b.txt\"\ngeverifieerd = 2026-11-23\n",
            id = s.id,
            name = s.name.map_or_else(|| format!("Aanbod {}", s.id), str::to_string),
            tier = s.tier,
            domains = domains.join(", "),
            terms = s
                .terms
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !s.signals.is_empty() {
            let keys: Vec<String> = s.signals.iter().map(|k| format!("\"{k}\"")).collect();
            let _ = writeln!(offers, "signalen = [{}]", keys.join(", "));
        }
        if s.historic {
            offers.push_str("historisch = { periode = \"2020-2021\" }\n");
        }
        if s.after_other_help {
            offers.push_str("na_andere_hulp = true\n");
        }
        if let Some((min, max)) = s.ages {
            let _ = write!(
                offers,
                "[aanbod.doelgroep]\nleeftijd_min = {min}\nleeftijd_max = {max}\n"
            );
        }
        offers.push('\n');
    }
    fs::create_dir(dir.path().join("aanbod")).unwrap();
    fs::write(dir.path().join("aanbod").join("a.toml"), offers).unwrap();
    Engine::in_memory(Catalog::load(dir.path()).unwrap()).unwrap()
}

fn request(scores: &[(Leefgebied, u8)], kracht: u8, last: u8) -> HelpRequest {
    HelpRequest {
        leefgebieden: scores
            .iter()
            .map(|&(leefgebied, score)| DomainScore { leefgebied, score })
            .collect(),
        draagkracht: Draagkracht::uniform(kracht),
        draaglast: Draaglast::uniform(last),
        context: Context {
            age: Some(40),
            gemeente: Some("Dordrecht".into()),
            ..Context::default()
        },
        ..HelpRequest::default()
    }
}

fn ids(engine: &Engine, req: &HelpRequest) -> Vec<String> {
    engine
        .match_request(req, 50)
        .unwrap()
        .results
        .iter()
        .map(|r| r.offering.id.clone())
        .collect()
}

/// The ids Search answers `text` with, in order (first 10).
fn search_ids(engine: &Engine, text: &str) -> Vec<String> {
    engine
        .search(text, &Default::default(), 10)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.offering.id.clone())
        .collect()
}

const LADDER: [Tier; 4] = [
    Tier::ElkaarHelpen,
    Tier::AlgemeneVoorziening,
    Tier::Toegang,
    Tier::Maatwerk,
];

#[test]
fn match_reads_the_note_through_the_thesaurus() {
    // Two offerings alike but for their words; the note names the need in lay words
    // that only the thesaurus links to the second one's.
    let mut heater = spec(
        "b-monteur",
        Tier::AlgemeneVoorziening,
        &[Leefgebied::Huisvesting],
    );
    heater.terms = vec!["verwarmingsmonteur"];
    let engine = engine_with_thesaurus(
        &[
            spec(
                "a-hulp",
                Tier::AlgemeneVoorziening,
                &[Leefgebied::Huisvesting],
            ),
            heater,
        ],
        "[[onderwerp]]\nnaam = \"verwarming\"\nleefgebieden = [\"huisvesting\"]\n\
         zoekwoorden = [\"verwarmingsmonteur\"]\nwoorden = [\"kapotte kachel\"]\n",
    );
    let mut req = request(&[(Leefgebied::Huisvesting, 3)], 3, 1);
    req.text = "Al weken een kapotte kachel in huis".into();
    assert_eq!(ids(&engine, &req)[0], "b-monteur");
}

/// Search: when the text names a need the thesaurus knows, an offering about that need
/// comes before one that only shares a side word of the text.
#[test]
fn search_puts_the_need_before_a_side_word() {
    let mut mothers = spec("a-moeders", Tier::ElkaarHelpen, &[Leefgebied::Opvoeding]);
    mothers.terms = vec!["moeder", "moeders"];
    let mut meeting = spec(
        "b-ontmoeten",
        Tier::ElkaarHelpen,
        &[Leefgebied::SociaalNetwerk],
    );
    meeting.terms = vec!["ontmoeten"];
    let engine = engine_with_thesaurus(
        &[mothers, meeting],
        "[[onderwerp]]\nnaam = \"eenzaamheid\"\nleefgebieden = [\"sociaal_netwerk\"]\n\
         zoekwoorden = [\"ontmoeten\"]\nwoorden = [\"eenzaam\"]\n",
    );
    assert_eq!(
        search_ids(&engine, "mijn moeder is eenzaam"),
        ["b-ontmoeten", "a-moeders"]
    );
}

/// Search: an arrangement of a past period that is about the need heard comes before a
/// current offering that only shares a side word of the text; among offerings equally
/// on the need, current ones come first.
#[test]
fn search_puts_the_need_before_the_period() {
    let mut old = spec(
        "a-buurthulp",
        Tier::ElkaarHelpen,
        &[Leefgebied::SociaalNetwerk],
    );
    old.terms = vec!["praatje"];
    old.historic = true;
    let mut mothers = spec("b-moeders", Tier::ElkaarHelpen, &[Leefgebied::Opvoeding]);
    mothers.terms = vec!["moeder"];
    let mut now = spec(
        "c-koffie",
        Tier::ElkaarHelpen,
        &[Leefgebied::SociaalNetwerk],
    );
    now.terms = vec!["praatje"];
    let thesaurus = "[[onderwerp]]\nnaam = \"eenzaamheid\"\nleefgebieden = [\"sociaal_netwerk\"]\n\
         zoekwoorden = [\"praatje\"]\nwoorden = [\"eenzaam\"]\n";
    let engine = engine_with_thesaurus(&[old.clone(), mothers.clone()], thesaurus);
    assert_eq!(
        search_ids(&engine, "mijn moeder is eenzaam"),
        ["a-buurthulp", "b-moeders"]
    );
    let engine = engine_with_thesaurus(&[old, mothers, now], thesaurus);
    assert_eq!(
        search_ids(&engine, "mijn moeder is eenzaam"),
        ["c-koffie", "a-buurthulp", "b-moeders"]
    );
}

/// Search: a need the crisis detector hears brings up the help a thesaurus topic names
/// for it (a listening line for suicidal thoughts), also when every word typed is a stop
/// word, and before an offering that only shares a word of the text.
#[test]
fn search_brings_the_help_named_for_a_heard_need() {
    let mut listening = spec(
        "a-luisteren",
        Tier::ElkaarHelpen,
        &[Leefgebied::GeestelijkeGezondheid],
    );
    listening.terms = vec!["praten"];
    let mut other = spec("b-eind", Tier::ElkaarHelpen, &[Leefgebied::Financien]);
    other.terms = vec!["eind"];
    let engine = engine_with_thesaurus(
        &[listening, other],
        "[[onderwerp]]\nnaam = \"luisterend oor\"\nleefgebieden = [\"geestelijke_gezondheid\"]\n\
         signalen = [\"suicidaal\"]\nzoekwoorden = [\"praten\"]\nwoorden = [\"even praten\"]\n",
    );
    for text in ["ik wil er een eind aan maken", "wil er niet meer zijn"] {
        let outcome = engine.search(text, &Default::default(), 10).unwrap();
        assert_eq!(outcome.signals, [Signal::Suicidaal], "{text}");
        let found = search_ids(&engine, text);
        assert_eq!(
            found.first().map(String::as_str),
            Some("a-luisteren"),
            "{text}: {found:?}"
        );
    }
}

/// A text of stop words alone finds nothing (and says so): two of them written as one
/// ("op en" as "open") are no search.
#[test]
fn stop_words_alone_find_nothing() {
    let mut open = spec(
        "open-huis",
        Tier::ElkaarHelpen,
        &[Leefgebied::SociaalNetwerk],
    );
    open.terms = vec!["open"];
    let engine = engine(&[open]);
    let outcome = engine.search("op en", &Default::default(), 10).unwrap();
    assert!(
        outcome.hits.is_empty(),
        "{:?}",
        search_ids(&engine, "op en")
    );
    assert!(outcome.note.is_some());
    assert_eq!(search_ids(&engine, "open"), ["open-huis"]);
}

/// A catalog with a crisis line per town puts a few first for a signal, not all of them:
/// the rest of the answer stays for the help behind them.
#[test]
fn a_few_crisis_lines_per_signal_come_first() {
    let mut specs: Vec<Spec> = ["c-1", "c-2", "c-3", "c-4"]
        .iter()
        .map(|id| {
            let mut line = spec(id, Tier::Crisis, &[Leefgebied::GeestelijkeGezondheid]);
            line.signals = vec!["suicidaal"];
            line
        })
        .collect();
    let mut listening = spec(
        "luisteren",
        Tier::ElkaarHelpen,
        &[Leefgebied::GeestelijkeGezondheid],
    );
    listening.terms = vec!["dood"];
    specs.push(listening);
    let engine = engine(&specs);
    assert_eq!(
        search_ids(&engine, "ik wil dood"),
        ["c-1", "c-2", "luisteren"]
    );
    let mut req = request(&[(Leefgebied::GeestelijkeGezondheid, 2)], 2, 3);
    req.signals = vec![Signal::Suicidaal];
    let lines = ids(&engine, &req)
        .into_iter()
        .filter(|id| id.starts_with("c-"))
        .count();
    assert_eq!(lines, 2, "Match as well");
}

/// A ticked signal names a need as the words of a text would: without any text, Match
/// finds the help behind the crisis line by the signal's word ("dakloos"), above a
/// lighter offering that only shares the leefgebied.
#[test]
fn a_ticked_signal_finds_the_help_for_its_need() {
    let d = [Leefgebied::Huisvesting];
    let mut line = spec("noodnummer", Tier::Crisis, &[Leefgebied::Veiligheid]);
    line.signals = vec!["acuut_gevaar"];
    let mut shelter = spec("opvang", Tier::AlgemeneVoorziening, &d);
    shelter.terms = vec!["dakloos"];
    let e = engine(&[line, shelter, spec("woonhulp", Tier::ElkaarHelpen, &d)]);
    let mut req = request(&[(Leefgebied::Huisvesting, 3)], 3, 1);
    assert_eq!(ids(&e, &req), ["woonhulp", "opvang"], "without the signal");
    req.signals = vec![Signal::Dakloos];
    assert_eq!(ids(&e, &req), ["noodnummer", "opvang", "woonhulp"]);
}

/// An arrangement whose source says it has ended (in the bundled catalog the Tozo: "Per
/// 1 juli 2021 kan de Tozo niet meer aangevraagd worden") is no help to refer to: a
/// self-employed person without income gets the Bbz and the RBZ, not the Tozo. Asked for
/// by name, it shows, with what came instead.
#[test]
fn an_arrangement_that_has_ended_comes_only_when_named() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    let e = Engine::in_memory(Catalog::load(&dir).unwrap()).unwrap();
    let found = |q: &str| {
        (e.search(q, &wegwijzer::domain::Filters::default(), 10)
            .unwrap()
            .hits)
            .iter()
            .any(|h| h.offering.id == "tozo")
    };
    assert!(!found("zzp corona geen inkomen"));
    assert!(found("tozo"));
    let mut req = request(
        &[(Leefgebied::Ondernemen, 2), (Leefgebied::Financien, 2)],
        2,
        3,
    );
    assert!(!ids(&e, &req).contains(&"tozo".to_string()));
    req.text = "Zzp'er vraagt of hij nog Tozo kan aanvragen.".into();
    assert!(ids(&e, &req).contains(&"tozo".to_string()));
}

/// Maatwerk is reached through its door: a search answered first by maatwerk shows the
/// door right behind it, saying why; not when a filter leaves the door out, and a door
/// asked for stays where it is, once.
#[test]
fn the_door_to_maatwerk_follows_it_in_a_search() {
    use wegwijzer::domain::Filters;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    let e = Engine::in_memory(Catalog::load(&dir).unwrap()).unwrap();
    let door = (e.catalog().get("dagbesteding-wmo").unwrap().via.clone()).unwrap();
    let hits = |q: &str, f: &Filters| -> Vec<(String, Vec<String>)> {
        (e.search(q, f, 10).unwrap().hits.iter())
            .map(|h| (h.offering.id.clone(), h.reasons.clone()))
            .collect()
    };
    let found = hits("dagbesteding", &Filters::default());
    assert_eq!(found[0].0, "dagbesteding-wmo", "{found:?}");
    assert_eq!(found[1].0, door, "{found:?}");
    assert!(
        found[1]
            .1
            .iter()
            .any(|r| r.ends_with("bij Dagbesteding (Wmo).")),
        "{found:?}"
    );
    assert_eq!(found.iter().filter(|(id, _)| *id == door).count(), 1);
    let only_maatwerk = Filters {
        tier: Some(Tier::Maatwerk),
        ..Filters::default()
    };
    let found = hits("dagbesteding", &only_maatwerk);
    assert!(!found.iter().any(|(id, _)| *id == door), "{found:?}");
    // Maatwerk that has ended is no place to apply: no door behind it.
    let found = hits("tozo", &Filters::default());
    assert_eq!(found[0].0, "tozo", "{found:?}");
    assert!(
        found.iter().all(|(_, reasons)| reasons.is_empty()),
        "{found:?}"
    );
    let found = hits("wmo-loket", &Filters::default());
    assert_eq!(found[0].0, door, "{found:?}");
    assert!(found[0].1.is_empty(), "{found:?}");
    assert_eq!(found.iter().filter(|(id, _)| *id == door).count(), 1);
}

/// A name of more than one word typed in full among other words comes first: more of
/// a name typed beats one word of another name. A name of one word said twice ("Wijk
/// voor Wijk") is no such name.
#[test]
fn a_name_typed_in_full_comes_first() {
    use wegwijzer::domain::Filters;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    let e = Engine::in_memory(Catalog::load(&dir).unwrap()).unwrap();
    let first = |q: &str| {
        let hits = e.search(q, &Filters::default(), 10).unwrap().hits;
        hits[0].offering.id.clone()
    };
    assert_eq!(first("licht voor dordt hulplijn"), "licht-voor-dordt");
    assert_eq!(first("hulplijn licht voor dordt"), "licht-voor-dordt");
    assert_ne!(
        first("ik wil vrijwilligerswerk doen in mijn wijk"),
        "wijk-voor-wijk"
    );
}

/// Behind the line for a signal comes 112, for immediate danger, as one of the signal's
/// two lines: a signal with two lines of its own gets no third.
#[test]
fn the_alarm_number_follows_a_signal_with_one_line_of_its_own() {
    let d = [Leefgebied::Veiligheid];
    let line = |id: &str, signals: Vec<&'static str>| Spec {
        signals,
        ..spec(id, Tier::Crisis, &d)
    };
    let mut req = request(&[(Leefgebied::Veiligheid, 3)], 3, 1);
    req.signals = vec![Signal::Suicidaal];
    let one = engine(&[
        line("alarm", vec!["acuut_gevaar"]),
        line("lijn-a", vec!["suicidaal"]),
    ]);
    assert_eq!(ids(&one, &req), ["lijn-a", "alarm"]);
    let two = engine(&[
        line("alarm", vec!["acuut_gevaar"]),
        line("lijn-a", vec!["suicidaal"]),
        line("lijn-b", vec!["suicidaal"]),
    ]);
    assert_eq!(ids(&two, &req), ["lijn-a", "lijn-b"]);
}

/// Help meant for when the usual help does not fit or is not enough (`na_andere_hulp`)
/// is the heaviest step, ranked as maatwerk: an otherwise equal door comes before it;
/// its answer says what it is for.
#[test]
fn help_for_when_the_usual_help_falls_short_is_the_heaviest_step() {
    let d = [Leefgebied::Opvoeding];
    let team = |after_other_help| Spec {
        after_other_help,
        ..spec("expertteam", Tier::Toegang, &d)
    };
    let specialist = spec("specialist", Tier::Maatwerk, &d);
    let door = spec("wijkteam", Tier::Toegang, &d);
    let req = request(&[(Leefgebied::Opvoeding, 3)], 3, 2);
    let plain = engine(&[team(false), specialist.clone(), door.clone()]);
    assert_eq!(ids(&plain, &req), ["expertteam", "wijkteam", "specialist"]);
    let flagged = engine(&[team(true), specialist, door]);
    assert_eq!(
        ids(&flagged, &req),
        ["wijkteam", "expertteam", "specialist"]
    );
    let outcome = flagged.match_request(&req, 10).unwrap();
    let reasons = &outcome.results[1].reasons;
    assert!(
        reasons.iter().any(|r| r.contains("gewone hulp niet")),
        "{reasons:?}"
    );
}

/// A crisis-tier offering that answers no signal (a listening line) is matched like any
/// other offering, with its reasons; a crisis line comes only for its signal, first.
#[test]
fn a_listening_line_is_matched_like_any_offering_a_crisis_line_only_for_its_signal() {
    let d = [Leefgebied::SociaalNetwerk];
    let mut line = spec("c-lijn", Tier::Crisis, &d);
    line.signals = vec!["suicidaal"];
    let e = engine(&[
        line,
        spec("luisterlijn", Tier::Crisis, &d),
        spec("buren", Tier::ElkaarHelpen, &d),
    ]);
    let mut req = request(&[(Leefgebied::SociaalNetwerk, 2)], 2, 2);
    let outcome = e.match_request(&req, 10).unwrap();
    let got: Vec<&str> = outcome
        .results
        .iter()
        .map(|r| r.offering.id.as_str())
        .collect();
    assert_eq!(got, ["buren", "luisterlijn"]);
    assert!(outcome.results.iter().all(|r| !r.reasons.is_empty()));
    // Its reasons call it a line to call beside the rest, not heavier help.
    let line = &outcome.results[1].reasons;
    assert!(line.iter().any(|r| r.starts_with("Hulplijn")), "{line:?}");
    assert!(
        !line.iter().any(|r| r.starts_with("Zwaardere hulp")),
        "{line:?}"
    );
    req.signals = vec![Signal::Suicidaal];
    assert_eq!(ids(&e, &req), ["c-lijn", "buren", "luisterlijn"]);
}

/// A crisis line is no padding in Search, but a volunteer looking up its number finds
/// it by name, also while the name is still being typed, with a typo, or by its number.
/// One everyday word of a longer name is not its name.
#[test]
fn a_crisis_line_shows_while_its_name_is_typed() {
    let d = [Leefgebied::Veiligheid];
    let mut line = spec("kindertelefoon", Tier::Crisis, &d);
    line.signals = vec!["kindermishandeling"];
    line.name = Some("De Kindertelefoon");
    let mut home = spec("veilig-thuis", Tier::Crisis, &d);
    home.signals = vec!["huiselijk_geweld"];
    home.name = Some("Veilig Thuis");
    home.terms = vec!["thuis"];
    let mut number = spec("lijn-113", Tier::Crisis, &d);
    number.signals = vec!["suicidaal"];
    number.name = Some("113 Zelfmoordpreventie");
    let mut club = spec("kinderclub", Tier::ElkaarHelpen, &d);
    club.terms = vec!["hulp", "thuis", "school"];
    let e = engine(&[line, home, number, club]);
    let shows = |text: &str, id: &str| search_ids(&e, text).contains(&id.to_string());
    let shown = |text: &str| shows(text, "kindertelefoon");
    assert!(shown("kindertelefoon"));
    assert!(shown("kindertel"), "the name being typed");
    assert!(
        shown("bel de kindertel"),
        "the name being typed after other words"
    );
    for named in [
        "veilig thuis",
        "veilig thuis nummer",
        "veilig tuis bellen",
        "veilig",
    ] {
        assert!(shows(named, "veilig-thuis"), "{named}");
    }
    assert!(shows("bel 113", "lijn-113"), "a number in the name");
    for unnamed in ["zoon zit thuis", "hulp thuis school"] {
        assert!(!shows(unnamed, "veilig-thuis"), "{unnamed}");
        assert!(shows(unnamed, "kinderclub"), "{unnamed}");
    }
    assert!(!shown("kind"), "too short a start to stand for the name");
    assert!(
        !shown("kinderen"),
        "a whole word that only shares its stem's start"
    );
    assert!(
        !shown("hulp"),
        "a word it only shares with the rest is padding"
    );
    assert!(search_ids(&e, "hulp").contains(&"kinderclub".to_string()));
}

/// In a text with crisis language the words say what is wrong, not which offering is
/// wanted: "leven" in "wil niet meer leven" does not ask for an activity called "Vier het
/// leven" by name, so help for the need heard comes before it.
#[test]
fn crisis_language_asks_for_no_offering_by_name() {
    let mut line = spec("lijn", Tier::Crisis, &[Leefgebied::GeestelijkeGezondheid]);
    line.signals = vec!["suicidaal"];
    let mut outing = spec("uitje", Tier::ElkaarHelpen, &[Leefgebied::Tijdsbesteding]);
    outing.name = Some("Vier het leven");
    let mut support = spec(
        "steun",
        Tier::AlgemeneVoorziening,
        &[Leefgebied::GeestelijkeGezondheid],
    );
    support.terms = vec!["leven", "somber"];
    let e = engine(&[line, outing, support]);
    assert_eq!(
        search_ids(&e, "ik wil niet meer leven"),
        ["lijn", "steun", "uitje"]
    );
    assert_eq!(
        search_ids(&e, "vier het leven")[0],
        "uitje",
        "asked for by name"
    );
}

/// A name typed in full is asked for, crisis language or not: "nachtopvang hooghaven"
/// wants that shelter, right after the crisis line, though another shelter is filed
/// under the need the detector heard and this one is not.
#[test]
fn a_name_typed_in_full_is_asked_for_with_crisis_language_too() {
    let mut line = spec("opvanglijn", Tier::Crisis, &[Leefgebied::Huisvesting]);
    line.signals = vec!["dakloos"];
    let mut named = spec(
        "hooghaven",
        Tier::AlgemeneVoorziening,
        &[Leefgebied::SociaalNetwerk],
    );
    named.name = Some("Nachtopvang Hooghaven");
    let mut other = spec(
        "zonnestede",
        Tier::AlgemeneVoorziening,
        &[Leefgebied::Huisvesting],
    );
    other.name = Some("Nachtopvang Zonnestede");
    let e = engine(&[line, named, other]);
    assert_eq!(
        search_ids(&e, "nachtopvang hooghaven"),
        ["opvanglijn", "hooghaven", "zonnestede"]
    );
}

/// An age in a search is all Search knows of the person: an offering whose age limits
/// or groups it falls outside comes after those that may fit, unless the text asks for
/// that group ("mijn zoon").
#[test]
fn search_puts_offerings_for_another_age_after_the_rest() {
    let d = [Leefgebied::GeestelijkeGezondheid];
    let mut youth = spec("jeugd", Tier::AlgemeneVoorziening, &d);
    youth.terms = vec!["somber", "depressie", "somberheid"];
    youth.ages = Some((0, 17));
    let mut all = spec("iedereen", Tier::AlgemeneVoorziening, &d);
    all.terms = vec!["somber"];
    let e = engine(&[youth, all]);
    assert_eq!(search_ids(&e, "somber depressie"), ["jeugd", "iedereen"]);
    assert_eq!(
        search_ids(&e, "ik ben 45 en somber, depressie"),
        ["iedereen", "jeugd"]
    );
    assert_eq!(
        search_ids(&e, "zoon van 15 somber, depressie"),
        ["jeugd", "iedereen"]
    );
}

#[test]
fn healthy_balance_puts_the_lightest_of_equal_relevance_first() {
    let d = [Leefgebied::SociaalNetwerk];
    let e = engine(&[
        spec("a-maatwerk", Tier::Maatwerk, &d),
        spec("b-toegang", Tier::Toegang, &d),
        spec("c-algemeen", Tier::AlgemeneVoorziening, &d),
        spec("d-buren", Tier::ElkaarHelpen, &d),
    ]);
    let got = ids(&e, &request(&[(Leefgebied::SociaalNetwerk, 3)], 3, 1));
    assert_eq!(got, ["d-buren", "c-algemeen", "b-toegang", "a-maatwerk"]);
}

#[test]
fn out_of_balance_brings_a_door_into_the_top_three() {
    let fin = [Leefgebied::Financien];
    let e = engine(&[
        spec("buren-1", Tier::ElkaarHelpen, &fin),
        spec("buren-2", Tier::ElkaarHelpen, &fin),
        spec("buren-3", Tier::AlgemeneVoorziening, &fin),
        spec("buren-4", Tier::AlgemeneVoorziening, &fin),
        spec("wijkteam", Tier::Toegang, &[Leefgebied::Huisvesting]),
    ]);
    let scores = [
        (Leefgebied::Financien, 2),
        (Leefgebied::Huisvesting, 2),
        (Leefgebied::SociaalNetwerk, 2),
    ];
    let got = ids(&e, &request(&scores, 1, 4));
    let door = got
        .iter()
        .position(|id| id == "wijkteam")
        .expect("the door is listed");
    assert!(door < 3, "door at rank {}: {got:?}", door + 1);
    assert!(
        got[..3].iter().any(|id| id.starts_with("buren")),
        "light help beside it: {got:?}"
    );
}

#[test]
fn ineligible_by_age_never_appears() {
    let d = [Leefgebied::WerkOpleiding];
    let mut young = spec("jong", Tier::AlgemeneVoorziening, &d);
    young.ages = Some((12, 27));
    let e = engine(&[young, spec("iedereen", Tier::Toegang, &d)]);
    let mut req = request(&[(Leefgebied::WerkOpleiding, 2)], 3, 1);
    req.context.age = Some(20);
    assert_eq!(ids(&e, &req), ["jong", "iedereen"]);
    req.context.age = Some(43);
    assert_eq!(ids(&e, &req), ["iedereen"]);
    req.context.age = None;
    assert_eq!(ids(&e, &req).len(), 2, "unknown age excludes nobody");
    req.context.gemeente = Some("Zwijndrecht".into());
    assert_eq!(
        ids(&e, &req).len(),
        2,
        "Drechtsteden-wide offerings serve Zwijndrecht"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// For a healthy profile, adding a heavier-tier offering of equal relevance never
    /// pushes a lighter one down.
    #[test]
    fn heavier_offering_never_pushes_a_lighter_one_down(
        base in proptest::collection::vec((0usize..4, proptest::sample::subsequence(Leefgebied::ALL[..6].to_vec(), 1..3)), 1..6),
        twin_of in 0usize..6,
        heavier_by in 1usize..3,
        asked in proptest::sample::subsequence(Leefgebied::ALL[..6].to_vec(), 1..3),
    ) {
        let specs: Vec<Spec> = base
            .iter()
            .enumerate()
            .map(|(i, (t, d))| spec(&format!("o{i}"), LADDER[*t], d))
            .collect();
        let scores: Vec<(Leefgebied, u8)> = asked.iter().map(|l| (*l, 3)).collect();
        let req = request(&scores, 3, 1);
        let before = ids(&engine(&specs), &req);

        let original = &specs[twin_of % specs.len()];
        let tier = LADDER[(LADDER.iter().position(|t| *t == original.tier).unwrap() + heavier_by).min(3)];
        prop_assume!(tier != original.tier);
        let mut more = specs.clone();
        more.push(Spec { id: "zwaarder".into(), tier, domains: original.domains.clone(), ages: None, terms: vec!["hulp"], signals: Vec::new(), historic: false, name: None, after_other_help: false });
        let after = ids(&engine(&more), &req);

        if let Some(pos) = before.iter().position(|id| *id == original.id) {
            let now = after.iter().position(|id| *id == original.id).unwrap();
            prop_assert_eq!(now, pos, "{} moved from {} to {}: {:?}", original.id, pos, now, after);
            let heavy = after.iter().position(|id| id == "zwaarder").unwrap();
            prop_assert!(heavy > now);
        }
    }
}

/// Corona-era arrangements that may have ended come after every current offering in
/// Search, unless asked for by name; Match weighs them less and says why.
#[test]
fn historic_arrangements_come_after_current_ones() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
    let engine = Engine::in_memory(Catalog::load(&dir).unwrap()).unwrap();
    let hits = engine
        .search("eenzaam boodschappen praatje", &Default::default(), 20)
        .unwrap()
        .hits;
    let historic: Vec<bool> = hits.iter().map(|h| h.offering.historic.is_some()).collect();
    assert!(
        historic.contains(&true) && historic.contains(&false),
        "{historic:?}"
    );
    let first_historic = historic.iter().position(|h| *h).unwrap();
    assert!(
        historic[first_historic..].iter().all(|h| *h),
        "{historic:?}"
    );

    let named = engine
        .search("licht voor dordt", &Default::default(), 5)
        .unwrap()
        .hits;
    assert_eq!(
        named[0].offering.id, "licht-voor-dordt",
        "asked for by name"
    );

    let request = HelpRequest {
        leefgebieden: vec![DomainScore {
            leefgebied: Leefgebied::SociaalNetwerk,
            score: 2,
        }],
        text: "eenzaam, niemand om mee te praten".into(),
        ..Default::default()
    };
    let outcome = engine.match_request(&request, 10).unwrap();
    let shown = outcome
        .results
        .iter()
        .find(|r| r.offering.historic.is_some())
        .expect("a historic arrangement among the results");
    assert!(
        shown
            .reasons
            .iter()
            .any(|r| r.contains("bestaat misschien niet meer")),
        "{:?}",
        shown.reasons
    );
}

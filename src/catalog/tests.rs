use std::fs;

use super::*;
use crate::domain::{ServiceArea, Tier};

const REGION: &str = r#"
naam = "Testregio"
gemeenten = ["Dordrecht", "Zwijndrecht"]

[[bron]]
bestand = "bron.txt"
titel = "Een bron"
"#;

const GOOD: &str = r#"[[aanbod]]
id = "maatjes"
naam = "Maatjes"
organisatie = "Stichting"
niveau = "elkaar_helpen"
leefgebieden = ["sociaal_netwerk"]
beschrijving = "Een vrijwilliger komt langs."
zoektermen = ["eenzaam"]
volgende_stap = "Bel de coördinator."
gemeenten = ["Drechtsteden"]
toegang = ["huisbezoek"]
via = "lijn"
kosten = "gratis"
bron = "bron.txt"
geverifieerd = 2026-11-23

[aanbod.bewijs]
kosten = { regel = 3, woord = "gratis" }

[[aanbod]]
id = "lijn"
naam = "Lijn"
organisatie = "Landelijk"
niveau = "crisis"
leefgebieden = ["veiligheid"]
beschrijving = "Altijd bereikbaar."
zoektermen = ["gevaar"]
volgende_stap = "Bel."
gemeenten = ["Nederland"]
toegang = ["telefoon"]
kosten = "gratis"
signalen = ["acuut_gevaar"]
bron = "bron.txt"
geverifieerd = 2026-11-23

[aanbod.doelgroep]
leeftijd_min = 0
leeftijd_max = 120

[aanbod.contact]
telefoon = "112"
bron = "bron.txt"

[aanbod.bewijs]
kosten = { regel = 1, woord = "gratis" }
leeftijd = { regel = 2, woord = "iedereen" }
"#;

fn catalog_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    super::fixture::catalog_dir(REGION, files)
}

fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let dir = catalog_dir(files);
    match Catalog::load(dir.path()) {
        Err(CatalogError::Invalid(p)) => p
            .iter()
            .map(|p| {
                let rel = p
                    .file
                    .strip_prefix(dir.path())
                    .unwrap_or(&p.file)
                    .display()
                    .to_string();
                format!(
                    "{rel}:{}: {}",
                    p.line.map_or("-".into(), |l| l.to_string()),
                    p.message
                )
            })
            .collect(),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => Vec::new(),
    }
}

#[test]
fn loads_a_valid_catalog() {
    let dir = catalog_dir(&[("a.toml", GOOD)]);
    let c = Catalog::load(dir.path()).unwrap();
    assert_eq!(c.offerings().len(), 2);
    assert_eq!(c.offerings()[0].id, "lijn", "offerings are sorted by id");
    let maatjes = c.get("maatjes").unwrap();
    assert_eq!(maatjes.tier, Tier::ElkaarHelpen);
    assert_eq!(
        maatjes.area,
        ServiceArea::Gemeenten(vec!["Dordrecht".into(), "Zwijndrecht".into()]),
        "Drechtsteden expands to the region's gemeenten"
    );
    assert_eq!(maatjes.languages, vec!["nl".to_string()]);
    assert_eq!(c.get("lijn").unwrap().area, ServiceArea::National);
    assert_eq!(
        c.get("lijn")
            .unwrap()
            .contact
            .as_ref()
            .unwrap()
            .phone
            .as_deref(),
        Some("112")
    );
    assert_eq!(c.gemeente("zwijndrecht"), Some("Zwijndrecht"));
    assert_eq!(c.gemeente("Utrecht"), None);
}

#[test]
fn unknown_field_is_rejected_with_its_line() {
    let text = GOOD.replacen(
        "kosten = \"gratis\"",
        "kosten = \"gratis\"\nopeningstijden = \"ma-vr\"",
        1,
    );
    let p = problems(&[("a.toml", &text)]);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("aanbod/a.toml:14:"), "{p:?}");
    assert!(p[0].contains("openingstijden"), "{p:?}");
}

#[test]
fn syntax_error_names_file_and_line() {
    let p = problems(&[("a.toml", "[[aanbod]]\nid = \"x\nnaam = 1\n")]);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].starts_with("aanbod/a.toml:2:"), "{p:?}");
}

#[test]
fn every_problem_is_reported_at_once_with_the_field_line() {
    let text = GOOD
        .replacen("[\"sociaal_netwerk\"]", "[\"eenzaamheid\"]", 1)
        .replacen("\"elkaar_helpen\"", "\"licht\"", 1)
        .replacen("[\"Nederland\"]", "[\"Utrecht\"]", 1);
    let p = problems(&[("a.toml", &text)]);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p.iter()
            .any(|x| x.starts_with("aanbod/a.toml:5:") && x.contains("'licht'")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|x| x.starts_with("aanbod/a.toml:6:") && x.contains("'eenzaamheid'")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|x| x.starts_with("aanbod/a.toml:29:") && x.contains("'Utrecht'")),
        "{p:?}"
    );
}

#[test]
fn duplicate_ids_and_names_point_at_both_places() {
    let p = problems(&[("a.toml", GOOD), ("b.toml", GOOD)]);
    assert_eq!(p.len(), 4, "{p:?}");
    assert!(p.iter().any(|x| x.starts_with("aanbod/b.toml:1:")
        && x.contains("id 'maatjes'")
        && x.contains("a.toml:1")));
    assert!(p.iter().any(|x| x.contains("name 'Maatjes'")));
}

#[test]
fn contact_facts_need_a_source_and_a_valid_form() {
    let no_source = GOOD.replacen(
        "telefoon = \"112\"\nbron = \"bron.txt\"",
        "telefoon = \"112\"",
        1,
    );
    let p = problems(&[("a.toml", &no_source)]);
    assert!(
        p.len() == 1 && p[0].contains("contact facts must come from a source"),
        "{p:?}"
    );
    let bad_phone = GOOD.replacen("\"112\"", "\"bel ons\"", 1);
    let p = problems(&[("a.toml", &bad_phone)]);
    assert!(
        p.len() == 1 && p[0].contains("not a valid phone number"),
        "{p:?}"
    );
}

#[test]
fn insane_age_ranges_and_unlisted_sources_are_rejected() {
    let text = GOOD
        .replacen("leeftijd_min = 0", "leeftijd_min = 80", 1)
        .replacen("leeftijd_max = 120", "leeftijd_max = 18", 1);
    let p = problems(&[("a.toml", &text)]);
    assert!(p.len() == 1 && p[0].contains("age range 80..18"), "{p:?}");
    let text = GOOD.replacen(
        "leeftijd_max = 120",
        "leeftijd_max = 120\nkind_leeftijd_max = 18",
        1,
    );
    let p = problems(&[("a.toml", &text)]);
    assert!(
        p.iter()
            .any(|p| p.contains("`kind_leeftijd_max` 18 is no child")),
        "{p:?}"
    );
    let text = GOOD.replacen(
        "leeftijd_max = 120",
        "leeftijd_max = 120\nkind_leeftijd_max = 1",
        1,
    );
    let p = problems(&[("a.toml", &text)]);
    assert!(
        p.len() == 1 && p[0].contains("which name neither `jeugd` nor `ouders`"),
        "a child's limit needs children to limit: {p:?}"
    );
    let text = text.replacen(
        "signalen = [\"acuut_gevaar\"]",
        "signalen = [\"acuut_gevaar\"]\ndoelgroepen = [\"jeugd\"]",
        1,
    );
    let p = problems(&[("a.toml", &text)]);
    assert!(
        p.iter().all(|p| !p.contains("kind_leeftijd_max")),
        "a child's limit below 18 for youth: {p:?}"
    );
    let parents = text.replacen("doelgroepen = [\"jeugd\"]", "doelgroepen = [\"ouders\"]", 1);
    assert_ne!(parents, text);
    let p = problems(&[("a.toml", &parents)]);
    assert!(
        p.iter().all(|p| !p.contains("kind_leeftijd_max")),
        "and for the parents of young children: {p:?}"
    );
    let text = GOOD.replacen(
        "bron = \"bron.txt\"\ngeverifieerd",
        "bron = \"verzonnen.txt\"\ngeverifieerd",
        1,
    );
    let p = problems(&[("a.toml", &text)]);
    assert!(
        p.len() == 1 && p[0].contains("'verzonnen.txt' is not listed"),
        "{p:?}"
    );
}

#[test]
fn an_invalid_file_fails_the_whole_catalog() {
    let broken = GOOD.replacen("kosten = \"gratis\"", "kosten = \"duur\"", 1);
    let dir = catalog_dir(&[
        (
            "a.toml",
            GOOD.replace("maatjes", "ander")
                .replace("Maatjes", "Ander")
                .replace("\"lijn\"", "\"lijn2\"")
                .replace("\"Lijn\"", "\"Lijn 2\"")
                .as_str(),
        ),
        ("b.toml", &broken),
    ]);
    assert!(matches!(
        Catalog::load(dir.path()),
        Err(CatalogError::Invalid(_))
    ));
}

#[test]
fn missing_folder_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Catalog::load(&dir.path().join("nergens")).unwrap_err();
    assert!(matches!(err, CatalogError::Io { .. }), "{err}");
}

#[test]
fn fingerprint_follows_content() {
    let a = catalog_dir(&[("a.toml", GOOD)]);
    let b = catalog_dir(&[("a.toml", GOOD)]);
    let c = catalog_dir(&[("a.toml", &GOOD.replacen("langs.", "langs!", 1))]);
    let fp = |d: &tempfile::TempDir| Catalog::load(d.path()).unwrap().fingerprint().to_string();
    assert_eq!(fp(&a), fp(&b));
    assert_ne!(fp(&a), fp(&c));
}

#[test]
fn warnings_flag_near_duplicates_and_stale_entries() {
    let text = GOOD
        .replacen("naam = \"Lijn\"", "naam = \"Maatje\"", 1)
        .replacen("geverifieerd = 2026-11-23", "geverifieerd = 2024-01-02", 1);
    let dir = catalog_dir(&[("a.toml", &text)]);
    let c = Catalog::load(dir.path()).unwrap();
    let w: Vec<String> = c
        .warnings(crate::domain::dates::parse("2026-11-23").unwrap())
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w.iter()
            .any(|x| x.contains("'Maatje' is very close to 'Maatjes'") && x.contains("a.toml:20")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|x| x.contains("aanbod 'maatjes' was last verified") && x.contains("a.toml:1:")),
        "{w:?}"
    );
    assert!(
        c.warnings(crate::domain::dates::parse("2024-06-01").unwrap())
            .len()
            == 1,
        "not stale yet half a year later"
    );
}

#[test]
fn historic_catalogs_may_leave_out_verification() {
    let undated = GOOD.replace("geverifieerd = 2026-11-23\n", "");
    let p = problems(&[("a.toml", &undated)]);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].contains("`geverifieerd` is missing"), "{p:?}");

    let dir = catalog_dir(&[("a.toml", &undated)]);
    fs::write(
        dir.path().join("catalogus.toml"),
        format!("historisch = true\n{REGION}"),
    )
    .unwrap();
    let c = Catalog::load(dir.path()).unwrap();
    assert!(c.is_historic());
    assert!(c.offerings().iter().all(|o| o.verified.is_none()));
}

/// An arrangement said to have ended names the line that says so; without it the entry
/// is rejected with file and line.
#[test]
fn an_ended_arrangement_needs_its_line() {
    let ended = GOOD.replacen(
        "kosten = ",
        "historisch = { periode = \"2020-2021\", beeindigd = true }\nkosten = ",
        1,
    );
    let p = problems(&[("a.toml", &ended)]);
    assert!(
        p.len() == 1 && p[0].starts_with("aanbod/a.toml:") && p[0].contains("beeindigd"),
        "{p:?}"
    );
}

#[test]
fn impossible_dates_are_rejected_with_file_and_line() {
    let text = GOOD.replacen("geverifieerd = 2026-11-23", "geverifieerd = 2027-02-31", 1);
    let p = problems(&[("a.toml", &text)]);
    assert!(
        p.len() == 1 && p[0].starts_with("aanbod/a.toml:") && p[0].contains("date"),
        "{p:?}"
    );
}

#[test]
fn via_must_name_an_entry_without_a_circle() {
    let unknown = GOOD.replacen("via = \"lijn\"", "via = \"nergens\"", 1);
    let p = problems(&[("a.toml", &unknown)]);
    assert!(
        p.len() == 1 && p[0].starts_with("aanbod/a.toml:1:") && p[0].contains("'nergens'"),
        "{p:?}"
    );
    let circle = GOOD.replacen(
        "toegang = [\"telefoon\"]",
        "toegang = [\"telefoon\"]\nvia = \"maatjes\"",
        1,
    );
    let p = problems(&[("a.toml", &circle)]);
    assert!(
        p.len() == 2 && p.iter().all(|x| x.contains("circle")),
        "{p:?}"
    );
    let itself = GOOD.replacen("via = \"lijn\"", "via = \"maatjes\"", 1);
    let p = problems(&[("a.toml", &itself)]);
    assert!(
        p.len() == 1 && p[0].contains("names the entry itself"),
        "{p:?}"
    );
}

#[test]
fn unsourced_facts_and_missing_routes_are_reported() {
    let dir = catalog_dir(&[("a.toml", GOOD)]);
    let c = Catalog::load(dir.path()).unwrap();
    let a = super::facts::audit(&c);
    assert_eq!((a.own_contact, a.via_door, a.no_route.len()), (1, 1, 0));
    assert!(a.unsourced_costs.is_empty() && a.unsourced_eligibility.is_empty());

    let text = GOOD
        .replacen("via = \"lijn\"\n", "", 1)
        .replacen("leeftijd = { regel = 2, woord = \"iedereen\" }\n", "", 1)
        .replacen("kosten = { regel = 3, woord = \"gratis\" }\n", "", 1);
    let dir = catalog_dir(&[("a.toml", &text)]);
    let c = Catalog::load(dir.path()).unwrap();
    let a = super::facts::audit(&c);
    assert_eq!(a.no_route, ["maatjes"]);
    assert_eq!(a.unsourced_costs, ["maatjes"]);
    assert_eq!(
        a.unsourced_eligibility,
        [("lijn".to_string(), crate::domain::Fact::Leeftijd)]
    );
    let w: Vec<String> = c
        .warnings(crate::domain::dates::parse("2026-11-23").unwrap())
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w.iter().any(|x| x.contains("no way to reach it")), "{w:?}");

    let unknown_cost = text.replacen("kosten = \"gratis\"", "kosten = \"onbekend\"", 1);
    let dir = catalog_dir(&[("a.toml", &unknown_cost)]);
    let c = Catalog::load(dir.path()).unwrap();
    assert_eq!(
        c.get("maatjes").unwrap().cost,
        crate::domain::Cost::Onbekend
    );
    assert!(
        super::facts::audit(&c).unsourced_costs.is_empty(),
        "unknown needs no source"
    );
}

#[test]
fn evidence_must_cite_a_listed_source_and_a_real_line() {
    for (evidence, message) in [
        (
            "{ bestand = \"verzonnen.txt\", regel = 3, woord = \"gratis\" }",
            "does not list",
        ),
        ("{ regel = 0, woord = \"gratis\" }", "counts from 1"),
        ("{ regel = 3, woord = \"\" }", "`woord`"),
    ] {
        let text = GOOD.replacen(
            "kosten = { regel = 3, woord = \"gratis\" }",
            &format!("kosten = {evidence}"),
            1,
        );
        let p = problems(&[("a.toml", &text)]);
        assert!(p.len() == 1 && p[0].contains(message), "{evidence}: {p:?}");
    }
    let text = GOOD.replacen(
        "[aanbod.bewijs]\n",
        "[aanbod.bewijs]\nlengte = { regel = 1, woord = \"x\" }\n",
        1,
    );
    let p = problems(&[("a.toml", &text)]);
    assert!(
        p.len() == 1 && p[0].contains("unknown fact 'lengte'"),
        "{p:?}"
    );
}

#[test]
fn an_offering_is_found_by_its_place_as_by_its_id() {
    let catalog = Catalog::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog")).unwrap();
    for (i, o) in catalog.offerings().iter().enumerate() {
        assert_eq!(catalog.position_of(o), Some(i));
        assert_eq!(catalog.position(&o.id), Some(i));
    }
    // The same offering held elsewhere is not one of this catalog's.
    let copy = catalog.offerings()[3].clone();
    assert_eq!(catalog.position_of(&copy), None);
    assert_eq!(catalog.crisis_lines().count(), {
        let crisis = |o: &&Offering| o.tier == Tier::Crisis && !o.signals.is_empty();
        catalog.offerings().iter().filter(crisis).count()
    });
    assert!(catalog.crisis_lines().all(Offering::is_crisis_line));
    // A listening line answers no signal: it is no crisis line.
    let listening = catalog.get("de-luisterlijn").unwrap();
    assert!(listening.tier == Tier::Crisis && !listening.is_crisis_line());
}

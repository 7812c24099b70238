//! HSDS import: wegwijzer's own export comes back unchanged, and a (made-up) sample in
//! both HSDS forms becomes a catalog the server loads, with nothing invented.

use std::path::{Path, PathBuf};

use wegwijzer::catalog::hsds::{self, import};
use wegwijzer::catalog::Catalog;
use wegwijzer::domain::Filters;
use wegwijzer::engine::Engine;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> PathBuf {
    root().join("tests/hsds-sample")
}

fn import_into(input: &Path, mapping: &import::Mapping, out: &Path) -> import::Imported {
    import::run(
        input,
        out,
        &root().join("catalog/taxonomie.toml"),
        mapping,
        "Test",
    )
    .unwrap()
}

#[test]
fn export_import_export_is_identical() {
    let bundled = Catalog::load(&root().join("catalog")).unwrap();
    let first = hsds::export(&bundled);
    let dir = tempfile::tempdir().unwrap();
    hsds::write(&first, &dir.path().join("hsds")).unwrap();
    let imported = import_into(
        &dir.path().join("hsds"),
        &import::Mapping::default(),
        &dir.path().join("catalog"),
    );
    assert!(imported.report.is_empty(), "{:?}", imported.report);
    let again = Catalog::load(&dir.path().join("catalog")).unwrap();
    assert_eq!(again.offerings().len(), bundled.offerings().len());
    let second = hsds::export(&again);
    assert_eq!(second.organizations, first.organizations);
    for (a, b) in first.services.iter().zip(&second.services) {
        assert_eq!(a, b, "service {}", a["name"]);
    }
    assert_eq!(second, first);
    // What the export does not carry (search words) is the only loss.
    for (a, b) in bundled.offerings().iter().zip(again.offerings()) {
        assert_eq!(
            (&a.id, &a.evidence, &a.via, &a.historic),
            (&b.id, &b.evidence, &b.via, &b.historic)
        );
        assert_eq!(
            (&a.eligibility, &a.availability, &a.contact),
            (&b.eligibility, &b.availability, &b.contact)
        );
    }
}

fn mapping() -> import::Mapping {
    import::Mapping::load(&sample().join("mapping.toml")).unwrap()
}

#[test]
fn the_sample_imports_alike_from_json_and_csv_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let json = import_into(&sample().join("json"), &mapping(), &dir.path().join("json"));
    let csv = import_into(
        &sample().join("tabular"),
        &mapping(),
        &dir.path().join("csv"),
    );
    assert_eq!(json.offerings.len(), 5, "{:?}", json.report);
    for (a, b) in json.offerings.iter().zip(&csv.offerings) {
        let mut b = b.clone();
        b.source = a.source.clone();
        if let (Some(ca), Some(cb)) = (&a.contact, b.contact.as_mut()) {
            cb.source = ca.source.clone();
        }
        b.evidence = a.evidence.clone();
        assert_eq!(a, &b);
    }
    // The service without a tier, a domain or a description is left out, and said so.
    assert!(
        json.report
            .iter()
            .any(|l| l.contains("'Formulierenhulp': left out")),
        "{:?}",
        json.report
    );
    let rapport = std::fs::read_to_string(dir.path().join("json/import-rapport.txt")).unwrap();
    assert!(rapport.starts_with("HSDS-import uit") && rapport.contains("5 van 6 diensten"));

    let catalog = Catalog::load(&dir.path().join("json")).unwrap();
    let engine = Engine::in_memory(catalog).unwrap();
    let hits = engine
        .search("schulden", &Filters::default(), 3)
        .unwrap()
        .hits;
    assert_eq!(hits[0].offering.name, "Schuldhulppunt Fictiefkwartier");
    let with_hours = engine
        .catalog()
        .offerings()
        .iter()
        .filter(|o| {
            o.contact
                .as_ref()
                .is_some_and(|c| !c.hours.is_empty() && !c.locations.is_empty())
        })
        .count();
    assert!(
        with_hours >= 3,
        "locations and hours came through: {with_hours}"
    );
}

#[test]
fn nothing_is_invented() {
    let input = std::fs::read_to_string(sample().join("json/services.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let imported = import_into(&sample().join("json"), &mapping(), dir.path());
    let mut facts = Vec::new();
    for o in &imported.offerings {
        facts.push(o.name.clone());
        facts.push(o.description.clone());
        if let Some(c) = &o.contact {
            facts.extend(c.phone.clone());
            facts.extend(c.website.clone());
            facts.extend(c.email.clone());
            for p in &c.phones {
                facts.push(p.number.clone());
            }
            for l in &c.locations {
                facts.extend(
                    [
                        Some(l.name.clone()),
                        l.address.clone(),
                        l.postcode.clone(),
                        l.city.clone(),
                    ]
                    .into_iter()
                    .flatten(),
                );
            }
        }
        assert!(o.eligibility.min_age.is_none() || input.contains("minimum_age"));
    }
    for fact in facts {
        assert!(input.contains(&fact), "'{fact}' is not in the input");
    }
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let err = import::run(
        empty.path(),
        dir.path(),
        &root().join("catalog/taxonomie.toml"),
        &import::Mapping::default(),
        "x",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("no services.json and no services.csv"),
        "{err}"
    );
    let bad = dir.path().join("mapping.toml");
    std::fs::write(&bad, "[[taxonomie]]\nnaam = \"x\"\nbetekenis = \"kleur\"\n").unwrap();
    let err = import::Mapping::load(&bad).unwrap_err();
    assert!(
        err.to_string().contains("unknown betekenis 'kleur'"),
        "{err}"
    );
    std::fs::write(empty.path().join("services.json"), "{\"not\": \"a list\"}").unwrap();
    let err = import::run(
        empty.path(),
        dir.path(),
        &root().join("catalog/taxonomie.toml"),
        &import::Mapping::default(),
        "x",
    )
    .unwrap_err();
    assert!(err.to_string().contains("expected a JSON array"), "{err}");
}

//! The HSDS 3.0 export of the bundled catalogs, validated against the official schemas.
//!
//! The schemas live in `../shared/hsds` (not part of the repository). When that folder is
//! missing the schema validation is skipped with a message; the structural checks still
//! run. Services are checked against `compiled/service_list.json` and, for their nested
//! objects, `compiled/service_with_definitions.json`; organizations against
//! `compiled/organization_list.json` and the organization definition.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use wegwijzer::catalog::hsds;
use wegwijzer::catalog::Catalog;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schemas_dir() -> PathBuf {
    root().join("../shared/hsds")
}

/// The (made-up) HSDS sample imported into a catalog: it has locations, phones with
/// their purpose and opening hours, which the bundled catalog's sources do not give.
fn imported_sample() -> PathBuf {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let sample = root().join("tests/hsds-sample");
        let mapping = hsds::import::Mapping::load(&sample.join("mapping.toml")).unwrap();
        hsds::import::run(
            &sample.join("json"),
            dir.path(),
            &root().join("catalog/taxonomie.toml"),
            &mapping,
            "Voorbeeldstad",
        )
        .unwrap();
        dir
    });
    dir.path().to_path_buf()
}

/// The bundled catalogs (the main one and, when present, the historic data set) and the
/// imported sample.
fn catalogs() -> Vec<(PathBuf, Catalog)> {
    let main = root().join("catalog");
    let mut out = vec![(main.clone(), Catalog::load(&main).unwrap())];
    let historic = main.join("landelijk-2020");
    if historic.join("catalogus.toml").exists() {
        out.push((historic.clone(), Catalog::load(&historic).unwrap()));
    }
    let sample = imported_sample();
    out.push((sample.clone(), Catalog::load(&sample).unwrap()));
    out
}

#[test]
fn contact_facts_are_exported_as_locations_phones_and_schedules() {
    let catalog = Catalog::load(&imported_sample()).unwrap();
    let export = hsds::export(&catalog);
    let has = |key: &str| {
        export
            .services
            .iter()
            .filter(|s| s[key].as_array().is_some_and(|a| !a.is_empty()))
            .count()
    };
    assert!(has("phones") >= 5 && has("schedules") >= 3 && has("service_at_locations") >= 3);
    let located = export
        .services
        .iter()
        .find(|s| s["name"] == "Schuldhulppunt Fictiefkwartier")
        .unwrap();
    let address = &located["service_at_locations"][0]["location"]["addresses"][0];
    assert_eq!(address["postal_code"], "2999 AA");
    assert_eq!(address["state_province"], "Zuid-Holland");
    assert_eq!(located["schedules"][0]["byday"], "MO,TU");
    assert_eq!(located["schedules"][0]["opens_at"], "09:00");
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A validator that also checks `format` (uuid, uri, email, date-time). Unknown keywords
/// in the HSDS files ("name", "path", "constraints", "core", "example", ...) are
/// annotations to JSON Schema and are ignored.
fn validator(schema: &Value, what: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("schema {what} does not compile: {e}"))
}

/// Every validation error of every value, as "label[index] /path: message".
fn errors(validator: &jsonschema::Validator, label: &str, values: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let name = value["name"].as_str().unwrap_or("?");
        for e in validator.iter_errors(value) {
            out.push(format!(
                "{label}[{i}] ({name}) {}: {e}",
                match e.instance_path().as_str() {
                    "" => "/",
                    p => p,
                }
            ));
        }
    }
    out
}

#[test]
fn export_is_structurally_complete() {
    for (dir, catalog) in catalogs() {
        let export = hsds::export(&catalog);
        let at = dir.display();
        assert!(!export.services.is_empty(), "{at}: no services");
        assert!(!export.organizations.is_empty(), "{at}: no organizations");
        assert_eq!(export.services.len(), catalog.offerings().len(), "{at}");
        assert_eq!(export, hsds::export(&catalog), "{at}: deterministic");
        let org_ids: Vec<&Value> = export.organizations.iter().map(|o| &o["id"]).collect();
        for (service, offering) in export.services.iter().zip(catalog.offerings()) {
            let id = &offering.id;
            assert_eq!(service["name"], offering.name.as_str(), "{at}: {id}");
            assert!(
                org_ids.contains(&&service["organization_id"]),
                "{at}: {id}: organization_id links no organization"
            );
            let areas = service["service_areas"].as_array().map_or(0, Vec::len);
            assert!(areas >= 1, "{at}: {id}: no service_area");
            let attributes = service["attributes"].as_array().unwrap();
            let tier = attributes.iter().find(|a| {
                a["taxonomy_term"]["taxonomy"] == "wegwijzer niveau"
                    && a["taxonomy_term"]["code"] == offering.tier.key()
            });
            assert!(tier.is_some(), "{at}: {id}: no tier attribute");
            let bron = attributes.iter().any(|a| {
                a["taxonomy_term"]["taxonomy"] == "wegwijzer bronnen"
                    && a["taxonomy_term"]["code"] == offering.source.as_str()
            });
            assert!(bron, "{at}: {id}: source not named");
        }
        let mut ids: Vec<&str> = export
            .services
            .iter()
            .chain(&export.organizations)
            .map(|v| v["id"].as_str().unwrap())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{at}: ids are unique");
    }
}

#[test]
fn write_produces_two_json_arrays() {
    let (_, catalog) = catalogs().remove(0);
    let export = hsds::export(&catalog);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hsds");
    let (orgs, services) = hsds::write(&export, &out).unwrap();
    assert_eq!(
        (orgs, services),
        (export.organizations.len(), export.services.len())
    );
    for (file, len) in [("organizations.json", orgs), ("services.json", services)] {
        let value = read_json(&out.join(file));
        let array = value
            .as_array()
            .unwrap_or_else(|| panic!("{file} is not a JSON array"));
        assert_eq!(array.len(), len, "{file}");
    }
}

#[test]
fn export_validates_against_hsds_schemas() {
    let dir = schemas_dir();
    if !dir.is_dir() {
        eprintln!("skipped: ../shared/hsds not present, HSDS schema validation not run");
        return;
    }
    let compiled = dir.join("compiled");
    let service_list = validator(
        &read_json(&compiled.join("service_list.json")),
        "service_list",
    );
    let organization_list = validator(
        &read_json(&compiled.join("organization_list.json")),
        "organization_list",
    );
    // The full service schema with every nested object, and its organization definition.
    let full = read_json(&compiled.join("service_with_definitions.json"));
    let service_full = validator(&full, "service_with_definitions");
    let organization_full = validator(
        &json!({
            "$ref": "#/definitions/organization",
            "definitions": full["definitions"].clone(),
        }),
        "organization definition",
    );

    // The validators must catch a broken object, or a pass would mean nothing.
    let broken = json!({
        "id": "not-a-uuid",
        "name": "x",
        "status": "open",
        "url": "no uri",
        "phones": [{"id": "00000000-0000-8000-8000-000000000000"}],
    });
    assert!(errors(&service_list, "broken", std::slice::from_ref(&broken)).len() >= 3);
    assert!(errors(&service_full, "broken", std::slice::from_ref(&broken)).len() >= 4);

    let mut problems = Vec::new();
    let (mut services, mut organizations) = (0, 0);
    for (catalog_dir, catalog) in catalogs() {
        let export = hsds::export(&catalog);
        let at = catalog_dir.display().to_string();
        let label = |kind: &str| format!("{at}: {kind}");
        problems.extend(errors(
            &service_list,
            &label("service_list"),
            &export.services,
        ));
        problems.extend(errors(&service_full, &label("service"), &export.services));
        problems.extend(errors(
            &organization_list,
            &label("organization_list"),
            &export.organizations,
        ));
        problems.extend(errors(
            &organization_full,
            &label("organization"),
            &export.organizations,
        ));
        services += export.services.len();
        organizations += export.organizations.len();
    }
    for p in &problems {
        eprintln!("{p}");
    }
    assert!(
        problems.is_empty(),
        "{} HSDS validation error(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!(
        "validated {services} services and {organizations} organizations against HSDS 3.0: 0 errors"
    );
}

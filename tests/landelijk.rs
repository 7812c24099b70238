//! The second, separate data set: corona-era initiatives of other municipalities (2020),
//! historic and unverified, kept out of the default catalog. It exercises multi-gemeente
//! filtering on a catalog with dozens of gemeenten.

use std::path::PathBuf;

use wegwijzer::catalog::Catalog;
use wegwijzer::domain::{Filters, ServiceArea};
use wegwijzer::engine::Engine;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("catalog/landelijk-2020")
}

#[test]
fn parses_whole_with_gemeenten_and_no_verification_claims() {
    let c = Catalog::load(&dir()).unwrap();
    assert!(c.is_historic());
    assert!(
        c.offerings().len() >= 180,
        "{} entries",
        c.offerings().len()
    );
    assert!(
        c.gemeenten().len() >= 30,
        "{} gemeenten",
        c.gemeenten().len()
    );
    for o in c.offerings() {
        assert_eq!(
            o.verified, None,
            "{}: historic entries were never verified",
            o.id
        );
        assert!(
            o.contact.is_none(),
            "{}: no contact facts in the historic set",
            o.id
        );
        assert_eq!(o.source, "002_0e91819daad505a5.txt");
        match &o.area {
            ServiceArea::Gemeenten(list) => assert!(!list.is_empty()),
            ServiceArea::National => {}
        }
    }
    let default = Catalog::load(&dir().join("..")).unwrap();
    assert!(
        default.offerings().iter().all(|o| c.get(&o.id).is_none()),
        "the historic set stays out of the default catalog"
    );
}

#[test]
fn filters_by_gemeente_across_many_gemeenten() {
    let engine = Engine::in_memory(Catalog::load(&dir()).unwrap()).unwrap();
    let mut checked = 0;
    for gemeente in engine.catalog().gemeenten().to_vec() {
        let filters = Filters {
            gemeente: Some(gemeente.clone()),
            ..Filters::default()
        };
        let page = engine.list(&filters, 100, None);
        let own = page
            .offerings
            .iter()
            .filter(|o| o.area != ServiceArea::National)
            .count();
        assert!(own > 0 || page.total > 0, "{gemeente} has offerings");
        for o in &page.offerings {
            assert!(
                o.area.serves(&gemeente),
                "{} does not serve {gemeente}",
                o.name
            );
        }
        let found = engine
            .search("hulp voor jongeren en gezinnen", &filters, 50)
            .unwrap();
        for hit in &found.hits {
            assert!(
                hit.offering.area.serves(&gemeente),
                "{} does not serve {gemeente}",
                hit.offering.name
            );
        }
        checked += 1;
    }
    assert!(checked >= 30);
}

//! Every source reference in the bundled catalog points at a line that holds its word.
//!
//! The source documents are not part of this repository. The test reads them from
//! `WEGWIJZER_SOURCES`, or from `../shared/seeds` beside the checkout, and says plainly
//! that it skips when neither is there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use wegwijzer::catalog::Catalog;
use wegwijzer::domain::Evidence;

fn sources_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("WEGWIJZER_SOURCES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"));
    dir.is_dir().then_some(dir)
}

fn fold(s: &str) -> String {
    s.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_cited_word_is_on_its_cited_line() {
    let Some(dir) = sources_dir() else {
        eprintln!(
            "SKIPPED: the source documents are not here (set WEGWIJZER_SOURCES or put them in \
             ../shared/seeds); the references were not checked"
        );
        return;
    };
    let catalog = Catalog::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog")).unwrap();
    let mut texts: HashMap<String, Option<Vec<String>>> = HashMap::new();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for o in catalog.offerings() {
        let historic = o.historic.as_ref().and_then(|h| h.evidence.as_ref());
        for e in o.evidence.iter().chain(historic) {
            let Evidence {
                file, line, word, ..
            } = e;
            let Some(line) = line else { continue };
            let file = file.clone().unwrap_or_else(|| o.source.clone());
            let lines = texts.entry(file.clone()).or_insert_with(|| {
                std::fs::read_to_string(dir.join(&file))
                    .ok()
                    .map(|t| t.lines().map(fold).collect())
            });
            let Some(lines) = lines else {
                wrong.push(format!(
                    "{}: cites {file}, which is not among the sources",
                    o.id
                ));
                continue;
            };
            checked += 1;
            let on_line = lines
                .get(*line as usize - 1)
                .is_some_and(|l| l.contains(&fold(word)));
            if !on_line {
                wrong.push(format!("{}: '{word}' is not on {file}:{line}", o.id));
            }
        }
    }
    assert!(checked > 30, "only {checked} references checked");
    assert!(
        wrong.is_empty(),
        "{} wrong references:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

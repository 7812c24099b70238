//! Test fixtures: small catalog folders written to a temporary directory.

use std::fs;

use crate::domain::Leefgebied;

/// A taxonomy file with every domain, labelled "Label <key>".
pub fn taxonomy_text() -> String {
    Leefgebied::ALL
        .iter()
        .map(|l| {
            format!(
                "[[leefgebied]]\nkey = \"{k}\"\nlabel = \"Label {k}\"\nbeschrijving = \"Over {k}.\"\nsynoniemen = [\"{k}\"]\n\n",
                k = l.key()
            )
        })
        .collect()
}

/// Writes `catalogus.toml` (from `region`), a full taxonomy and the given offering files.
pub fn catalog_dir(region: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("catalogus.toml"), region).unwrap();
    fs::write(dir.path().join("taxonomie.toml"), taxonomy_text()).unwrap();
    fs::create_dir(dir.path().join("aanbod")).unwrap();
    for (name, text) in files {
        fs::write(dir.path().join("aanbod").join(name), text).unwrap();
    }
    dir
}

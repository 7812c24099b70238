//! Writing the served catalog (files plus live changes) back in catalog format, so the
//! reviewed files stay the source: a reviewer diffs the output against `catalog/`,
//! and adopts it by copying it over.
//!
//! Entries that did not change keep their text, comments included; a changed entry is
//! rewritten in place, a deleted one removed, and new ones go to
//! `aanbod/live-toegevoegd.toml`.

use std::fs;
use std::path::Path;

use toml_edit::{DocumentMut, Table};

use super::{entry_toml, Catalog, CatalogError, Problem};

/// File that receives offerings added through the admin API.
pub const ADDED_FILE: &str = "live-toegevoegd.toml";

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Entries rewritten because a live change altered them.
    pub changed: usize,
    /// Entries removed.
    pub removed: usize,
    /// Entries added.
    pub added: usize,
}

/// Copies the catalog folder `files_dir` (loaded as `files`) to `out` with the
/// differences of `served` written into it.
pub fn write(
    files_dir: &Path,
    files: &Catalog,
    served: &Catalog,
    out: &Path,
) -> Result<Summary, CatalogError> {
    copy_dir(files_dir, out)?;
    let mut summary = Summary::default();
    let aanbod = out.join("aanbod");
    for path in super::toml_files(&aanbod)? {
        let text = super::read(&path)?;
        let mut doc: DocumentMut = text.parse().map_err(|e| invalid(&path, e))?;
        let Some(entries) = doc
            .get_mut("aanbod")
            .and_then(|i| i.as_array_of_tables_mut())
        else {
            continue;
        };
        let before = entries.len();
        entries.retain(|t| id_of(t).is_some_and(|id| served.get(id).is_some()));
        summary.removed += before - entries.len();
        for table in entries.iter_mut() {
            let Some(id) = id_of(table).map(str::to_string) else {
                continue;
            };
            if let Some(now) = served.get(&id).filter(|o| files.get(&id) != Some(*o)) {
                *table = entry_table(&entry_toml(now), &path)?;
                summary.changed += 1;
            }
        }
        write_file(&path, &doc.to_string())?;
    }
    let added: Vec<String> = served
        .offerings()
        .iter()
        .filter(|o| files.get(&o.id).is_none())
        .map(entry_toml)
        .collect();
    if !added.is_empty() {
        summary.added = added.len();
        let header = "# Aanbod dat via de beheer-API is toegevoegd, nog te beoordelen.\n\n";
        write_file(
            &aanbod.join(ADDED_FILE),
            &format!("{header}{}", added.join("\n")),
        )?;
    }
    Ok(summary)
}

fn id_of(table: &Table) -> Option<&str> {
    table.get("id").and_then(|v| v.as_str())
}

fn entry_table(text: &str, path: &Path) -> Result<Table, CatalogError> {
    let doc: DocumentMut = text.parse().map_err(|e| invalid(path, e))?;
    doc.get("aanbod")
        .and_then(|i| i.as_array_of_tables())
        .and_then(|a| a.get(0))
        .cloned()
        .ok_or_else(|| invalid(path, "generated entry has no [[aanbod]] table"))
}

fn invalid(path: &Path, e: impl std::fmt::Display) -> CatalogError {
    CatalogError::Invalid(vec![Problem {
        file: path.to_path_buf(),
        line: None,
        message: e.to_string(),
    }])
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CatalogError + '_ {
    move |source| CatalogError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), CatalogError> {
    fs::write(path, text).map_err(io(path))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), CatalogError> {
    fs::create_dir_all(to).map_err(io(to))?;
    for entry in fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(io(&src))?.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            fs::copy(&src, &dst).map_err(io(&src))?;
        }
    }
    Ok(())
}

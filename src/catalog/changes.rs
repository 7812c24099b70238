//! Live changes on top of the catalog files: availability updates, added or replaced
//! offerings and deletions, made through the admin API between reviews.
//!
//! Changes are kept apart from the reviewed files and applied on load
//! ([`Catalog::apply`]); an added or replaced offering is kept as catalog-format text, so
//! it passes exactly the checks a file entry passes, and export writes it back as is.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::raw::{self, Known, RawOfferingFile, SourceFile};
use super::{positions, Catalog, CatalogError, Problem};
use crate::analysis;
use crate::domain::{Availability, AvailabilityStatus, Offering};

/// Everything changed through the admin API since the catalog files were last reviewed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    /// Added or replaced offerings by id, each one `[[aanbod]]` entry in catalog format.
    #[serde(default)]
    pub upserts: BTreeMap<String, String>,
    /// Ids of catalog-file offerings that were deleted.
    #[serde(default)]
    pub deleted: BTreeSet<String>,
    /// Availability changes by id, in order of their effective date.
    #[serde(default)]
    pub availability: BTreeMap<String, Vec<AvailabilityChange>>,
}

/// One availability change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityChange {
    /// Status key, as in the catalog format (`actief`, `wachtlijst`, ...).
    pub status: String,
    /// Waiting weeks, when known.
    pub waiting_weeks: Option<u32>,
    /// A short note from the organisation.
    pub note: Option<String>,
    /// The date it holds from, `YYYY-MM-DD`.
    pub effective: String,
}

impl AvailabilityChange {
    /// A change from a domain availability, effective on `effective`.
    pub fn new(availability: &Availability, effective: &str) -> Self {
        AvailabilityChange {
            status: availability.status.key().to_string(),
            waiting_weeks: availability.waiting_weeks,
            note: availability.note.clone(),
            effective: effective.to_string(),
        }
    }

    fn to_domain(&self) -> Option<Availability> {
        Some(Availability {
            status: AvailabilityStatus::from_key(&self.status)?,
            waiting_weeks: self.waiting_weeks,
            note: self.note.clone(),
            since: Some(self.effective.clone()),
        })
    }
}

impl Changes {
    /// Number of changes: each upsert, deletion and availability change counts once.
    pub fn len(&self) -> usize {
        self.upserts.len()
            + self.deleted.len()
            + self.availability.values().map(Vec::len).sum::<usize>()
    }

    /// Whether there are no changes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records an availability change. A change with the same effective date replaces
    /// the earlier one; changes that a later one (effective by `today`) supersedes are
    /// dropped, changes still to come are kept.
    pub fn set_availability(&mut self, id: &str, change: AvailabilityChange, today: &str) {
        let list = self.availability.entry(id.to_string()).or_default();
        list.retain(|c| c.effective != change.effective);
        list.push(change);
        list.sort_by(|a, b| a.effective.cmp(&b.effective));
        if let Some(current) = list.iter().rposition(|c| c.effective.as_str() <= today) {
            list.drain(..current);
        }
    }

    /// Records an added or replaced offering. It carries its own availability, so
    /// earlier availability changes for the id are dropped.
    pub fn upsert(&mut self, id: &str, entry: String) {
        self.upserts.insert(id.to_string(), entry);
        self.deleted.remove(id);
        self.availability.remove(id);
    }

    /// Records a deletion; `in_files` says whether the catalog files hold the id.
    pub fn delete(&mut self, id: &str, in_files: bool) {
        self.upserts.remove(id);
        self.availability.remove(id);
        if in_files {
            self.deleted.insert(id.to_string());
        }
    }

    /// Drops the changes the catalog files now contain (after a review adopted them):
    /// deletions of ids the files no longer have, upserts equal to the file entry, and
    /// availability equal to the file's with nothing else to come. Returns how many.
    pub fn prune_adopted(&mut self, files: &Catalog, today: &str) -> usize {
        let before = self.len();
        self.deleted.retain(|id| files.get(id).is_some());
        self.upserts.retain(|id, text| {
            files
                .parse_entry(id, text)
                .map_or(true, |o| files.get(id) != Some(&o))
        });
        self.availability.retain(|id, list| {
            let adopted = list.len() == 1
                && list[0].effective.as_str() <= today
                && files.get(id).map(|o| &o.availability) == list[0].to_domain().as_ref();
            !adopted
        });
        before - self.len()
    }
}

/// The change that holds on `today`: the last one effective by then.
fn active<'a>(list: &'a [AvailabilityChange], today: &str) -> Option<&'a AvailabilityChange> {
    list.iter().rev().find(|c| c.effective.as_str() <= today)
}

/// Where problems in a live change are reported.
pub fn change_path(id: &str) -> PathBuf {
    PathBuf::from(format!("<live change: offering '{id}'>"))
}

impl Catalog {
    /// Reads one `[[aanbod]]` entry in catalog format and checks it against this
    /// catalog's gemeenten and sources, exactly as an entry in a file is checked.
    pub fn parse_entry(&self, id: &str, text: &str) -> Result<Offering, Vec<Problem>> {
        let path = change_path(id);
        let file = SourceFile { path: &path, text };
        let parsed: RawOfferingFile = file.parse().map_err(|p| vec![p])?;
        let [entry] = parsed.aanbod.as_slice() else {
            return Err(vec![
                file.problem(1, "expected exactly one [[aanbod]] entry")
            ]);
        };
        let sources: HashSet<String> = self.sources.iter().map(|s| s.file.clone()).collect();
        let known = Known {
            gemeenten: &self.gemeenten,
            sources: &sources,
            historic: self.historic,
        };
        let mut problems = Vec::new();
        let span = entry.span().start..text.len();
        match raw::convert_offering(entry, span, &file, &known, &mut problems) {
            Some(o) if o.id == id => Ok(o),
            Some(o) => {
                Err(vec![file.problem(
                    1,
                    format!("entry has id '{}', expected '{id}'", o.id),
                )])
            }
            None => Err(problems),
        }
    }

    /// This catalog with `changes` applied, as of `today` (`YYYY-MM-DD`): the catalog
    /// that is served. Returns the catalog and notes for the operator (changes about
    /// offerings that no longer exist). Every upsert is checked like a file entry; any
    /// problem rejects the whole set.
    pub fn apply(
        &self,
        changes: &Changes,
        today: &str,
    ) -> Result<(Catalog, Vec<String>), CatalogError> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut locations = self.locations.clone();
        let mut offerings: Vec<Offering> = self
            .offerings
            .iter()
            .filter(|o| !changes.deleted.contains(&o.id) && !changes.upserts.contains_key(&o.id))
            .cloned()
            .collect();
        for id in &changes.deleted {
            locations.remove(id);
        }
        for (id, text) in &changes.upserts {
            match self.parse_entry(id, text) {
                Ok(o) => {
                    locations.insert(id.clone(), (change_path(id), 1));
                    offerings.push(o);
                }
                Err(p) => problems.extend(p),
            }
        }
        let position = positions(&offerings);
        for (id, list) in &changes.availability {
            let Some(change) = active(list, today) else {
                continue;
            };
            match (position.get(id), change.to_domain()) {
                (Some(&i), Some(a)) => offerings[i].availability = a,
                (None, _) => warnings.push(format!(
                    "availability change for '{id}' is kept but not applied: no such offering"
                )),
                (_, None) => problems.push(Problem {
                    file: change_path(id),
                    line: None,
                    message: format!("unknown availability status '{}'", change.status),
                }),
            }
        }
        let mut names: HashMap<String, &str> = HashMap::new();
        for o in &offerings {
            if let Some(other) = names.insert(analysis::normalize(&o.name), &o.id) {
                if changes.upserts.contains_key(&o.id) || changes.upserts.contains_key(other) {
                    problems.push(Problem {
                        file: change_path(&o.id),
                        line: None,
                        message: format!("name '{}' is also used by offering '{other}'", o.name),
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Err(CatalogError::Invalid(problems));
        }
        offerings.sort_by(|a, b| a.id.cmp(&b.id));
        let by_id = positions(&offerings);
        Ok((
            Catalog {
                offerings,
                by_id,
                locations,
                fingerprint: content_fingerprint(&self.fingerprint, changes),
                ..self.clone_header()
            },
            warnings,
        ))
    }

    fn clone_header(&self) -> Catalog {
        Catalog {
            name: self.name.clone(),
            historic: self.historic,
            gemeenten: self.gemeenten.clone(),
            sources: self.sources.clone(),
            taxonomy: self.taxonomy.clone(),
            thesaurus: self.thesaurus.clone(),
            offerings: Vec::new(),
            by_id: HashMap::new(),
            locations: HashMap::new(),
            fingerprint: String::new(),
        }
    }
}

/// The fingerprint of the indexed content: the files' fingerprint when nothing indexed
/// changed (availability is not indexed), so an existing index is reused.
fn content_fingerprint(files: &str, changes: &Changes) -> String {
    if changes.upserts.is_empty() && changes.deleted.is_empty() {
        return files.to_string();
    }
    let mut hash = Sha256::new();
    hash.update(files.as_bytes());
    for (id, text) in &changes.upserts {
        hash.update([1]);
        hash.update(id.as_bytes());
        hash.update([0]);
        hash.update(text.as_bytes());
    }
    for id in &changes.deleted {
        hash.update([2]);
        hash.update(id.as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Catalog {
        Catalog::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog")).unwrap()
    }

    fn change(status: &str, effective: &str) -> AvailabilityChange {
        AvailabilityChange {
            status: status.into(),
            waiting_weeks: None,
            note: None,
            effective: effective.into(),
        }
    }

    #[test]
    fn a_dated_change_waits_for_its_day_and_supersedes_older_ones() {
        let files = bundled();
        let id = files.offerings()[0].id.clone();
        let mut changes = Changes::default();
        changes.set_availability(&id, change("wachtlijst", "2026-11-01"), "2026-11-23");
        changes.set_availability(
            &id,
            change("tijdelijk_gesloten", "2026-12-20"),
            "2026-11-23",
        );
        assert_eq!(
            changes.len(),
            2,
            "the future change is kept beside the current one"
        );

        let status = |changes: &Changes, today: &str| {
            let (served, _) = files.apply(changes, today).unwrap();
            served.get(&id).unwrap().availability.status.key()
        };
        assert_eq!(status(&changes, "2026-11-23"), "wachtlijst");
        assert_eq!(status(&changes, "2026-12-20"), "tijdelijk_gesloten");

        changes.set_availability(&id, change("actief", "2027-01-05"), "2027-01-06");
        assert_eq!(changes.len(), 1, "superseded changes are dropped");
        assert_eq!(status(&changes, "2027-01-06"), "actief");
    }

    #[test]
    fn upserts_are_checked_like_file_entries_and_deletions_apply() {
        let files = bundled();
        let first = files.offerings()[0].clone();
        let mut changes = Changes::default();
        changes.delete(&first.id, true);
        let mut copy = first.clone();
        copy.id = "kopie".into();
        copy.name = "Een kopie".into();
        changes.upsert("kopie", raw::entry_toml(&copy));
        let (served, _) = files.apply(&changes, "2026-11-23").unwrap();
        assert!(served.get(&first.id).is_none());
        assert_eq!(served.get("kopie"), Some(&copy));
        assert_ne!(served.fingerprint(), files.fingerprint());

        copy.name = first.name.clone();
        let mut clash = Changes::default();
        clash.upsert("kopie", raw::entry_toml(&copy));
        let Err(CatalogError::Invalid(problems)) = files.apply(&clash, "2026-11-23") else {
            panic!("a duplicate name is refused");
        };
        assert!(problems[0].message.contains("also used by"), "{problems:?}");

        copy.source = "onbekend.txt".into();
        let mut unknown = Changes::default();
        unknown.upsert("kopie", raw::entry_toml(&copy));
        assert!(files.apply(&unknown, "2026-11-23").is_err());
    }

    #[test]
    fn changes_the_files_contain_are_pruned() {
        let files = bundled();
        let first = files.offerings()[0].clone();
        let mut changes = Changes::default();
        changes.upsert(&first.id, raw::entry_toml(&first));
        changes.deleted.insert("bestaat-niet-meer".into());
        changes.set_availability(
            &first.id,
            AvailabilityChange::new(&first.availability, "2026-01-01"),
            "2026-11-23",
        );
        assert_eq!(changes.prune_adopted(&files, "2026-11-23"), 2);
        assert_eq!(
            changes.len(),
            1,
            "availability with a date differs from the file's"
        );
    }
}

//! Applying live changes to a catalog: an upserted entry is checked exactly as a file
//! entry is, and the result is a new catalog with its own fingerprint.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::raw::{self, Known, RawOfferingFile, SourceFile};
use super::{positions, Catalog, CatalogError, Problem};
use crate::domain::dates::Date;
use crate::domain::Offering;
use crate::live::changes::{active, change_path, Changes};
use crate::search::analysis;

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
        today: Date,
    ) -> Result<(Catalog, Vec<String>), CatalogError> {
        if changes.upserts.is_empty()
            && changes.deleted.is_empty()
            && changes.availability.is_empty()
        {
            // Nothing to apply: the served catalog shares this one's offerings.
            return Ok((
                Catalog {
                    offerings: Arc::clone(&self.offerings),
                    locations: Arc::clone(&self.locations),
                    fingerprint: self.fingerprint.clone(),
                    ..self.clone_header()
                },
                Vec::new(),
            ));
        }
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut locations = (*self.locations).clone();
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
                    locations.insert(id.clone(), (Arc::from(change_path(id)), 1));
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
        for (id, message) in super::facts::via_problems(&offerings) {
            let (file, line) = match locations.get(&id) {
                Some((file, line)) => (file.to_path_buf(), Some(*line)),
                None => (change_path(&id), None),
            };
            problems.push(Problem {
                file,
                line,
                message,
            });
        }
        if !problems.is_empty() {
            return Err(CatalogError::Invalid(problems));
        }
        offerings.sort_by(|a, b| a.id.cmp(&b.id));
        offerings.shrink_to_fit();
        Ok((
            Catalog {
                offerings: Arc::new(offerings),
                locations: Arc::new(locations),
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
            province: self.province.clone(),
            gemeenten: self.gemeenten.clone(),
            sources: self.sources.clone(),
            taxonomy: self.taxonomy.clone(),
            thesaurus: self.thesaurus.clone(),
            offerings: Arc::default(),
            locations: Arc::default(),
            fingerprint: String::new(),
            crisis: std::sync::OnceLock::new(),
            served: super::unserved(&self.gemeenten),
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
    hex::encode(hash.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> crate::domain::dates::Date {
        crate::domain::dates::parse(text).unwrap()
    }
    use crate::live::changes::AvailabilityChange;

    fn bundled() -> Catalog {
        Catalog::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog")).unwrap()
    }

    fn change(status: &str, effective: crate::domain::dates::Date) -> AvailabilityChange {
        AvailabilityChange {
            status: status.into(),
            waiting_weeks: None,
            note: None,
            effective,
        }
    }

    #[test]
    fn without_changes_the_served_catalog_shares_the_offerings() {
        let files = bundled();
        let (served, warnings) = files.apply(&Changes::default(), d("2026-11-30")).unwrap();
        assert!(warnings.is_empty());
        assert!(
            std::ptr::eq(served.offerings(), files.offerings()),
            "held once"
        );
        assert_eq!(served.fingerprint(), files.fingerprint());
        assert_eq!(served.position(&files.offerings()[7].id), Some(7));
        let mut changes = Changes::default();
        changes.deleted.insert(files.offerings()[0].id.clone());
        let (changed, _) = files.apply(&changes, d("2026-11-30")).unwrap();
        assert_eq!(changed.offerings().len(), files.offerings().len() - 1);
        assert!(!std::ptr::eq(changed.offerings(), files.offerings()));
    }

    #[test]
    fn the_offerings_serving_a_gemeente_are_those_whose_area_serves_it() {
        let files = bundled();
        let agree = |catalog: &Catalog| {
            let mut asked: Vec<String> = catalog.gemeenten().to_vec();
            // Another spelling, a name outside the region, and the national area.
            asked.extend(["dordrecht".into(), "Utrecht".into(), "Nederland".into()]);
            for g in &asked {
                let served = catalog.served_in(g);
                for (p, o) in catalog.offerings().iter().enumerate() {
                    assert_eq!(served.contains(p), o.area.serves(g), "{} in {g}", o.id);
                }
                assert!(!served.contains(catalog.offerings().len()));
            }
        };
        agree(&files);
        // A live change moves positions and areas: the served catalog works them out anew.
        let local = 1
            + (files.offerings()[1..].iter())
                .position(|o| o.area != crate::domain::ServiceArea::National)
                .unwrap();
        let before = files.served_in(&files.gemeenten()[0]).contains(local);
        let mut moved = files.offerings()[local].clone();
        moved.area = crate::domain::ServiceArea::National;
        let mut changes = Changes::default();
        changes.upsert(&moved.id.clone(), raw::entry_toml(&moved));
        changes.delete(&files.offerings()[0].id.clone(), true);
        let (served, _) = files.apply(&changes, d("2026-11-23")).unwrap();
        agree(&served);
        assert!(served.served_in(&files.gemeenten()[0]).contains(local - 1));
        assert_eq!(
            files.served_in(&files.gemeenten()[0]).contains(local),
            before
        );
    }

    #[test]
    fn a_dated_change_waits_for_its_day_and_supersedes_older_ones() {
        let files = bundled();
        let id = files.offerings()[0].id.clone();
        let mut changes = Changes::default();
        changes.set_availability(&id, change("wachtlijst", d("2026-11-01")), d("2026-11-23"));
        changes.set_availability(
            &id,
            change("tijdelijk_gesloten", d("2026-12-20")),
            d("2026-11-23"),
        );
        assert_eq!(
            changes.len(),
            2,
            "the future change is kept beside the current one"
        );

        let status = |changes: &Changes, today: crate::domain::dates::Date| {
            let (served, _) = files.apply(changes, today).unwrap();
            served.get(&id).unwrap().availability.status.key()
        };
        assert_eq!(status(&changes, d("2026-11-23")), "wachtlijst");
        assert_eq!(status(&changes, d("2026-12-20")), "tijdelijk_gesloten");

        changes.set_availability(&id, change("actief", d("2027-01-05")), d("2027-01-06"));
        assert_eq!(changes.len(), 1, "superseded changes are dropped");
        assert_eq!(status(&changes, d("2027-01-06")), "actief");
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
        let (served, _) = files.apply(&changes, d("2026-11-23")).unwrap();
        assert!(served.get(&first.id).is_none());
        assert_eq!(served.get("kopie"), Some(&copy));
        assert_ne!(served.fingerprint(), files.fingerprint());

        copy.name = first.name.clone();
        let mut clash = Changes::default();
        clash.upsert("kopie", raw::entry_toml(&copy));
        let Err(CatalogError::Invalid(problems)) = files.apply(&clash, d("2026-11-23")) else {
            panic!("a duplicate name is refused");
        };
        assert!(problems[0].message.contains("also used by"), "{problems:?}");

        copy.source = "onbekend.txt".into();
        let mut unknown = Changes::default();
        unknown.upsert("kopie", raw::entry_toml(&copy));
        assert!(files.apply(&unknown, d("2026-11-23")).is_err());
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
            AvailabilityChange::new(&first.availability, d("2026-01-01")),
            d("2026-11-23"),
        );
        assert_eq!(changes.prune_adopted(&files, d("2026-11-23")), 2);
        assert_eq!(
            changes.len(),
            1,
            "availability with a date differs from the file's"
        );
    }
}

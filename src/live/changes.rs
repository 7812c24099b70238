//! Live changes on top of the catalog files: availability updates, added or replaced
//! offerings and deletions, made through the admin API between reviews.
//!
//! Changes are kept apart from the reviewed files and applied on load
//! ([`Catalog::apply`]); an added or replaced offering is kept as catalog-format text, so
//! it passes exactly the checks a file entry passes, and export writes it back as is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::domain::dates::Date;
use crate::domain::{Availability, AvailabilityStatus};

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
    /// The number of the last change made: it goes up by one with every change, so a
    /// replica knows whether another state is newer than its own.
    #[serde(default)]
    pub number: u64,
    /// For each offering changed live, the number of the change that last touched it:
    /// its version. An offering never changed live is at version 0.
    #[serde(default)]
    pub versions: BTreeMap<String, u64>,
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
    /// The date it holds from (`YYYY-MM-DD` in the file).
    pub effective: Date,
}

impl AvailabilityChange {
    /// A change from a domain availability, effective on `effective`.
    pub fn new(availability: &Availability, effective: Date) -> Self {
        AvailabilityChange {
            status: availability.status.key().to_string(),
            waiting_weeks: availability.waiting_weeks,
            note: availability.note.clone(),
            effective,
        }
    }

    pub(crate) fn to_domain(&self) -> Option<Availability> {
        Some(Availability {
            status: AvailabilityStatus::from_key(&self.status)?,
            waiting_weeks: self.waiting_weeks,
            note: self.note.clone(),
            since: Some(self.effective),
        })
    }
}

impl Changes {
    /// The version of offering `id`: the number of the last change that touched it, or
    /// 0 when it was never changed live.
    pub fn version(&self, id: &str) -> u64 {
        self.versions.get(id).copied().unwrap_or(0)
    }

    /// Counts one more change, to offering `id`, and returns its number.
    pub fn stamp(&mut self, id: &str) -> u64 {
        self.number += 1;
        self.versions.insert(id.to_string(), self.number);
        self.number
    }

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
    pub fn set_availability(&mut self, id: &str, change: AvailabilityChange, today: Date) {
        let list = self.availability.entry(id.to_string()).or_default();
        list.retain(|c| c.effective != change.effective);
        list.push(change);
        list.sort_by_key(|a| a.effective);
        if let Some(current) = list.iter().rposition(|c| c.effective <= today) {
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
    pub fn prune_adopted(&mut self, files: &Catalog, today: Date) -> usize {
        let before = self.len();
        self.deleted.retain(|id| files.get(id).is_some());
        self.upserts.retain(|id, text| {
            files
                .parse_entry(id, text)
                .map_or(true, |o| files.get(id) != Some(&o))
        });
        self.availability.retain(|id, list| {
            let adopted = list.len() == 1
                && list[0].effective <= today
                && files.get(id).map(|o| &o.availability) == list[0].to_domain().as_ref();
            !adopted
        });
        before - self.len()
    }
}

/// The change that holds on `today`: the last one effective by then.
pub(crate) fn active(list: &[AvailabilityChange], today: Date) -> Option<&AvailabilityChange> {
    list.iter().rev().find(|c| c.effective <= today)
}

/// Where problems in a live change are reported.
pub fn change_path(id: &str) -> PathBuf {
    PathBuf::from(format!("<live change: offering '{id}'>"))
}

//! The durable store of live changes: one file, `<data-dir>/live-changes.json`.
//!
//! Every save writes the whole state to a temporary file of its own (a unique name),
//! fsyncs it, keeps the state it replaces as `live-changes.previous.json`, renames the
//! new one over the old one and fsyncs the folder, so after a crash the file holds
//! either the old or the new state, never a mix. Only the one writer of [`crate::live`]
//! saves. The file starts with a header line holding the body's length and SHA-256; a
//! file that was truncated or damaged outside wegwijzer is refused at start-up with a
//! message saying what to do, never silently dropped.

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::{ChangeStore, StateError};
use crate::catalog::Changes;

/// File name of the state under the data folder.
pub const FILE_NAME: &str = "live-changes.json";
/// File name of the state before the last save, kept as a way back.
pub const PREVIOUS_FILE_NAME: &str = "live-changes.previous.json";
/// Prefix of temporary files; any left by an earlier process are removed at start-up.
const TEMP_PREFIX: &str = "live-changes.json.tmp";
const MAGIC: &str = "wegwijzer-live-changes v1";

/// The state file of one data folder.
#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
    /// The state last read or written, for the writer (the file's only writer).
    state: Option<Changes>,
}

impl FileStore {
    /// The store under `data_dir` (created if missing).
    pub fn new(data_dir: &Path) -> Result<FileStore, StateError> {
        fs::create_dir_all(data_dir).map_err(|source| StateError::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Ok(FileStore {
            path: data_dir.join(FILE_NAME),
            state: None,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the state; no file means no changes.
    pub fn load(&self) -> Result<Changes, StateError> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Changes::default()),
            Err(source) => return Err(self.io(source)),
        };
        decode(&bytes).map_err(|reason| StateError::Damaged {
            path: self.path.clone(),
            reason,
        })
    }

    /// Writes the state durably: when this returns `Ok`, it survives a crash. When it
    /// fails, the file holds the state before, and no temporary file is left.
    pub fn save(&self, changes: &Changes) -> Result<(), StateError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let tmp = self.path.with_file_name(format!(
            "{TEMP_PREFIX}.{}.{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let previous = self.path.with_file_name(PREVIOUS_FILE_NAME);
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&tmp)?;
            file.write_all(&encode(changes))?;
            file.sync_all()?;
            match fs::remove_file(&previous) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            match fs::hard_link(&self.path, &previous) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            fs::rename(&tmp, &self.path)?;
            if let Some(dir) = self.path.parent() {
                File::open(dir)?.sync_all()?;
            }
            Ok(())
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            self.io(e)
        })
    }

    /// Removes temporary files an earlier process left behind (killed mid-save, or on a
    /// full disk). Returns notes for the operator.
    pub fn clean_leftovers(&self) -> Vec<String> {
        let Some(dir) = self.path.parent() else {
            return Vec::new();
        };
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut notes = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let leftover = name.starts_with(TEMP_PREFIX)
                || name.starts_with(crate::search::index::BUILDING_PREFIX);
            if !leftover {
                continue;
            }
            let path = entry.path();
            let removed = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            notes.push(match removed {
                Ok(()) => format!("removed {} left by an earlier process", path.display()),
                Err(e) => format!("could not remove {}: {e}", path.display()),
            });
        }
        notes
    }

    fn io(&self, source: std::io::Error) -> StateError {
        StateError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

/// One replica's own store: nothing to lock (the one writer is the only one to write)
/// and nobody else to follow.
impl ChangeStore for FileStore {
    fn load(&mut self) -> Result<Changes, StateError> {
        let state = FileStore::load(self)?;
        self.state = Some(state.clone());
        Ok(state)
    }

    fn begin(&mut self) -> Result<Changes, StateError> {
        match &self.state {
            Some(state) => Ok(state.clone()),
            None => ChangeStore::load(self),
        }
    }

    fn save(&mut self, changes: &Changes) -> Result<(), StateError> {
        FileStore::save(self, changes)?;
        self.state = Some(changes.clone());
        Ok(())
    }

    fn abort(&mut self) {}
}

fn digest(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

fn encode(changes: &Changes) -> Vec<u8> {
    let body = serde_json::to_vec_pretty(changes).expect("changes always serialize");
    let mut out = format!("{MAGIC} {} {}\n", body.len(), digest(&body)).into_bytes();
    out.extend_from_slice(&body);
    out
}

fn decode(bytes: &[u8]) -> Result<Changes, String> {
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("the header line is missing or cut off")?;
    let header = std::str::from_utf8(&bytes[..newline]).map_err(|_| "the header is not text")?;
    let body = &bytes[newline + 1..];
    let mut parts = header.rsplitn(3, ' ');
    let (Some(hash), Some(len), Some(magic)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("the header line is malformed".into());
    };
    if magic != MAGIC {
        return Err(format!("the header does not start with '{MAGIC}'"));
    }
    let len: usize = len
        .parse()
        .map_err(|_| "the header's length is not a number")?;
    if body.len() < len {
        return Err(format!(
            "it is truncated: the header promises {len} bytes, the file holds {}",
            body.len()
        ));
    }
    if body.len() > len {
        return Err(format!(
            "it has {} bytes more than the header promises",
            body.len() - len
        ));
    }
    if digest(body) != hash {
        return Err("its checksum does not match its content".into());
    }
    serde_json::from_slice(body).map_err(|e| format!("its content is not valid: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> crate::domain::dates::Date {
        crate::domain::dates::parse(text).unwrap()
    }
    use crate::catalog::AvailabilityChange;

    fn sample() -> Changes {
        let mut c = Changes::default();
        c.deleted.insert("weg".into());
        c.upserts
            .insert("nieuw".into(), "[[aanbod]]\nid = \"nieuw\"\n".into());
        c.set_availability(
            "vol",
            AvailabilityChange {
                status: "wachtlijst".into(),
                waiting_weeks: Some(6),
                note: Some("Vol tot de zomer".into()),
                effective: d("2026-11-01"),
            },
            d("2026-11-23"),
        );
        c
    }

    #[test]
    fn saves_and_loads_the_same_changes() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path()).unwrap();
        assert_eq!(store.load().unwrap(), Changes::default());
        store.save(&sample()).unwrap();
        assert_eq!(store.load().unwrap(), sample());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(TEMP_PREFIX)),
            "no temporary file is left: {names:?}"
        );
        store.save(&Changes::default()).unwrap();
        let previous = FileStore {
            path: dir.path().join(PREVIOUS_FILE_NAME),
            state: None,
        };
        assert_eq!(
            previous.load().unwrap(),
            sample(),
            "the state before is kept"
        );
    }

    #[test]
    fn leftovers_of_earlier_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path()).unwrap();
        store.save(&sample()).unwrap();
        fs::write(dir.path().join(format!("{TEMP_PREFIX}.1.2")), "half").unwrap();
        let building = dir
            .path()
            .join(format!("{}7", crate::search::index::BUILDING_PREFIX));
        fs::create_dir_all(building.join("x")).unwrap();
        assert_eq!(store.clean_leftovers().len(), 2);
        assert!(!building.exists());
        assert_eq!(store.load().unwrap(), sample(), "the state itself stays");
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_refused() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut} was accepted");
        }
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x20;
            assert!(decode(&damaged).is_err(), "flipped byte {i} was accepted");
        }
    }

    #[test]
    fn a_damaged_file_names_itself_and_the_way_out() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path()).unwrap();
        store.save(&sample()).unwrap();
        let bytes = fs::read(store.path()).unwrap();
        fs::write(store.path(), &bytes[..bytes.len() - 10]).unwrap();
        let message = store.load().unwrap_err().to_string();
        assert!(message.contains(FILE_NAME), "{message}");
        assert!(message.contains("truncated"), "{message}");
        assert!(message.contains(PREVIOUS_FILE_NAME), "{message}");
    }
}

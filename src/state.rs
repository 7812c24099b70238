//! The durable store of live changes: one file, `<data-dir>/live-changes.json`.
//!
//! Every save writes the whole state to a temporary file, fsyncs it, renames it over the
//! old one and fsyncs the folder, so after a crash the file holds either the old or the
//! new state, never a mix. The file starts with a header line holding the body's length
//! and SHA-256; a file that was truncated or damaged outside wegwijzer is refused at
//! start-up with a message saying what to do, never silently dropped.

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::catalog::Changes;

/// File name of the state under the data folder.
pub const FILE_NAME: &str = "live-changes.json";
const MAGIC: &str = "wegwijzer-live-changes v1";

/// Why the state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading or writing failed.
    #[error("live changes file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not what wegwijzer wrote.
    #[error(
        "live changes file {path} is damaged: {reason}. wegwijzer writes this file \
         atomically, so a crash cannot cause this; it was changed or damaged by something \
         else. Nothing was loaded. Restore the file from a backup, or, to start from the \
         catalog files alone and lose the live changes since the last export, move it aside."
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// The state file of one data folder.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// The store under `data_dir` (created if missing).
    pub fn new(data_dir: &Path) -> Result<Store, StateError> {
        fs::create_dir_all(data_dir).map_err(|source| StateError::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Ok(Store {
            path: data_dir.join(FILE_NAME),
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

    /// Writes the state durably: when this returns `Ok`, it survives a crash.
    pub fn save(&self, changes: &Changes) -> Result<(), StateError> {
        let tmp = self.path.with_extension("json.tmp");
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&tmp)?;
            file.write_all(&encode(changes))?;
            file.sync_all()?;
            fs::rename(&tmp, &self.path)?;
            if let Some(dir) = self.path.parent() {
                File::open(dir)?.sync_all()?;
            }
            Ok(())
        };
        write().map_err(|e| self.io(e))
    }

    fn io(&self, source: std::io::Error) -> StateError {
        StateError::Io {
            path: self.path.clone(),
            source,
        }
    }
}

fn digest(body: &[u8]) -> String {
    Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
                effective: "2026-11-01".into(),
            },
            "2026-11-23",
        );
        c
    }

    #[test]
    fn saves_and_loads_the_same_changes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path()).unwrap();
        assert_eq!(store.load().unwrap(), Changes::default());
        store.save(&sample()).unwrap();
        assert_eq!(store.load().unwrap(), sample());
        assert!(!store.path().with_extension("json.tmp").exists());
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
        let store = Store::new(dir.path()).unwrap();
        store.save(&sample()).unwrap();
        let bytes = fs::read(store.path()).unwrap();
        fs::write(store.path(), &bytes[..bytes.len() - 10]).unwrap();
        let message = store.load().unwrap_err().to_string();
        assert!(message.contains(FILE_NAME), "{message}");
        assert!(message.contains("truncated"), "{message}");
        assert!(message.contains("move it aside"), "{message}");
    }
}

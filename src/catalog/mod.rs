//! Loading the catalog: `catalogus.toml`, `taxonomie.toml` and `aanbod/*.toml`.
//!
//! A catalog is loaded whole or not at all. [`Catalog::load`] reads every file, checks
//! every entry and returns either a complete catalog or every problem found, each with
//! its file and line. The format is documented in `catalog/README.md`.

mod apply;
pub mod export;
pub mod facts;
pub mod hsds;
pub mod lint;
pub(crate) mod raw;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use crate::domain::dates::Date;
use crate::domain::taxonomy::{DomainInfo, Taxonomy};
use crate::domain::{Leefgebied, Offering};
use crate::ops::progress::Progress;
use crate::search::analysis;
use crate::search::thesaurus::Thesaurus;
use raw::{Known, RawOfferingFile, RawRegion, RawTaxonomy, SourceFile};

pub use crate::live::changes::{change_path, AvailabilityChange, Changes};
pub use raw::{
    entry_toml, parse_time, time_text, valid_email, valid_phone, valid_postcode, valid_url,
    REGION_WIDE,
};

/// One problem in a catalog file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Why a catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The files were read but are invalid.
    #[error("the catalog has {} problem(s):\n{}", .0.len(), ProblemList(.0))]
    Invalid(Vec<Problem>),
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// A source document entries may cite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// File name.
    pub file: String,
    /// Title.
    pub title: String,
}

/// A complete, validated catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    name: String,
    historic: bool,
    province: Option<String>,
    gemeenten: Vec<String>,
    sources: Vec<Source>,
    taxonomy: Taxonomy,
    thesaurus: Thesaurus,
    /// Shared between the catalog of the files and the one served while no live change
    /// touches the offerings, so a large catalog is held once.
    /// In id order, so an id is found by binary search.
    offerings: Arc<Vec<Offering>>,
    /// Where each offering is written: file and line of its `[[aanbod]]` (the file's
    /// path shared by its entries).
    locations: Arc<HashMap<String, Location>>,
    fingerprint: String,
    /// The positions of the crisis offerings, found on first use: the crisis lines are
    /// looked at for every request with a safety signal, the whole list need not be.
    crisis: OnceLock<Vec<usize>>,
    /// For each gemeente of the region (in [`Catalog::gemeenten`] order), which offerings
    /// serve it, one bit per position, worked out on first use: Match asks it of every
    /// candidate, and reading each candidate's list of gemeenten costs more.
    served: Vec<OnceLock<Box<[u64]>>>,
}

/// No gemeente's offerings worked out yet.
fn unserved(gemeenten: &[String]) -> Vec<OnceLock<Box<[u64]>>> {
    gemeenten.iter().map(|_| OnceLock::new()).collect()
}

/// The offerings that serve one gemeente (see [`Catalog::served_in`]).
pub struct Served<'a> {
    /// A bit per position, for a gemeente of the region.
    bits: Option<&'a [u64]>,
    gemeente: &'a str,
    offerings: &'a [Offering],
}

impl Served<'_> {
    /// Whether the offering at `position` serves the gemeente.
    pub fn contains(&self, position: usize) -> bool {
        match self.bits {
            Some(bits) => bits
                .get(position / 64)
                .is_some_and(|b| b >> (position % 64) & 1 == 1),
            None => (self.offerings.get(position)).is_some_and(|o| o.area.serves(self.gemeente)),
        }
    }
}

impl Catalog {
    /// Reads and validates the catalog in `dir`.
    pub fn load(dir: &Path) -> Result<Catalog, CatalogError> {
        let region_path = dir.join("catalogus.toml");
        let region_text = read(&region_path)?;
        // The taxonomy may live elsewhere (a second data set shares the main one).
        let taxonomy_path = SourceFile {
            path: &region_path,
            text: &region_text,
        }
        .parse::<RawRegion>()
        .ok()
        .and_then(|r| r.taxonomie)
        .map_or_else(|| dir.join("taxonomie.toml"), |t| dir.join(t));
        let thesaurus_path = taxonomy_path.with_file_name(crate::search::thesaurus::FILE_NAME);
        let mut files = vec![region_path.clone(), taxonomy_path];
        files.extend(toml_files(&dir.join("aanbod"))?);
        let texts: Vec<(PathBuf, String)> = files
            .into_iter()
            .map(|path| read(&path).map(|text| (path, text)))
            .collect::<Result<_, _>>()?;
        let mut catalog = Self::from_texts(dir, &texts)?;
        // The thesaurus is optional: a catalog without one searches without expansion.
        if thesaurus_path.exists() {
            let text = read(&thesaurus_path)?;
            let file = SourceFile {
                path: &thesaurus_path,
                text: &text,
            };
            let mut problems = Vec::new();
            match Thesaurus::parse(&file, &mut problems) {
                Some(t) => catalog.thesaurus = t,
                None => return Err(CatalogError::Invalid(problems)),
            }
        }
        Ok(catalog)
    }

    /// Validates already read files: the region file, the taxonomy, then offering files
    /// (`texts[0]`, `texts[1]`, `texts[2..]`). [`Catalog::load`] reads them from `dir`;
    /// fuzzing and tests pass them directly.
    pub fn from_texts(dir: &Path, texts: &[(PathBuf, String)]) -> Result<Catalog, CatalogError> {
        let mut problems = Vec::new();
        let file = |i: usize| SourceFile {
            path: &texts[i].0,
            text: &texts[i].1,
        };

        let region: Option<RawRegion> = file(0).parse().map_err(|p| problems.push(p)).ok();
        let taxonomy = file(1)
            .parse::<RawTaxonomy>()
            .map_err(|p| problems.push(p))
            .ok()
            .and_then(|raw| taxonomy(&file(1), raw, &mut problems));
        let Some(region) = region else {
            return Err(CatalogError::Invalid(problems));
        };
        if region.gemeenten.is_empty() {
            problems.push(file(0).problem(1, "`gemeenten` needs at least one gemeente"));
        }
        let sources: Vec<Source> = region
            .bron
            .iter()
            .map(|b| Source {
                file: b.bestand.clone(),
                title: b.titel.clone(),
            })
            .collect();
        let source_names: HashSet<String> = sources.iter().map(|s| s.file.clone()).collect();
        let known = Known {
            gemeenten: &region.gemeenten,
            sources: &source_names,
            historic: region.historisch || region.ongeverifieerd,
        };

        let mut offerings = Vec::new();
        let mut seen_ids: HashMap<String, Location> = HashMap::new();
        let mut seen_names: HashMap<String, String> = HashMap::new();
        let mut progress = Progress::new(
            "loading catalog",
            "files",
            texts.len().saturating_sub(2) as u64,
        );
        for i in 2..texts.len() {
            progress.add(1);
            let f = file(i);
            let path: Arc<Path> = Arc::from(f.path);
            let Ok(parsed) = f.parse::<RawOfferingFile>().map_err(|p| problems.push(p)) else {
                continue;
            };
            // Entries come in file order: count lines from the previous entry on, not from
            // the top of the file each time (quadratic in a file of thousands of entries).
            let mut cursor = (0usize, 1usize);
            for (n, entry) in parsed.aanbod.iter().enumerate() {
                let end = parsed
                    .aanbod
                    .get(n + 1)
                    .map_or(f.text.len(), |next| next.span().start);
                let start = entry.span().start;
                let span = start..end;
                let Some(offering) = raw::convert_offering(entry, span, &f, &known, &mut problems)
                else {
                    continue;
                };
                let line = match f.text.get(cursor.0..start) {
                    Some(between) => cursor.1 + between.bytes().filter(|b| *b == b'\n').count(),
                    None => f.line_of(start),
                };
                cursor = (start, line);
                let here = format!("{}:{line}", f.path.display());
                let location = (Arc::clone(&path), line);
                if let Some((file, l)) = seen_ids.insert(offering.id.clone(), location) {
                    problems.push(f.problem(
                        line,
                        format!(
                            "id '{}' is also used at {}:{l}",
                            offering.id,
                            file.display()
                        ),
                    ));
                }
                if let Some(first) = seen_names.insert(analysis::normalize(&offering.name), here) {
                    problems.push(f.problem(
                        line,
                        format!("name '{}' is also used at {first}", offering.name),
                    ));
                }
                offerings.push(offering);
            }
        }
        progress.finish();
        // A door that failed its own checks would show up here again: only a catalog
        // with no other problem has its `via` references checked.
        let via = if problems.is_empty() {
            facts::via_problems(&offerings)
        } else {
            Vec::new()
        };
        for (id, message) in via {
            let (file, line) = seen_ids[&id].clone();
            problems.push(Problem {
                file: file.to_path_buf(),
                line: Some(line),
                message,
            });
        }
        if offerings.is_empty() && problems.is_empty() {
            problems.push(Problem {
                file: dir.join("aanbod"),
                line: None,
                message: "the catalog holds no offerings".into(),
            });
        }
        match taxonomy {
            Some(taxonomy) if problems.is_empty() => {
                offerings.sort_by(|a, b| a.id.cmp(&b.id));
                // Held for the life of the catalog: no room left to grow into.
                offerings.shrink_to_fit();
                Ok(Catalog {
                    historic: region.historisch,
                    province: region.provincie,
                    name: region.naam,
                    served: unserved(&region.gemeenten),
                    gemeenten: region.gemeenten,
                    sources,
                    taxonomy,
                    thesaurus: Thesaurus::default(),
                    offerings: Arc::new(offerings),
                    locations: Arc::new(seen_ids),
                    fingerprint: fingerprint(dir, texts),
                    crisis: OnceLock::new(),
                })
            }
            _ => Err(CatalogError::Invalid(problems)),
        }
    }

    /// The province the region lies in, when `catalogus.toml` says.
    pub fn province(&self) -> Option<&str> {
        self.province.as_deref()
    }

    /// The region's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether this is a historic snapshot whose entries were never verified.
    pub fn is_historic(&self) -> bool {
        self.historic
    }

    /// The gemeenten this catalog serves (canonical spelling).
    pub fn gemeenten(&self) -> &[String] {
        &self.gemeenten
    }

    /// The canonical spelling of a gemeente this catalog serves, matched loosely.
    pub fn gemeente(&self, name: &str) -> Option<&str> {
        let wanted = analysis::normalize(name);
        self.gemeenten
            .iter()
            .find(|g| analysis::normalize(g) == wanted)
            .map(String::as_str)
    }

    /// The source documents.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The thesaurus of lay words (empty when the catalog has none).
    pub fn thesaurus(&self) -> &Thesaurus {
        &self.thesaurus
    }

    /// The taxonomy of life domains.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// All offerings, in id order.
    pub fn offerings(&self) -> &[Offering] {
        &self.offerings
    }

    /// The crisis lines (see [`Offering::is_crisis_line`]), in id order.
    pub fn crisis_lines(&self) -> impl Iterator<Item = &Offering> {
        self.crisis
            .get_or_init(|| {
                (self.offerings.iter().enumerate())
                    .filter(|(_, o)| o.is_crisis_line())
                    .map(|(i, _)| i)
                    .collect()
            })
            .iter()
            .map(|&i| &self.offerings[i])
    }

    /// Which offerings serve `gemeente`, by position in [`Catalog::offerings`]: what
    /// [`ServiceArea::serves`](crate::domain::ServiceArea::serves) says of each, kept
    /// per gemeente of the region.
    pub fn served_in<'a>(&'a self, gemeente: &'a str) -> Served<'a> {
        let at = self
            .gemeenten
            .iter()
            .position(|g| g.eq_ignore_ascii_case(gemeente));
        let bits = at.map(|i| {
            &**self.served[i].get_or_init(|| {
                let mut bits = vec![0u64; self.offerings.len().div_ceil(64)];
                for (p, o) in self.offerings.iter().enumerate() {
                    if o.area.serves(&self.gemeenten[i]) {
                        bits[p / 64] |= 1 << (p % 64);
                    }
                }
                bits.into()
            })
        });
        Served {
            bits,
            gemeente,
            offerings: &self.offerings,
        }
    }

    /// An offering by id.
    pub fn get(&self, id: &str) -> Option<&Offering> {
        self.position(id).map(|i| &self.offerings[i])
    }

    /// Position of an offering in [`Catalog::offerings`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.offerings
            .binary_search_by(|o| o.id.as_str().cmp(id))
            .ok()
    }

    /// Position in [`Catalog::offerings`] of an offering held by this catalog, found by
    /// its place in memory rather than by comparing ids (a large catalog's sort keys ask
    /// for it many times); `None` for an offering held elsewhere.
    pub fn position_of(&self, o: &Offering) -> Option<usize> {
        let from = self.offerings.as_ptr() as usize;
        let at = (o as *const Offering as usize).checked_sub(from)? / size_of::<Offering>();
        self.offerings
            .get(at)
            .filter(|held| std::ptr::eq(*held, o))
            .map(|_| at)
    }

    /// The file and line where an offering is written.
    pub fn location(&self, id: &str) -> Option<(&Path, usize)> {
        self.locations.get(id).map(|(f, l)| (f.as_ref(), *l))
    }

    /// Things a reviewer should look at that do not make the catalog invalid:
    /// near-duplicate names and entries not verified for over a year (as of `today`,
    /// `YYYY-MM-DD`).
    pub fn warnings(&self, today: Date) -> Vec<Problem> {
        lint::warnings(self, today)
    }

    /// A hash of the catalog's content and the analyzer version: the persisted index is
    /// rebuilt whenever it changes.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// Where an offering is written: its file (shared by the file's entries) and line.
type Location = (Arc<Path>, usize);

/// Each offering's position, by id.
pub(crate) fn positions(offerings: &[Offering]) -> HashMap<String, usize> {
    offerings
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.clone(), i))
        .collect()
}

fn read(path: &Path) -> Result<String, CatalogError> {
    fs::read_to_string(path).map_err(|source| CatalogError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The `.toml` files directly in `dir`, sorted by name.
fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, CatalogError> {
    let io = |source| CatalogError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn taxonomy(
    file: &SourceFile<'_>,
    raw: RawTaxonomy,
    problems: &mut Vec<Problem>,
) -> Option<Taxonomy> {
    let before = problems.len();
    let mut domains = Vec::new();
    for entry in &raw.leefgebied {
        let line = file.line_of(entry.span().start);
        let d = entry.get_ref();
        match Leefgebied::from_key(&d.key) {
            Some(l) if domains.iter().any(|x: &DomainInfo| x.leefgebied == l) => {
                problems
                    .push(file.problem(line, format!("leefgebied '{}' is defined twice", d.key)));
            }
            Some(l) => domains.push(DomainInfo {
                leefgebied: l,
                label: d.label.trim().to_string(),
                description: d.beschrijving.trim().to_string(),
                synonyms: d.synoniemen.iter().map(|s| s.trim().to_string()).collect(),
            }),
            None => problems.push(file.problem(
                line,
                format!(
                    "unknown leefgebied '{}' (known: {})",
                    d.key,
                    Leefgebied::keys()
                ),
            )),
        }
    }
    for l in Leefgebied::ALL {
        if !domains.iter().any(|d| d.leefgebied == *l) {
            problems.push(file.problem(1, format!("leefgebied '{l}' is missing")));
        }
    }
    (problems.len() == before).then(|| Taxonomy::new(domains))
}

fn fingerprint(dir: &Path, texts: &[(PathBuf, String)]) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("analyzer {}\n", analysis::ANALYZER_VERSION));
    for (path, text) in texts {
        let rel = path.strip_prefix(dir).unwrap_or(path);
        hash.update(rel.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(text.as_bytes());
        hash.update([0]);
    }
    hex::encode(hash.finalize())
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;

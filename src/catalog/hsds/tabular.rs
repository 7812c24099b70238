//! The HSDS tabular (CSV) form: one file per table, linked by `*_id` columns. Read into
//! the compiled service shape, so the importer has one input form.
//!
//! Tables read when present: `services`, `organizations`, `phones`, `schedules`,
//! `service_areas`, `service_at_location` (or `service_at_locations`), `locations`,
//! `addresses`, `accessibility`, `languages`, `cost_options`, `attributes`,
//! `taxonomy_terms`, `taxonomies`. Empty cells are absent values.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::model::Organization;
use super::{io, HsdsError};

type Row = Map<String, Value>;

/// Columns that hold numbers.
const NUMERIC: [&str; 3] = ["minimum_age", "maximum_age", "amount"];

/// The rows of `dir/<name>.csv`; no file is no rows.
fn table(dir: &Path, names: &[&str]) -> Result<Vec<Row>, HsdsError> {
    let Some(path) = names
        .iter()
        .map(|n| dir.join(format!("{n}.csv")))
        .find(|p| p.exists())
    else {
        return Ok(Vec::new());
    };
    let bad = |e: csv::Error| HsdsError::Input(format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(bad)?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(bad)?;
        let mut row = Row::new();
        for (column, cell) in headers.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = if NUMERIC.contains(&column) {
                match cell.parse::<f64>() {
                    Ok(n) if n.fract() == 0.0 && n >= 0.0 => Value::from(n as u64),
                    Ok(n) => Value::from(n),
                    Err(_) => {
                        return Err(HsdsError::Input(format!(
                            "{}: column {column}: '{cell}' is not a number",
                            path.display()
                        )))
                    }
                }
            } else {
                Value::String(cell.to_string())
            };
            row.insert(column.to_string(), value);
        }
        rows.push(row);
    }
    Ok(rows)
}

fn key<'a>(row: &'a Row, column: &str) -> Option<&'a str> {
    row.get(column).and_then(Value::as_str)
}

/// Rows grouped by the value of their `column`.
fn by<'a>(rows: &'a [Row], column: &str) -> HashMap<&'a str, Vec<&'a Row>> {
    let mut out: HashMap<&str, Vec<&Row>> = HashMap::new();
    for row in rows {
        if let Some(k) = key(row, column) {
            out.entry(k).or_default().push(row);
        }
    }
    out
}

fn list(rows: Option<&Vec<&Row>>) -> Value {
    Value::Array(
        rows.map(|r| r.iter().map(|row| Value::Object((*row).clone())).collect())
            .unwrap_or_default(),
    )
}

/// Services in the compiled shape, and the organizations.
pub fn read(dir: &Path) -> Result<(Vec<Value>, Vec<Organization>), HsdsError> {
    let services = table(dir, &["services"])?;
    let organizations = table(dir, &["organizations"])?;
    let phones = table(dir, &["phones"])?;
    let schedules = table(dir, &["schedules"])?;
    let areas = table(dir, &["service_areas"])?;
    let links = table(dir, &["service_at_location", "service_at_locations"])?;
    let locations = table(dir, &["locations"])?;
    let addresses = table(dir, &["addresses"])?;
    let accessibility = table(dir, &["accessibility", "accessibility_for_disabilities"])?;
    let languages = table(dir, &["languages"])?;
    let costs = table(dir, &["cost_options"])?;
    let attributes = table(dir, &["attributes"])?;
    let terms = table(dir, &["taxonomy_terms"])?;
    let taxonomies = table(dir, &["taxonomies"])?;

    let phones_of = by(&phones, "service_id");
    let schedules_of = by(&schedules, "service_id");
    let areas_of = by(&areas, "service_id");
    let links_of = by(&links, "service_id");
    let addresses_of = by(&addresses, "location_id");
    let access_of = by(&accessibility, "location_id");
    let languages_of = by(&languages, "service_id");
    let costs_of = by(&costs, "service_id");
    let attributes_of = by(&attributes, "link_id");
    let location: HashMap<&str, &Row> = locations
        .iter()
        .filter_map(|l| Some((key(l, "id")?, l)))
        .collect();
    let taxonomy: HashMap<&str, &Row> = taxonomies
        .iter()
        .filter_map(|t| Some((key(t, "id")?, t)))
        .collect();
    let mut term: HashMap<String, Row> = HashMap::new();
    for t in &terms {
        let Some(id) = key(t, "id") else { continue };
        let mut t = t.clone();
        if let Some(detail) = key(&t, "taxonomy_id").and_then(|tid| taxonomy.get(tid)) {
            if !t.contains_key("taxonomy") {
                if let Some(name) = detail.get("name") {
                    t.insert("taxonomy".into(), name.clone());
                }
            }
            t.insert("taxonomy_detail".into(), Value::Object((*detail).clone()));
        }
        term.insert(id.to_string(), t);
    }

    let mut out = Vec::new();
    for s in &services {
        let mut s = s.clone();
        let Some(id) = key(&s, "id").map(str::to_string) else {
            continue;
        };
        let id = id.as_str();
        s.insert("phones".into(), list(phones_of.get(id)));
        s.insert("schedules".into(), list(schedules_of.get(id)));
        s.insert("service_areas".into(), list(areas_of.get(id)));
        s.insert("languages".into(), list(languages_of.get(id)));
        s.insert("cost_options".into(), list(costs_of.get(id)));
        let mut sal = Vec::new();
        for link in links_of.get(id).into_iter().flatten() {
            let mut link = (*link).clone();
            if let Some(l) = key(&link, "location_id").and_then(|lid| location.get(lid)) {
                let mut l = (*l).clone();
                let lid = key(&l, "id").unwrap_or_default().to_string();
                l.insert("addresses".into(), list(addresses_of.get(lid.as_str())));
                l.insert("accessibility".into(), list(access_of.get(lid.as_str())));
                link.insert("location".into(), Value::Object(l));
            }
            sal.push(Value::Object(link));
        }
        s.insert("service_at_locations".into(), Value::Array(sal));
        let mut attrs = Vec::new();
        for a in attributes_of.get(id).into_iter().flatten() {
            let mut a = (*a).clone();
            if let Some(t) = key(&a, "taxonomy_term_id").and_then(|tid| term.get(tid)) {
                a.insert("taxonomy_term".into(), Value::Object(t.clone()));
            }
            attrs.push(Value::Object(a));
        }
        s.insert("attributes".into(), Value::Array(attrs));
        out.push(Value::Object(s));
    }
    let organizations = organizations
        .into_iter()
        .map(|o| serde_json::from_value(Value::Object(o)))
        .collect::<Result<_, _>>()?;
    Ok((out, organizations))
}

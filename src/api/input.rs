//! The Dutch-keyed request formats that people write: evaluation files (TOML) and the
//! web page (JSON). Both become the wire requests a gRPC client would send, so they
//! pass through exactly the same validation in `convert`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::{Doelgroep, Household, Leefgebied, Signal, Tier};
use crate::grpc::convert::to_wire;
use crate::grpc::pb;

/// A structured help request with Dutch keys, as in evaluation files.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestInput {
    /// Free text.
    #[serde(default)]
    pub text: String,
    /// Age.
    pub leeftijd: Option<u32>,
    /// Gemeente.
    #[serde(default)]
    pub gemeente: String,
    /// Household key.
    pub huishouden: Option<String>,
    /// Minimum income.
    #[serde(default)]
    pub minima: bool,
    /// Languages (ISO 639-1).
    #[serde(default)]
    pub talen: Vec<String>,
    /// Can travel.
    pub kan_reizen: Option<bool>,
    /// Digital access.
    pub digitaal: Option<bool>,
    /// Signal keys.
    #[serde(default)]
    pub signalen: Vec<String>,
    /// Groups the person belongs to beyond what age, household and domains say.
    #[serde(default)]
    pub doelgroepen: Vec<String>,
    /// ZRM scores by domain key.
    #[serde(default)]
    pub leefgebieden: BTreeMap<String, u32>,
    /// Capacity by key.
    #[serde(default)]
    pub draagkracht: BTreeMap<String, u32>,
    /// Burden by key.
    #[serde(default)]
    pub draaglast: BTreeMap<String, u32>,
}

/// A free-text search with Dutch keys.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchInput {
    /// The query.
    pub query: String,
    /// Optional gemeente filter.
    #[serde(default)]
    pub gemeente: String,
    /// Optional tier filter (key).
    pub niveau: Option<String>,
    /// Optional domain filter (key).
    pub leefgebied: Option<String>,
}

const DRAAGKRACHT: [&str; 5] = [
    "lichamelijk",
    "mentaal",
    "netwerk",
    "financieel",
    "vaardigheden",
];
const DRAAGLAST: [&str; 4] = [
    "verplichtingen",
    "zorgtaken",
    "gebeurtenissen",
    "geldzorgen",
];

fn lookup<T>(
    key: &str,
    what: &str,
    from_key: fn(&str) -> Option<T>,
    keys: fn() -> String,
) -> Result<T, String> {
    from_key(key).ok_or_else(|| format!("unknown {what} '{key}' (known: {})", keys()))
}

/// Optional vocabulary key to wire number; empty or absent is UNSPECIFIED.
fn optional<T: PartialEq + Copy>(
    key: Option<&str>,
    what: &str,
    all: &[T],
    from_key: fn(&str) -> Option<T>,
    keys: fn() -> String,
) -> Result<i32, String> {
    match key.filter(|k| !k.is_empty()) {
        Some(k) => Ok(to_wire(all, lookup(k, what, from_key, keys)?)),
        None => Ok(0),
    }
}

/// The values of `map` in the order of `known`; unknown keys are errors.
fn scales(
    map: &BTreeMap<String, u32>,
    known: &[&str],
    what: &str,
) -> Result<Vec<Option<u32>>, String> {
    if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(format!(
            "unknown {what} '{k}' (known: {})",
            known.join(", ")
        ));
    }
    Ok(known.iter().map(|k| map.get(*k).copied()).collect())
}

impl RequestInput {
    /// The wire request; unknown keys are errors naming the known ones.
    pub fn to_wire(&self, limit: u32) -> Result<pb::MatchRequest, String> {
        let mut leefgebieden = Vec::new();
        for (key, &score) in &self.leefgebieden {
            let l = lookup(key, "leefgebied", Leefgebied::from_key, Leefgebied::keys)?;
            leefgebieden.push(pb::DomainScore {
                leefgebied: to_wire(Leefgebied::ALL, l),
                score,
            });
        }
        let mut signals = Vec::new();
        for key in &self.signalen {
            signals.push(to_wire(
                Signal::ALL,
                lookup(key, "signaal", Signal::from_key, Signal::keys)?,
            ));
        }
        let household = optional(
            self.huishouden.as_deref(),
            "huishouden",
            Household::ALL,
            Household::from_key,
            Household::keys,
        )?;
        let k = scales(&self.draagkracht, &DRAAGKRACHT, "draagkracht")?;
        let l = scales(&self.draaglast, &DRAAGLAST, "draaglast")?;
        Ok(pb::MatchRequest {
            request: Some(pb::HelpRequest {
                leefgebieden,
                draagkracht: Some(pb::Draagkracht {
                    lichamelijk: k[0],
                    mentaal: k[1],
                    netwerk: k[2],
                    financieel: k[3],
                    vaardigheden: k[4],
                }),
                draaglast: Some(pb::Draaglast {
                    verplichtingen: l[0],
                    zorgtaken: l[1],
                    gebeurtenissen: l[2],
                    geldzorgen: l[3],
                }),
                context: Some(pb::Context {
                    age: self.leeftijd,
                    gemeente: self.gemeente.clone(),
                    household,
                    minima: self.minima,
                    languages: self.talen.clone(),
                    can_travel: self.kan_reizen,
                    digital_access: self.digitaal,
                    doelgroepen: self
                        .doelgroepen
                        .iter()
                        .map(|k| {
                            lookup(k, "doelgroep", Doelgroep::from_key, Doelgroep::keys)
                                .map(|g| to_wire(Doelgroep::ALL, g))
                        })
                        .collect::<Result<_, _>>()?,
                }),
                signals,
                text: self.text.clone(),
            }),
            limit,
        })
    }
}

impl SearchInput {
    /// The wire request; unknown keys are errors naming the known ones.
    pub fn to_wire(&self, limit: u32) -> Result<pb::SearchRequest, String> {
        let niveau = self.niveau.as_deref().map(str::to_ascii_lowercase);
        Ok(pb::SearchRequest {
            query: self.query.clone(),
            gemeente: self.gemeente.clone(),
            tier: optional(
                niveau.as_deref(),
                "niveau",
                Tier::ALL,
                Tier::from_key,
                Tier::keys,
            )?,
            leefgebied: optional(
                self.leefgebied.as_deref(),
                "leefgebied",
                Leefgebied::ALL,
                Leefgebied::from_key,
                Leefgebied::keys,
            )?,
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let mut r = RequestInput::default();
        r.leefgebieden.insert("geld".into(), 2);
        assert!(r
            .to_wire(10)
            .unwrap_err()
            .contains("unknown leefgebied 'geld'"));
        let mut r = RequestInput::default();
        r.draaglast.insert("stress".into(), 2);
        assert!(r
            .to_wire(10)
            .unwrap_err()
            .contains("unknown draaglast 'stress'"));
        let s = SearchInput {
            query: "x".into(),
            niveau: Some("zwaar".into()),
            ..SearchInput::default()
        };
        assert!(s
            .to_wire(10)
            .unwrap_err()
            .contains("unknown niveau 'zwaar'"));
    }

    #[test]
    fn keys_become_wire_numbers() {
        let mut r = RequestInput {
            huishouden: Some("gezin".into()),
            signalen: vec!["dakloos".into()],
            ..Default::default()
        };
        r.leefgebieden.insert("financien".into(), 2);
        r.draagkracht.insert("mentaal".into(), 1);
        let w = r.to_wire(5).unwrap();
        let h = w.request.unwrap();
        assert_eq!(
            h.leefgebieden[0].leefgebied,
            pb::Leefgebied::Financien as i32
        );
        assert_eq!(h.signals, vec![pb::Signal::Dakloos as i32]);
        assert_eq!(h.context.unwrap().household, pb::Household::Gezin as i32);
        assert_eq!(h.draagkracht.unwrap().mentaal, Some(1));
        let s = SearchInput {
            query: "x".into(),
            niveau: Some("TOEGANG".into()),
            leefgebied: Some(String::new()),
            ..Default::default()
        };
        let w = s.to_wire(5).unwrap();
        assert_eq!((w.tier, w.leefgebied), (pb::Tier::Toegang as i32, 0));
    }
}

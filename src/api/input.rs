//! The Dutch-keyed request formats that people write: evaluation files (TOML) and the
//! web page (JSON). Both become the drafts a gRPC request becomes, so they pass through
//! exactly the same validation in [`crate::api`].

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    Choice, ContextDraft, DomainDraft, DraagkrachtDraft, DraaglastDraft, FiltersDraft, HelpDraft,
    MatchDraft, SearchDraft,
};
use crate::domain::{Doelgroep, Household, Leefgebied, Signal, Tier};

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

/// Optional vocabulary key; empty or absent is `Absent`.
fn optional<T>(
    key: Option<&str>,
    what: &str,
    from_key: fn(&str) -> Option<T>,
    keys: fn() -> String,
) -> Result<Choice<T>, String> {
    match key.filter(|k| !k.is_empty()) {
        Some(k) => Ok(Choice::Is(lookup(k, what, from_key, keys)?)),
        None => Ok(Choice::Absent),
    }
}

/// Vocabulary keys; unknown keys are errors.
fn listed<T>(
    list: &[String],
    what: &str,
    from_key: fn(&str) -> Option<T>,
    keys: fn() -> String,
) -> Result<Vec<Choice<T>>, String> {
    list.iter()
        .map(|k| lookup(k, what, from_key, keys).map(Choice::Is))
        .collect()
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
    /// The draft every caller fills; unknown keys are errors naming the known ones.
    pub fn draft(&self, limit: u32) -> Result<MatchDraft, String> {
        let mut leefgebieden = Vec::new();
        for (key, &score) in &self.leefgebieden {
            let l = lookup(key, "leefgebied", Leefgebied::from_key, Leefgebied::keys)?;
            leefgebieden.push(DomainDraft {
                leefgebied: Choice::Is(l),
                score,
            });
        }
        let k = scales(&self.draagkracht, &DRAAGKRACHT, "draagkracht")?;
        let l = scales(&self.draaglast, &DRAAGLAST, "draaglast")?;
        Ok(MatchDraft {
            request: Some(HelpDraft {
                leefgebieden,
                draagkracht: DraagkrachtDraft {
                    lichamelijk: k[0],
                    mentaal: k[1],
                    netwerk: k[2],
                    financieel: k[3],
                    vaardigheden: k[4],
                },
                draaglast: DraaglastDraft {
                    verplichtingen: l[0],
                    zorgtaken: l[1],
                    gebeurtenissen: l[2],
                    geldzorgen: l[3],
                },
                context: ContextDraft {
                    age: self.leeftijd,
                    gemeente: self.gemeente.clone(),
                    household: optional(
                        self.huishouden.as_deref(),
                        "huishouden",
                        Household::from_key,
                        Household::keys,
                    )?,
                    minima: self.minima,
                    languages: self.talen.clone(),
                    can_travel: self.kan_reizen,
                    digital_access: self.digitaal,
                    doelgroepen: listed(
                        &self.doelgroepen,
                        "doelgroep",
                        Doelgroep::from_key_or_former,
                        Doelgroep::keys,
                    )?,
                },
                signals: listed(&self.signalen, "signaal", Signal::from_key, Signal::keys)?,
                text: self.text.clone(),
            }),
            limit,
        })
    }
}

impl SearchInput {
    /// The draft every caller fills; unknown keys are errors naming the known ones.
    pub fn draft(&self, limit: u32) -> Result<SearchDraft, String> {
        let niveau = self.niveau.as_deref().map(str::to_ascii_lowercase);
        Ok(SearchDraft {
            query: self.query.clone(),
            filters: FiltersDraft {
                gemeente: self.gemeente.clone(),
                tier: optional(niveau.as_deref(), "niveau", Tier::from_key, Tier::keys)?,
                leefgebied: optional(
                    self.leefgebied.as_deref(),
                    "leefgebied",
                    Leefgebied::from_key,
                    Leefgebied::keys,
                )?,
            },
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
            .draft(10)
            .unwrap_err()
            .contains("unknown leefgebied 'geld'"));
        let mut r = RequestInput::default();
        r.draaglast.insert("stress".into(), 2);
        assert!(r
            .draft(10)
            .unwrap_err()
            .contains("unknown draaglast 'stress'"));
        let s = SearchInput {
            query: "x".into(),
            niveau: Some("zwaar".into()),
            ..SearchInput::default()
        };
        assert!(s.draft(10).unwrap_err().contains("unknown niveau 'zwaar'"));
    }

    #[test]
    fn keys_become_domain_values() {
        let mut r = RequestInput {
            huishouden: Some("gezin".into()),
            signalen: vec!["dakloos".into()],
            ..Default::default()
        };
        r.leefgebieden.insert("financien".into(), 2);
        r.draagkracht.insert("mentaal".into(), 1);
        let h = r.draft(5).unwrap().request.unwrap();
        assert_eq!(
            h.leefgebieden[0].leefgebied,
            Choice::Is(Leefgebied::Financien)
        );
        assert_eq!(h.signals, vec![Choice::Is(Signal::Dakloos)]);
        assert_eq!(h.context.household, Choice::Is(Household::Gezin));
        assert_eq!(h.draagkracht.mentaal, Some(1));
        let s = SearchInput {
            query: "x".into(),
            niveau: Some("TOEGANG".into()),
            leefgebied: Some(String::new()),
            ..Default::default()
        };
        let f = s.draft(5).unwrap().filters;
        assert_eq!(
            (f.tier, f.leefgebied),
            (Choice::Is(Tier::Toegang), Choice::Absent)
        );
    }
}

//! The life-domain taxonomy: Dutch labels, descriptions and the everyday words people use.
//!
//! Besides labelling, it maps lay language onto domains: "kan de huur niet betalen" is
//! about `financien` and `huisvesting`. Search and Match use that to find help for the
//! domain even when the offering's own text uses other words.

use foldhash::HashSet;

use crate::domain::Leefgebied;
use crate::search::analysis;

/// One domain as the catalog describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainInfo {
    /// The domain.
    pub leefgebied: Leefgebied,
    /// Dutch label.
    pub label: String,
    /// Dutch description.
    pub description: String,
    /// Everyday words and phrases for problems in this domain.
    pub synonyms: Vec<String>,
}

/// The taxonomy with its synonyms pre-analyzed.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    domains: Vec<DomainInfo>,
    /// Per domain: each synonym as the set of its analyzed terms.
    phrases: Vec<Vec<HashSet<String>>>,
}

impl Taxonomy {
    /// Builds the taxonomy; `domains` should hold every [`Leefgebied`] once.
    pub fn new(domains: Vec<DomainInfo>) -> Self {
        let phrases = domains
            .iter()
            .map(|d| {
                d.synonyms
                    .iter()
                    .chain(std::iter::once(&d.label))
                    .map(|s| whole_terms(s))
                    .filter(|set| !set.is_empty())
                    .collect()
            })
            .collect();
        Self { domains, phrases }
    }

    /// All domains.
    pub fn domains(&self) -> &[DomainInfo] {
        &self.domains
    }

    /// The description of one domain.
    pub fn info(&self, leefgebied: Leefgebied) -> Option<&DomainInfo> {
        self.domains.iter().find(|d| d.leefgebied == leefgebied)
    }

    /// The Dutch label of a domain (its key when the taxonomy lacks it).
    pub fn label(&self, leefgebied: Leefgebied) -> &str {
        self.info(leefgebied)
            .map_or(leefgebied.key(), |d| d.label.as_str())
    }

    /// The domains a text speaks of, with how many of their synonyms it uses, most first.
    pub fn domains_in(&self, text: &str) -> Vec<(Leefgebied, usize)> {
        let terms = whole_terms(text);
        if terms.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(Leefgebied, usize)> = self
            .domains
            .iter()
            .zip(&self.phrases)
            .filter_map(|(d, phrases)| {
                let hits = phrases.iter().filter(|p| p.is_subset(&terms)).count();
                (hits > 0).then_some((d.leefgebied, hits))
            })
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        found
    }
}

/// The analyzed terms of a text, compound parts included.
fn whole_terms(text: &str) -> HashSet<String> {
    analysis::analyze(text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Taxonomy {
        let d = |l, syn: &[&str]| DomainInfo {
            leefgebied: l,
            label: l.key().to_string(),
            description: String::new(),
            synonyms: syn.iter().map(|s| s.to_string()).collect(),
        };
        Taxonomy::new(vec![
            d(
                Leefgebied::Financien,
                &["huur niet betalen", "schulden", "rekeningen"],
            ),
            d(Leefgebied::Huisvesting, &["huur", "woning"]),
            d(Leefgebied::SociaalNetwerk, &["eenzaam"]),
        ])
    }

    #[test]
    fn lay_words_map_to_domains() {
        let t = sample();
        let found: Vec<_> = t
            .domains_in("Ik kan de huur niet betalen")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(found, vec![Leefgebied::Financien, Leefgebied::Huisvesting]);
        assert_eq!(t.domains_in("zo eenzaam")[0].0, Leefgebied::SociaalNetwerk);
        assert!(t.domains_in("de het een").is_empty());
    }

    #[test]
    fn stemming_and_compounds_reach_synonyms() {
        let t = sample();
        assert_eq!(t.domains_in("schuld")[0].0, Leefgebied::Financien);
        assert_eq!(
            t.domains_in("schuldhulpverlening")[0].0,
            Leefgebied::Financien
        );
    }
}

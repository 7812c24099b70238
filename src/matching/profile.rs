//! The draagkracht/draaglast profile: how heavy is the load, how strong the shoulders,
//! and therefore which level of help is expected to be enough.
//!
//! The model follows the practice of the wijkteams ("zo licht als mogelijk, zo zwaar als
//! nodig"):
//!
//! - **Balance.** Draagkracht (capacity: body, mind, network, money buffer, skills) and
//!   draaglast (burden: obligations, care tasks, life events, money worries) are each
//!   averaged over what is known, on their 0..4 scale. Burden well above capacity
//!   ([`Tunables::imbalance_gap`]) puts the balance out.
//! - **Domains.** ZRM scores say how self-reliant the person is per domain. A domain at 1
//!   is acute; several domains at 2 or lower is multiproblematiek. Either puts the balance
//!   out, whatever the averages say.
//! - **Entry level.** When the balance is out, the recommended entry is [`Tier::Toegang`]:
//!   the sociaal wijkteam or the SDD for integrale vraagverheldering, with light help
//!   beside it. When one domain is at 2, help open to everyone
//!   ([`Tier::AlgemeneVoorziening`]) is the lightest sufficient level. Otherwise
//!   neighbours and volunteers ([`Tier::ElkaarHelpen`]) come first.

use crate::domain::{HelpRequest, Tier};

/// Every number the profile and ranking use, in one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tunables {
    /// Burden minus capacity (0..4 averages) from which the balance is out.
    pub imbalance_gap: f64,
    /// How many domains at 2 or lower make multiproblematiek.
    pub multiproblem_domains: usize,
    /// Share of relevance that comes from domain coverage when there is free text
    /// (the rest comes from text relevance).
    pub coverage_share: f64,
    /// Score lost per tier step above the recommended tier.
    pub heavier_step_penalty: f64,
    /// Score lost per tier step below the recommended tier (light help stays a
    /// complement when escalating, so this is small).
    pub lighter_step_penalty: f64,
    /// Score factor for an offering on a waiting list.
    pub waiting_list_factor: f64,
    /// Extra loss per waiting week, capped at [`Tunables::max_waiting_loss`].
    pub waiting_week_loss: f64,
    /// Largest total loss for waiting.
    pub max_waiting_loss: f64,
    /// Score factor for a temporarily closed offering.
    pub closed_factor: f64,
    /// Score factor when the person cannot use any of the offering's access modes well
    /// (only online without digital access, only walk-in without travel).
    pub poor_access_factor: f64,
    /// Score factor for a contribution the person pays while on a minimum income.
    pub cost_for_minima_factor: f64,
    /// Two scores closer than this are "comparable": the lighter tier goes first.
    pub comparable_margin: f64,
    /// Score factor for a minima-only scheme when the person has a minimum income: such
    /// a scheme is a right to claim, not heavy help, so its tier penalty is offset.
    pub minima_scheme_factor: f64,
    /// Weight of an arrangement from a past period that may have ended: it ranks below
    /// current offerings that fit about as well.
    pub historic_factor: f64,
    /// A maatwerk offering at the head of the list yields its place to the door it is
    /// reached through (its `via`) when that door stands within this many places.
    pub door_reach: usize,
}

/// The defaults, tuned on the principles of the brief rather than on single cases.
pub const DEFAULT_TUNABLES: Tunables = Tunables {
    imbalance_gap: 1.0,
    multiproblem_domains: 2,
    coverage_share: 0.6,
    heavier_step_penalty: 0.15,
    lighter_step_penalty: 0.04,
    waiting_list_factor: 0.92,
    waiting_week_loss: 0.01,
    max_waiting_loss: 0.2,
    closed_factor: 0.4,
    poor_access_factor: 0.7,
    cost_for_minima_factor: 0.85,
    comparable_margin: 0.1,
    minima_scheme_factor: 1.3,
    historic_factor: 0.8,
    door_reach: 5,
};

/// The profile the ranking works from.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Average capacity 0..4, `None` when nothing is known.
    pub draagkracht: Option<f64>,
    /// Average burden 0..4, `None` when nothing is known.
    pub draaglast: Option<f64>,
    /// A domain scores 1.
    pub acute: bool,
    /// Several domains score 2 or lower.
    pub multiproblem: bool,
    /// Burden clearly above capacity.
    pub overloaded: bool,
    /// Any of the three above.
    pub out_of_balance: bool,
    /// The lightest tier expected to be enough.
    pub recommended_tier: Tier,
}

impl Profile {
    /// Derives the profile of a help request.
    pub fn of(request: &HelpRequest, t: &Tunables) -> Profile {
        let mean = |v: Vec<u8>| {
            (!v.is_empty()).then(|| v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64)
        };
        let draagkracht = mean(request.draagkracht.values());
        let draaglast = mean(request.draaglast.values());
        let acute = request.leefgebieden.iter().any(|d| d.score <= 1);
        let low = request.leefgebieden.iter().filter(|d| d.score <= 2).count();
        let multiproblem = low >= t.multiproblem_domains;
        let overloaded = match (draagkracht, draaglast) {
            (Some(k), Some(l)) => l - k >= t.imbalance_gap,
            _ => false,
        };
        let out_of_balance = acute || multiproblem || overloaded;
        let recommended_tier = if out_of_balance {
            Tier::Toegang
        } else if low > 0 {
            Tier::AlgemeneVoorziening
        } else {
            Tier::ElkaarHelpen
        };
        Profile {
            draagkracht,
            draaglast,
            acute,
            multiproblem,
            overloaded,
            out_of_balance,
            recommended_tier,
        }
    }

    /// Why help should escalate, in Dutch, from the same facts the summary states;
    /// `None` when nothing calls for it.
    pub fn escalation_reason(&self) -> Option<&'static str> {
        if self.overloaded {
            Some("De balans tussen draagkracht en draaglast is zoek.")
        } else if self.acute {
            Some("Op minstens één leefgebied is er acute problematiek.")
        } else if self.multiproblem {
            Some("Op meerdere leefgebieden lukt het niet zelf.")
        } else if self.out_of_balance {
            Some("De situatie vraagt om meer dan lichte hulp.")
        } else {
            None
        }
    }

    /// A short Dutch summary for the professional.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        match (self.draagkracht, self.draaglast) {
            (Some(k), Some(l)) => parts.push(format!(
                "Draagkracht gemiddeld {k:.1} en draaglast gemiddeld {l:.1} (schaal 0-4): {}.",
                if self.overloaded {
                    "de last is duidelijk groter dan wat iemand kan dragen"
                } else {
                    "dat is in evenwicht"
                }
            )),
            _ => parts.push("Draagkracht of draaglast is niet (volledig) ingevuld.".to_string()),
        }
        if self.acute {
            parts
                .push("Op minstens één leefgebied is er acute problematiek (score 1).".to_string());
        }
        if self.multiproblem {
            parts.push(
                "Op meerdere leefgebieden is iemand niet zelfredzaam (score 2 of lager)."
                    .to_string(),
            );
        }
        parts.push(format!(
            "Aanbevolen instap: {}.",
            self.recommended_tier.label()
        ));
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DomainScore, Draagkracht, Draaglast, Leefgebied};

    fn request(scores: &[(Leefgebied, u8)], kracht: u8, last: u8) -> HelpRequest {
        HelpRequest {
            leefgebieden: scores
                .iter()
                .map(|&(leefgebied, score)| DomainScore { leefgebied, score })
                .collect(),
            draagkracht: Draagkracht::uniform(kracht),
            draaglast: Draaglast::uniform(last),
            ..HelpRequest::default()
        }
    }

    #[test]
    fn healthy_balance_starts_with_neighbours() {
        let p = Profile::of(
            &request(&[(Leefgebied::SociaalNetwerk, 3)], 3, 1),
            &DEFAULT_TUNABLES,
        );
        assert!(!p.out_of_balance);
        assert_eq!(p.recommended_tier, Tier::ElkaarHelpen);
    }

    #[test]
    fn one_low_domain_starts_with_open_help() {
        let p = Profile::of(
            &request(&[(Leefgebied::Financien, 2)], 3, 2),
            &DEFAULT_TUNABLES,
        );
        assert!(!p.out_of_balance);
        assert_eq!(p.recommended_tier, Tier::AlgemeneVoorziening);
    }

    #[test]
    fn acute_domain_multiproblem_or_overload_escalate() {
        let acute = Profile::of(
            &request(&[(Leefgebied::Huisvesting, 1)], 3, 1),
            &DEFAULT_TUNABLES,
        );
        assert!(acute.acute && acute.out_of_balance);
        let multi = Profile::of(
            &request(
                &[(Leefgebied::Financien, 2), (Leefgebied::SociaalNetwerk, 2)],
                3,
                1,
            ),
            &DEFAULT_TUNABLES,
        );
        assert!(multi.multiproblem && multi.out_of_balance);
        let heavy = Profile::of(
            &request(&[(Leefgebied::Financien, 3)], 1, 3),
            &DEFAULT_TUNABLES,
        );
        assert!(heavy.overloaded);
        for p in [acute, multi, heavy] {
            assert_eq!(p.recommended_tier, Tier::Toegang);
        }
    }

    #[test]
    fn unknown_balance_is_not_overload() {
        let mut r = request(&[(Leefgebied::Financien, 3)], 0, 4);
        r.draagkracht = Draagkracht::default();
        let p = Profile::of(&r, &DEFAULT_TUNABLES);
        assert_eq!(p.draagkracht, None);
        assert!(!p.overloaded);
        assert!(p.summary().contains("niet (volledig) ingevuld"));
    }
}

//! Sourced facts and routes: which hard facts of an offering lack a source reference,
//! and how a person reaches each offering — its own contact facts, or the door named in
//! `via` (followed to the end).

use std::collections::{HashMap, HashSet};

use super::Catalog;
use crate::domain::{Contact, Cost, Fact, Offering};

/// How an offering is reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Route<'a> {
    /// Its own contact facts.
    Own(&'a Contact),
    /// Through a door: the first offering on its `via` path, and the contact facts of
    /// the first one on that path that has any (`None`: the catalog knows none).
    Via {
        /// The door it names.
        door: &'a Offering,
        /// The contact facts found along the path.
        contact: Option<&'a Contact>,
    },
    /// No contact facts and no door.
    Unknown,
}

/// The route of `o` in `catalog`.
pub fn route<'a>(catalog: &'a Catalog, o: &'a Offering) -> Route<'a> {
    if let Some(c) = &o.contact {
        return Route::Own(c);
    }
    let Some(door) = o.via.as_deref().and_then(|id| catalog.get(id)) else {
        return Route::Unknown;
    };
    let mut seen = HashSet::from([o.id.as_str()]);
    let mut at = door;
    let contact = loop {
        if let Some(c) = at.contact.as_deref() {
            break Some(c);
        }
        if !seen.insert(at.id.as_str()) {
            break None;
        }
        match at.via.as_deref().and_then(|id| catalog.get(id)) {
            Some(next) => at = next,
            None => break None,
        }
    };
    Route::Via { door, contact }
}

/// `via` references that name no offering, or that go round in a circle: (id, message).
pub(crate) fn via_problems(offerings: &[Offering]) -> Vec<(String, String)> {
    let by_id: HashMap<&str, &Offering> = offerings.iter().map(|o| (o.id.as_str(), o)).collect();
    let mut out = Vec::new();
    for o in offerings {
        let Some(first) = o.via.as_deref() else {
            continue;
        };
        if !by_id.contains_key(first) {
            out.push((
                o.id.clone(),
                format!(
                    "aanbod '{}': `via` names '{first}', which is not in the catalog",
                    o.id
                ),
            ));
            continue;
        }
        let mut seen = HashSet::from([o.id.as_str()]);
        let mut next = Some(first);
        while let Some(id) = next {
            if !seen.insert(id) {
                out.push((
                    o.id.clone(),
                    format!(
                        "aanbod '{}': `via` goes round in a circle through '{id}'",
                        o.id
                    ),
                ));
                break;
            }
            next = by_id.get(id).and_then(|d| d.via.as_deref());
        }
    }
    out
}

/// The hard facts of `o` that need a source reference and have none.
pub fn unsourced(o: &Offering) -> Vec<Fact> {
    let e = &o.eligibility;
    let has = |f: Fact| o.evidence.iter().any(|x| x.fact == f);
    let needed = [
        (Fact::Kosten, o.cost != Cost::Onbekend),
        (
            Fact::Leeftijd,
            e.min_age.is_some() || e.max_age.is_some() || e.child_max_age.is_some(),
        ),
        (Fact::Doelgroepen, !e.groups.is_empty()),
        (Fact::AlleenMinima, e.minima_only),
        (Fact::BeschikkingNodig, e.needs_indication),
        (Fact::NaAndereHulp, e.after_other_help),
        (Fact::Huishoudens, !e.households.is_empty()),
    ];
    needed
        .into_iter()
        .filter(|(f, needed)| *needed && !has(*f))
        .map(|(f, _)| f)
        .collect()
}

/// Counts for `catalog check`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    /// Offerings with contact facts of their own.
    pub own_contact: usize,
    /// Offerings reached through a door.
    pub via_door: usize,
    /// Offerings with neither.
    pub no_route: Vec<String>,
    /// Doors that others are reached through but that have no contact facts anywhere
    /// on their path: the answer says "contactgegevens niet bekend".
    pub doors_without_contact: Vec<String>,
    /// Hard eligibility facts without a source reference: (id, fact).
    pub unsourced_eligibility: Vec<(String, Fact)>,
    /// Costs other than `onbekend` without a source reference.
    pub unsourced_costs: Vec<String>,
    /// Offerings marked historic.
    pub historic: usize,
}

/// The audit of a whole catalog.
pub fn audit(catalog: &Catalog) -> Audit {
    let mut a = Audit::default();
    let mut doors = HashSet::new();
    let door_ids: HashSet<&str> = catalog
        .offerings()
        .iter()
        .filter_map(|o| o.via.as_deref())
        .collect();
    let doors_of = |o: &Offering| door_ids.contains(o.id.as_str());
    for o in catalog.offerings() {
        match route(catalog, o) {
            Route::Own(_) => a.own_contact += 1,
            Route::Via { .. } => a.via_door += 1,
            Route::Unknown if doors_of(o) => {}
            Route::Unknown => a.no_route.push(o.id.clone()),
        }
        for f in unsourced(o) {
            match f {
                Fact::Kosten => a.unsourced_costs.push(o.id.clone()),
                f => a.unsourced_eligibility.push((o.id.clone(), f)),
            }
        }
        a.historic += usize::from(o.historic.is_some());
    }
    // The ends of `via` paths that have no contact facts.
    for o in catalog.offerings() {
        if o.contact.is_none() && o.via.is_none() && doors_of(o) {
            doors.insert(o.id.clone());
        }
    }
    a.doors_without_contact = doors.into_iter().collect();
    a.doors_without_contact.sort();
    a
}

//! Match: from a help request to a ranked, explained list, lightest sufficient help first.
//!
//! The steps, in order:
//!
//! 1. **Safety.** Signals, and crisis language found in the free text ([`crisis`]), put
//!    the crisis offerings that answer them at the top, always.
//! 2. **Eligibility** (hard): age, gemeente served, minima-only schemes, doelgroepen
//!    (an offering for a group the person is shown not to be in; see [`doelgroep`]),
//!    language-bound
//!    offerings, household limits. An ineligible offering never appears.
//! 3. **Relevance**: coverage of the request's domains, weighted by how low each scores,
//!    blended with text relevance from the search index when there is free text.
//! 4. **Fit**: tier against the [`profile::Profile`]'s recommended tier, access against
//!    digital access and mobility, availability, cost against minima.
//! 5. **Order**: by score; within a comparable margin the lighter tier first; ties by id.
//!    When the balance is out, the best door (a [`Tier::Toegang`] offering) is lifted into
//!    the top 3 if it is not there yet.
//!
//! Every number lives in [`profile::Tunables`].

pub mod crisis;
pub mod doelgroep;
pub mod profile;

use foldhash::{HashMap, HashMapExt};

use crate::catalog::Catalog;
use crate::domain::wording;
use crate::domain::{
    AccessMode, AvailabilityStatus, Cost, HelpRequest, Leefgebied, Offering, Signal, Tier,
};
pub use profile::{Profile, Tunables, DEFAULT_TUNABLES};

/// One ranked offering with its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<'a> {
    /// The offering.
    pub offering: &'a Offering,
    /// Final score (crisis offerings get scores above every other).
    pub score: f64,
    /// Dutch reasons.
    pub reasons: Vec<String>,
}

/// The answer to a help request.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchOutcome<'a> {
    /// Ranked offerings, best first.
    pub results: Vec<Ranked<'a>>,
    /// The profile used.
    pub profile: Profile,
    /// Dutch advice for the professional.
    pub advice: String,
    /// Signals found in the free text that the request did not carry.
    pub signals_from_text: Vec<Signal>,
}

/// Text relevance per catalog position, normalised to 0..1 by the caller.
pub type TextScores = HashMap<usize, f64>;

/// Why an offering is not available to this person, or `None` when it is.
pub fn ineligibility(o: &Offering, r: &HelpRequest) -> Option<&'static str> {
    let (signals, _) = signals_of(r);
    let person = doelgroep::Person::hearing(r, &signals);
    ineligible(o, r, &person, |g| o.area.serves(g))
}

/// A request's signals: those ticked and those its text adds (heard by the crisis
/// detector as an intake note), and the added ones apart.
pub fn signals_of(r: &HelpRequest) -> (Vec<Signal>, Vec<Signal>) {
    let from_text: Vec<Signal> = crisis::signals_in_note(&r.text)
        .into_iter()
        .filter(|s| !r.signals.contains(s))
        .collect();
    let mut signals = r.signals.clone();
    signals.extend(&from_text);
    (signals, from_text)
}

/// [`ineligibility`] with the person's groups worked out once for the request, and
/// `serves` saying whether the offering serves a gemeente.
fn ineligible(
    o: &Offering,
    r: &HelpRequest,
    person: &doelgroep::Person,
    serves: impl FnOnce(&str) -> bool,
) -> Option<&'static str> {
    let c = &r.context;
    if c.age.is_some_and(|age| !o.eligibility.admits_age(age)) {
        return Some("leeftijd");
    }
    if let Some(g) = &c.gemeente {
        if !serves(g) {
            return Some("gemeente");
        }
    }
    if o.eligibility.minima_only && !c.minima {
        return Some("inkomen");
    }
    if person.not_for(&o.eligibility) {
        return Some("doelgroep");
    }
    if o.eligibility.language_bound {
        let speaks = |lang: &String| {
            if c.languages.is_empty() {
                lang == "nl"
            } else {
                c.languages.contains(lang)
            }
        };
        if !o.languages.iter().any(speaks) {
            return Some("taal");
        }
    }
    if let Some(h) = c.household {
        if !o.eligibility.households.is_empty() && !o.eligibility.households.contains(&h) {
            return Some("huishouden");
        }
    }
    None
}

/// Ranks the catalog for a request. `candidates` are the catalog positions to rank: at
/// least every offering filed under one of the request's leefgebieden and every one in
/// `text_scores` (any other has no relevance and is left out anyway), in any order.
/// `text_scores` holds the normalised text relevance of offerings the free text found
/// (empty without text). `signals` are the request's, as [`signals_of`] gives them.
pub fn rank<'a>(
    catalog: &'a Catalog,
    request: &HelpRequest,
    signals: (Vec<Signal>, Vec<Signal>),
    candidates: &[usize],
    text_scores: &TextScores,
    limit: usize,
    t: &Tunables,
) -> MatchOutcome<'a> {
    let profile = Profile::of(request, t);
    let (signals, signals_from_text) = signals;
    let person = doelgroep::Person::hearing(request, &signals);

    let need_total: f64 = request.leefgebieden.iter().map(|d| need(d.score)).sum();
    let mut results = Vec::new();
    let offerings = catalog.offerings();
    let served = (request.context.gemeente.as_deref()).map(|g| catalog.served_in(g));
    for (ord, o) in candidates
        .iter()
        .filter_map(|&i| Some((i, offerings.get(i)?)))
    {
        let serves = |_: &str| served.as_ref().is_none_or(|s| s.contains(ord));
        if ineligible(o, request, &person, serves).is_some() {
            continue;
        }
        // Crisis lines come first through `crisis_first` when their signal is present,
        // and only then.
        if o.is_crisis_line() {
            continue;
        }
        // An arrangement that has ended is no help to refer to; asked for by name, it
        // shows what it was and what came instead.
        if o.has_ended() && !names(&request.text, o) {
            continue;
        }
        // The need of the request's leefgebieden the offering is filed under (as
        // `covered_domains`, without collecting them: this runs for every candidate).
        let coverage = if need_total > 0.0 {
            request
                .leefgebieden
                .iter()
                .filter(|d| o.leefgebieden.contains(&d.leefgebied))
                .map(|d| need(d.score))
                .sum::<f64>()
                / need_total
        } else {
            0.0
        };
        let text = text_scores.get(&ord).copied().unwrap_or(0.0);
        let relevance = match (need_total > 0.0, !text_scores.is_empty()) {
            (true, true) => t.coverage_share * coverage + (1.0 - t.coverage_share) * text,
            (true, false) => coverage,
            (false, _) => text,
        };
        if relevance <= 0.0 {
            continue;
        }
        let fit = tier_fit(o.ranking_tier(), profile.recommended_tier, t)
            * access_fit(o, request, t)
            * availability_fit(o, t)
            * cost_fit(o, request, t)
            * if o.historic.is_some() {
                t.historic_factor
            } else {
                1.0
            };
        results.push(Ranked {
            offering: o,
            score: relevance * fit,
            // Built below, for the results shown only.
            reasons: Vec::new(),
        });
    }

    // The places a door may come from (below) stay too, so a short list is still the
    // start of a long one.
    keep_contenders(&mut results, limit.max(t.door_reach), t);
    order(&mut results, t);
    if !signals.is_empty() {
        // Behind the crisis line, the door to integrale hulp comes first.
        lift_door(&mut results, 0);
    } else if profile.out_of_balance {
        lift_door(&mut results, 2);
    }
    door_before_maatwerk(&mut results, t.door_reach);

    let top = results.first().map_or(1.0, |r| r.score);
    let mut ranked: Vec<Ranked<'a>> =
        crisis_first(catalog, request, &person, &signals, &signals_from_text)
            .into_iter()
            .enumerate()
            .map(|(i, (o, reasons))| Ranked {
                offering: o,
                score: top + 1.0 + (100 - i.min(99)) as f64 / 100.0,
                reasons,
            })
            .collect();
    ranked.extend(results);
    ranked.truncate(limit);
    for r in ranked.iter_mut().filter(|r| !r.offering.is_crisis_line()) {
        let o = r.offering;
        let covered = covered_domains(request, o);
        let text_matched = catalog
            .position(&o.id)
            .and_then(|ord| text_scores.get(&ord))
            .is_some_and(|&t| t > 0.0);
        r.reasons = reasons(catalog, o, request, &covered, text_matched, &profile);
    }

    let mut advice = advice(catalog, &profile, &signals, &signals_from_text, &ranked);
    if let Some(gaps) = uncovered(catalog, request, &ranked) {
        advice.push(' ');
        advice.push_str(&gaps);
    }
    MatchOutcome {
        results: ranked,
        profile,
        advice,
        signals_from_text,
    }
}

/// Crisis language in a searched or typed text (the same detector as Match): the
/// signals found and the crisis offerings that answer them, in order, with reasons.
/// Empty when the text holds no crisis language.
pub fn crisis_in_text<'a>(
    catalog: &'a Catalog,
    text: &str,
    gemeente: Option<&str>,
) -> (Vec<Signal>, Vec<(&'a Offering, Vec<String>)>) {
    let signals = crisis::signals_in(text);
    if signals.is_empty() {
        return (signals, Vec::new());
    }
    let mut request = HelpRequest::default();
    request.context.gemeente = gemeente.map(str::to_string);
    let person = doelgroep::Person::of(&request);
    let lines = crisis_first(catalog, &request, &person, &signals, &signals);
    (signals, lines)
}

/// The crisis offerings for the request's signals, in order, with their reasons.
///
/// Offerings answering more of the signals come first. A signal that no eligible crisis
/// offering answers falls back to the acute-danger line (112), saying so: a person with
/// a safety signal always gets a crisis line at the top, never silence. The acute-danger
/// line follows the others where a signal has fewer than [`CRISIS_LINES_PER_SIGNAL`]
/// lines of its own.
fn crisis_first<'a>(
    catalog: &'a Catalog,
    request: &HelpRequest,
    person: &doelgroep::Person,
    signals: &[Signal],
    from_text: &[Signal],
) -> Vec<(&'a Offering, Vec<String>)> {
    if signals.is_empty() {
        return Vec::new();
    }
    let eligible: Vec<&Offering> = catalog
        .crisis_lines()
        .filter(|o| ineligible(o, request, person, |g| o.area.serves(g)).is_none())
        .collect();
    let answering = |o: &Offering, wanted: &[Signal]| -> Vec<Signal> {
        o.signals
            .iter()
            .copied()
            .filter(|s| wanted.contains(s))
            .collect()
    };
    let mut found: Vec<(usize, bool, &Offering, Vec<String>)> = Vec::new();
    for o in &eligible {
        let answered = answering(o, signals);
        if !answered.is_empty() {
            found.push((
                answered.len(),
                false,
                o,
                crisis_reasons(&answered, from_text),
            ));
        }
    }
    let uncovered: Vec<Signal> = signals
        .iter()
        .copied()
        .filter(|s| !eligible.iter().any(|o| o.signals.contains(s)))
        .collect();
    if !uncovered.is_empty() {
        for o in &eligible {
            if o.signals.contains(&Signal::AcuutGevaar) && !found.iter().any(|f| f.2.id == o.id) {
                let reasons = vec![
                    format!(
                        "Geen aparte crisishulp voor {} in de catalogus: bij direct gevaar is dit het nummer.",
                        wording::signal_labels(&uncovered)
                    ),
                    "Schakel daarnaast meteen het wijkteam of de sociale dienst in.".to_string(),
                ];
                found.push((0, true, o, reasons));
            }
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.id.cmp(&b.2.id)));
    // A few lines per signal: a catalog with many (one per town) would otherwise fill
    // the whole answer with them.
    let mut shown: HashMap<Signal, usize> = HashMap::new();
    found.retain(|(_, fallback, o, _)| {
        let answers = if *fallback {
            uncovered.clone()
        } else {
            answering(o, signals)
        };
        let wanted = answers
            .iter()
            .any(|s| shown.get(s).copied().unwrap_or(0) < CRISIS_LINES_PER_SIGNAL);
        if wanted {
            for s in answers {
                *shown.entry(s).or_default() += 1;
            }
        }
        wanted
    });
    // Behind the lines for what was heard, the alarm number: the advice of every line
    // for a signal is to call 112 when the danger is immediate, so the number is shown,
    // not left for the caller to know. It is one of a signal's few lines: for a signal
    // that has its full share already, nothing is added (a name typed in full would
    // otherwise slip below the top 3).
    let short: Vec<Signal> = (signals.iter().copied())
        .filter(|s| shown.get(s).copied().unwrap_or(0) < CRISIS_LINES_PER_SIGNAL)
        .collect();
    let alarm = (eligible.iter()).find(|o| o.signals.contains(&Signal::AcuutGevaar));
    if let Some(alarm) = alarm.filter(|_| !short.is_empty()) {
        if !found.iter().any(|f| f.2.id == alarm.id) {
            let reasons = vec![
                format!(
                    "Bij direct gevaar altijd 112 bellen, ook bij {}.",
                    wording::signal_labels(&short)
                ),
                "Direct bereikbaar, zonder verwijzing.".to_string(),
            ];
            found.push((0, true, alarm, reasons));
        }
    }
    found
        .into_iter()
        .map(|(_, _, o, reasons)| (o, reasons))
        .collect()
}

/// Whether `text` names the offering: the first word of its name (at least
/// [`NAME_WORD_MIN_CHARS`] letters, as "tozo" in "Tozo (Tijdelijke ...)") stands in it.
pub fn names(text: &str, o: &Offering) -> bool {
    let normalized = crate::search::analysis::normalize(&o.name);
    let Some(first) = normalized
        .split(' ')
        .find(|w| !w.is_empty())
        .filter(|w| w.chars().count() >= NAME_WORD_MIN_CHARS)
    else {
        return false;
    };
    let first = crate::search::analysis::stem(first);
    crate::search::analysis::normalize(text)
        .split(' ')
        .any(|w| !w.is_empty() && crate::search::analysis::stem(w) == first)
}

/// The fewest letters of a name's first word for it to name the offering alone.
const NAME_WORD_MIN_CHARS: usize = 4;

/// Most crisis lines put first for one signal.
const CRISIS_LINES_PER_SIGNAL: usize = 2;

/// How much a domain weighs: the lower its ZRM score, the more help it needs.
fn need(score: u8) -> f64 {
    f64::from(6u8.saturating_sub(score.clamp(1, 5))) / 5.0
}

fn tier_fit(tier: Tier, recommended: Tier, t: &Tunables) -> f64 {
    let (w, r) = (f64::from(tier.weight()), f64::from(recommended.weight()));
    if w > r {
        (1.0 - t.heavier_step_penalty * (w - r)).max(0.05)
    } else {
        1.0 - t.lighter_step_penalty * (r - w)
    }
}

fn access_fit(o: &Offering, r: &HelpRequest, t: &Tunables) -> f64 {
    let usable = |m: &AccessMode| match m {
        AccessMode::Online => r.context.digital_access != Some(false),
        AccessMode::Inloop => r.context.can_travel != Some(false),
        _ => true,
    };
    if o.access.is_empty() || o.access.iter().any(usable) {
        1.0
    } else {
        t.poor_access_factor
    }
}

fn availability_fit(o: &Offering, t: &Tunables) -> f64 {
    match o.availability.status {
        AvailabilityStatus::Actief => 1.0,
        AvailabilityStatus::Wachtlijst => {
            let weeks = f64::from(o.availability.waiting_weeks.unwrap_or(0));
            t.waiting_list_factor - (weeks * t.waiting_week_loss).min(t.max_waiting_loss)
        }
        AvailabilityStatus::TijdelijkGesloten => t.closed_factor,
    }
}

fn cost_fit(o: &Offering, r: &HelpRequest, t: &Tunables) -> f64 {
    match (r.context.minima, o.cost, o.eligibility.minima_only) {
        (true, _, true) => t.minima_scheme_factor,
        (true, Cost::EigenBijdrage, false) => t.cost_for_minima_factor,
        _ => 1.0,
    }
}

/// Sorts by score, puts the lighter tier first within the comparable margin, and breaks
/// ties by id.
fn order(results: &mut [Ranked<'_>], t: &Tunables) {
    results.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.offering.id.cmp(&b.offering.id))
    });
    // A stable insertion pass: a lighter offering moves above heavier neighbours whose
    // score it comes within the margin of. Bounded: each element moves up at most n times.
    for i in 1..results.len() {
        let mut j = i;
        while j > 0 {
            let (above, below) = (&results[j - 1], &results[j]);
            let lighter =
                below.offering.ranking_tier().weight() < above.offering.ranking_tier().weight();
            if lighter && above.score - below.score <= t.comparable_margin * above.score {
                results.swap(j - 1, j);
                j -= 1;
            } else {
                break;
            }
        }
    }
}

/// Drops the results that cannot reach the first `limit` places, before [`order`]
/// sorts them (in a large catalog most candidates are far down). An offering moves up
/// in [`order`] only past one whose score it comes within the margin of, so one scoring
/// further below the `limit`-th best score than that never passes any of the offerings
/// scoring at least as much, and never reaches those places; nor does it change their
/// order. Doors stay, for [`lift_door`]. A short list is thus the start of a long one
/// (a test holds it).
fn keep_contenders(results: &mut Vec<Ranked<'_>>, limit: usize, t: &Tunables) {
    if results.len() <= limit {
        return;
    }
    let mut scores: Vec<f64> = results.iter().map(|r| r.score).collect();
    let (_, &mut nth, _) = scores.select_nth_unstable_by(limit.max(1) - 1, |a, b| b.total_cmp(a));
    // Within the margin as `order` computes it, with room for rounding.
    results.retain(|r| nth - r.score <= t.comparable_margin * nth + 1e-9 || is_door(r, 0));
}

/// Whether a result is a door to integrale vraagverheldering: a [`Tier::Toegang`]
/// offering a person can approach without a referral, filed under at least
/// `min_domains` leefgebieden.
fn is_door(r: &Ranked<'_>, min_domains: usize) -> bool {
    let o = r.offering;
    o.ranking_tier() == Tier::Toegang
        && o.leefgebieden.len() >= min_domains
        && o.access.iter().any(|a| *a != AccessMode::ViaVerwijzing)
}

/// Moves the best door to integrale vraagverheldering up to position `at` when it stands
/// lower. Generalist doors (the sociaal wijkteam, the SDD: at least
/// [`GENERALIST_DOMAINS`] domains) are preferred over specialised ones.
fn lift_door(results: &mut Vec<Ranked<'_>>, at: usize) {
    if let Some(pos) = best_door(results).filter(|&p| p > at) {
        let r = results.remove(pos);
        results.insert(at, r);
    }
}

/// Maatwerk is reached through a door (its `via`: the Wmo-loket, the SDD, the sociaal
/// wijkteam), so when a maatwerk offering heads the list and that door stands within
/// `reach` places, the door goes first: the first step shown is one the person can take
/// ("zo licht als mogelijk"), the maatwerk follows as what it may lead to. Not a door
/// that is closed for now or from a past period: that is no step to take.
fn door_before_maatwerk(results: &mut Vec<Ranked<'_>>, reach: usize) {
    let Some(via) = results
        .first()
        .filter(|r| r.offering.ranking_tier() == Tier::Maatwerk)
        .and_then(|r| r.offering.via.clone())
    else {
        return;
    };
    if let Some(pos) = results
        .iter()
        .take(reach)
        .position(|r| r.offering.id == via && r.offering.is_open())
    {
        let door = results.remove(pos);
        results.insert(0, door);
    }
}

/// The position of the best door to integrale vraagverheldering among `results`: the
/// first generalist door (at least [`GENERALIST_DOMAINS`] domains), else the first door.
fn best_door(results: &[Ranked<'_>]) -> Option<usize> {
    results
        .iter()
        .position(|r| is_door(r, GENERALIST_DOMAINS))
        .or_else(|| results.iter().position(|r| is_door(r, 0)))
}

/// The door the advice names, one for all its sentences when the list holds a door for
/// everyone's whole question (at least [`GENERALIST_DOMAINS`] domains, no particular
/// group: the sociaal wijkteam, the SDD). Without one: for domains the list leaves
/// uncovered (`gaps`), a door filed under one of them, else none, never a door for
/// another need and group ("Vraag MatchMakers" about caring for a mother); otherwise the
/// door [`lift_door`] lifts ([`best_door`]), else the first door to specialist help
/// ([`Tier::Toegang`]) in the list, also one reached by referral.
fn door_named<'a>(ranked: &[Ranked<'a>], gaps: &[Leefgebied]) -> Option<&'a Offering> {
    let for_everyone = || {
        ranked
            .iter()
            .find(|r| is_door(r, GENERALIST_DOMAINS) && r.offering.eligibility.groups.is_empty())
    };
    let door = if gaps.is_empty() {
        for_everyone()
            .or_else(|| best_door(ranked).and_then(|i| ranked.get(i)))
            .or_else(|| {
                ranked
                    .iter()
                    .find(|r| r.offering.ranking_tier() == Tier::Toegang)
            })
    } else {
        for_everyone().or_else(|| {
            ranked
                .iter()
                .find(|r| is_door(r, 0) && r.offering.leefgebieden.iter().any(|l| gaps.contains(l)))
        })
    };
    door.map(|r| r.offering)
}

/// How many domains make a door a generalist one.
const GENERALIST_DOMAINS: usize = 3;

fn reasons(
    catalog: &Catalog,
    o: &Offering,
    r: &HelpRequest,
    covered: &[Leefgebied],
    text_match: bool,
    profile: &Profile,
) -> Vec<String> {
    let mut out = Vec::new();
    if !covered.is_empty() {
        let labels: Vec<&str> = covered
            .iter()
            .map(|l| catalog.taxonomy().label(*l))
            .collect();
        out.push(format!("Helpt bij: {}.", labels.join(", ")));
    }
    if text_match {
        out.push("Sluit aan bij de omschrijving van de hulpvraag.".to_string());
    }
    let tier_reason = match (
        o.ranking_tier()
            .weight()
            .cmp(&profile.recommended_tier.weight()),
        o.ranking_tier(),
    ) {
        (_, Tier::Toegang) if profile.out_of_balance => {
            "Deur naar integrale vraagverheldering: er spelen meerdere of zware problemen."
                .to_string()
        }
        // A crisis-tier line that answers no signal (a listening line): crisis lines
        // themselves carry the reasons of `crisis_first`.
        (_, Tier::Crisis) => {
            "Hulplijn, direct bereikbaar zonder verwijzing: naast de andere hulp.".to_string()
        }
        (std::cmp::Ordering::Greater, _) => {
            format!(
                "Zwaardere hulp ({}): eerst kijken of lichtere hulp genoeg is.",
                o.tier.label()
            )
        }
        (std::cmp::Ordering::Less, _) => {
            format!("Lichte hulp ({}) als aanvulling.", o.tier.label())
        }
        (std::cmp::Ordering::Equal, _) => format!("Passend niveau: {}.", o.tier.label()),
    };
    out.push(tier_reason);
    out.extend(o.historic.as_ref().map(|h| wording::historic(&h.period)));
    out.extend(wording::conditions(&o.eligibility, &[]));
    out.extend(wording::availability(
        o.availability.status,
        o.availability.waiting_weeks,
    ));
    if r.context.can_travel == Some(false) && o.access.contains(&AccessMode::Huisbezoek) {
        out.push(wording::HOME_VISITS.to_string());
    }
    out.push(wording::cost(o.cost).to_string());
    out
}

/// The banner a search page shows when crisis language was found: what was heard and
/// the line to call first. `None` without signals.
pub fn crisis_banner(signals: &[Signal], first: Option<&Offering>) -> Option<String> {
    if signals.is_empty() {
        return None;
    }
    let labels = wording::signal_labels(signals);
    Some(match first.filter(|o| o.is_crisis_line()) {
        Some(o) => format!(
            "Let op: de zoekvraag wijst op {labels}. Veiligheid eerst: verwijs nu naar {}.",
            o.name
        ),
        None => format!("Let op: de zoekvraag wijst op {labels}. Bel bij direct gevaar 112."),
    })
}

fn crisis_reasons(answered: &[Signal], from_text: &[Signal]) -> Vec<String> {
    let labels = wording::signal_labels(answered);
    let mut out = vec![format!("Veiligheid eerst: hulp bij {labels}.")];
    if answered.iter().any(|s| from_text.contains(s)) {
        out.push("Herkend in de omschrijving van de hulpvraag.".to_string());
    }
    out.push("Direct bereikbaar, zonder verwijzing.".to_string());
    out
}

/// The request's domains that `o` helps with.
fn covered_domains(request: &HelpRequest, o: &Offering) -> Vec<Leefgebied> {
    request
        .leefgebieden
        .iter()
        .filter(|d| o.leefgebieden.contains(&d.leefgebied))
        .map(|d| d.leefgebied)
        .collect()
}

/// The leefgebieden of concern (score 3 or lower) that no result in the top five helps
/// with, as a Dutch sentence naming them and the door to ask; `None` when all are
/// covered. The door to ask is one for the gaps ([`door_named`]).
fn uncovered(catalog: &Catalog, request: &HelpRequest, ranked: &[Ranked<'_>]) -> Option<String> {
    let missing: Vec<Leefgebied> = request
        .leefgebieden
        .iter()
        .filter(|d| d.score <= COVERAGE_SCORE)
        .filter(|d| {
            !ranked
                .iter()
                .take(COVERAGE_TOP)
                .any(|r| r.offering.leefgebieden.contains(&d.leefgebied))
        })
        .map(|d| d.leefgebied)
        .collect();
    if missing.is_empty() {
        return None;
    }
    let door = door_named(ranked, &missing)
        .map_or("het sociaal wijkteam of de sociale dienst", |o| {
            o.name.as_str()
        });
    let labels: Vec<&str> = missing
        .iter()
        .map(|l| catalog.taxonomy().label(*l))
        .collect();
    Some(format!(
        "Niet gedekt door de eerste resultaten: {}. Vraag {door} wat daarvoor mogelijk is.",
        labels.join(", ").to_lowercase()
    ))
}

/// Domains at or below this ZRM score must be covered by a result or named as a gap.
const COVERAGE_SCORE: u8 = 3;
/// How many results count for coverage.
const COVERAGE_TOP: usize = 5;

fn advice(
    catalog: &Catalog,
    profile: &Profile,
    signals: &[Signal],
    from_text: &[Signal],
    ranked: &[Ranked<'_>],
) -> String {
    let mut parts = Vec::new();
    if !signals.is_empty() {
        let labels = wording::signal_labels(signals);
        let first = ranked.first().filter(|r| r.offering.is_crisis_line());
        parts.push(match first {
            Some(r) => format!(
                "Veiligheid eerst ({labels}): neem nu contact op met {}.",
                r.offering.name
            ),
            None => format!(
                "Veiligheid eerst ({labels}): de catalogus heeft hiervoor geen crisisaanbod in deze gemeente. Bel bij direct gevaar 112 en schakel het wijkteam of de sociale dienst in."
            ),
        });
        if !from_text.is_empty() {
            parts.push(
                "Dit signaal is herkend in de omschrijving; controleer het met de persoon."
                    .to_string(),
            );
        }
    }
    let door = door_named(ranked, &[]);
    if !signals.is_empty() {
        parts.push(match door {
            Some(d) => format!("Schakel daarna {} in voor verdere hulp.", d.name),
            None => {
                "Schakel daarna het sociaal wijkteam of de sociale dienst in voor verdere hulp."
                    .to_string()
            }
        });
    } else if let Some(reason) = profile.escalation_reason() {
        parts.push(match door {
            Some(d) => format!(
                "{reason} Schakel {} in voor integrale vraagverheldering; lichte hulp kan daarnaast meteen beginnen.",
                d.name
            ),
            None => format!("{reason} Schakel het sociaal wijkteam of de sociale dienst in voor integrale vraagverheldering."),
        });
    } else if let Some(light) = ranked.iter().find(|r| r.offering.tier != Tier::Crisis) {
        parts.push(format!(
            "Begin zo licht als mogelijk: {} ({}). Schaal op als dat niet genoeg blijkt.",
            light.offering.name,
            light.offering.tier.label()
        ));
    }
    let recommended = profile.recommended_tier;
    if !ranked.is_empty()
        && !ranked
            .iter()
            .any(|r| r.offering.ranking_tier() == recommended)
    {
        parts.push(format!(
            "Op het aanbevolen niveau ({}) is voor deze persoon geen passend aanbod gevonden; het sociaal wijkteam of de sociale dienst kan meedenken.",
            recommended.label().to_lowercase()
        ));
    }
    if ranked.iter().all(|r| r.offering.is_crisis_line()) && !profile.out_of_balance {
        parts.push(format!(
            "Er is geen passend aanbod gevonden in {}; vraag het sociaal wijkteam om mee te denken.",
            catalog.name()
        ));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled catalog's offerings `ids`, in that order, as a ranked list.
    fn ranked_ids<'a>(catalog: &'a Catalog, ids: &[&str]) -> Vec<Ranked<'a>> {
        ids.iter()
            .map(|id| Ranked {
                offering: catalog.offerings().iter().find(|o| o.id == *id).unwrap(),
                score: 1.0,
                reasons: Vec::new(),
            })
            .collect()
    }

    /// A maatwerk offering at the head of the list yields its place to the door it is
    /// reached through when that door is within reach; not to a door further down, not
    /// to another door, and nothing moves when a lighter offering leads.
    #[test]
    fn the_door_to_maatwerk_comes_before_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let catalog = Catalog::load(&dir).unwrap();
        let reordered = |ids: &[&str], reach: usize| {
            let mut r = ranked_ids(&catalog, ids);
            door_before_maatwerk(&mut r, reach);
            r.iter()
                .map(|r| r.offering.id.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (dagbesteding, loket) = ("dagbesteding-wmo", "wmo-loket-sdd-wmo-melding");
        let (buddy, wijkteam) = ("buddyzorg-mee-plus", "sociaal-wijkteam-dordrecht-sociaal");
        assert_eq!(
            reordered(&[dagbesteding, buddy, loket], 5),
            format!("{loket} {dagbesteding} {buddy}")
        );
        assert_eq!(
            reordered(&[dagbesteding, buddy, loket], 2),
            format!("{dagbesteding} {buddy} {loket}"),
            "out of reach"
        );
        assert_eq!(
            reordered(&[dagbesteding, wijkteam], 5),
            format!("{dagbesteding} {wijkteam}"),
            "not its door"
        );
        assert_eq!(
            reordered(&[buddy, dagbesteding, loket], 5),
            format!("{buddy} {dagbesteding} {loket}"),
            "a lighter offering leads"
        );
    }

    /// The advice names the door the door rule lifts: a generalist one when the list has
    /// one, even below a specialised door; else a door one can walk into; else the first
    /// door to specialist help, also one reached by referral.
    #[test]
    fn the_door_named_is_the_generalist_one_when_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let catalog = Catalog::load(&dir).unwrap();
        let ranked = |ids: &[&str]| ranked_ids(&catalog, ids);
        let named = |ids: &[&str]| door_named(&ranked(ids), &[]).map(|o| o.id.clone());
        let wijkteam = "sociaal-wijkteam-dordrecht-sociaal";
        assert_eq!(
            named(&["sdd-schuldhulpverlening", wijkteam]).as_deref(),
            Some(wijkteam)
        );
        assert_eq!(
            named(&[
                "regionaal-bureau-zelfstandigen-rbz",
                "leerwerkloket-regionaal-werkcentrum"
            ])
            .as_deref(),
            Some("leerwerkloket-regionaal-werkcentrum"),
            "a door one can walk into before one reached by referral"
        );
        assert_eq!(
            named(&["regionaal-bureau-zelfstandigen-rbz"]).as_deref(),
            Some("regionaal-bureau-zelfstandigen-rbz")
        );
        assert_eq!(named(&[]), None);
    }

    /// A gap in the list is sent to a door for everyone's whole question, or to a door
    /// for the gap; never to a door for another need and group.
    #[test]
    fn a_gap_is_sent_to_a_door_for_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let catalog = Catalog::load(&dir).unwrap();
        let ranked = |ids: &[&str]| ranked_ids(&catalog, ids);
        let mut carer = HelpRequest::default();
        carer.leefgebieden.push(crate::domain::DomainScore {
            leefgebied: Leefgebied::Mantelzorg,
            score: 2,
        });
        let gap = |ids: &[&str]| uncovered(&catalog, &carer, &ranked(ids)).unwrap();
        let youth = ["jongerenwerk", "matchmakers"];
        assert!(
            gap(&youth).ends_with(
                "Vraag het sociaal wijkteam of de sociale dienst wat daarvoor mogelijk is."
            ),
            "{}",
            gap(&youth)
        );
        let wijkteam = "sociaal-wijkteam-dordrecht-sociaal";
        assert!(
            gap(&["matchmakers", "jongerenwerk", wijkteam])
                .contains("Vraag Sociaal wijkteam Dordrecht Sociaal wat"),
            "a door for everyone, though lower in the list"
        );
        let mut idle = HelpRequest::default();
        idle.leefgebieden.push(crate::domain::DomainScore {
            leefgebied: Leefgebied::WerkOpleiding,
            score: 2,
        });
        let light = [
            "valpreventie",
            "kansrijke-start",
            "homestart",
            "schuldhulpmaatje",
            "de-luisterlijn",
        ];
        let list = ranked(&[&light[..], &["matchmakers"]].concat());
        let advice = uncovered(&catalog, &idle, &list).unwrap();
        assert!(
            advice.contains("Vraag MatchMakers wat"),
            "a door for the gap: {advice}"
        );
        assert!(
            uncovered(&catalog, &idle, &ranked(&["matchmakers"])).is_none(),
            "covered by MatchMakers"
        );
    }

    /// Ordering only the contenders gives the same first places as ordering everything:
    /// random scores (coarse, so ties and near-ties are common) over the bundled
    /// catalog's offerings, doors lifted or not, a door put before its maatwerk, every
    /// short limit.
    #[test]
    fn ordering_the_contenders_gives_the_first_places_of_ordering_all() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let catalog = Catalog::load(&dir).unwrap();
        let offerings = catalog.offerings();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut cut_some = 0;
        for round in 0..2_000 {
            let t = Tunables {
                comparable_margin: [0.0, 0.1, 0.3][round % 3],
                ..DEFAULT_TUNABLES
            };
            let results: Vec<Ranked<'_>> = (0..1 + next(60))
                .map(|_| Ranked {
                    offering: &offerings[next(offerings.len() as u64) as usize],
                    score: (1 + next(40)) as f64 / 40.0,
                    reasons: Vec::new(),
                })
                .collect();
            let limit = next(12) as usize;
            let door_at = [None, Some(0), Some(2)][round / 3 % 3];
            let ranked = |mut r: Vec<Ranked<'_>>, cut: bool| {
                if cut {
                    keep_contenders(&mut r, limit.max(t.door_reach), &t);
                }
                order(&mut r, &t);
                if let Some(at) = door_at {
                    lift_door(&mut r, at);
                }
                door_before_maatwerk(&mut r, t.door_reach);
                r.truncate(limit);
                r.iter()
                    .map(|x| (x.offering.id.clone(), x.score))
                    .collect::<Vec<_>>()
            };
            let mut kept = results.clone();
            keep_contenders(&mut kept, limit, &t);
            cut_some += usize::from(kept.len() < results.len());
            assert_eq!(
                ranked(results.clone(), true),
                ranked(results, false),
                "round {round}, limit {limit}"
            );
        }
        assert!(
            cut_some > 500,
            "the cut left out results in {cut_some} rounds"
        );
    }
}

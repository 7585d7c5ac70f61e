//! Resolution: from one article's mentions (event triggers, places, actors,
//! dates, counts) to its events, with one event per act, canonical places
//! and actors, and stable ids.
//!
//! The steps, in order:
//! 1. every clause that reports an act becomes a candidate with the places,
//!    date, counts and actors found inside it;
//! 2. candidates that report the same act are merged: an anaphor ("the
//!    clashes") or a bare toll joins the act it refers back to; a mention of
//!    the same kind of act at a compatible place and date joins it too;
//! 3. each merged event takes the most specific place its mentions name
//!    (else the place of the sentence or paragraph around it), the most
//!    exact date, and the best fatality count of its mentions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::extract::actor::{ActorMention, ActorRole, Actors, Adversary, Role};
use crate::extract::count::{CountKind, CountMention, Qualifier, best_killed};
use crate::extract::date::{DateMention, DatePrecision, Dates};
use crate::extract::event::{EventMention, Modality, territory_sub_event};
use crate::extract::place::{Location, PlaceMention};
use crate::model::{CleanDoc, Sentence, window_after, window_before};
use crate::pipeline::Lexicon;
use crate::tables::rows::{
    ActorRow, ArticleRow, EventActorRow, EventLocationRow, EventMentionRow, EventRow, LocationRow,
};
use crate::typology::{POLITICAL_VIOLENCE, VIOLENCE_AGAINST_CIVILIANS};

/// Everything one article contributes to the dataset.
#[derive(Debug, Clone)]
pub struct ArticleOutput {
    pub article: ArticleRow,
    pub events: Vec<EventRow>,
    pub mentions: Vec<EventMentionRow>,
    pub event_actors: Vec<EventActorRow>,
    pub event_locations: Vec<EventLocationRow>,
    pub actors: Vec<ActorRow>,
    pub locations: Vec<LocationRow>,
}

impl ArticleOutput {
    /// Gives the article a new id, and its events ids derived from it.
    pub fn rekey(&mut self, article_id: &str) {
        let mut events = BTreeMap::new();
        for e in &mut self.events {
            let new = stable_id("e", &[&e.event_id, article_id]);
            events.insert(e.event_id.clone(), new.clone());
            e.event_id = new;
            e.article_id = article_id.to_string();
        }
        let map = |id: &mut String| {
            if let Some(new) = events.get(id.as_str()) {
                *id = new.clone();
            }
        };
        self.mentions.iter_mut().for_each(|m| map(&mut m.event_id));
        self.event_actors
            .iter_mut()
            .for_each(|a| map(&mut a.event_id));
        self.event_locations
            .iter_mut()
            .for_each(|l| map(&mut l.event_id));
        self.article.article_id = article_id.to_string();
    }
}

/// A stable id: a prefix and the first 16 hex digits of the SHA-256 of `parts`.
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    let mut id = String::with_capacity(prefix.len() + 16);
    id.push_str(prefix);
    id.push_str(&hex::encode(&digest[..8]));
    id
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The row id of a location.
pub fn location_id(loc: &Location) -> String {
    stable_id(
        "l",
        &[
            &loc.name,
            loc.admin1.as_deref().unwrap_or(""),
            &loc.country,
            loc.precision,
        ],
    )
}

/// The row of a place mention's location.
pub fn location_row(mention: &PlaceMention) -> LocationRow {
    let loc = &mention.location;
    LocationRow {
        location_id: location_id(loc),
        name: loc.name.clone(),
        admin1: loc.admin1.clone(),
        admin2: loc.admin2.clone(),
        country: loc.country.clone(),
        latitude: loc.latitude,
        longitude: loc.longitude,
        feature: loc.feature.clone(),
        precision: loc.precision,
        geonames_id: loc.geonames_id,
        gazetteer_id: mention.gazetteer_id.clone(),
        gazetteer_source: loc.source.clone(),
    }
}

/// How specific a location's precision is (higher is more specific).
fn specificity(loc: &Location) -> u8 {
    match loc.precision {
        "place" => 4,
        "region" => 3,
        "admin2" => 2,
        "admin1" => 1,
        _ => 0,
    }
}

/// How well a place mention locates an act: precision first, then a
/// gazetteer entry over a name known only from the text, then the smaller
/// settlement (a village is more exact than a city), then the earlier mention.
/// A city that only locates another place counts as no settlement: "Eastern
/// Ghouta near Damascus" is in the region, "near the village of Balyun, in
/// the area south of Idlib" still in the village.
fn place_rank(p: &PlaceMention) -> (u8, bool, u8, std::cmp::Reverse<usize>) {
    let settlement = match p.location.feature.as_str() {
        "village" | "neighbourhood" | "neighborhood" | "suburb" | "camp" => 3,
        "town" | "mountain" | "area" => 2,
        "city" if !p.context_only => 1,
        _ => 0,
    };
    (
        p.specificity.min(specificity(&p.location)),
        p.location.source.as_deref() != Some("text"),
        settlement,
        std::cmp::Reverse(p.span.start),
    )
}

/// One clause that reports an act, with what was found inside it.
#[derive(Debug, Clone)]
struct Candidate<'p> {
    mention: EventMention,
    sentence: usize,
    /// The trigger is a definite description ("The fighting ... in Haffa"):
    /// it may name a nearer place for the act just reported.
    definite: bool,
    /// The clause reports a further act ("Gunmen also attacked ...",
    /// "another air strike", "Separately, ..."), not more of one before.
    additional: bool,
    /// Places named inside the clause, most specific first (borrowed from
    /// the article's place mentions: a candidate is made per trigger).
    places: Vec<&'p PlaceMention>,
    /// The place taken from the sentence or paragraph around the clause.
    context_place: Option<&'p PlaceMention>,
    date: Option<DateMention>,
    counts: Vec<CountMention>,
    roles: Vec<ActorRole>,
}

impl<'p> Candidate<'p> {
    fn place(&self) -> Option<&'p PlaceMention> {
        self.places.first().copied()
    }

    /// The clause dates the act more than a year before publication ("the
    /// uprising of 1982", "sarin was used in Ghouta in 2013"): history the
    /// article recalls, not an act it reports. A period "since 2011" is an
    /// aggregate instead, and an undated article has no history.
    fn is_history(&self, published: Option<NaiveDate>) -> bool {
        self.date.as_ref().is_some_and(|d| {
            let last = d.end.or(d.start);
            !d.since
                && self.mention.clause.overlaps(d.span)
                && matches!((published, last), (Some(p), Some(l)) if (p - l).num_days() > HISTORY_DAYS)
        })
    }

    /// An earlier act recalled as the setting of the news, in a temporal
    /// clause dated by a period, not a day: "the villages were the latest
    /// targets ... after troops captured the town of Yabroud earlier this
    /// month", "clashes broke out, weeks after rebels seized the base last
    /// month". The act the sentence reports is the main clause's.
    fn is_context(&self, body: &str, sentence: &Sentence) -> bool {
        let period = self
            .date
            .as_ref()
            .is_some_and(|d| !d.since && d.period && self.mention.clause.overlaps(d.span));
        period && after_clause(body, sentence.span.start, self.mention.trigger.start)
    }

    /// A mention that only tallies victims ("19 jihadists and 16 soldiers
    /// were killed, the report said") and names no place of its own.
    fn refers_back(&self) -> bool {
        self.mention.toll_only && self.places.is_empty()
    }

    /// A mention that names the act only generically ("a renewed assault",
    /// "more heavy fighting"): the specific act reported beside it is the event.
    fn generic(&self) -> bool {
        self.mention.family == "any" || self.mention.toll_only
    }
}

/// An event under construction: merged candidates.
#[derive(Debug, Clone)]
struct Draft<'p> {
    members: Vec<Candidate<'p>>,
}

impl<'p> Draft<'p> {
    /// Only definite generic words ("the attack", "the operation") with no
    /// place and no count of their own: a reference to an act, which says
    /// nothing of it that could make an event.
    fn stray_reference(&self) -> bool {
        self.members.iter().all(|c| {
            (c.definite || c.mention.anaphoric)
                && c.mention.family == "any"
                && !c.mention.toll_only
                && c.places.is_empty()
                && c.counts.is_empty()
        })
    }

    fn first(&self) -> &Candidate<'p> {
        &self.members[0]
    }

    fn event_type(&self) -> &'static str {
        self.head().mention.event_type
    }

    /// The mention that decides the event's type: the most confident, and
    /// of equal confidence the first (a specific act beats a generic one).
    fn head(&self) -> &Candidate<'p> {
        self.members
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| {
                (!a.generic(), !a.mention.anaphoric, a.mention.confidence)
                    .partial_cmp(&(!b.generic(), !b.mention.anaphoric, b.mention.confidence))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(j.cmp(i))
            })
            .map_or(&self.members[0], |(_, c)| c)
    }

    /// Every member is generic: the draft waits for the specific act.
    fn generic_only(&self) -> bool {
        self.members.iter().all(Candidate::generic)
    }

    /// The most specific place named by the event's own mentions.
    fn place(&self) -> Option<&'p PlaceMention> {
        self.members
            .iter()
            .flat_map(|c| c.places.first().copied())
            .max_by_key(|p| place_rank(p))
    }

    fn date(&self) -> Option<&DateMention> {
        self.members
            .iter()
            .filter_map(|c| c.date.as_ref())
            .filter(|d| d.start.is_some())
            .min_by_key(|d| (d.precision, d.span.start))
            .or_else(|| self.members.iter().find_map(|c| c.date.as_ref()))
    }

    fn last_sentence(&self) -> usize {
        self.members.last().map_or(0, |c| c.sentence)
    }
}

/// True when two places can name the same act's location: equal, or one
/// lies in the other's governorate at a coarser precision, or one is the
/// whole country.
fn places_compatible(a: &Location, b: &Location) -> bool {
    if a.name == b.name && a.admin1 == b.admin1 {
        return true;
    }
    let (fine, coarse) = if specificity(a) >= specificity(b) {
        (a, b)
    } else {
        (b, a)
    };
    if coarse.precision == "country" {
        return coarse.country == fine.country;
    }
    // A governorate or district contains its places; a named region
    // ("northern Latakia") is an act's own place, not a container.
    matches!(coarse.precision, "admin1" | "admin2")
        && specificity(coarse) < specificity(fine)
        && coarse.admin1.is_some()
        && coarse.admin1 == fine.admin1
}

/// True when one place is a quarter and the other a city of its
/// governorate: "mortar shells slammed into Damascus" and "the Shaghour
/// neighbourhood in Damascus" may be one act's places when told close
/// together. Not anywhere in an article: a report on Aleppo names the city
/// beside acts in many of its quarters. A part of the city named as a
/// region ("central Damascus") is not the city here.
fn quarter_and_city(a: &Location, b: &Location) -> bool {
    let quarter_of = |q: &Location, city: &Location| {
        q.feature == "neighbourhood"
            && city.feature == "city"
            && city.precision == "place"
            && city.admin1.is_some()
            && city.admin1 == q.admin1
    };
    quarter_of(a, b) || quarter_of(b, a)
}

/// A looser test for anaphors ("the fighting in the area of Haffa"), which
/// may name a nearby place for an act already placed: same governorate.
fn places_near(a: &Location, b: &Location) -> bool {
    places_compatible(a, b) || (a.admin1.is_some() && a.admin1 == b.admin1)
}

fn dates_compatible(a: Option<&DateMention>, b: Option<&DateMention>) -> bool {
    match (
        a.and_then(|d| d.start.zip(d.end)),
        b.and_then(|d| d.start.zip(d.end)),
    ) {
        (Some((s1, e1)), Some((s2, e2))) => s1 <= e2 && s2 <= e1,
        _ => true,
    }
}

/// The name of the first actor with `role` in a draft or candidate.
fn actor_with(roles: &[ActorRole], role: Role) -> Option<&str> {
    roles
        .iter()
        .find(|r| r.role == role)
        .map(|r| r.actor.name.as_str())
}

/// Two mentions whose acting sides are named and differ report different
/// acts. In a battle both sides fight, so either may be named first. A
/// generic fighter noun and a named group of its side do not differ
/// ([`Actors::one_side`]).
fn actors_conflict(draft: &Draft, cand: &Candidate, actors: &Actors) -> bool {
    let Some(theirs) = actor_with(&cand.roles, Role::Actor1) else {
        return false;
    };
    let battle = cand.mention.event_type == "Battles";
    let ours: Vec<&str> = draft
        .members
        .iter()
        .flat_map(|c| c.roles.iter())
        .filter(|r| r.role == Role::Actor1 || (battle && r.role == Role::Actor2))
        .map(|r| r.actor.name.as_str())
        .collect();
    !ours.is_empty()
        && !ours
            .iter()
            .any(|&o| o == theirs || actors.one_side(o, theirs))
}

/// An undated act reported first is the news (of the days before
/// `anchor`, the day the text counts from); a later mention dated well
/// before that recalls an earlier act, even of the same kind at the same
/// place: "suicide bombers struck the shrine ... A string of bombings near
/// the shrine in February left 134 dead". Mentions dated close to the
/// anchor may still be the news itself.
fn recalls_earlier(
    draft_date: Option<&DateMention>,
    cand: &Candidate,
    anchor: Option<NaiveDate>,
) -> bool {
    let recalled = cand
        .date
        .as_ref()
        .and_then(|d| d.end.or(d.start))
        .zip(anchor)
        .is_some_and(|(end, anchor)| (anchor - end).num_days() > NEWS_DAYS);
    recalled && draft_date.is_none_or(|d| d.start.is_none())
}

/// A generic definite reference ("the attack", "the operation") names the
/// act of political violence reported just before it (within
/// `ANY_REFERENCE_GAP` sentences), whatever its type: "A car bomb exploded
/// in Azaz. The attack killed 20 civilians." Farther on it names the latest
/// act of its own type; a deal or a protest it never names.
fn refers_to_any(cand: &Candidate, draft: &Draft, gap: usize) -> bool {
    cand.mention.generic_reference
        && gap <= ANY_REFERENCE_GAP
        && POLITICAL_VIOLENCE.contains(&draft.event_type())
}

/// In how many governorates one clause's acts are at least a summary of
/// several acts (an aggregate), not one act.
const SUMMARY_GOVERNORATES: usize = 3;

/// How many sentences apart a quarter and its city may still place one
/// act ([`quarter_and_city`]).
const QUARTER_GAP: usize = 2;

/// Whether `cand` reports the act of `draft`; `anchor` is the day the
/// article's text counts from.
fn same_act(draft: &Draft, cand: &Candidate, anchor: Option<NaiveDate>, actors: &Actors) -> bool {
    if draft.first().mention.aggregate != cand.mention.aggregate {
        return false;
    }
    let draft_date = draft.date();
    if !dates_compatible(draft_date, cand.date.as_ref())
        || recalls_earlier(draft_date, cand, anchor)
    {
        return false;
    }
    let gap = cand.sentence.saturating_sub(draft.last_sentence());
    let same_type = draft.event_type() == cand.mention.event_type;
    let same_sub = draft.head().mention.sub_event_type == cand.mention.sub_event_type;
    let (near, compatible) = match (draft.place(), cand.place()) {
        (Some(a), Some(b)) => (
            places_near(&a.location, &b.location),
            places_compatible(&a.location, &b.location)
                || (gap <= QUARTER_GAP && quarter_and_city(&a.location, &b.location)),
        ),
        _ => (true, true),
    };
    let context_ok = match (
        draft.members.iter().find_map(|c| c.context_place),
        cand.place(),
    ) {
        (Some(a), Some(b)) => places_compatible(&a.location, &b.location),
        _ => true,
    };
    if cand.definite && !cand.mention.anaphoric && same_type && gap <= 2 && near {
        return true;
    }
    // "the blast", "Saturday's bombing" far from the act it names: a
    // definite description that says nothing of its own (no place, no
    // count, no other side) is the latest act of its type.
    if cand.definite
        && same_type
        && cand.places.is_empty()
        && cand.counts.is_empty()
        && !actors_conflict(draft, cand, actors)
    {
        return true;
    }
    // "the attack" right after an act of another type ("A car bomb killed
    // 34 ... More than 50 were wounded in the attack") is that act; so is
    // "Tuesday's massacre" after the strike that killed them.
    if cand.definite && (cand.mention.family == "any" || cand.mention.names_any) && gap <= 1 && near
    {
        return true;
    }
    if cand.mention.anaphoric {
        // "the clashes", "the villages fell": the act reported shortly
        // before; one that names a place of its own must fit the place
        // around that act when the act names none. "The attack" names an
        // act of any type: the one just reported.
        let placed_ok = draft.place().is_some() || cand.place().is_none() || context_ok;
        let type_ok = same_type || refers_to_any(cand, draft, gap);
        return gap <= 5 && type_ok && near && placed_ok;
    }
    if cand.refers_back() || (cand.generic() && cand.places.is_empty()) {
        // A bare toll or a generic word for the act just reported.
        return gap <= 2 && near;
    }
    if actors_conflict(draft, cand, actors) || cand.additional {
        return false;
    }
    if draft.generic_only() {
        // "launched a renewed assault on Homs ... airstrikes fell on the
        // villages of X"; but "12 fighters were killed in Douma. Shelling
        // killed 30 in Harasta" are two acts.
        let tolls = draft.members.iter().all(|c| c.mention.toll_only);
        return gap <= 2 && if tolls { compatible } else { near };
    }
    let territorial = |sub: &str| {
        matches!(
            sub,
            "Government regains territory" | "Non-state actor overtakes territory"
        )
    };
    let capture_fight = same_type
        && (territorial(draft.head().mention.sub_event_type)
            || territorial(cand.mention.sub_event_type))
        && gap <= 2;
    if capture_fight && compatible && draft.place().is_some() && cand.place().is_some() {
        // The fighting over a place and its capture are one act.
        return true;
    }
    if same_sub && compatible && draft.place().is_some() && cand.place().is_some() {
        // The same kind of act at the same place, anywhere in the article.
        return true;
    }
    // An elaboration close by with no place of its own ("Two missiles hit
    // the centre"); a little further when the place around it is the act's.
    let around_is_act_place = match (draft.place(), cand.context_place) {
        (Some(a), Some(b)) => places_compatible(&a.location, &b.location),
        _ => false,
    };
    // A placeless act and the next one of its kind by the same named actor
    // ("Turkey responded with drone strikes ... soldiers were killed in
    // Turkish drone strikes around Saraqeb"), even when the place around
    // the first is another.
    let same_actor = || {
        actor_with(&cand.roles, Role::Actor1).is_some_and(|theirs| {
            draft
                .members
                .iter()
                .any(|c| actor_with(&c.roles, Role::Actor1) == Some(theirs))
        })
    };
    // Harm done to civilians in two ways ("kidnapped 900 people ... also
    // executed 18 civilians") is two acts; two weapons of one bombardment
    // ("air strikes ... two missiles hit the centre") are one.
    let elaborates = same_type && (same_sub || draft.event_type() != VIOLENCE_AGAINST_CIVILIANS);
    (elaborates && cand.place().is_none() && (gap <= 3 || (gap <= 5 && around_is_act_place)))
        || (same_sub && draft.place().is_none() && gap <= 2 && (context_ok || same_actor()))
}

/// An anaphor or generic mention that opens an article ("There has been
/// more heavy fighting ...") has nothing before it to refer to: it joins
/// the next act of its type reported within two sentences, unless the two
/// name places in different governorates.
fn adopt_orphans(drafts: Vec<Draft>) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::with_capacity(drafts.len());
    let mut pending: Option<Draft> = None;
    for mut draft in drafts {
        if let Some(orphan) = pending.take() {
            let gap = draft
                .first()
                .sentence
                .saturating_sub(orphan.last_sentence());
            // An orphan placed elsewhere is an act of its own: "The army
            // repelled an attack on its post in Assal al-Ward ... The army
            // took al-Masasneh village in Hama".
            let near = match (orphan.place(), draft.place()) {
                (Some(a), Some(b)) => places_near(&a.location, &b.location),
                _ => true,
            };
            let fits = gap <= 2
                && near
                && orphan.event_type() == draft.event_type()
                && orphan.first().mention.aggregate == draft.first().mention.aggregate;
            if fits {
                let mut members = orphan.members;
                members.append(&mut draft.members);
                draft.members = members;
            } else {
                out.push(orphan);
            }
        }
        let orphan = draft
            .members
            .iter()
            .all(|c| c.mention.anaphoric || c.generic());
        if orphan && out.iter().all(|d| d.event_type() != draft.event_type()) {
            pending = Some(draft);
        } else {
            out.push(draft);
        }
    }
    out.extend(pending);
    out
}

/// A count of the dead, or of the dead and wounded together.
fn counts_dead(c: &CountMention) -> bool {
    matches!(c.kind, CountKind::Killed | CountKind::KilledOrInjured)
}

/// A count of no one dead ("no one was killed", "No casualties were
/// reported") and none of anyone dead.
fn counts_none_dead<'a>(counts: impl Iterator<Item = &'a CountMention> + Clone) -> bool {
    let mut dead = counts.filter(|c| counts_dead(c));
    dead.clone().any(|c| c.value == Some(0)) && dead.all(|c| c.value == Some(0))
}

fn best_injured(counts: &[CountMention]) -> Option<i64> {
    counts
        .iter()
        .filter(|c| c.kind == CountKind::Injured)
        .filter_map(|c| c.value)
        .max()
}

/// True when the act's reports say it killed no one: a count of no one
/// dead in them or in the sentences after them (`said_after`), or a count
/// of wounded in sentences that name no death at all.
fn none_dead(
    draft: &Draft,
    said_after: bool,
    sentences: &[Sentence],
    body: &str,
    lex: &Lexicon,
) -> bool {
    let counts = || draft.members.iter().flat_map(|c| c.counts.iter());
    if counts().any(|c| counts_dead(c) && c.value != Some(0)) {
        return false;
    }
    if said_after || counts_none_dead(counts()) {
        return true;
    }
    // "The strikes also wounded more than 60 people": wounded besides dead
    // reported elsewhere.
    let besides = |c: &CountMention| {
        [
            window_before(body, c.span.start, 30),
            c.span.text(body),
            window_after(body, c.span.end, 30),
        ]
        .iter()
        .flat_map(|part| part.split(|ch: char| !ch.is_alphanumeric()))
        .any(|w| w.eq_ignore_ascii_case("also"))
    };
    let mut wounded = counts().filter(|c| c.kind == CountKind::Injured).peekable();
    wounded.peek().is_some()
        && !wounded.any(besides)
        && !draft.members.iter().any(|c| {
            sentences
                .get(c.sentence)
                .is_none_or(|s| lex.counts.names_death(s.span.text(body)))
        })
}

/// Resolves one cleaned, segmented article into its rows.
pub fn article(doc: CleanDoc, sentences: &[Sentence], lex: &Lexicon) -> ArticleOutput {
    let acts = acts(&doc, sentences, lex);
    let found = if reports_acts(&acts) {
        Found::searched(&doc, sentences, acts, lex)
    } else {
        Found::nothing(acts)
    };
    assemble(doc, sentences, found, lex)
}

/// Resolves a run of articles: the same rows as [`article`] gives for each,
/// in order, but each extractor reads the whole run before the next one
/// starts. An extractor's automata, lazy-DFA caches and dictionaries then
/// stay in the CPU caches for the run instead of being pushed out by the
/// other extractors after every article, which costs a build a fifth or
/// more of its CPU time (more when two workers share the caches).
///
/// The acts come first: an article that reports none gets no rows but its
/// own, so its places, actors and dates are not looked for.
pub fn articles(docs: Vec<(CleanDoc, Vec<Sentence>)>, lex: &Lexicon) -> Vec<ArticleOutput> {
    let acts: Vec<_> = docs.iter().map(|(d, s)| acts(d, s, lex)).collect();
    let places = where_reported(&docs, &acts, |d, s| lex.places.extract(d, s));
    let actors = where_reported(&docs, &acts, |d, s| lex.actors.extract(d, s));
    let dates = where_reported(&docs, &acts, |d, _| lex.dates.extract(&d.body, d.published));
    docs.into_iter()
        .zip(places.into_iter().zip(actors))
        .zip(dates.into_iter().zip(acts))
        .map(|(((doc, sentences), (places, actors)), (dates, acts))| {
            let found = Found {
                places,
                actors,
                dates,
                acts,
            };
            assemble(doc, &sentences, found, lex)
        })
        .collect()
}

/// What the extractors found in one article.
struct Found {
    places: Vec<PlaceMention>,
    actors: Vec<ActorMention>,
    dates: Vec<DateMention>,
    /// The acts each sentence reports, by sentence.
    acts: Vec<Vec<EventMention>>,
}

impl Found {
    /// The acts of an article with its places, actors and dates.
    fn searched(
        doc: &CleanDoc,
        sentences: &[Sentence],
        acts: Vec<Vec<EventMention>>,
        lex: &Lexicon,
    ) -> Found {
        Found {
            places: lex.places.extract(doc, sentences),
            actors: lex.actors.extract(doc, sentences),
            dates: lex.dates.extract(&doc.body, doc.published),
            acts,
        }
    }

    /// What an article that reports no act needs: its (empty) acts alone.
    fn nothing(acts: Vec<Vec<EventMention>>) -> Found {
        Found {
            places: Vec::new(),
            actors: Vec::new(),
            dates: Vec::new(),
            acts,
        }
    }
}

/// True when some sentence reports an act: only then can an article have
/// events, and only events use its places, actors and dates.
fn reports_acts(acts: &[Vec<EventMention>]) -> bool {
    acts.iter().any(|a| !a.is_empty())
}

/// What `extract` finds in each article that reports an act (by `acts`,
/// article by article); nothing for the others.
fn where_reported<T>(
    docs: &[(CleanDoc, Vec<Sentence>)],
    acts: &[Vec<Vec<EventMention>>],
    extract: impl Fn(&CleanDoc, &[Sentence]) -> Vec<T>,
) -> Vec<Vec<T>> {
    docs.iter()
        .zip(acts)
        .map(|((doc, sentences), acts)| {
            if reports_acts(acts) {
                extract(doc, sentences)
            } else {
                Vec::new()
            }
        })
        .collect()
}

fn acts(doc: &CleanDoc, sentences: &[Sentence], lex: &Lexicon) -> Vec<Vec<EventMention>> {
    let mut acts: Vec<Vec<EventMention>> = sentences
        .iter()
        .map(|s| lex.triggers.detect(&doc.body, s))
        .collect();
    crate::extract::event::in_air_war(&mut acts);
    acts
}

/// From the mentions found in an article to its rows.
fn assemble(doc: CleanDoc, sentences: &[Sentence], found: Found, lex: &Lexicon) -> ArticleOutput {
    let article_row = article_row(&doc, sentences);
    let body = doc.body.as_str();
    // The day the text counts from: the page date it opens with, else
    // the published date (see `DateMention::page`).
    let anchor = found
        .dates
        .iter()
        .find(|d| d.page)
        .and_then(|d| d.start)
        .or(doc.published);
    let Found {
        mut places,
        actors: actor_mentions,
        dates,
        acts,
    } = found;
    // For an undated article, the era its words place it in decides which
    // actor a time-dependent name ("government forces") means.
    let era = anchor.or_else(|| lex.actors.infer_era(body));
    // Only Syrian places locate an act. A sentence that places something
    // abroad ("the front south of Kirkuk", "in Sidon") and names no place
    // in Syria reports acts abroad; a place abroad where someone spoke
    // ("the defence ministry in Moscow said") places no act, nor does a
    // dateline ("ANKARA/BEIRUT —", context only).
    let abroad = |s: &Sentence| {
        let here = || {
            places
                .iter()
                .filter(|p| s.span.start <= p.span.start && p.span.end <= s.span.end)
        };
        let located: Vec<&PlaceMention> = here()
            .filter(|p| lex.places.locates_abroad(body, p) && !lex.actors.says(body, p.span.end))
            .collect();
        // A Syrian namesake named as a part of the place abroad ("al-Jadida
        // neighbourhood in western Mosul") places nothing in Syria.
        !located.is_empty()
            && !here().any(|p| {
                p.location.country == "SY" && !located.iter().any(|q| lex.places.within(body, p, q))
            })
    };
    let sentences_abroad: Vec<bool> = sentences
        .iter()
        .zip(&acts)
        .map(|(s, acts)| !acts.is_empty() && abroad(s))
        .collect();
    places.retain(|p| p.location.country == "SY");

    let mut candidates = Vec::new();
    for (((i, sentence), acts), abroad) in
        sentences.iter().enumerate().zip(acts).zip(sentences_abroad)
    {
        if abroad {
            continue;
        }
        for mention in acts {
            let cand = candidate(
                mention,
                i,
                sentence,
                sentences,
                &places,
                &dates,
                &actor_mentions,
                body,
                era,
                lex,
            );
            if !cand.is_history(anchor) && !cand.is_context(body, sentence) {
                candidates.push(cand);
            }
        }
    }

    let mut reports_act = vec![false; sentences.len()];
    for c in &candidates {
        if let Some(r) = reports_act.get_mut(c.sentence) {
            *r = true;
        }
    }
    let trace = lex.trace_resolve;
    let mut drafts: Vec<Draft> = Vec::new();
    for cand in candidates {
        if trace {
            eprintln!(
                "cand s{} {} fam={} generic={} toll={} ana={} place={:?} ctx={:?} roles={:?} :: {}",
                cand.sentence,
                cand.mention.sub_event_type,
                cand.mention.family,
                cand.generic(),
                cand.mention.toll_only,
                cand.mention.anaphoric,
                cand.place()
                    .map(|p| (&p.location.name, &p.location.admin1, p.location.precision)),
                cand.context_place.map(|p| &p.location.name),
                cand.roles
                    .iter()
                    .map(|r| (r.role.as_str(), r.actor.name.as_str()))
                    .collect::<Vec<_>>(),
                cand.mention.clause.text(body)
            );
        }
        // Search the acts most recently reported first; an anaphor refers to
        // the latest act of its type, or to none.
        let mut order: Vec<usize> = (0..drafts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse((drafts[i].last_sentence(), i)));
        let referent = |i: &usize| {
            let d = &drafts[*i];
            let gap = cand.sentence.saturating_sub(d.last_sentence());
            !cand.mention.anaphoric
                || d.event_type() == cand.mention.event_type
                || refers_to_any(&cand, d, gap)
        };
        let take = if cand.mention.anaphoric {
            1
        } else {
            usize::MAX
        };
        let found = order
            .into_iter()
            .filter(referent)
            .take(take)
            .find(|&i| same_act(&drafts[i], &cand, anchor, &lex.actors));
        match found.map(|i| &mut drafts[i]) {
            Some(draft) => draft.members.push(cand),
            None => drafts.push(Draft {
                members: vec![cand],
            }),
        }
    }

    let mut drafts = adopt_orphans(drafts);
    // "A US official said the attack appeared to be the work of the
    // government", sentences after the act: a reference that joined no act
    // is still no new one.
    if drafts.iter().any(|d| !d.stray_reference()) {
        drafts.retain(|d| !d.stray_reference());
    }

    let mut out = ArticleOutput {
        article: article_row,
        events: Vec::new(),
        mentions: Vec::new(),
        event_actors: Vec::new(),
        event_locations: Vec::new(),
        actors: Vec::new(),
        locations: Vec::new(),
    };
    let mut used_ids: BTreeMap<String, usize> = BTreeMap::new();
    for draft in &drafts {
        // "... struck an area next to the palace. Israel said the strike was
        // a message. No casualties were reported.": the next two sentences,
        // up to one that reports an act.
        let after = draft.last_sentence() + 1;
        let said_after = (after..after + 2)
            .take_while(|&i| !reports_act.get(i).copied().unwrap_or(true))
            .filter_map(|i| sentences.get(i))
            .any(|s| counts_none_dead(lex.counts.extract(body, s.span).iter()));
        let none_dead = none_dead(draft, said_after, sentences, body, lex);
        let days = Days { anchor, era };
        emit(draft, none_dead, body, lex, days, &mut out, &mut used_ids);
    }
    out.article.n_events = out.events.len() as i64;
    out
}

/// True when the trigger is a noun after "the" or a weekday's possessive
/// ("The fighting", "the clashes", "Saturday's bombing", and "Saturdays
/// bombing" with its apostrophe lost).
fn definite_description(body: &str, trigger: crate::model::Span, dates: &Dates) -> bool {
    let before = body.get(..trigger.start).unwrap_or("");
    let word = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
        .next()
        .unwrap_or("");
    let noun = body
        .get(trigger.start..trigger.end)
        .is_some_and(|t| !t.ends_with("ed") && !t.contains(' ') || t.ends_with("ing"));
    let weekday_possessive = || {
        ["'s", "’s", "s"]
            .iter()
            .find_map(|s| word.strip_suffix(s))
            .is_some_and(|day| dates.is_weekday(day))
    };
    noun && (word.eq_ignore_ascii_case("the") || weekday_possessive())
}

/// Drops the counts of a clause that are running totals ("... killed seven
/// civilians, and that 23 SDF fighters had been killed since the operation
/// began"): a count with "since" after it, within 60 bytes (some eight
/// words) and the clause, and no other count between, that stands in a
/// clause of its own after another count ("and that", ";", "while"). The
/// sums that added them go too, and the parts they summed stand alone
/// again. A clause whose counts are all running totals keeps them (the act
/// is an aggregate then).
fn without_running_totals(
    counts: Vec<CountMention>,
    body: &str,
    clause: crate::model::Span,
) -> Vec<CountMention> {
    let since_after = |c: &CountMention| {
        let room = clause.end.saturating_sub(c.span.end).min(60);
        let Some(i) = window_after(body, c.span.end, room).find(" since ") else {
            return false;
        };
        let at = c.span.end + i;
        !counts
            .iter()
            .any(|o| !o.is_sum && o.span.start >= c.span.end && o.span.start < at)
    };
    // an earlier count of the clause in a clause of its own ("killed seven
    // civilians, and that 23 ..."), not one coordinated with this one ("346
    // IS fighters were killed and more than 170 soldiers had died since
    // Tuesday" counts one battle)
    let apart_from_earlier = |c: &CountMention| {
        counts.iter().any(|o| {
            !o.is_sum
                && o.span.end <= c.span.start
                && body.get(o.span.end..c.span.start).is_some_and(|between| {
                    [" that ", ";", " while ", " whereas "]
                        .iter()
                        .any(|b| between.contains(b))
                })
        })
    };
    let running: Vec<crate::model::Span> = counts
        .iter()
        .filter(|c| !c.is_sum && since_after(c) && apart_from_earlier(c))
        .map(|c| c.span)
        .collect();
    let kept = counts
        .iter()
        .filter(|c| !c.is_sum && !running.contains(&c.span))
        .count();
    if running.is_empty() || kept == 0 {
        return counts;
    }
    let mut out: Vec<CountMention> = counts
        .into_iter()
        .filter(|c| {
            let summed_one = c.is_sum && running.iter().any(|r| c.span.contains(*r));
            !running.contains(&c.span) && !summed_one
        })
        .collect();
    if !out.iter().any(|c| c.is_sum) {
        for c in &mut out {
            c.is_part = false;
        }
    }
    out
}

/// True when the words before a trigger say it is a further act: "also"
/// within the two words before it ("Gunmen also attacked", "also struck"),
/// "another", "separately" or "a separate" within the four before it, from
/// the clause's start on; or a clause that opens with "Another" or "A
/// further" and a count ("Another 27 people were killed in Syrian and
/// Russian raids"; not "Another resident said").
fn further_act(body: &str, clause_start: usize, at: usize, counts: &[CountMention]) -> bool {
    let Some(before) = body.get(clause_start..at) else {
        return false;
    };
    let opens_further = || {
        let rest = before.trim_start_matches(|c: char| !c.is_alphanumeric());
        strip_word(rest, "another")
            .or_else(|| strip_word(rest, "a").and_then(|r| strip_word(r, "further")))
            .is_some_and(|rest| counts.iter().any(|c| c.span.start == at - rest.len()))
    };
    let words: Vec<&str> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(4)
        .collect();
    opens_further()
        || words.iter().take(2).any(|w| w.eq_ignore_ascii_case("also"))
        || words.iter().enumerate().any(|(i, w)| {
            w.eq_ignore_ascii_case("another")
                || w.eq_ignore_ascii_case("separately")
                // "in a separate attack", not "three separate clashes"
                || (w.eq_ignore_ascii_case("separate")
                    && words.get(i + 1).is_some_and(|a| a.eq_ignore_ascii_case("a")))
        })
}

/// `text` after its first word when that word is `word` (any case), with
/// the spaces after it.
fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let head = text.get(..word.len())?;
    let rest = text.get(word.len()..)?;
    (head.eq_ignore_ascii_case(word) && rest.starts_with(char::is_whitespace))
        .then(|| rest.trim_start())
}

/// True when the trigger at `at` stands in an "after ..." clause that
/// starts at most six words before it, within its sentence.
fn after_clause(body: &str, sentence_start: usize, at: usize) -> bool {
    let before = window_before(body, at, at.saturating_sub(sentence_start).min(60));
    let Some(i) = before
        .as_bytes()
        .windows(6)
        .rposition(|w| w.eq_ignore_ascii_case(b"after "))
    else {
        return false;
    };
    let (head, rest) = before.split_at(i);
    let starts_word = head
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    starts_word && !rest.contains([',', ';', '.', ':']) && rest.split_whitespace().count() <= 7
}

/// How long before publication an act's date makes it history (days).
const HISTORY_DAYS: i64 = 366;
/// How many days before the anchor date an undated report's news may lie
/// (see [`recalls_earlier`]): "on Monday" in a weekly round-up.
const NEWS_DAYS: i64 = 7;
/// How many sentences after an act a generic definite reference ("the
/// attack") may name it though its type is another (see [`refers_to_any`]).
const ANY_REFERENCE_GAP: usize = 1;

#[allow(clippy::too_many_arguments)]
fn candidate<'p>(
    mention: EventMention,
    index: usize,
    sentence: &Sentence,
    sentences: &[Sentence],
    places: &'p [PlaceMention],
    dates: &[DateMention],
    actors: &[ActorMention],
    body: &str,
    anchor: Option<NaiveDate>,
    lex: &Lexicon,
) -> Candidate<'p> {
    let clause = mention.clause;
    let mut inside: Vec<&PlaceMention> =
        places.iter().filter(|p| clause.contains(p.span)).collect();
    inside.sort_by_key(|p| std::cmp::Reverse(place_rank(p)));
    // The place of the text around the clause: the sentence, then the paragraph before it.
    // The place of the text around the clause: the most specific one of
    // its sentence, else the latest specific place in this paragraph or the
    // two before it.
    let sentence_place = places
        .iter()
        .filter(|p| sentence.span.contains(p.span))
        .max_by_key(|p| place_rank(p));
    let window_start = sentences
        .iter()
        .find(|s| s.paragraph + 2 >= sentence.paragraph)
        .map_or(sentence.span.start, |s| s.span.start);
    let context_place = sentence_place.or_else(|| {
        places.iter().rfind(|p| {
            p.span.start >= window_start
                && p.span.end <= sentence.span.start
                && p.location.precision != "country"
        })
    });
    // A clause that names only the country ("..., which borders Syria")
    // takes the specific place its sentence names.
    if let Some(sp) = sentence_place {
        let best_inside = inside.first().map_or(0, |p| place_rank(p).0);
        if !inside.is_empty() && best_inside == 0 && specificity(&sp.location) > 0 {
            inside.insert(0, sp);
        }
    }
    // The page's own date opening the text dates the act only when the
    // sentence gives no date of its own. A campaign's start ("in an
    // operation launched in late August") dates only that campaign (read
    // only for the dates in reach).
    let usable = |d: &&DateMention| !lex.dates.dates_another_start(body, d, mention.trigger);
    let date = dates
        .iter()
        .filter(|d| !d.page && clause.overlaps(d.span))
        .find(usable)
        .or_else(|| {
            dates
                .iter()
                .filter(|d| !d.page && sentence.span.contains(d.span))
                .find(usable)
        })
        .or_else(|| dates.iter().find(|d| d.page && clause.overlaps(d.span)))
        .cloned();
    let definite = definite_description(body, mention.trigger, &lex.dates);
    let counts = without_running_totals(lex.counts.extract(body, clause), body, clause);
    let additional = further_act(body, clause.start, mention.trigger.start, &counts);
    // A toll counted "since 2011" or "since the offensive began" is
    // cumulative, and so are acts whose own date is a period ("air strikes
    // since 21 May have killed..."); an act dated to a day keeps its day
    // when a later phrase of the clause counts something else since a date.
    let mut mention = mention;
    let since_in_clause = dates.iter().any(|d| d.since && clause.overlaps(d.span));
    if since_in_clause && (mention.toll_only || date.as_ref().is_some_and(|d| d.since)) {
        mention.aggregate = true;
    }
    // Acts in three governorates or more at once ("Five citizens were
    // killed in terrorist attacks in Aleppo, Hama, Damascus and its
    // countryside") are a summary of several acts, each in its own place;
    // not an act placed in a village or a quarter, whatever else the
    // clause names ("a blast at the Rashideen transit point, as evacuees
    // waited to go on to Aleppo, Latakia or Damascus").
    let in_village = inside.first().is_some_and(|p| {
        p.location.precision == "place"
            && !matches!(p.location.feature.as_str(), "city" | "town" | "capital")
    });
    let governorates: BTreeSet<&str> = inside
        .iter()
        .filter(|p| !p.context_only && p.location.country == "SY")
        .filter_map(|p| p.location.admin1.as_deref())
        .collect();
    if !in_village && governorates.len() >= SUMMARY_GOVERNORATES {
        mention.aggregate = true;
    }

    let when = date.as_ref().and_then(|d| d.start).or(anchor);
    let roles = lex
        .actors
        .roles(body, clause, mention.trigger, actors, when);
    Candidate {
        mention,
        definite,
        additional,
        sentence: index,
        places: inside,
        context_place,
        date,
        counts,
        roles,
    }
}

/// The days an article's events are dated from.
#[derive(Clone, Copy)]
struct Days {
    /// The day the text counts from (page date, else published date).
    anchor: Option<NaiveDate>,
    /// The anchor, or for an undated article the era its words place it in.
    era: Option<NaiveDate>,
}

fn emit(
    draft: &Draft,
    none_dead: bool,
    body: &str,
    lex: &Lexicon,
    days: Days,
    out: &mut ArticleOutput,
    used_ids: &mut BTreeMap<String, usize>,
) {
    let Days { anchor, era } = days;
    let first = draft.first();
    let head = draft.head();
    let mut roles: Vec<ActorRole> = event_roles(draft).into_iter().cloned().collect();
    let when = draft.date().and_then(|d| d.start).or(era);
    default_roles(&mut roles, head, lex, when);
    let roles: Vec<&ActorRole> = roles.iter().collect();
    let (event_type, sub_event_type) = event_type_of(head, &roles);
    let article_id = out.article.article_id.clone();
    let place = draft
        .place()
        .or_else(|| draft.members.iter().find_map(|c| c.context_place))
        .cloned();
    // A date the act's own words give; else, for a discrete act, the day
    // the article was published (its page date, else the published date):
    // news reports an act on the day it happens
    // or soon after, and ACLED codes a report without a date of its own
    // that way. `date_precision` says which ("published", no `date_text`).
    let date = draft.date().cloned();
    let dated = date.as_ref().is_some_and(|d| d.start.is_some());
    let reported = match anchor {
        Some(day) if !dated && !first.mention.aggregate => Some(day),
        _ => None,
    };

    // Fatalities: each mention's best count; the event's best is the most
    // specific (largest stated) total, low/high the range over mentions.
    let mut killed: Vec<(i64, Qualifier, Option<i64>, Option<i64>)> = Vec::new();
    let mut injured = None;
    for c in &draft.members {
        if let (Some(n), q, low, high) = best_killed(&c.counts) {
            killed.push((n, q, low, high));
        }
        injured = injured.max(best_injured(&c.counts));
    }
    // An act whose report counts only wounded, or says no one died, killed
    // no one (ACLED codes 0); an act whose report counts no one, unknown.
    if killed.is_empty() && !first.mention.aggregate && none_dead {
        killed.push((0, Qualifier::Exact, None, None));
    }
    let best = killed.iter().max_by_key(|k| k.0).copied();
    let (fatalities, qualifier) = best.map_or((None, Qualifier::Unknown), |k| (Some(k.0), k.1));
    let low = killed.iter().map(|k| k.2.unwrap_or(k.0)).min();
    let high = killed.iter().map(|k| k.3.unwrap_or(k.0)).max();

    let evidence: Vec<&str> = draft
        .members
        .iter()
        .map(|c| c.mention.clause.text(body).trim())
        .collect();
    let base_id = stable_id(
        "e",
        &[&article_id, first.mention.sub_event_type, evidence[0]],
    );
    let n = used_ids.entry(base_id.clone()).or_insert(0);
    *n += 1;
    let event_id = if *n == 1 {
        base_id
    } else {
        stable_id("e", &[&base_id, &n.to_string()])
    };

    let modality = if draft
        .members
        .iter()
        .all(|c| c.mention.modality == Modality::Alleged)
    {
        "alleged"
    } else {
        "asserted"
    };
    let confidence = draft
        .members
        .iter()
        .map(|c| c.mention.confidence)
        .fold(0.0f64, f64::max)
        .clamp(0.0, 1.0);
    let confidence = (confidence * 1000.0).round() / 1000.0;

    let primary_id = place.as_ref().map(|p| location_id(&p.location));
    out.events.push(EventRow {
        event_id: event_id.clone(),
        article_id,
        event_type,
        sub_event_type,
        event_date: date.as_ref().and_then(|d| d.start).or(reported),
        event_date_end: date.as_ref().and_then(|d| d.end).or(reported),
        date_precision: match (&date, reported) {
            (_, Some(_)) => DatePrecision::Published,
            (Some(d), None) if d.start.is_some() => d.precision,
            _ => DatePrecision::Unknown,
        }
        .as_str(),
        date_text: date.as_ref().map(|d| d.span.text(body).to_string()),
        location_id: primary_id.clone(),
        location_text: place.as_ref().map(|p| p.span.text(body).to_string()),
        fatalities,
        fatalities_low: low,
        fatalities_high: high,
        fatalities_qualifier: qualifier.as_str(),
        injured,
        is_aggregate: first.mention.aggregate,
        modality,
        evidence: evidence.join(" … "),
        char_start: first.mention.clause.start as i64,
        char_end: first.mention.clause.end as i64,
        n_mentions: draft.members.len() as i64,
        confidence,
    });
    for (seq, c) in draft.members.iter().enumerate() {
        out.mentions.push(EventMentionRow {
            event_id: event_id.clone(),
            seq: seq as i64 + 1,
            char_start: c.mention.clause.start as i64,
            char_end: c.mention.clause.end as i64,
            trigger: Some(c.mention.trigger.text(body).to_string()).filter(|t| !t.is_empty()),
            text: c.mention.clause.text(body).to_string(),
        });
    }

    // Places: the primary one and every other place the mentions name.
    let mut seen_places = BTreeMap::new();
    let all_places = place
        .iter()
        .chain(draft.members.iter().flat_map(|c| c.places.iter().copied()));
    for p in all_places {
        let id = location_id(&p.location);
        if seen_places.contains_key(&id) {
            continue;
        }
        seen_places.insert(id.clone(), ());
        out.event_locations.push(EventLocationRow {
            event_id: event_id.clone(),
            location_id: id.clone(),
            is_primary: Some(&id) == primary_id.as_ref(),
            location_text: Some(p.span.text(body).to_string()),
        });
        out.locations.push(location_row(p));
    }

    for r in roles {
        let actor_id = stable_id("ac", &[&r.actor.name]);
        out.event_actors.push(EventActorRow {
            event_id: event_id.clone(),
            actor_id: actor_id.clone(),
            role: r.role.as_str(),
            actor_text: Some(r.span.text(body).to_string()).filter(|t| !t.is_empty()),
        });
        out.actors.push(ActorRow {
            actor_id,
            name: r.actor.name.clone(),
            kind: r.actor.kind,
            country: r.actor.country.clone(),
            allegiance: r.actor.allegiance.clone(),
        });
    }
}

/// The event's actors: one actor1 and one actor2 (the head mention's first,
/// then the other mentions' for a role still empty; a holder of the place
/// struck never when a report names civilians as the target), their
/// associates, and every reporting source. An actor holds one main role,
/// and fights on one side: a report that names it with the other side
/// ("23 al-Nusra militants were killed" in a report of the clash that al-Nusra
/// fought) does not make it its own associate.
fn event_roles<'a>(draft: &'a Draft<'_>) -> Vec<&'a ActorRole> {
    let head = draft.head();
    let order =
        std::iter::once(head).chain(draft.members.iter().filter(|c| !std::ptr::eq(*c, head)));
    let mut chosen: Vec<&ActorRole> = Vec::new();
    // Civilians that a report names as the target come before the holder
    // of the place struck.
    let civilians_named = draft.members.iter().any(|c| {
        c.roles
            .iter()
            .any(|r| r.role == Role::Actor2 && !r.held && r.actor.kind == "civilians")
    });
    let ranked = order
        .flat_map(|c| c.roles.iter())
        .filter(|r| !(r.held && civilians_named));
    for r in ranked {
        let taken = chosen
            .iter()
            .any(|x| x.role == r.role && x.actor.name == r.actor.name);
        let main = matches!(r.role, Role::Actor1 | Role::Actor2);
        let role_full = main && chosen.iter().any(|x| x.role == r.role);
        let has_main_role = main
            && chosen.iter().any(|x| {
                matches!(x.role, Role::Actor1 | Role::Actor2) && x.actor.name == r.actor.name
            });
        let other_side = r.role.side().is_some_and(|own| {
            chosen
                .iter()
                .any(|x| x.actor.name == r.actor.name && x.role.side().is_some_and(|s| s != own))
        });
        if !taken && !role_full && !has_main_role && !other_side {
            chosen.push(r);
        }
    }
    chosen.sort_by_key(|r| r.role);
    chosen
}

/// ACLED's conventions for an actor the text leaves implicit:
/// - violence against civilians has civilians as its target, by definition,
///   and so has an arrest with no named detainee;
/// - a protest's actor is its protesters (not "civilians" or "residents");
/// - in a civil war between two sides, a state's or a foreign state's
///   shelling, strike or assault on an area targets the armed opposition,
///   and a clash of rebels with no named enemy is against the state's forces.
///
/// Victims the actor extractor names take precedence; nothing is inferred
/// for other event types.
fn default_roles(
    roles: &mut Vec<ActorRole>,
    head: &Candidate,
    lex: &Lexicon,
    date: Option<NaiveDate>,
) {
    let actor = |entry: usize| Some(lex.actors.resolve(entry, date));
    let implicit_entries = &lex.implicit;
    let implicit = |actor: crate::extract::actor::Actor, role: Role| ActorRole {
        actor,
        role,
        span: crate::model::Span::default(),
        held: false,
    };
    let (event_type, sub) = (head.mention.event_type, head.mention.sub_event_type);
    let has = |roles: &[ActorRole], role: Role| roles.iter().any(|r| r.role == role);
    if event_type == "Protests" {
        for r in roles
            .iter_mut()
            .filter(|r| r.role == Role::Actor1 && r.actor.kind == "civilians")
        {
            if let Some(p) = actor(implicit_entries.protesters) {
                r.actor = p;
            }
        }
        // Protesters the text names as the target ("shots were fired at
        // the protesters") are not also the actor.
        if !has(roles, Role::Actor1) && !roles.iter().any(|r| r.actor.kind == "protesters") {
            if let Some(p) = actor(implicit_entries.protesters) {
                roles.push(implicit(p, Role::Actor1));
            }
        }
        return;
    }
    let civilians_targeted = event_type == VIOLENCE_AGAINST_CIVILIANS || sub == "Arrests";
    if civilians_targeted {
        // The holder of the place is not whom an act against civilians
        // targets.
        roles.retain(|r| !r.held);
    }
    if has(roles, Role::Actor2) {
        return;
    }
    if civilians_targeted {
        // Civilians who only report ("residents said") are still the
        // target of an act against civilians.
        if let Some(c) = actor(implicit_entries.civilians).filter(|c| {
            !roles
                .iter()
                .any(|r| r.actor.name == c.name && r.role != Role::Source)
        }) {
            roles.push(implicit(c, Role::Actor2));
        }
        return;
    }
    let Some(actor1) = roles.iter().find(|r| r.role == Role::Actor1) else {
        return;
    };
    let entry = match (actor1.actor.kind, event_type, sub) {
        ("state_forces" | "external_forces", "Battles" | "Explosions/Remote violence", _) => {
            match lex.actors.adversary(&actor1.actor.name) {
                Some(Adversary::Government) => implicit_entries.government,
                Some(Adversary::Rebels) | None => implicit_entries.rebels,
            }
        }
        ("rebel_group", _, "Armed clash") => implicit_entries.government,
        _ => return,
    };
    if let Some(adversary) = actor(entry) {
        if adversary.name != actor1.actor.name && adversary.kind != actor1.actor.kind {
            roles.push(implicit(adversary, Role::Actor2));
        }
    }
}

/// The dictionary entries of the actors ACLED's conventions imply, found
/// once when the dictionaries are loaded.
pub struct ImplicitActors {
    rebels: usize,
    government: usize,
    civilians: usize,
    protesters: usize,
}

impl ImplicitActors {
    pub fn new(actors: &crate::extract::actor::Actors) -> crate::error::Result<ImplicitActors> {
        let entry = |alias: &'static str| {
            actors
                .find(alias)
                .into_iter()
                .next()
                .map(|m| m.entry)
                .ok_or_else(|| {
                    crate::error::Error::data(
                        "actors.toml",
                        format!("no actor has the alias {alias:?}"),
                    )
                })
        };
        Ok(ImplicitActors {
            rebels: entry("rebels")?,
            government: entry("government forces")?,
            civilians: entry("civilians")?,
            protesters: entry("protesters")?,
        })
    }
}

/// The event's type and sub-type: the head mention's, with a territorial
/// act decided by who took the ground when the actors say it.
fn event_type_of(head: &Candidate, roles: &[&ActorRole]) -> (&'static str, &'static str) {
    let m = &head.mention;
    let territory = matches!(
        m.sub_event_type,
        "Government regains territory" | "Non-state actor overtakes territory"
    );
    if m.territorial && territory {
        if let Some(actor1) = roles.iter().find(|r| r.role == Role::Actor1) {
            // A state's forces, or a militia that fights for one (ACLED:
            // "government forces or their affiliates").
            let a = &actor1.actor;
            let for_a_state = a.kind == "political_militia"
                && a.allegiance.as_deref().is_some_and(|s| {
                    s.starts_with("Military Forces of") || s.starts_with("Government of")
                });
            let government = matches!(a.kind, "state_forces" | "external_forces") || for_a_state;
            return (m.event_type, territory_sub_event(government));
        }
    }
    (m.event_type, m.sub_event_type)
}

fn article_row(doc: &CleanDoc, sentences: &[Sentence]) -> ArticleRow {
    let raw = &doc.raw;
    let line = raw.line.map(|l| l as i64);
    let identity = match (&raw.external_id, line) {
        (Some(id), _) => format!("id:{id}"),
        (None, Some(l)) => format!("line:{l}"),
        (None, None) => String::new(),
    };
    ArticleRow {
        article_id: stable_id("a", &[&raw.source_file, &identity]),
        source_file: raw.source_file.clone(),
        line,
        external_id: raw.external_id.clone(),
        format: raw.format.as_str(),
        url: raw.url.clone(),
        source: raw.source.clone(),
        title: doc.title.clone(),
        published_date: doc.published,
        published_source: doc.published_source.map(|s| s.as_str()),
        dateline: doc.dateline.clone(),
        content_sha256: sha256_hex(&doc.body),
        body: doc.body.clone(),
        captions: (!doc.captions.is_empty()).then(|| doc.captions.join("\n")),
        n_chars_raw: doc.n_chars_raw as i64,
        n_chars_clean: doc.n_chars_clean as i64,
        n_sentences: sentences.len() as i64,
        n_events: 0,
        decode_notes: (!raw.decode_notes.is_empty()).then(|| raw.decode_notes.join(";")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_after_clause_is_found_only_close_before_the_trigger() {
        let at = |s: &str, word: &str| s.find(word).unwrap_or(0);
        let s = "The villages were targeted after troops captured the town.";
        assert!(after_clause(s, 0, at(s, "captured")));
        let s = "The villages were targeted afterwards, and troops captured the town.";
        assert!(!after_clause(s, 0, at(s, "captured")));
        let s = "Hereafter troops captured the town.";
        assert!(!after_clause(s, 0, at(s, "captured")));
        let s = "After the long and bitter winter of this year the government troops captured it.";
        assert!(!after_clause(s, 0, at(s, "captured")));
        let s = "Shelling continued after a pause. Troops captured the town.";
        assert!(!after_clause(s, at(s, "Troops"), at(s, "captured")));
    }

    /// An article that reports no act is not searched for places, actors
    /// and dates; what it would have found must not have mattered.
    #[test]
    fn an_article_without_acts_gets_the_rows_it_would_get_with_its_mentions() {
        let lex = Lexicon::load().expect("lexicon");
        let text = "Government forces and Kurdish fighters met officials of the \
                    opposition in Aleppo and Damascus on Monday, 3 March 2016, \
                    the Syrian Observatory for Human Rights said.";
        let raw = crate::model::RawDoc::plain("quiet.txt", text);
        let doc = lex.cleaner.clean(raw).expect("clean");
        let sentences = lex.segmenter.segment(&doc);
        let found = Found::searched(&doc, &sentences, acts(&doc, &sentences, &lex), &lex);
        assert!(!reports_acts(&found.acts), "{:?}", found.acts);
        assert!(!found.places.is_empty() && !found.actors.is_empty() && !found.dates.is_empty());
        let searched = format!("{:?}", assemble(doc.clone(), &sentences, found, &lex));
        let skipped = format!("{:?}", article(doc.clone(), &sentences, &lex));
        assert_eq!(skipped, searched);
        let run = articles(vec![(doc, sentences)], &lex);
        assert_eq!(
            run.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>(),
            [searched]
        );
    }

    #[test]
    fn ids_are_stable_and_prefixed() {
        let a = stable_id("e", &["x", "y"]);
        assert_eq!(a, stable_id("e", &["x", "y"]));
        assert_ne!(a, stable_id("e", &["xy", ""]));
        assert!(a.starts_with('e') && a.len() == 17);
    }

    fn loc(name: &str, admin1: &str, precision: &'static str) -> Location {
        Location {
            name: name.into(),
            admin1: Some(admin1.into()),
            admin2: None,
            country: "SY".into(),
            latitude: None,
            longitude: None,
            feature: "town".into(),
            precision,
            geonames_id: None,
            source: None,
        }
    }

    #[test]
    fn a_village_fits_its_governorate_but_not_another() {
        let village = loc("Haffa", "Latakia", "place");
        assert!(places_compatible(
            &village,
            &loc("Latakia", "Latakia", "admin1")
        ));
        // A named region is an act's own place, not a container of villages.
        assert!(!places_compatible(
            &loc("northern Latakia", "Latakia", "region"),
            &village
        ));
        let syria = Location {
            admin1: None,
            precision: "country",
            ..loc("Syria", "", "country")
        };
        assert!(places_compatible(&syria, &village));
        assert!(!places_compatible(
            &village,
            &loc("Idlib", "Idlib", "admin1")
        ));
        assert!(!places_compatible(
            &village,
            &loc("Slinfah", "Latakia", "place")
        ));
    }
}

//! Event triggers: which clauses of a sentence report an act, of which ACLED
//! sub-event type, and with what modality. Owns detection and typology only:
//! trigger words (`data/triggers.toml`), the cues that cancel or qualify them
//! (`data/event_cues.toml`: negation, plans and calls, background, alleged,
//! aggregate tolls, anaphora), clause splitting when one sentence reports two
//! acts, and the choice of one dominant sub-type when one act is described
//! with several triggers. Dates, counts, places and actors are other
//! extractors'; merging mentions across sentences is `resolve`'s.

use std::collections::HashMap;

use regex::Regex;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::extract::headline::Headlines;
use crate::matcher::{GateBuilder, Gated, Gates, Seen};
use crate::model::{Sentence, Span, window_after, window_before};
use crate::typology::{AIR_STRIKE, SUB_EVENT_TYPES};

const TRIGGERS_FILE: &str = "data/triggers.toml";
const CUES_FILE: &str = "data/event_cues.toml";
const TRIGGERS_TOML: &str = include_str!("../../data/triggers.toml");
const CUES_TOML: &str = include_str!("../../data/event_cues.toml");

/// The fine families a mention can belong to (the lead merges on them).
pub const FAMILIES: &[&str] = &[
    "clash",
    "territory",
    "air",
    "shelling",
    "chemical",
    "suicide",
    "ied",
    "grenade",
    "vac",
    "abduction",
    "sexual",
    "protest",
    "riot",
    "arrest",
    "looting",
    "agreement",
    "transfer",
    "base",
    "disrupted",
    "change",
    "other",
    "remote",
    "any",
];

/// The coarse group of a fine family: "battle", "remote", "vac", "protest",
/// "riot", "strategic", or "any" for a mention that fits every group.
pub fn family_group(family: &str) -> &'static str {
    match family {
        "clash" | "territory" => "battle",
        "air" | "shelling" | "chemical" | "suicide" | "ied" | "grenade" | "remote" => "remote",
        "vac" | "abduction" | "sexual" => "vac",
        "protest" => "protest",
        "riot" => "riot",
        "arrest" | "looting" | "agreement" | "transfer" | "base" | "disrupted" | "change"
        | "other" => "strategic",
        _ => "any",
    }
}

/// The territorial sub-event type for who took the place: government (or
/// pro-government) forces regain, anyone else overtakes.
pub fn territory_sub_event(government_acts: bool) -> &'static str {
    if government_acts {
        "Government regains territory"
    } else {
        "Non-state actor overtakes territory"
    }
}

/// A raid told barely ("another seven were killed in raids on the town")
/// in an article that reports air strikes is one of them: the mentions
/// whose trigger is marked `air_war` become air strikes when another
/// mention of the article is one.
pub fn in_air_war(acts: &mut [Vec<EventMention>]) {
    let air = acts
        .iter()
        .flatten()
        .any(|m| m.sub_event_type == AIR_STRIKE && !m.air_war);
    let Some((event_type, sub)) = static_sub(AIR_STRIKE).filter(|_| air) else {
        return;
    };
    for m in acts.iter_mut().flatten().filter(|m| m.air_war) {
        m.event_type = event_type;
        m.sub_event_type = sub;
        m.family = "air";
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    /// Reported as fact.
    Asserted,
    /// Reported as alleged, claimed or suspected (kept with lower confidence).
    Alleged,
}

/// A clause that reports an event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMention {
    /// The clause that reports the event (the evidence).
    pub clause: Span,
    /// The trigger words.
    pub trigger: Span,
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    pub modality: Modality,
    /// "the clashes", "the attack": refers back to an event already reported.
    pub anaphoric: bool,
    /// The reference is a definite generic noun ("the attack", "the
    /// operation", "the incident"): it names an act of any type, so it can
    /// refer to one reported just before whatever its type.
    pub generic_reference: bool,
    /// The dominant trigger, when definite, names an act of any type
    /// ("Tuesday's massacre"; see `names_any` in the trigger data).
    pub names_any: bool,
    /// The dominant trigger is an air raid in an article that reports air
    /// strikes ("another seven were killed in raids on the town"; see
    /// `air_war` in the trigger data): the article decides, see
    /// [`in_air_war`].
    pub air_war: bool,
    /// A toll over a long period or many places.
    pub aggregate: bool,
    pub confidence: f64,
    /// Fine family (see [`FAMILIES`]); [`family_group`] gives the coarse one.
    /// "any" for a casualty report or anaphor that fits any family.
    pub family: &'static str,
    /// The act is a territorial change (captured, seized, retook...): the lead
    /// may re-decide the sub-type with [`territory_sub_event`] once it knows
    /// the actors. `government_acts` is this module's own guess.
    pub territorial: bool,
    pub government_acts: Option<bool>,
    /// The clause only reports casualties ("58 soldiers have been killed"):
    /// it most likely belongs to an event reported nearby.
    pub toll_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Strong,
    Weak,
    Toll,
    Anaphor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubRule {
    Fixed(&'static str, &'static str),
    Territory,
    Victim,
}

struct TriggerDef {
    re: Regex,
    /// The regex has a group named `t`: the trigger is that group alone,
    /// the rest of the match is context ("strikes" in "strikes on").
    head: bool,
    sub: SubRule,
    family: &'static str,
    weight: u8,
    class: Class,
    noun: bool,
    /// A definite mention names an act of any type ("Tuesday's massacre").
    names_any: bool,
    air_war: bool,
}

#[derive(Deserialize)]
struct TriggerFile {
    trigger: Vec<TriggerToml>,
}

#[derive(Deserialize)]
struct TriggerToml {
    re: String,
    keys: Vec<String>,
    sub: String,
    family: String,
    weight: u8,
    class: String,
    #[serde(default)]
    noun: bool,
    #[serde(default)]
    names_any: bool,
    #[serde(default)]
    air_war: bool,
    #[serde(default)]
    #[allow(dead_code)]
    examples: Vec<String>,
}

#[derive(Deserialize)]
struct CueFile {
    before: BeforeCues,
    after: AfterCues,
    clause: ClauseCues,
    actors: ActorCues,
    split: SplitCues,
}

#[derive(Deserialize)]
struct BeforeCues {
    near_words: usize,
    verdict_verbs: String,
    negation: Vec<String>,
    irrealis: Vec<String>,
    irrealis_adjacent: Vec<String>,
    irrealis_adjacent_except: Vec<String>,
    attributive: Vec<String>,
    reaction_adjacent: Vec<String>,
    background_adjacent: Vec<String>,
    background_near: Vec<String>,
    denial_near: Vec<String>,
    descriptive: Vec<String>,
    descriptive_fighters: Vec<String>,
    breakers: Vec<String>,
    support_before: String,
    territory_people: String,
}

#[derive(Deserialize)]
struct AfterCues {
    support: String,
    toll_clause: String,
    not_event: String,
    modal: String,
    territory_positions: String,
    territory_people: String,
    territory_taken: String,
    statement: String,
    cessation: String,
    denial: String,
    debris: String,
    foreign_after: String,
    foreign_group: String,
    foreign_opening: String,
}

#[derive(Deserialize)]
struct ClauseCues {
    alleged: Vec<String>,
    background: Vec<String>,
    aggregate: Vec<String>,
    span: Vec<String>,
    span_not_after: String,
    comparison: String,
    continued: String,
    day_words: String,
    contested: String,
    place_after: String,
    not_place: String,
    definite: String,
    agent_nouns: Vec<String>,
    quantity: String,
    relative_place: String,
    protest_context: String,
    force: String,
    huge_number: String,
    huge_toll: String,
    huge_dead: String,
    weapon: String,
    act_words: String,
}

#[derive(Deserialize)]
struct ActorCues {
    foreign_before: String,
    government: Vec<String>,
    nonstate: Vec<String>,
    civilians: Vec<String>,
    combatants: Vec<String>,
    goal: Vec<String>,
}

#[derive(Deserialize)]
struct SplitCues {
    markers: Vec<String>,
    same_subject: String,
}

/// Compiled context cues.
struct Cues {
    /// The literal gates of the gated cues, scanned once per sentence
    /// together with the triggers' keys. The cues read around every
    /// trigger or clause are gated; cues made of everyday words ("the",
    /// "to", "in") or read only for the chosen trigger are plain regexes:
    /// their literals would cost the sentence scan more than they save.
    gates: Gates,
    negation: Gated,
    irrealis: Gated,
    irrealis_adjacent: Regex,
    irrealis_adjacent_except: Regex,
    attributive: Regex,
    reaction_adjacent: Gated,
    /// Read only where a reaction cue matched, so it needs no gate (its
    /// literals, "which" and "that", would only add to every sentence's scan).
    toll_clause: Regex,
    background_adjacent: Gated,
    background_near: Gated,
    denial_near: Gated,
    descriptive: Gated,
    descriptive_fighters: Gated,
    alleged: Gated,
    background: Gated,
    aggregate: Gated,
    span: Gated,
    span_not_after: Regex,
    comparison: Regex,
    continued: Gated,
    day_words: Regex,
    headline: Headlines,
    contested: Gated,
    place_after: Regex,
    not_place: Regex,
    definite: Regex,
    /// Nouns of the people who act ("bombers"): see [`Triggers::definite_noun`].
    agent_nouns: Vec<String>,
    quantity: Regex,
    government: Regex,
    nonstate: Regex,
    civilians: Regex,
    combatants: Regex,
    goal: Regex,
    split: Regex,
    same_subject: Regex,
    breaker: Regex,
    support_before: Gated,
    support_after: Gated,
    not_event_after: Gated,
    modal_after: Gated,
    territory_positions: Gated,
    territory_people: Gated,
    territory_people_before: Gated,
    territory_taken: Gated,
    statement_after: Gated,
    cessation_after: Gated,
    denial_after: Gated,
    debris: Gated,
    foreign_after: Gated,
    foreign_group: Gated,
    foreign_opening: Gated,
    relative_place: Regex,
    protest_context: Gated,
    force: Gated,
    huge_toll: Gated,
    /// Read only for a clause where `huge_toll` matched: no gate.
    huge_dead: Regex,
    weapon: Regex,
    act_words: Regex,
    foreign_before: Regex,
}

/// The compiled triggers and cues. Build once with [`Triggers::new`], share
/// read-only.
pub struct Triggers {
    /// Key index (the keys are scanned with the cues' gates) -> the
    /// triggers that key contributes to.
    key_triggers: Vec<Vec<usize>>,
    defs: Vec<TriggerDef>,
    cues: Cues,
}

fn compile(file: &'static str, pattern: &str) -> Result<Regex> {
    crate::matcher::regex_ci(pattern)
        .map_err(|e| Error::data(file, format!("regex {pattern:?}: {e}")))
}

/// A group named by what it does, right before the trigger: one of `nouns`,
/// then perhaps "that/which/who is/are/was/were/has been/have been".
fn described(nouns: &[String]) -> String {
    format!(
        r"\b(?:{})\s+(?:(?:that|which|who)\s+(?:is|are|was|were|has\s+been|have\s+been)\s+)?$",
        nouns.join("|")
    )
}

/// One alternation of whole-word cues.
fn alternation(list: &[String]) -> String {
    let parts: Vec<String> = list.iter().map(|c| format!("(?:{c})")).collect();
    format!(r"\b(?:{})", parts.join("|"))
}

/// The cues, whose gate scan also looks for the triggers' `keys`.
fn compile_cues(c: CueFile, keys: &[String]) -> Result<Cues> {
    let f = CUES_FILE;
    let mut gb = GateBuilder::default();
    gb.keys(keys);
    let mut gated = |pattern: &str| -> Result<Gated> {
        gb.regex_ci(pattern)
            .map_err(|e| Error::data(f, format!("regex {pattern:?}: {e}")))
    };
    let near = c.before.near_words;
    // A cue, then at most `near` words, then the end of the text before the trigger.
    let before =
        |list: &[String]| format!(r"{}\b(?:\W+[\w'-]+){{0,{near}}}\W*$", alternation(list));
    let adjacent = |list: &[String]| format!(r"{}\s+$", alternation(list));
    // The one number pattern of the toll cues (`{huge}` in them).
    let huge = |pattern: &str| pattern.replace("{huge}", &c.clause.huge_number);
    // The one verb list of the verdict cues (`{verdict}` in them).
    let verdict = |list: &[String]| -> Vec<String> {
        list.iter()
            .map(|p| p.replace("{verdict}", &c.before.verdict_verbs))
            .collect()
    };
    let any = |list: &[String]| format!(r"{}\b", alternation(list));
    let cues = Cues {
        gates: Gates::default(),
        negation: gated(&before(&c.before.negation))?,
        irrealis: gated(&before(&c.before.irrealis))?,
        irrealis_adjacent: compile(f, &adjacent(&c.before.irrealis_adjacent))?,
        irrealis_adjacent_except: compile(
            f,
            &format!(r"(?:{})\s+$", c.before.irrealis_adjacent_except.join("|")),
        )?,
        attributive: compile(f, &adjacent(&c.before.attributive))?,
        reaction_adjacent: gated(&adjacent(&verdict(&c.before.reaction_adjacent)))?,
        toll_clause: compile(f, &c.after.toll_clause)?,
        background_adjacent: gated(&adjacent(&verdict(&c.before.background_adjacent)))?,
        background_near: gated(&before(&verdict(&c.before.background_near)))?,
        denial_near: gated(&any(&c.before.denial_near))?,
        descriptive: gated(&described(&c.before.descriptive))?,
        descriptive_fighters: gated(&described(&c.before.descriptive_fighters))?,
        alleged: gated(&any(&c.clause.alleged))?,
        background: gated(&any(&c.clause.background))?,
        aggregate: gated(&alternation(&c.clause.aggregate))?,
        span: gated(&alternation(&c.clause.span))?,
        span_not_after: compile(f, &c.clause.span_not_after)?,
        comparison: compile(f, &c.clause.comparison)?,
        continued: gated(&c.clause.continued)?,
        day_words: compile(f, &c.clause.day_words)?,
        headline: Headlines::new(),
        contested: gated(&c.clause.contested)?,
        place_after: compile(f, &c.clause.place_after)?,
        not_place: compile(f, &c.clause.not_place)?,
        definite: compile(f, &c.clause.definite)?,
        agent_nouns: c
            .clause
            .agent_nouns
            .iter()
            .map(|w| w.to_lowercase())
            .collect(),
        quantity: compile(f, &c.clause.quantity)?,
        government: compile(f, &any(&c.actors.government))?,
        nonstate: compile(f, &any(&c.actors.nonstate))?,
        civilians: compile(f, &any(&c.actors.civilians))?,
        combatants: compile(f, &any(&c.actors.combatants))?,
        goal: compile(f, &any(&c.actors.goal))?,
        split: compile(f, &c.split.markers.join("|"))?,
        same_subject: compile(f, &c.split.same_subject)?,
        breaker: compile(f, &any(&c.before.breakers))?,
        support_before: gated(&c.before.support_before)?,
        support_after: gated(&c.after.support)?,
        not_event_after: gated(&c.after.not_event)?,
        modal_after: gated(&c.after.modal)?,
        territory_positions: gated(&c.after.territory_positions)?,
        territory_people: gated(&c.after.territory_people)?,
        territory_people_before: gated(&c.before.territory_people)?,
        territory_taken: gated(&c.after.territory_taken)?,
        statement_after: gated(&c.after.statement)?,
        cessation_after: gated(&c.after.cessation)?,
        denial_after: gated(&c.after.denial)?,
        debris: gated(&c.after.debris)?,
        foreign_after: gated(&c.after.foreign_after)?,
        foreign_group: gated(&c.after.foreign_group)?,
        foreign_opening: gated(&c.after.foreign_opening)?,
        relative_place: compile(f, &c.clause.relative_place)?,
        protest_context: gated(&c.clause.protest_context)?,
        force: gated(&c.clause.force)?,
        huge_toll: gated(&huge(&c.clause.huge_toll))?,
        huge_dead: compile(f, &huge(&c.clause.huge_dead))?,
        weapon: compile(f, &c.clause.weapon)?,
        act_words: compile(f, &c.clause.act_words)?,
        foreign_before: compile(f, &c.actors.foreign_before)?,
    };
    Ok(Cues {
        gates: gb.build().map_err(|e| Error::data(f, e))?,
        ..cues
    })
}

fn static_sub(sub: &str) -> Option<(&'static str, &'static str)> {
    SUB_EVENT_TYPES
        .iter()
        .find(|(_, s)| *s == sub)
        .map(|(t, s)| (*t, *s))
}

fn static_family(family: &str) -> Option<&'static str> {
    FAMILIES.iter().find(|f| **f == family).copied()
}

/// One trigger match in a sentence (offsets relative to the sentence).
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    def: usize,
}

/// How a hit's sub-type was decided.
struct Decided {
    event_type: &'static str,
    sub: &'static str,
    family: &'static str,
    government_acts: Option<bool>,
    guessed: bool,
}

impl Triggers {
    pub fn new() -> Result<Triggers> {
        let file: TriggerFile =
            toml::from_str(TRIGGERS_TOML).map_err(|e| Error::data(TRIGGERS_FILE, e))?;
        let cues: CueFile = toml::from_str(CUES_TOML).map_err(|e| Error::data(CUES_FILE, e))?;
        let mut defs = Vec::with_capacity(file.trigger.len());
        let mut key_index: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        let mut key_triggers: Vec<Vec<usize>> = Vec::new();
        for (i, t) in file.trigger.into_iter().enumerate() {
            let sub = match t.sub.as_str() {
                "territory" => SubRule::Territory,
                "victim" => SubRule::Victim,
                other => {
                    let (ty, s) = static_sub(other).ok_or_else(|| {
                        Error::data(TRIGGERS_FILE, format!("unknown sub-event type {other:?}"))
                    })?;
                    SubRule::Fixed(ty, s)
                }
            };
            let family = static_family(&t.family).ok_or_else(|| {
                Error::data(TRIGGERS_FILE, format!("unknown family {:?}", t.family))
            })?;
            let class = match t.class.as_str() {
                "strong" => Class::Strong,
                "weak" => Class::Weak,
                "toll" => Class::Toll,
                "anaphor" => Class::Anaphor,
                other => {
                    return Err(Error::data(
                        TRIGGERS_FILE,
                        format!("unknown class {other:?}"),
                    ));
                }
            };
            if t.keys.is_empty() {
                return Err(Error::data(
                    TRIGGERS_FILE,
                    format!("trigger {i} has no keys"),
                ));
            }
            // The keys decide where the regex runs at all, so they must be
            // in every match it can make.
            if !crate::matcher::keys_cover(&t.re, &t.keys) {
                return Err(Error::data(
                    TRIGGERS_FILE,
                    format!(
                        "trigger {i} ({}): a match need not hold any of the keys {:?}; \
                         add a word that every match contains",
                        t.sub, t.keys
                    ),
                ));
            }
            for k in &t.keys {
                let k = k.to_ascii_lowercase();
                let idx = *key_index.entry(k.clone()).or_insert_with(|| {
                    keys.push(k);
                    key_triggers.push(Vec::new());
                    keys.len() - 1
                });
                if let Some(list) = key_triggers.get_mut(idx)
                    && !list.contains(&i)
                {
                    list.push(i);
                }
            }
            let re = compile(TRIGGERS_FILE, &t.re)?;
            defs.push(TriggerDef {
                head: re.capture_names().any(|n| n == Some("t")),
                re,
                sub,
                family,
                weight: t.weight,
                class,
                noun: t.noun,
                names_any: t.names_any,
                air_war: t.air_war,
            });
        }
        Ok(Triggers {
            key_triggers,
            defs,
            cues: compile_cues(cues, &keys)?,
        })
    }

    /// The event mentions of one sentence, in text order: at most one per
    /// clause, none for a sentence that reports no act.
    pub fn detect(&self, body: &str, sentence: &Sentence) -> Vec<EventMention> {
        let Some(text) = body.get(sentence.span.start..sentence.span.end) else {
            return Vec::new();
        };
        self.detect_text(text)
            .into_iter()
            .map(|mut m| {
                let off = sentence.span.start;
                m.clause = Span::new(m.clause.start + off, m.clause.end + off);
                m.trigger = Span::new(m.trigger.start + off, m.trigger.end + off);
                m
            })
            .collect()
    }

    /// [`Triggers::detect`] on a bare sentence; spans are relative to `text`.
    pub fn detect_text(&self, text: &str) -> Vec<EventMention> {
        let Some((hits, seen)) = self.hits(text) else {
            return Vec::new();
        };
        let seen = &seen;
        // Where one report of the sentence may end and the next begin: read
        // by the clause split and by each clause's aggregate cues.
        let markers: Vec<(usize, usize)> = self
            .cues
            .split
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        let clauses = self.clauses(text, &hits, &markers);
        let mut out = Vec::new();
        for (cs, ce) in clauses {
            let in_clause: Vec<Hit> = hits
                .iter()
                .copied()
                .filter(|h| h.start >= cs && h.end <= ce)
                .collect();
            if self.weapon_only(text, (cs, ce), &in_clause) {
                continue;
            }
            if let Some(m) = self.mention(seen, text, (cs, ce), &in_clause, &markers) {
                out.push(m);
            }
        }
        out
    }

    /// True when every trigger of the clause only names a weapon and no
    /// word of the clause says it was used: "the regime keeps rockets with
    /// chemical warheads".
    fn weapon_only(&self, text: &str, (cs, ce): (usize, usize), hits: &[Hit]) -> bool {
        !hits.is_empty()
            && hits.iter().all(|h| {
                self.cues
                    .weapon
                    .is_match(text.get(h.start..h.end).unwrap_or(""))
            })
            && !self.cues.act_words.is_match(text.get(cs..ce).unwrap_or(""))
    }

    /// Whether `report` has an aggregate cue that is not the yardstick of
    /// a comparison: "the deadliest incident for Moscow since it
    /// intervened" measures one act against a period, it counts no toll
    /// over it.
    fn aggregate_cue(&self, report: &str, seen: &Seen) -> bool {
        let c = &self.cues;
        // "three weeks of clashes", but not "took the town after three
        // weeks of clashes": that act ended the span.
        cue_unless(report, seen, &c.aggregate, &c.comparison)
            || cue_unless(report, seen, &c.span, &c.span_not_after)
    }

    /// Every live trigger of the sentence: prefiltered, matched, overlaps
    /// resolved (higher weight, then longer, wins), and cancelled ones
    /// (negated, planned, background, generic inside a quote) removed.
    fn hits(&self, text: &str) -> Option<(Vec<Hit>, Seen)> {
        // One pass over the sentence finds the triggers' keywords and every
        // cue's literals; a cue whose literals are not in a trigger's window
        // is never run there.
        let mut candidates: Vec<usize> = Vec::new();
        let scan = self.cues.gates.scan_keys(text, |key| {
            for &t in self.key_triggers.get(key).map_or(&[][..], Vec::as_slice) {
                if !candidates.contains(&t) {
                    candidates.push(t);
                }
            }
        });
        if candidates.is_empty() {
            return None;
        }
        let mut all: Vec<Hit> = Vec::new();
        for &d in &candidates {
            let Some(def) = self.defs.get(d) else {
                continue;
            };
            let mut push = |m: regex::Match| {
                if m.end() > m.start() {
                    all.push(Hit {
                        start: m.start(),
                        end: m.end(),
                        def: d,
                    });
                }
            };
            if def.head {
                def.re
                    .captures_iter(text)
                    .filter_map(|c| c.name("t"))
                    .for_each(&mut push);
            } else {
                def.re.find_iter(text).for_each(&mut push);
            }
        }
        all.sort_by(|a, b| {
            let (wa, wb) = (self.defs[a.def].weight, self.defs[b.def].weight);
            wb.cmp(&wa)
                .then((b.end - b.start).cmp(&(a.end - a.start)))
                .then(a.start.cmp(&b.start))
        });
        // Cancelled triggers go first, so that a planned act ("attempts to
        // retake ... had been repelled") does not shadow a real one.
        if all.is_empty() {
            return None;
        }
        let seen = &scan;
        let quotes = quote_ranges(text);
        let background = self.cues.background.find(text, seen).map(|b| b.start());
        // Greedy in priority order over the live hits; a hit that a kept one
        // overlaps would be dropped anyway, so its context is never read.
        let mut kept: Vec<Hit> = Vec::new();
        for h in all {
            if kept.iter().all(|k| h.end <= k.start || k.end <= h.start)
                && self.live(seen, text, &h, &quotes, background)
            {
                kept.push(h);
            }
        }
        kept.sort_by_key(|h| h.start);
        if kept.is_empty() {
            return None;
        }
        Some((kept, scan))
    }

    /// False when the context cancels the trigger.
    fn live(
        &self,
        seen: &Seen,
        text: &str,
        h: &Hit,
        quotes: &[(usize, usize)],
        background: Option<usize>,
    ) -> bool {
        let def = &self.defs[h.def];
        // Cues are read in a window around the trigger, so a sentence with
        // many triggers costs linear, not quadratic, time.
        let before = window_before(text, h.start, CUE_WINDOW);
        // Only the words since the last clause boundary count as "just before".
        let local = before
            .rfind([',', ';', ':', '(', ')'])
            .and_then(|i| before.get(i + 1..))
            .unwrap_or(before);
        let since_local = local;
        // A cue governs only its own phrase: "a call for protests following
        // air strikes" does not make the strikes a call.
        let local = match self.cues.breaker.find_iter(local).last() {
            Some(b) => local.get(b.end()..).unwrap_or(local),
            None => local,
        };
        if self.cues.negation.is_match(local, seen) || self.cues.irrealis.is_match(local, seen) {
            return false;
        }
        if self.cues.irrealis_adjacent.is_match(local)
            && !self.cues.irrealis_adjacent_except.is_match(local)
        {
            return false;
        }
        // A participle describing a thing, not reporting an act: "the
        // rubble of the destroyed homes", "its shelled neighbourhoods".
        if self.cues.attributive.is_match(local) && is_participle(text, h) {
            return false;
        }
        if self.cues.background_adjacent.is_match(before, seen)
            || self.cues.background_near.is_match(since_local, seen)
            || self.denies(since_local, seen)
        {
            return false;
        }
        // A reaction names an act reported already, unless the words after
        // its name tell the act: "condemned the attack which killed 58".
        if self.cues.reaction_adjacent.is_match(before, seen)
            && !self
                .cues
                .toll_clause
                .is_match(window_after(text, h.end, CUE_WINDOW))
        {
            return false;
        }
        // A group named by what it does: "the US-led coalition fighting
        // IS in Syria and Iraq" (a participle, not the noun "fighting").
        // Fighters named by their fight ("rebels fighting the regime"): a
        // fight word only, "fighters killing 25 soldiers" is an act.
        let gerund = is_gerund(text.get(h.start..h.end).unwrap_or(""));
        if gerund
            && (self.cues.descriptive.is_match(before, seen)
                || (def.family == "clash" && self.cues.descriptive_fighters.is_match(before, seen)))
        {
            return false;
        }
        // Background: a cue before the trigger ("a war that left ... dead").
        if background.is_some_and(|b| b <= h.start) {
            return false;
        }
        let after = window_after(text, h.end, CUE_WINDOW);
        // Support for someone else's act, a weapon word naming no act, a
        // forecast ("the offensive would..."), or a person taken, not a place.
        let weapon = family_group(def.family) == "remote";
        if (weapon
            && (self.cues.support_before.is_match(before, seen)
                || self.cues.support_after.is_match(after, seen)))
            || self.cues.not_event_after.is_match(after, seen)
            || (def.noun && self.cues.modal_after.is_match(after, seen))
            || ((def.noun || weapon) && self.cues.denial_after.is_match(after, seen))
            || (def.sub == SubRule::Territory
                && (self.cues.territory_people.is_match(after, seen)
                    || self.cues.territory_taken.is_match(after, seen)
                    || self.cues.territory_people_before.is_match(before, seen)))
        {
            return false;
        }
        // A verdict on an act ("the attacks were systematic"), the text of
        // an embedded post (a link follows), or an act abroad.
        if (def.noun && self.cues.statement_after.is_match(after, seen))
            || self.cues.cessation_after.is_match(after, seen)
            || self.cues.debris.is_match(after, seen)
            || self.foreign(seen, text, h, after)
        {
            return false;
        }
        // Part of a hyphenated word ("single-handed control").
        if in_name(text, h, &self.cues.headline) || before.ends_with('-') {
            return false;
        }
        let quoted = quotes.iter().any(|&(s, e)| s <= h.start && h.end <= e);
        if quoted && def.class != Class::Strong {
            return false;
        }
        true
    }

    /// A denial in the words before a trigger, not itself denied: "Moscow
    /// denied reports that its jets hit", but not "a source did not deny
    /// that air strikes had been carried out".
    fn denies(&self, before: &str, seen: &Seen) -> bool {
        self.cues.denial_near.find(before, seen).is_some_and(|m| {
            let head = window_before(before, m.start(), 12)
                .trim_end()
                .to_ascii_lowercase();
            !["not", "n't", "never"].iter().any(|n| head.ends_with(n))
        })
    }

    /// True when the act takes place abroad: a foreign place right after
    /// the trigger (not a group name like "Islamic State in Iraq and Syria"),
    /// or a sentence that opens abroad and names no Syria before the trigger.
    fn foreign(&self, seen: &Seen, text: &str, h: &Hit, after: &str) -> bool {
        if let Some(m) = self.cues.foreign_after.find(after, seen) {
            let rest = after.get(m.end()..).unwrap_or("");
            return !self.cues.foreign_group.is_match(rest, seen);
        }
        let head = text.get(..h.start).unwrap_or("");
        self.cues.foreign_opening.is_match(head, seen) && !head.contains("Syria")
    }

    /// Clause bounds (relative to the sentence): split markers are kept
    /// only where both sides carry an act of their own.
    fn clauses(&self, text: &str, hits: &[Hit], markers: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let acts = |s: usize, e: usize| {
            hits.iter().any(|h| {
                h.start >= s
                    && h.end <= e
                    && match self.defs[h.def].class {
                        Class::Strong => true,
                        Class::Weak => !self.defs[h.def].noun,
                        _ => false,
                    }
            })
        };
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut cur_start = 0;
        for (i, &(ms, me)) in markers.iter().enumerate() {
            let next_end = markers.get(i + 1).map_or(text.len(), |m| m.0);
            let marker = text.get(ms..me).unwrap_or("").to_ascii_lowercase();
            let rest = text.get(me..next_end).unwrap_or("");
            let checks_subject = [" and", " as", " while", " whilst", " but", " then"]
                .iter()
                .any(|w| marker.trim_end().ends_with(w));
            // "..., and they also fired mortars": a second act all the same.
            let also = rest
                .split_whitespace()
                .take(4)
                .any(|w| w.eq_ignore_ascii_case("also"));
            let same_subject = checks_subject && !also && self.cues.same_subject.is_match(rest);
            // A marker inside a trigger's own span never splits it.
            let inside = hits.iter().any(|h| h.start < ms && me < h.end);
            // A bare list item ("..., and abductions") is not a report of its own.
            let short = rest.split_whitespace().count() < 3;
            if !same_subject && !inside && !short && acts(cur_start, ms) && acts(me, next_end) {
                out.push((cur_start, ms));
                cur_start = ms;
            }
        }
        out.push((cur_start, text.len()));
        out.into_iter()
            .map(|(s, e)| trim_clause(text, s, e))
            .filter(|(s, e)| e > s)
            .collect()
    }

    /// The mention of one clause, from its dominant trigger.
    fn mention(
        &self,
        seen: &Seen,
        text: &str,
        (cs, ce): (usize, usize),
        hits: &[Hit],
        markers: &[(usize, usize)],
    ) -> Option<EventMention> {
        let clause = text.get(cs..ce)?;
        // Triggers inside a relative clause about the place yield to an act
        // of the main clause.
        let relative: Vec<(usize, usize)> = self
            .cues
            .relative_place
            .find_iter(clause)
            .map(|m| (cs + m.start(), cs + m.end()))
            .collect();
        let inside = |h: &Hit| relative.iter().any(|&(s, e)| s <= h.start && h.end <= e);
        let is_act = |h: &Hit| matches!(self.defs[h.def].class, Class::Strong | Class::Weak);
        let filtered: Vec<Hit>;
        let hits = if hits.iter().any(|h| is_act(h) && !inside(h)) && hits.iter().any(inside) {
            filtered = hits.iter().copied().filter(|h| !inside(h)).collect();
            filtered.as_slice()
        } else {
            hits
        };
        let contested = self.cues.contested.is_match(clause, seen);
        let has_act = hits
            .iter()
            .any(|h| matches!(self.defs[h.def].class, Class::Strong | Class::Weak));
        let has_toll = hits.iter().any(|h| self.defs[h.def].class == Class::Toll);
        if !(has_act || (has_toll && self.cues.quantity.is_match(clause))) {
            return None;
        }
        // A definite event noun ("the fighting") refers back; it yields to a
        // trigger that reports a new act in the same clause. Contested
        // territory counts as a clash.
        let definite =
            |h: &Hit| self.defs[h.def].class != Class::Anaphor && self.definite_noun(text, cs, h);
        let weight = |h: &Hit| {
            let d = &self.defs[h.def];
            if contested && d.sub == SubRule::Territory {
                75
            } else if d.class == Class::Strong && definite(h) {
                // Below every act, above generic words and tolls.
                32
            } else {
                d.weight
            }
        };
        // Each hit weighed once (the definite test reads the text before it);
        // the heaviest wins, the earliest among equals.
        let dom = *hits
            .iter()
            .map(|h| (weight(h), std::cmp::Reverse(h.start), h))
            .max_by_key(|&(w, start, _)| (w, start))?
            .2;
        let def = &self.defs[dom.def];
        let toll_only = !has_act;
        let mut decided = self.decide(seen, text, cs, ce, &dom, contested)?;
        // A number the war's size in a bare toll, or in one told of a bare
        // noun of fighting ("killed in the fighting").
        let fighting = def.noun && def.family == "clash";
        let war_size = (toll_only || fighting) && self.cues.huge_toll.is_match(clause, seen);
        let huge = toll_only && war_size;
        // Force used on a gathered crowd (not a war toll that names the
        // protests the war began with).
        if decided.sub == "Attack"
            && !huge
            && self.cues.protest_context.is_match(clause, seen)
            && self.cues.force.is_match(clause, seen)
            && let Some((t, s)) = static_sub("Excessive force against protesters")
        {
            decided.event_type = t;
            decided.sub = s;
            decided.family = "protest";
        }

        let alleged = self.cues.alleged.is_match(clause, seen);
        // Aggregate cues count only up to a background cue.
        let background = self.cues.background.find(clause, seen).map(|b| b.start());
        // A bare toll in the tens of thousands beside the war's background
        // is the war's own toll ("More than 280000 people have been killed
        // in Syria since the war began"): background, no act (see
        // GUIDELINES: "a war that left more than 370,000 dead"). So is one
        // whose dead alone number tens of thousands, war named or not
        // ("More than 300000 people have been killed and millions
        // displaced"), after a bare noun of fighting too: no battle kills
        // so many ("hundreds of thousands of people have been killed in
        // the fighting").
        if war_size && ((huge && background.is_some()) || self.cues.huge_dead.is_match(clause)) {
            return None;
        }
        let agg_scope = match background {
            Some(b) => clause.get(..b).unwrap_or(clause),
            None => clause,
        };
        // A cue after a later report of the sentence is that report's: "...
        // killed seven civilians, and that 23 fighters had been killed since
        // the operation began" keeps the shelling a discrete act.
        let own_report = markers
            .iter()
            .find(|&&(ms, _)| ms >= dom.end && ms < ce)
            .map_or(agg_scope, |&(ms, _)| {
                let cut = ms.saturating_sub(cs);
                agg_scope
                    .get(..cut.min(agg_scope.len()))
                    .unwrap_or(agg_scope)
            });
        // A bare toll beside war background ("since the conflict began") is a
        // cumulative toll.
        let aggregate = huge
            || self.aggregate_cue(own_report, seen)
            || (toll_only && agg_scope.len() < clause.len())
            || (self.cues.continued.is_match(own_report, seen)
                && !self.cues.day_words.is_match(clause));

        // Anaphoric: a definite event noun with no new place after it.
        let definite_noun = |h: &Hit| {
            let d = &self.defs[h.def];
            if d.class == Class::Anaphor {
                return !self.place_after(text, h.end, ce);
            }
            self.definite_noun(text, cs, h) && !self.place_after(text, h.end, ce)
        };
        let anaphoric = if matches!(def.class, Class::Toll | Class::Anaphor) {
            hits.iter().any(definite_noun)
        } else {
            definite_noun(&dom)
        };
        let generic_reference = anaphoric
            && hits.iter().any(|h| {
                let d = &self.defs[h.def];
                (d.family == "any" || d.names_any) && d.class != Class::Toll && definite_noun(h)
            });

        let mut confidence: f64 = match def.class {
            Class::Strong => 0.9,
            Class::Weak => 0.6,
            Class::Toll => 0.5,
            Class::Anaphor => 0.4,
        };
        if alleged {
            confidence *= 0.7;
        }
        if decided.guessed {
            confidence *= 0.8;
        }
        if aggregate {
            confidence *= 0.8;
        }
        // A war recalled after the act ("the heaviest fighting of the
        // five-year civil war, which has killed more than 300,000 people")
        // is not part of its report: its toll, places and actors stay out.
        // Only a war's toll is cut: a bare toll keeps its clause (the war is
        // what it counts), and "the deadliest attack since the war began"
        // stays one with the attack it measures.
        let ce = match background {
            Some(b)
                if !toll_only
                    && cs + b >= dom.end
                    && clause
                        .get(b..)
                        .is_some_and(|war| self.cues.huge_toll.is_match(war, seen)) =>
            {
                cs + agg_scope
                    .trim_end_matches(|c: char| c.is_whitespace() || c == ',')
                    .len()
            }
            _ => ce,
        };
        Some(EventMention {
            clause: Span::new(cs, ce),
            trigger: Span::new(dom.start, dom.end),
            event_type: decided.event_type,
            sub_event_type: decided.sub,
            modality: if alleged {
                Modality::Alleged
            } else {
                Modality::Asserted
            },
            anaphoric,
            generic_reference,
            names_any: def.names_any,
            air_war: def.air_war,
            aggregate,
            confidence: (confidence * 100.0).round() / 100.0,
            family: decided.family,
            territorial: def.sub == SubRule::Territory,
            government_acts: decided.government_acts,
            toll_only,
        })
    }

    /// True when the hit is an event noun after a definite determiner of
    /// its clause (which starts at `cs`): "the fighting", "these strikes".
    /// Not a verb's form, nor a noun of the people who act ("the suicide
    /// bombers detonated their explosives" reports an act, it does not
    /// refer back to one).
    fn definite_noun(&self, text: &str, cs: usize, h: &Hit) -> bool {
        let trigger = text.get(h.start..h.end).unwrap_or("");
        let last = trigger.rsplit(' ').next().unwrap_or("");
        self.defs[h.def].noun
            && !is_verb_form(text, h)
            && !self
                .cues
                .agent_nouns
                .iter()
                .any(|n| n.eq_ignore_ascii_case(last))
            && self
                .cues
                .definite
                .is_match(text.get(cs..h.start).unwrap_or(""))
    }

    /// True when a place (a preposition then a capitalised word that is not
    /// a weekday or month) follows `from` inside the clause.
    fn place_after(&self, text: &str, from: usize, to: usize) -> bool {
        let Some(after) = text.get(from..to) else {
            return false;
        };
        self.cues.place_after.find_iter(after).any(|m| {
            let word = m.as_str().rsplit(char::is_whitespace).next().unwrap_or("");
            !self.cues.not_place.is_match(word)
        })
    }

    /// The sub-type of the dominant trigger, from its rule and the clause.
    fn decide(
        &self,
        seen: &Seen,
        text: &str,
        cs: usize,
        ce: usize,
        dom: &Hit,
        contested: bool,
    ) -> Option<Decided> {
        let def = &self.defs[dom.def];
        let fixed = |sub: &'static str, family: &'static str, guessed: bool| {
            static_sub(sub).map(|(t, s)| Decided {
                event_type: t,
                sub: s,
                family,
                government_acts: None,
                guessed,
            })
        };
        match def.sub {
            SubRule::Fixed(t, s) => Some(Decided {
                event_type: t,
                sub: s,
                family: def.family,
                government_acts: None,
                guessed: false,
            }),
            SubRule::Territory => {
                let gov = self.government_acts(text, cs, ce, dom);
                let positions = self
                    .cues
                    .territory_positions
                    .is_match(text.get(dom.end..ce).unwrap_or(""), seen);
                if contested || positions {
                    let mut d = fixed("Armed clash", "clash", false)?;
                    d.government_acts = gov;
                    return Some(d);
                }
                let guess = gov.unwrap_or_else(|| {
                    // No actor cue: "re-" verbs regain, others overtake.
                    let w = text
                        .get(dom.start..dom.end)
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    w.starts_with("re")
                });
                let (t, s) = static_sub(territory_sub_event(guess))?;
                Some(Decided {
                    event_type: t,
                    sub: s,
                    family: "territory",
                    government_acts: gov,
                    guessed: gov.is_none(),
                })
            }
            SubRule::Victim => {
                let civilian = self.civilians_hit(text, cs, ce, dom, def.class == Class::Weak);
                // A generic word ("assault", "killed", "the attack") fits any
                // family, even when it hit civilians: the lead merges it into
                // the specific act reported beside it.
                let family = def.family;
                if civilian == Some(true) {
                    fixed("Attack", family, false)
                } else {
                    fixed("Armed clash", family, civilian.is_none())
                }
            }
        }
    }

    /// Who takes the place: the first actor cue of the subject (before the
    /// trigger), or in the passive ("seized by", "fell to") the first after it.
    fn government_acts(&self, text: &str, cs: usize, ce: usize, dom: &Hit) -> Option<bool> {
        let before = text.get(cs..dom.start).unwrap_or("");
        let trig = text
            .get(dom.start..dom.end)
            .unwrap_or("")
            .to_ascii_lowercase();
        // "was retaken by government forces": the agent is inside the trigger.
        let after = match trig.find(" by ") {
            Some(i) => text.get(dom.start + i..ce).unwrap_or(""),
            None => text.get(dom.end..ce).unwrap_or(""),
        };
        let passive = trig.contains("fell")
            || trig.contains(" by ")
            || before.trim_end().to_ascii_lowercase().ends_with("was")
            || before.trim_end().to_ascii_lowercase().ends_with("were")
            || before.trim_end().to_ascii_lowercase().ends_with("been")
            || after.trim_start().to_ascii_lowercase().starts_with("by ");
        let first = |s: &str| -> Option<bool> {
            let g = self
                .cues
                .government
                .find_iter(s)
                .find(|m| {
                    !self
                        .cues
                        .foreign_before
                        .is_match(s.get(..m.start()).unwrap_or(""))
                })
                .map(|m| m.start());
            let n = self.cues.nonstate.find(s).map(|m| m.start());
            match (g, n) {
                (Some(g), Some(n)) => Some(g < n),
                (Some(_), None) => Some(true),
                (None, Some(_)) => Some(false),
                (None, None) => None,
            }
        };
        if passive {
            first(after).or_else(|| first(before))
        } else {
            first(before).or_else(|| first(after))
        }
    }

    /// Whether the act hit civilians: the victim cue nearest the trigger
    /// (for an attack verb, the first one after it: its object). None when
    /// the clause names no one.
    fn civilians_hit(
        &self,
        text: &str,
        cs: usize,
        ce: usize,
        dom: &Hit,
        object_first: bool,
    ) -> Option<bool> {
        if object_first {
            let after = text.get(dom.end..ce).unwrap_or("");
            // "an assault to seize the neighbourhood": what follows the
            // goal is ground to be won, so the act is a battle.
            let goal = self.cues.goal.find(after).map(|m| m.start());
            let c = self.cues.civilians.find(after).map(|m| m.start());
            if goal.is_some_and(|g| c.is_none_or(|c| g < c)) {
                return Some(false);
            }
            let k = self.cues.combatants.find(after).map(|m| m.start());
            match (c, k) {
                (Some(c), Some(k)) => return Some(c < k),
                (Some(_), None) => return Some(true),
                (None, Some(_)) => return Some(false),
                (None, None) => {}
            }
        }
        let clause = text.get(cs..ce)?;
        let center = dom.start.saturating_sub(cs);
        let nearest = |re: &Regex| {
            re.find_iter(clause)
                .map(|m| {
                    if m.start() >= center {
                        m.start() - center
                    } else {
                        center - m.end().min(center)
                    }
                })
                .min()
        };
        match (
            nearest(&self.cues.civilians),
            nearest(&self.cues.combatants),
        ) {
            (Some(c), Some(k)) => Some(c < k),
            (Some(_), None) => Some(true),
            (None, Some(_)) => Some(false),
            (None, None) => None,
        }
    }
}

/// True when the trigger is a past-tense verb ("the SDF arrested"), which
/// a determiner before it cannot make an anaphoric noun.
fn is_verb_form(text: &str, h: &Hit) -> bool {
    is_past(text.get(h.start..h.end).unwrap_or(""))
}

/// True when the trigger opens with a past participle ("destroyed homes",
/// "burnt cars"): after a determiner it describes a thing.
fn is_participle(text: &str, h: &Hit) -> bool {
    let trigger = text.get(h.start..h.end).unwrap_or("");
    is_past(
        trigger
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or(""),
    )
}

/// A past tense or participle: "arrested", "fought", "took", "burnt" (not
/// a short word that only ends like one: "IED").
fn is_past(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w.len() > 3
        && ["ed", "fought", "took", "burnt"]
            .iter()
            .any(|s| w.ends_with(s))
}

/// Whether `report` has a match of `cue` whose words just before it do not
/// match `unless`.
fn cue_unless(report: &str, seen: &Seen, cue: &Gated, unless: &Regex) -> bool {
    let mut from = 0;
    while let Some(m) = report.get(from..).and_then(|rest| cue.find(rest, seen)) {
        let at = from + m.start();
        if !unless.is_match(window_before(report, at, CUE_WINDOW)) {
            return true;
        }
        from = at + m.len().max(1);
    }
    false
}

/// An "-ing" form: "fighting", "battling" (not a short word that only
/// ends like one).
fn is_gerund(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w.len() > 4 && w.ends_with("ing")
}

/// True when the trigger is one capitalised word inside a name ("Raqqa is
/// Being Slaughtered Silently"): not at the start of the sentence, and a
/// capitalised word beside it.
fn in_name(text: &str, h: &Hit, headline: &Headlines) -> bool {
    let word = text.get(h.start..h.end).unwrap_or("");
    if word.contains(char::is_whitespace) || !word.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let before = text.get(..h.start).unwrap_or("").trim_end();
    let Some(prev) = before.chars().last() else {
        return false;
    };
    if matches!(
        prev,
        '.' | '!' | '?' | '"' | '\u{201c}' | ':' | '(' | '-' | '\u{2014}'
    ) {
        return false;
    }
    let capital = |w: Option<&str>| {
        w.and_then(|w| w.chars().next())
            .is_some_and(char::is_uppercase)
    };
    let prev_word = before.rsplit(char::is_whitespace).next();
    let next_word = text.get(h.end..).unwrap_or("").split_whitespace().next();
    (capital(prev_word) || capital(next_word)) && !headline.contains(text, h.start)
}

/// Byte ranges of quoted passages (“...”, "...").
fn quote_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '\u{201c}' => open = Some(i),
            '\u{201d}' => {
                if let Some(s) = open.take() {
                    out.push((s, i + c.len_utf8()));
                }
            }
            '"' => match open.take() {
                Some(s) => out.push((s, i + 1)),
                None => open = Some(i),
            },
            _ => {}
        }
    }
    out
}

/// Trims white space, punctuation and a leading connective from a clause.
fn trim_clause(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let Some(c) = text.get(s..e) else {
        return (s, s);
    };
    let lead = c.len()
        - c.trim_start_matches(|ch: char| {
            ch.is_whitespace() || matches!(ch, ',' | ';' | '-' | '\u{2013}' | '\u{2014}')
        })
        .len();
    s += lead;
    let c = text.get(s..e).unwrap_or("");
    let trail = c.len()
        - c.trim_end_matches(|ch: char| ch.is_whitespace() || ch == ',' || ch == ';')
            .len();
    e -= trail;
    let lower = text.get(s..e).unwrap_or("").to_ascii_lowercase();
    for w in [
        "while ",
        "whilst ",
        "as ",
        "and ",
        "but ",
        "meanwhile, ",
        "meanwhile ",
        "then ",
    ] {
        if lower.starts_with(w) {
            s += w.len();
            break;
        }
    }
    (s, e)
}

/// How many bytes around a trigger its cues are read in.
const CUE_WINDOW: usize = 300;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn detect(t: &Triggers, s: &str) -> Vec<(String, String)> {
        t.detect_text(s)
            .into_iter()
            .map(|m| (m.sub_event_type.to_string(), m.clause.text(s).to_string()))
            .collect()
    }

    #[test]
    fn every_example_matches_its_trigger_and_keys() {
        let file: TriggerFile = toml::from_str(TRIGGERS_TOML).unwrap();
        for t in &file.trigger {
            let re = compile(TRIGGERS_FILE, &t.re).unwrap();
            assert!(!t.examples.is_empty(), "trigger {} has no examples", t.re);
            for ex in &t.examples {
                let m = re.find(ex);
                assert!(m.is_some(), "{:?} does not match {}", ex, t.re);
                let m = m.unwrap().as_str().to_ascii_lowercase();
                assert!(
                    t.keys.iter().any(|k| m.contains(&k.to_ascii_lowercase())),
                    "match {m:?} of {ex:?} holds none of the keys {:?}",
                    t.keys
                );
            }
        }
    }

    #[test]
    fn cues_in_the_trigger_window_are_gated() {
        // The cues read for every trigger must have a literal gate, or each
        // of them runs on every trigger's window again.
        let t = Triggers::new().expect("triggers");
        let c = &t.cues;
        for (name, cue) in [
            ("negation", &c.negation),
            ("irrealis", &c.irrealis),
            ("background_adjacent", &c.background_adjacent),
            ("background_near", &c.background_near),
            ("denial_near", &c.denial_near),
            ("descriptive", &c.descriptive),
            ("descriptive_fighters", &c.descriptive_fighters),
            ("not_event_after", &c.not_event_after),
            ("statement_after", &c.statement_after),
            ("cessation_after", &c.cessation_after),
            ("denial_after", &c.denial_after),
            ("debris", &c.debris),
            ("foreign_after", &c.foreign_after),
            ("aggregate", &c.aggregate),
            ("span", &c.span),
            ("alleged", &c.alleged),
            ("territory_people_before", &c.territory_people_before),
        ] {
            assert!(cue.is_gated(), "{name} has no literal gate");
        }
    }

    #[test]
    fn builds_and_finds_a_clash() {
        let t = Triggers::new().unwrap();
        let got = detect(&t, "Rebels clashed with troops near Hama on Monday.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "Armed clash");
    }

    #[test]
    fn spans_are_absolute() {
        let t = Triggers::new().unwrap();
        let body = "Intro. Jets struck Idlib on Monday.";
        let s = Sentence {
            span: Span::new(7, body.len()),
            paragraph: 0,
        };
        let m = t.detect(body, &s);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].trigger.text(body), "Jets");
        assert!(m[0].clause.text(body).starts_with("Jets struck"));
    }

    #[test]
    fn a_head_group_is_the_trigger_and_the_rest_context() {
        let t = Triggers::new().unwrap();
        let s = "Five people died in the strikes on the village.";
        let m = t.detect_text(s);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].trigger.text(s), "strikes");
    }

    #[test]
    fn no_panic_on_odd_text() {
        let t = Triggers::new().unwrap();
        for s in [
            "",
            "“",
            "clash“",
            "é clashes ; , while",
            "\u{201d} shelling \u{201c}",
        ] {
            let _ = t.detect_text(s);
        }
    }
}

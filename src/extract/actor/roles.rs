//! Roles: who acted (actor1), who was acted on (actor2), who fought
//! alongside (assoc_actor1/2) and who reported (source), decided inside one
//! event clause from the cue words around each mention and its place
//! relative to the event's trigger.

use chrono::NaiveDate;

use super::dict::{Cue, RawRoles};
use super::{Actor, ActorMention, ActorRole, Actors, Mark, Role};
use crate::model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Subj,
    Obj,
    /// Coordinated with (or an associate of) the candidate at this index.
    With(usize),
    Backer,
    Source,
    /// Holds a place the clause names (see [`Mark::Holder`]).
    Holder,
}

#[derive(Debug, Clone)]
struct Cand {
    /// Absolute span.
    span: Span,
    /// Offsets relative to the clause.
    start: usize,
    end: usize,
    def: usize,
    backer: bool,
    /// A place held ([`Mark::Held`]): a target or a holder, the agent only
    /// after an agent cue.
    held: bool,
    weak: bool,
    slot: Slot,
    /// The cue that set the slot names the other side of a fight:
    /// "clashes with X", "between Y and X", "pitting Y against X".
    side_cue: bool,
    /// The cue that set the slot names what was struck ("at a rebel
    /// checkpoint"): a target, never the agent for want of one.
    struck: bool,
    /// The object of an active verb of the act ("killed 35 members of X"):
    /// a victim, so the clause's agent is not among its other targets.
    victim: bool,
    /// Coordinated by a cue of alliance ("backed by X"), not by "and".
    allied: bool,
    /// An armed actor followed by a verb of reporting ("Turkey said"): the
    /// agent, unless what it said names another ("Turkey said Kurdish
    /// militants fired rockets").
    speaks: bool,
}

/// Words between a name and its verb: "X also said", "X has reported".
fn is_aux(w: &str) -> bool {
    matches!(w, "also" | "have" | "has" | "had" | "later")
}

/// `said` is the text from the end of a speaker's name to the start of
/// another actor's: true when that actor is the subject of what the
/// speaker said ("Turkey said Kurdish militants fired", "said that rebels
/// shelled") or its agent ("said the victims were killed by gas dropped
/// by Syrian aircraft"), and the words between do not point back to the
/// speaker. A claim ("IS claimed the attack") is not speech.
fn names_another_agent(said: &str, cues: &RawRoles) -> bool {
    let mut ws = word_iter(said).skip_while(|w| is_aux(w));
    let verb = ws.next();
    let mut gap: Vec<&str> = ws.collect();
    // "told AFP that", "told reporters on Sunday that": whom it was told to
    // is no part of what was said
    if matches!(verb, Some("told" | "tells" | "telling"))
        && let Some(i) = gap.iter().take(6).position(|w| *w == "that")
    {
        gap.drain(..i);
    }
    if gap
        .iter()
        .any(|w| cues.self_pronouns.iter().any(|p| p == w))
    {
        return false;
    }
    if matches!(verb, Some("claimed" | "claims" | "claim")) && gap.first() != Some(&"that") {
        return false;
    }
    let by = gap
        .iter()
        .rev()
        .find(|w| !cues.is_determiner(w))
        .is_some_and(|w| *w == "by");
    by || (gap.len() <= 6 && gap.iter().all(|w| cues.said_gap.iter().any(|g| g == w)))
}

/// A past participle: "destroyed", "struck".
fn is_participle(v: &str) -> bool {
    v.len() > 4 && v.ends_with("ed")
        || matches!(
            v,
            "hit" | "struck" | "shot" | "slain" | "taken" | "caught" | "beaten"
        )
}

/// The words of `s`, from either end.
fn word_iter(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
}

fn words(s: &str) -> Vec<&str> {
    word_iter(s).collect()
}

/// True when the word list ends with the words of a cue (`cw`, the cue
/// split at whitespace).
fn ends_with_cue<S: AsRef<str>>(ws: &[&str], cw: &[S]) -> bool {
    !cw.is_empty()
        && ws.len() >= cw.len()
        && ws[ws.len() - cw.len()..]
            .iter()
            .zip(cw)
            .all(|(w, c)| *w == c.as_ref())
}

/// True when the word list starts with the words of a cue.
pub(super) fn starts_with_cue(ws: &[&str], cw: &[String]) -> bool {
    !cw.is_empty() && ws.len() >= cw.len() && ws.iter().zip(cw).all(|(w, c)| w == c)
}

fn contains_cue(ws: &[&str], cw: &[String]) -> bool {
    !cw.is_empty()
        && ws
            .windows(cw.len())
            .any(|w| w.iter().zip(cw).all(|(a, b)| *a == b))
}

/// Words before a mention that are read for a cue: the longest cue (four
/// words) and as many determiners after it.
const WORDS_BEFORE: usize = 8;

/// The last few words of the text before a mention (lowercase), in order.
/// Only these are split: the rest of the text is never read.
fn words_before(before: &str) -> Vec<&str> {
    let mut ws: Vec<&str> = word_iter(before).rev().take(WORDS_BEFORE).collect();
    ws.reverse();
    ws
}

/// True when the words before a mention end with one of `cues`, right
/// away or past determiners ("according to the", "under the control of
/// the"; a cue may end with a determiner itself).
fn ends_with_any(roles: &RawRoles, mut ws: &[&str], cues: &[Cue]) -> bool {
    loop {
        if cues.iter().any(|c| ends_with_cue(ws, &c.words)) {
            return true;
        }
        match ws.split_last() {
            Some((w, rest)) if roles.is_determiner(w) => ws = rest,
            _ => return false,
        }
    }
}

/// Most capitalised words of a name (a place) read past at the end of the
/// text before a mention.
const NAME_WORDS: usize = 3;

/// Where the text before a mention ends once the words of a name right
/// before the mention (up to [`NAME_WORDS`]) are left out.
fn past_names(before: &str) -> usize {
    let mut end = before.len();
    for _ in 0..NAME_WORDS {
        let t = before.get(..end).unwrap_or("").trim_end();
        let start = t
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = t.get(start..).unwrap_or("");
        // a name's word: capitalised, no punctuation ("the Observatory,"
        // ends a phrase)
        if !word.starts_with(|c: char| c.is_uppercase())
            || !word
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '\'' | '\u{2019}'))
        {
            break;
        }
        end = start;
    }
    end
}

fn strip_determiners<'a>(roles: &RawRoles, mut ws: Vec<&'a str>) -> Vec<&'a str> {
    // A possessive before the actor is a determiner too: "between Syria's
    // new security forces and ..." (a curly apostrophe splits "syria", "s").
    while let Some(&w) = ws.last() {
        if roles.is_determiner(w) || w.ends_with("'s") {
            ws.pop();
        } else if w == "s" && ws.len() >= 2 {
            ws.truncate(ws.len() - 2);
        } else {
            break;
        }
    }
    ws
}

impl Actors {
    /// The actors of one event mention and their roles. `clause` is the
    /// span of text that reports the event, `trigger` the words that signal
    /// it, `mentions` the actor mentions of the whole document, `date` the
    /// event's (or the article's) date for time-valid resolution.
    ///
    /// Only mentions inside `clause` are used. The clause is narrowed to the
    /// sub-clause around the trigger (split at "; ", ", while ", ", who "...),
    /// and widened again only to find a missing opponent. Each actor appears
    /// at most once per role; there are at most two main actors; generic
    /// actors ("paramilitaries") are never associates; sources only get the
    /// role `source`.
    pub fn roles(
        &self,
        body: &str,
        clause: Span,
        trigger: Span,
        mentions: &[ActorMention],
        date: Option<NaiveDate>,
    ) -> Vec<ActorRole> {
        let Some(ctext) = body.get(clause.start..clause.end) else {
            return Vec::new();
        };
        let clc = ctext.to_ascii_lowercase();
        let cues = &self.dict.roles;
        let wcues = &self.dict.cues;

        // Candidates: the clause's mentions, without overlaps.
        let mut ms: Vec<&ActorMention> = mentions
            .iter()
            .filter(|m| clause.contains(m.span) && !m.span.is_empty())
            .collect();
        ms.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
        let mut cands: Vec<Cand> = Vec::new();
        for m in ms {
            if cands.last().is_some_and(|c| c.span.end > m.span.start) {
                continue;
            }
            let Some(def) = self.resolve_def(m.entry, date) else {
                continue;
            };
            let (start, end) = (m.span.start - clause.start, m.span.end - clause.start);
            let (slot, speaks) = self.first_slot(m, def, ctext, &clc, start);
            cands.push(Cand {
                span: m.span,
                start,
                end,
                def,
                backer: m.mark == Mark::Backer,
                held: m.mark == Mark::Held,
                weak: m.weak,
                slot,
                side_cue: false,
                struck: false,
                victim: false,
                allied: false,
                speaks,
            });
        }
        // Civilians who fled are not the target of what they fled.
        cands.retain(|c| {
            self.dict.defs[c.def].actor.kind != "civilians" || !self.flees(&clc, c.end)
        });
        // "the Al-Watan daily, which is close to the regime, reported": the
        // patron of a reporter describes it; it neither acts nor reports.
        let source_ends: Vec<usize> = cands
            .iter()
            .filter(|c| c.slot == Slot::Source)
            .map(|c| c.end)
            .collect();
        cands.retain(|c| !self.patron_of_reporter(&clc, c.start, &source_ends));
        if cands.is_empty() {
            return Vec::new();
        }

        let fights = |c: &Cand| !matches!(c.slot, Slot::Source | Slot::Holder);

        // The sub-clause around the trigger.
        let trig = (clause.contains(trigger) && !trigger.is_empty())
            .then(|| (trigger.start - clause.start, trigger.end - clause.start));
        // An armed speaker named after the act, behind a comma ("... killing
        // 40 people, the army said"), tells the act whoever did it.
        if let Some((_, t1)) = trig {
            for c in cands.iter_mut().filter(|c| c.speaks && c.start >= t1) {
                let gap = clc.get(t1..c.start).unwrap_or("");
                if gap.rfind(',').is_some_and(|k| {
                    strip_determiners(cues, words(gap.get(k + 1..).unwrap_or(""))).is_empty()
                }) {
                    c.slot = Slot::Source;
                    c.speaks = false;
                }
            }
        }
        let (mut lo, mut hi, mut relative) = (0, clc.len(), false);
        if let Some((t0, t1)) = trig {
            // One pass for every boundary; each boundary's occurrences are
            // taken left to right without overlap (as `match_indices` would),
            // and of boundaries ending at the same place the first listed wins.
            let mut next_free = vec![0usize; self.boundaries.patterns_len()];
            let mut best: Option<usize> = None;
            for m in self.boundaries.find_overlapping_iter(clc.as_str()) {
                let p = m.pattern().as_usize();
                if let Some(free) = next_free.get_mut(p) {
                    if m.start() < *free {
                        continue;
                    }
                    *free = m.end();
                }
                let (i, e) = (m.start(), m.end());
                if e <= t0 && (e > lo || (e == lo && best.is_some_and(|b| p < b))) {
                    lo = e;
                    best = Some(p);
                }
                if i >= t1 && i < hi {
                    hi = i;
                }
            }
            relative = best.is_some_and(|p| self.boundary_relative.get(p).copied() == Some(true));
        }
        let fighters_in = |lo: usize, hi: usize, cands: &[Cand]| {
            cands
                .iter()
                .any(|c| fights(c) && c.start >= lo && c.end <= hi)
        };
        if !fighters_in(lo, hi, &cands) && !relative {
            (lo, hi, relative) = (0, clc.len(), false);
        }
        let in_sub: Vec<usize> = (0..cands.len())
            .filter(|&i| {
                let c = &cands[i];
                fights(c) && c.start >= lo && c.end <= hi
            })
            .collect();
        // "the insurgents, who launched...": the antecedent is the subject.
        let antecedent = if relative {
            (0..cands.len())
                .rev()
                .find(|&i| fights(&cands[i]) && cands[i].end <= lo)
        } else {
            None
        };

        // "were shelled", not "are fighting": a be-verb before a verb in
        // -ing is progressive
        let passive = trig.is_some_and(|(t0, t1)| {
            self.is_passive(ctext.get(..t0).unwrap_or(""))
                && word_iter(clc.get(t0..t1).unwrap_or(""))
                    .next()
                    .is_none_or(|w| !w.ends_with("ing"))
        });
        // an agent cue (data `agent`: "by", "carried out by", ...) after the trigger
        let agent_after = |t1: usize| {
            let after: Vec<&str> = word_iter(clc.get(t1..).unwrap_or("")).collect();
            wcues.agent.iter().any(|a| contains_cue(&after, &a.words))
        };
        let mut between_open = false;
        let mut against_open = false;
        let mut prev: Option<usize> = antecedent;
        if let Some(a) = antecedent {
            cands[a].slot = if cands[a].held {
                Slot::Holder
            } else {
                Slot::Subj
            };
        }
        let first_in_sub = in_sub.first().copied();
        // A name joined to the next by a hyphenated word ("the Al
        // Qaeda-linked Nusra Front") only modifies it: a verb's object is
        // the name after, and the modifier backs it.
        let hyphen_joined = |a: &Cand, b: &Cand| {
            clc.get(a.end..b.start).is_some_and(|g| {
                g.strip_prefix('-')
                    .is_some_and(|w| !w.trim_end().contains(char::is_whitespace))
            })
        };
        let mut object_pending = false;
        for (k, &i) in in_sub.iter().enumerate() {
            let (start, end) = (cands[i].start, cands[i].end);
            let gap_from = prev.map_or(lo, |p| cands[p].end.max(lo));
            let gap = clc.get(gap_from.min(start)..start).unwrap_or("");
            let raw_ws = words(gap);
            let ws = strip_determiners(&self.dict.roles, raw_ws.clone());
            let kind = self.dict.defs[cands[i].def].actor.kind;
            let mut object = self.object_of_verb(&ws)
                || (object_pending && prev.is_some_and(|p| hyphen_joined(&cands[p], &cands[i])));
            object_pending = false;
            if object
                && in_sub
                    .get(k + 1)
                    .is_some_and(|&j| hyphen_joined(&cands[i], &cands[j]))
            {
                object_pending = true;
                object = false;
                cands[i].backer = true;
            }
            let mut side_cue = false;
            let mut struck = false;
            let mut allied = false;
            // An agent cue makes even a place held the agent: "shells fired
            // from rebel positions" (see Mark::Held).
            let mut by_agent_cue = false;
            // an ally cue right before the name: "backed by", "in cooperation
            // with", perhaps with a name's words between ("backed by
            // Lebanons Shiite Hezbollah")
            let ally_cue = ends_with_any(&self.dict.roles, &raw_ws, &wcues.assoc)
                || self.cue_past_names(ctext, &clc, gap_from.min(start), start, &wcues.assoc);
            let slot = if cands[i].backer {
                Slot::Backer
            } else if cands[i].weak || kind == "civilians" {
                // "killed 15 civilians and 27 fighters": the verb's victims
                // all, none of them its agent
                cands[i].victim = object;
                Slot::Obj
            } else if between_open && ends_with_cue(&ws, &["and"]) {
                between_open = false;
                side_cue = true;
                Slot::Obj
            } else if against_open && ends_with_cue(&ws, &["against"]) {
                against_open = false;
                side_cue = true;
                Slot::Obj
            } else if let (Some(p), true) = (
                prev,
                // "allied Syrian rebels of the Free Syrian Army": a group
                // that names the generic fighters before it
                prev.is_some_and(|p| self.dict.defs[cands[p].def].generic)
                    && matches!(raw_ws.as_slice(), ["of"] | ["of", "the"]),
            ) {
                allied = cands[p].allied;
                cands[p].slot
            } else if let (Some(p), true) = (
                prev,
                // "backed by X", but not "and allied factions clashed with
                // X": an ally is named before the act's trigger, or after
                // it, or right after its cue ("fighting alongside X")
                raw_ws.len() <= 6
                    && (ally_cue
                        || (!trig.is_some_and(|(t0, t1)| gap_from <= t0 && t1 <= start)
                            && wcues.assoc.iter().any(|a| contains_cue(&raw_ws, &a.words)))),
            ) {
                allied = true;
                Slot::With(p)
            } else if ally_cue
                && let Some(s) = antecedent
                    .into_iter()
                    .chain(in_sub[..k].iter().copied())
                    .find(|&j| cands[j].slot == Slot::Subj && !cands[j].weak)
            {
                // Far from the last name: "Hezbollah said it had taken the
                // plain outside the town in cooperation with X", "the YPG,
                // which drove IS from the town with the help of X". The cue
                // right before the name makes it an ally of the clause's
                // agent (the relative's antecedent, else its first
                // subject), not of whoever was named last.
                allied = true;
                Slot::With(s)
            } else if prev.is_none()
                && raw_ws.len() <= 6
                && ends_with_any(&self.dict.roles, &raw_ws, &wcues.assoc)
                && in_sub
                    .iter()
                    .any(|&j| cands[j].start >= end && !cands[j].weak)
            {
                // "Backed by Russian jets, government forces retook the
                // town": an ally named before anyone it backs backs the
                // next one named.
                cands[i].backer = true;
                Slot::Backer
            } else if let (Some(p), true) = (
                prev,
                raw_ws.len() <= 3
                    && (ends_with_cue(&raw_ws, &["and", "its"])
                        || ends_with_cue(&raw_ws, &["and", "their"])
                        || ends_with_cue(&ws, &["and"])
                        || ends_with_cue(&ws, &["or"])
                        || (ws.is_empty() && gap.trim() == ",")),
            ) {
                Slot::With(p)
            } else if let Some(a) = wcues.agent.iter().find(|a| ends_with_cue(&ws, &a.words)) {
                match a.text.as_str() {
                    // "a coalition between X and Y": allies, not sides
                    "between" => between_open = !self.joins_between(&raw_ws),
                    "pitting" | "pitted" => against_open = true,
                    _ => {}
                }
                by_agent_cue = true;
                Slot::Subj
            } else if let Some(t) = wcues.target.iter().find(|t| ends_with_cue(&ws, &t.words)) {
                side_cue = t.text == "with";
                struck = wcues.struck.iter().any(|c| c.text == t.text);
                Slot::Obj
            } else if object {
                struck = true;
                cands[i].victim = true;
                Slot::Obj
            } else {
                match trig {
                    Some((t0, _)) if start < t0 && end <= t0 => {
                        // How far the subject may be coordinated: not to an
                        // opponent ("regime and rebel fighters were killed"
                        // names both sides), and not at all from an ally
                        // named after the subject read ("forces and allies
                        // who include Hezbollah and ... were killed").
                        let side = self.dict.defs[cands[i].def].side.as_str();
                        let led = prev.is_some_and(|p| {
                            cands[p].slot == Slot::Subj && self.dict.defs[cands[p].def].side == side
                        });
                        let until = if led {
                            end
                        } else {
                            cands
                                .iter()
                                .filter(|c| c.start >= end && self.dict.defs[c.def].side != side)
                                .map(|c| c.start)
                                .fold(t0, usize::min)
                        };
                        if passive || self.suffers(&clc, end, t0, until) {
                            Slot::Obj
                        } else {
                            Slot::Subj
                        }
                    }
                    Some((t0, _)) if start < t0 => Slot::Subj, // "Russian air strike"
                    // a trigger that opens with its side, "killed in Israeli
                    // raids" (not a one-word trigger that names its actors,
                    // "protesters"), unless an agent is named after it
                    // ("barrel bombs dropped by regime helicopters")
                    Some((t0, t1))
                        if start == t0
                            && clc.get(t0..t1).is_some_and(|t| t.contains(' '))
                            && !agent_after(t1) =>
                    {
                        Slot::Subj
                    }
                    Some(_) => Slot::Obj,
                    None if Some(i) == first_in_sub && antecedent.is_none() => Slot::Subj,
                    None => Slot::Obj,
                }
            };
            cands[i].slot = if cands[i].held && slot == Slot::Subj && !by_agent_cue {
                Slot::Holder
            } else {
                slot
            };
            cands[i].side_cue = side_cue;
            cands[i].struck = struck;
            cands[i].allied = allied;
            if slot != Slot::Backer {
                prev = Some(i);
            }
        }

        // The head slot of a candidate (following coordination).
        let head = |cands: &[Cand], mut i: usize| {
            for _ in 0..cands.len() {
                match cands[i].slot {
                    Slot::With(p) if p != i => i = p,
                    _ => break,
                }
            }
            i
        };
        let actor = |c: &Cand| &self.dict.defs[c.def].actor;
        let side = |c: &Cand| self.dict.defs[c.def].side.as_str();
        // A name between a preposition and the trigger's noun is its agent
        // ("destroyed in army airstrikes"): a subject read earlier in the
        // clause is what they struck ("IS hideouts and vehicles were
        // destroyed").
        if let Some((t0, _)) = trig
            && let Some(k) = in_sub.iter().copied().find(|&k| {
                cands[k].slot == Slot::Subj
                    && !cands[k].weak
                    && clc.get(cands[k].end..t0) == Some(" ")
                    && self.struck_by(clc.get(..cands[k].start).unwrap_or(""))
            })
        {
            for &j in &in_sub {
                if j != k
                    && cands[j].end <= cands[k].start
                    && cands[j].slot == Slot::Subj
                    && actor(&cands[j]) != actor(&cands[k])
                {
                    cands[j].slot = Slot::Obj;
                }
            }
        }
        let mut order: Vec<usize> = antecedent.into_iter().collect();
        order.extend(in_sub.iter().copied());
        // An armed speaker whose words name who acted only reports the act:
        // "The US said the victims were killed by gas dropped by Syrian
        // aircraft" (it and those coordinated with it become sources; it
        // may have been read as the passive's subject).
        let subject = |cands: &[Cand], i: usize| cands[i].slot == Slot::Subj && !cands[i].weak;
        if let Some(s) = order
            .iter()
            .copied()
            .find(|&i| cands[i].speaks && matches!(cands[i].slot, Slot::Subj | Slot::Obj))
            && order.iter().any(|&j| {
                subject(&cands, j)
                    && head(&cands, j) != s
                    && cands[j].start >= cands[s].end
                    && names_another_agent(
                        clc.get(cands[s].end..cands[j].start).unwrap_or(""),
                        cues,
                    )
            })
        {
            for i in 0..cands.len() {
                if head(&cands, i) == s {
                    cands[i].slot = Slot::Source;
                }
            }
        }

        let mut a1: Option<usize> = order
            .iter()
            .copied()
            .find(|&i| cands[i].slot == Slot::Subj && !cands[i].weak);
        if a1.is_none() {
            // No subject: of two different targets, the one that is not a
            // victim acted ("X was killed in clashes with Y", "barrel bombs
            // targeted neighbourhoods, killing four people").
            let objs: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| cands[i].slot == Slot::Obj)
                .collect();
            // Not a name after the victims of an active verb ("the blast
            // killed 20 militants including a commander of X"): that verb's
            // subject, the agent, came before them.
            let first_victim = objs
                .iter()
                .filter(|&&j| cands[j].victim)
                .map(|&j| cands[j].start)
                .min();
            a1 = objs.iter().copied().find(|&i| {
                let distinct = objs.iter().any(|&j| actor(&cands[j]) != actor(&cands[i]));
                let before_victims = first_victim.is_none_or(|v| cands[i].start < v);
                !cands[i].weak
                    && !cands[i].held
                    && !cands[i].struck
                    && actor(&cands[i]).kind != "civilians"
                    && ((distinct && before_victims) || cands[i].side_cue)
            });
        }
        let differs = |i: usize, other: Option<usize>| {
            other.is_none_or(|o| actor(&cands[i]) != actor(&cands[o]))
        };
        // The other side a clash names ("fighting between X and Y", "clashes
        // with Y") comes before anyone else acted on ("residents caught in
        // fighting between regime forces and ISIS").
        let mut a2: Option<usize> = order
            .iter()
            .copied()
            .filter(|&i| Some(i) != a1 && cands[i].slot == Slot::Obj && differs(i, a1))
            .min_by_key(|&i| (cands[i].weak, !cands[i].side_cue));
        let opposed = |i: usize, other: Option<usize>| {
            differs(i, other) && other.is_none_or(|o| side(&cands[i]) != side(&cands[o]))
        };
        // The holder of the place the act struck ("a town held by the
        // Islamic State") is its target when nothing else names one (see
        // below). When the one other actor named was read as a target
        // too, it is the agent ("the fighting, where insurgents struck a
        // district held by the army").
        let holder = |other: Option<usize>| {
            (0..cands.len())
                .find(|&i| cands[i].slot == Slot::Holder && Some(i) != other && opposed(i, other))
        };
        let mut held = false;
        if a1.is_none()
            && a2.is_some_and(|b| actor(&cands[b]).kind != "civilians" && !cands[b].weak)
            && let Some(h) = holder(a2)
        {
            (a1, a2, held) = (a2, Some(h), true);
        }
        // An attack on homes ("shelled homes", "targeted a pro-government
        // village with rockets") targets civilians when no actor is named;
        // the capture of a village does not.
        let homes_attacked = a2.is_none()
            && trig.is_some_and(|(t0, t1)| {
                let tword = clc.get(t0..t1).unwrap_or("");
                if cues
                    .capture_words
                    .iter()
                    .any(|w| tword.starts_with(w.as_str()))
                {
                    return false;
                }
                let window = words(clc.get(lo.min(t0)..hi.max(t1)).unwrap_or(""));
                let attack = cues.attack_words.iter().any(|w| tword.contains(w.as_str()))
                    || window
                        .iter()
                        .any(|w| cues.attack_words.iter().any(|a| w.starts_with(a.as_str())));
                attack
                    && window
                        .iter()
                        .any(|w| cues.residential.iter().any(|r| r == w))
            });
        if a2.is_none() && !homes_attacked {
            a2 = holder(a1);
            held = a2.is_some();
        }
        // A clash has two sides: another actor of the sub-clause (but not
        // an ally of the first, "backed by X").
        // Names joined by "and" are two sides only of a mutual act
        // ("rebels and regime forces clashed"); of a one-sided act they
        // acted together ("the Nusra Front and Ahrar al-Sham fired").
        if a2.is_none() {
            let mutual = trig.is_some_and(|(t0, t1)| {
                let tword = clc.get(t0..t1).unwrap_or("");
                cues.mutual_words.iter().any(|w| tword.contains(w.as_str()))
            });
            a2 = order.iter().copied().find(|&i| {
                Some(i) != a1
                    && !cands[i].weak
                    && !cands[i].allied
                    && (cands[i].slot == Slot::Subj
                        || (mutual && matches!(cands[i].slot, Slot::With(_))))
                    && opposed(i, a1)
            });
        }
        // Actors the clause implies without naming them: like the
        // resolver's default actors, they have no text of their own.
        let mut extra: Vec<(Actor, Role)> = Vec::new();
        if a2.is_none() && homes_attacked {
            extra.push((self.resolve(self.dict.victims, date), Role::Actor2));
        }
        // Widen: the nearest opponent elsewhere in the clause.
        if a2.is_none() && extra.is_empty() {
            let mut outside: Vec<usize> = (0..cands.len())
                .filter(|&i| {
                    let c = &cands[i];
                    !order.contains(&i) && fights(c) && !c.backer && !c.weak
                })
                .collect();
            outside.sort_by_key(|&i| {
                let c = &cands[i];
                if c.start >= hi {
                    c.start - hi
                } else {
                    lo.saturating_sub(c.end)
                }
            });
            let pick = outside.into_iter().find(|&i| opposed(i, a1));
            if a1.is_none() {
                a1 = pick;
            } else {
                a2 = pick;
            }
        }
        // State forces that take ground from nobody named take it from the
        // opposition.
        if let (Some(a), None, true, Some((t0, t1))) = (a1, a2, extra.is_empty(), trig) {
            let tword = clc.get(t0..t1).unwrap_or("");
            let def = &self.dict.defs[cands[a].def];
            if def.actor.kind == "state_forces"
                && def.side == "government"
                && cues
                    .capture_words
                    .iter()
                    .any(|w| tword.starts_with(w.as_str()))
            {
                extra.push((self.resolve(self.dict.capture_loser, date), Role::Actor2));
            }
        }

        // Roles.
        let mut out: Vec<ActorRole> = Vec::new();
        let push = |out: &mut Vec<ActorRole>, actor: &Actor, role: Role, span: Span| {
            let main = matches!(role, Role::Actor1 | Role::Actor2);
            let dup = out.iter().any(|r| {
                r.actor == *actor
                    && (r.role == role
                        || (role != Role::Source
                            && r.role != Role::Source
                            && (main || matches!(r.role, Role::Actor1 | Role::Actor2))))
            });
            if !dup {
                out.push(ActorRole {
                    actor: actor.clone(),
                    role,
                    span,
                    held: false,
                });
            }
        };
        if let Some(a) = a1 {
            push(&mut out, actor(&cands[a]), Role::Actor1, cands[a].span);
        }
        if let Some(b) = a2 {
            push(&mut out, actor(&cands[b]), Role::Actor2, cands[b].span);
            if let Some(r) = out.last_mut().filter(|r| r.role == Role::Actor2) {
                r.held = held;
            }
        }
        for (act, role) in extra {
            push(&mut out, &act, role, Span::default());
        }
        let role_of = |i: usize| {
            let h = head(&cands, i);
            if Some(h) == a1 {
                Some(Role::AssocActor1)
            } else if Some(h) == a2 {
                Some(Role::AssocActor2)
            } else {
                match cands[h].slot {
                    Slot::Subj if a1.is_some() => Some(Role::AssocActor1),
                    Slot::Obj if a2.is_some() => Some(Role::AssocActor2),
                    _ => None,
                }
            }
        };
        for (k, &i) in order.iter().enumerate() {
            if Some(i) == a1 || Some(i) == a2 || cands[i].weak {
                continue;
            }
            let def = &self.dict.defs[cands[i].def];
            if def.generic {
                continue;
            }
            let role = if cands[i].backer {
                // Associate of the actor it modifies (the next candidate).
                order.get(k + 1).and_then(|&n| {
                    if Some(n) == a1 {
                        Some(Role::AssocActor1)
                    } else if Some(n) == a2 {
                        Some(Role::AssocActor2)
                    } else {
                        role_of(n)
                    }
                })
            } else {
                role_of(i)
            };
            if let Some(role) = role {
                push(&mut out, &def.actor, role, cands[i].span);
            }
        }
        for c in cands.iter().filter(|c| c.slot == Slot::Source) {
            push(&mut out, actor(c), Role::Source, c.span);
        }
        out
    }

    /// The slot a mention starts in, from the words around it alone:
    /// - a source: a reporting entry, the owner of an outlet, anyone
    ///   "according to" which the act is told, and an unarmed one that
    ///   "said";
    /// - a holder: "IS-held", "held by X", "under the control of X";
    /// - otherwise a subject, until its place in the clause says more.
    ///
    /// True when the "between" that ends `ws` follows a word of union ("a
    /// coalition between", "an agreement between"): what it names are
    /// partners, not the two sides of a fight.
    fn joins_between(&self, ws: &[&str]) -> bool {
        ws.iter()
            .rposition(|w| *w == "between")
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| ws.get(i))
            .is_some_and(|w| self.dict.roles.union_words.iter().any(|u| u == w))
    }

    /// A name of a place may stand between "a source at" and the mention:
    /// "a source at Deir Ezzor Police Command told SANA". Also returns
    /// whether a subject is an armed speaker ("Turkey said", see
    /// [`Cand::speaks`]).
    fn first_slot(
        &self,
        m: &ActorMention,
        def: usize,
        ctext: &str,
        clc: &str,
        start: usize,
    ) -> (Slot, bool) {
        let d = &self.dict.defs[def];
        let before = words_before(clc.get(..start).unwrap_or(""));
        let cues = &self.dict.cues;
        let end = start + m.span.len();
        // "a source at Aleppo Police Command 5 people were killed": past
        // the names a count of people starts the report, it is not its source
        let sourced = || {
            ends_with_any(&self.dict.roles, &before, &cues.sourced_by)
                || !m.weak && self.cue_past_names(ctext, clc, 0, start, &cues.sourced_by)
        };
        let slot = match m.mark {
            Mark::Reporter => Slot::Source,
            _ if d.source => Slot::Source,
            Mark::Holder => Slot::Holder,
            Mark::Actor if ends_with_any(&self.dict.roles, &before, &cues.holder_before) => {
                Slot::Holder
            }
            // an unarmed one that said, or anyone's spokesman ("a police
            // source said", "an NDF official told AFP")
            _ if sourced()
                || (!m.weak
                    && (d.unarmed() && self.reports(&before, clc, end)
                        || self.speech(clc, end) == Some(true))) =>
            {
                Slot::Source
            }
            Mark::Actor | Mark::Backer | Mark::Held => Slot::Subj,
        };
        let speaks = slot == Slot::Subj && !m.weak && self.says(clc, end);
        (slot, speaks)
    }

    /// True when the text from `from` to a mention at `start` ends with one
    /// of `cues` once the words of a name right before the mention are read
    /// past: "a source at Deir Ezzor Police Command", "backed by Lebanons
    /// Shiite Hezbollah". `ctext` is the clause as written (for the
    /// capitals), `clc` the same lowercased.
    fn cue_past_names(
        &self,
        ctext: &str,
        clc: &str,
        from: usize,
        start: usize,
        cues: &[Cue],
    ) -> bool {
        let cut = from + past_names(ctext.get(from..start).unwrap_or(""));
        cut < start
            && ends_with_any(
                &self.dict.roles,
                &words_before(clc.get(from..cut).unwrap_or("")),
                cues,
            )
    }

    /// "X said", "as per X" (`before`: the words before the mention; `end`
    /// where it ends in `clc`).
    fn reports(&self, before: &[&str], clc: &str, end: usize) -> bool {
        ends_with_any(&self.dict.roles, before, &self.dict.cues.according) || self.says(clc, end)
    }

    /// A reporting verb follows the name ending at `end`: "X said", "X
    /// has reported", "an X spokesman said". Only the first word after the
    /// name (past its auxiliaries and nouns of a speaker) can be one: the
    /// rest of the clause is never split.
    /// (The resolver reads it too: "the ministry in Moscow said" names
    /// where someone spoke.)
    pub(crate) fn says(&self, clc: &str, end: usize) -> bool {
        self.speech(clc, end).is_some()
    }

    /// Whether a reporting verb follows the name ending at `end`, and
    /// whether a noun of a speaker came between: "a police source in the
    /// city said" is `Some(true)`, "Turkey said" `Some(false)`. After a
    /// speaker noun a short phrase of place may come first ("in the
    /// city", "at the Police Command").
    fn speech(&self, clc: &str, end: usize) -> Option<bool> {
        let roles = &self.dict.roles;
        let speaker = |w: &str| roles.speakers.iter().any(|s| s == w);
        let reporting = |w: &str| roles.reporting.iter().any(|r| r == w);
        let mut ws = word_iter(clc.get(end..).unwrap_or("")).filter(|w| !is_aux(w));
        let mut named = false;
        let mut w = ws.next()?;
        while speaker(w) {
            named = true;
            w = ws.next()?;
        }
        if named && matches!(w, "in" | "at" | "from" | "within" | "inside") {
            // a place's words, not a clause: "an officer in Homs was
            // killed, activists said" reports nothing of the officer's
            let verb = |w: &str| {
                is_participle(w)
                    || self.is_be(w)
                    || matches!(w, "who" | "which" | "that" | "and" | "but")
            };
            return ws
                .take(5)
                .take_while(|w| reporting(w) || !verb(w))
                .any(reporting)
                .then_some(true);
        }
        // "an army source was quoted as saying": a speaker's noun reports
        // in the passive too ("the army was reported to have shelled" names
        // an agent, so a bare name does not)
        if named && self.is_be(w) {
            return ws.next().filter(|w| reporting(w)).map(|_| true);
        }
        reporting(w).then_some(named)
    }

    /// The words before a mention (determiners stripped) end with an active
    /// verb of `roles.object_verbs` and a count: "killed 35 (members of)",
    /// "ambushed at least ten". Not after a passive auxiliary: in "soldiers
    /// were killed Syrian media said" the name after the verb begins a new
    /// clause.
    fn object_of_verb(&self, ws: &[&str]) -> bool {
        let mut ws = ws;
        // the count between ("killed 35", "dozens of"), and a whole
        // qualifier phrase before it ("at least 35"; not "in multiple")
        let cw = &self.dict.count_words;
        let numeral = |w: &&&str| {
            w.bytes().all(|b| b.is_ascii_digit() || b == b',')
                || cw.numerals.binary_search_by(|c| c.as_str().cmp(w)).is_ok()
        };
        let n = ws.iter().rev().take_while(numeral).count();
        if n > 0 {
            ws = &ws[..ws.len() - n];
            if let Some(q) = cw.qualifiers.iter().find(|q| ends_with_cue(ws, q)) {
                ws = &ws[..ws.len() - q.len()];
            }
        }
        let Some((verb, rest)) = ws.split_last() else {
            return false;
        };
        self.dict.roles.object_verbs.iter().any(|v| v == verb)
            && rest
                .iter()
                .rev()
                .find(|w| !self.dict.roles.is_adverb(w))
                .is_none_or(|w| !self.is_be(w))
    }

    /// The mention ending at `end` is the subject of a passive verb before
    /// the trigger at `t0`: "16 government soldiers were killed in Turkish
    /// drone strikes", "a patrol was ambushed".
    ///
    /// The subject may be coordinated with others up to the offset `until`
    /// ("troops and militia were killed", "members of the YPG and Asayish
    /// were killed"): the auxiliary must come before it.
    fn suffers(&self, clc: &str, end: usize, t0: usize, until: usize) -> bool {
        let gap = clc.get(end..t0).unwrap_or("");
        let words: Vec<&str> = word_iter(gap)
            .filter(|w| !self.dict.roles.is_adverb(w))
            .collect();
        let skip = self.coordinated(gap, &words, until.saturating_sub(end));
        let mut ws = words.get(skip..).unwrap_or(&[]).iter().copied();
        let Some(aux) = ws.next() else {
            return false;
        };
        let verb = match aux {
            "had" | "has" | "have" => ws.next().filter(|w| *w == "been").and_then(|_| ws.next()),
            _ if self.is_be(aux) => ws.next(),
            _ => None,
        };
        // "was reported to have shelled", "were believed to have fired":
        // a verb of saying or thinking before an infinitive has the
        // subject act, not suffer
        let raised = ws.next() == Some("to") && matches!(ws.next(), Some("have" | "be"));
        !raised && verb.is_some_and(is_participle)
    }

    /// How many of the `words` after a subject name the people coordinated
    /// with it ("troops and militia were killed", "soldiers and two
    /// officers were ..."): "and" or "or", then at most three words, up to
    /// the auxiliary that makes the whole subject passive, which must
    /// start before byte `limit` of `gap` (their text). 0 when the words
    /// do not read so, or when punctuation parts them from the subject.
    fn coordinated(&self, gap: &str, words: &[&str], limit: usize) -> usize {
        if !matches!(words.first(), Some(&("and" | "or"))) || gap.contains([',', ';', ':', '(']) {
            return 0;
        }
        let Some((a, aux)) = words
            .iter()
            .enumerate()
            .find(|(_, w)| self.is_be(w) || matches!(**w, "had" | "has" | "have"))
        else {
            return 0;
        };
        // where the auxiliary starts in `gap` (the words are its slices)
        let at = (aux.as_ptr() as usize).saturating_sub(gap.as_ptr() as usize);
        let joined = words
            .get(1..a)
            .is_some_and(|m| !m.iter().any(|w| matches!(*w, "and" | "or")));
        if (2..=4).contains(&a) && joined && at < limit {
            a
        } else {
            0
        }
    }

    /// The text before a name ends with a participle and a preposition
    /// ("destroyed in", "were targeted by the", "killed in a series of"):
    /// the name that follows, with the trigger's noun after it, did it.
    /// Not "under the cover of", "in support of": an ally's act.
    fn struck_by(&self, before: &str) -> bool {
        let prep = |w: &&str| self.dict.roles.noun_preps.iter().any(|p| p == w);
        let mut ws = word_iter(before)
            .rev()
            .filter(|w| !matches!(*w, "the" | "a" | "an"))
            .peekable();
        if ws.next_if(prep).is_none() {
            return false;
        }
        // "a series of", "a wave of": a measure of the act
        if ws
            .next_if(|w| matches!(*w, "series" | "wave" | "barrage" | "round"))
            .is_some()
            && ws.next_if(prep).is_none()
        {
            return false;
        }
        ws.find(|w| !self.dict.roles.is_adverb(w))
            .is_some_and(is_participle)
    }

    /// The mention ending at `end` is the subject of a verb of flight
    /// ("residents fled south", "families had already fled").
    fn flees(&self, clc: &str, end: usize) -> bool {
        word_iter(clc.get(end..).unwrap_or(""))
            .find(|w| !self.dict.roles.is_adverb(w) && !matches!(*w, "had" | "have" | "has"))
            .is_some_and(|w| self.dict.roles.flight.iter().any(|f| f == w))
    }

    /// True when the mention starting at `start` follows a link of
    /// patronage (`roles.patron_links`: "close to", "loyal to") that
    /// describes a reporter right before it, past "which is" or "who are"
    /// and a comma: a noun of the media or of a speaker ("a newspaper
    /// close to", "sources loyal to") or a source's name ending at one of
    /// `source_ends` ("the Observatory, which is close to the opposition").
    fn patron_of_reporter(&self, clc: &str, start: usize, source_ends: &[usize]) -> bool {
        let roles = &self.dict.roles;
        let mut ws = words_before(clc.get(..start).unwrap_or(""));
        while ws.last().is_some_and(|w| matches!(*w, "the" | "a" | "an")) {
            ws.pop();
        }
        let Some(link) = self
            .dict
            .cues
            .patron_links
            .iter()
            .find(|l| ends_with_cue(&ws, &l.words))
        else {
            return false;
        };
        ws.truncate(ws.len() - link.words.len());
        if ws.last().is_some_and(|w| self.is_be(w)) {
            ws.pop();
            if !ws
                .last()
                .is_some_and(|w| matches!(*w, "which" | "who" | "that"))
            {
                return false;
            }
            ws.pop();
        }
        let Some(&last) = ws.last() else {
            return false;
        };
        let noun = roles.speakers.iter().any(|s| s == last)
            || self
                .dict
                .cues
                .media
                .iter()
                .any(|m| ends_with_cue(&ws, &m.words));
        // where the reporter's last word ends in `clc`
        let named = clc
            .get(..start)
            .and_then(|b| b.rfind(last))
            .is_some_and(|i| source_ends.contains(&(i + last.len())));
        noun || named
    }

    /// `before`, in its own case, ends with a form of "be": "IS" there is
    /// the group ("three IS suicide bombers"), not the verb.
    fn is_passive(&self, before: &str) -> bool {
        word_iter(before)
            .rev()
            .find(|w| !self.dict.roles.is_adverb(w))
            .is_some_and(|w| w != "IS" && self.is_be(w))
    }

    /// A form of "be" (or "get") that makes a passive: `roles.passive`, in
    /// any case.
    fn is_be(&self, w: &str) -> bool {
        self.dict
            .roles
            .passive
            .iter()
            .any(|p| p.eq_ignore_ascii_case(w))
    }
}

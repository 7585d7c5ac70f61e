//! Actors: dictionary matching, time-valid resolution, and roles.
//!
//! The dictionary (`data/actors.toml`) holds canonical actors in ACLED's
//! naming style with their kind, country, allegiance and validity dates, the
//! words that name them, and the words whose meaning depends on the date
//! ("government forces" are the Assad government's up to 8 December 2024 and
//! the transitional government's after). [`Actors::extract`] finds the
//! mentions with one Aho-Corasick automaton (leftmost-longest, over the
//! ASCII-lowercased text, with word-boundary checks and case-sensitive
//! acronyms), [`Actors::resolve`] picks the actor an entry names on a date,
//! and [`Actors::roles`] decides who acted, who was acted on, who fought
//! alongside and who reported, inside one event clause.

mod dict;
mod roles;

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use chrono::NaiveDate;
use regex::Regex;

use crate::error::{Error, Result};
use crate::model::{CleanDoc, Sentence, Span};

pub use dict::Adversary;
use dict::{ActorDef, Dict, Entry, PatInfo, PatKind};

/// A resolved actor, as it goes into the `actors` table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Actor {
    pub name: String,
    /// One of `typology::ACTOR_KINDS`.
    pub kind: &'static str,
    pub country: Option<String>,
    pub allegiance: Option<String>,
}

/// An actor named in the body (not yet resolved against a date).
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMention {
    pub span: Span,
    /// Index of the dictionary entry family this alias belongs to.
    pub entry: usize,
    /// What the words around the name make of it.
    pub mark: Mark,
    /// A weak mention ("20 people"): used as the victims only when the
    /// clause names no other target.
    pub weak: bool,
}

/// What the words around a name make of the actor it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// An actor of whatever its clause reports.
    Actor,
    /// An "X-backed" / "X-led" modifier: X is an associate of the actor
    /// named next, not an actor of its own.
    Backer,
    /// The holder of a place ("IS-held"): never the agent, the target when
    /// its clause names no other. A name after "held by" is read as one
    /// by the roles of its event (`holder_before`).
    Holder,
    /// A place held, named by a modifier and a noun of a position ("rebel
    /// positions", "the jihadist stronghold"): the target where its clause
    /// makes it one ("shelled rebel positions"), else a holder; the agent
    /// only after an agent cue ("shells fired from rebel positions").
    Held,
    /// The owner of an outlet that reports ("the IS-run Amaq news agency"):
    /// a source.
    Reporter,
}

/// The role an actor plays in one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Actor1,
    Actor2,
    AssocActor1,
    AssocActor2,
    Source,
}

impl Role {
    /// The side of a fighting role: 1 for actor1 and its associates, 2 for
    /// actor2 and its; none for a source.
    pub fn side(self) -> Option<u8> {
        match self {
            Role::Actor1 | Role::AssocActor1 => Some(1),
            Role::Actor2 | Role::AssocActor2 => Some(2),
            Role::Source => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Actor1 => "actor1",
            Role::Actor2 => "actor2",
            Role::AssocActor1 => "assoc_actor1",
            Role::AssocActor2 => "assoc_actor2",
            Role::Source => "source",
        }
    }
}

/// An actor with its role in an event.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRole {
    pub actor: Actor,
    pub role: Role,
    pub span: Span,
    /// The actor is the target only as the holder of the place struck
    /// ([`Mark::Holder`]): a target another report of the event names
    /// comes first.
    pub held: bool,
}

/// Sides of the actor data that fight for no one: a generic noun of
/// these stands for no named group.
const UNARMED_SIDES: &[&str] = &["none", "unknown"];

/// Words after a name that make it a descriptor of a place or people, not
/// an actor ("Kurdish-majority"; "IS held", which may as well be a verb).
/// The hyphenated forms that name a holder are data (`holder_after`).
const DESCRIPTOR: &[&str] = &[
    " held",
    " controlled",
    "-dominated",
    "-populated",
    "-majority",
];

/// The actor dictionary, compiled once and shared read-only.
pub struct Actors {
    dict: Dict,
    ac: AhoCorasick,
    regexes: Vec<(Regex, usize, bool)>,
    /// Every sub-clause boundary (`roles.boundaries`, same order), for one
    /// overlapping pass over a clause.
    boundaries: AhoCorasick,
    /// Per boundary: it opens a relative clause (", who").
    boundary_relative: Vec<bool>,
    /// Actor name -> whom it fights when a report names no one (only the
    /// actors whose data says).
    adversaries: HashMap<String, Adversary>,
    /// Actor name -> (its side, whether it is a generic fighter noun),
    /// for the actors of an armed side.
    armed_sides: HashMap<String, (String, bool)>,
}

impl Actors {
    pub fn new() -> Result<Actors> {
        Actors::from_toml(include_str!("../../data/actors.toml"))
    }

    /// Builds the matcher from the text of an actor dictionary.
    pub fn from_toml(text: &str) -> Result<Actors> {
        let dict = dict::load(text)?;
        // A DFA: the whole body is scanned, and the patterns are few
        // enough for its table to stay small.
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&dict.patterns)
            .map_err(|e| Error::data(dict::FILE, e))?;
        let mut regexes = Vec::new();
        for (re, entry, weak) in &dict.regexes {
            let r = crate::matcher::regex(&format!("(?i){re}"))
                .map_err(|e| Error::data(dict::FILE, format!("pattern {re:?}: {e}")))?;
            regexes.push((r, *entry, *weak));
        }
        let boundaries = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&dict.roles.boundaries)
            .map_err(|e| Error::data(dict::FILE, e))?;
        let boundary_relative = dict
            .roles
            .boundaries
            .iter()
            .map(|b| b.trim() == ", who" || b.trim() == ",who")
            .collect();
        let adversaries = dict
            .defs
            .iter()
            .filter_map(|d| Some((d.actor.name.clone(), d.adversary?)))
            .collect();
        let armed_sides = dict
            .defs
            .iter()
            .filter(|d| !UNARMED_SIDES.contains(&d.side.as_str()))
            .map(|d| (d.actor.name.clone(), (d.side.clone(), d.generic)))
            .collect();
        Ok(Actors {
            dict,
            ac,
            regexes,
            boundaries,
            adversaries,
            armed_sides,
            boundary_relative,
        })
    }

    /// The actor mentions of a document's body.
    pub fn extract(&self, doc: &CleanDoc, _sentences: &[Sentence]) -> Vec<ActorMention> {
        self.find(&doc.body)
    }

    /// The actor mentions of a text; spans are byte ranges into `text`.
    pub fn find(&self, text: &str) -> Vec<ActorMention> {
        let lc = text.to_ascii_lowercase();
        let mut out: Vec<ActorMention> = Vec::new();
        let mut pos = 0;
        while pos < lc.len() {
            let Some(mut m) = self.ac.find(Input::new(&lc).span(pos..lc.len())) else {
                break;
            };
            // "the Army of Conquest": a longer name that starts inside the
            // match ("the army") and runs past it through "of" is the one
            // meant.
            if lc.get(m.end()..).is_some_and(|r| r.starts_with(" of ")) {
                if let Some(longer) = self
                    .ac
                    .find(Input::new(&lc).span(m.start() + 1..lc.len()))
                    .filter(|l| l.start() < m.end() && l.end() > m.end())
                {
                    m = longer;
                }
            }
            match self.accept(text, &lc, m.start(), m.end(), m.pattern().as_usize()) {
                Some(mention) => {
                    pos = mention.span.end.max(m.end());
                    out.push(mention);
                }
                None => pos = next_boundary(&lc, m.start()),
            }
        }
        // Phrase patterns are more specific than the words they hold.
        let mut extra = Vec::new();
        for (re, entry, weak) in &self.regexes {
            for m in re.find_iter(text) {
                extra.push(ActorMention {
                    span: Span::new(m.start(), m.end()),
                    entry: *entry,
                    mark: Mark::Actor,
                    weak: *weak,
                });
            }
        }
        for x in extra {
            let overlapping = out.iter().any(|o| o.span.overlaps(x.span));
            if x.weak {
                if !overlapping {
                    out.push(x);
                }
            } else {
                out.retain(|o| !o.span.overlaps(x.span));
                out.push(x);
            }
        }
        out.sort_by_key(|m| (m.span.start, m.span.end));
        // "IS gunmen", "the SDF's internal security forces": a generic
        // fighter noun right after a named group, or what the group's
        // possessive owns, is that group, not a second actor.
        // "the opposition Syrian Observatory": a name right before a
        // reporting source describes the source.
        // `prev` becomes `next`, over the words of both.
        let absorb = |prev: &mut ActorMention, next: &ActorMention| {
            *prev = ActorMention {
                span: Span::new(prev.span.start, next.span.end),
                ..next.clone()
            };
        };
        out.dedup_by(|next, prev| {
            if self.describes_source(text, prev, next) {
                absorb(prev, next);
                return true;
            }
            // "the IS-run Amaq news agency", "Hezbollah's al-Manar": the
            // outlet its owner reports by is part of the owner's mention
            if prev.mark == Mark::Reporter
                && self.default_def(next.entry).is_some_and(|d| d.source)
                && text
                    .get(prev.span.end..next.span.start)
                    .is_some_and(|gap| gap.len() <= 8 && !gap.contains([',', '.', ';']))
            {
                prev.span.end = next.span.end;
                return true;
            }
            // "the Syrian Coalition, an opposition group based abroad,
            // said": what a source is, told right after it, is the source
            if self.source_apposition(text, prev, next) {
                prev.span.end = next.span.end;
                return true;
            }
            // "al-Qaeda's Syrian affiliate, the Nusra Front": the part
            // named after its parent is the one meant; and so is the part
            // named first, in "the Nusra Front, al-Qaeda's branch".
            if self.armed_pair(prev, next) {
                if text
                    .get(prev.span.end..next.span.start)
                    .is_some_and(|gap| self.affiliate_words(gap).is_some_and(str::is_empty))
                {
                    absorb(prev, next);
                    return true;
                }
                if self.describes_parent(text, prev, next)
                    || text
                        .get(prev.span.end..next.span.start)
                        .is_some_and(|gap| self.affiliate_of(gap))
                {
                    prev.span.end = next.span.end;
                    return true;
                }
            }
            if self.member_of(text, prev, next) {
                absorb(prev, next);
                return true;
            }
            // "the US-led anti-Daesh coalition": a modifier's "X-led" right
            // before the entry it leads is part of that name
            if prev.mark == Mark::Backer
                && self.dict.led.get(&prev.entry) == Some(&next.entry)
                && text.get(prev.span.end..next.span.start) == Some(" ")
            {
                absorb(prev, next);
                return true;
            }
            let owned = self.owns(text, prev, next);
            if owned {
                prev.span.end = next.span.end;
            }
            owned
        });
        out
    }

    /// True when mention `a` is one word right before the reporting source
    /// `b`: "the opposition Syrian Observatory for Human Rights" (but not
    /// "clashes with rebels the Observatory said", in a text that lost its
    /// commas).
    fn describes_source<'a>(&self, text: &'a str, a: &ActorMention, b: &ActorMention) -> bool {
        let (Some(da), Some(db)) = (self.default_def(a.entry), self.default_def(b.entry)) else {
            return false;
        };
        // "the" opening a name, as "the opposition" or "the Observatory"
        let after_the = |w: &'a str| {
            w.get(..4)
                .filter(|t| t.eq_ignore_ascii_case("the "))
                .and_then(|_| w.get(4..))
        };
        let one_word = text
            .get(a.span.start..a.span.end)
            .is_some_and(|w| !after_the(w).unwrap_or(w).contains(char::is_whitespace));
        let source_opens = text
            .get(b.span.start..b.span.end)
            .is_some_and(|w| after_the(w).is_some());
        db.source
            && !da.source
            && !da.unarmed()
            && !a.weak
            && a.mark == Mark::Actor
            && one_word
            && !source_opens
            && text.get(a.span.end..b.span.start) == Some(" ")
    }

    /// True when mention `b` is an apposition to the reporting source `a`
    /// right before it: "a" or "an" between ("the Syrian Coalition an
    /// opposition group", with its commas lost or not), or a comma and
    /// "the" with at most two words ("the Observatory, the main opposition
    /// monitor"; not without the comma, where "the Observatory the army
    /// said" may be two sentences run together).
    fn source_apposition(&self, text: &str, a: &ActorMention, b: &ActorMention) -> bool {
        let (Some(da), Some(db)) = (self.default_def(a.entry), self.default_def(b.entry)) else {
            return false;
        };
        if !da.source || db.source || a.mark != Mark::Actor {
            return false;
        }
        let Some(gap) = text.get(a.span.end..b.span.start) else {
            return false;
        };
        let gap = gap.to_ascii_lowercase();
        let (comma, rest) = match gap.strip_prefix(',') {
            Some(r) => (true, r),
            None => (false, gap.as_str()),
        };
        let ws: Vec<&str> = rest.split(' ').collect();
        // the gap is " w1 ... wn " exactly: empty first and last pieces
        let [first, inner @ .., last] = ws.as_slice() else {
            return false;
        };
        let Some((article, adjectives)) = inner.split_first() else {
            return false;
        };
        let words_ok = adjectives
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|c| c.is_ascii_lowercase() || c == b'-'));
        first.is_empty()
            && last.is_empty()
            && words_ok
            && match *article {
                "a" | "an" => adjectives.is_empty(),
                "the" => comma && adjectives.len() <= 2,
                _ => false,
            }
    }

    /// True when `a` and `b` name two different armed groups by name.
    fn armed_pair(&self, a: &ActorMention, b: &ActorMention) -> bool {
        let named = |m: &ActorMention| {
            self.default_def(m.entry)
                .filter(|d| !d.generic && !d.source && !d.unarmed())
                .filter(|_| m.mark == Mark::Actor && !m.weak)
        };
        matches!((named(a), named(b)), (Some(da), Some(db)) if da.actor.name != db.actor.name)
    }

    /// What follows the affiliate words at the head of `rest` (a group's
    /// possessive, adjectives, an affiliate noun, "in Syria", then a comma
    /// or "the"), or `None` when `rest` does not open with them.
    fn affiliate_words<'a>(&self, rest: &'a str) -> Option<&'a str> {
        let roles = &self.dict.roles;
        // "'s", or an "s" whose apostrophe the feed lost
        let mut rest = ["'s", "\u{2019}s", "s "]
            .iter()
            .find_map(|p| rest.strip_prefix(p))
            .unwrap_or(rest)
            .trim_start();
        let word = |r: &str| -> usize { r.find([' ', ',', ')', ';']).unwrap_or(r.len()) };
        while let Some(w) = rest.get(..word(rest)) {
            if !roles
                .affiliate_adjectives
                .iter()
                .any(|a| a.eq_ignore_ascii_case(w))
            {
                break;
            }
            rest = rest.get(w.len()..).unwrap_or("").trim_start();
        }
        let noun = roles.affiliate_nouns.iter().find(|n| {
            rest.get(..n.len()).is_some_and(|h| {
                h.eq_ignore_ascii_case(n) && rest.get(n.len()..).is_some_and(|t| word(t) == 0)
            })
        })?;
        rest = rest.get(noun.len()..).unwrap_or("");
        for tail in [" in Syria", " in syria"] {
            rest = rest.strip_prefix(tail).unwrap_or(rest);
        }
        rest = rest.trim_start_matches([',', ' ', '(', ':']);
        for the in ["the ", "The "] {
            rest = rest.strip_prefix(the).unwrap_or(rest);
        }
        Some(rest)
    }

    /// True when `b`, right after `a` and set off by a comma or a bracket,
    /// is only the parent that describes `a`: "the Nusra Front, al-Qaeda's
    /// branch in Syria", "Nusra (al-Qaeda's Syrian affiliate)".
    fn describes_parent(&self, text: &str, a: &ActorMention, b: &ActorMention) -> bool {
        let set_off = text.get(a.span.end..b.span.start).is_some_and(|gap| {
            let g = gap.trim_end();
            let g = g
                .strip_suffix(" an")
                .or_else(|| g.strip_suffix(" a"))
                .or_else(|| g.strip_suffix(" the"))
                .unwrap_or(g);
            matches!(g.trim(), "," | "(" | "\u{2014}" | "-" | "--")
        });
        set_off
            && text
                .get(b.span.end..)
                .and_then(|rest| self.affiliate_words(rest))
                .is_some()
    }

    /// True when `gap`, between two named groups, makes the second the
    /// parent of the first: an affiliate noun and "of" ("al-Nusra Front,
    /// the Syrian branch of al-Qaeda", its comma lost or not).
    fn affiliate_of(&self, gap: &str) -> bool {
        let g = gap.trim_start_matches([',', ' ', '(']);
        let g = ["the ", "The ", "a ", "an "]
            .iter()
            .find_map(|a| g.strip_prefix(a))
            .unwrap_or(g);
        self.affiliate_words(g)
            .is_some_and(|rest| matches!(rest.trim_end(), "of" | "of the"))
    }

    /// True when `a` is a generic fighter noun and `b`, right after one of
    /// `roles.member_links` ("from", "of the"), the named non-state group
    /// its men belong to ("militants from Nusra", "fighters of the Islamic
    /// State", "militants of the Takfiri group ISIL"): one actor, the group.
    fn member_of(&self, text: &str, a: &ActorMention, b: &ActorMention) -> bool {
        let (Some(da), Some(db)) = (self.default_def(a.entry), self.default_def(b.entry)) else {
            return false;
        };
        a.mark == Mark::Actor
            && b.mark == Mark::Actor
            && !a.weak
            && !b.weak
            && da.generic
            && !db.generic
            && !da.source
            && !db.source
            && !db.unarmed()
            && da.actor.kind != "civilians"
            // "seized by rebels from government forces": a state's men
            // are not its "rebels" or "militants"
            && !matches!(db.actor.kind, "state_forces" | "external_forces")
            && text.get(a.span.end..b.span.start).is_some_and(|gap| {
                gap.starts_with(' ') && gap.ends_with(' ') && self.member_link(gap.trim())
            })
    }

    /// True when `gap` is a member link, perhaps with the group's kind after
    /// it in at most three words ("of the Takfiri group"), or a hedge on
    /// the group's name ("of the so-called").
    fn member_link(&self, gap: &str) -> bool {
        let r = &self.dict.roles;
        let gap = r
            .member_hedges
            .iter()
            .find_map(|h| {
                gap.strip_suffix(h.as_str())
                    .and_then(|g| g.strip_suffix(' '))
            })
            .unwrap_or(gap);
        r.member_links.iter().any(|l| {
            gap == l
                || gap
                    .strip_prefix(l.as_str())
                    .and_then(|rest| rest.strip_prefix(' '))
                    .is_some_and(|kind| {
                        let words: Vec<&str> = kind.split(' ').collect();
                        words.len() <= 3
                            && words
                                .last()
                                .is_some_and(|w| r.member_kinds.iter().any(|k| k == w))
                    })
        })
    }

    /// True when mention `b` names the group that mention `a`, just before
    /// it, names: `a` a named armed group, and `b` either a generic fighter
    /// noun or a bare military one right after it ("IS gunmen", "SDF
    /// soldiers") or held by its possessive with at
    /// most one word between ("the SDF's internal security forces").
    fn owns(&self, text: &str, a: &ActorMention, b: &ActorMention) -> bool {
        let (Some(da), Some(db)) = (self.default_def(a.entry), self.default_def(b.entry)) else {
            return false;
        };
        if a.mark != Mark::Actor
            || a.weak
            || b.weak
            || da.generic
            || da.source
            || da.unarmed()
            || db.source
        {
            return false;
        }
        let Some(gap) = text.get(a.span.end..b.span.start) else {
            return false;
        };
        if gap == " " {
            // "SDF soldiers", "HTS troops": a bare military noun after a
            // named group is its men, though alone it names the army
            let bare = text
                .get(b.span.start..b.span.end)
                .is_some_and(|w| self.dict.nouns.iter().any(|n| n.eq_ignore_ascii_case(w)));
            return (db.generic || bare) && db.actor.kind != "civilians";
        }
        // A mention ends right before an "s" only when the feed lost the
        // possessive's apostrophe ("Russias defence ministry").
        let Some(owned) = gap
            .strip_prefix("'s ")
            .or_else(|| gap.strip_prefix("\u{2019}s "))
            .or_else(|| gap.strip_prefix("s "))
        else {
            return false;
        };
        db.actor.kind != "civilians"
            && (owned.is_empty()
                || owned
                    .strip_suffix(' ')
                    .is_some_and(|w| !w.is_empty() && w.bytes().all(|c| c.is_ascii_alphabetic())))
    }

    /// Checks one automaton match: word boundaries, exact case for acronyms,
    /// "pro-"/"-held" descriptors, "X-backed", modifiers before a military
    /// noun, and country names used as places.
    fn accept(
        &self,
        text: &str,
        lc: &str,
        start: usize,
        end: usize,
        pid: usize,
    ) -> Option<ActorMention> {
        let info: &PatInfo = self.dict.infos.get(pid)?;
        let before = lc.get(..start)?;
        let after = lc.get(end..)?;
        // A word goes on after the match: no name, unless a possessive
        // that lost its apostrophe.
        let glued = after.chars().next().is_some_and(char::is_alphanumeric);
        let lost = glued && lost_possessive(text, start, end);
        if before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            || (glued && !lost)
        {
            return None;
        }
        if let Some(forms) = &info.exact {
            let orig = text.get(start..end)?;
            if !forms.iter().any(|f| f == orig) {
                return None;
            }
        }
        let pat = self.dict.patterns.get(pid)?;
        if !pat.starts_with("pro-")
            && !pat.starts_with("anti-")
            && (before.ends_with("pro-") || before.ends_with("anti-") || before.ends_with("ex-"))
        {
            return None;
        }
        if DESCRIPTOR.iter().any(|h| after.starts_with(h)) {
            return None;
        }
        // "Al-Nusra said its militants entered the villages": fighters a
        // pronoun owns are the owner's, named elsewhere, not another side.
        if self
            .default_def(info.entry)
            .is_some_and(|d| d.generic && !d.unarmed())
            && before
                .strip_suffix(' ')
                .and_then(|b| b.rsplit(|c: char| !c.is_alphanumeric()).next())
                .is_some_and(|w| self.dict.roles.owner_pronouns.iter().any(|p| p == w))
        {
            return None;
        }
        let mention = |e: usize, mark: Mark| ActorMention {
            span: Span::new(start, e),
            entry: info.entry,
            mark,
            weak: false,
        };
        // A name, not an adjective ("state-run television" is no actor's).
        if self.owns_outlet(after) {
            return matches!(info.kind, PatKind::Alias).then(|| mention(end, Mark::Reporter));
        }
        let roles = &self.dict.roles;
        if roles.holder_after.iter().any(|h| {
            after
                .strip_prefix(h.as_str())
                .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
        }) {
            return Some(mention(end, Mark::Holder));
        }
        if let Some(b) = self.dict.backed.iter().find(|b| {
            after.starts_with(b.as_str())
                && !after
                    .get(b.len()..)
                    .is_some_and(|r| r.trim_start().starts_with("by "))
                && !after
                    .get(b.len()..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphanumeric)
        }) {
            // "US-led air strikes": the entry the modifier's "-led" names
            let led = (info.kind == PatKind::Modifier && b.ends_with("led"))
                .then(|| self.dict.led.get(&info.entry))
                .flatten()
                .and_then(|&e| {
                    let noun = self.noun_at(after.get(b.len()..)?.strip_prefix(' ')?)?;
                    Some(ActorMention {
                        span: Span::new(start, end + b.len() + 1 + noun.len()),
                        entry: e,
                        mark: Mark::Actor,
                        weak: false,
                    })
                });
            return led.or_else(|| Some(mention(end + b.len(), Mark::Backer)));
        }
        let def = self.default_def(info.entry)?;
        // "MOSCOW (Sputnik) -": a dateline names where a story was filed,
        // not the state whose capital it is.
        if def.place_like && dateline(text, start, end) {
            return None;
        }
        // "in Turkey" is a place, but "in Turkish drone strikes" names the
        // actor: a modifier needs its military noun anyway
        if def.place_like && matches!(info.kind, PatKind::Alias) && self.after_place_prep(before) {
            return None;
        }
        match info.kind {
            PatKind::Alias => Some(mention(end, Mark::Actor)),
            PatKind::Modifier => {
                let mut rest_at = end;
                let lost_s: &[&str] = if lost { &["s"] } else { &[] };
                for poss in ["'s", "\u{2019}s"].iter().chain(lost_s) {
                    if lc.get(rest_at..).is_some_and(|r| r.starts_with(poss)) {
                        rest_at += poss.len();
                        break;
                    }
                }
                let rest = lc.get(rest_at..)?;
                let trimmed = rest.trim_start_matches(char::is_whitespace);
                if trimmed.len() == rest.len() || trimmed.len() + 3 < rest.len() {
                    return None;
                }
                let at = rest_at + (rest.len() - trimmed.len());
                let noun_at = |words: &str| self.noun_at(words);
                if let Some(noun) = noun_at(trimmed) {
                    // "the strike on the rebel stronghold": the place's
                    // holder, not an agent (the roles decide, see Mark::Held).
                    let held = self.dict.held_nouns.contains(noun);
                    if held
                        && lc
                            .get(start..end)
                            .is_some_and(|w| self.dict.national.iter().any(|n| n == w))
                        && !self.dict.national_held_nouns.contains(noun)
                    {
                        return None;
                    }
                    let mark = if held { Mark::Held } else { Mark::Actor };
                    return Some(mention(at + noun.len(), mark));
                }
                // "Russian and Syrian warplanes": the noun after the next
                // modifier is this one's too; the mention is the word alone.
                let (other, nouns) = trimmed.strip_prefix("and ")?.split_once(' ')?;
                let modifier_like = !other.is_empty()
                    && other.bytes().all(|c| c.is_ascii_alphabetic() || c == b'-');
                (modifier_like && noun_at(nouns).is_some()).then(|| mention(end, Mark::Actor))
            }
        }
    }

    /// The military noun (of `modifiers.nouns`, longest first) that
    /// `words` open with, as a whole word.
    fn noun_at(&self, words: &str) -> Option<&String> {
        self.dict.nouns.iter().find(|n| {
            words.starts_with(n.as_str())
                && !words
                    .get(n.len()..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphanumeric)
        })
    }

    /// True when `after` (the text after a name) says the name owns an
    /// outlet of the media: a link ("-run", "'s") and, within two more
    /// words, a noun of the media ("the IS-run Amaq news agency").
    fn owns_outlet(&self, after: &str) -> bool {
        let Some(rest) = self
            .dict
            .roles
            .owner_links
            .iter()
            .find_map(|l| after.strip_prefix(l.as_str()))
        else {
            return false;
        };
        if rest.starts_with(char::is_alphanumeric) {
            return false;
        }
        // the next four words, without an allocation ("'s" follows many names)
        let mut buf = [""; 4];
        let mut n = 0;
        for (slot, w) in buf.iter_mut().zip(
            rest.split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .filter(|w| !w.is_empty()),
        ) {
            *slot = w;
            n += 1;
        }
        let ws = buf.get(..n).unwrap_or(&[]);
        (0..=2).any(|i| {
            ws.get(i..).is_some_and(|tail| {
                self.dict
                    .cues
                    .media
                    .iter()
                    .any(|m| roles::starts_with_cue(tail, &m.words))
            })
        })
    }

    fn after_place_prep(&self, before: &str) -> bool {
        let b = before.trim_end();
        self.dict.roles.place_preps.iter().any(|p| {
            b.ends_with(p.as_str())
                && !b
                    .get(..b.len() - p.len())
                    .and_then(|r| r.chars().next_back())
                    .is_some_and(char::is_alphanumeric)
        })
    }

    fn default_def(&self, entry: usize) -> Option<&ActorDef> {
        let e: &Entry = self.dict.entries.get(entry)?;
        self.dict.defs.get(*e.variants.first()?)
    }

    /// Index of the actor definition an entry names on `date`: the variant
    /// valid on the date; with no date (or none valid), the entry's default
    /// (first) variant, except that a date before every variant picks the
    /// earliest and a date after every variant the latest.
    fn resolve_def(&self, entry: usize, date: Option<NaiveDate>) -> Option<usize> {
        let e = self.dict.entries.get(entry)?;
        let first = *e.variants.first()?;
        let Some(d) = date else { return Some(first) };
        // Of the variants valid on the date, the one that began last (the
        // YPG is valid throughout, the SDF from October 2015 on).
        if let Some(v) = e
            .variants
            .iter()
            .filter(|&&v| self.dict.defs[v].valid_on(d))
            .max_by_key(|&&v| self.dict.defs[v].valid_from)
        {
            return Some(*v);
        }
        // No variant is valid: take the one whose range is nearest the date.
        e.variants
            .iter()
            .min_by_key(|&&v| {
                let def = &self.dict.defs[v];
                let from = def.valid_from.map_or(0, |f| (f - d).num_days().max(0));
                let to = def.valid_to.map_or(0, |t| (d - t).num_days().max(-1) + 1);
                from + to
            })
            .copied()
    }

    /// Whom the actor named `name` fights when a report names no target
    /// (its data's `adversary`), if the data says.
    pub fn adversary(&self, name: &str) -> Option<Adversary> {
        self.adversaries.get(name).copied()
    }

    /// True when one of two actors is a generic fighter noun and the other
    /// a named group of the same armed side: "terrorists fired two rocket
    /// shells" and "Jaish al-Islam terrorists targeted the area with two
    /// rocket shells" may tell one act, the generic noun standing for the
    /// group.
    pub fn one_side(&self, a: &str, b: &str) -> bool {
        match (self.armed_sides.get(a), self.armed_sides.get(b)) {
            (Some((sa, ga)), Some((sb, gb))) => sa == sb && ga != gb,
            _ => false,
        }
    }

    /// The actor a dictionary entry names on `date` (see the data file for
    /// the variants; with no date, the entry's default variant: for the
    /// Syrian government's forces that is the pre-December-2024 army).
    pub fn resolve(&self, entry: usize, date: Option<NaiveDate>) -> Actor {
        self.resolve_def(entry, date)
            .and_then(|d| self.dict.defs.get(d))
            .map(|d| d.actor.clone())
            .unwrap_or_else(|| Actor {
                name: "Unidentified armed group".into(),
                kind: "unknown",
                country: None,
                allegiance: None,
            })
    }

    /// The name of the actor a mention names by default (no date).
    pub fn name_of(&self, mention: &ActorMention) -> &str {
        self.default_def(mention.entry)
            .map(|d| d.actor.name.as_str())
            .unwrap_or("")
    }

    /// The key of a dictionary entry (an actor's name, or a family's key).
    pub fn entry_key(&self, entry: usize) -> &str {
        self.dict
            .entries
            .get(entry)
            .map(|e| e.key.as_str())
            .unwrap_or("")
    }

    /// True when the entry is a reporting source (role `source` only).
    pub fn is_source(&self, entry: usize) -> bool {
        self.default_def(entry).is_some_and(|d| d.source)
    }

    /// Every actor the dictionary can produce.
    pub fn all(&self) -> impl Iterator<Item = &Actor> {
        self.dict.defs.iter().map(|d| &d.actor)
    }

    /// For an article without a date: 8 December 2024 when its text speaks
    /// of Syria after Assad's fall ("ousted", "former regime", "new
    /// authorities"...), so that date-dependent words resolve to the
    /// transitional government's forces; `None` otherwise.
    pub fn infer_era(&self, body: &str) -> Option<NaiveDate> {
        let lc = body.to_ascii_lowercase();
        self.dict
            .roles
            .post_2024
            .iter()
            .any(|s| lc.contains(s.as_str()))
            .then(|| NaiveDate::from_ymd_opt(2024, 12, 8))
            .flatten()
    }
}

/// Whether the name at `start..end` of `text` is a dateline: in capitals,
/// followed by the agency in brackets or a dash ("MOSCOW (Sputnik)",
/// "DAMASCUS -").
fn dateline(text: &str, start: usize, end: usize) -> bool {
    let Some(name) = text.get(start..end) else {
        return false;
    };
    let capitals = name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !name.chars().any(char::is_lowercase);
    let after = text.get(end..).unwrap_or("");
    capitals
        && ["(", "-", "–", "—"]
            .iter()
            .any(|m| after.trim_start().starts_with(m))
}

/// Whether the name at `start..end` of `text` is a possessive whose
/// apostrophe the feed lost: "Assads air force", "Russias defence
/// ministry", "the armys units". The "s" must end the word and a lower-case
/// word follow (what the name owns), and the name must be capitalised or
/// end in "y" (whose plural is spelt "-ies"), so that a plural ("regimes",
/// "coalitions") is never read as one.
fn lost_possessive(text: &str, start: usize, end: usize) -> bool {
    let Some(name) = text.get(start..end) else {
        return false;
    };
    let named = name.starts_with(|c: char| c.is_uppercase()) || name.ends_with(['y', 'Y']);
    let mut rest = text.get(end..).unwrap_or("").chars();
    named
        && rest.next() == Some('s')
        && rest.next() == Some(' ')
        && rest.next().is_some_and(|c| c.is_lowercase())
}

/// The next char boundary after `i`.
fn next_boundary(s: &str, i: usize) -> usize {
    let mut j = i + 1;
    while j < s.len() && !s.is_char_boundary(j) {
        j += 1;
    }
    j
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn names(a: &Actors, text: &str) -> Vec<String> {
        a.find(text)
            .iter()
            .map(|m| a.resolve(m.entry, None).name)
            .collect()
    }

    #[test]
    fn dictionary_loads_and_every_actor_has_a_kind() {
        let a = Actors::new().unwrap();
        for d in &a.dict.defs {
            assert!(
                d.source || d.actor.kind != "unknown" || d.generic,
                "{} has no kind",
                d.actor.name
            );
        }
    }

    #[test]
    fn acronyms_are_case_sensitive() {
        let a = Actors::new().unwrap();
        assert_eq!(names(&a, "IS fighters attacked"), ["Islamic State (Syria)"]);
        assert!(names(&a, "this is it").is_empty());
    }

    #[test]
    fn assad_alone_is_not_an_actor() {
        let a = Actors::new().unwrap();
        assert!(names(&a, "President Bashar al-Assad spoke.").is_empty());
        assert_eq!(
            names(&a, "Assad's forces shelled the town."),
            ["Military Forces of Syria (2000-2024)"]
        );
    }

    #[test]
    fn pro_is_a_descriptor_and_held_a_holder() {
        let a = Actors::new().unwrap();
        assert!(names(&a, "a pro-government village").is_empty());
        assert!(names(&a, "Kurdish-majority villages").is_empty());
        let held = a.find("regime-held villages");
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].mark, Mark::Holder);
        let run = a.find("the IS-run Amaq news agency");
        assert_eq!(run.len(), 1);
        assert_eq!(run[0].mark, Mark::Reporter);
        // the outlet a dictionary source of its own: still the owner's
        let owned = a.find("Hezbollah's al-Manar television");
        assert_eq!(owned.len(), 1);
        assert_eq!(owned[0].mark, Mark::Reporter);
    }

    #[test]
    fn no_panic_on_odd_text() {
        let a = Actors::new().unwrap();
        for t in [
            "",
            "é",
            "Russian",
            "Russian’s",
            "rebels\u{2019}",
            "ISIS-",
            "US-",
        ] {
            let ms = a.find(t);
            let _ = a.roles(t, Span::new(0, t.len()), Span::new(0, t.len()), &ms, None);
        }
    }

    #[test]
    fn a_broken_data_file_is_an_error() {
        assert!(Actors::from_toml("nonsense = [").is_err());
    }
}

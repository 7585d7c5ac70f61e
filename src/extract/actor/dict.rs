//! Loading `data/actors.toml`: the actor definitions, the date-dependent
//! families, the adjectival modifiers, the phrase patterns and the role cues,
//! checked and turned into the tables the matcher uses.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::Actor;
use crate::error::{Error, Result};
use crate::typology::ACTOR_KINDS;

pub(super) const FILE: &str = "data/actors.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    actor: Vec<RawActor>,
    #[serde(default)]
    family: Vec<RawFamily>,
    modifiers: RawModifiers,
    #[serde(default)]
    modifier: Vec<RawModifier>,
    #[serde(default)]
    pattern: Vec<RawPattern>,
    roles: RawRoles,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActor {
    name: String,
    kind: Option<String>,
    country: Option<String>,
    allegiance: Option<String>,
    side: Option<String>,
    adversary: Option<String>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    #[serde(default)]
    generic: bool,
    #[serde(default)]
    place_like: bool,
    #[serde(default)]
    source: bool,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    acronyms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    key: String,
    actors: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    acronyms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModifiers {
    nouns: Vec<String>,
    held_nouns: Vec<String>,
    national: Vec<String>,
    national_held_nouns: Vec<String>,
    backed: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModifier {
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    acronyms: Vec<String>,
    entry: String,
    /// The entry "X-led" and a military noun name ("US-led air strikes"
    /// are the coalition's); without it, "X-led" backs the next actor.
    #[serde(default)]
    led: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    regex: String,
    entry: String,
    #[serde(default)]
    weak: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRoles {
    pub determiners: Vec<String>,
    pub adverbs: Vec<String>,
    pub agent: Vec<String>,
    pub target: Vec<String>,
    pub struck: Vec<String>,
    pub assoc: Vec<String>,
    pub reporting: Vec<String>,
    pub speakers: Vec<String>,
    pub noun_preps: Vec<String>,
    pub mutual_words: Vec<String>,
    pub according: Vec<String>,
    pub sourced_by: Vec<String>,
    pub holder_before: Vec<String>,
    pub holder_after: Vec<String>,
    pub owner_links: Vec<String>,
    pub member_links: Vec<String>,
    pub member_kinds: Vec<String>,
    pub member_hedges: Vec<String>,
    pub media: Vec<String>,
    pub patron_links: Vec<String>,
    pub affiliate_nouns: Vec<String>,
    pub affiliate_adjectives: Vec<String>,
    pub union_words: Vec<String>,
    pub place_preps: Vec<String>,
    pub passive: Vec<String>,
    pub attack_words: Vec<String>,
    pub object_verbs: Vec<String>,
    pub residential: Vec<String>,
    pub flight: Vec<String>,
    pub said_gap: Vec<String>,
    pub self_pronouns: Vec<String>,
    pub owner_pronouns: Vec<String>,
    pub capture_words: Vec<String>,
    pub capture_loser: String,
    pub victims: String,
    pub boundaries: Vec<String>,
    pub post_2024: Vec<String>,
}

impl RawRoles {
    /// A word read past before an actor's cue (`roles.determiners`; the
    /// words are lowercase).
    pub fn is_determiner(&self, w: &str) -> bool {
        self.determiners.iter().any(|d| d == w)
    }

    /// An adverb read past after an auxiliary (`roles.adverbs`), in any case.
    pub fn is_adverb(&self, w: &str) -> bool {
        self.adverbs.iter().any(|a| a.eq_ignore_ascii_case(w))
    }
}

/// The side an actor is taken to fight when a report names no target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adversary {
    Government,
    Rebels,
}

/// One canonical actor with what the matcher needs to know about it.
#[derive(Debug, Clone)]
pub(super) struct ActorDef {
    pub actor: Actor,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub side: String,
    /// Whom this actor fights when a report names no one: `government` or
    /// `rebels` (`adversary` in the data; rebels when unset).
    pub adversary: Option<Adversary>,
    pub generic: bool,
    pub place_like: bool,
    pub source: bool,
}

impl ActorDef {
    /// Civilians, protesters and nameless actors: they bear no arms a
    /// report could give them, and may only report an act.
    pub fn unarmed(&self) -> bool {
        matches!(self.actor.kind, "civilians" | "protesters" | "unknown")
    }

    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date < t)
    }
}

/// A dictionary entry: the actors one set of words can name (one actor, or
/// several time variants, the first being the default).
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub key: String,
    pub variants: Vec<usize>,
}

/// What a pattern of the automaton means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PatKind {
    /// A name of the entry.
    Alias,
    /// An adjective that names the entry only before a military noun.
    Modifier,
}

#[derive(Debug, Clone)]
pub(super) struct PatInfo {
    pub entry: usize,
    pub kind: PatKind,
    /// `Some(forms)` when the pattern must match one of these forms exactly
    /// (case-sensitive acronyms).
    pub exact: Option<Vec<String>>,
}

/// A role cue ("carried out by") with its words, split once at load.
#[derive(Debug, Clone)]
pub(super) struct Cue {
    pub text: String,
    pub words: Vec<String>,
}

fn cues(list: &[String]) -> Vec<Cue> {
    list.iter()
        .map(|c| Cue {
            text: c.clone(),
            words: c.split_whitespace().map(String::from).collect(),
        })
        .collect()
}

/// The role cues that are matched word by word, split into words at load
/// (same order as in the data file).
pub(super) struct RoleCues {
    pub agent: Vec<Cue>,
    pub target: Vec<Cue>,
    pub struck: Vec<Cue>,
    pub assoc: Vec<Cue>,
    pub according: Vec<Cue>,
    pub sourced_by: Vec<Cue>,
    pub holder_before: Vec<Cue>,
    pub media: Vec<Cue>,
    pub patron_links: Vec<Cue>,
}

pub(super) struct Dict {
    pub defs: Vec<ActorDef>,
    pub entries: Vec<Entry>,
    /// Lowercased patterns and what each means (same index).
    pub patterns: Vec<String>,
    pub infos: Vec<PatInfo>,
    /// Military nouns and place nouns (`held_nouns`), longest first.
    pub nouns: Vec<String>,
    /// Nouns of a place a modifier's actor holds ("rebel positions").
    pub held_nouns: Vec<String>,
    /// Country adjectives, and the held nouns that still count after one.
    pub national: Vec<String>,
    pub national_held_nouns: Vec<String>,
    pub backed: Vec<String>,
    pub regexes: Vec<(String, usize, bool)>,
    pub roles: RawRoles,
    pub cues: RoleCues,
    pub capture_loser: usize,
    pub victims: usize,
    /// The words of a count and of its qualifiers, each sorted, from
    /// `data/numbers.toml` (number words, scales and vague counts; the
    /// qualifiers' phrases): read past between a verb and its object
    /// ("killed at least twenty", "dozens of").
    pub count_words: crate::extract::count::CountWords,
    /// A modifier's entry -> the entry its "X-led" names before a military
    /// noun (`led` in the data).
    pub led: HashMap<usize, usize>,
}

fn date(s: &Option<String>, what: &str) -> Result<Option<NaiveDate>> {
    match s {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|e| Error::data(FILE, format!("{what}: bad date {s:?}: {e}"))),
    }
}

fn kind(k: Option<&str>, name: &str) -> Result<&'static str> {
    let k = k.unwrap_or("unknown");
    ACTOR_KINDS
        .iter()
        .find(|x| **x == k)
        .copied()
        .ok_or_else(|| Error::data(FILE, format!("actor {name:?}: unknown kind {k:?}")))
}

/// Adds the curly-apostrophe spelling of a pattern that has a straight one.
fn spellings(alias: &str) -> Vec<String> {
    let mut out = vec![alias.to_string()];
    if alias.contains('\'') {
        out.push(alias.replace('\'', "\u{2019}"));
    }
    out
}

struct Builder {
    patterns: Vec<String>,
    infos: Vec<PatInfo>,
    index: HashMap<String, usize>,
}

impl Builder {
    fn add(&mut self, text: &str, entry: usize, kind: PatKind, exact: bool) -> Result<()> {
        for form in spellings(text.trim()) {
            let lower = form.to_ascii_lowercase();
            if lower.is_empty() {
                return Err(Error::data(FILE, "empty alias"));
            }
            match self.index.get(&lower) {
                Some(&i) => {
                    let info = &mut self.infos[i];
                    if info.entry != entry {
                        return Err(Error::data(
                            FILE,
                            format!("alias {form:?} names two different entries"),
                        ));
                    }
                    if kind == PatKind::Alias {
                        info.kind = PatKind::Alias;
                    }
                    match (&mut info.exact, exact) {
                        (Some(forms), true) => forms.push(form.clone()),
                        (Some(_), false) => info.exact = None,
                        (None, _) => {}
                    }
                }
                None => {
                    self.index.insert(lower.clone(), self.patterns.len());
                    self.patterns.push(lower);
                    self.infos.push(PatInfo {
                        entry,
                        kind,
                        exact: exact.then(|| vec![form.clone()]),
                    });
                }
            }
        }
        Ok(())
    }
}

pub(super) fn load(text: &str) -> Result<Dict> {
    let raw: RawFile = toml::from_str(text).map_err(|e| Error::data(FILE, e))?;
    let mut defs = Vec::new();
    let mut entries = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut b = Builder {
        patterns: Vec::new(),
        infos: Vec::new(),
        index: HashMap::new(),
    };
    for a in &raw.actor {
        let k = if a.source {
            "reporting_source"
        } else {
            kind(a.kind.as_deref(), &a.name)?
        };
        if !a.source && a.kind.is_none() {
            return Err(Error::data(FILE, format!("actor {:?} has no kind", a.name)));
        }
        let def = ActorDef {
            actor: Actor {
                name: a.name.clone(),
                kind: k,
                country: a.country.clone(),
                allegiance: a.allegiance.clone(),
            },
            valid_from: date(&a.valid_from, &a.name)?,
            valid_to: date(&a.valid_to, &a.name)?,
            side: a.side.clone().unwrap_or_else(|| "none".into()),
            adversary: match a.adversary.as_deref() {
                None => None,
                Some("government") => Some(Adversary::Government),
                Some("rebels") => Some(Adversary::Rebels),
                Some(other) => {
                    return Err(Error::data(
                        FILE,
                        format!(
                            "actor {:?}: adversary {other:?} is not government or rebels",
                            a.name
                        ),
                    ));
                }
            },
            generic: a.generic,
            place_like: a.place_like,
            source: a.source,
        };
        let entry = entries.len();
        if by_key.insert(a.name.clone(), entry).is_some() {
            return Err(Error::data(FILE, format!("actor {:?} twice", a.name)));
        }
        entries.push(Entry {
            key: a.name.clone(),
            variants: vec![defs.len()],
        });
        defs.push(def);
        for al in &a.aliases {
            b.add(al, entry, PatKind::Alias, false)?;
        }
        for ac in &a.acronyms {
            b.add(ac, entry, PatKind::Alias, true)?;
        }
    }
    for f in &raw.family {
        let mut variants = Vec::new();
        for name in &f.actors {
            let e = by_key.get(name).copied().ok_or_else(|| {
                Error::data(FILE, format!("family {:?}: no actor {name:?}", f.key))
            })?;
            variants.extend(entries[e].variants.iter().copied());
        }
        if variants.is_empty() {
            return Err(Error::data(
                FILE,
                format!("family {:?} has no actors", f.key),
            ));
        }
        let entry = entries.len();
        if by_key.insert(f.key.clone(), entry).is_some() {
            return Err(Error::data(FILE, format!("key {:?} twice", f.key)));
        }
        entries.push(Entry {
            key: f.key.clone(),
            variants,
        });
        for al in &f.aliases {
            b.add(al, entry, PatKind::Alias, false)?;
        }
        for ac in &f.acronyms {
            b.add(ac, entry, PatKind::Alias, true)?;
        }
    }
    let lookup = |key: &str, what: &str| {
        by_key
            .get(key)
            .copied()
            .ok_or_else(|| Error::data(FILE, format!("{what}: no entry {key:?}")))
    };
    let mut led = HashMap::new();
    for m in &raw.modifier {
        let entry = lookup(&m.entry, "modifier")?;
        if let Some(l) = &m.led {
            led.insert(entry, lookup(l, "modifier led")?);
        }
        for w in &m.words {
            b.add(w, entry, PatKind::Modifier, false)?;
        }
        for w in &m.acronyms {
            b.add(w, entry, PatKind::Modifier, true)?;
        }
    }
    let mut regexes = Vec::new();
    for p in &raw.pattern {
        regexes.push((p.regex.clone(), lookup(&p.entry, "pattern")?, p.weak));
    }
    let capture_loser = lookup(&raw.roles.capture_loser, "roles.capture_loser")?;
    let victims = lookup(&raw.roles.victims, "roles.victims")?;
    let held_nouns = lower(&raw.modifiers.held_nouns);
    let mut nouns = lower(&raw.modifiers.nouns);
    nouns.extend(held_nouns.iter().cloned());
    nouns.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut backed = lower(&raw.modifiers.backed);
    backed.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let national = lower(&raw.modifiers.national);
    // A country's adjective that no modifier reads would never be tested.
    if let Some(w) = national
        .iter()
        .find(|w| !raw.modifier.iter().any(|m| m.words.iter().any(|x| x == *w)))
    {
        return Err(Error::data(
            FILE,
            format!("modifiers.national: {w:?} is no modifier's word"),
        ));
    }
    // `struck` names which target cues mark what was struck: a word of it
    // that is no target cue would never be read.
    if let Some(w) = raw
        .roles
        .struck
        .iter()
        .find(|w| !raw.roles.target.contains(w))
    {
        return Err(Error::data(
            FILE,
            format!("roles.struck: {w:?} is no target cue"),
        ));
    }
    if raw.roles.boundaries.iter().any(String::is_empty) {
        return Err(Error::data(FILE, "roles.boundaries: an empty boundary"));
    }
    let cues = RoleCues {
        agent: cues(&raw.roles.agent),
        target: cues(&raw.roles.target),
        struck: cues(&raw.roles.struck),
        assoc: cues(&raw.roles.assoc),
        according: cues(&raw.roles.according),
        sourced_by: cues(&raw.roles.sourced_by),
        holder_before: cues(&raw.roles.holder_before),
        media: cues(&raw.roles.media),
        patron_links: cues(&raw.roles.patron_links),
    };
    Ok(Dict {
        cues,
        defs,
        entries,
        patterns: b.patterns,
        infos: b.infos,
        nouns,
        held_nouns,
        national,
        national_held_nouns: lower(&raw.modifiers.national_held_nouns),
        backed,
        regexes,
        roles: raw.roles,
        capture_loser,
        victims,
        count_words: crate::extract::count::count_words()?,
        led,
    })
}

/// The words of a list in lower case, as the matcher compares them.
fn lower(words: &[String]) -> Vec<String> {
    words.iter().map(|w| w.to_ascii_lowercase()).collect()
}

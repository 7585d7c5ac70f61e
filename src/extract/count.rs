//! Counts of people killed and injured, with the text's qualifier. This module
//! owns the grammar of victim counts inside one clause: numbers in digits and
//! words ("1,600", "twenty-five", "a dozen"), vague counts ("dozens", "a
//! number of"), qualifiers ("at least", "over", "some", "up to"), the verb or
//! noun that says what happened to the people ("were killed", "left 27 dead",
//! "killing 4", "death toll rose to 45", "casualties"), per-side counts and
//! their sums ("19 jihadists and 16 soldiers were killed" = 35), and
//! [`best_killed`], the one figure for an event. Its vocabulary lives in
//! `data/numbers.toml`, loaded once in [`Counts::new`].

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Span;

const DATA_FILE: &str = "data/numbers.toml";
const DATA: &str = include_str!("../../data/numbers.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKind {
    Killed,
    Injured,
    /// "killed or wounded", "casualties": not a death count.
    KilledOrInjured,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    AtLeast,
    MoreThan,
    About,
    UpTo,
    Unknown,
}

impl CountMention {
    /// The total of per-side counts ("19 jihadists and 16 soldiers" = 35).
    fn sum(span: Span, kind: CountKind, value: Option<i64>, qualifier: Qualifier) -> CountMention {
        CountMention {
            span,
            kind,
            value,
            qualifier,
            is_sum: true,
            is_part: false,
            victims: None,
            victim_span: None,
            low: None,
            high: None,
            refers: false,
        }
    }
}

impl Qualifier {
    pub fn as_str(&self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::About => "about",
            Qualifier::UpTo => "up_to",
            Qualifier::Unknown => "unknown",
        }
    }
}

/// A count of victims found in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct CountMention {
    pub span: Span,
    pub kind: CountKind,
    /// None for "dozens", "a number of".
    pub value: Option<i64>,
    pub qualifier: Qualifier,
    /// The sum of per-side counts ("19 jihadists and 16 soldiers" -> 35),
    /// given besides the parts, or of the separate counts of one sentence.
    pub is_sum: bool,
    /// A per-side count that a sum mention of the same clause adds up.
    pub is_part: bool,
    /// The victims' noun ("civilians", "fighters", "people"), lower case.
    pub victims: Option<String>,
    /// Where the victims' noun phrase is ("pro-regime fighters").
    pub victim_span: Option<Span>,
    /// A range "between 10 and 15", "10 to 15": its ends (value is `low`).
    pub low: Option<i64>,
    pub high: Option<i64>,
    /// One person named by "the" or a pronoun ("the militant", "him"):
    /// maybe someone the sentence counted already, so never added to its
    /// other counts.
    pub refers: bool,
}

#[derive(Debug, Deserialize)]
struct DataFile {
    precheck: Vec<String>,
    death_words: Vec<String>,
    numbers: FxHashMap<String, i64>,
    scales: FxHashMap<String, i64>,
    suffix_scales: FxHashMap<String, i64>,
    fractions: HashMap<String, f64>,
    phrases: HashMap<String, i64>,
    qualifiers: QualifierLists,
    counts: CountLists,
    right: KindLists,
    left: LeftLists,
    grammar: Grammar,
}

#[derive(Debug, Deserialize)]
struct CountLists {
    vague: Vec<String>,
    zero: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Grammar {
    aux: Vec<String>,
    np_stop: Vec<String>,
    np_preps: Vec<String>,
    np_place_words: Vec<String>,
    subset: Vec<String>,
    year_after: Vec<String>,
    months: Vec<String>,
    possessives: Vec<String>,
    definite: Vec<String>,
    pronouns: Vec<String>,
    death_nouns: Vec<String>,
    join: Vec<String>,
    victims: Vec<String>,
    not_victims: Vec<String>,
    total_nouns: Vec<String>,
    inclusive_nouns: Vec<String>,
    dependent_nouns: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct QualifierLists {
    at_least: Vec<String>,
    more_than: Vec<String>,
    about: Vec<String>,
    up_to: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct KindLists {
    killed: Vec<String>,
    injured: Vec<String>,
    killed_or_injured: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct LeftLists {
    killed: Vec<String>,
    injured: Vec<String>,
    killed_or_injured: Vec<String>,
    toll_words: Vec<String>,
    number_words: Vec<String>,
    dead_words: Vec<String>,
    toll_links: Vec<String>,
    toll_breaks: Vec<String>,
    not_after_kill: Vec<String>,
}

/// Every word of every phrase list, numbered. A token is looked up here
/// once, and phrases then compare numbers instead of strings.
#[derive(Debug, Default)]
struct Vocab(FxHashMap<String, u32>);

/// The number of a word that is in no phrase.
const NO_WORD: u32 = u32::MAX;

/// The most tokens between a toll word and its link ("toll ... rose to").
const TOLL_REACH: usize = 16;
/// How many tokens a counted noun phrase may have ...
const NP_WORDS: usize = 8;
/// ... and how far it may run on through a place's words.
const NP_REACH: usize = 14;

impl Vocab {
    fn intern(&mut self, word: &str) -> u32 {
        let next = u32::try_from(self.0.len()).unwrap_or(NO_WORD - 1);
        *self.0.entry(word.to_string()).or_insert(next)
    }

    fn id(&self, word: &str) -> u32 {
        self.0.get(word).copied().unwrap_or(NO_WORD)
    }
}

/// A list of token phrases with a payload, longest first, indexed by their
/// first and last words: a lookup reads only the phrases that can match
/// there (the lists are read at every token of every sentence).
struct Phrases<T> {
    /// Each phrase as its words' numbers in the [`Vocab`].
    items: Vec<(Vec<u32>, T)>,
    /// Item indices in item order, by first word (sorted by word number).
    by_first: Vec<(u32, Vec<usize>)>,
    /// The same by last word.
    by_last: Vec<(u32, Vec<usize>)>,
}

impl<T: Copy> Phrases<T> {
    fn new(vocab: &mut Vocab, list: impl IntoIterator<Item = (String, T)>) -> Phrases<T> {
        let mut items: Vec<(Vec<u32>, T)> = list
            .into_iter()
            .map(|(p, t)| {
                let words = p.to_lowercase();
                (
                    words.split_whitespace().map(|w| vocab.intern(w)).collect(),
                    t,
                )
            })
            .filter(|(p, _): &(Vec<u32>, T)| !p.is_empty())
            .collect();
        items.sort_by_key(|x| std::cmp::Reverse(x.0.len()));
        let by_first = word_index(&items, |p| p.first());
        let by_last = word_index(&items, |p| p.last());
        Phrases {
            items,
            by_first,
            by_last,
        }
    }

    /// The longest phrase starting at token `i`: (payload, tokens used).
    fn at(&self, toks: &[Tok], i: usize) -> Option<(T, usize)> {
        let first = toks.get(i)?;
        self.longest(&self.by_first, first.id, |n| toks.get(i..i + n))
    }

    /// The longest phrase ending just before token `end`.
    fn ending_at(&self, toks: &[Tok], end: usize) -> Option<(T, usize)> {
        let last = toks.get(end.checked_sub(1)?)?;
        self.longest(&self.by_last, last.id, |n| {
            toks.get(end.checked_sub(n)?..end)
        })
    }

    /// The first (longest) phrase filed under `word` in `index` whose words
    /// are the tokens `span(length)` gives.
    fn longest<'t>(
        &self,
        index: &[(u32, Vec<usize>)],
        word: u32,
        span: impl Fn(usize) -> Option<&'t [Tok]>,
    ) -> Option<(T, usize)> {
        // Most tokens are in no phrase: no index search for them.
        if word == NO_WORD {
            return None;
        }
        candidates(index, word).iter().find_map(|&k| {
            let (p, t) = self.items.get(k)?;
            let words = span(p.len())?;
            p.iter()
                .zip(words)
                .all(|(w, tk)| *w == tk.id)
                .then_some((*t, p.len()))
        })
    }
}

/// Item indices (ascending, so in item order) grouped by one word of each
/// phrase, sorted by that word.
fn word_index<T>(
    items: &[(Vec<u32>, T)],
    word: impl Fn(&[u32]) -> Option<&u32>,
) -> Vec<(u32, Vec<usize>)> {
    let mut index: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
    for (k, (p, _)) in items.iter().enumerate() {
        if let Some(&w) = word(p) {
            index.entry(w).or_default().push(k);
        }
    }
    index.into_iter().collect()
}

/// The item indices filed under `word`.
fn candidates(index: &[(u32, Vec<usize>)], word: u32) -> &[usize] {
    index
        .binary_search_by_key(&word, |(w, _)| *w)
        .ok()
        .and_then(|k| index.get(k))
        .map_or(&[], |(_, v)| v.as_slice())
}

#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    end: usize,
    low: String,
    /// `low`'s number in the phrase vocabulary ([`NO_WORD`] when in no phrase).
    id: u32,
    num: bool,
    word: bool,
    /// An all-capitals word of two letters or more ("IS", "SDF", "KILLED").
    caps: bool,
    /// A word that starts with a capital letter ("Army", "IS").
    cap: bool,
}

fn tokenize(text: &str, base: usize, vocab: &Vocab) -> Vec<Tok> {
    // Walked by byte offset, reading each char where it starts: no
    // per-clause table of chars.
    let char_at = |i: usize| text.get(i..).and_then(|t| t.chars().next());
    let next_is =
        |j: usize, cj: char, f: fn(char) -> bool| char_at(j + cj.len_utf8()).is_some_and(f);
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = char_at(i) {
        let s = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let mut j = i + c.len_utf8();
        let (num, word) = if c.is_ascii_digit() {
            while let Some(cj) = char_at(j) {
                if cj.is_ascii_digit()
                    || ((cj == ',' || cj == '.') && next_is(j, cj, |x| x.is_ascii_digit()))
                {
                    j += cj.len_utf8();
                } else {
                    break;
                }
            }
            (true, false)
        } else if c.is_alphanumeric() {
            while let Some(cj) = char_at(j) {
                if cj.is_alphanumeric()
                    || (matches!(cj, '-' | '\'' | '’') && next_is(j, cj, char::is_alphanumeric))
                {
                    j += cj.len_utf8();
                } else {
                    break;
                }
            }
            (false, true)
        } else {
            (false, false)
        };
        let e = j;
        let raw = text.get(s..e).unwrap_or("");
        // One allocation per token: most tokens are ASCII and have no
        // curly apostrophe to straighten.
        let low = if raw.is_ascii() {
            raw.to_ascii_lowercase()
        } else {
            raw.to_lowercase().replace('’', "'")
        };
        let caps = word && raw.len() >= 2 && raw.bytes().all(|b| b.is_ascii_uppercase());
        let cap = word && c.is_uppercase();
        toks.push(Tok {
            start: base + s,
            end: base + e,
            id: vocab.id(&low),
            low,
            num,
            word,
            caps,
            cap,
        });
        i = j;
    }
    toks
}

/// A parsed quantity: tokens [start, end).
#[derive(Debug, Clone, Copy)]
struct Quant {
    start: usize,
    end: usize,
    value: Option<i64>,
    qual: Qualifier,
    low: Option<i64>,
    high: Option<i64>,
    /// "a"/"an"/"another", "the", a pronoun: one only when the noun names
    /// a person (or there is no noun after the pronoun).
    article: bool,
    /// "the" or a pronoun before no number: see [`CountMention::refers`].
    refers: bool,
}

/// A count with its noun phrase, inside a group.
#[derive(Debug, Clone)]
struct Item {
    q: Quant,
    np: Option<(usize, usize)>,
    head: Option<usize>,
}

/// The compiled count grammar. Build once, share read-only.
pub struct Counts {
    precheck: AhoCorasick,
    death_words: AhoCorasick,
    numbers: FxHashMap<String, i64>,
    scales: FxHashMap<String, i64>,
    suffix_scales: FxHashMap<String, i64>,
    vocab: Vocab,
    fractions: Phrases<f64>,
    fixed: Phrases<i64>,
    qualifiers: Phrases<Qualifier>,
    vague: Phrases<()>,
    zero: Phrases<()>,
    right: Phrases<CountKind>,
    left: Phrases<CountKind>,
    toll_words: FxHashSet<String>,
    number_words: FxHashSet<String>,
    dead_words: FxHashSet<String>,
    toll_links: FxHashSet<String>,
    toll_breaks: FxHashSet<String>,
    /// Second verbs after "killed and" whose objects are not the dead
    /// (`left.not_after_kill` and the verbs of injury).
    not_after_kill: FxHashSet<String>,
    aux: FxHashSet<String>,
    np_stop: FxHashSet<String>,
    np_preps: FxHashSet<String>,
    np_place_words: FxHashSet<String>,
    subset: Phrases<()>,
    possessives: FxHashSet<String>,
    definite: FxHashSet<String>,
    pronouns: FxHashSet<String>,
    death_nouns: FxHashSet<String>,
    year_after: FxHashSet<String>,
    months: FxHashSet<String>,
    join: Phrases<()>,
    victims: FxHashSet<String>,
    /// By vocabulary number: whether the word is a person's noun.
    victim_ids: Vec<bool>,
    not_victims: FxHashSet<String>,
    total_nouns: FxHashSet<String>,
    inclusive_nouns: FxHashSet<String>,
    dependent_nouns: FxHashSet<String>,
    determiners: FxHashSet<String>,
}

fn tag<T: Copy>(v: &[String], t: T) -> Vec<(String, T)> {
    v.iter().map(|s| (s.clone(), t)).collect()
}

fn set(v: &[String]) -> FxHashSet<String> {
    v.iter().map(|s| s.to_lowercase()).collect()
}

fn singular(w: &str) -> &str {
    if let Some(s) = w.strip_suffix("ies") {
        return s;
    }
    w.strip_suffix('s').unwrap_or(w)
}

/// `data/numbers.toml`, parsed once per process: the counts extractor and
/// the actor roles' [`count_words`] read the same parse.
fn data() -> Result<&'static DataFile> {
    static PARSED: OnceLock<std::result::Result<DataFile, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| toml::from_str(DATA).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::data(DATA_FILE, e))
}

/// The words of a count ("twenty", "dozens") and of its qualifiers ("at
/// least", "more than"), for the actor roles to read past between a verb
/// and its object ("killed at least twenty").
#[derive(Debug, Clone)]
pub struct CountWords {
    /// Number words, scales and vague counts, each word once, sorted.
    pub numerals: Vec<String>,
    /// Each qualifier phrase split into its words.
    pub qualifiers: Vec<Vec<String>>,
}

/// The count words of `data/numbers.toml`.
pub fn count_words() -> Result<CountWords> {
    let d = data()?;
    let mut numerals: Vec<String> = d
        .numbers
        .keys()
        .chain(d.scales.keys())
        .chain(d.counts.vague.iter())
        .flat_map(|p| p.split_whitespace())
        .map(str::to_ascii_lowercase)
        .collect();
    numerals.sort();
    numerals.dedup();
    let q = &d.qualifiers;
    Ok(CountWords {
        numerals,
        qualifiers: [&q.about, &q.at_least, &q.more_than, &q.up_to]
            .into_iter()
            .flatten()
            .map(|p| p.split_whitespace().map(str::to_ascii_lowercase).collect())
            .collect(),
    })
}

impl Counts {
    pub fn new() -> Result<Counts> {
        let d = data()?;
        let precheck = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&d.precheck)
            .map_err(|e| Error::data(DATA_FILE, e))?;
        let death_words = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&d.death_words)
            .map_err(|e| Error::data(DATA_FILE, e))?;
        let mut quals = tag(&d.qualifiers.at_least, Qualifier::AtLeast);
        quals.extend(tag(&d.qualifiers.more_than, Qualifier::MoreThan));
        quals.extend(tag(&d.qualifiers.about, Qualifier::About));
        quals.extend(tag(&d.qualifiers.up_to, Qualifier::UpTo));
        let kinds = |k: &KindLists| {
            let mut v = tag(&k.killed, CountKind::Killed);
            v.extend(tag(&k.injured, CountKind::Injured));
            v.extend(tag(&k.killed_or_injured, CountKind::KilledOrInjured));
            v
        };
        let mut left = tag(&d.left.killed, CountKind::Killed);
        left.extend(tag(&d.left.injured, CountKind::Injured));
        left.extend(tag(&d.left.killed_or_injured, CountKind::KilledOrInjured));
        // A victims' noun is matched against one token, the head of its phrase.
        if let Some(v) = d
            .grammar
            .victims
            .iter()
            .find(|v| v.contains(char::is_whitespace))
        {
            return Err(Error::data(
                DATA_FILE,
                format!("victims are single head nouns, not \"{v}\""),
            ));
        }
        if d.numbers.is_empty() || d.right.killed.is_empty() {
            return Err(Error::data(
                DATA_FILE,
                "numbers and right.killed must not be empty",
            ));
        }
        let mut vocab = Vocab::default();
        let fractions = Phrases::new(&mut vocab, d.fractions.clone());
        let fixed = Phrases::new(&mut vocab, d.phrases.clone());
        let qualifiers = Phrases::new(&mut vocab, quals);
        let vague = Phrases::new(&mut vocab, tag(&d.counts.vague, ()));
        let zero = Phrases::new(&mut vocab, tag(&d.counts.zero, ()));
        let right = Phrases::new(&mut vocab, kinds(&d.right));
        let left = Phrases::new(&mut vocab, left);
        let subset = Phrases::new(&mut vocab, tag(&d.grammar.subset, ()));
        let join = Phrases::new(&mut vocab, tag(&d.grammar.join, ()));
        // The same set by vocabulary number, for a check on every "the".
        let victim_words: Vec<u32> = d
            .grammar
            .victims
            .iter()
            .map(|v| vocab.intern(&v.to_lowercase()))
            .collect();
        let mut victim_ids = vec![false; vocab.0.len()];
        for id in victim_words {
            if let Some(v) = victim_ids.get_mut(id as usize) {
                *v = true;
            }
        }
        Ok(Counts {
            precheck,
            death_words,
            numbers: d.numbers.clone(),
            scales: d.scales.clone(),
            suffix_scales: d.suffix_scales.clone(),
            vocab,
            fractions,
            fixed,
            qualifiers,
            vague,
            zero,
            right,
            left,
            toll_words: set(&d.left.toll_words),
            number_words: set(&d.left.number_words),
            dead_words: set(&d.left.dead_words),
            toll_links: set(&d.left.toll_links),
            toll_breaks: set(&d.left.toll_breaks),
            not_after_kill: set(&d.left.not_after_kill)
                .into_iter()
                .chain(set(&d.left.injured))
                .collect(),
            aux: set(&d.grammar.aux),
            np_stop: set(&d.grammar.np_stop),
            np_preps: set(&d.grammar.np_preps),
            np_place_words: set(&d.grammar.np_place_words),
            subset,
            possessives: set(&d.grammar.possessives),
            definite: set(&d.grammar.definite),
            pronouns: set(&d.grammar.pronouns),
            death_nouns: set(&d.grammar.death_nouns),
            year_after: set(&d.grammar.year_after)
                .into_iter()
                .chain(set(&d.grammar.months))
                .collect(),
            months: set(&d.grammar.months),
            join,
            victims: set(&d.grammar.victims),
            victim_ids,
            not_victims: set(&d.grammar.not_victims),
            total_nouns: set(&d.grammar.total_nouns),
            inclusive_nouns: set(&d.grammar.inclusive_nouns),
            dependent_nouns: set(&d.grammar.dependent_nouns),
            determiners: [
                "the", "a", "an", "his", "her", "their", "its", "him", "them", "our",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        })
    }

    /// Whether `text` reports a death, with a count or without one.
    pub fn names_death(&self, text: &str) -> bool {
        self.death_words.find(text).is_some()
    }

    /// Counts of people killed or injured stated inside `within` (a sentence
    /// or clause of `body`), in text order; sums follow their parts.
    pub fn extract(&self, body: &str, within: Span) -> Vec<CountMention> {
        let Some(text) = body.get(within.start..within.end) else {
            return Vec::new();
        };
        if self.precheck.find(text).is_none() {
            return Vec::new();
        }
        let mut toks = tokenize(text, within.start, &self.vocab);
        self.keep_acronyms(&mut toks);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match self.group_at(&toks, i, &mut out) {
                Some(next) => i = next.max(i + 1),
                None => i += 1,
            }
        }
        self.sentence_sum(&mut out);
        out
    }

    /// "21 IS fighters": an acronym amid ordinary words that spells one of
    /// the grammar's words ("is") is a name, not that word. A headline in
    /// capitals keeps its words.
    fn keep_acronyms(&self, toks: &mut [Tok]) {
        for k in 0..toks.len() {
            let shouted = |n: Option<usize>| n.and_then(|n| toks.get(n)).is_some_and(|t| t.caps);
            let t = &toks[k];
            if t.caps
                && t.low.len() <= 4
                && (self.aux.contains(&t.low) || self.np_stop.contains(&t.low))
                && !shouted(k.checked_sub(1))
                && !shouted(Some(k + 1))
            {
                let name = t.low.to_ascii_uppercase();
                toks[k].id = self.vocab.id(&name);
                toks[k].low = name;
            }
        }
    }

    /// A number at token i (digits, words, "a dozen"): (value, tokens used).
    fn number_at(&self, toks: &[Tok], i: usize) -> Option<(i64, usize)> {
        let t = toks.get(i)?;
        if let Some((v, n)) = self.fixed.at(toks, i) {
            return Some((v, n));
        }
        if t.num {
            let clean: String = t.low.chars().filter(|c| *c != ',').collect();
            let value: f64 = clean.parse().ok()?;
            let mut n = 1;
            let mut value = value;
            let next = toks.get(i + 1);
            // "2m", "1.5bn": a scale glued to the digits.
            let glued = next
                .filter(|x| x.start == t.end)
                .and_then(|x| self.suffix_scales.get(&x.low));
            if let Some(s) = glued.or_else(|| next.and_then(|x| self.scales.get(&x.low))) {
                value *= *s as f64;
                n += 1;
            }
            if !value.is_finite() || !(0.0..=1e12).contains(&value) || value.fract() != 0.0 {
                return None;
            }
            return Some((value as i64, n));
        }
        // "a quarter of a million", "half a million".
        if let Some((f, n)) = self.fractions.at(toks, i)
            && let Some(&s) = toks.get(i + n).and_then(|x| self.scales.get(&x.low))
        {
            return Some(((f * s as f64).round() as i64, n + 1));
        }
        // Words: "twenty-five", "two hundred and fifty", "a dozen", "a hundred".
        let mut total: i64 = 0;
        let mut current: i64 = 0;
        let mut used = 0;
        let mut seen = false;
        let mut j = i;
        if matches!(t.low.as_str(), "a" | "an")
            && toks
                .get(i + 1)
                .is_some_and(|x| self.scales.contains_key(&x.low))
        {
            current = 1;
            j += 1;
        }
        while let Some(tok) = toks.get(j) {
            if !tok.word {
                break;
            }
            if tok.low == "and" && seen && current >= 100 {
                if toks
                    .get(j + 1)
                    .is_some_and(|x| x.low.split('-').all(|p| self.numbers.contains_key(p)))
                {
                    j += 1;
                    continue;
                }
                break;
            }
            let parts: Vec<&str> = tok.low.split('-').collect();
            if parts.iter().all(|p| self.numbers.contains_key(*p)) {
                for p in parts {
                    current += self.numbers.get(p).copied().unwrap_or(0);
                }
                seen = true;
            } else if let Some(&s) = self.scales.get(&tok.low) {
                if s >= 1000 {
                    total += current.max(1) * s;
                    current = 0;
                } else {
                    current = current.max(1) * s;
                }
                seen = true;
            } else {
                break;
            }
            j += 1;
            used = j - i;
        }
        (seen && used > 0).then_some((total + current, used))
    }

    /// A count at token i, with its qualifier.
    fn quant_at(&self, toks: &[Tok], i: usize) -> Option<Quant> {
        let tok = toks.get(i)?;
        // "how many were killed" asks, it does not count.
        if i.checked_sub(1)
            .and_then(|k| toks.get(k))
            .is_some_and(|t| t.low == "how")
        {
            return None;
        }
        // "June 12", "Jun 182016": a number right after a month is a date.
        if tok.num
            && i.checked_sub(1)
                .and_then(|k| toks.get(k))
                .is_some_and(|t| self.months.contains(&t.low))
        {
            return None;
        }
        // "9 August 2016 Two civilians": the year is a date.
        if is_year(tok) {
            let word_at = |k: Option<usize>| {
                k.and_then(|k| toks.get(k))
                    .is_some_and(|t| self.year_after.contains(&t.low))
            };
            // "June 12 2016": a day of the month between.
            let day = i
                .checked_sub(1)
                .is_some_and(|k| toks[k].num && toks[k].low.len() <= 2);
            if word_at(i.checked_sub(1)) || (day && word_at(i.checked_sub(2))) {
                return None;
            }
            // "AFP 2018 Ayham al-Mohammad": a year between names (a
            // byline, a copyright line) is a date too.
            let before = i.checked_sub(1).and_then(|k| toks.get(k));
            let name_before = before.is_none_or(|t| t.caps || !(t.word || t.num));
            if name_before && toks.get(i + 1).is_some_and(|t| t.cap) {
                return None;
            }
        }
        let (mut qual, mut j) = match self.qualifiers.at(toks, i) {
            Some((q, n)) => (q, i + n),
            None => (Qualifier::Exact, i),
        };
        let between = toks.get(j).is_some_and(|t| t.low == "between");
        if between {
            j += 1;
        }
        // "the three brothers": the article does not change the number.
        if !between
            && toks.get(j).is_some_and(|t| self.definite.contains(&t.low))
            && self.number_at(toks, j + 1).is_some()
        {
            j += 1;
        }
        if let Some((_, n)) = self.vague.at(toks, j) {
            if between {
                return None;
            }
            return Some(Quant {
                start: i,
                end: j + n,
                value: None,
                qual: Qualifier::Unknown,
                low: None,
                high: None,
                article: false,
                refers: false,
            });
        }
        if qual == Qualifier::Exact && !between {
            if let Some((_, n)) = self.zero.at(toks, j) {
                return Some(Quant {
                    start: i,
                    end: j + n,
                    value: Some(0),
                    qual: Qualifier::Exact,
                    low: None,
                    high: None,
                    article: false,
                    refers: false,
                });
            }
        }
        if let Some((v, n)) = self.number_at(toks, j) {
            let mut end = j + n;
            let mut low = None;
            let mut high = None;
            let seps: &[&str] = if between {
                &["and"]
            } else {
                &["to", "-", "–", "or"]
            };
            if let Some(sep) = toks.get(end)
                && seps.contains(&sep.low.as_str())
                && let Some((v2, n2)) = self.number_at(toks, end + 1)
                && v2 > v
            {
                low = Some(v);
                high = Some(v2);
                end += 1 + n2;
                if qual == Qualifier::Exact {
                    qual = Qualifier::AtLeast;
                }
            } else if between {
                return None;
            }
            return Some(Quant {
                start: i,
                end,
                value: Some(v),
                qual,
                low,
                high,
                article: false,
                refers: false,
            });
        }
        // "his son" is one; "their four sons" is four.
        if qual == Qualifier::Exact
            && !between
            && toks
                .get(j)
                .is_some_and(|t| self.possessives.contains(&t.low))
        {
            if let Some((v, n)) = self.number_at(toks, j + 1) {
                return Some(Quant {
                    start: i,
                    end: j + 1 + n,
                    value: Some(v),
                    qual,
                    low: None,
                    high: None,
                    article: false,
                    refers: false,
                });
            }
            return Some(Quant {
                start: i,
                end: j + 1,
                value: Some(1),
                qual,
                low: None,
                high: None,
                article: true,
                refers: false,
            });
        }
        // "a soldier", "the imam", "him": one person (the noun is checked
        // by `item_at`).
        if qual == Qualifier::Exact
            && !between
            && let Some(t) = toks.get(j)
        {
            let definite = self.definite.contains(&t.low);
            // "The" is common: it is a count only when a person's noun
            // follows closely (the noun phrase is read by `item_at`).
            let person_near = || {
                toks.iter()
                    .skip(j + 1)
                    .take(8)
                    .any(|t| self.victim_ids.get(t.id as usize).copied().unwrap_or(false))
            };
            let refers = (definite && person_near()) || self.pronouns.contains(&t.low);
            if refers || matches!(t.low.as_str(), "a" | "an" | "another") {
                return Some(Quant {
                    start: i,
                    end: j + 1,
                    value: Some(1),
                    qual: Qualifier::Exact,
                    low: None,
                    high: None,
                    article: true,
                    refers,
                });
            }
        }
        None
    }

    /// The noun phrase after a count: tokens [from, end) and its head.
    fn np_at(&self, toks: &[Tok], from: usize) -> (usize, Option<usize>) {
        let mut j = from;
        let mut head = None;
        let mut in_pp = false;
        // a noun of up to 8 words, and a place's chain of prepositions after
        // it up to 14: "four medical staff from a dispensary in Maarzita in
        // southern Idlib province were killed"
        while j < toks.len() && (j - from < NP_WORDS || (in_pp && j - from < NP_REACH)) {
            let t = &toks[j];
            if !t.word || self.np_stop.contains(&t.low) || self.is_verb_at(toks, j) {
                break;
            }
            // past 8 words only a place's words run on: names, prepositions
            // and `np_place_words`
            if j - from >= NP_WORDS
                && !(t.cap
                    || self.np_preps.contains(&t.low)
                    || self.np_place_words.contains(&t.low))
            {
                break;
            }
            // "17 villagers mostly women": the subset is not the noun.
            if j > from && self.subset.at(toks, j).is_some() {
                break;
            }
            // "a driver a shop owner": a new count starts a new phrase;
            // "September 2016 Two civilians": a number is no noun.
            if !in_pp
                && ((j > from && matches!(t.low.as_str(), "a" | "an"))
                    || t.low.split('-').all(|p| self.numbers.contains_key(p)))
            {
                break;
            }
            if self.np_preps.contains(&t.low) {
                // "wounded 30 in Aleppo": no noun, the phrase is a place.
                if j == from && t.low != "of" {
                    break;
                }
                in_pp = true;
            } else if !in_pp || head.is_none() {
                head = Some(j);
            }
            j += 1;
        }
        // "16 of them": the head is the pronoun.
        if head.is_none() && j > from {
            head = Some(j - 1);
        }
        (j, head)
    }

    fn is_verb_at(&self, toks: &[Tok], j: usize) -> bool {
        self.right.at(toks, j).is_some()
    }

    fn item_at(&self, toks: &[Tok], i: usize) -> Option<Item> {
        let q = self.quant_at(toks, i)?;
        // "at around 330 am whose bodies", "at 10:30": a number the next
        // word says counts no people, or a time of day, is no count, though
        // a person's noun follows further on.
        let last = q.end.checked_sub(1);
        if last
            .is_some_and(|k| toks.get(k).is_some_and(|t| t.num) && self.counts_no_people(toks, k))
        {
            return None;
        }
        // "Get short URL 0 214 The number of civilians killed": a capital
        // article right after a figure starts another sentence (its
        // full stop lost), no noun of the figure's.
        let new_sentence = last.and_then(|k| toks.get(k)).is_some_and(|t| t.num)
            && toks.get(q.end).is_some_and(opens_sentence);
        let (end, head) = if new_sentence {
            (q.end, None)
        } else {
            self.np_at(toks, q.end)
        };
        let np = (end > q.end).then_some((q.end, end));
        // "24 hours", "three days", "seven Grad missiles": not people.
        if let Some(h) = head
            && self.not_victims.contains(&toks[h].low)
        {
            return None;
        }
        if q.article {
            let word = toks[q.start].low.as_str();
            // "killing him", "killing her": the pronoun is the person. "Her"
            // before a noun is its owner.
            let pronoun = self.pronouns.contains(word);
            if pronoun && (head.is_none() || !self.possessives.contains(word)) {
                return Some(Item {
                    q: Quant { refers: true, ..q },
                    np: None,
                    head: Some(q.start),
                });
            }
            let h = head.map(|h| toks[h].low.as_str())?;
            // After "his"/"her"/"the" the noun must be one person: "her
            // children" and "the villagers" are no figure.
            let owned = self.possessives.contains(word) || self.definite.contains(word);
            if !self.victims.contains(h) && (owned || !self.victims.contains(singular(h))) {
                return None;
            }
        }
        Some(Item { q, np, head })
    }

    /// Whether the count at `i` is a toll's: a link word ("to", "at",
    /// "reached") right before it, and a toll word a few tokens back or
    /// opening the link's clause.
    fn toll_links_to(&self, toks: &[Tok], i: usize) -> bool {
        let Some(link) = i.checked_sub(1) else {
            return false;
        };
        if !toks
            .get(link)
            .is_some_and(|t| self.toll_links.contains(&t.low))
        {
            return false;
        }
        let near = toks
            .get(i.saturating_sub(7)..i)
            .unwrap_or(&[])
            .iter()
            .any(|t| self.toll_words.contains(&t.low));
        near || self.toll_opens_clause(toks, link)
    }

    /// "The death toll from twin car bomb explosions in the city of Homs
    /// rose to 32": the toll word is the subject of the link at `link`,
    /// however long its modifiers, when only words lie between them (no
    /// number but a day beside its month, no punctuation or conjunction
    /// that would start another phrase).
    fn toll_opens_clause(&self, toks: &[Tok], link: usize) -> bool {
        let from = link.saturating_sub(TOLL_REACH);
        for (k, t) in toks.get(from..link).unwrap_or(&[]).iter().enumerate().rev() {
            // "the number of civilians killed": from the dead word, the
            // number words may lie past the reach
            let at = from + k;
            let number = self.dead_words.contains(&t.low)
                && (at.saturating_sub(5)..at).any(|p| self.number_of_dead(toks, p));
            if self.toll_words.contains(&t.low) || number {
                return true;
            }
            // a day beside its month ("on April 15", "on 15 April") is no
            // count
            let month = |p: Option<usize>| {
                p.and_then(|p| toks.get(p))
                    .is_some_and(|p| self.months.contains(&p.low))
            };
            let day = t.num && (month(at.checked_sub(1)) || month(Some(at + 1)));
            if ((t.num || !t.word) && !day) || self.toll_breaks.contains(&t.low) {
                return false;
            }
        }
        false
    }

    /// "the number of civilians killed": a word of `number_words` at `k`,
    /// "of", and one of `dead_words` within the next four words, which
    /// together are a toll word.
    fn number_of_dead(&self, toks: &[Tok], k: usize) -> bool {
        toks.get(k)
            .is_some_and(|t| self.number_words.contains(&t.low))
            && toks.get(k + 1).is_some_and(|t| t.low == "of")
            && toks
                .get(k + 2..k + 6)
                .unwrap_or(&[])
                .iter()
                .any(|t| self.dead_words.contains(&t.low))
    }

    /// "killed and crucified five civilians": a verb of killing, "and",
    /// and another verb (a participle or gerund) right before the count at
    /// `i` count the dead, unless the second verb takes others (abducted,
    /// wounded). The kind and the token the phrase starts at.
    fn killed_and_verb(&self, toks: &[Tok], i: usize) -> Option<(CountKind, usize)> {
        let verb = toks.get(i.checked_sub(1)?)?;
        let and = toks.get(i.checked_sub(2)?)?;
        let participle = verb.word && (verb.low.ends_with("ed") || verb.low.ends_with("ing"));
        if !participle || and.low != "and" || self.not_after_kill.contains(&verb.low) {
            return None;
        }
        match self.left.ending_at(toks, i - 2)? {
            (CountKind::Killed, n) => Some((CountKind::Killed, i - 2 - n)),
            _ => None,
        }
    }

    fn item_end(item: &Item) -> usize {
        item.np.map_or(item.q.end, |(_, e)| e)
    }

    /// Parse a group of counts starting at token i; push its mentions and
    /// return the token after it.
    fn group_at(&self, toks: &[Tok], i: usize, out: &mut Vec<CountMention>) -> Option<usize> {
        let first = self.item_at(toks, i)?;
        // The verb before the count ("killing", "claimed the lives of", "toll ... at").
        let verb_left = self
            .left
            .ending_at(toks, i)
            .map(|(k, n)| (k, i - n))
            .or_else(|| self.killed_and_verb(toks, i));
        // A toll's bare number is the whole toll: in "the toll rose to 32
        // and more than 115 were wounded", "and" starts the count of the
        // wounded ("the toll rose to 20 civilians and 15 soldiers" has parts).
        let toll = verb_left.is_none() && self.toll_links_to(toks, i);
        let left_kind = verb_left.or(toll.then_some((CountKind::Killed, i.saturating_sub(1))));
        let mut items = vec![first];
        let mut j = Self::item_end(&items[0]);
        let mut comma_list = false;
        let mut closed = true;
        // Parentheticals and per-side parts.
        while let Some(t) = toks.get(j) {
            if t.low == "," {
                if let Some((_, n)) = self.subset.at(toks, j + 1) {
                    // ", including one child," -> skip to the closing comma.
                    let close = (j + 1 + n..toks.len().min(j + 20)).find(|&k| toks[k].low == ",");
                    match close {
                        Some(k) => {
                            j = k + 1;
                            continue;
                        }
                        // ", among them children were killed": the closing
                        // comma lost.
                        None => match self.skip_nouns(toks, j + 1 + n) {
                            Some(k) => {
                                j = k;
                                continue;
                            }
                            None => break,
                        },
                    }
                }
                if let Some((_, n)) = self.join.at(toks, j + 1)
                    && !(toll && items[0].np.is_none())
                    && let Some(it) = self.item_at(toks, j + 1 + n)
                {
                    let e = Self::item_end(&it);
                    if !self.counts_again(toks, &items, &it) {
                        items.push(it);
                    }
                    j = if toks.get(e).is_some_and(|t| t.low == ",") {
                        e + 1
                    } else {
                        e
                    };
                    continue;
                }
                if let Some(it) = self.item_at(toks, j + 1) {
                    j = Self::item_end(&it);
                    items.push(it);
                    comma_list = true;
                    closed = false;
                    continue;
                }
                break;
            }
            if let Some((_, n)) = self.join.at(toks, j)
                && !(toll && items[0].np.is_none())
                && let Some(it) = self.item_at(toks, j + n)
            {
                j = Self::item_end(&it);
                // "16 civilians and three children": some of the same
                // people, told again (an "including" lost), not a part
                if !self.counts_again(toks, &items, &it) {
                    items.push(it);
                }
                closed = true;
                continue;
            }
            // "seven civilians including a child and a woman were killed"
            // (commas lost): skip the subset's counts.
            if let Some((_, n)) = self.subset.at(toks, j)
                && let Some(it) = self.item_at(toks, j + n)
            {
                j = self.skip_list(toks, Self::item_end(&it));
                continue;
            }
            // "17 villagers mostly women and children were killed": a subset
            // without a number of its own (commas lost).
            if let Some((_, n)) = self.subset.at(toks, j)
                && let Some(k) = self.skip_nouns(toks, j + n)
            {
                j = k;
                continue;
            }
            // "three people two of them children died": a subset.
            if let Some(it) = self.item_at(toks, j)
                && toks.get(it.q.end).is_some_and(|t| t.low == "of")
                && toks
                    .get(it.q.end + 1)
                    .is_some_and(|t| matches!(t.low.as_str(), "them" | "whom"))
            {
                j = Self::item_end(&it);
                continue;
            }
            // "70 soldiers and rebels were killed", "70 regime and rebel
            // fighters": a second noun with no number of its own shares
            // the count, which is the subject of the verb after them (after
            // "killed 20 people", "and" starts another clause).
            if left_kind.is_none()
                && items.len() == 1
                && items[0].np.is_some_and(|(s, _)| {
                    toks.get(s)
                        .is_some_and(|t| !matches!(t.low.as_str(), "a" | "an" | "the"))
                })
                && matches!(t.low.as_str(), "and" | "or")
                && let Some(k) = self.skip_nouns(toks, j + 1)
            {
                j = k;
                continue;
            }
            // "killed a nurse a hospital worker and two soldiers": a list of
            // single people without commas, kept only when a join closes it.
            if items
                .last()
                .is_some_and(|it| it.q.article && it.head.is_some())
                && let Some(it) = self.item_at(toks, j)
                && it.q.article
            {
                j = Self::item_end(&it);
                items.push(it);
                comma_list = true;
                closed = false;
                continue;
            }
            break;
        }
        if comma_list && !closed {
            // "2 soldiers, 3 were wounded": not a list; keep the first count.
            items.truncate(1);
            j = Self::item_end(&items[0]);
        }
        // The verb after the group.
        let mut k = j;
        let mut aux = 0;
        while k < toks.len()
            && aux < 6
            && self.aux.contains(&toks[k].low)
            && !self.is_verb_at(toks, k)
            && !opens_sentence(&toks[k])
        {
            k += 1;
            aux += 1;
        }
        let right = self.right.at(toks, k).and_then(|(kind, n)| {
            let verb_last = &toks[k + n - 1].low;
            let verbal = verb_last.ends_with("ed") || verb_last == "hurt";
            // "the dead": a noun, not a count's verb.
            if aux == 0 && k > 0 && toks[k - 1].low == "the" {
                return None;
            }
            // "the civilian death toll": after "the", the noun is a modifier.
            if items.iter().any(|it| it.q.refers) && self.death_nouns.contains(&toks[k].low) {
                return None;
            }
            // "two rockets killed five people": active voice, the count is not the victims.
            if verbal && aux == 0 {
                let obj = toks.get(k + n);
                if obj.is_some_and(|t| self.determiners.contains(&t.low))
                    || self.quant_at(toks, k + n).is_some_and(|q| !q.article)
                {
                    return None;
                }
            }
            Some((kind, k + n))
        });
        let (kind, span_start, span_end, next) = match (right, left_kind) {
            (Some((kind, e)), _) => (kind, toks[i].start, toks[e - 1].end, e),
            (None, Some((kind, ls))) => {
                // The span ends at the last victims' noun, not inside a
                // trailing "in a hospital on Sunday".
                let last = items.last().map_or(i, |it| it.head.unwrap_or(it.q.end - 1));
                (kind, toks[ls].start, toks[last].end, j)
            }
            (None, None) => return None,
        };
        let parts = items.len() > 1;
        // "11 children were among the dead": a part of a total, which the
        // sentence may give too.
        let among = right.is_some() && toks[j..k].iter().any(|t| t.low == "among");
        for it in &items {
            let start = if parts {
                toks[it.q.start].start
            } else {
                span_start
            };
            let end = if parts {
                toks[Self::item_end(it) - 1].end
            } else {
                span_end
            };
            out.push(self.mention(toks, it, kind, Span::new(start, end), parts || among));
        }
        if parts {
            let (value, qual) = sum_of(items.iter().map(|it| (it.q.value, it.q.qual)));
            let mut sum = CountMention::sum(Span::new(span_start, span_end), kind, value, qual);
            sum.refers = items.iter().any(|it| it.q.refers);
            sum.is_part = among;
            out.push(sum);
        }
        Some(next)
    }

    /// Whether `it`, joined to the single count `items`, counts some of
    /// the same people: its noun is one of `dependent_nouns` ("three
    /// children") and the first count's one of `inclusive_nouns` ("16
    /// civilians").
    fn counts_again(&self, toks: &[Tok], items: &[Item], it: &Item) -> bool {
        let noun = |it: &Item| it.head.and_then(|h| toks.get(h)).map(|t| t.low.as_str());
        let [first] = items else {
            return false;
        };
        noun(first).is_some_and(|n| self.inclusive_nouns.contains(n))
            && noun(it).is_some_and(|n| self.dependent_nouns.contains(n))
    }

    /// The token after the nouns of a subset without a number ("women and
    /// children"), when a verb or its auxiliary follows them; else None.
    fn skip_nouns(&self, toks: &[Tok], from: usize) -> Option<usize> {
        let mut k = from;
        while let Some(t) = toks.get(k) {
            if self.aux.contains(&t.low) || self.is_verb_at(toks, k) {
                return (k > from).then_some(k);
            }
            let joins = matches!(t.low.as_str(), "and" | "or");
            if !t.word || k - from >= 8 || (self.np_stop.contains(&t.low) && !joins) {
                return None;
            }
            k += 1;
        }
        None
    }

    /// The token after a run of counts joined by "and" or commas.
    fn skip_list(&self, toks: &[Tok], mut j: usize) -> usize {
        loop {
            let mut k = j;
            if toks.get(k).is_some_and(|t| t.low == ",") {
                k += 1;
            }
            let k = self.join.at(toks, k).map_or(k, |(_, n)| k + n);
            match self.item_at(toks, k) {
                Some(it) if k > j => j = Self::item_end(&it),
                _ => return j,
            }
        }
    }

    fn mention(
        &self,
        toks: &[Tok],
        it: &Item,
        kind: CountKind,
        span: Span,
        part: bool,
    ) -> CountMention {
        let victims = it.head.map(|h| toks[h].low.clone());
        let victim_span = match (it.np, it.head) {
            (Some((s, _)), Some(h)) => Some(Span::new(toks[s].start, toks[h].end)),
            _ => None,
        };
        CountMention {
            span,
            kind,
            value: it.q.value,
            qualifier: it.q.qual,
            is_sum: false,
            is_part: part,
            victims,
            victim_span,
            low: it.q.low,
            high: it.q.high,
            refers: it.q.refers,
        }
    }

    /// Separate death counts of one sentence for different sides ("killed 16
    /// personnel, while over 28 loyalists were killed") also get a sum.
    fn sentence_sum(&self, out: &mut Vec<CountMention>) {
        let top: Vec<usize> = (0..out.len())
            .filter(|&k| out[k].kind == CountKind::Killed && !out[k].is_part)
            .collect();
        if top.len() < 2 || top.iter().any(|&k| out[k].value.is_none() || out[k].refers) {
            return;
        }
        // Each top-level count's victims: a sum's are its parts'.
        let mut nouns: Vec<String> = Vec::new();
        for &k in &top {
            if out[k].is_sum {
                let span = out[k].span;
                for p in out.iter().filter(|p| p.is_part && span.contains(p.span)) {
                    nouns.push(p.victims.clone().unwrap_or_default());
                }
            } else {
                nouns.push(out[k].victims.clone().unwrap_or_default());
            }
        }
        let distinct: HashSet<&str> = nouns.iter().map(|n| singular(n)).collect();
        if nouns
            .iter()
            .any(|n| n.is_empty() || self.total_nouns.contains(n))
            || distinct.len() != nouns.len()
        {
            return;
        }
        let (value, qual) = sum_of(top.iter().map(|&k| (out[k].value, out[k].qualifier)));
        let span = Span::new(
            top.iter().map(|&k| out[k].span.start).min().unwrap_or(0),
            top.iter().map(|&k| out[k].span.end).max().unwrap_or(0),
        );
        for &k in &top {
            out[k].is_part = true;
        }
        out.push(CountMention::sum(span, CountKind::Killed, value, qual));
    }

    /// Whether the number at `i` counts no people: the next word is one of
    /// `not_victims` ("24 hours", "330 am", "0600 GMT") or "a.m."/"p.m.",
    /// or it stands either side of a colon between numbers ("10:30").
    fn counts_no_people(&self, toks: &[Tok], i: usize) -> bool {
        let low = |k: usize| toks.get(k).map_or("", |t| t.low.as_str());
        let num = |k: usize| toks.get(k).is_some_and(|t| t.num);
        let clock_after = self.not_victims.contains(low(i + 1))
            || (matches!(low(i + 1), "a" | "p") && low(i + 2) == "." && low(i + 3) == "m");
        let colon_after = low(i + 1) == ":" && num(i + 2);
        let colon_before = i >= 2 && low(i - 1) == ":" && num(i - 2);
        clock_after || colon_after || colon_before
    }
}

/// A capital article ("The", "A", "An"): inside a text, it opens another
/// sentence whose full stop was lost, so no count's noun or verb runs
/// past it.
fn opens_sentence(t: &Tok) -> bool {
    t.cap && matches!(t.low.as_str(), "the" | "a" | "an")
}

/// Four digits that read as a year (1900-2099).
fn is_year(t: &Tok) -> bool {
    t.num
        && t.low.len() == 4
        && t.low
            .parse::<u16>()
            .is_ok_and(|y| (1900..2100).contains(&y))
}

/// The sum of parts and the qualifier it keeps: unknown if any part is,
/// a lower bound if any part is one.
fn sum_of(parts: impl Iterator<Item = (Option<i64>, Qualifier)>) -> (Option<i64>, Qualifier) {
    let mut total = Some(0i64);
    let mut quals = Vec::new();
    for (v, q) in parts {
        total = total.zip(v).map(|(a, b)| a.saturating_add(b));
        quals.push(q);
    }
    if total.is_none() {
        return (None, Qualifier::Unknown);
    }
    let has = |q: Qualifier| quals.contains(&q);
    let qual = if has(Qualifier::Unknown) {
        Qualifier::Unknown
    } else if has(Qualifier::About) {
        Qualifier::About
    } else if has(Qualifier::AtLeast) {
        Qualifier::AtLeast
    } else if has(Qualifier::MoreThan) {
        Qualifier::MoreThan
    } else if quals.iter().all(|q| *q == Qualifier::UpTo) {
        Qualifier::UpTo
    } else if has(Qualifier::UpTo) {
        Qualifier::About
    } else {
        Qualifier::Exact
    };
    (total, qual)
}

/// The one death figure for an event from the counts of its mentions:
/// `(value, qualifier, low, high)`. A stated total beats per-side parts; the
/// sum of the parts is used when no total is given; "dozens" alone gives
/// `(None, Unknown)`; killed-or-injured counts are ignored. With several
/// totals the largest is the value, and `low`/`high` span all totals (None
/// when there is only one figure and it is not a range).
pub fn best_killed(counts: &[CountMention]) -> (Option<i64>, Qualifier, Option<i64>, Option<i64>) {
    let killed: Vec<&CountMention> = counts
        .iter()
        .filter(|c| c.kind == CountKind::Killed)
        .collect();
    let with_value = |c: &&&CountMention| c.value.is_some();
    let totals: Vec<&CountMention> = killed
        .iter()
        .filter(|c| !c.is_part && !c.is_sum)
        .filter(with_value)
        .copied()
        .collect();
    let sums: Vec<&CountMention> = killed
        .iter()
        .filter(|c| c.is_sum)
        .filter(with_value)
        .copied()
        .collect();
    let top_sums: Vec<&CountMention> = sums.iter().filter(|c| !c.is_part).copied().collect();
    let pool = if !totals.is_empty() {
        totals
    } else if !top_sums.is_empty() {
        top_sums
    } else if !sums.is_empty() {
        sums
    } else {
        killed.iter().filter(with_value).copied().collect()
    };
    let Some(best) = pool.iter().copied().max_by(|a, b| {
        a.value
            .cmp(&b.value)
            .then(rank(b.qualifier).cmp(&rank(a.qualifier)))
    }) else {
        return (None, Qualifier::Unknown, None, None);
    };
    let values: Vec<i64> = pool
        .iter()
        .flat_map(|c| [c.value, c.low, c.high])
        .flatten()
        .collect();
    let low = values.iter().min().copied();
    let high = values.iter().max().copied();
    if low == high {
        return (best.value, best.qualifier, best.low, best.high);
    }
    (best.value, best.qualifier, low, high)
}

/// Preference among equal values: an exact figure first.
fn rank(q: Qualifier) -> u8 {
    match q {
        Qualifier::Exact => 0,
        Qualifier::AtLeast => 1,
        Qualifier::MoreThan => 2,
        Qualifier::About => 3,
        Qualifier::UpTo => 4,
        Qualifier::Unknown => 5,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn run(s: &str) -> Vec<CountMention> {
        Counts::new().unwrap().extract(s, Span::new(0, s.len()))
    }

    /// The word index finds the longest phrase, as a scan of the whole
    /// longest-first list would, at both ends and at the edges.
    #[test]
    fn phrases_find_the_longest_match_through_the_index() {
        let mut vocab = Vocab::default();
        let p = Phrases::new(
            &mut vocab,
            [
                ("more".to_string(), 1),
                ("more than".to_string(), 2),
                ("no more than".to_string(), 3),
                ("than".to_string(), 4),
            ],
        );
        let toks = tokenize("no more than five more than", 0, &vocab);
        assert_eq!(p.at(&toks, 0), Some((3, 3)));
        assert_eq!(p.at(&toks, 1), Some((2, 2)));
        assert_eq!(p.at(&toks, 3), None);
        assert_eq!(p.at(&toks, 4), Some((2, 2)));
        assert_eq!(p.at(&toks, 6), None);
        assert_eq!(p.ending_at(&toks, 3), Some((3, 3)));
        assert_eq!(p.ending_at(&toks, 2), Some((1, 1)));
        assert_eq!(p.ending_at(&toks, 6), Some((2, 2)));
        assert_eq!(p.ending_at(&toks, 0), None);
        assert_eq!(p.ending_at(&toks, 9), None);
    }

    /// Found by the pipeline fuzz test: a year as the last token of a
    /// clause made the count reader look one token past the end.
    #[test]
    fn a_year_at_the_end_of_a_clause_does_not_panic() {
        for s in [
            "13/05/2019killed…",
            "killed in 2019",
            "were killed since 2019",
            "dead 13/05/2019",
        ] {
            let c = Counts::new().unwrap();
            for end in 0..=s.len() {
                if s.is_char_boundary(end) {
                    let _ = c.extract(s, Span::new(0, end));
                }
            }
            let _ = run(s);
        }
    }

    #[test]
    fn simple_passive() {
        let m = run("At least 12 people were killed in the raid.");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].value, Some(12));
        assert_eq!(m[0].qualifier, Qualifier::AtLeast);
        assert_eq!(m[0].victims.as_deref(), Some("people"));
    }

    #[test]
    fn sum_of_sides() {
        let m = run("At least 19 jihadists and 16 pro-regime fighters have been killed.");
        assert_eq!(best_killed(&m), (Some(35), Qualifier::AtLeast, None, None));
    }

    #[test]
    fn skips_clauses_without_count_words() {
        assert!(run("Two missiles have hit the center.").is_empty());
    }

    #[test]
    fn never_panics() {
        let c = Counts::new().unwrap();
        for s in [
            "",
            "killed",
            "killed 99999999999999999999999 people",
            "a",
            "1,",
            "killing ,",
            "ß killed €",
        ] {
            let _ = c.extract(s, Span::new(0, s.len()));
        }
        let _ = c.extract("abc", Span::new(2, 99));
        let _ = c.extract("é killed", Span::new(1, 5));
    }
}

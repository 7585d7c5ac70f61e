//! Places: finds the places an article names (gazetteer names through one
//! automaton over the folded body, plus unknown villages named by a cue such
//! as "the village of X"), reads the areal expressions around them ("northern
//! Latakia", "the eastern countryside of Homs province", "Idlib province",
//! "near the border with Lebanon"), and resolves each to one [`Location`] with
//! honest precision, using the governorates and regions named in the same
//! sentence, then paragraph, then the article, then rank and population.
//! Context rules (`data/place_rules.toml`) drop modifiers ("Damascus-based",
//! "pro-Ankara"), ctx_spans words ("the Armenian town of"), and foreign
//! countries or cities used as actors ("Russia called for"); a name a strong
//! cue establishes ("the town of Kasab") counts wherever the article repeats it.

use std::collections::{HashMap, HashSet};

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::{Error, Result};
use crate::extract::headline::Headlines;
use crate::gazetteer::{Entry, Folded, Gazetteer, Token, fold_key, fold_text, spelling};
use crate::model::{CleanDoc, Sentence, Span};

/// A resolved place, as it goes into the `locations` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub name: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub feature: String,
    /// place, region, admin2, admin1, country
    pub precision: &'static str,
    pub geonames_id: Option<i64>,
    pub source: Option<String>,
}

impl Location {
    /// A key that is equal for two mentions of the same place (folded name,
    /// governorate, precision): use it to deduplicate the `locations` table.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            fold_key(&self.name),
            self.admin1.as_deref().map(fold_key).unwrap_or_default(),
            self.country,
            self.precision
        )
    }

    /// How specific the precision is: place 4, region 3, admin2 2, admin1 1, country 0.
    pub fn specificity(&self) -> u8 {
        specificity(self.precision)
    }
}

fn specificity(precision: &str) -> u8 {
    match precision {
        "place" => 4,
        "region" => 3,
        "admin2" => 2,
        "admin1" => 1,
        _ => 0,
    }
}

/// A place named in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    pub span: Span,
    pub location: Location,
    /// place 4 > region 3 > admin2 2 > admin1 1 > country 0; one lower for a
    /// landmark ("near the city of Latakia" beside a named village).
    pub specificity: u8,
    /// True when the mention only locates another place next to it
    /// ("Aziza, near Aleppo": Aleppo; "Ras al-Ain in Qalamoun": Qalamoun;
    /// "the Idlib town of Saraqib": Idlib; "in Haffa, near the coastal city of
    /// Latakia": Latakia), or is only where people were sent ("bused to
    /// Jarablus" beside the town they left). Prefer a mention that is not
    /// context-only.
    pub context_only: bool,
    /// The named unit without the areal words ("Latakia" for "northern
    /// Latakia", "Jableh" for "rural Jableh"); equal to `location.name` otherwise.
    pub unit: String,
    /// The gazetteer entry's id, when the place is in the gazetteer.
    pub gazetteer_id: Option<String>,
}

/// What the words around a name make of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Intent {
    /// The name itself.
    Plain,
    /// "Idlib province", "the province of Idlib".
    Admin1,
    /// "northern Latakia", "rural Jableh", "Homs countryside", "north of Aleppo".
    Areal,
    /// "the border with Lebanon", "the Turkish border".
    Border,
}

pub struct Places {
    gaz: Gazetteer,
    /// admin1 name -> entry index of the governorate
    admin1: FxHashMap<String, usize>,
    syria: usize,
    unknown_cue: Regex,
    unknown_after: Regex,
    quarter_after: Regex,
    unknown_near: Regex,
    name_stop: FxHashSet<String>,
    /// The month names and abbreviations of dates.toml.
    months: FxHashSet<String>,
    headlines: Headlines,
    rules: Rules,
    /// "near (the coastal city of)", "bused to" or "positioned in" at the
    /// end of the text before a name: `near_cues`, `destination_cues` and
    /// `origin_cues`, one landmark test.
    near_before: Regex,
    /// `near_cues` alone at the end of the text before a name ("outside
    /// the capital"): the act is around the place, not in it.
    near_only: Regex,
}

const RULES_TOML: &str = include_str!("../../data/place_rules.toml");

/// Population from which a city outranks the namesakes that only the
/// paragraph's or the article's governorates favour (the thirteen largest
/// cities of Syria in GeoNames).
const BIG_CITY: u64 = 100_000;

/// The context rules of `data/place_rules.toml`.
#[derive(Debug, serde::Deserialize)]
struct Rules {
    adjectives: FxHashSet<String>,
    suffixes: Vec<String>,
    prefixes: Vec<String>,
    group_words: FxHashSet<String>,
    headline_words: Vec<String>,
    name_stop: Vec<String>,
    foreign_cues: FxHashSet<String>,
    abroad_cues: FxHashSet<String>,
    abroad_of: FxHashSet<String>,
    abroad_not_before: FxHashSet<String>,
    abroad_not_after: FxHashSet<String>,
    abroad_skip: FxHashSet<String>,
    within_words: FxHashSet<String>,
    near_cues: Vec<String>,
    destination_cues: Vec<String>,
    origin_cues: Vec<String>,
    not_possessive: FxHashSet<String>,
    not_names: FxHashSet<String>,
    name_heads: FxHashSet<String>,
    person_titles: FxHashSet<String>,
    photo_credits: FxHashSet<String>,
    person_verbs: FxHashSet<String>,
    blame_verbs: FxHashSet<String>,
    government_seats: FxHashSet<String>,
    report_seats: Vec<String>,
    borders: FxHashMap<String, Vec<String>>,
    name_lead: FxHashSet<String>,
    /// A city's governorate -> the governorate around it, for the cities
    /// that are a governorate of their own.
    surrounding: FxHashMap<String, String>,
}

impl Rules {
    /// A verb of saying, of a stance or of blame (`person_verbs`,
    /// `blame_verbs`).
    fn stance(&self, w: &str) -> bool {
        self.person_verbs.contains(w) || self.blame_verbs.contains(w)
    }

    /// A ctx_spans word: in the list, or a demonym by its ending.
    fn is_adjective(&self, w: &str) -> bool {
        let w = w.to_lowercase();
        self.adjectives.contains(&w)
            || (w.len() > 5
                && ["ian", "ean", "ese", "ish", "ite"]
                    .iter()
                    .any(|suf| w.ends_with(suf)))
    }
}

/// True when the words ending at `end` and starting at `start` are one
/// name's: a single space or hyphen between them.
fn joined(body: &str, end: usize, start: usize) -> bool {
    body.get(end..start).is_some_and(|g| g == " " || g == "-")
}

/// Up to `n` chars of `body` before byte `pos`, lowercased.
fn tail_lower(body: &str, pos: usize, n: usize) -> String {
    let Some(head) = body.get(..pos) else {
        return String::new();
    };
    let start = head
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    head.get(start..).unwrap_or("").to_lowercase()
}

/// True when `text` starts with one of `words` (a data list of the
/// words that may follow a name), as whole words: " governor" is not the
/// start of " governorate".
fn starts_with_any(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| {
        text.strip_prefix(w.as_str())
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// True when the text between two names only joins them in a list:
/// commas and "and"/"or".
fn is_list_gap(gap: &str) -> bool {
    !gap.trim().is_empty()
        && gap
            .split(|c: char| c.is_whitespace() || c == ',')
            .all(|w| w.is_empty() || w == "and" || w == "or")
}

/// Up to `n` chars of `body` from byte `pos`, lowercased.
fn head_lower(body: &str, pos: usize, n: usize) -> String {
    body.get(pos..)
        .unwrap_or("")
        .chars()
        .take(n)
        .collect::<String>()
        .to_lowercase()
}

const DIRECTIONS: &[&str] = &[
    "northern",
    "southern",
    "eastern",
    "western",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "central",
    "rural",
];
const DIR_NOUNS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];
const ADMIN_WORDS: &[&str] = &[
    "province",
    "governorate",
    "governate",
    "provinces",
    "governorates",
];
const PLACE_CUES_BEFORE: &[&str] = &[
    "village of",
    "villages of",
    "town of",
    "towns of",
    "city of",
    "area of",
    "areas of",
    "region of",
    "outskirts of",
    "suburb of",
    "district of",
    "neighbourhood of",
    "neighborhood of",
    "countryside of",
    "camp of",
    "mountain of",
    "centre of",
    "center of",
    "heart of",
    "entrance of",
    "edge of",
    "streets of",
    "market of",
    "residents of",
    "in",
    "near",
    "at",
    "into",
    "outside",
    "around",
    "toward",
    "towards",
    "from",
    "on",
];
/// Nouns for a part of a city: "the Sheikh Saeed district", "the Sukkari
/// and al-Mashhad neighbourhoods".
const QUARTER_WORDS: &[&str] = &[
    "district",
    "districts",
    "neighbourhood",
    "neighbourhoods",
    "neighborhood",
    "neighborhoods",
    "quarter",
    "quarters",
];

/// True when the name ending at token `last` is followed by a quarter noun,
/// directly or after more capitalised names of a list ("X and al-Y
/// neighbourhoods"; commas are not tokens).
fn names_a_quarter(words: &[&str], toks: &[Token], last: usize) -> bool {
    for i in last + 1..last + 9 {
        let (Some(&w), Some(t)) = (words.get(i), toks.get(i)) else {
            return false;
        };
        if QUARTER_WORDS.contains(&w) {
            return true;
        }
        if !(w == "and" || t.cap || t.article) {
            return false;
        }
    }
    false
}

const PLACE_CUES_AFTER: &[&str] = &[
    "village",
    "town",
    "city",
    "countryside",
    "area",
    "district",
    "region",
    "camp",
    "mountain",
    "plain",
    "valley",
    "province",
    "governorate",
];

/// The lowercased words of the tokens, written one after another into `buf`
/// (one allocation for the article instead of one per word): their spans in it.
fn lower_words(body: &str, toks: &[Token], buf: &mut String) -> Vec<(usize, usize)> {
    toks.iter()
        .map(|t| {
            let w = body.get(t.start..t.end).unwrap_or("");
            let at = buf.len();
            if w.is_ascii() {
                buf.push_str(w);
                if let Some(new) = buf.get_mut(at..) {
                    new.make_ascii_lowercase();
                }
            } else {
                buf.push_str(&w.to_lowercase());
            }
            (at, buf.len())
        })
        .collect()
}

impl Places {
    pub fn new() -> Result<Places> {
        let gaz = Gazetteer::load()?;
        let mut admin1 = FxHashMap::default();
        let mut syria = None;
        for (i, e) in gaz.entries.iter().enumerate() {
            if e.feature == "admin1" {
                admin1.insert(e.name.clone(), i);
            }
            if e.feature == "country" && e.country == "SY" {
                syria = Some(i);
            }
        }
        let syria = syria.ok_or_else(|| Error::data("gazetteer.tsv", "no entry for Syria"))?;
        if admin1.len() != 14 {
            return Err(Error::data(
                "gazetteer.tsv",
                format!("{} governorates instead of 14", admin1.len()),
            ));
        }
        const NAME: &str = r"(?:(?:[Aa]l|[Ee]l)[-\s])?[A-Z][\p{L}'’]+(?:[-\s](?:(?:al|el|ad|ar|as|ash|at|az|an|Al|El)[-\s])?[A-Z][\p{L}'’]+){0,2}";
        let unknown_cue = crate::matcher::regex(&format!(
            r"\b(?:villages?|towns?|hamlets?|neighbou?rhoods?|suburbs?)\s+of\s+({NAME}(?:(?:,\s*|,?\s+and\s+){NAME})*)"
        ))
        .map_err(|e| Error::data("place.rs", e))?;
        let unknown_after = crate::matcher::regex(&format!(r"\b({NAME})\s+(village|town)\b"))
            .map_err(|e| Error::data("place.rs", e))?;
        // quarters' names, a list of them too, before a quarter noun; the
        // names in ASCII letters, which keeps this whole-text search cheap (a
        // Unicode letter class made it build many more automaton states)
        let qname = NAME.replace(r"\p{L}", "A-Za-z");
        let quarter_after = crate::matcher::regex(&format!(
            r"\b({qname}(?:(?:,\s*|,?\s+and\s+){qname})*)\s+(?:{})\b",
            QUARTER_WORDS.join("|")
        ))
        .map_err(|e| Error::data("place.rs", e))?;
        let unknown_near = crate::matcher::regex(&format!(
            r"\b(?:in|at)\s+({NAME}),?\s+(?:near|in|outside|(?:north|south|east|west)(?:-?(?:east|west))?\s+of|in\s+the\s+(?:north|south|east|west)(?:ern)?\s+(?:part\s+)?of|in\s+the\s+(?:\w+\s+)?countryside\s+of)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|rural)\s+)?([A-Z][\p{{L}}'’-]+)"
        ))
        .map_err(|e| Error::data("place.rs", e))?;
        let rules: Rules =
            toml::from_str(RULES_TOML).map_err(|e| Error::data("place_rules.toml", e))?;
        let mut name_stop: FxHashSet<String> = rules.name_stop.iter().cloned().collect();
        name_stop.extend(rules.headline_words.iter().cloned());
        // a cue list before a name, as the end of the text before it
        let landmark = |cues: &mut dyn Iterator<Item = &String>| {
            let alt = cues
                .map(|c| regex::escape(c).replace(' ', r"\s+"))
                .collect::<Vec<_>>()
                .join("|");
            crate::matcher::regex(&format!(
                r"(?:^|\W)(?:{alt})\s+(?:the\s+)?(?:(?:[\p{{L}}-]+\s+){{0,2}}(?:city|town|village|capital)\s+(?:of\s+)?)?(?:(?:northern|southern|eastern|western|rural)\s+)?$"
            ))
            .map_err(|e| Error::data("place_rules.toml", e))
        };
        let near_before = landmark(
            &mut rules
                .near_cues
                .iter()
                .chain(&rules.destination_cues)
                .chain(&rules.origin_cues),
        )?;
        let near_only = landmark(&mut rules.near_cues.iter())?;
        Ok(Places {
            gaz,
            admin1,
            syria,
            unknown_cue,
            unknown_after,
            quarter_after,
            unknown_near,
            headlines: Headlines::new(),
            name_stop,
            months: crate::extract::date::month_names()?.into_iter().collect(),
            rules,
            near_before,
            near_only,
        })
    }

    /// The gazetteer behind the matcher.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Syria as a whole (precision `country`).
    pub fn country(&self) -> Location {
        let e = self.gaz.entry(self.syria);
        match e {
            Some(e) => self.location(e, e.name.clone(), "country"),
            None => Location {
                name: "Syria".into(),
                admin1: None,
                admin2: None,
                country: "SY".into(),
                latitude: Some(35.0),
                longitude: Some(38.0),
                feature: "country".into(),
                precision: "country",
                geonames_id: None,
                source: None,
            },
        }
    }

    /// The governorate entry named `admin1` (our English name).
    pub fn admin1_location(&self, admin1: &str) -> Option<Location> {
        let e = self.gaz.entry(*self.admin1.get(admin1)?)?;
        Some(self.location(e, e.name.clone(), "admin1"))
    }

    fn location(&self, e: &Entry, name: String, precision: &'static str) -> Location {
        Location {
            name,
            admin1: e.admin1.clone(),
            admin2: if precision == "place" || precision == "admin2" {
                e.admin2.clone()
            } else {
                None
            },
            country: e.country.clone(),
            latitude: e.lat,
            longitude: e.lon,
            feature: e.feature.clone(),
            precision,
            geonames_id: e.geonames_id,
            source: Some(e.source.clone()),
        }
    }

    /// True when `m`, a place abroad, locates what its sentence reports:
    /// "the front west of Kirkuk", "a car bomb in Sidon"; not "fleeing
    /// into Turkey", "banned in Russia" or "in U.S. air strikes". (Where
    /// someone spoke, "the ministry in Moscow said", the resolver reads.)
    pub fn locates_abroad(&self, body: &str, m: &PlaceMention) -> bool {
        if m.location.country == "SY" || m.context_only {
            return false;
        }
        let lower = |w: &str| w.to_lowercase();
        let r = &self.rules;
        // "in the Netherlands", "in western Mosul": the words between the
        // cue and the name are skipped.
        let mut before = body
            .get(..m.span.start)
            .unwrap_or("")
            .rsplit(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .map(lower)
            .skip_while(|w| r.abroad_skip.contains(w));
        let p1 = before.next().unwrap_or_default();
        let p2 = before.next().unwrap_or_default();
        let rest = body.get(m.span.end..).unwrap_or("");
        let glued = rest.starts_with('-');
        let next = rest
            .split(|c: char| c.is_whitespace())
            .find(|w| w.chars().any(char::is_alphanumeric))
            .map(lower)
            .unwrap_or_default();
        let located = r.abroad_cues.contains(&p1) || (p1 == "of" && r.abroad_of.contains(&p2));
        let excused = p1 == "in" && r.abroad_not_before.contains(&p2);
        located
            && !excused
            && !glued
            && !r
                .abroad_not_after
                .contains(next.trim_end_matches(|c: char| !c.is_alphanumeric()))
    }

    /// True when the text names `inner` as a part of `outer`, which it
    /// follows: "al-Jadida neighbourhood in western Mosul". A part of a
    /// place abroad is abroad, whatever Syrian namesake it has. ("the X
    /// district of Mosul" is not read: "the district of Al Mashhad" names
    /// an Aleppo quarter, and Mashhad is a city abroad.)
    pub fn within(&self, body: &str, inner: &PlaceMention, outer: &PlaceMention) -> bool {
        let Some(gap) = body.get(inner.span.end..outer.span.start) else {
            return false;
        };
        let r = &self.rules;
        let mut words = gap
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .skip_while(|w| r.within_words.contains(w));
        words.next().as_deref() == Some("in") && words.all(|w| r.abroad_skip.contains(&w))
    }

    pub fn extract(&self, doc: &CleanDoc, sentences: &[Sentence]) -> Vec<PlaceMention> {
        let body = doc.body.as_str();
        if body.is_empty() {
            return Vec::new();
        }
        let folded = fold_text(body);
        let sents = sentence_spans(doc, sentences);
        let mut lower = String::with_capacity(body.len());
        let word_spans = lower_words(body, &folded.tokens, &mut lower);
        let words: Vec<&str> = word_spans
            .iter()
            .map(|&(a, b)| lower.get(a..b).unwrap_or(""))
            .collect();
        let sent_of = |pos: usize| -> usize {
            match sents.binary_search_by(|(s, _)| s.start.cmp(&pos)) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            }
        };
        let mostly_lower = {
            let caps = folded.tokens.iter().filter(|t| t.cap).count();
            folded.tokens.len() > 50 && caps * 50 < folded.tokens.len()
        };

        // 1. gazetteer hits that pass the capital/context/person filters
        struct Cand {
            cands: Vec<usize>,
            span: Span,
            intent: Intent,
            /// token range of the whole expression (with areal words)
            span_all: Span,
            label: String,
            /// "Syrias": a possessive written without the apostrophe
            possessive: bool,
            /// named by a strong cue ("the town of X", "X village", a list of villages)
            strong: bool,
            /// called a part of a city ("the X district", "X and Y neighbourhoods")
            quarter: bool,
            /// placed by the words around it: "the capture of X", "X village",
            /// "X in ...", "X, near ...", "X, north of ..."
            tied: bool,
        }
        let mut cands: Vec<Cand> = Vec::new();
        // starts of context-only names ("the Idlib town of X", a "BEIRUT -" dateline)
        let mut ctx_spans: HashSet<usize> = HashSet::new();
        let mut datelines: HashSet<usize> = HashSet::new();
        let mut hits = self.gaz.find(&folded);
        let n_found = hits.len();
        // possessives without the apostrophe ("Syrias", "Aleppos")
        {
            let mut covered = vec![false; folded.tokens.len()];
            for h in &hits {
                for c in covered.iter_mut().take(h.last + 1).skip(h.first) {
                    *c = true;
                }
            }
            for (i, t) in folded.tokens.iter().enumerate() {
                if !t.cap || t.article || covered.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let Some(&w) = words.get(i) else { continue };
                let Some(base) = w.strip_suffix('s') else {
                    continue;
                };
                if base.chars().count() < 4
                    || base.ends_with('s')
                    || self.rules.not_possessive.contains(w)
                    || self.rules.is_adjective(base)
                    || self.gaz.key_of(w).is_some()
                {
                    continue;
                }
                let Some(k) = self.gaz.key_of(base) else {
                    continue;
                };
                // only well-known places: countries, governorates, cities
                let known = self.gaz.candidates(k).iter().any(|&e| {
                    self.gaz.entry(e).is_some_and(|e| {
                        matches!(e.feature.as_str(), "country" | "admin1") || e.population >= 20_000
                    })
                });
                if known && !self.gaz.key_is_common(k) {
                    hits.push(crate::gazetteer::Hit {
                        first: i,
                        last: i,
                        key: k,
                    });
                }
            }
        }
        let possessive_from = n_found;
        let mut order: Vec<usize> = (0..hits.len()).collect();
        order.sort_by_key(|&i| hits.get(i).map_or(0, |h| h.first));
        // the last foreign country accepted as a place, by its last token
        let mut last_foreign: Option<usize> = None;
        for hi in order {
            let Some(hit) = hits.get(hi) else { continue };
            let possessive = hi >= possessive_from;
            let Some(ft) = folded.tokens.get(hit.first) else {
                continue;
            };
            let mut start_tok = hit.first;
            // include an attached article ("al-Bab", "Al Qusayr")
            if hit.first > 0 {
                if let Some(p) = folded.tokens.get(hit.first - 1) {
                    let gap = body.get(p.end..ft.start).unwrap_or("");
                    // a lower-case "al" is the name's too after a capital:
                    // "Ahrar al Sham", "Bashar al Assad" (read below as
                    // another's name), not "in al Bab"
                    let in_name = gap == " "
                        && matches!(body.get(p.start..p.end), Some("al" | "el"))
                        && hit.first >= 2
                        && folded
                            .tokens
                            .get(hit.first - 2)
                            .is_some_and(|q| q.cap && !q.article && joined(body, q.end, p.start));
                    if p.article && (gap == "-" || p.cap || in_name) {
                        start_tok = hit.first - 1;
                    }
                }
            }
            let with_article = start_tok < hit.first;
            let Some(st) = folded.tokens.get(start_tok) else {
                continue;
            };
            let Some(lt) = folded.tokens.get(hit.last) else {
                continue;
            };
            let span = Span::new(st.start, lt.end);
            // "Britain-based", "Damascus-backed", "pro-Damascus": modifiers, not places
            // the words after the name, read once for its modifiers and
            // for the office it may be the seat of
            let after = head_lower(body, lt.end, 24);
            if !possessive {
                let before = tail_lower(body, st.start, 6);
                if starts_with_any(&after, &self.rules.suffixes)
                    || self.rules.prefixes.iter().any(|x| {
                        before.ends_with(x.as_str())
                            && before
                                .get(..before.len() - x.len())
                                .and_then(|b| b.chars().next_back())
                                .is_none_or(|c| !c.is_alphanumeric())
                    })
                {
                    continue;
                }
                // "Al-Furqan Brigades", "the Idlib Martyrs Brigade": a group's name
                let group_word = folded.tokens.get(hit.last + 1).is_some_and(|t| {
                    t.cap
                        && body.get(lt.end..t.start) == Some(" ")
                        && words
                            .get(hit.last + 1)
                            .is_some_and(|w| self.rules.group_words.contains(*w))
                });
                if group_word {
                    continue;
                }
            }
            // a capital on the name ("eastern Ghouta" counts by its second word)
            let first_word = words.get(hit.first).copied().unwrap_or("");
            let capitalised = ft.cap
                || ((DIRECTIONS.contains(&first_word) || DIR_NOUNS.contains(&first_word))
                    && (hit.first + 1..=hit.last)
                        .any(|i| folded.tokens.get(i).is_some_and(|t| t.cap)));
            if !capitalised && !mostly_lower {
                continue;
            }
            let prev_word = start_tok.checked_sub(1).and_then(|i| words.get(i)).copied();
            let prev_tok = start_tok.checked_sub(1).and_then(|i| folded.tokens.get(i));
            let sentence_start = sents.get(sent_of(st.start)).is_some_and(|(s, _)| {
                body.get(s.start..st.start).is_some_and(|g| {
                    g.trim()
                        .trim_start_matches(['"', '“', '(', '\''])
                        .is_empty()
                })
            });
            // part of a person's or an organisation's name: "Bashar al-Assad"
            // (but not after a demonym: "Syrian al-Raqqa province")
            if let Some(p) = prev_tok {
                if joined(body, p.end, st.start)
                    && p.cap
                    && !p.article
                    && with_article
                    && !sentence_start
                {
                    let pw = prev_word.unwrap_or("");
                    if !matches!(pw, "in" | "of" | "near" | "at")
                        && self.gaz.lookup(pw).is_empty()
                        && !self.rules.is_adjective(pw)
                    {
                        continue;
                    }
                }
            }
            // "Bab Touma", "Tal Hamra", "Bab al-Hadid": a longer name the
            // gazetteer does not know, another place than its last words.
            // (The quarter and village rules read such a name whole.)
            if let (Some(p), Some(pw)) = (prev_tok, prev_word)
                && p.cap
                && joined(body, p.end, st.start)
                && self.rules.name_heads.contains(pw)
            {
                continue;
            }
            // The word of token `i` when it is in lower case and one space
            // from the token before it (a verb right after a name).
            let lower_next = |i: usize| {
                let (t, p) = (folded.tokens.get(i)?, folded.tokens.get(i.checked_sub(1)?)?);
                (!t.cap && body.get(p.end..t.start) == Some(" "))
                    .then(|| words.get(i).copied())
                    .flatten()
            };
            // A person's name after a title: "Dr. Darwish", "journalist
            // Nawrouz Uthman", "his counterpart Michael Fallon" (one given
            // name may stand between).
            if let (Some(p), Some(pw)) = (prev_tok, prev_word)
                && !with_article
            {
                let title =
                    |w: Option<&str>| w.is_some_and(|w| self.rules.person_titles.contains(w));
                let gap = body.get(p.end..st.start).unwrap_or("");
                // "Dr. Darwish": an abbreviated title's stop ends no sentence.
                let next_to = gap == " " && !sentence_start || gap == ". " && pw.len() <= 4;
                let before_given = start_tok.checked_sub(2).and_then(|i| words.get(i)).copied();
                // The given name is no place itself (looked up only after a title).
                let given = || p.cap && !p.article && self.gaz.lookup(pw).is_empty();
                // "Lama Fakih told the AP": a given name before, and a verb
                // of saying after, in lower case (not a headline's "Says").
                let speaks = || lower_next(hit.last + 1).is_some_and(|w| self.rules.stance(w));
                // ... or after an apposition: "Lama Fakih, the watchdog's
                // deputy director, told the AP".
                let apposed = || {
                    let after = body.get(lt.end..).unwrap_or("");
                    after
                        .strip_prefix(", ")
                        .and_then(|a| {
                            // only the next 100 bytes are read, not the rest
                            // of the text (this runs for most names)
                            let window = a
                                .char_indices()
                                .nth(102)
                                .map_or(a, |(i, _)| a.get(..i).unwrap_or(a));
                            let k = window.find(", ").filter(|&k| k <= 100)?;
                            let (app, rest) = (a.get(..k)?, a.get(k + 2..)?);
                            (!app.contains(['.', ';', ':']))
                                .then(|| rest.split(|c: char| !c.is_alphanumeric()).next())
                                .flatten()
                        })
                        .is_some_and(|w| self.rules.stance(w))
                };
                if next_to
                    && (title(Some(pw))
                        || (title(before_given) || speaks() || apposed()) && given())
                {
                    continue;
                }
            }
            // A month's name before a number is a date: "Jan 20 2015".
            if hit.first == hit.last
                && self.months.contains(first_word)
                && folded.tokens.get(hit.last + 1).is_some_and(|n| {
                    body.get(lt.end..n.start) == Some(" ")
                        && body
                            .get(n.start..n.end)
                            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()))
                })
            {
                continue;
            }
            // A photographer's name after a wire's credit: "REUTERS Rodi Said".
            if let Some(p) = prev_tok
                && body.get(p.end..st.start) == Some(" ")
                && body
                    .get(p.start..p.end)
                    .is_some_and(|w| self.rules.photo_credits.contains(w))
                && folded
                    .tokens
                    .get(hit.last + 1)
                    .is_some_and(|n| n.cap && joined(body, lt.end, n.start))
            {
                continue;
            }
            // A seat of government that speaks is its government: "Damascus
            // has accused the rebels", "Ankara says" (not a headline's "Says");
            // so is one blamed: "accused Damascus of the attack".
            if hit.first == hit.last && self.rules.government_seats.contains(first_word) {
                let verb = match lower_next(hit.last + 1) {
                    Some("has" | "had" | "have") => lower_next(hit.last + 2),
                    w => w,
                };
                let blamed = prev_tok.is_some_and(|p| {
                    !p.cap
                        && body.get(p.end..st.start) == Some(" ")
                        && prev_word.is_some_and(|w| self.rules.blame_verbs.contains(w))
                });
                if blamed || verb.is_some_and(|w| self.rules.stance(w)) {
                    continue;
                }
            }
            // ... nor is its head word alone ("Tal" is a village too).
            if hit.first == hit.last
                && self.rules.name_heads.contains(first_word)
                && let Some(n) = folded.tokens.get(hit.last + 1)
                && (n.cap || n.article)
                && joined(body, lt.end, n.start)
            {
                continue;
            }
            let cands_all = self.spelled_abroad(
                body.get(st.start..lt.end).unwrap_or(""),
                self.gaz.candidates(hit.key),
            );
            if cands_all.is_empty() {
                continue;
            }
            let w_at = |i: usize| words.get(i).copied().unwrap_or("");
            let next_word = w_at(hit.last + 1);
            // "the Armenian town of Kasab": the word before the cue describes the
            // place after it; "the Idlib town of X", "the Damascus suburb of X":
            // the governorate or city around it (context only)
            let describes = matches!(
                next_word,
                "town" | "towns" | "village" | "villages" | "city" | "hamlet" | "suburb"
            ) && w_at(hit.last + 2) == "of";
            if describes
                && (self.gaz.key_is_common(hit.key)
                    || self.rules.is_adjective(w_at(hit.last))
                    || possessive)
            {
                continue;
            }
            if describes {
                ctx_spans.insert(span.start);
            }
            // "A source at Hama Police Command told SANA", "Homs Governor
            // said": the seat of an office that reports the act locates the
            // report, not the act (the act may be in a village around it)
            if starts_with_any(&after, &self.rules.report_seats) {
                ctx_spans.insert(span.start);
            }
            // "DAMASCUS (Sputnik) The strike ...": a dateline the text kept
            // (it lost its dash), where the report was filed
            if agency_dateline(body, span) {
                datelines.insert(span.start);
            }
            // a foreign country or city is a place only in a place context ("in
            // Turkey", "from eastern Lebanon", "north of Jordan", "the Turkish city
            // of Kilis"); otherwise an actor ("Russia called for", "Ankara said")
            let foreign_country = cands_all
                .iter()
                .all(|&i| self.gaz.entry(i).is_some_and(|e| e.country != "SY"));
            let p1 = prev_word.unwrap_or("");
            let p2 = start_tok.checked_sub(2).map_or("", w_at);
            // a group's name: "the Islamic State in Iraq and Syria", "Islamic
            // State of Iraq and the Levant" ("Iraq" also folds onto a village)
            if matches!(p1, "in" | "of")
                && p2.eq_ignore_ascii_case("state")
                && cands_all.iter().any(|&i| {
                    self.gaz
                        .entry(i)
                        .is_some_and(|e| e.country != "SY" && e.feature == "country")
                })
            {
                continue;
            }
            if foreign_country {
                let p3 = start_tok.checked_sub(3).map_or("", w_at);
                let cue = |w: &str| self.rules.foreign_cues.contains(w);
                let placed = cue(p1)
                    || (DIRECTIONS.contains(&p1) && cue(p2))
                    || (p1 == "of"
                        && (DIR_NOUNS.contains(&p2)
                            || matches!(
                                p2,
                                "border"
                                    | "borders"
                                    | "part"
                                    | "parts"
                                    | "city"
                                    | "town"
                                    | "village"
                                    | "capital"
                                    | "province"
                            )))
                    || (p1 == "the" && cue(p2))
                    || (p1 == "with" && matches!(p2, "border" | "borders" | "frontier"))
                    || matches!(next_word, "border" | "borders" | "frontier")
                    || (matches!(p1, "and" | "or")
                        && last_foreign.is_some()
                        && last_foreign == start_tok.checked_sub(2))
                    || (last_foreign.is_some() && last_foreign == start_tok.checked_sub(1))
                    || (p1 == "and" && DIRECTIONS.contains(&p2) && cue(p3));
                // a dateline ("BEIRUT -"): where the report was filed, context only
                // (never an abbreviation: "U.S. officials", "U.K.")
                let dateline = in_capitals(body, span);
                if !placed && !dateline {
                    continue;
                }
                if dateline && !placed {
                    ctx_spans.insert(span.start);
                }
                last_foreign = Some(hit.last);
            }
            // A word that folds onto a place's name without being its spelling
            // ("Media" onto Madaya, "Barack" onto Barek) needs the same
            // context as a common word; the place's own spellings do not.
            // (`words` are lower-cased already.)
            let not_name = hit.first == hit.last
                && words
                    .get(hit.first)
                    .is_some_and(|w| self.rules.not_names.contains(*w));
            let common = !with_article && (self.gaz.key_is_common(hit.key) || not_name);
            if common {
                let next_word = words.get(hit.last + 1).copied().unwrap_or("");
                let before2 = if start_tok >= 2 {
                    format!(
                        "{} {}",
                        words.get(start_tok - 2).copied().unwrap_or(""),
                        prev_word.unwrap_or("")
                    )
                } else {
                    String::new()
                };
                // or a bearing: "east of Azaz"
                let cue_before = PLACE_CUES_BEFORE
                    .iter()
                    .any(|c| *c == before2 || Some(*c) == prev_word)
                    || (p1 == "of" && DIR_NOUNS.contains(&p2));
                // after a comma only: "Media in Syria reported" is no place
                let cue_after = PLACE_CUES_AFTER.contains(&next_word)
                    || body
                        .get(lt.end..)
                        .is_some_and(|r| r.starts_with(',') && placed_after(r));
                let in_list = self.in_place_list(body, &words, &folded, start_tok);
                // A demonym before a lower-case noun is an adjective, even
                // after a place's preposition: "on Iraqi territory", "from
                // Iraqi government control".
                // (`next_word` is lower-cased: the token says how it was written.)
                let adjective = not_name
                    && !cue_after
                    && folded
                        .tokens
                        .get(hit.last + 1)
                        .is_some_and(|t| !t.cap && !t.article)
                    && next_word.chars().next().is_some_and(char::is_alphabetic);
                if !(cue_before || cue_after || in_list)
                    || (sentence_start && !cue_after)
                    || adjective
                {
                    continue;
                }
            }
            let (intent, span_all, label) =
                self.areal(body, &folded, &words, start_tok, hit.last, &cands_all);
            let strong = (p1 == "of"
                && matches!(
                    p2,
                    "town"
                        | "towns"
                        | "village"
                        | "villages"
                        | "city"
                        | "hamlet"
                        | "neighbourhood"
                        | "neighborhood"
                        | "suburb"
                ))
                || matches!(next_word, "town" | "village")
                || self.in_place_list(body, &words, &folded, start_tok);
            cands.push(Cand {
                span,
                cands: cands_all,
                intent,
                span_all,
                label,
                possessive,
                strong,
                quarter: (p1 == "of" && QUARTER_WORDS.contains(&p2))
                    || names_a_quarter(&words, &folded.tokens, hit.last),
                tied: p1 == "of" || strong || placed_after(body.get(span.end..).unwrap_or("")),
            });
        }

        // 2. context: governorates of unambiguous mentions per sentence, paragraph, article
        let mut sent_ctx: HashMap<usize, HashMap<String, u32>> = HashMap::new();
        let mut para_ctx: HashMap<usize, HashMap<String, u32>> = HashMap::new();
        let mut doc_ctx: HashMap<String, u32> = HashMap::new();
        for c in &cands {
            if let Some(first) = self.sole_admin1(&c.cands) {
                let si = sent_of(c.span.start);
                let pi = sents.get(si).map(|x| x.1).unwrap_or(0);
                *sent_ctx
                    .entry(si)
                    .or_default()
                    .entry(first.to_string())
                    .or_default() += 1;
                *para_ctx
                    .entry(pi)
                    .or_default()
                    .entry(first.to_string())
                    .or_default() += 1;
                *doc_ctx.entry(first.to_string()).or_default() += 1;
            }
        }
        let dominant = context_besides(&doc_ctx, None);
        // the governorate of the text around `pos` that `allowed` accepts:
        // its sentence's, else its paragraph's, else the article's; `own`
        // leaves out one mention of the name being resolved
        let ctx_among = |pos: usize, own: Option<&str>, allowed: &dyn Fn(&str) -> bool| {
            let si = sent_of(pos);
            let pi = sents.get(si).map(|x| x.1).unwrap_or(0);
            [sent_ctx.get(&si), para_ctx.get(&pi), Some(&doc_ctx)]
                .into_iter()
                .flatten()
                .find_map(|m| context_among(m, own, allowed))
        };
        let ctx_admin1 = |pos: usize, own: Option<&str>| ctx_among(pos, own, &|_| true);
        // the governorate of the text around a border with `country`, among
        // those along it: "the border with Iraq" in an article about Idlib
        // is not in Idlib
        let ctx_border = |pos: usize, country: &str| {
            let along = self.rules.borders.get(country);
            ctx_among(pos, None, &|k| {
                along.is_none_or(|a| a.iter().any(|x| x == k))
            })
        };

        // 3. resolve each candidate
        let mut out: Vec<PlaceMention> = Vec::new();
        // starts of mentions named by a strong cue (for propagation)
        let mut strong: HashSet<usize> = HashSet::new();
        // gazetteer entries the text showed to be a quarter of another
        // governorate's city: their quarter, for every other mention of them
        let mut quarters: HashMap<String, Location> = HashMap::new();
        for c in &cands {
            let si = sent_of(c.span.start);
            let pi = sents.get(si).map(|x| x.1).unwrap_or(0);
            let pool: Vec<usize> = match c.intent {
                Intent::Admin1 => {
                    let a: Vec<usize> = c
                        .cands
                        .iter()
                        .copied()
                        .filter(|&i| self.gaz.entry(i).is_some_and(|e| e.feature == "admin1"))
                        .collect();
                    if a.is_empty() { c.cands.clone() } else { a }
                }
                _ => {
                    let non_admin: Vec<usize> = c
                        .cands
                        .iter()
                        .copied()
                        .filter(|&i| self.gaz.entry(i).is_some_and(|e| e.feature != "admin1"))
                        .collect();
                    if non_admin.is_empty() {
                        c.cands.clone()
                    } else {
                        non_admin
                    }
                }
            };
            let score = |i: usize| -> i64 {
                let Some(e) = self.gaz.entry(i) else {
                    return i64::MIN;
                };
                let mut s = e.rank as i64;
                // a big city is what its name means unless the sentence
                // itself is about a namesake's governorate: "Hama" near a
                // paragraph about Damascus is still the city of Hama
                if e.population >= BIG_CITY {
                    s += 8_000;
                }
                if let Some(a) = &e.admin1 {
                    if sent_ctx.get(&si).is_some_and(|m| m.contains_key(a)) {
                        s += 10_000;
                    }
                    if para_ctx.get(&pi).is_some_and(|m| m.contains_key(a)) {
                        s += 5_000;
                    }
                    if dominant.as_deref() == Some(a.as_str()) {
                        s += 2_000;
                    }
                }
                s
            };
            // a country's name is the country ("Iran"), not a village of that name
            let country = pool
                .iter()
                .copied()
                .find(|&i| self.gaz.entry(i).is_some_and(|e| e.feature == "country"));
            let best = match country {
                Some(c) => Some(c),
                None => pool
                    .iter()
                    .copied()
                    .max_by_key(|&i| (score(i), std::cmp::Reverse(i))),
            };
            let Some(best) = best else { continue };
            let Some(e) = self.gaz.entry(best) else {
                continue;
            };
            let surface = body.get(c.span.start..c.span.end).unwrap_or("").to_string();
            let surface = if c.possessive
                || surface
                    .chars()
                    .filter(|ch| ch.is_alphabetic())
                    .all(|ch| ch.is_uppercase())
            {
                e.name.clone()
            } else {
                surface
            };
            // a small place whose governorate contradicts the sentence's: the
            // text names another place of that name we do not know
            // the sentence's governorate, when it names only one (a map's
            // first key is the one key, whatever the hash order)
            let sentence_a1 = sent_ctx
                .get(&si)
                .filter(|m| m.len() == 1)
                .and_then(|m| m.keys().next().cloned());
            let small = c.intent == Intent::Plain
                && pool.len() == c.cands.len()
                && e.country == "SY"
                && e.precision() == "place"
                && e.population < 20_000;
            // "the village of Qassiab in Hasakeh province": the governorate
            // the text gives the place, right after it
            let stated_a1 = cands
                .iter()
                .filter(|o| small && o.span.start >= c.span_all.end)
                .min_by_key(|o| o.span.start)
                .filter(|o| sent_of(o.span.start) == si)
                .filter(|o| {
                    body.get(c.span_all.end..o.span.start)
                        .is_some_and(in_governorate)
                })
                .and_then(|o| {
                    // "in Aleppo city": a city, whose quarter the place is
                    let city = o.intent == Intent::Plain
                        && (head_lower(body, o.span.end, 5) == " city"
                            || o.cands.iter().all(|&i| {
                                self.gaz.entry(i).is_some_and(|x| {
                                    x.feature != "admin1" && x.population >= BIG_CITY
                                })
                            }));
                    self.sole_admin1(&o.cands).map(|a| (a.to_string(), city))
                });
            let stated_elsewhere = stated_a1.as_ref().filter(|(a, _)| {
                !c.cands.iter().any(|&i| {
                    self.gaz
                        .entry(i)
                        .is_some_and(|x| x.admin1.as_ref() == Some(a))
                })
            });
            let in_city = stated_elsewhere.is_some_and(|(_, city)| *city);
            let (sentence_a1, of_conflict) = match stated_elsewhere {
                Some((a, _)) if small => (Some(a.clone()), true),
                _ => {
                    let elsewhere = sentence_a1
                        .as_ref()
                        .is_some_and(|a| e.admin1.as_ref() != Some(a));
                    (sentence_a1, small && elsewhere && c.tied)
                }
            };
            // a village elsewhere that the text calls a quarter ("the Sheikh
            // Saeed district") of the city the text is about: a quarter we do
            // not know, in the governorate of the text around it (the name's
            // own mention left out when it counted itself)
            let quarter_a1 = if !of_conflict
                && small
                && c.quarter
                && matches!(e.feature.as_str(), "village" | "town")
            {
                let counted_itself = c.cands.iter().all(|&i| {
                    self.gaz
                        .entry(i)
                        .is_some_and(|x| x.admin1.is_some() && x.admin1 == e.admin1)
                });
                let own = if counted_itself {
                    e.admin1.as_deref()
                } else {
                    None
                };
                ctx_admin1(c.span.start, own).filter(|a| e.admin1.as_ref() != Some(a))
            } else {
                None
            };
            let conflict = of_conflict || quarter_a1.is_some();
            let (sentence_a1, conflict_feature) = match &quarter_a1 {
                Some(a) => (Some(a.clone()), "neighbourhood".to_string()),
                None if c.quarter || in_city => (sentence_a1, "neighbourhood".to_string()),
                None => (sentence_a1, e.feature.clone()),
            };
            let (loc, unit) = match c.intent {
                Intent::Admin1 => {
                    let l = self.location(e, e.name.clone(), "admin1");
                    (l, e.name.clone())
                }
                Intent::Areal => {
                    let mut l = self.location(e, c.label.clone(), "region");
                    l.feature = "region".into();
                    (l, surface.clone())
                }
                Intent::Border => {
                    let mut l = self.country();
                    l.name = c.label.clone();
                    l.precision = "region";
                    l.feature = "border".into();
                    l.latitude = None;
                    l.longitude = None;
                    l.admin1 = ctx_border(c.span.start, &e.name);
                    (l, e.name.clone())
                }
                Intent::Plain if conflict => {
                    let l = Location {
                        name: surface.clone(),
                        admin1: sentence_a1,
                        admin2: None,
                        country: "SY".into(),
                        latitude: None,
                        longitude: None,
                        feature: conflict_feature,
                        precision: "place",
                        geonames_id: None,
                        source: Some("text".into()),
                    };
                    (l, surface.clone())
                }
                Intent::Plain => {
                    let name = if matches!(e.feature.as_str(), "country" | "admin1") {
                        e.name.clone()
                    } else {
                        surface.clone()
                    };
                    let l = self.location(e, name, e.precision());
                    (l, surface.clone())
                }
            };
            let gid = if loc.source.as_deref() == Some("text") {
                None
            } else {
                Some(e.id.clone())
            };
            if c.strong && c.intent == Intent::Plain {
                strong.insert(c.span_all.start);
            }
            if quarter_a1.is_some() {
                quarters.entry(e.id.clone()).or_insert_with(|| loc.clone());
            }
            out.push(PlaceMention {
                span: c.span_all,
                specificity: specificity(loc.precision),
                location: loc,
                context_only: false,
                unit,
                gazetteer_id: gid,
            });
        }

        if !quarters.is_empty() {
            for m in &mut out {
                let Some(q) = m.gazetteer_id.as_ref().and_then(|id| quarters.get(id)) else {
                    continue;
                };
                if m.location.precision != "place" {
                    continue;
                }
                m.location = q.clone();
                m.gazetteer_id = None;
            }
        }

        // 4. places the gazetteer does not know, named by a cue ("the village of X")
        let mut unknown: Vec<(Span, String, &'static str)> = Vec::new();
        for caps in self.unknown_cue.captures_iter(body) {
            let Some(list) = caps.get(1) else { continue };
            let cue = caps
                .get(0)
                .map(|m| m.as_str().to_lowercase())
                .unwrap_or_default();
            let feature = if cue.starts_with("town") {
                "town"
            } else {
                "village"
            };
            let text = list.as_str();
            let mut pos = 0;
            for part in split_list(text) {
                let Some(off) = text.get(pos..).and_then(|r| r.find(part)) else {
                    continue;
                };
                let s = list.start() + pos + off;
                pos += off + part.len();
                strong.insert(s);
                unknown.push((Span::new(s, s + part.len()), part.to_string(), feature));
            }
        }
        let mut named: Vec<(regex::Match, &'static str)> = Vec::new();
        for caps in self.unknown_after.captures_iter(body) {
            let (Some(n), Some(k)) = (caps.get(1), caps.get(2)) else {
                continue;
            };
            // "the Armenian town of Kasab": the town is named after "of"
            if head_lower(body, k.end(), 4).starts_with(" of") {
                continue;
            }
            named.push((
                n,
                if k.as_str() == "town" {
                    "town"
                } else {
                    "village"
                },
            ));
        }
        // "the Salaheddine district (of Aleppo)", "the Sukkari and al-Mashhad
        // neighbourhoods"
        for caps in self.quarter_after.captures_iter(body) {
            if let Some(n) = caps.get(1) {
                named.push((n, "neighbourhood"));
            }
        }
        for (n, feature) in named {
            let text = n.as_str();
            let mut pos = 0;
            for part in split_list(text) {
                let Some(off) = text.get(pos..).and_then(|r| r.find(part)) else {
                    continue;
                };
                let mut s = n.start() + pos + off;
                pos += off + part.len();
                let part = match self.city_possessive(part) {
                    Some(rest) => {
                        s += part.len() - rest.len();
                        rest
                    }
                    None => part,
                };
                // "an Alawite village", "the Christian quarter": a description
                if part
                    .split([' ', '-'])
                    .next_back()
                    .is_some_and(|w| self.rules.is_adjective(w))
                {
                    continue;
                }
                strong.insert(s);
                unknown.push((Span::new(s, s + part.len()), part.to_string(), feature));
            }
        }
        for caps in self.unknown_near.captures_iter(body) {
            let (Some(n), Some(ctx)) = (caps.get(1), caps.get(2)) else {
                continue;
            };
            // the second name must be a known place: "in Hass, in the south of Idlib"
            if self.gaz.lookup(ctx.as_str()).is_empty() {
                continue;
            }
            // "35 Dead in Terrorist Battle in Aleppo": in a headline set in
            // title case, capitals make no name
            let (sent, _) = sents.get(sent_of(n.start())).copied().unwrap_or_default();
            let line = body.get(sent.start..sent.end).unwrap_or("");
            if self
                .headlines
                .contains(line, n.start().saturating_sub(sent.start))
            {
                continue;
            }
            unknown.push((
                Span::new(n.start(), n.end()),
                n.as_str().to_string(),
                "place",
            ));
        }
        for (span, name, feature) in unknown {
            // "the Duma neighbourhood of Damascus August 21", "near Aleppo
            // The chairman said": a name runs on into the next words where
            // the text lost its punctuation; it ends before a word no name
            // holds (a month, a day, an article, a pronoun)
            let (span, name) = self.cut_at_stop(span, name);
            // a longer name after a cue wins over a one-word gazetteer name inside it
            // ("the village of Tell Qurtubah" is not the place "Tell")
            out.retain(|m| !(one_word_inside(m, span) && m.specificity == 4));
            if out.iter().any(|m| m.span.overlaps(span)) {
                continue;
            }
            let key = name.to_lowercase();
            if key.is_empty() || key.split([' ', '-']).all(|w| self.name_stop.contains(w)) {
                continue;
            }
            let loc = Location {
                name: name.clone(),
                admin1: ctx_admin1(span.start, None),
                admin2: None,
                country: "SY".into(),
                latitude: None,
                longitude: None,
                feature: feature.into(),
                precision: "place",
                geonames_id: None,
                source: Some("text".into()),
            };
            out.push(PlaceMention {
                span,
                location: loc,
                specificity: 4,
                context_only: false,
                unit: name,
                gazetteer_id: None,
            });
        }

        out.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
        // drop mentions inside another
        let mut kept: Vec<PlaceMention> = Vec::with_capacity(out.len());
        for m in out {
            if kept
                .last()
                .is_some_and(|k: &PlaceMention| k.span.overlaps(m.span))
            {
                continue;
            }
            kept.push(m);
        }

        // 4b. a name established by a strong cue ("the town of Kasab") is that
        // place wherever the article names it again ("aircraft pounded Kasab")
        let mut extra: Vec<PlaceMention> = Vec::new();
        let mut done: HashSet<String> = HashSet::new();
        for m in &kept {
            if !strong.contains(&m.span.start) || m.location.precision != "place" {
                continue;
            }
            let Some(name) = body.get(m.span.start..m.span.end) else {
                continue;
            };
            if !name.chars().next().is_some_and(char::is_uppercase)
                || name.chars().count() < 3
                || !done.insert(name.to_string())
                || name
                    .split([' ', '-'])
                    .all(|w| self.name_stop.contains(&w.to_lowercase()))
            {
                continue;
            }
            for (pos, _) in body.match_indices(name) {
                let end = pos + name.len();
                let before_ok = body
                    .get(..pos)
                    .and_then(|b| b.chars().next_back())
                    .is_none_or(|c| !c.is_alphanumeric() && c != '-');
                let after = head_lower(body, end, 16);
                let after_ok = after
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '-')
                    || after.starts_with("'s")
                    || after.starts_with("’s");
                let modifier = starts_with_any(&after, &self.rules.suffixes);
                let span = Span::new(pos, end);
                if !before_ok
                    || !after_ok
                    || modifier
                    || kept
                        .iter()
                        .any(|k| k.span.overlaps(span) && !one_word_inside(k, span))
                    || extra.iter().any(|k| k.span.overlaps(span))
                {
                    continue;
                }
                extra.push(PlaceMention { span, ..m.clone() });
            }
        }
        if !extra.is_empty() {
            // the longer name wins over a one-word gazetteer name inside it
            // ("Bab Touma" is not al-Bab)
            kept.retain(|k| !extra.iter().any(|x| one_word_inside(k, x.span)));
            kept.extend(extra);
            kept.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
        }

        // 5. context-only mentions: "Aziza, near Aleppo", "Ras al-Ain in Qalamoun"
        // (and the names known only from the text that such a context located)
        let mut located: Vec<usize> = Vec::new();
        for i in 1..kept.len() {
            let (a, b) = (&kept[i - 1], &kept[i]);
            if sent_of(a.span.start) != sent_of(b.span.start) {
                continue;
            }
            let gap = body
                .get(a.span.end..b.span.start)
                .unwrap_or("")
                .to_lowercase();
            let gap = gap.trim();
            // "al-Masasneh village in the countryside of Hama" reads as
            // "al-Masasneh, in the countryside of Hama" (a quarter of a city
            // abroad is not located by it: its namesake here is no place)
            let (gap, feature_word) = match gap.split_once(' ') {
                Some((w, rest)) if self.rules.within_words.contains(w) => (rest, true),
                _ => (gap, false),
            };
            if feature_word && a.location.country != b.location.country {
                continue;
            }
            let ctx_gap = matches!(
                gap,
                "," | "("
                    | "in"
                    | ", in"
                    | "near"
                    | ", near"
                    | "in the"
                    | ", in the"
                    | "of"
                    | "outside"
                    | ", outside"
                    | "in northern"
                    | "in southern"
                    | "in eastern"
                    | "in western"
                    | "in rural"
                    | ", in rural"
                    | ", in northern"
                    | ", in southern"
                    | ", in eastern"
                    | ", in western"
                    | "in the province of"
                    | ", in the province of"
                    | "in the countryside of"
                    | ", in the countryside of"
                    | "on the outskirts of"
                    | ", on the outskirts of"
                    | ", near the"
                    | "near the"
                    | ", a village in"
                    | ", a town in"
            ) || (gap.starts_with(',') && gap.ends_with(" of") && gap.len() < 30);
            let same_or_wider = b.specificity < a.specificity
                || (b.location.admin1.is_some()
                    && b.location.admin1 == a.location.admin1
                    && b.specificity <= a.specificity)
                || b.location.precision == "country"
                // a name known only from the text has no governorate of its own yet
                || (a.location.source.as_deref() == Some("text")
                    && b.specificity <= a.specificity);
            // "the villages of A, B and C": B is a list item, not A's context
            let list_item = gap == "," && strong.contains(&b.span.start);
            if ctx_gap && same_or_wider && !list_item && a.specificity >= 3 {
                kept[i].context_only = true;
                // a name known only from the text takes its governorate from
                // the place that locates it ("the village of X, near Idlib")
                let a1 = kept[i].location.admin1.clone();
                if a1.is_some() && kept[i - 1].location.source.as_deref() == Some("text") {
                    kept[i - 1].location.admin1 = a1;
                    located.push(i - 1);
                }
            }
        }
        // A name known only from the text is the place its context located
        // wherever the article names it again: "a blast on the outskirts of
        // Khneifis town in Hama countryside ... exploded on a road to the
        // east of Khneifis town" is one village, not a namesake in the
        // article's other governorate.
        let located_names: Vec<(String, Option<String>)> = located
            .iter()
            .filter_map(|&i| kept.get(i))
            .map(|m| (m.location.name.to_lowercase(), m.location.admin1.clone()))
            .collect();
        if !located_names.is_empty() {
            for (j, m) in kept.iter_mut().enumerate() {
                if located.contains(&j) || m.location.source.as_deref() != Some("text") {
                    continue;
                }
                let key = m.location.name.to_lowercase();
                if let Some((_, a1)) = located_names.iter().find(|(k, _)| *k == key) {
                    m.location.admin1.clone_from(a1);
                }
            }
        }

        for m in kept.iter_mut() {
            if ctx_spans.contains(&m.span.start) {
                m.context_only = true;
            }
        }
        // a context-only mention ranks below the place it locates: "the town
        // of Aziza, near Aleppo" is an act in Aziza, whether or not the
        // gazetteer knows Aziza (a name known only from the text would
        // otherwise lose to the gazetteer's Aleppo at equal precision)
        // A dateline says where the report was filed, nothing of where the
        // act was: it ranks with the country, below any place the text names.
        for m in kept.iter_mut() {
            if datelines.contains(&m.span.start) {
                m.context_only = true;
                m.specificity = 0;
            } else if m.context_only {
                m.specificity = m.specificity.saturating_sub(1);
            }
        }

        // 6. "near the coastal city of Latakia", "on the outskirts of Aleppo",
        // "to be bused to Jarablus", "fired from Douma": a landmark, a
        // destination or an origin when the sentence names another specific
        // place. A cue governs the whole list after it: "positioned in Bani
        // Zaid and al-Rashideen".
        let mut cued: Vec<bool> = Vec::with_capacity(kept.len());
        for (i, m) in kept.iter().enumerate() {
            let listed = i > 0
                && cued.get(i - 1).copied().unwrap_or(false)
                && kept.get(i - 1).is_some_and(|p| {
                    p.span.end <= m.span.start
                        && body.get(p.span.end..m.span.start).is_some_and(is_list_gap)
                });
            cued.push(
                listed
                    || self
                        .near_before
                        .is_match(&tail_lower(body, m.span.start, 60)),
            );
        }
        for i in 0..kept.len() {
            let Some(m) = kept.get(i) else { continue };
            if m.context_only || m.specificity < 3 {
                continue;
            }
            let own = head_lower(body, m.span.start, 12);
            if !cued.get(i).copied().unwrap_or(false) && !own.starts_with("outskirts of") {
                continue;
            }
            let si = sent_of(m.span.start);
            let other = kept.iter().enumerate().any(|(j, o)| {
                j != i
                    && !o.context_only
                    && o.specificity >= 3
                    && sent_of(o.span.start) == si
                    && !cued.get(j).copied().unwrap_or(false)
            });
            if other {
                if let Some(m) = kept.get_mut(i) {
                    m.context_only = true;
                    m.specificity = m.specificity.saturating_sub(1);
                }
            } else if let Some(around) = self.around_city(&m.location)
                && self.near_only.is_match(&tail_lower(body, m.span.start, 60))
            {
                // "a rebel-held area outside Damascus", "the stronghold near
                // the capital Damascus": around the city, not in it, so in
                // the governorate around it. Near a city of a larger
                // governorate ("in the mountains near Latakia") the act
                // keeps the city, the nearest place named.
                if let Some(m) = kept.get_mut(i) {
                    m.location.name = format!("near {}", m.location.name);
                    m.location.precision = "region";
                    m.location.feature = "region".into();
                    m.location.admin2 = None;
                    m.location.admin1 = Some(around);
                    m.specificity = 3;
                }
            }
        }
        kept
    }

    /// The governorate around a city that is a governorate of its own
    /// (`surrounding`: Damascus in Rif Dimashq).
    fn around_city(&self, loc: &Location) -> Option<String> {
        if loc.feature != "city" {
            return None;
        }
        loc.admin1
            .as_ref()
            .and_then(|a| self.rules.surrounding.get(a))
            .cloned()
    }

    /// True when the token follows "the villages of A, B and" in a list of names.
    fn in_place_list(&self, body: &str, words: &[&str], f: &Folded, tok: usize) -> bool {
        let mut i = tok;
        let mut steps = 0;
        while i >= 2 && steps < 12 {
            i -= 1;
            steps += 1;
            let w = words.get(i).copied().unwrap_or("");
            if w == "of" {
                let cue = words.get(i.wrapping_sub(1)).copied().unwrap_or("");
                return matches!(
                    cue,
                    "villages" | "towns" | "areas" | "cities" | "neighbourhoods" | "neighborhoods"
                );
            }
            let t = f.tokens.get(i);
            if w == "and" || t.is_some_and(|t| t.cap || t.article) {
                // the gap must be a comma, space or hyphen
                if let (Some(t), Some(n)) = (t, f.tokens.get(i + 1)) {
                    let gap = body.get(t.end..n.start).unwrap_or("");
                    if !gap.chars().all(|c| c == ',' || c == ' ' || c == '-') {
                        return false;
                    }
                }
                continue;
            }
            return false;
        }
        false
    }

    /// Reads the words around a name: admin unit, areal or border expression.
    fn areal(
        &self,
        body: &str,
        f: &Folded,
        words: &[&str],
        first: usize,
        last: usize,
        cands: &[usize],
    ) -> (Intent, Span, String) {
        let w = |i: usize| words.get(i).copied().unwrap_or("");
        let tok_start = |i: usize| f.tokens.get(i).map(|t| t.start).unwrap_or(0);
        let tok_end = |i: usize| f.tokens.get(i).map(|t| t.end).unwrap_or(0);
        let span = Span::new(tok_start(first), tok_end(last));
        let unit = body.get(span.start..span.end).unwrap_or("").to_string();
        let entries: Vec<&Entry> = cands.iter().filter_map(|&i| self.gaz.entry(i)).collect();
        let has_admin1 = entries.iter().any(|e| e.feature == "admin1");
        let is_country = entries.iter().any(|e| e.feature == "country");
        let is_foreign = entries.iter().all(|e| e.country != "SY");
        let next = w(last + 1);
        let prev = if first > 0 { w(first - 1) } else { "" };
        let prev2 = if first > 1 { w(first - 2) } else { "" };

        // borders: "the border with Lebanon", "the Lebanese border" is not a name here
        if is_country
            && (prev == "with" && (prev2 == "border" || prev2 == "borders" || prev2 == "frontier"))
        {
            let s = Span::new(tok_start(first - 2), span.end);
            let name = entries
                .first()
                .map(|e| format!("{} border", e.name))
                .unwrap_or_default();
            return (Intent::Border, s, name);
        }
        if is_country && next == "border" && !is_foreign {
            return (Intent::Plain, span, unit);
        }
        if is_country && next == "border" {
            let name = entries
                .first()
                .map(|e| format!("{} border", e.name))
                .unwrap_or_default();
            return (
                Intent::Border,
                Span::new(span.start, tok_end(last + 1)),
                name,
            );
        }
        if is_foreign || is_country {
            return (Intent::Plain, span, unit);
        }
        let dir_before = if DIR_NOUNS.contains(&prev2) && DIRECTIONS.contains(&prev) && first >= 2 {
            Some((first - 2, format!("{prev2}-{prev}")))
        } else if DIRECTIONS.contains(&prev) {
            Some((first - 1, prev.to_string()))
        } else {
            None
        };
        // "... countryside of X (province)"
        if prev == "of" && (prev2 == "countryside" || prev2 == "outskirts" || prev2 == "suburbs") {
            let mut start = first - 2;
            let mut dir = String::new();
            if first >= 3 && DIRECTIONS.contains(&w(first - 3)) {
                start = first - 3;
                dir = format!("{} ", w(first - 3));
            }
            let mut end = span.end;
            if ADMIN_WORDS.contains(&next) {
                end = tok_end(last + 1);
            }
            let label = format!("{dir}{unit} {prev2}");
            return (Intent::Areal, Span::new(tok_start(start), end), label);
        }
        // "X province", "the province of X", "provinces of Homs and Hama"
        if has_admin1 && ADMIN_WORDS.contains(&next) {
            let mut s = Span::new(span.start, tok_end(last + 1));
            if let Some((d, _)) = &dir_before {
                // "northern Idlib province" is a region of the province
                s.start = tok_start(*d);
                let label = format!(
                    "{} {}",
                    dir_before.as_ref().map(|x| x.1.as_str()).unwrap_or(""),
                    self.admin1_name(&entries).unwrap_or(&unit)
                );
                return (Intent::Areal, s, label);
            }
            return (Intent::Admin1, s, unit);
        }
        if has_admin1 && prev == "of" && ADMIN_WORDS.contains(&prev2) {
            // "the eastern countryside of Homs province" is handled below; this is "province of X"
            let s = Span::new(tok_start(first - 2), span.end);
            return (Intent::Admin1, s, unit);
        }
        // "the provinces of Latakia and Tartus", "the governorates of Idlib,
        // Hama and Aleppo": every name of the list
        let after_comma = first > 0
            && body
                .get(tok_end(first - 1)..tok_start(first))
                .is_some_and(|gap| gap.contains(','));
        if has_admin1 && (prev == "and" || after_comma) && first >= 2 {
            let mut i = if prev == "and" { first - 2 } else { first - 1 };
            let mut steps = 0;
            while i > 0 && steps < 8 {
                let t = f.tokens.get(i);
                if w(i) == "of" {
                    break;
                }
                if !(w(i) == "and" || t.is_some_and(|t| t.cap || t.article)) {
                    break;
                }
                i -= 1;
                steps += 1;
            }
            if w(i) == "of" && i > 0 && matches!(w(i - 1), "provinces" | "governorates") {
                return (Intent::Admin1, span, unit);
            }
        }
        // "the Idleb region": the governorate; "the Homs area": the area around the city
        if has_admin1 && matches!(next, "region" | "regions") && dir_before.is_none() {
            return (
                Intent::Admin1,
                Span::new(span.start, tok_end(last + 1)),
                unit,
            );
        }
        if has_admin1 && next == "area" {
            let start = dir_before.as_ref().map(|d| d.0).unwrap_or(first);
            let dir = dir_before
                .as_ref()
                .map(|d| format!("{} ", d.1))
                .unwrap_or_default();
            let label = format!("{dir}{unit} area");
            return (
                Intent::Areal,
                Span::new(tok_start(start), tok_end(last + 1)),
                label,
            );
        }
        // "X countryside", "northern X countryside"
        if next == "countryside" || next == "suburbs" || next == "outskirts" {
            let start = dir_before.as_ref().map(|d| d.0).unwrap_or(first);
            let dir = dir_before
                .as_ref()
                .map(|d| format!("{} ", d.1))
                .unwrap_or_default();
            let label = format!("{dir}{unit} {next}");
            return (
                Intent::Areal,
                Span::new(tok_start(start), tok_end(last + 1)),
                label,
            );
        }
        // "northern Latakia", "rural Jableh"
        if let Some((d, dir)) = dir_before {
            let label = format!("{dir} {unit}");
            return (Intent::Areal, Span::new(tok_start(d), span.end), label);
        }
        // "north of Aleppo", "south-east of Idlib"
        if prev == "of" && (DIR_NOUNS.contains(&prev2) || DIRECTIONS.contains(&prev2)) {
            let mut start = first - 2;
            let mut dir = prev2.to_string();
            if first >= 3 && DIR_NOUNS.contains(&w(first - 3)) {
                start = first - 3;
                dir = format!("{}-{}", w(first - 3), prev2);
            }
            let label = format!("{dir} of {unit}");
            return (Intent::Areal, Span::new(tok_start(start), span.end), label);
        }
        (Intent::Plain, span, unit)
    }

    /// An unknown name cut before its first word (after the first) that is
    /// in `name_stop`, and without the capitalised words that open its
    /// sentence before it ("The Al-Zahraa district", "In al-Waer
    /// neighborhood"): words of `name_stop` or `name_lead`.
    fn cut_at_stop(&self, span: Span, name: String) -> (Span, String) {
        let mut span = span;
        let mut name = name;
        while let Some((first, rest)) = name.split_once(' ') {
            let first = first.to_lowercase();
            if rest.is_empty()
                || !(self.name_stop.contains(&first) || self.rules.name_lead.contains(&first))
            {
                break;
            }
            span.start = span.end - rest.len();
            name = rest.to_string();
        }
        let mut at = 0;
        for (k, w) in name.split(' ').enumerate() {
            if k > 0 && self.name_stop.contains(&w.to_lowercase()) {
                let kept = name.get(..at).unwrap_or("").trim_end();
                return (
                    Span::new(span.start, span.start + kept.len()),
                    kept.to_string(),
                );
            }
            at += w.len() + 1;
        }
        (span, name)
    }

    /// "Aleppo's Sheikh Maqsoud", "Daraas Manshiyah": the name after a
    /// known place's possessive.
    fn city_possessive<'t>(&self, name: &'t str) -> Option<&'t str> {
        let (first, rest) = name.split_once(' ')?;
        let base = first
            .strip_suffix("'s")
            .or_else(|| first.strip_suffix("’s"))
            .or_else(|| {
                first
                    .strip_suffix('s')
                    .filter(|_| self.gaz.key_of(first).is_none())
            })?;
        (!self.gaz.lookup(base).is_empty()).then_some(rest)
    }

    /// A name that folds onto places in Syria and abroad means the ones it
    /// spells: "Mallah" is a Syrian village, not Mali, "Haffa" is
    /// in Latakia, not Haifa, and "Sanaa" is in Yemen. When no entry is
    /// spelled so, the name is a spelling of a place in Syria ("al-Sinaah"
    /// is neither Sanaa nor Sinai); when all lie on one side, every entry
    /// stays a candidate.
    fn spelled_abroad(&self, text: &str, cands: &[usize]) -> Vec<usize> {
        let entries = || {
            cands
                .iter()
                .filter_map(|&i| self.gaz.entry(i).map(|e| (i, e)))
        };
        let home = entries().filter(|(_, e)| e.country == "SY").count();
        if home == 0 || home == cands.len() {
            return cands.to_vec();
        }
        let text = spelling(text);
        // a possessive without its apostrophe: "Iraqs largest city"
        let stem = text.strip_suffix('s').unwrap_or(&text);
        let spelled: Vec<usize> = entries()
            .filter(|(_, e)| {
                std::iter::once(&e.name).chain(&e.aliases).any(|n| {
                    let n = spelling(n);
                    n == text || n == stem
                })
            })
            .map(|(i, _)| i)
            .collect();
        if spelled.is_empty() {
            entries()
                .filter(|(_, e)| e.country == "SY")
                .map(|(i, _)| i)
                .collect()
        } else {
            spelled
        }
    }

    /// The governorate all of a name's entries lie in; None when they lie
    /// in several, or any lies abroad: "Medina" names a city in Arabia and
    /// a village near Douma, and its mention says nothing of the text's
    /// governorate.
    fn sole_admin1(&self, entries: &[usize]) -> Option<&str> {
        let entries = || entries.iter().filter_map(|&i| self.gaz.entry(i));
        if entries().any(|e| e.country != "SY") {
            return None;
        }
        let mut a1s = entries().filter_map(|e| e.admin1.as_deref());
        let first = a1s.next()?;
        a1s.all(|a| a == first).then_some(first)
    }

    fn admin1_name<'a>(&self, entries: &[&'a Entry]) -> Option<&'a str> {
        entries.iter().find_map(|e| e.admin1.as_deref())
    }
}

/// True when the words after a name place it: "X in ...", "X, near ...",
/// "X, north of ...".
fn placed_after(rest: &str) -> bool {
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let word = rest.split([' ', ',']).next().unwrap_or("");
    matches!(word, "in" | "near" | "outside")
        || (DIR_NOUNS.contains(&word)
            && rest
                .get(word.len()..)
                .is_some_and(|r| r.starts_with(" of ")))
}

/// True when `m` is a one-word name strictly inside `span`.
fn one_word_inside(m: &PlaceMention, span: Span) -> bool {
    span.contains(m.span) && m.span != span && !m.unit.contains(' ')
}

/// The governorate most named in a context map (ties: the first in
/// alphabetical order), leaving out one mention of `own` (the name being
/// resolved counts itself when it is unambiguous); None when nothing else is
/// named.
fn context_besides(m: &HashMap<String, u32>, own: Option<&str>) -> Option<String> {
    context_among(m, own, &|_| true)
}

/// [`context_besides`] among the governorates `allowed` accepts.
fn context_among(
    m: &HashMap<String, u32>,
    own: Option<&str>,
    allowed: &dyn Fn(&str) -> bool,
) -> Option<String> {
    m.iter()
        .filter(|(k, _)| allowed(k))
        .map(|(k, &v)| (k, if Some(k.as_str()) == own { v - 1 } else { v }))
        .filter(|&(_, v)| v > 0)
        .max_by_key(|&(k, v)| (v, std::cmp::Reverse(k.as_str())))
        .map(|(k, _)| k.clone())
}

/// True when the words between a place and a governorate's name make it
/// the place's own governorate: "X in Y province", "X, in the northern Y
/// countryside", "X, Y province" (not "X near Y", nor "X Y").
fn in_governorate(gap: &str) -> bool {
    let comma = gap.trim_start().starts_with(',');
    let mut words = gap
        .split(|ch: char| ch.is_whitespace() || ch == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .peekable();
    let saw_in = words.next_if(|w| w == "in").is_some();
    words.next_if(|w| w == "the");
    words.next_if(|w| DIRECTIONS.contains(&w.as_str()));
    if words
        .next_if(|w| ADMIN_WORDS.contains(&w.as_str()) || w == "countryside")
        .is_some()
        && words.next().as_deref() != Some("of")
    {
        return false;
    }
    (saw_in || comma) && words.next().is_none()
}

/// True when the name at `span` is written in capitals, as a dateline
/// writes it ("BEIRUT"), and is no abbreviation ("U.S.", "U.K.").
fn in_capitals(body: &str, span: Span) -> bool {
    span.len() > 2
        && body
            .get(span.start..span.end)
            .is_some_and(|t| !t.chars().any(|c| c.is_lowercase() || c == '.'))
}

/// True when the name at `span` is in capitals and an agency's name in
/// brackets follows it ("DAMASCUS (Sputnik)", "HOMS (AFP)"): a dateline.
fn agency_dateline(body: &str, span: Span) -> bool {
    let agency = body
        .get(span.end..)
        .and_then(|r| r.trim_start_matches(' ').strip_prefix('('))
        .and_then(|r| r.get(..r.find(')')?));
    in_capitals(body, span)
        && agency.is_some_and(|a| {
            (1..=30).contains(&a.len())
                && a.split(' ')
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        })
}

/// Splits "A, B and C" into its names.
fn split_list(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for a in text.split(',') {
        for b in a.split(" and ") {
            let b = b.trim();
            if !b.is_empty() {
                out.push(b);
            }
        }
    }
    out
}

/// The sentences to use: the given ones, or a simple split when the caller
/// has none (or one for the whole body), each with its paragraph index.
fn sentence_spans(doc: &CleanDoc, sentences: &[Sentence]) -> Vec<(Span, usize)> {
    if sentences.len() > 1 {
        let mut v: Vec<(Span, usize)> = sentences.iter().map(|s| (s.span, s.paragraph)).collect();
        v.sort_by_key(|x| x.0.start);
        return v;
    }
    let body = doc.body.as_str();
    let mut out = Vec::new();
    let mut para = 0;
    let mut start = 0;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        let end_para = b == b'\n' && bytes.get(i + 1) == Some(&b'\n');
        let end_sent = matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_some_and(|c| c.is_ascii_whitespace())
            && bytes
                .get(i + 2)
                .is_some_and(|c| c.is_ascii_uppercase() || *c == b'"');
        if end_para || end_sent || b == b'\n' {
            let e = if end_sent { i + 1 } else { i };
            if e > start {
                out.push((Span::new(start, e), para));
            }
            start = i + 1;
            if end_para {
                para += 1;
                i += 1;
                start = i + 1;
            }
        }
        i += 1;
    }
    if start < body.len() {
        out.push((Span::new(start, body.len()), para));
    }
    if out.is_empty() {
        out.push((Span::new(0, body.len()), 0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RawDoc;

    pub(crate) fn doc(body: &str) -> CleanDoc {
        CleanDoc {
            raw: RawDoc::plain("t.txt", body),
            title: None,
            dateline: None,
            published: None,
            published_source: None,
            body: body.into(),
            paragraphs: vec![Span::new(0, body.len())],
            captions: vec![],
            n_chars_raw: body.chars().count(),
            n_chars_clean: body.chars().count(),
        }
    }

    #[test]
    fn finds_and_resolves() {
        let p = Places::new().expect("places");
        let d = doc("Shelling hit the town of Kafranbel in Idleb province on Monday.");
        let m = p.extract(&d, &[]);
        let names: Vec<(&str, &str)> = m
            .iter()
            .map(|m| (m.location.name.as_str(), m.location.precision))
            .collect();
        assert_eq!(names, vec![("Kafranbel", "place"), ("Idlib", "admin1")]);
        assert!(m[1].context_only);
    }

    #[test]
    fn no_panic_on_odd_text() {
        let p = Places::new().expect("places");
        for t in ["", "al-", "’’’", "Aleppo’s", "ÉÉ al- Al", "x\n\nY. Z"] {
            let _ = p.extract(&doc(t), &[]);
        }
    }
}

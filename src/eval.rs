//! Evaluation: scores a built dataset (its CSV tables) against gold
//! annotations, the way `../shared/eval/score.py` does, so that `sitrep eval`
//! and the tests need no Python. It owns the gold formats (our TOML, as in
//! `tests/cases/corpus_expected.toml`, and the seeds' JSON Lines folder), the
//! matching rules (a predicted event matches a gold event when its evidence
//! and one of the gold mentions share an 8-word run or one contains the
//! other), and the figures: event precision/recall/F1, duplicates, per-field
//! accuracies over matched events, and the article checks (titles, published
//! dates, boilerplate leaked, body lost).
//!
//! Differences from score.py, all deliberate: articles are keyed by file name
//! AND record id (so several JSON Lines records of one file are told apart);
//! a gold event's `alt_sub_event_types` (TOML only) are accepted for the
//! type and sub-event type; the per-article detail shows the predicted and
//! gold values of every wrong field.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};
use crate::typology::event_type_of;

// ---------------------------------------------------------------- gold model

/// Which article a gold record is about: the input file's name (no folder)
/// and, for JSON Lines, the record's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ArticleKey {
    pub file: String,
    pub record: Option<String>,
}

impl fmt::Display for ArticleKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.record {
            Some(r) => write!(f, "{}#{}", self.file, r),
            None => f.write_str(&self.file),
        }
    }
}

#[derive(Debug, Clone)]
struct GoldArticle {
    key: ArticleKey,
    title: Option<String>,
    published: Option<String>,
    must_keep: Vec<String>,
    must_drop: Vec<String>,
}

#[derive(Debug, Clone)]
struct GoldActor {
    kind: String,
    alt_kinds: Vec<String>,
}

#[derive(Debug, Clone)]
struct GoldEvent {
    id: String,
    article: ArticleKey,
    required: bool,
    event_type: String,
    sub_event_type: String,
    alt_sub_event_types: Vec<String>,
    mentions: Vec<String>,
    place: String,
    place_alternatives: Vec<String>,
    admin1: Option<String>,
    actors: Vec<GoldActor>,
    fatalities: Option<i64>,
    /// Other defensible counts (None: "no count" is also defensible).
    fatalities_alternatives: Vec<Option<i64>>,
    date: Option<String>,
}

#[derive(Debug, Clone)]
struct Gold {
    articles: Vec<GoldArticle>,
    events: Vec<GoldEvent>,
}

fn gold_error(path: &Path, detail: impl fmt::Display) -> Error {
    Error::Usage(format!("gold {}: {detail}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

// TOML gold (tests/cases/corpus_expected.toml).

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlGold {
    #[serde(default)]
    article: Vec<TomlArticle>,
    #[serde(default)]
    event: Vec<TomlEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlArticle {
    file: String,
    record: Option<String>,
    title: Option<String>,
    published: Option<String>,
    #[allow(dead_code)]
    published_source: Option<String>,
    #[allow(dead_code)]
    dateline: Option<String>,
    #[serde(default)]
    must_keep: Vec<String>,
    #[serde(default)]
    must_drop: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TomlEvent {
    id: String,
    file: String,
    record: Option<String>,
    required: bool,
    #[serde(default)]
    aggregate: bool,
    sub_event_type: String,
    #[serde(default)]
    alt_sub_event_types: Vec<String>,
    place: String,
    admin1: Option<String>,
    precision: Option<String>,
    #[serde(default)]
    place_alternatives: Vec<String>,
    actor1: Option<String>,
    actor1_kind: Option<String>,
    #[serde(default)]
    actor1_alt_kinds: Vec<String>,
    actor2: Option<String>,
    actor2_kind: Option<String>,
    #[serde(default)]
    actor2_alt_kinds: Vec<String>,
    assoc_actor1: Option<String>,
    assoc_actor1_kind: Option<String>,
    assoc_actor2: Option<String>,
    assoc_actor2_kind: Option<String>,
    fatalities: Option<i64>,
    fatalities_qualifier: Option<String>,
    #[serde(default)]
    fatalities_alternatives: Vec<i64>,
    injured: Option<i64>,
    injured_qualifier: Option<String>,
    date: Option<String>,
    date_text: Option<String>,
    evidence: String,
    #[serde(default)]
    mentions: Vec<String>,
    note: Option<String>,
}

fn load_toml(path: &Path) -> Result<Gold> {
    let text = read_text(path)?;
    let raw: TomlGold = toml::from_str(&text).map_err(|e| gold_error(path, e))?;
    let articles: Vec<GoldArticle> = raw
        .article
        .into_iter()
        .map(|a| GoldArticle {
            key: ArticleKey {
                file: a.file,
                record: a.record,
            },
            title: a.title,
            published: a.published,
            must_keep: a.must_keep,
            must_drop: a.must_drop,
        })
        .collect();
    let mut events = Vec::with_capacity(raw.event.len());
    for e in raw.event {
        let key = ArticleKey {
            file: e.file,
            record: e.record,
        };
        if !articles.iter().any(|a| a.key == key) {
            return Err(gold_error(
                path,
                format!("event {} is about {key}, which has no [[article]]", e.id),
            ));
        }
        let event_type = event_type_of(&e.sub_event_type).ok_or_else(|| {
            gold_error(
                path,
                format!(
                    "event {}: unknown sub_event_type {:?}",
                    e.id, e.sub_event_type
                ),
            )
        })?;
        for alt in &e.alt_sub_event_types {
            if event_type_of(alt).is_none() {
                return Err(gold_error(
                    path,
                    format!("event {}: unknown alt_sub_event_type {alt:?}", e.id),
                ));
            }
        }
        let mut actors = Vec::new();
        for (kind, alt_kinds) in [
            (e.actor1_kind, e.actor1_alt_kinds),
            (e.actor2_kind, e.actor2_alt_kinds),
        ] {
            if let Some(kind) = kind {
                actors.push(GoldActor { kind, alt_kinds });
            }
        }
        let mut mentions = vec![e.evidence];
        mentions.extend(e.mentions);
        events.push(GoldEvent {
            id: e.id,
            article: key,
            required: e.required,
            event_type: event_type.to_string(),
            sub_event_type: e.sub_event_type,
            alt_sub_event_types: e.alt_sub_event_types,
            mentions,
            place: e.place,
            place_alternatives: e.place_alternatives,
            admin1: e.admin1,
            actors,
            fatalities: e.fatalities,
            fatalities_alternatives: e.fatalities_alternatives.into_iter().map(Some).collect(),
            date: e.date,
        });
    }
    Ok(Gold { articles, events })
}

// JSON Lines gold (the seeds: seeds.gold.jsonl + seeds.articles.gold.jsonl).

#[derive(Deserialize)]
struct JsonArticle {
    article: String,
    title: Option<String>,
    published: Option<String>,
    #[serde(default)]
    must_keep: Vec<String>,
    #[serde(default)]
    must_drop: Vec<String>,
}

#[derive(Deserialize)]
struct JsonLocation {
    #[serde(default)]
    name: Option<String>,
    admin1: Option<String>,
    #[serde(default)]
    alternatives: Vec<String>,
}

#[derive(Deserialize)]
struct JsonActor {
    kind: String,
    #[serde(default)]
    alt_kinds: Vec<String>,
}

#[derive(Deserialize)]
struct JsonEvent {
    id: String,
    article: String,
    required: bool,
    event_type: String,
    sub_event_type: String,
    mentions: Vec<String>,
    location: JsonLocation,
    actor1: Option<JsonActor>,
    actor2: Option<JsonActor>,
    fatalities: Option<i64>,
    #[serde(default)]
    fatalities_alternatives: Vec<Option<i64>>,
    date: Option<String>,
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    read_text(path)?
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| gold_error(path, format!("line {}: {e}", i + 1)))
        })
        .collect()
}

fn load_jsonl_dir(dir: &Path) -> Result<Gold> {
    let articles: Vec<JsonArticle> = read_jsonl(&dir.join("seeds.articles.gold.jsonl"))?;
    let events: Vec<JsonEvent> = read_jsonl(&dir.join("seeds.gold.jsonl"))?;
    let key = |file: String| ArticleKey { file, record: None };
    Ok(Gold {
        articles: articles
            .into_iter()
            .map(|a| GoldArticle {
                key: key(a.article),
                title: a.title,
                published: a.published,
                must_keep: a.must_keep,
                must_drop: a.must_drop,
            })
            .collect(),
        events: events
            .into_iter()
            .map(|e| GoldEvent {
                id: e.id,
                article: key(e.article),
                required: e.required,
                event_type: e.event_type,
                sub_event_type: e.sub_event_type,
                alt_sub_event_types: Vec::new(),
                mentions: e.mentions,
                place: e.location.name.unwrap_or_default(),
                place_alternatives: e.location.alternatives,
                admin1: e.location.admin1,
                actors: [e.actor1, e.actor2]
                    .into_iter()
                    .flatten()
                    .map(|a| GoldActor {
                        kind: a.kind,
                        alt_kinds: a.alt_kinds,
                    })
                    .collect(),
                fatalities: e.fatalities,
                fatalities_alternatives: e.fatalities_alternatives,
                date: e.date,
            })
            .collect(),
    })
}

fn load_gold(path: &Path) -> Result<Gold> {
    if path.is_dir() {
        load_jsonl_dir(path)
    } else if path.extension().is_some_and(|e| e == "toml") {
        load_toml(path)
    } else if path.exists() {
        Err(gold_error(
            path,
            "expected a .toml file or a folder with seeds.gold.jsonl and seeds.articles.gold.jsonl",
        ))
    } else {
        Err(Error::MissingInput(path.to_path_buf()))
    }
}

// ---------------------------------------------------------------- dataset

type Row = HashMap<String, String>;

fn read_csv(path: &Path) -> Result<Vec<Row>> {
    let csv_err = |e: csv::Error| Error::Usage(format!("dataset {}: {e}", path.display()));
    if !path.exists() {
        return Err(Error::Usage(format!(
            "dataset {} is missing (give the folder `sitrep build` wrote)",
            path.display()
        )));
    }
    let mut reader = csv::Reader::from_path(path).map_err(csv_err)?;
    let headers = reader.headers().map_err(csv_err)?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_err)?;
        rows.push(
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(rows)
}

fn field<'a>(row: &'a Row, name: &str) -> &'a str {
    row.get(name).map(String::as_str).unwrap_or("")
}

fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

// ---------------------------------------------------------------- text rules

/// NFKC, curly quotes straightened, whitespace collapsed, lower case.
pub fn norm(text: &str) -> String {
    let nfkc: String = text
        .nfkc()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        })
        .collect();
    nfkc.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A place name folded for comparison: article prefix dropped, letters and
/// digits only, a few spelling variants unified.
pub fn place_key(name: &str) -> String {
    let n = norm(name);
    let mut rest = n.as_str();
    for prefix in ["al", "el", "ar", "as", "ad", "an", "at", "az"] {
        if let Some(r) = rest.strip_prefix(prefix)
            && (r.starts_with('-') || r.starts_with(' '))
        {
            rest = &r[1..];
            break;
        }
    }
    let mut key: String = rest
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .collect();
    for (a, b) in [
        ("idleb", "idlib"),
        ("tartous", "tartus"),
        ("jabla", "jableh"),
        ("kafrnabl", "kafranbel"),
        ("damascuscountryside", "rifdimashq"),
        ("ruraldamascus", "rifdimashq"),
    ] {
        key = key.replace(a, b);
    }
    key
}

/// ACLED actor categories, the two militia kinds folded together.
fn coarse(kind: &str) -> String {
    let k = norm(kind).replace(' ', "_");
    if matches!(
        k.as_str(),
        "political_militia" | "identity_militia" | "militia"
    ) {
        "militia".to_string()
    } else {
        k
    }
}

/// True when the quote and the evidence share a run of 8 words (or the
/// whole quote when shorter), or one contains the other.
pub fn overlaps(evidence: &str, quote: &str) -> bool {
    let (e, q) = (norm(evidence), norm(quote));
    if e.is_empty() || q.is_empty() {
        return false;
    }
    if e.contains(&q) || q.contains(&e) {
        return true;
    }
    let words: Vec<&str> = q.split(' ').collect();
    let n = words.len().min(8);
    words.windows(n).any(|w| e.contains(&w.join(" ")))
}

fn as_int(value: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    v.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(|f| f.trunc() as i64)
}

fn prefix_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn date_ok(pred: &str, gold: &str) -> bool {
    let pd = prefix_chars(pred, 10);
    let gd: Vec<&str> = gold.split('/').collect();
    if pd.is_empty() {
        return false;
    }
    pd == gd[0]
        || (gd.len() == 2 && gd[0] <= pd.as_str() && pd.as_str() <= gd[1])
        || (gd[0].len() == 7 && pd.starts_with(gd[0]))
}

// ---------------------------------------------------------------- results

/// One line of an article's detail.
#[derive(Debug, Clone, Serialize)]
pub enum DetailRow {
    /// A predicted event that matches a required gold event first.
    Tp { gold: String, wrong: Vec<FieldMiss> },
    /// A predicted event that matches no gold event (not aggregate).
    Fp {
        event_type: String,
        evidence: String,
    },
    /// A predicted aggregate that matches no gold event (not counted).
    Agg {
        event_type: String,
        evidence: String,
    },
    /// A predicted event that matches only an optional gold event (not counted).
    Opt { gold: String, event_type: String },
    /// A second predicted event for an already matched gold event (a FP).
    Dup { gold: String, evidence: String },
    /// A second predicted event at another allowed place (not counted).
    Split { gold: String, place: String },
    /// A required gold event no predicted event matches.
    Fn { gold: String, mention: String },
}

/// A field of a matched event that differs from the gold.
#[derive(Debug, Clone, Serialize)]
pub struct FieldMiss {
    pub field: &'static str,
    pub predicted: String,
    pub expected: String,
}

/// The article-level checks for one gold article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleCheck {
    pub title_ok: bool,
    pub published_ok: bool,
    pub title: String,
    pub published: String,
    /// `must_drop` strings found in the cleaned body.
    pub leaked: Vec<String>,
    /// `must_keep` strings missing from the cleaned body.
    pub lost: Vec<String>,
}

/// One gold article: its checks (None when the dataset lacks it) and events.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleDetail {
    pub key: ArticleKey,
    pub check: Option<ArticleCheck>,
    pub rows: Vec<DetailRow>,
}

/// The totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub duplicates: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub type_acc: f64,
    pub subtype_acc: f64,
    pub location_acc: f64,
    pub admin1_acc: f64,
    pub fatalities_acc: f64,
    pub actor_kinds_acc: f64,
    /// Over matched events whose gold has a date; None when none has.
    pub date_acc: Option<f64>,
    pub n_articles: usize,
    pub titles_right: usize,
    pub published_right: usize,
    pub boilerplate_leaked: usize,
    pub body_lost: usize,
    pub articles_missing: usize,
}

/// A dataset's score against a gold file.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub dataset: PathBuf,
    pub gold: PathBuf,
    pub summary: Summary,
    pub articles: Vec<ArticleDetail>,
}

/// Python's `round(x, 3)` printed as Python prints it (0.5, 1.0, 0.667).
fn py3(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

impl Score {
    /// The summary on one line, with score.py's keys (then tp/fp/fn).
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        format!(
            "event_precision={} event_recall={} event_f1={} duplicates={} type_acc={} subtype_acc={} \
             location_acc={} admin1_acc={} fatalities_acc={} actor_kinds_acc={} date_acc={} \
             titles_right={}/{} published_right={}/{} boilerplate_leaked={} body_lost={} \
             articles_missing={} tp={} fp={} fn={}",
            py3(s.precision),
            py3(s.recall),
            py3(s.f1),
            s.duplicates,
            py3(s.type_acc),
            py3(s.subtype_acc),
            py3(s.location_acc),
            py3(s.admin1_acc),
            py3(s.fatalities_acc),
            py3(s.actor_kinds_acc),
            s.date_acc.map_or_else(|| "None".to_string(), py3),
            s.titles_right,
            s.n_articles,
            s.published_right,
            s.n_articles,
            s.boilerplate_leaked,
            s.body_lost,
            s.articles_missing,
            s.tp,
            s.fp,
            s.fn_,
        )
    }

    /// Per article: its checks, then one line per TP/FP/FN/DUP/... row.
    pub fn detail(&self) -> String {
        let mut out = String::new();
        for a in &self.articles {
            let _ = write!(out, "== {}  ", a.key);
            match &a.check {
                None => out.push_str("missing"),
                Some(c) => {
                    let _ = write!(
                        out,
                        "title_ok={} published_ok={}",
                        c.title_ok, c.published_ok
                    );
                    if !c.title_ok {
                        let _ = write!(out, " title={:?}", c.title);
                    }
                    if !c.published_ok {
                        let _ = write!(out, " published={:?}", c.published);
                    }
                    if !c.leaked.is_empty() {
                        let _ = write!(out, " leaked={:?}", c.leaked);
                    }
                    if !c.lost.is_empty() {
                        let _ = write!(out, " lost={:?}", c.lost);
                    }
                }
            }
            out.push('\n');
            for row in &a.rows {
                let line = match row {
                    DetailRow::Tp { gold, wrong } if wrong.is_empty() => {
                        format!("TP    {gold}  all fields right")
                    }
                    DetailRow::Tp { gold, wrong } => {
                        let misses: Vec<String> = wrong
                            .iter()
                            .map(|m| format!("{}: {:?} != {:?}", m.field, m.predicted, m.expected))
                            .collect();
                        format!("TP    {gold}  {}", misses.join("; "))
                    }
                    DetailRow::Fp {
                        event_type,
                        evidence,
                    } => format!("FP    {event_type}  {evidence}"),
                    DetailRow::Agg {
                        event_type,
                        evidence,
                    } => format!("agg   {event_type}  {evidence}"),
                    DetailRow::Opt { gold, event_type } => format!("opt   {gold}  {event_type}"),
                    DetailRow::Dup { gold, evidence } => format!("DUP   {gold}  {evidence}"),
                    DetailRow::Split { gold, place } => format!("split {gold}  {place}"),
                    DetailRow::Fn { gold, mention } => format!("FN    {gold}  {mention}"),
                };
                let _ = writeln!(out, "   {line}");
            }
        }
        out
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail())?;
        f.write_str(&self.summary_line())
    }
}

// ---------------------------------------------------------------- scoring

#[derive(Default)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
    dup: usize,
    type_: usize,
    sub: usize,
    loc: usize,
    admin1: usize,
    fat: usize,
    kinds: usize,
    date: usize,
    date_n: usize,
}

/// Scores the dataset written in `dataset` (its CSV tables) against `gold`:
/// a `.toml` gold file like `tests/cases/corpus_expected.toml`, or a folder
/// holding `seeds.gold.jsonl` and `seeds.articles.gold.jsonl`.
pub fn score(dataset: &Path, gold: &Path) -> Result<Score> {
    let gold_data = load_gold(gold)?;
    let articles = read_csv(&dataset.join("articles.csv"))?;
    let events = read_csv(&dataset.join("events.csv"))?;
    let locations: HashMap<String, Row> = read_csv(&dataset.join("locations.csv"))?
        .into_iter()
        .map(|r| (field(&r, "location_id").to_string(), r))
        .collect();
    let actors: HashMap<String, Row> = read_csv(&dataset.join("actors.csv"))?
        .into_iter()
        .map(|r| (field(&r, "actor_id").to_string(), r))
        .collect();
    let links = read_csv(&dataset.join("event_actors.csv"))?;

    // Articles by (file name, record id); the last one wins, as in score.py.
    let mut by_key: HashMap<(String, String), &Row> = HashMap::new();
    let mut by_file: HashMap<String, &Row> = HashMap::new();
    for a in &articles {
        let file = base_name(field(a, "source_file")).to_string();
        by_key.insert((file.clone(), field(a, "external_id").to_string()), a);
        by_file.insert(file, a);
    }
    let find = |key: &ArticleKey| -> Option<&Row> {
        match &key.record {
            Some(r) => by_key.get(&(key.file.clone(), r.clone())).copied(),
            None => by_key
                .get(&(key.file.clone(), String::new()))
                .or_else(|| by_file.get(&key.file))
                .copied(),
        }
    };

    let mut kinds_of: HashMap<&str, Vec<String>> = HashMap::new();
    for l in &links {
        if let Some(a) = actors.get(field(l, "actor_id"))
            && norm(field(l, "role")) != "source"
        {
            kinds_of
                .entry(field(l, "event_id"))
                .or_default()
                .push(coarse(field(a, "kind")));
        }
    }
    let mut events_of: HashMap<&str, Vec<&Row>> = HashMap::new();
    for e in &events {
        events_of.entry(field(e, "article_id")).or_default().push(e);
    }
    let empty_row = Row::new();

    let mut summary = Summary::default();
    let mut t = Tally::default();
    let mut details = Vec::with_capacity(gold_data.articles.len());

    for ga in &gold_data.articles {
        summary.n_articles += 1;
        let article = find(&ga.key);
        let check = article.map(|a| {
            let body = norm(field(a, "body"));
            let title = field(a, "title").to_string();
            let published = field(a, "published_date").to_string();
            let title_ok = norm(&title) == norm(ga.title.as_deref().unwrap_or(""));
            let published_ok = match &ga.published {
                Some(p) if !p.is_empty() => prefix_chars(&published, 10) == *p,
                _ => true,
            };
            ArticleCheck {
                title_ok,
                published_ok,
                title,
                published,
                leaked: ga
                    .must_drop
                    .iter()
                    .filter(|s| body.contains(&norm(s)))
                    .cloned()
                    .collect(),
                lost: ga
                    .must_keep
                    .iter()
                    .filter(|s| !body.contains(&norm(s)))
                    .cloned()
                    .collect(),
            }
        });
        match &check {
            None => summary.articles_missing += 1,
            Some(c) => {
                summary.titles_right += usize::from(c.title_ok);
                summary.published_right += usize::from(c.published_ok);
                summary.boilerplate_leaked += c.leaked.len();
                summary.body_lost += c.lost.len();
            }
        }

        let g_events: Vec<&GoldEvent> = gold_data
            .events
            .iter()
            .filter(|g| g.article == ga.key)
            .collect();
        let p_events: &[&Row] = article
            .and_then(|a| events_of.get(field(a, "article_id")))
            .map_or(&[], Vec::as_slice);
        // Gold id -> the place key of its first match.
        let mut matched: BTreeMap<&str, String> = BTreeMap::new();
        let mut rows = Vec::new();
        for &e in p_events {
            let evidence = field(e, "evidence");
            let hits: Vec<&GoldEvent> = g_events
                .iter()
                .copied()
                .filter(|g| g.mentions.iter().any(|m| overlaps(evidence, m)))
                .collect();
            let aggregate = matches!(
                field(e, "is_aggregate").to_lowercase().as_str(),
                "true" | "1" | "yes"
            );
            let event_type = field(e, "event_type").to_string();
            let Some(&first) = hits.first() else {
                let evidence = prefix_chars(evidence, 90);
                if aggregate {
                    rows.push(DetailRow::Agg {
                        event_type,
                        evidence,
                    });
                } else {
                    t.fp += 1;
                    rows.push(DetailRow::Fp {
                        event_type,
                        evidence,
                    });
                }
                continue;
            };
            let g = hits.iter().copied().find(|h| h.required).unwrap_or(first);
            if !g.required {
                rows.push(DetailRow::Opt {
                    gold: g.id.clone(),
                    event_type,
                });
                continue;
            }
            let loc = locations.get(field(e, "location_id")).unwrap_or(&empty_row);
            let loc_name = field(loc, "name");
            let loc_key = place_key(loc_name);
            let allowed: Vec<String> = std::iter::once(&g.place)
                .chain(&g.place_alternatives)
                .map(|p| place_key(p))
                .collect();
            if let Some(first_loc) = matched.get(g.id.as_str()) {
                if allowed.contains(&loc_key) && loc_key != *first_loc {
                    rows.push(DetailRow::Split {
                        gold: g.id.clone(),
                        place: loc_name.to_string(),
                    });
                    continue;
                }
                t.dup += 1;
                t.fp += 1;
                rows.push(DetailRow::Dup {
                    gold: g.id.clone(),
                    evidence: prefix_chars(evidence, 90),
                });
                continue;
            }
            matched.insert(&g.id, loc_key.clone());
            t.tp += 1;

            let mut wrong = Vec::new();
            let mut miss = |field: &'static str, ok: bool, predicted: &str, expected: String| {
                if !ok {
                    wrong.push(FieldMiss {
                        field,
                        predicted: predicted.to_string(),
                        expected,
                    });
                }
                ok
            };
            let sub = field(e, "sub_event_type");
            let subs: Vec<&str> = std::iter::once(g.sub_event_type.as_str())
                .chain(g.alt_sub_event_types.iter().map(String::as_str))
                .collect();
            let types: Vec<&str> = std::iter::once(g.event_type.as_str())
                .chain(
                    g.alt_sub_event_types
                        .iter()
                        .filter_map(|s| event_type_of(s)),
                )
                .collect();
            let ok_type = types.iter().any(|x| norm(x) == norm(&event_type));
            let ok_sub = subs.iter().any(|x| norm(x) == norm(sub));
            t.type_ += usize::from(miss("type", ok_type, &event_type, types.join(" | ")));
            t.sub += usize::from(miss("sub", ok_sub, sub, subs.join(" | ")));
            let ok_loc = allowed.contains(&loc_key);
            let expected_places = std::iter::once(&g.place)
                .chain(&g.place_alternatives)
                .cloned()
                .collect::<Vec<_>>()
                .join(" | ");
            t.loc += usize::from(miss("loc", ok_loc, loc_name, expected_places));
            let loc_admin1 = field(loc, "admin1");
            let ok_admin1 = g
                .admin1
                .as_ref()
                .is_none_or(|a| place_key(loc_admin1) == place_key(a));
            t.admin1 += usize::from(miss(
                "admin1",
                ok_admin1,
                loc_admin1,
                g.admin1.clone().unwrap_or_default(),
            ));
            let fat = as_int(field(e, "fatalities"));
            let ok_fat = fat == g.fatalities || g.fatalities_alternatives.contains(&fat);
            let show = |v: Option<i64>| v.map_or_else(|| "none".to_string(), |v| v.to_string());
            let mut expected_fat = vec![show(g.fatalities)];
            expected_fat.extend(g.fatalities_alternatives.iter().map(|&a| show(a)));
            t.fat += usize::from(miss("fat", ok_fat, &show(fat), expected_fat.join(" | ")));

            let gold_actors: Vec<&GoldActor> =
                g.actors.iter().filter(|a| a.kind != "unknown").collect();
            let pred: Vec<String> = kinds_of
                .get(field(e, "event_id"))
                .map(|ks| {
                    ks.iter()
                        .filter(|k| !k.is_empty() && *k != "unknown")
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let mut free = pred.clone();
            let mut ok_kinds = pred.len() <= gold_actors.len() + 1;
            for a in &gold_actors {
                let allowed_kinds: Vec<String> = std::iter::once(&a.kind)
                    .chain(&a.alt_kinds)
                    .map(|k| coarse(k))
                    .collect();
                match free.iter().position(|k| allowed_kinds.contains(k)) {
                    Some(i) => {
                        free.remove(i);
                    }
                    None => ok_kinds = false,
                }
            }
            let expected_kinds = gold_actors
                .iter()
                .map(|a| a.kind.as_str())
                .collect::<Vec<_>>()
                .join(",");
            t.kinds += usize::from(miss("kinds", ok_kinds, &pred.join(","), expected_kinds));
            if let Some(gd) = g.date.as_deref().filter(|d| !d.is_empty()) {
                t.date_n += 1;
                let pd = field(e, "event_date");
                t.date += usize::from(miss("date", date_ok(pd, gd), pd, gd.to_string()));
            }
            rows.push(DetailRow::Tp {
                gold: g.id.clone(),
                wrong,
            });
        }
        for g in &g_events {
            if g.required && !matched.contains_key(g.id.as_str()) {
                t.fn_ += 1;
                rows.push(DetailRow::Fn {
                    gold: g.id.clone(),
                    mention: prefix_chars(g.mentions.first().map_or("", String::as_str), 90),
                });
            }
        }
        details.push(ArticleDetail {
            key: ga.key.clone(),
            check,
            rows,
        });
    }

    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let p = ratio(t.tp, t.tp + t.fp);
    let r = ratio(t.tp, t.tp + t.fn_);
    let m = t.tp.max(1);
    summary.tp = t.tp;
    summary.fp = t.fp;
    summary.fn_ = t.fn_;
    summary.duplicates = t.dup;
    summary.precision = p;
    summary.recall = r;
    summary.f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    summary.type_acc = ratio(t.type_, m);
    summary.subtype_acc = ratio(t.sub, m);
    summary.location_acc = ratio(t.loc, m);
    summary.admin1_acc = ratio(t.admin1, m);
    summary.fatalities_acc = ratio(t.fat, m);
    summary.actor_kinds_acc = ratio(t.kinds, m);
    summary.date_acc = (t.date_n > 0).then(|| ratio(t.date, t.date_n));
    Ok(Score {
        dataset: dataset.to_path_buf(),
        gold: gold.to_path_buf(),
        summary,
        articles: details,
    })
}

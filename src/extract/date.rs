//! Dates: relative and explicit date expressions resolved against the
//! article's published date (the anchor). This module owns the date grammar:
//! explicit dates with and without a year ("5 March 2018", "Dec. 8",
//! "2018-03-05", "March 2018", "in 2016"), weekdays ("late on Sunday"),
//! relative phrases ("yesterday", "last week", "over the weekend", "in recent
//! days"), anaphora ("that day", "the next day"), ranges ("between Sunday and
//! Monday", "from 1 to 5 March") and "since" backgrounds. Its vocabulary lives
//! in `data/dates.toml`, compiled once in [`Dates::new`].

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::{Captures, Regex};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Span;

mod reach;

use reach::{AnchorWords, Reach};

const DATA_FILE: &str = "data/dates.toml";
const DATA: &str = include_str!("../../data/dates.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
    /// The text gives the act no date; the date is the article's
    /// publication day (set by the resolver, never by the extractor).
    Published,
    Unknown,
}

impl DatePrecision {
    pub fn as_str(&self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Published => "published",
            DatePrecision::Unknown => "unknown",
        }
    }
}

/// A date expression found in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub span: Span,
    /// First day (None when there is no anchor date to resolve against).
    pub start: Option<NaiveDate>,
    /// Last day (== start for a single day).
    pub end: Option<NaiveDate>,
    /// How exact the date is; `Unknown` whenever `start` is None.
    pub precision: DatePrecision,
    /// The words of the expression (`span.text(body)`).
    pub text: String,
    /// True when the expression needs the anchor (or an earlier date) to
    /// resolve: weekdays, "yesterday", year-less dates, "that day".
    pub relative: bool,
    /// True when the expression names a span of days rather than one day
    /// ("between Sunday and Monday", "last week", "March 2018").
    pub range: bool,
    /// True for "since 2011", "since the end of April": a background period
    /// running from the date up to the anchor, not the date of an act.
    pub since: bool,
    /// True when the words name a week, month or year rather than a day
    /// ("last week", "earlier this month", "in March"), resolved or not.
    pub period: bool,
    /// True for the page's own date opening the text ("Tuesday 14 November
    /// 2017 The coalition condemns ..."): an act's date only when its
    /// sentence gives none.
    pub page: bool,
}

#[derive(Debug, Deserialize)]
struct DataFile {
    months: std::collections::BTreeMap<String, u32>,
    weekdays: std::collections::BTreeMap<String, u32>,
    names: Names,
    relative: Vec<RelativeRule>,
}

#[derive(Debug, Deserialize)]
struct Names {
    full_months: Vec<String>,
    full_weekdays: Vec<String>,
    preps: Vec<String>,
    range_preps: Vec<String>,
    early: Vec<String>,
    mid: Vec<String>,
    late: Vec<String>,
    weekday_not_before: Vec<String>,
    weekday_not_after: Vec<String>,
    start_verbs: Vec<String>,
    start_links: Vec<String>,
    campaign_nouns: Vec<String>,
    count_since: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RelativeRule {
    rule: String,
    #[serde(default)]
    offset: i64,
    #[serde(default)]
    from: i64,
    #[serde(default)]
    to: i64,
    #[serde(default)]
    precision: Option<String>,
    phrases: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
enum Rel {
    Day(i64),
    Span(i64, i64, DatePrecision),
    Week(i64),
    Month(i64),
    Year(i64),
    Weekend,
    Same,
    After,
    Before,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Whole,
    Early,
    Mid,
    Late,
}

/// A matched expression before resolution.
#[derive(Debug, Clone, Copy)]
enum Raw {
    Day {
        y: Option<i32>,
        m: u32,
        d: u32,
    },
    DayRange {
        y: Option<i32>,
        m1: u32,
        d1: u32,
        m2: u32,
        d2: u32,
    },
    Month {
        y: Option<i32>,
        m: u32,
        part: Part,
        /// A year told relative to the anchor ("in June last year": -1).
        year_offset: Option<i32>,
    },
    Year {
        y: i32,
        part: Part,
    },
    Weekday {
        wd: u32,
        shift: i8,
    },
    Rel(Rel),
}

impl Raw {
    /// A week, month or year, not a day.
    fn is_period(&self) -> bool {
        match self {
            Raw::Month { .. } | Raw::Year { .. } => true,
            Raw::Rel(Rel::Week(_) | Rel::Month(_) | Rel::Year(_)) => true,
            Raw::Rel(Rel::Span(_, _, p)) => !matches!(p, DatePrecision::Day),
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
struct Cand {
    /// Start including a range preposition ("between", "from").
    outer: usize,
    span: Span,
    prep: Option<String>,
    raw: Raw,
}

/// The reach of each anchored pattern (see [`reach`]), in runs of
/// non-space characters: `prep` is the most words a preposition has, `mods`
/// the most a partial-month modifier has.
#[derive(Debug, Clone, Copy)]
struct PatternReach {
    dmy: Reach,
    mdy: Reach,
    dmy_range: Reach,
    mdy_range: Reach,
    month_year: Reach,
    bare_month: Reach,
    year: Reach,
    weekday: Reach,
}

impl PatternReach {
    fn new(prep: usize, mods: usize, year_rel: usize) -> PatternReach {
        let r = |anchor, before, after| Reach {
            anchor,
            before,
            after,
        };
        PatternReach {
            // [prep] [the] 5th [of] March[.] [, 2018]
            dmy: r(reach::MONTH, prep + 3, 1),
            // [prep] March[.] 5th[, 2018]
            mdy: r(reach::MONTH, prep, 2),
            // [prep] [the] 5 - [the] 7 [of] March [, 2018]
            dmy_range: r(reach::MONTH, prep + 6, 1),
            // [prep] March 5 - 7[, 2018]
            mdy_range: r(reach::MONTH, prep, 4),
            // [prep] [modifier] March[.], [of] 2018
            month_year: r(reach::FULL_MONTH, prep + mods, 2),
            // [prep] [modifier] March[,] [of] [last year]
            bare_month: r(reach::FULL_MONTH, prep + mods, year_rel + 1),
            // [prep] [modifier] 2018
            year: r(reach::YEAR, prep + mods, 0),
            // [prep] [late [on]] Sunday['s] [night]
            weekday: r(reach::WEEKDAY, prep + 2, 1),
        }
    }
}

/// The most words any phrase of `list` has.
fn most_words(list: &[String]) -> usize {
    list.iter()
        .map(|p| p.split_whitespace().count())
        .max()
        .unwrap_or(0)
}

/// The month names and abbreviations of dates.toml ("january", "jan",
/// ...): the place extractor reads one before a number as a date.
pub fn month_names() -> Result<Vec<String>> {
    #[derive(Deserialize)]
    struct MonthsOnly {
        months: std::collections::BTreeMap<String, u32>,
    }
    let data: MonthsOnly = toml::from_str(DATA).map_err(|e| Error::data(DATA_FILE, e))?;
    Ok(data.months.into_keys().collect())
}

/// The compiled date grammar. Build once, share read-only.
pub struct Dates {
    months: std::collections::HashMap<String, u32>,
    full_months: Vec<String>,
    weekdays: std::collections::HashMap<String, u32>,
    full_weekdays: Vec<String>,
    range_preps: Vec<String>,
    early: Vec<String>,
    mid: Vec<String>,
    late: Vec<String>,
    weekday_not_before: Vec<String>,
    weekday_not_after: Vec<String>,
    start_verbs: Vec<String>,
    start_links: Vec<String>,
    campaign_nouns: Vec<String>,
    count_since: Vec<String>,
    /// Labels of a page's own date ("date of publication"), shared with
    /// the cleaner.
    publication_labels: Vec<String>,
    iso: Regex,
    dmy: Regex,
    mdy: Regex,
    dmy_range: Regex,
    mdy_range: Regex,
    month_year: Regex,
    bare_month: Regex,
    year: Regex,
    weekday: Regex,
    /// How far each pattern but `iso` reaches around its anchor word.
    reach: PatternReach,
    anchor_words: AnchorWords,
    rel_ac: AhoCorasick,
    rel_rules: Vec<Rel>,
    range_before: Regex,
}

fn alternation(words: &[String]) -> String {
    let mut w: Vec<&String> = words.iter().collect();
    w.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    w.dedup();
    w.iter()
        .map(|s| regex::escape(s).replace(r"\-", "-").replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

fn precision_of(s: &str) -> Result<DatePrecision> {
    Ok(match s {
        "day" => DatePrecision::Day,
        "week" => DatePrecision::Week,
        "month" => DatePrecision::Month,
        "year" => DatePrecision::Year,
        other => {
            return Err(Error::data(
                DATA_FILE,
                format!("unknown precision {other:?}"),
            ));
        }
    })
}

fn compile(re: &str) -> Result<Regex> {
    crate::matcher::regex(re).map_err(|e| Error::data(DATA_FILE, e))
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn weekday_index(d: NaiveDate) -> u32 {
    d.weekday().num_days_from_monday()
}

/// Year for a year-less (month, day): the reference's year, or the year
/// before when that would fall after the reference.
fn infer_year(m: u32, d: u32, reference: NaiveDate) -> i32 {
    let y = reference.year();
    match NaiveDate::from_ymd_opt(y, m, d.max(1)) {
        Some(date) if date > reference => y - 1,
        _ => y,
    }
}

/// Where the word `w` (ASCII, any case) ends `text`, as a whole word.
fn ends_with_word(text: &str, w: &str) -> Option<usize> {
    let at = text.len().checked_sub(w.len())?;
    let bounded = text
        .get(..at)
        .is_some_and(|b| b.chars().next_back().is_none_or(|c| !c.is_alphanumeric()));
    (text.get(at..)?.eq_ignore_ascii_case(w) && bounded).then_some(at)
}

impl Dates {
    pub fn new() -> Result<Dates> {
        let data: DataFile = toml::from_str(DATA).map_err(|e| Error::data(DATA_FILE, e))?;
        let n = &data.names;
        let month_names: Vec<String> = data.months.keys().cloned().collect();
        let weekday_names: Vec<String> = data.weekdays.keys().cloned().collect();
        let months_alt = alternation(&month_names);
        let full_months_alt = alternation(&n.full_months);
        let weekdays_alt = alternation(&weekday_names);
        let preps_alt = alternation(&n.preps);
        let mut mods: Vec<String> = n.early.clone();
        mods.extend(n.mid.iter().cloned());
        mods.extend(n.late.iter().cloned());
        let mods_alt = alternation(&mods);
        let day = r"(\d{1,2})(?:st|nd|rd|th)?";
        let year = r"((?:19|20)\d{2})";
        let prep = format!(r"(?:\b(?P<prep>{preps_alt})\s+)?");
        let iso = compile(&format!(r"(?i){prep}\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b"))?;
        let dmy = compile(&format!(
            r"(?i){prep}\b(?:the\s+)?{day}\s+(?:of\s+)?(?P<m>{months_alt})\b\.?(?:,?\s+{year}\b)?"
        ))?;
        let mdy = compile(&format!(
            r"(?i){prep}\b(?P<m>{months_alt})\b\.?\s+{day}\b(?:,?\s+{year}\b)?"
        ))?;
        let sep = r"\s*(?:-|–|—|and|to|until|till|through)\s*";
        let dmy_range = compile(&format!(
            r"(?i){prep}\b(?:the\s+)?{day}{sep}(?:the\s+)?{day}\s+(?:of\s+)?(?P<m>{months_alt})\b\.?(?:,?\s+{year}\b)?"
        ))?;
        let mdy_range = compile(&format!(
            r"(?i){prep}\b(?P<m>{months_alt})\b\.?\s+{day}{sep}{day}\b(?:,?\s+{year}\b)?"
        ))?;
        let month_year = compile(&format!(
            r"(?i){prep}(?:\b(?P<mod>{mods_alt})(?:-\s*|\s+-?))?\b(?P<m>{full_months_alt})\b\.?,?\s+(?:of\s+)?{year}\b"
        ))?;
        // "in June last year": the year told relative to the anchor, from
        // the relative phrases of rule "year"
        // (their offsets are read back through `rel_ac`, see `year_offset`)
        let mut year_rel: Vec<String> = Vec::new();
        for r in data.relative.iter().filter(|r| r.rule == "year") {
            if i32::try_from(r.offset).is_err() {
                let msg = format!("year offset {} out of range", r.offset);
                return Err(Error::data(DATA_FILE, msg));
            }
            year_rel.extend(r.phrases.iter().map(|p| p.to_lowercase()));
        }
        let year_rel_alt = alternation(&year_rel);
        let bare_month = compile(&format!(
            r"(?i){prep}(?:\b(?P<mod>{mods_alt})(?:-\s*|\s+-?))?\b(?P<m>{full_months_alt})\b(?:,?\s+(?:of\s+)?(?P<yr>{year_rel_alt})\b)?"
        ))?;
        let year_re = compile(&format!(
            r"(?i){prep}(?:\b(?P<mod>{mods_alt})(?:-\s*|\s+-?))?\b{year}\b"
        ))?;
        let weekday = compile(&format!(
            r"(?i){prep}(?:\b(?P<mod>late|early)\s+(?:on\s+)?)?\b(?P<w>{weekdays_alt})\b(?P<dot>\.)?(?:['’]s)?(?:\s+(?:night|morning|afternoon|evening)\b)?"
        ))?;
        let mut phrases = Vec::new();
        let mut rel_rules = Vec::new();
        for r in &data.relative {
            let rel = match r.rule.as_str() {
                "day" => Rel::Day(r.offset),
                "span" => Rel::Span(
                    r.from,
                    r.to,
                    precision_of(r.precision.as_deref().unwrap_or("day"))?,
                ),
                "week" => Rel::Week(r.offset),
                "month" => Rel::Month(r.offset),
                "year" => Rel::Year(r.offset),
                "weekend" => Rel::Weekend,
                "same" => Rel::Same,
                "after" => Rel::After,
                "before" => Rel::Before,
                other => {
                    return Err(Error::data(DATA_FILE, format!("unknown rule {other:?}")));
                }
            };
            for p in &r.phrases {
                phrases.push(p.to_lowercase());
                rel_rules.push(rel);
            }
        }
        let rel_ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&phrases)
            .map_err(|e| Error::data(DATA_FILE, e))?;
        let range_before = compile(r"(?i)\b(?:between|from)\s+$")?;
        let anchor_words = AnchorWords::new(&month_names, &n.full_months, &weekday_names)
            .map_err(|e| Error::data(DATA_FILE, e))?;
        let lower = |v: &Vec<String>| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        Ok(Dates {
            months: data.months.clone().into_iter().collect(),
            full_months: lower(&n.full_months),
            weekdays: data.weekdays.clone().into_iter().collect(),
            full_weekdays: lower(&n.full_weekdays),
            range_preps: lower(&n.range_preps),
            early: lower(&n.early),
            mid: lower(&n.mid),
            late: lower(&n.late),
            weekday_not_before: lower(&n.weekday_not_before),
            weekday_not_after: lower(&n.weekday_not_after),
            start_verbs: lower(&n.start_verbs),
            start_links: lower(&n.start_links),
            campaign_nouns: lower(&n.campaign_nouns),
            count_since: lower(&n.count_since),
            publication_labels: crate::clean::publication_labels(),
            iso,
            dmy,
            mdy,
            dmy_range,
            mdy_range,
            month_year,
            bare_month,
            year: year_re,
            weekday,
            reach: PatternReach::new(
                most_words(&n.preps),
                most_words(&mods),
                most_words(&year_rel),
            ),
            anchor_words,
            rel_ac,
            rel_rules,
            range_before,
        })
    }

    /// True for a weekday's name of dates.toml ("saturday", "sat"), in any
    /// case: read by the resolver in "Saturday's bombing".
    pub fn is_weekday(&self, word: &str) -> bool {
        self.weekdays.contains_key(&word.to_ascii_lowercase())
    }

    /// True when `date` tells when a campaign began and `trigger` reports
    /// another act: the date follows a start verb told of a campaign noun
    /// ("an operation launched in late August", "after their offensive
    /// began in late September"), and the trigger is neither that noun nor
    /// the object the verb starts ("launched on Sunday attacks on ...").
    pub fn dates_another_start(&self, body: &str, date: &DateMention, trigger: Span) -> bool {
        let last =
            |text: &str, words: &[String]| words.iter().find_map(|w| ends_with_word(text, w));
        let head = body.get(..date.span.start).unwrap_or("").trim_end();
        let Some(verb_at) = last(head, &self.start_verbs) else {
            return false;
        };
        // the campaign noun, perhaps with "which"/"that" and an auxiliary
        let mut subject = head.get(..verb_at).unwrap_or("").trim_end();
        while let Some(at) = last(subject, &self.start_links) {
            subject = subject.get(..at).unwrap_or("").trim_end();
        }
        let Some(noun_at) = last(subject, &self.campaign_nouns) else {
            return false;
        };
        let since = last(
            subject.get(..noun_at).unwrap_or("").trim_end(),
            &self.count_since,
        );
        let noun_is_trigger = trigger.start <= noun_at && noun_at < trigger.end;
        let starts_trigger = trigger.start >= date.span.end
            && body
                .get(date.span.end..trigger.start)
                .is_some_and(|gap| gap.split_whitespace().count() <= 3);
        since.is_none() && !noun_is_trigger && !starts_trigger
    }

    /// All date expressions of `body`, resolved against `anchor` (the
    /// article's published date), sorted by position and not overlapping.
    pub fn extract(&self, body: &str, anchor: Option<NaiveDate>) -> Vec<DateMention> {
        let mut cands = Vec::new();
        self.collect(body, &mut cands);
        join_weekday_dates(body, &mut cands);
        // Leftmost-longest selection of non-overlapping candidates.
        cands.sort_by(|a, b| {
            a.outer
                .cmp(&b.outer)
                .then(b.span.end.cmp(&a.span.end))
                .then(a.span.start.cmp(&b.span.start))
        });
        let mut chosen: Vec<Cand> = Vec::new();
        for c in cands {
            if chosen.last().is_some_and(|p| c.outer < p.span.end) {
                continue;
            }
            chosen.push(c);
        }
        chosen.retain(|c| !self.labelled_publication(body, c));
        // The page date a text opens with is the day its weekdays and
        // "yesterday" count from, whatever date the record gives.
        let page = chosen.first().filter(|c| page_date(body, c));
        let anchor = match page.map(|c| c.raw) {
            Some(Raw::Day { y: Some(y), m, d }) => NaiveDate::from_ymd_opt(y, m, d).or(anchor),
            _ => anchor,
        };
        let page = page.map(|c| c.span);
        let mut out: Vec<DateMention> = Vec::with_capacity(chosen.len());
        let mut i = 0;
        while i < chosen.len() {
            let c = &chosen[i];
            // A range of two mentions: "between Sunday and Monday", "from March 1 to March 5".
            if let Some(next) = chosen.get(i + 1)
                && self.is_range_pair(body, c, next)
            {
                let second = self.resolve(&next.raw, anchor, anchor, &out);
                let reference = second.1.or(anchor);
                let mut first = self.resolve(&c.raw, anchor, reference, &out);
                if let (Some(s), Some(e)) = (first.0, second.1)
                    && s > e
                    && self.year_less(&c.raw)
                {
                    first.0 = s.with_year(s.year() - 1);
                }
                let span = Span::new(c.outer, next.span.end);
                let (start, end) = match (first.0, second.1) {
                    (Some(s), Some(e)) if s <= e => (Some(s), Some(e)),
                    _ => (None, None),
                };
                let precision = if start.is_some() {
                    first.2.max(second.2)
                } else {
                    DatePrecision::Unknown
                };
                out.push(DateMention {
                    span,
                    start,
                    end,
                    precision,
                    text: span.text(body).to_string(),
                    relative: first.3 || second.3,
                    range: true,
                    since: false,
                    period: c.raw.is_period() || next.raw.is_period(),
                    page: false,
                });
                i += 2;
                continue;
            }
            let (start, end, precision, relative) = self.resolve(&c.raw, anchor, anchor, &out);
            let since = c.prep.as_deref() == Some("since");
            let (end, range) = if since {
                (anchor.filter(|a| start.is_some_and(|s| s <= *a)), true)
            } else {
                (end, start != end)
            };
            let precision = if start.is_some() {
                precision
            } else {
                DatePrecision::Unknown
            };
            out.push(DateMention {
                span: c.span,
                start,
                end,
                precision,
                text: c.span.text(body).to_string(),
                relative,
                range,
                since,
                period: c.raw.is_period(),
                page: page == Some(c.span),
            });
            i += 1;
        }
        out
    }

    /// True when `c` is a page's own date: a date with its year right after
    /// a capitalised label ("Date of publication 5 July 2016", "Published:
    /// March 5, 2019", "Last updated"). The verb of a story ("a report
    /// published on Wednesday") is neither capitalised nor followed by a
    /// year.
    fn labelled_publication(&self, body: &str, c: &Cand) -> bool {
        let has_year = matches!(
            c.raw,
            Raw::Day { y: Some(_), .. }
                | Raw::DayRange { y: Some(_), .. }
                | Raw::Month { y: Some(_), .. }
                | Raw::Year { .. }
        );
        if !has_year {
            return false;
        }
        let mut from = c.outer.saturating_sub(40);
        while !body.is_char_boundary(from) {
            from -= 1;
        }
        let Some(before) = body.get(from..c.outer) else {
            return false;
        };
        let before = before.trim_end_matches(|ch: char| {
            ch.is_whitespace() || matches!(ch, ':' | '|' | '-' | '\u{2013}' | '\u{2014}')
        });
        self.publication_labels.iter().any(|l| {
            let Some(at) = before.len().checked_sub(l.len()) else {
                return false;
            };
            let (rest, label) = (before.get(..at), before.get(at..));
            label.is_some_and(|w| {
                w.eq_ignore_ascii_case(l) && w.starts_with(|ch: char| ch.is_uppercase())
            }) && rest.is_some_and(|r| r.chars().next_back().is_none_or(|ch| !ch.is_alphanumeric()))
        })
    }

    /// The offset from the anchor's year of a relative year phrase ("last
    /// year": -1), read from the relative rules as anywhere else.
    fn year_offset(&self, phrase: &str) -> Option<i32> {
        let m = self.rel_ac.find(phrase)?;
        if m.start() != 0 || m.end() != phrase.len() {
            return None;
        }
        match self.rel_rules.get(m.pattern().as_usize()) {
            Some(Rel::Year(o)) => i32::try_from(*o).ok(),
            _ => None,
        }
    }

    fn year_less(&self, raw: &Raw) -> bool {
        matches!(
            raw,
            Raw::Day { y: None, .. } | Raw::DayRange { y: None, .. } | Raw::Month { y: None, .. }
        )
    }

    fn is_range_pair(&self, body: &str, a: &Cand, b: &Cand) -> bool {
        let opens = match a.prep.as_deref() {
            Some("between") | Some("from") => true,
            _ => body
                .get(..a.outer)
                .is_some_and(|before| self.range_before.is_match(before)),
        };
        if !opens || matches!(a.raw, Raw::Rel(_)) || matches!(b.raw, Raw::Rel(_)) {
            return false;
        }
        let Some(gap) = body.get(a.span.end..b.span.start) else {
            return false;
        };
        let gap = gap.trim().to_lowercase();
        let gap = gap.strip_suffix(" the").unwrap_or(&gap).trim();
        let gap = gap.strip_suffix(" on").unwrap_or(gap).trim();
        gap.is_empty() && b.prep.is_some()
            || matches!(
                gap,
                "and" | "to" | "until" | "till" | "through" | "-" | "–" | "—" | "and on"
            )
    }

    fn part_of(&self, m: Option<&str>) -> Part {
        let Some(m) = m else { return Part::Whole };
        let m = m.to_lowercase();
        let m = m.trim_end_matches(['-', ' ']);
        let norm = m.split_whitespace().collect::<Vec<_>>().join(" ");
        let has = |v: &Vec<String>| v.iter().any(|w| w.trim_end_matches('-') == norm);
        if has(&self.early) {
            Part::Early
        } else if has(&self.mid) {
            Part::Mid
        } else if has(&self.late) {
            Part::Late
        } else {
            Part::Whole
        }
    }

    fn month_of(&self, caps: &Captures, need_full: bool) -> Option<u32> {
        let m = caps.name("m")?;
        if !starts_upper(m.as_str()) {
            return None;
        }
        let key = m.as_str().to_lowercase();
        let full = self.full_months.contains(&key);
        if need_full && !full {
            return None;
        }
        self.months.get(&key).copied()
    }

    /// Where a candidate starts and which preposition it keeps.
    fn bounds(&self, caps: &Captures) -> Option<(usize, usize, Option<String>)> {
        let all = caps.get(0)?;
        match caps.name("prep") {
            Some(p) => {
                let word = p
                    .as_str()
                    .to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let inner = if self.range_preps.contains(&word) {
                    // Skip the preposition and the spaces after it.
                    let rest = &all.as_str()[p.end() - all.start()..];
                    p.end() + (rest.len() - rest.trim_start().len())
                } else {
                    all.start()
                };
                Some((all.start(), inner, Some(word)))
            }
            None => Some((all.start(), all.start(), None)),
        }
    }

    fn push(&self, out: &mut Vec<Cand>, caps: &Captures, raw: Raw) {
        if let (Some(all), Some((outer, inner, prep))) = (caps.get(0), self.bounds(caps)) {
            let mut end = all.end();
            // Keep the full stop of "Dec." or "Sun." but not a sentence's.
            if let Some(word) = all.as_str().strip_suffix('.') {
                let last = word
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                if self.full_months.contains(&last) || self.full_weekdays.contains(&last) {
                    end -= 1;
                }
            }
            out.push(Cand {
                outer,
                span: Span::new(inner, end),
                prep,
                raw,
            });
        }
    }

    fn collect(&self, body: &str, out: &mut Vec<Cand>) {
        let num = |caps: &Captures, i: usize| -> Option<u32> { caps.get(i)?.as_str().parse().ok() };
        let year = |caps: &Captures, i: usize| -> Option<i32> {
            caps.get(i).and_then(|m| m.as_str().parse().ok())
        };
        for caps in self.iso.captures_iter(body) {
            if let (Some(y), Some(m), Some(d)) = (year(&caps, 2), num(&caps, 3), num(&caps, 4))
                && NaiveDate::from_ymd_opt(y, m, d).is_some()
            {
                self.push(out, &caps, Raw::Day { y: Some(y), m, d });
            }
        }
        let anchors = self.anchor_words.find(body);
        let found =
            |re: &Regex, reach: Reach| reach::captures(re, body, &anchors.regions(body, reach));
        let r = &self.reach;
        for caps in found(&self.dmy, r.dmy) {
            if let (Some(d), Some(m)) = (num(&caps, 2), self.month_of(&caps, false))
                && (1..=31).contains(&d)
            {
                self.push(
                    out,
                    &caps,
                    Raw::Day {
                        y: year(&caps, 4),
                        m,
                        d,
                    },
                );
            }
        }
        for caps in found(&self.mdy, r.mdy) {
            if let (Some(d), Some(m)) = (num(&caps, 3), self.month_of(&caps, false))
                && (1..=31).contains(&d)
            {
                self.push(
                    out,
                    &caps,
                    Raw::Day {
                        y: year(&caps, 4),
                        m,
                        d,
                    },
                );
            }
        }
        // "5-7 March" (day groups 2 and 3) and "March 5-7" (groups 3 and 4).
        for (re, reach, g1, g2) in [
            (&self.dmy_range, r.dmy_range, 2, 3),
            (&self.mdy_range, r.mdy_range, 3, 4),
        ] {
            for caps in found(re, reach) {
                if let (Some(d1), Some(d2), Some(m)) =
                    (num(&caps, g1), num(&caps, g2), self.month_of(&caps, false))
                    && (1..=31).contains(&d1)
                    && (1..=31).contains(&d2)
                    && d1 < d2
                {
                    let y = year(&caps, 5);
                    self.push(
                        out,
                        &caps,
                        Raw::DayRange {
                            y,
                            m1: m,
                            d1,
                            m2: m,
                            d2,
                        },
                    );
                }
            }
        }
        for caps in found(&self.month_year, r.month_year) {
            if let (Some(m), Some(y)) = (self.month_of(&caps, true), year(&caps, 4)) {
                let part = self.part_of(caps.name("mod").map(|m| m.as_str()));
                self.push(
                    out,
                    &caps,
                    Raw::Month {
                        y: Some(y),
                        m,
                        part,
                        year_offset: None,
                    },
                );
            }
        }
        for caps in found(&self.bare_month, r.bare_month) {
            if caps.name("prep").is_none() && caps.name("mod").is_none() {
                continue;
            }
            if let Some(m) = self.month_of(&caps, true) {
                let part = self.part_of(caps.name("mod").map(|m| m.as_str()));
                let year_offset = caps.name("yr").and_then(|p| self.year_offset(p.as_str()));
                self.push(
                    out,
                    &caps,
                    Raw::Month {
                        y: None,
                        m,
                        part,
                        year_offset,
                    },
                );
            }
        }
        for caps in found(&self.year, r.year) {
            if caps.name("prep").is_none() && caps.name("mod").is_none() {
                continue;
            }
            // Not a year when a number or a unit follows ("in 2016 people" is rare;
            // "by 2000 troops" is not a date).
            let Some(all) = caps.get(0) else { continue };
            let after = body.get(all.end()..).unwrap_or("");
            if after.starts_with(['%', '-', ',']) && after.get(1..2).is_some_and(|c| c != " ")
                || after.trim_start().starts_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            if let Some(y) = year(&caps, 3) {
                let part = self.part_of(caps.name("mod").map(|m| m.as_str()));
                self.push(out, &caps, Raw::Year { y, part });
            }
        }
        for caps in found(&self.weekday, r.weekday) {
            let Some(w) = caps.name("w") else { continue };
            if !starts_upper(w.as_str()) {
                continue;
            }
            let key = w.as_str().to_lowercase();
            if !self.full_weekdays.contains(&key) && caps.name("dot").is_none() {
                continue;
            }
            let next_word = body
                .get(w.end()..)
                .unwrap_or("")
                .trim_start_matches(['.', ' '])
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            let prev_word = body
                .get(..w.start())
                .unwrap_or("")
                .trim_end()
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            if self.weekday_not_before.contains(&next_word)
                || self.weekday_not_after.contains(&prev_word)
            {
                continue;
            }
            let Some(&wd) = self.weekdays.get(&key) else {
                continue;
            };
            let shift = match caps.name("prep").map(|p| p.as_str().to_lowercase()) {
                Some(p) if p == "last" => -1,
                Some(p) if p == "next" => 1,
                _ => 0,
            };
            self.push(out, &caps, Raw::Weekday { wd, shift });
        }
        let bytes = body.as_bytes();
        for m in self.rel_ac.find_iter(body) {
            let before_ok = m.start() == 0 || !is_word_byte(bytes[m.start() - 1]);
            let after_ok = m.end() >= bytes.len() || !is_word_byte(bytes[m.end()]);
            if !before_ok || !after_ok {
                continue;
            }
            if let Some(&rel) = self.rel_rules.get(m.pattern().as_usize()) {
                out.push(Cand {
                    outer: m.start(),
                    span: Span::new(m.start(), m.end()),
                    prep: None,
                    raw: Raw::Rel(rel),
                });
            }
        }
    }

    /// (start, end, precision, relative). `reference` decides the year of
    /// year-less dates (the anchor, or the end of a range).
    fn resolve(
        &self,
        raw: &Raw,
        anchor: Option<NaiveDate>,
        reference: Option<NaiveDate>,
        before: &[DateMention],
    ) -> (Option<NaiveDate>, Option<NaiveDate>, DatePrecision, bool) {
        use DatePrecision::*;
        match *raw {
            Raw::Day { y, m, d } => {
                let y = match (y, reference) {
                    (Some(y), _) => Some(y),
                    (None, Some(r)) => Some(infer_year(m, d, r)),
                    (None, None) => None,
                };
                let date = y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d));
                (date, date, Day, y.is_none() || raw_is_yearless(raw))
            }
            Raw::DayRange { y, m1, d1, m2, d2 } => {
                let y = match (y, reference) {
                    (Some(y), _) => Some(y),
                    (None, Some(r)) => Some(infer_year(m2, d2, r)),
                    (None, None) => None,
                };
                let s = y.and_then(|y| NaiveDate::from_ymd_opt(y, m1, d1));
                let e = y.and_then(|y| NaiveDate::from_ymd_opt(y, m2, d2));
                (s, e, Day, raw_is_yearless(raw))
            }
            Raw::Month {
                y,
                m,
                part,
                year_offset,
            } => {
                let y = match (y, year_offset, anchor, reference) {
                    (Some(y), ..) => Some(y),
                    (None, Some(o), Some(a), _) => Some(a.year() + o),
                    (None, _, _, Some(r)) => Some(infer_year(m, 1, r)),
                    (None, _, _, None) => None,
                };
                let Some(y) = y else {
                    return (None, None, Unknown, true);
                };
                let first = NaiveDate::from_ymd_opt(y, m, 1);
                let last = last_day(y, m);
                let (s, e, p) = match part {
                    Part::Whole => (first, last, Month),
                    Part::Early => (first, NaiveDate::from_ymd_opt(y, m, 10), Week),
                    Part::Mid => (
                        NaiveDate::from_ymd_opt(y, m, 11),
                        NaiveDate::from_ymd_opt(y, m, 20),
                        Week,
                    ),
                    Part::Late => (NaiveDate::from_ymd_opt(y, m, 21), last, Week),
                };
                (s, e, p, raw_is_yearless(raw))
            }
            Raw::Year { y, part } => {
                let (m1, m2) = match part {
                    Part::Whole => (1, 12),
                    Part::Early => (1, 4),
                    Part::Mid => (5, 8),
                    Part::Late => (9, 12),
                };
                (
                    NaiveDate::from_ymd_opt(y, m1, 1),
                    last_day(y, m2),
                    Year,
                    false,
                )
            }
            Raw::Weekday { wd, shift } => {
                let Some(a) = anchor else {
                    return (None, None, Unknown, true);
                };
                let aw = weekday_index(a);
                let date = if shift > 0 {
                    let fwd = (wd + 7 - aw) % 7;
                    add_days(a, if fwd == 0 { 7 } else { fwd as i64 })
                } else {
                    let back = (aw + 7 - wd) % 7;
                    let back = if back == 0 && shift < 0 { 7 } else { back };
                    add_days(a, -(back as i64))
                };
                (date, date, Day, true)
            }
            Raw::Rel(rel) => {
                let (s, e, p) = resolve_rel(rel, anchor, before);
                (s, e, p, true)
            }
        }
    }
}

/// "on Tuesday, 14 November", "Monday (March 5, 2018)": a weekday with its
/// date is the date. The weekday's candidate takes the date's day and
/// reaches over it, so the leftmost-longest selection keeps one mention;
/// the explicit day wins over a weekday that disagrees with it.
fn join_weekday_dates(body: &str, cands: &mut [Cand]) {
    let days: Vec<(Span, Raw)> = cands
        .iter()
        .filter(|c| c.prep.is_none() && matches!(c.raw, Raw::Day { .. } | Raw::DayRange { .. }))
        .map(|c| (c.span, c.raw))
        .collect();
    for c in cands.iter_mut() {
        if !matches!(c.raw, Raw::Weekday { shift: 0, .. }) {
            continue;
        }
        let Some(&(day, raw)) = days.iter().find(|(day, _)| {
            day.start >= c.span.end
                && body.get(c.span.end..day.start).is_some_and(|gap| {
                    gap.len() <= 3 && gap.chars().all(|ch| matches!(ch, ' ' | ',' | '('))
                })
        }) else {
            continue;
        };
        let opened = body
            .get(c.span.end..day.start)
            .is_some_and(|gap| gap.contains('('));
        let closed = opened && body.get(day.end..).is_some_and(|r| r.starts_with(')'));
        c.span = Span::new(c.span.start, day.end + usize::from(closed));
        c.raw = raw;
    }
}

/// A page's own date opening a paragraph, where a scrape lost the line
/// break: "Tuesday 14 November 2017 The coalition condemns ...", "AFP
/// Tuesday 3 Oct 2017 A US-led coalition air strike ...". A full date
/// with at most two capitalised words (an agency, a place) before it at
/// the paragraph's start, and a capital or a digit after it. "On 14
/// November 2017 ..." opens with a preposition: the story's own date.
fn page_date(body: &str, c: &Cand) -> bool {
    if c.prep.is_some() || !matches!(c.raw, Raw::Day { y: Some(_), .. }) {
        return false;
    }
    let head = body.get(..c.outer).unwrap_or("");
    let line = head
        .rfind('\n')
        .map_or(head, |i| head.get(i + 1..).unwrap_or(""));
    let words: Vec<&str> = line.split_whitespace().collect();
    let opens = line.len() <= 30
        && words.len() <= 2
        && words.iter().all(|w| {
            w.starts_with(|ch: char| ch.is_uppercase())
                && w.chars()
                    .all(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '.' | ','))
        });
    let after = body.get(c.span.end..).unwrap_or("");
    let rest = after.trim_start_matches(|ch: char| {
        ch.is_whitespace() || matches!(ch, ',' | ':' | '|' | '-' | '\u{2013}' | '\u{2014}')
    });
    opens
        && rest.len() < after.len()
        && rest.starts_with(|ch: char| ch.is_uppercase() || ch.is_ascii_digit())
}

fn raw_is_yearless(raw: &Raw) -> bool {
    matches!(
        raw,
        Raw::Day { y: None, .. } | Raw::DayRange { y: None, .. } | Raw::Month { y: None, .. }
    )
}

fn resolve_rel(
    rel: Rel,
    anchor: Option<NaiveDate>,
    before: &[DateMention],
) -> (Option<NaiveDate>, Option<NaiveDate>, DatePrecision) {
    use DatePrecision::*;
    let previous = before.iter().rev().find(|m| m.start.is_some() && !m.since);
    match rel {
        Rel::Same => match previous {
            Some(p) => (p.start, p.end, p.precision),
            None => (None, None, Unknown),
        },
        Rel::After => match previous.and_then(|p| p.end).and_then(|d| d.succ_opt()) {
            Some(d) => (Some(d), Some(d), Day),
            None => (None, None, Unknown),
        },
        Rel::Before => match previous.and_then(|p| p.start).and_then(|d| d.pred_opt()) {
            Some(d) => (Some(d), Some(d), Day),
            None => (None, None, Unknown),
        },
        _ => {
            let Some(a) = anchor else {
                return (None, None, Unknown);
            };
            let r = match rel {
                Rel::Day(o) => add_days(a, o).map(|d| (d, d, Day)),
                Rel::Span(f, t, p) => add_days(a, f).zip(add_days(a, t)).map(|(s, e)| (s, e, p)),
                Rel::Week(o) => {
                    let monday = add_days(a, -(weekday_index(a) as i64));
                    let start = monday.and_then(|m| add_days(m, 7 * o));
                    let end = start.and_then(|s| add_days(s, 6)).map(|e| e.min(a));
                    start.zip(end).map(|(s, e)| (s, e, Week))
                }
                Rel::Month(o) => {
                    let first = NaiveDate::from_ymd_opt(a.year(), a.month(), 1);
                    let start = if o < 0 {
                        first.and_then(|f| f.checked_sub_months(Months::new(1)))
                    } else {
                        first
                    };
                    let end = start
                        .and_then(|s| last_day(s.year(), s.month()))
                        .map(|e| e.min(a));
                    start.zip(end).map(|(s, e)| (s, e, Month))
                }
                Rel::Year(o) => {
                    let y = a.year() + o as i32;
                    NaiveDate::from_ymd_opt(y, 1, 1)
                        .zip(NaiveDate::from_ymd_opt(y, 12, 31).map(|e| e.min(a)))
                        .map(|(s, e)| (s, e, Year))
                }
                Rel::Weekend => {
                    let back = (weekday_index(a) + 7 - Weekday::Sat.num_days_from_monday()) % 7;
                    let sat = add_days(a, -(back as i64));
                    let sun = sat.and_then(|s| s.succ_opt()).map(|s| s.min(a));
                    sat.zip(sun).map(|(s, e)| (s, e, Day))
                }
                Rel::Same | Rel::After | Rel::Before => None,
            };
            match r {
                Some((s, e, p)) => (Some(s), Some(e), p),
                None => (None, None, Unknown),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_precision_is_in_the_schema_enum() {
        use DatePrecision::*;
        for p in [Day, Week, Month, Year, Published, Unknown] {
            assert!(
                crate::typology::DATE_PRECISIONS.contains(&p.as_str()),
                "{p:?}"
            );
        }
    }

    /// Words of every date pattern's vocabulary, and the gaps between them.
    const SOUP_WORDS: &[&str] = &[
        "on",
        "in",
        "late on",
        "early on",
        "as of",
        "since",
        "between",
        "from",
        "and",
        "to",
        "until",
        "through",
        "the",
        "of",
        "the beginning of",
        "the first days of",
        "mid",
        "mid-",
        "early",
        "late",
        "end of",
        "March",
        "march",
        "MAY",
        "May",
        "Dec",
        "Dec.",
        "sept",
        "Sept.",
        "September",
        "jan",
        "Sunday",
        "sunday",
        "Sun.",
        "Sat",
        "TUESDAY",
        "5",
        "5th",
        "21st",
        "31",
        "2016",
        "1999",
        "2021-03-05",
        "20\u{661}\u{662}",
        "200",
        "5-7",
        "1\u{2013}3",
        "-",
        "\u{2013}",
        "\u{2014}",
        "night",
        "morning",
        ",",
        ".",
        "'s",
        "\u{2019}s",
        "(",
        ")",
        "word",
        "x",
        "Marching",
        "Augu\u{17f}t",
    ];
    const SOUP_GAPS: &[&str] = &["", " ", "  ", "\n\n", "\t", "\u{a0}", ", "];
    const SOUP_SPACES: &[&str] = &[" ", "  ", "\n\n", "\t", "\u{a0}"];
    /// Whole dates in their longest forms; "?" marks an optional part.
    const SOUP_DATES: &[&[&str]] = &[
        &[
            "?late on", "?the", "5th", "?of", "March", "?.", "?,", "2016",
        ],
        &["?as of", "Dec", "?.", "5", "?,", "2016"],
        &[
            "?early on",
            "?the",
            "5",
            "to",
            "?the",
            "7th",
            "?of",
            "May",
            "?,",
            "1999",
        ],
        &["?between", "Sept", "?.", "5", "\u{2013}", "7", "?,", "2016"],
        &[
            "?late on",
            "?the first days of",
            "March",
            "?.",
            "?,",
            "2016",
        ],
        &["?late on", "?the first days of", "2016"],
        &["?late on", "?late", "?on", "Sunday", "?\u{2019}s", "?night"],
    ];

    /// One piece of date soup: a word and a gap, or a whole date with each
    /// optional part in or out (punctuation sticks to its word).
    fn soup_piece() -> impl Strategy<Value = String> {
        let word = (
            prop::sample::select(SOUP_WORDS),
            prop::sample::select(SOUP_GAPS),
        )
            .prop_map(|(w, g)| format!("{w}{g}"));
        let date = (
            prop::sample::select(SOUP_DATES),
            prop::collection::vec((any::<bool>(), prop::sample::select(SOUP_SPACES)), 11),
        )
            .prop_map(|(parts, choices)| {
                let mut t = String::new();
                for (part, (keep, space)) in parts.iter().zip(choices) {
                    let (optional, part) = match part.strip_prefix('?') {
                        Some(p) => (true, p),
                        None => (false, *part),
                    };
                    if optional && !keep {
                        continue;
                    }
                    if !matches!(part, "." | "," | "\u{2019}s") {
                        t.push_str(space);
                    }
                    t.push_str(part);
                }
                t.push(' ');
                t
            });
        prop_oneof![2 => word, 1 => date]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Searching the regions finds what searching the whole body does,
        /// for every windowed pattern.
        #[test]
        fn searching_the_regions_finds_what_searching_the_body_does(
            pieces in prop::collection::vec(soup_piece(), 0..40)
        ) {
            regions_agree(&pieces.concat())?;
        }
    }

    /// Searching the regions of `text` finds what searching it whole does,
    /// for every windowed pattern.
    fn regions_agree(text: &str) -> Result<(), TestCaseError> {
        let dates = &*DATES;
        let r = &dates.reach;
        let patterns = [
            (&dates.dmy, r.dmy),
            (&dates.mdy, r.mdy),
            (&dates.dmy_range, r.dmy_range),
            (&dates.mdy_range, r.mdy_range),
            (&dates.month_year, r.month_year),
            (&dates.bare_month, r.bare_month),
            (&dates.year, r.year),
            (&dates.weekday, r.weekday),
        ];
        let spans = |caps: &Captures| -> Vec<Option<(usize, usize)>> {
            caps.iter()
                .map(|m| m.map(|m| (m.start(), m.end())))
                .collect()
        };
        let anchors = dates.anchor_words.find(text);
        for (i, (re, reach)) in patterns.iter().enumerate() {
            let full: Vec<_> = re.captures_iter(text).map(|c| spans(&c)).collect();
            let regions = anchors.regions(text, *reach);
            let windowed: Vec<_> = reach::captures(re, text, &regions)
                .iter()
                .map(spans)
                .collect();
            prop_assert_eq!(full, windowed, "pattern {}: {:?}", i, text);
        }
        Ok(())
    }

    /// Inputs the soup once found: a hyphen standing alone between a
    /// modifier and its month was a run the reach did not count.
    #[test]
    fn regions_agree_on_found_inputs() {
        for text in [
            "late on the first days of - March",
            "in mid - March 2016",
            "since early - 2016 ",
        ] {
            if let Err(e) = regions_agree(text) {
                panic!("{e}");
            }
        }
    }

    static DATES: std::sync::LazyLock<Dates> =
        std::sync::LazyLock::new(|| Dates::new().expect("the date grammar compiles"));

    /// The windows only pay while every month and weekday name is plain
    /// letters; any other anchor word turns them off (every body searched
    /// whole), which no output would show.
    #[test]
    fn the_shipped_vocabulary_gives_windows_not_the_whole_body() {
        let text = "Nothing happened here for a long while. Then on 5 March 2016, \
                    and again on Sunday night, the town was hit.";
        let dates = &*DATES;
        let anchors = dates.anchor_words.find(text);
        for reach in [dates.reach.dmy, dates.reach.weekday, dates.reach.year] {
            let regions = anchors.regions(text, reach);
            assert!(!regions.is_empty(), "{reach:?}: no region");
            assert!(
                regions.iter().all(|r| r.start > 0 && r.end < text.len()),
                "{reach:?}: {regions:?} is the whole body"
            );
        }
    }

    #[test]
    fn extractors_are_shareable() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Dates>();
        shareable::<crate::extract::count::Counts>();
    }

    #[test]
    fn weekday_on_anchor_day_is_anchor() {
        let dates = Dates::new().unwrap();
        let m = dates.extract("Clashes erupted on Monday.", Some(d("2019-05-13")));
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].start, Some(d("2019-05-13")));
        assert_eq!(m[0].text, "on Monday");
    }

    #[test]
    fn may_the_verb_is_not_a_month() {
        let dates = Dates::new().unwrap();
        let m = dates.extract(
            "The toll may rise. May God help them.",
            Some(d("2019-05-13")),
        );
        assert!(m.is_empty(), "{m:?}");
    }

    #[test]
    fn no_anchor_leaves_relative_unresolved() {
        let dates = Dates::new().unwrap();
        let m = dates.extract("It began on Tuesday, on 5 March 2018.", None);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].start, None);
        assert_eq!(m[0].precision, DatePrecision::Unknown);
        assert_eq!(m[1].start, Some(d("2018-03-05")));
    }

    #[test]
    fn never_panics_on_odd_text() {
        let dates = Dates::new().unwrap();
        for s in [
            "",
            "between",
            "from 31 to 2 February",
            "Février 30 2018 — 99-99-9999",
            "on ŞunDay «March» 0",
        ] {
            let _ = dates.extract(s, Some(d("2020-02-29")));
            let _ = dates.extract(s, None);
        }
    }
}

//! Runs tests/cases/dates.toml through `Dates::extract` and reports every
//! failing case at once.

#![allow(clippy::unwrap_used)]

mod common;
use common::shared_root;

use chrono::NaiveDate;
use serde::Deserialize;
use sitrep::extract::date::{DateMention, Dates};

#[derive(Debug, Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    input: String,
    anchor: Option<String>,
    text: String,
    start: Option<String>,
    end: Option<String>,
    precision: Option<String>,
    #[serde(default)]
    absent: bool,
    #[serde(default)]
    unresolved: bool,
    since: Option<bool>,
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn check(case: &Case, found: &[DateMention]) -> Result<(), String> {
    if case.absent {
        let lower = case.input.to_lowercase();
        let needle = case.text.to_lowercase();
        let hits: Vec<&DateMention> = lower
            .match_indices(&needle)
            .flat_map(|(i, _)| {
                let span = sitrep::model::Span::new(i, i + needle.len());
                found.iter().filter(move |m| m.span.overlaps(span))
            })
            .collect();
        return if hits.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "expected no date over {:?}, got {hits:?}",
                case.text
            ))
        };
    }
    let Some(m) = found.iter().find(|m| m.text == case.text) else {
        let texts: Vec<&str> = found.iter().map(|m| m.text.as_str()).collect();
        return Err(format!("no mention {:?}; found {texts:?}", case.text));
    };
    let mut errs = Vec::new();
    if case.unresolved && (m.start.is_some() || m.end.is_some()) {
        errs.push(format!(
            "expected unresolved, got {:?}..{:?}",
            m.start, m.end
        ));
    }
    if let Some(s) = &case.start {
        if m.start != Some(date(s)) {
            errs.push(format!("start {:?} != {s}", m.start));
        }
        let e = case.end.as_deref().unwrap_or(s);
        if m.end != Some(date(e)) {
            errs.push(format!("end {:?} != {e}", m.end));
        }
    }
    if let Some(p) = &case.precision
        && m.precision.as_str() != p
    {
        errs.push(format!("precision {} != {p}", m.precision.as_str()));
    }
    if let Some(since) = case.since
        && m.since != since
    {
        errs.push(format!("since {} != {since}", m.since));
    }
    if m.span.text(&case.input) != m.text {
        errs.push("text differs from span".to_string());
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("; "))
    }
}

#[test]
fn date_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/dates.toml");
    let file: File = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(file.case.len() >= 45, "only {} cases", file.case.len());
    let dates = Dates::new().unwrap();
    let mut failures = Vec::new();
    for case in &file.case {
        let found = dates.extract(&case.input, case.anchor.as_deref().map(date));
        let mut sorted = found.clone();
        sorted.sort_by_key(|m| m.span);
        if sorted != found {
            failures.push(format!("{}: mentions not sorted", case.name));
        }
        if let Err(e) = check(case, &found) {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    for f in &failures {
        eprintln!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} date cases failed",
        failures.len(),
        file.case.len()
    );
}

/// A gold date "2018-04-15", "2018-03" or "2019-05-12/2019-05-13" as a range.
fn gold_range(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let one = |p: &str| -> Option<(NaiveDate, NaiveDate)> {
        if let Ok(d) = NaiveDate::parse_from_str(p, "%Y-%m-%d") {
            return Some((d, d));
        }
        let first = NaiveDate::parse_from_str(&format!("{p}-01"), "%Y-%m-%d").ok()?;
        let last = first
            .checked_add_months(chrono::Months::new(1))?
            .pred_opt()?;
        Some((first, last))
    };
    match s.split_once('/') {
        Some((a, b)) => Some((one(a)?.0, one(b)?.1)),
        None => one(s),
    }
}

/// For each gold event with a `date_text`: does the date of our mention over
/// those words land in the gold date or range (and stay null when the gold
/// date is null for want of an anchor)? Uses ../shared; skips when absent.
#[test]
fn seeds_dates() {
    let root = shared_root();
    let (Ok(gold), Ok(meta), Ok(articles)) = (
        std::fs::read_to_string(root.join("eval/seeds.gold.jsonl")),
        std::fs::read_to_string(root.join("eval/seeds.metadata.csv")),
        std::fs::read_to_string(root.join("eval/seeds.articles.gold.jsonl")),
    ) else {
        eprintln!("SKIP: {}/eval not found", root.display());
        return;
    };
    // Anchor: the metadata CSV first, then the gold article's published date.
    let mut anchors = std::collections::HashMap::new();
    for line in articles.lines().filter(|l| !l.trim().is_empty()) {
        let a: serde_json::Value = serde_json::from_str(line).unwrap();
        if let (Some(f), Some(p)) = (a["article"].as_str(), a["published"].as_str()) {
            anchors.insert(f.to_string(), date(p));
        }
    }
    for line in meta.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        if let (Some(f), Some(p)) = (cols.first(), cols.get(2))
            && !p.is_empty()
        {
            anchors.insert(f.to_string(), date(p));
        }
    }
    let dates = Dates::new().unwrap();
    let (mut n, mut hit, mut n_null, mut hit_null) = (0, 0, 0, 0);
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let ev: serde_json::Value = serde_json::from_str(line).unwrap();
        let Some(date_text) = ev["date_text"].as_str() else {
            continue;
        };
        let article = ev["article"].as_str().unwrap();
        let Ok(text) = std::fs::read_to_string(root.join("seeds").join(article)) else {
            eprintln!("SKIP: seeds/{article} not found");
            return;
        };
        let text = text.replace('\u{a0}', " ");
        let anchor = anchors.get(article).copied();
        let found = dates.extract(&text, anchor);
        // The date words inside one of the mentions, else their first occurrence.
        let mut at = None;
        for m in ev["mentions"].as_array().unwrap() {
            if let Some(s) = text.find(m.as_str().unwrap())
                && let Some(k) = m.as_str().unwrap().find(date_text)
            {
                at = Some(s + k);
                break;
            }
        }
        let Some(at) = at.or_else(|| text.find(date_text)) else {
            eprintln!("MISS {}: {date_text:?} not in text", ev["id"]);
            continue;
        };
        let words = sitrep::model::Span::new(at, at + date_text.len());
        let ours = found.iter().find(|m| m.span.overlaps(words));
        let got = ours.map(|m| (m.start, m.end, m.precision.as_str(), m.text.clone()));
        let ok = match ev["date"].as_str() {
            Some(g) => {
                n += 1;
                let (gs, ge) = gold_range(g).unwrap();
                let ok = ours.is_some_and(|m| {
                    m.start.is_some_and(|s| gs <= s && s <= ge)
                        && m.end.is_some_and(|e| gs <= e && e <= ge)
                });
                hit += ok as usize;
                ok
            }
            None => {
                n_null += 1;
                let ok = ours.is_none_or(|m| m.start.is_none() || anchor.is_some());
                hit_null += ok as usize;
                ok
            }
        };
        eprintln!(
            "{} {:<26} {date_text:?} gold {:?} anchor {anchor:?} -> {got:?}",
            if ok { "ok  " } else { "MISS" },
            ev["id"].as_str().unwrap(),
            ev["date"].as_str(),
        );
    }
    eprintln!(
        "dates: {hit}/{n} resolved dates land in the gold date; {hit_null}/{n_null} without a gold date stay null"
    );
    assert!(n > 0 && hit * 10 >= n * 8, "date hit rate too low");
}

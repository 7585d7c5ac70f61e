//! Runs tests/cases/dates.toml through `Dates::extract` and reports every
//! failing case at once.

#![allow(clippy::unwrap_used)]

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

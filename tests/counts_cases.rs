//! Runs tests/cases/counts.toml through `Counts::extract` and `best_killed`,
//! reporting every failing case at once.

#![allow(clippy::unwrap_used)]

use serde::Deserialize;
use sitrep::extract::count::{CountKind, CountMention, Counts, best_killed};
use sitrep::model::Span;

#[derive(Debug, Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    input: String,
    #[serde(default)]
    expect: Vec<Expect>,
    best: Option<i64>,
    best_qualifier: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Expect {
    kind: String,
    value: Option<i64>,
    qualifier: String,
    #[serde(default)]
    is_sum: bool,
    victims: Option<String>,
    low: Option<i64>,
    high: Option<i64>,
}

fn kind(k: CountKind) -> &'static str {
    match k {
        CountKind::Killed => "killed",
        CountKind::Injured => "injured",
        CountKind::KilledOrInjured => "killed_or_injured",
    }
}

fn show(m: &CountMention, input: &str) -> String {
    format!(
        "{}={:?}/{}{}{} {:?}",
        kind(m.kind),
        m.value,
        m.qualifier.as_str(),
        if m.is_sum { " sum" } else { "" },
        m.victims
            .as_deref()
            .map(|v| format!(" [{v}]"))
            .unwrap_or_default(),
        m.span.text(input)
    )
}

fn check(case: &Case, found: &[CountMention]) -> Vec<String> {
    let mut errs = Vec::new();
    if found.len() != case.expect.len() {
        errs.push(format!(
            "expected {} mentions, got {}",
            case.expect.len(),
            found.len()
        ));
    }
    for (i, (e, m)) in case.expect.iter().zip(found).enumerate() {
        if e.kind != kind(m.kind)
            || e.value != m.value
            || e.qualifier != m.qualifier.as_str()
            || e.is_sum != m.is_sum
            || e.victims
                .as_ref()
                .is_some_and(|v| Some(v) != m.victims.as_ref())
            || e.low.is_some_and(|l| Some(l) != m.low)
            || e.high.is_some_and(|h| Some(h) != m.high)
        {
            errs.push(format!("#{i}: expected {e:?}"));
        }
    }
    let (best, qual, _, _) = best_killed(found);
    if case.best.is_some() && case.best != best {
        errs.push(format!("best_killed {best:?} != {:?}", case.best));
    }
    if let Some(q) = &case.best_qualifier
        && q != qual.as_str()
    {
        errs.push(format!("best qualifier {} != {q}", qual.as_str()));
    }
    if !errs.is_empty() {
        let got: Vec<String> = found.iter().map(|m| show(m, &case.input)).collect();
        errs.push(format!("got {got:?}"));
    }
    errs
}

#[test]
fn count_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/counts.toml");
    let file: File = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(file.case.len() >= 60, "only {} cases", file.case.len());
    let counts = Counts::new().unwrap();
    let mut failures = Vec::new();
    for case in &file.case {
        let found = counts.extract(&case.input, Span::new(0, case.input.len()));
        let errs = check(case, &found);
        if !errs.is_empty() {
            failures.push(format!("{}: {}", case.name, errs.join("; ")));
        }
    }
    for f in &failures {
        eprintln!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} count cases failed",
        failures.len(),
        file.case.len()
    );
}

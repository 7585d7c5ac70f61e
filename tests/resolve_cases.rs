//! Runs tests/cases/resolve.toml: short articles (our own text) through
//! clean -> segment -> extract -> resolve, and checks the events they give,
//! so that the one-event-per-act rules cannot regress silently.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Deserialize;
use sitrep::model::{DateSource, RawDoc};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
    published: Option<String>,
    events: Vec<Expected>,
    #[serde(default)]
    no_dates: bool,
}

#[derive(Deserialize)]
struct Expected {
    sub_event_type: String,
    evidence: String,
    /// A text the event's evidence must not hold (a sentence that must not
    /// join it).
    not_evidence: Option<String>,
    place: Option<String>,
    fatalities: Option<i64>,
    /// The event's fatalities must be null (unknown).
    #[serde(default)]
    fatalities_unknown: bool,
    date: Option<String>,
    /// `date_precision` of the event row.
    precision: Option<String>,
    /// The event's date must be null.
    #[serde(default)]
    undated: bool,
    actors: Option<Vec<String>>,
    /// Every fighting role of the event, as "role: actor name" (sources
    /// left out), in any order.
    roles: Option<Vec<String>>,
    aggregate: Option<bool>,
}

/// `got`, sorted, when it is not the same multiset as `want`.
fn differs(mut got: Vec<String>, want: &[String]) -> Option<Vec<String>> {
    let mut want = want.to_vec();
    got.sort();
    want.sort();
    (got != want).then_some(got)
}

fn cases() -> File {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases/resolve.toml");
    toml::from_str(&std::fs::read_to_string(path).expect("read cases")).expect("parse cases")
}

fn raw(case: &Case) -> RawDoc {
    let published = case
        .published
        .as_deref()
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("ISO date in case"));
    RawDoc {
        published,
        published_source: published.map(|_| DateSource::Metadata),
        ..RawDoc::plain("case.txt", &case.text)
    }
}

/// The build resolves articles in runs, one extractor at a time over the
/// run; that must give each article exactly the rows it gets alone.
#[test]
fn resolving_the_cases_as_one_run_gives_what_each_gives_alone() {
    let file = cases();
    let lex = sitrep::Lexicon::load().expect("lexicon");
    let docs: Vec<_> = file
        .case
        .iter()
        .map(|case| {
            let doc = lex.cleaner.clean(raw(case)).expect("clean");
            let sentences = lex.segmenter.segment(&doc);
            (doc, sentences)
        })
        .collect();
    let alone: Vec<String> = docs
        .iter()
        .map(|(doc, sentences)| {
            format!(
                "{:?}",
                sitrep::resolve::article(doc.clone(), sentences, &lex)
            )
        })
        .collect();
    let together: Vec<String> = sitrep::resolve::articles(docs, &lex)
        .iter()
        .map(|out| format!("{out:?}"))
        .collect();
    assert_eq!(together.len(), alone.len());
    for ((a, t), case) in alone.iter().zip(&together).zip(&file.case) {
        assert_eq!(a, t, "{}: the run changed its rows", case.name);
    }
}

#[test]
fn resolve_cases() {
    let file = cases();
    let lex = sitrep::Lexicon::load().expect("lexicon");
    let mut failures = Vec::new();
    let day = |s: &Option<String>| {
        s.as_deref()
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("ISO date in case"))
    };
    for case in &file.case {
        let doc = lex.cleaner.clean(raw(case)).expect("clean");
        let sentences = lex.segmenter.segment(&doc);
        let out = sitrep::resolve::article(doc, &sentences, &lex);
        let got: Vec<String> = out
            .events
            .iter()
            .map(|e| format!("{} [{}] {:?}", e.sub_event_type, e.evidence, e.fatalities))
            .collect();
        if out.events.len() != case.events.len() {
            failures.push(format!(
                "{}: expected {} events, got {}: {got:#?}",
                case.name,
                case.events.len(),
                out.events.len()
            ));
            continue;
        }
        for (want, e) in case.events.iter().zip(&out.events) {
            let mut wrong = Vec::new();
            if e.sub_event_type != want.sub_event_type {
                wrong.push(format!("sub_event_type {}", e.sub_event_type));
            }
            if !e.evidence.contains(&want.evidence)
                || want
                    .not_evidence
                    .as_ref()
                    .is_some_and(|not| e.evidence.contains(not.as_str()))
            {
                wrong.push(format!("evidence {:?}", e.evidence));
            }
            if let Some(place) = &want.place {
                let loc = out
                    .locations
                    .iter()
                    .find(|l| Some(&l.location_id) == e.location_id.as_ref());
                if loc.map(|l| &l.name) != Some(place) {
                    wrong.push(format!("place {:?}", loc.map(|l| &l.name)));
                }
            }
            if want.fatalities.is_some() && e.fatalities != want.fatalities {
                wrong.push(format!("fatalities {:?}", e.fatalities));
            }
            if want.fatalities_unknown && e.fatalities.is_some() {
                wrong.push(format!("fatalities {:?}, not unknown", e.fatalities));
            }
            if want.date.is_some() && e.event_date != day(&want.date) {
                wrong.push(format!("date {:?}", e.event_date));
            }
            if want
                .precision
                .as_deref()
                .is_some_and(|p| p != e.date_precision)
            {
                wrong.push(format!("date_precision {}", e.date_precision));
            }
            if want.undated && e.event_date.is_some() {
                wrong.push(format!("date {:?}, not null", e.event_date));
            }
            if case.no_dates && e.event_date.is_some() {
                wrong.push(format!("date {:?} in an undated article", e.event_date));
            }
            if let Some(agg) = want.aggregate {
                if e.is_aggregate != agg {
                    wrong.push(format!("is_aggregate {}", e.is_aggregate));
                }
            }
            if let Some(kinds) = &want.actors {
                let got_kinds: Vec<String> = out
                    .event_actors
                    .iter()
                    .filter(|a| a.event_id == e.event_id && matches!(a.role, "actor1" | "actor2"))
                    .filter_map(|a| out.actors.iter().find(|x| x.actor_id == a.actor_id))
                    .map(|a| a.kind.to_string())
                    .collect();
                if let Some(got) = differs(got_kinds, kinds) {
                    wrong.push(format!("actor kinds {got:?}"));
                }
            }
            if let Some(roles) = &want.roles {
                let got_roles: Vec<String> = out
                    .event_actors
                    .iter()
                    .filter(|a| a.event_id == e.event_id && a.role != "source")
                    .filter_map(|a| {
                        let x = out.actors.iter().find(|x| x.actor_id == a.actor_id)?;
                        Some(format!("{}: {}", a.role, x.name))
                    })
                    .collect();
                if let Some(got) = differs(got_roles, roles) {
                    wrong.push(format!("roles {got:?}"));
                }
            }
            if !wrong.is_empty() {
                failures.push(format!(
                    "{} / {}: {}",
                    case.name,
                    want.evidence,
                    wrong.join(", ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        file.case.len(),
        failures.join("\n")
    );
}

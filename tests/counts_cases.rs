//! Runs tests/cases/counts.toml through `Counts::extract` and `best_killed`,
//! reporting every failing case at once.

#![allow(clippy::unwrap_used)]

mod common;
use common::{sentence_around, shared_root};

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

/// For each required gold event with a fatalities figure: does `best_killed`
/// over the counts of its mentions' sentences give the gold figure (or one
/// of its alternatives)? Uses ../shared (not ours); skips when it is absent.
#[test]
fn seeds_fatalities() {
    let root = shared_root();
    let gold_path = root.join("eval/seeds.gold.jsonl");
    let Ok(gold) = std::fs::read_to_string(&gold_path) else {
        eprintln!("SKIP: {} not found", gold_path.display());
        return;
    };
    let counts = Counts::new().unwrap();
    let (mut n, mut hit_near, mut hit_sentence) = (0, 0, 0);
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let ev: serde_json::Value = serde_json::from_str(line).unwrap();
        if ev["required"] != true || ev["fatalities"].is_null() {
            continue;
        }
        let article = ev["article"].as_str().unwrap();
        let Ok(text) = std::fs::read_to_string(root.join("seeds").join(article)) else {
            eprintln!("SKIP: seeds/{article} not found");
            return;
        };
        // The gold quotes have plain spaces (the cleaner's job).
        let text = text.replace('\u{a0}', " ");
        let mut wanted: Vec<Option<i64>> = vec![ev["fatalities"].as_i64()];
        if let Some(alts) = ev["fatalities_alternatives"].as_array() {
            wanted.extend(alts.iter().map(|v| v.as_i64()));
        }
        let mut all = Vec::new();
        let mut near = Vec::new();
        let mut sentences: Vec<Span> = Vec::new();
        for m in ev["mentions"].as_array().unwrap() {
            let quote = m.as_str().unwrap();
            let Some(s) = text.find(quote) else { continue };
            let mention = Span::new(s, s + quote.len());
            let sent = sentence_around(&text, mention.start, mention.end);
            if sentences.contains(&sent) {
                continue;
            }
            sentences.push(sent);
            for c in counts.extract(&text, sent) {
                if c.span.overlaps(mention) {
                    near.push(c.clone());
                }
                all.push(c);
            }
        }
        let near = if near.is_empty() { all.clone() } else { near };
        let (best_near, q, _, _) = best_killed(&near);
        let (best_all, _, _, _) = best_killed(&all);
        n += 1;
        let ok_near = wanted.contains(&best_near);
        let ok_all = wanted.contains(&best_all);
        hit_near += ok_near as usize;
        hit_sentence += ok_all as usize;
        eprintln!(
            "{} {:<28} gold {:?} alts {:?} -> near {:?} ({}), sentence {:?}",
            if ok_near { "ok  " } else { "MISS" },
            ev["id"].as_str().unwrap(),
            wanted[0],
            &wanted[1..],
            best_near,
            q.as_str(),
            best_all
        );
    }
    eprintln!(
        "fatalities: {hit_near}/{n} with counts overlapping the mentions, {hit_sentence}/{n} with whole sentences"
    );
    assert!(
        n > 0 && hit_near * 10 >= n * 8,
        "fatalities hit rate too low"
    );
}

/// Runs both extractors over the FA-KES corpus (../shared, not ours): no
/// panics, and prints throughput plus a sample of counts to judge by eye.
/// `cargo test --test counts_cases fakes -- --ignored --nocapture`
#[test]
#[ignore]
fn fakes_smoke() {
    let path = shared_root().join("corpora/fa-kes/FA-KES-Dataset.csv");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("SKIP: {} not found", path.display());
        return;
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let counts = Counts::new().unwrap();
    let dates = sitrep::extract::date::Dates::new().unwrap();
    let started = std::time::Instant::now();
    let (mut n_art, mut n_bytes, mut n_counts, mut n_dates, mut n_resolved) = (0, 0, 0, 0, 0);
    let mut sample = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let body = rec.get(2).unwrap_or("").to_string();
        let anchor = rec
            .get(4)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%m/%d/%Y").ok());
        n_art += 1;
        n_bytes += body.len();
        // Sentences: split at ". " (the corpus has little other punctuation).
        let mut start = 0;
        for (i, _) in body.match_indices(". ").chain([(body.len(), "")]) {
            let span = Span::new(start, (i + 1).min(body.len()));
            for c in counts.extract(&body, span) {
                n_counts += 1;
                if n_counts % 23 == 0 && sample.len() < 40 {
                    sample.push(format!("{}  <<{}>>", show(&c, &body), span.text(&body)));
                }
            }
            start = (i + 2).min(body.len());
        }
        let ds = dates.extract(&body, anchor);
        for d in &ds {
            if (n_dates + 1) % 97 == 0 {
                sample.push(format!(
                    "DATE {:?} anchor {anchor:?} -> {:?}..{:?} {}",
                    d.text,
                    d.start,
                    d.end,
                    d.precision.as_str()
                ));
            }
            n_dates += 1;
        }
        n_resolved += ds.iter().filter(|d| d.start.is_some()).count();
    }
    let secs = started.elapsed().as_secs_f64();
    for s in &sample {
        eprintln!("{s}");
    }
    eprintln!(
        "{n_art} articles, {:.1} MB in {secs:.2}s (debug build): {n_counts} counts, {n_dates} dates ({n_resolved} resolved)",
        n_bytes as f64 / 1e6
    );
}

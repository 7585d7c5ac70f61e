//! Event detection as data: `tests/cases/events.toml` holds our own
//! sentences with the mentions expected of each (sub-event type and a piece
//! of the clause, plus optional flags). A second test runs the detector over
//! the seed articles in `../shared/seeds` (skipped when absent) and reports
//! how many gold events it hits and how many mentions hit none. A third runs
//! it over our own sample corpus (`data/articles`, gold
//! `tests/cases/corpus_expected.toml`) and fails below a recall floor.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use serde::Deserialize;
use sitrep::extract::event::{EventMention, Modality, Triggers};

#[derive(Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    input: String,
    expect: Vec<Expect>,
}

#[derive(Deserialize)]
struct Expect {
    sub: String,
    clause: String,
    #[serde(default)]
    anaphoric: Option<bool>,
    #[serde(default)]
    aggregate: Option<bool>,
    #[serde(default)]
    alleged: Option<bool>,
    #[serde(default)]
    toll_only: Option<bool>,
    #[serde(default)]
    family: Option<String>,
}

fn describe(input: &str, got: &[EventMention]) -> String {
    got.iter()
        .map(|m| {
            format!(
                "[{} | {} | {:?} anaph={} agg={} toll={} fam={} | {:?}]",
                m.sub_event_type,
                m.trigger.text(input),
                m.modality,
                m.anaphoric,
                m.aggregate,
                m.toll_only,
                m.family,
                m.clause.text(input)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn event_cases() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/events.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let file: CaseFile = toml::from_str(&text).unwrap();
    let triggers = Triggers::new().unwrap();
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for case in &file.case {
        assert!(
            names.insert(case.name.clone()),
            "duplicate case {}",
            case.name
        );
        let got = triggers.detect_text(&case.input);
        let mut problems = Vec::new();
        if got.len() != case.expect.len() {
            problems.push(format!(
                "{} mentions, expected {}",
                got.len(),
                case.expect.len()
            ));
        }
        for (i, (m, e)) in got.iter().zip(&case.expect).enumerate() {
            let clause = m.clause.text(&case.input);
            if m.sub_event_type != e.sub {
                problems.push(format!("#{i}: {} instead of {}", m.sub_event_type, e.sub));
            }
            if !clause.contains(&e.clause) {
                problems.push(format!("#{i}: clause {clause:?} lacks {:?}", e.clause));
            }
            if e.anaphoric.is_some_and(|a| a != m.anaphoric) {
                problems.push(format!("#{i}: anaphoric {}", m.anaphoric));
            }
            if e.aggregate.is_some_and(|a| a != m.aggregate) {
                problems.push(format!("#{i}: aggregate {}", m.aggregate));
            }
            if e.toll_only.is_some_and(|a| a != m.toll_only) {
                problems.push(format!("#{i}: toll_only {}", m.toll_only));
            }
            if e.alleged
                .is_some_and(|a| a != (m.modality == Modality::Alleged))
            {
                problems.push(format!("#{i}: modality {:?}", m.modality));
            }
            if e.family.as_deref().is_some_and(|f| f != m.family) {
                problems.push(format!("#{i}: family {}", m.family));
            }
        }
        for w in got.windows(2) {
            if w[0].clause.overlaps(w[1].clause) {
                problems.push("clauses overlap".to_string());
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    got {}",
                case.name,
                problems.join("; "),
                describe(&case.input, &got)
            ));
        }
    }
    assert!(
        file.case.len() >= 120,
        "only {} cases (want >= 120)",
        file.case.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        file.case.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------- seeds

fn norm(s: &str) -> String {
    let s = s
        .replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"");
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// score.py's rule: a shared run of 8 words (or the whole quote).
fn overlaps(evidence: &str, quote: &str) -> bool {
    let (e, q) = (norm(evidence), norm(quote));
    if e.is_empty() || q.is_empty() {
        return false;
    }
    if e.contains(&q) || q.contains(&e) {
        return true;
    }
    let words: Vec<&str> = q.split(' ').collect();
    let n = words.len().min(8);
    (0..=words.len() - n).any(|i| e.contains(&words[i..i + n].join(" ")))
}

/// A crude sentence splitter: lines, then ". " before a capital or quote.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        // Teasers and headline-like lines (no closing punctuation) are the
        // cleaner's business: the pipeline never hands them to the detector.
        let headline = !line.ends_with(['.', '!', '?', '"', '\u{201d}', ')'])
            && line.split_whitespace().count() < 25;
        if line.is_empty() || line.starts_with("Read:") || line.starts_with("More:") || headline {
            continue;
        }
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for w in 0..chars.len() {
            let (i, c) = chars[w];
            if matches!(c, '.' | '!' | '?')
                && chars.get(w + 1).is_some_and(|x| x.1 == ' ')
                && chars
                    .get(w + 2)
                    .is_some_and(|x| x.1.is_uppercase() || x.1 == '\u{201c}' || x.1 == '"')
            {
                out.push(line[start..=i].to_string());
                start = i + 1;
            }
        }
        if start < line.len() {
            out.push(line[start..].trim().to_string());
        }
    }
    out
}

#[derive(Deserialize)]
struct Gold {
    id: String,
    article: String,
    required: bool,
    event_type: String,
    sub_event_type: String,
    mentions: Vec<String>,
}

#[test]
fn seeds_report() {
    let root = common::shared_root();
    let gold_path = root.join("eval/seeds.gold.jsonl");
    let seeds = root.join("seeds");
    if !gold_path.exists() || !seeds.exists() {
        eprintln!("seeds_report: ../shared/seeds or its gold is absent; skipped");
        return;
    }
    let gold: Vec<Gold> = std::fs::read_to_string(&gold_path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let triggers = Triggers::new().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let (mut hit_required, mut type_ok, mut sub_ok, mut fp, mut extra, mut agg_free) =
        (0, 0, 0, 0, 0, 0);
    let mut lines = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(f).unwrap();
        let g: Vec<&Gold> = gold.iter().filter(|g| g.article == name).collect();
        let mut first: std::collections::HashMap<&str, (String, String)> = Default::default();
        for s in sentences(&text) {
            for m in triggers.detect_text(&s) {
                let ev = m.clause.text(&s);
                let hits: Vec<&&Gold> = g
                    .iter()
                    .filter(|g| g.mentions.iter().any(|q| overlaps(ev, q)))
                    .collect();
                let tag = format!(
                    "{}{}{}",
                    m.sub_event_type,
                    if m.anaphoric { " ANAPH" } else { "" },
                    if m.aggregate { " AGG" } else { "" }
                );
                match hits.iter().find(|h| h.required).or(hits.first()) {
                    None if m.aggregate => {
                        agg_free += 1;
                        lines.push(format!("  agg  {tag}: {ev}"));
                    }
                    None => {
                        fp += 1;
                        lines.push(format!("  FP   {tag}: {ev}"));
                    }
                    Some(h) => {
                        if first.contains_key(h.id.as_str()) {
                            extra += 1;
                            lines.push(format!("  more {} {tag}: {ev}", h.id));
                        } else {
                            first.insert(
                                h.id.as_str(),
                                (m.event_type.to_string(), m.sub_event_type.to_string()),
                            );
                            lines.push(format!("  hit  {} {tag}", h.id));
                        }
                    }
                }
            }
        }
        for gg in &g {
            if !gg.required {
                continue;
            }
            match first.get(gg.id.as_str()) {
                Some((t, s)) => {
                    hit_required += 1;
                    type_ok += (*t == gg.event_type) as usize;
                    sub_ok += (*s == gg.sub_event_type) as usize;
                    if *s != gg.sub_event_type {
                        lines.push(format!(
                            "  SUB  {} got {s}, gold {}",
                            gg.id, gg.sub_event_type
                        ));
                    }
                }
                None => lines.push(format!("  MISS {}: {}", gg.id, gg.mentions[0])),
            }
        }
    }
    let required = gold.iter().filter(|g| g.required).count();
    eprintln!("{}", lines.join("\n"));
    eprintln!(
        "seeds: required gold hit {hit_required}/{required}, type right {type_ok}, sub-type right {sub_ok}; \
         mentions hitting no gold {fp} (plus {agg_free} flagged aggregate); \
         further mentions of an already-hit event {extra} (for the lead to merge)"
    );
}

/// `EVENTS_DEBUG="a sentence" cargo test --test events_cases debug -- --ignored --nocapture`
#[test]
#[ignore]
fn debug() {
    let t = Triggers::new().unwrap();
    for s in std::env::var("EVENTS_DEBUG")
        .unwrap_or_default()
        .split('\n')
    {
        eprintln!("{s}\n  -> {}", describe(s, &t.detect_text(s)));
    }
}

/// Mentions per article over the FA-KES corpus (skipped when absent):
/// `cargo test --test events_cases fakes_rate -- --ignored --nocapture`
#[test]
#[ignore]
fn fakes_rate() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(path) = [here.join("../shared"), here.join("../../shared")]
        .into_iter()
        .map(|p| p.join("corpora/fa-kes/FA-KES-Dataset.csv"))
        .find(|p| p.exists())
    else {
        eprintln!("fakes_rate: corpus absent; skipped");
        return;
    };
    let t = Triggers::new().unwrap();
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let (mut n, mut with, mut mentions, mut agg, mut sents) = (0, 0, 0, 0, 0);
    let start = std::time::Instant::now();
    for rec in rdr.records() {
        let Ok(rec) = rec else { continue };
        let text = rec.get(2).unwrap_or("");
        n += 1;
        let mut k = 0;
        for s in sentences(text) {
            sents += 1;
            for m in t.detect_text(&s) {
                k += 1;
                agg += m.aggregate as usize;
            }
        }
        mentions += k;
        with += (k > 0) as usize;
    }
    eprintln!(
        "fa-kes: {n} articles, {sents} sentences, {mentions} mentions ({agg} aggregate), \
         {with} articles with >= 1 mention, {:?}",
        start.elapsed()
    );
}

// ---------------------------------------------------------------- sample corpus

#[derive(Deserialize)]
struct CorpusFile {
    event: Vec<CorpusEvent>,
}

#[derive(Deserialize)]
struct CorpusEvent {
    id: String,
    file: String,
    #[serde(default)]
    record: Option<String>,
    required: bool,
    sub_event_type: String,
    #[serde(default)]
    alt_sub_event_types: Vec<String>,
    evidence: String,
    #[serde(default)]
    mentions: Vec<String>,
}

/// Our own sample corpus (`data/articles`, gold `tests/cases/corpus_expected.toml`),
/// read through the library's ingest, cleaner and segmenter: does a mention
/// overlap the evidence of every required event, with the right sub-type, and
/// which mentions overlap no gold event at all?
#[test]
fn corpus_report() {
    use sitrep::clean::Cleaner;
    use sitrep::ingest::{self, Limits};
    use sitrep::segment::Segmenter;

    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold: CorpusFile = toml::from_str(
        &std::fs::read_to_string(here.join("tests/cases/corpus_expected.toml")).unwrap(),
    )
    .unwrap();
    let inputs = ingest::discover(&[here.join("data/articles")], None).unwrap();
    let (cleaner, segmenter, triggers) = (
        Cleaner::new().unwrap(),
        Segmenter::new().unwrap(),
        Triggers::new().unwrap(),
    );
    let limits = Limits::default();
    let (mut required, mut hit, mut sub_ok, mut fp, mut mentions) = (0, 0, 0, 0, 0);
    let mut lines = Vec::new();
    for unit in &inputs.units {
        for raw in ingest::read(unit, &limits) {
            let Ok(raw) = raw else { continue };
            let (file, record) = (raw.source_file.clone(), raw.external_id.clone());
            let Ok(doc) = cleaner.clean(raw) else {
                continue;
            };
            let events: Vec<&CorpusEvent> = gold
                .event
                .iter()
                .filter(|e| {
                    e.file == file
                        && (e.record.is_none() || e.record.as_deref() == record.as_deref())
                })
                .collect();
            let quotes = |e: &CorpusEvent| -> Vec<String> {
                std::iter::once(e.evidence.clone())
                    .chain(e.mentions.iter().cloned())
                    .collect()
            };
            // For every gold event, the sub-types of the mentions that hit it.
            let mut got: Vec<Vec<String>> = vec![Vec::new(); events.len()];
            for s in segmenter.segment(&doc) {
                for m in triggers.detect(&doc.body, &s) {
                    mentions += 1;
                    let ev = m.clause.text(&doc.body);
                    let mut any = false;
                    for (i, e) in events.iter().enumerate() {
                        if quotes(e).iter().any(|q| overlaps(ev, q)) {
                            got[i].push(format!("{} <{}>", m.sub_event_type, ev));
                            any = true;
                        }
                    }
                    if !any {
                        fp += 1;
                        lines.push(format!(
                            "  FP   [{file}] {}{}{}{}: {ev}",
                            m.sub_event_type,
                            if m.anaphoric { " ANAPH" } else { "" },
                            if m.aggregate { " AGG" } else { "" },
                            if m.toll_only { " TOLL" } else { "" }
                        ));
                    }
                }
            }
            for (e, subs) in events.iter().zip(&got) {
                if !e.required {
                    continue;
                }
                required += 1;
                if subs.is_empty() {
                    lines.push(format!(
                        "  MISS {} ({}): {}",
                        e.id, e.sub_event_type, e.evidence
                    ));
                    continue;
                }
                hit += 1;
                let right = |s: &String| {
                    let sub = s.split(" <").next().unwrap_or("").to_string();
                    sub == e.sub_event_type || e.alt_sub_event_types.contains(&sub)
                };
                if subs.iter().any(right) {
                    sub_ok += 1;
                } else {
                    lines.push(format!(
                        "  SUB  {} got {subs:?}, gold {}",
                        e.id, e.sub_event_type
                    ));
                }
            }
        }
    }
    let recall = hit as f64 / required.max(1) as f64;
    let sub_acc = sub_ok as f64 / hit.max(1) as f64;
    eprintln!("{}", lines.join("\n"));
    eprintln!(
        "corpus: required events hit {hit}/{required} ({recall:.3}), sub-type right {sub_ok}/{hit} \
         ({sub_acc:.3}); {mentions} mentions, {fp} overlap no gold event"
    );
    assert!(required >= 80, "only {required} required events loaded");
    // Floors: 89/89 and 88/89 reached; a regression below these fails.
    assert!(recall >= 0.95, "recall {recall:.3} fell below the floor");
    assert!(
        sub_acc >= 0.94,
        "sub-type accuracy {sub_acc:.3} fell below the floor"
    );
}

//! Runs the cleaner on the cases in `tests/cases/clean.toml` (our own text)
//! and on the seed articles in `../shared/seeds` against their gold
//! must-keep / must-drop strings and headlines (skipped when absent).

#![allow(clippy::unwrap_used)]

use std::path::Path;

use serde::Deserialize;
use sitrep::clean::Cleaner;
use sitrep::model::{DateSource, Format, RawDoc};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    input: String,
    /// A title given by the record itself.
    #[serde(default)]
    record_title: Option<String>,
    /// Exact expected body.
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    keep: Vec<String>,
    #[serde(default)]
    drop: Vec<String>,
    /// Expected title; "" means none.
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    dateline: Option<String>,
    /// Expected published date from the text (YYYY-MM-DD); "" means none.
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    captions: Option<Vec<String>>,
    #[serde(default)]
    paragraphs: Option<usize>,
    /// The whole input must be rejected as no_text.
    #[serde(default)]
    rejected: bool,
}

fn raw(text: &str, title: Option<String>) -> RawDoc {
    RawDoc {
        source_file: "case.txt".into(),
        line: None,
        format: Format::Text,
        external_id: None,
        url: None,
        source: None,
        title,
        published: None,
        published_source: None,
        text: text.to_string(),
        n_bytes_raw: text.len(),
        decode_notes: Vec::new(),
    }
}

#[test]
fn clean_cases() {
    let cleaner = Cleaner::new().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/clean.toml");
    let file: File = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(file.case.len() >= 25);
    let mut failures = Vec::new();
    for case in &file.case {
        let mut fail = |what: String| failures.push(format!("[{}] {what}", case.name));
        let doc = match cleaner.clean(raw(&case.input, case.record_title.clone())) {
            Ok(doc) => doc,
            Err(r) => {
                if !case.rejected {
                    fail(format!("rejected: {r:?}"));
                }
                continue;
            }
        };
        if case.rejected {
            fail(format!("expected a reject, got body {:?}", doc.body));
            continue;
        }
        if let Some(b) = &case.body
            && &doc.body != b
        {
            fail(format!("body {:?} != {:?}", doc.body, b));
        }
        for k in &case.keep {
            if !doc.body.contains(k.as_str()) {
                fail(format!("missing {k:?} in body {:?}", doc.body));
            }
        }
        for d in &case.drop {
            if doc.body.contains(d.as_str()) {
                fail(format!("{d:?} still in body {:?}", doc.body));
            }
        }
        if let Some(t) = &case.title {
            let got = doc.title.clone().unwrap_or_default();
            if &got != t {
                fail(format!("title {got:?} != {t:?}"));
            }
        }
        if let Some(d) = &case.dateline {
            let got = doc.dateline.clone().unwrap_or_default();
            if &got != d {
                fail(format!("dateline {got:?} != {d:?}"));
            }
        }
        if let Some(p) = &case.published {
            let got = doc.published.map(|d| d.to_string()).unwrap_or_default();
            if &got != p {
                fail(format!("published {got:?} != {p:?}"));
            }
            if !p.is_empty() && doc.published_source != Some(DateSource::Text) {
                fail(format!("published_source {:?}", doc.published_source));
            }
        }
        if let Some(c) = &case.captions
            && &doc.captions != c
        {
            fail(format!("captions {:?} != {c:?}", doc.captions));
        }
        if let Some(n) = case.paragraphs
            && doc.paragraphs.len() != n
        {
            fail(format!("{} paragraphs, expected {n}", doc.paragraphs.len()));
        }
        for s in &doc.paragraphs {
            let t = s.text(&doc.body);
            if t.is_empty() || t != t.trim() {
                fail(format!("bad paragraph span {s:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[derive(Deserialize)]
struct Gold {
    article: String,
    title: Option<String>,
    published: Option<String>,
    published_source: Option<String>,
    dateline: Option<String>,
    must_keep: Vec<String>,
    must_drop: Vec<String>,
}

#[test]
fn seed_articles_gold() {
    // `../shared` beside the repository (or beside a worktree's parent).
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = [here.join("../shared"), here.join("../../shared")]
        .into_iter()
        .find(|p| p.is_dir())
        .unwrap_or_else(|| here.join("../shared"));
    let gold = root.join("eval/seeds.articles.gold.jsonl");
    let Ok(gold) = std::fs::read_to_string(&gold) else {
        println!("SKIP: {} not found", gold.display());
        return;
    };
    let cleaner = Cleaner::new().unwrap();
    let mut failures = Vec::new();
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let g: Gold = serde_json::from_str(line).unwrap();
        let Ok(text) = std::fs::read_to_string(root.join("seeds").join(&g.article)) else {
            println!("SKIP: seed {} not found", g.article);
            continue;
        };
        let mut fail = |what: String| failures.push(format!("[{}] {what}", g.article));
        let doc = match cleaner.clean(raw(&text, None)) {
            Ok(d) => d,
            Err(r) => {
                fail(format!("rejected {r:?}"));
                continue;
            }
        };
        if std::env::var_os("SITREP_SHOW").is_some() {
            println!(
                "== {}\n{:?} {:?} {:?} {:?}\n{}\n",
                g.article, doc.title, doc.dateline, doc.published, doc.captions, doc.body
            );
        }
        for k in &g.must_keep {
            if !doc.body.contains(k.as_str()) {
                fail(format!("must_keep {k:?} missing"));
            }
        }
        for d in &g.must_drop {
            if doc.body.contains(d.as_str()) {
                fail(format!("must_drop {d:?} present"));
            }
        }
        if doc.title != g.title {
            fail(format!("title {:?} != {:?}", doc.title, g.title));
        }
        if let Some(t) = &doc.title
            && doc.body.contains(t.as_str())
        {
            fail("title repeated in body".into());
        }
        if doc.dateline != g.dateline {
            fail(format!("dateline {:?} != {:?}", doc.dateline, g.dateline));
        }
        // Without the metadata CSV only dates from the text can be found.
        if g.published_source.as_deref() == Some("text") {
            let got = doc.published.map(|d| d.to_string());
            if got != g.published {
                fail(format!("published {got:?} != {:?}", g.published));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Throughput of clean + segment on the FA-KES corpus (run with
/// `--ignored --nocapture`, ideally optimised); skipped when absent.
#[test]
#[ignore]
fn throughput_fakes() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(path) = [here.join("../shared"), here.join("../../shared")]
        .into_iter()
        .map(|p| p.join("corpora/fa-kes/FA-KES-Dataset.csv"))
        .find(|p| p.is_file())
    else {
        println!("SKIP: FA-KES corpus not found");
        return;
    };
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = headers
        .iter()
        .position(|h| h == "article_content")
        .unwrap_or(2);
    let texts: Vec<String> = rdr
        .records()
        .filter_map(|r| r.ok())
        .filter_map(|r| r.get(col).map(str::to_string))
        .collect();
    let cleaner = Cleaner::new().unwrap();
    let seg = sitrep::segment::Segmenter::new().unwrap();
    let bytes: usize = texts.iter().map(|t| t.len()).sum::<usize>() * 5;
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..5 {
        for t in &texts {
            if let Ok(d) = cleaner.clean(raw(t, None)) {
                n += seg.segment(&d).len();
            }
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let docs: Vec<_> = texts
        .iter()
        .filter_map(|t| cleaner.clean(raw(t, None)).ok())
        .collect();
    let t1 = std::time::Instant::now();
    let m: usize = docs.iter().map(|d| seg.segment(d).len()).sum();
    println!(
        "segment only: {:.1} MB/s ({m})",
        bytes as f64 / 5e6 / t1.elapsed().as_secs_f64()
    );
    println!(
        "{} docs, {:.1} MB, {n} sentences, {:.1} MB/s",
        texts.len() * 5,
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
}

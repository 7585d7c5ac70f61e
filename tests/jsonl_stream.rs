//! JSON Lines files are streamed through the build in batches: a feed of
//! more than one batch gives byte-identical datasets whatever the thread
//! count, and the same articles, events and rejects when its records are
//! split across two files (one of them gzipped).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// More records than one batch of the build, rejects left out.
const N: usize = sitrep::pipeline::CHUNK + 100;

fn record(i: usize) -> String {
    if i % 97 == 13 {
        return "{\"id\": \"broken".to_string();
    }
    if i % 101 == 50 {
        return String::new();
    }
    let towns = ["Aleppo", "Idlib", "Douma", "Raqqa", "Hama", "Homs", "Daraa"];
    let town = towns[i % towns.len()];
    serde_json::json!({
        "id": format!("r{i}"),
        "title": format!("Shelling hits {town} market ({i})"),
        "date": format!("2019-0{}-{:02}", 1 + i % 9, 1 + i % 28),
        "text": format!(
            "Government forces shelled the market of {town} on Tuesday, killing {} civilians \
             and wounding several others, local medics said. Report number {i}. The monitoring \
             group said the strikes continued into the evening as families fled.",
            1 + i % 40
        ),
    })
    .to_string()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn build(inputs: Vec<PathBuf>, out: &Path, threads: usize) -> sitrep::BuildReport {
    let opts = sitrep::BuildOptions {
        inputs,
        out: out.to_path_buf(),
        metadata: None,
        threads: Some(threads),
        limits: sitrep::ingest::Limits::default(),
        progress: false,
    };
    sitrep::build(&opts).unwrap()
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The rows of a table with only `columns`, in file order.
fn project(dir: &Path, table: &str, columns: &[&str]) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(dir.join(format!("{table}.csv"))).unwrap();
    let headers = r.headers().unwrap().clone();
    let idx: Vec<usize> = columns
        .iter()
        .map(|c| headers.iter().position(|h| h == *c).unwrap())
        .collect();
    r.records()
        .map(|row| {
            let row = row.unwrap();
            idx.iter().map(|&i| row[i].to_string()).collect()
        })
        .collect()
}

#[test]
fn a_feed_of_many_batches_is_the_same_whatever_the_threads_and_files() {
    let root = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..N).map(record).collect();
    let whole = root.path().join("whole");
    std::fs::create_dir(&whole).unwrap();
    std::fs::write(whole.join("feed.jsonl"), lines.join("\n") + "\n").unwrap();

    let (one, two) = (root.path().join("j1"), root.path().join("j2"));
    let report = build(vec![whole.clone()], &one, 1);
    build(vec![whole], &two, 2);
    assert!(
        report.n_articles > sitrep::pipeline::CHUNK as u64,
        "{report:?}"
    );
    assert_eq!(
        report.rejects_by_reason.get("malformed_json"),
        Some(&((0..N).filter(|i| i % 97 == 13).count() as u64))
    );
    let (a, b) = (files(&one), files(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between -j1 and -j2");
    }

    // The same records split into a plain and a gzipped file.
    let split = root.path().join("split");
    std::fs::create_dir(&split).unwrap();
    let cut = N * 2 / 5;
    std::fs::write(split.join("a.jsonl"), lines[..cut].join("\n") + "\n").unwrap();
    std::fs::write(
        split.join("b.jsonl.gz"),
        gz((lines[cut..].join("\n") + "\n").as_bytes()),
    )
    .unwrap();
    let parts = root.path().join("parts");
    let split_report = build(vec![split], &parts, 2);
    assert_eq!(split_report.n_articles, report.n_articles);
    assert_eq!(split_report.n_events, report.n_events);
    assert_eq!(split_report.rejects_by_reason, report.rejects_by_reason);
    let article_cols = ["external_id", "title", "body", "content_sha256", "n_events"];
    assert_eq!(
        project(&one, "articles", &article_cols),
        project(&parts, "articles", &article_cols)
    );
    let event_cols = [
        "event_type",
        "sub_event_type",
        "event_date",
        "location_text",
        "fatalities",
        "evidence",
    ];
    assert_eq!(
        project(&one, "events", &event_cols),
        project(&parts, "events", &event_cols)
    );
    // Records keep their line numbers within their own file.
    let names = project(&parts, "articles", &["source_file", "line", "external_id"]);
    let last = names.last().unwrap();
    assert_eq!(last[0], "b.jsonl.gz");
    assert_eq!(last[2], format!("r{}", N - 1));
    assert_eq!(last[1], (N - cut).to_string());
}

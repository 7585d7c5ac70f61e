//! End-to-end tests of the `sitrep` binary as a user runs it: the default
//! build, a build of the real seed articles with their metadata, each input
//! format, exit codes, and byte-identical output whatever the thread count.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TABLES: &[&str] = &[
    "articles",
    "events",
    "event_mentions",
    "actors",
    "event_actors",
    "locations",
    "event_locations",
    "rejects",
];

fn sitrep() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared folder with the real sample articles, when this checkout has it.
fn shared() -> Option<PathBuf> {
    let p = repo().join("../shared");
    if p.join("seeds").is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared (real sample articles) is not next to this checkout");
        None
    }
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run sitrep");
    eprintln!("stderr: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// Every file of a dataset folder with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .expect("read dataset")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).expect("read file"),
            )
        })
        .collect()
}

fn csv_rows(dir: &Path, table: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(dir.join(format!("{table}.csv"))).expect("open csv");
    let headers = r.headers().expect("headers").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .map(String::from)
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn assert_complete_dataset(dir: &Path) {
    let names = files(dir);
    for t in TABLES {
        assert!(
            names.contains_key(&format!("{t}.parquet")),
            "{t}.parquet missing in {}",
            dir.display()
        );
        assert!(names.contains_key(&format!("{t}.csv")), "{t}.csv missing");
    }
    assert!(names.contains_key("datapackage.json"));
    assert!(names.contains_key("manifest.json"));
    for (name, bytes) in &names {
        let text = String::from_utf8_lossy(bytes);
        let tmp = std::env::temp_dir();
        assert!(
            !text.contains(tmp.to_string_lossy().as_ref()),
            "{name} names a temp path"
        );
        assert!(
            !text.contains(env!("CARGO_MANIFEST_DIR")),
            "{name} names the checkout's absolute path"
        );
    }
}

#[test]
fn default_build_writes_the_sample_corpus_dataset() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("dataset");
    let o = run(sitrep()
        .arg("build")
        .arg("-o")
        .arg(&out)
        .current_dir(tmp.path()));
    assert_eq!(
        o.status.code(),
        Some(0),
        "the sample corpus builds without rejects"
    );
    assert_complete_dataset(&out);
    let articles = csv_rows(&out, "articles");
    assert!(
        articles.len() >= 15,
        "sample corpus has {} articles",
        articles.len()
    );
    let events = csv_rows(&out, "events");
    assert!(
        events.len() >= articles.len(),
        "{} events for {} articles",
        events.len(),
        articles.len()
    );
    let formats: std::collections::BTreeSet<_> =
        articles.iter().map(|a| a["format"].clone()).collect();
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        ["html", "jsonl", "text"]
    );
    // Every event points at an article, and its evidence is in that article's body at its offsets.
    let bodies: BTreeMap<_, _> = articles
        .iter()
        .map(|a| (a["article_id"].clone(), a["body"].clone()))
        .collect();
    for e in &events {
        let body = &bodies[&e["article_id"]];
        let (s, t): (usize, usize) = (
            e["char_start"].parse().expect("start"),
            e["char_end"].parse().expect("end"),
        );
        let quoted = body.get(s..t).expect("offsets on char boundaries");
        assert!(
            e["evidence"].starts_with(quoted.trim()),
            "evidence {:?} vs body {:?}",
            e["evidence"],
            quoted
        );
    }
}

#[test]
fn rebuild_with_other_threads_and_out_is_byte_identical() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("nested/b"));
    let input = repo().join("data/articles");
    run(sitrep()
        .args(["build", "-q", "-j", "1"])
        .arg(&input)
        .arg("-o")
        .arg(&a));
    run(sitrep()
        .args(["build", "-q", "-j", "4"])
        .arg(&input)
        .arg("-o")
        .arg(&b));
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between -j 1 and -j 4");
    }
}

#[test]
fn seeds_build_with_metadata() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("seeds");
    let o = run(sitrep()
        .arg("build")
        .arg(shared.join("seeds"))
        .arg("--metadata")
        .arg(shared.join("eval/seeds.metadata.csv"))
        .arg("-o")
        .arg(&out));
    assert_eq!(o.status.code(), Some(0));
    assert_complete_dataset(&out);
    let articles = csv_rows(&out, "articles");
    assert_eq!(articles.len(), 5);
    let by_file: BTreeMap<_, _> = articles
        .iter()
        .map(|a| (a["source_file"].clone(), a))
        .collect();
    // The metadata CSV gives source and published date.
    let a2 = by_file["002_01e077487e0c8b39.txt"];
    assert_eq!(a2["source"], "AFP");
    assert_eq!(a2["published_date"], "2019-05-13");
    assert_eq!(a2["published_source"], "metadata");
    // 004 states its own date in the text.
    assert_eq!(
        by_file["004_b7d2140178b5259b.txt"]["published_date"],
        "2018-04-16"
    );
    // The gold's boilerplate never reaches a body.
    for a in &articles {
        for junk in [
            "Advertisement",
            "Leave a Reply",
            "Read: ",
            "Recommended news",
            "\u{200b}",
        ] {
            assert!(
                !a["body"].contains(junk),
                "{junk:?} leaked into {}",
                a["source_file"]
            );
        }
    }
}

#[test]
fn each_input_format_becomes_an_article() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("sub")).expect("mkdir");
    let story = "Government forces shelled the town of Maarat al-Numan on Tuesday, killing three civilians, activists said.";
    fs::write(
        input.join("a.txt"),
        format!("Shelling hits Maarat al-Numan\n\n{story}\n"),
    )
    .expect("write");
    fs::write(
        input.join("sub/b.html"),
        format!("<html><head><title>Shelling in Idlib</title><script>var x = 1;</script></head><body><p>{story}</p><p>Rebels &amp; residents fled.</p></body></html>"),
    )
    .expect("write");
    let rec = serde_json::json!({"id": "w-1", "title": "Clashes in Deraa", "text": "Rebels clashed with army troops in Daraa on Monday, leaving five fighters dead.", "published": "2016-03-08", "source": "Wire"});
    fs::write(input.join("c.jsonl"), format!("{rec}\n")).expect("write");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(
        &mut gz,
        format!("Strike in Ariha\n\nWarplanes struck Ariha on Sunday.\n{story}").as_bytes(),
    )
    .expect("gz");
    fs::write(input.join("d.txt.gz"), gz.finish().expect("gz")).expect("write");
    let out = tmp.path().join("out");
    let o = run(sitrep().arg("build").arg(&input).arg("-o").arg(&out));
    assert_eq!(o.status.code(), Some(0));
    let articles = csv_rows(&out, "articles");
    let files: Vec<_> = articles
        .iter()
        .map(|a| (a["source_file"].as_str(), a["format"].as_str()))
        .collect();
    assert_eq!(
        files,
        [
            ("a.txt", "text"),
            ("c.jsonl", "jsonl"),
            ("d.txt.gz", "text"),
            ("sub/b.html", "html")
        ]
    );
    let c = &articles[1];
    assert_eq!(c["external_id"], "w-1");
    assert_eq!(c["title"], "Clashes in Deraa");
    assert_eq!(c["published_date"], "2016-03-08");
    assert_eq!(articles[3]["title"], "Shelling in Idlib");
    assert!(!articles[3]["body"].contains("var x"), "script leaked");
    assert!(articles[3]["body"].contains("Rebels & residents fled."));
}

#[test]
fn rejected_inputs_are_recorded_and_exit_code_is_1() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).expect("mkdir");
    fs::write(
        input.join("good.txt"),
        "Army troops arrested five men in Homs on Monday.\n",
    )
    .expect("write");
    fs::write(input.join("empty.txt"), "").expect("write");
    fs::write(
        input.join("image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    )
    .expect("write");
    fs::write(
        input.join("copy.txt"),
        "Army troops arrested five men in Homs on Monday.\n",
    )
    .expect("write");
    fs::write(
        input.join("w.jsonl"),
        "{\"text\": \"Rebels shelled Jisr al-Shughur.\"}\n{not json\n",
    )
    .expect("write");
    let out = tmp.path().join("out");
    let o = run(sitrep().arg("build").arg(&input).arg("-o").arg(&out));
    assert_eq!(o.status.code(), Some(1));
    let rejects = csv_rows(&out, "rejects");
    let got: Vec<_> = rejects
        .iter()
        .map(|r| (r["input"].as_str(), r["reason"].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("empty.txt", "empty"),
            ("good.txt", "duplicate"),
            ("image.txt", "binary"),
            ("w.jsonl#L2", "malformed_json")
        ]
    );
    assert!(
        rejects[1]["detail"].contains("copy.txt"),
        "a duplicate names what it duplicates"
    );
    let articles = csv_rows(&out, "articles");
    assert_eq!(
        articles.len() + rejects.len(),
        6,
        "articles + rejects account for every input"
    );
}

#[test]
fn a_missing_input_writes_nothing_and_exits_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let o = run(sitrep()
        .arg("build")
        .arg(tmp.path().join("nope"))
        .arg("-o")
        .arg(&out));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    assert!(!out.exists());
}

#[test]
fn a_failed_build_leaves_the_previous_dataset_intact() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let input = repo().join("data/articles");
    run(sitrep()
        .args(["build", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&out));
    let before = files(&out);
    // A build that cannot start (missing input) must not touch it.
    let o = run(sitrep()
        .arg("build")
        .arg(tmp.path().join("missing"))
        .arg("-o")
        .arg(&out));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(files(&out), before);
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "out")
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn help_names_the_commands() {
    let o = run(sitrep().arg("--help"));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("build"));
}

#[test]
fn gazetteer_build_reproduces_the_committed_file() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("gazetteer.tsv");
    let o = run(sitrep()
        .args(["gazetteer", "build", "--sources"])
        .arg(shared.join("gazetteer"))
        .arg("-o")
        .arg(&out));
    assert_eq!(o.status.code(), Some(0));
    let built = fs::read(&out).expect("built gazetteer");
    let committed = fs::read(repo().join("data/gazetteer.tsv")).expect("committed gazetteer");
    assert!(
        built == committed,
        "data/gazetteer.tsv is stale: run `sitrep gazetteer build --sources ../shared/gazetteer`"
    );
}

#[test]
fn diff_reports_changes_with_exit_codes_for_ci() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).expect("mkdir");
    fs::write(
        input.join("a.txt"),
        "Rebels shelled the town of Mhardeh on Monday, killing two civilians.\n",
    )
    .expect("write");
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    run(sitrep()
        .args(["build", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&old));
    fs::write(
        input.join("b.txt"),
        "Government forces arrested 12 men in the town of Tafas on Friday.\n",
    )
    .expect("write");
    run(sitrep()
        .args(["build", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&new));

    let same = run(sitrep()
        .arg("diff")
        .arg(&old)
        .arg(&old)
        .args(["--fail-on", "any"]));
    assert_eq!(
        same.status.code(),
        Some(0),
        "a dataset diffed with itself is empty"
    );
    let changed = run(sitrep().arg("diff").arg(&old).arg(&new).args([
        "--fail-on",
        "added",
        "--format",
        "markdown",
    ]));
    assert_eq!(changed.status.code(), Some(1));
    let text = String::from_utf8_lossy(&changed.stdout);
    assert!(
        text.contains("articles"),
        "markdown names the tables: {text}"
    );
    let removed = run(sitrep()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--fail-on", "removed"]));
    assert_eq!(removed.status.code(), Some(0), "nothing was removed");
    let json = run(sitrep()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"]));
    let parsed: serde_json::Value =
        serde_json::from_slice(&json.stdout).expect("diff --format json is JSON");
    assert!(parsed.is_object());
    let not_a_dataset = run(sitrep().arg("diff").arg(&input).arg(&new));
    assert_eq!(not_a_dataset.status.code(), Some(2));
}

#[test]
fn eval_scores_the_sample_corpus_against_its_gold() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("sample");
    run(sitrep().args(["build", "-q", "-o"]).arg(&out));
    let o = run(sitrep()
        .arg("eval")
        .arg(&out)
        .arg("--gold")
        .arg(repo().join("tests/cases/corpus_expected.toml"))
        .args(["--min-f1", "0.5"]));
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("event_f1="));
}

#[test]
fn jsonl_records_sharing_an_id_are_both_kept_with_distinct_keys() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("w.jsonl");
    fs::write(
        &input,
        "{\"id\":\"x\",\"text\":\"Rebels shelled Mhardeh on Monday.\"}\n{\"id\":\"x\",\"text\":\"Army troops arrested five men in Tafas on Friday.\"}\n",
    )
    .expect("write");
    let out = tmp.path().join("out");
    let o = run(sitrep().arg("build").arg(&input).arg("-o").arg(&out));
    assert_eq!(o.status.code(), Some(0));
    let articles = csv_rows(&out, "articles");
    assert_eq!(articles.len(), 2);
    assert_ne!(articles[0]["article_id"], articles[1]["article_id"]);
    assert!(articles.iter().all(|a| a["external_id"] == "x"));
}

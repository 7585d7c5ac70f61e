//! The dataset writer: Parquet and CSV hold the rows they were given (nulls,
//! Unicode, quotes, commas, newlines, dates), equal inputs give equal bytes,
//! streaming in batches keeps the rows, and a failed build leaves the
//! previous dataset untouched with no temporary folder behind.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use arrow_array::Array;
use chrono::NaiveDate;
use sitrep::tables::rows::*;
use sitrep::tables::{ALL_TABLES, Column, Table, Value, defs};
use sitrep::write::{DatasetWriter, ManifestInfo, read_parquet_table};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn articles() -> Vec<ArticleRow> {
    vec![
        ArticleRow {
            article_id: "a1".into(),
            source_file: "news/2016/aleppo.txt".into(),
            line: None,
            external_id: None,
            format: "text",
            url: Some("https://example.org/a?x=1,2".into()),
            source: Some("Example Wire".into()),
            title: Some("Shelling hits \"old city\", residents flee".into()),
            published_date: date(2016, 8, 3),
            published_source: Some("text"),
            dateline: Some("BEIRUT".into()),
            body: "First paragraph, with a comma.\n\nSecond paragraph: \"quoted\" words.\r\nA CR-LF line."
                .into(),
            captions: None,
            n_chars_raw: 120,
            n_chars_clean: 80,
            n_sentences: 3,
            n_events: 2,
            content_sha256: "ab".repeat(32),
            decode_notes: None,
        },
        ArticleRow {
            article_id: "a2".into(),
            source_file: "feed.jsonl".into(),
            line: Some(7),
            external_id: Some("rec-7".into()),
            format: "jsonl",
            url: None,
            source: None,
            title: Some("حلب: اشتباكات عنيفة".into()),
            published_date: None,
            published_source: None,
            dateline: None,
            body: "Unicode: Ḥalab, Dayr az-Zawr, Idlib — “curly” quotes, emoji 🕊️.".into(),
            captions: Some("A caption\nanother, with comma".into()),
            n_chars_raw: 64,
            n_chars_clean: 60,
            n_sentences: 1,
            n_events: 1,
            content_sha256: "cd".repeat(32),
            decode_notes: Some("bom;mojibake".into()),
        },
    ]
}

fn event(id: &str, article: &str, loc: Option<&str>, i: i64) -> EventRow {
    EventRow {
        event_id: id.into(),
        article_id: article.into(),
        event_type: "Explosions/Remote violence",
        sub_event_type: "Shelling/artillery/missile attack",
        event_date: date(2016, 8, 2),
        event_date_end: if i % 2 == 0 { None } else { date(2016, 8, 4) },
        date_precision: "day",
        date_text: Some("on Tuesday".into()),
        location_id: loc.map(str::to_string),
        location_text: loc.map(|_| "Aleppo".to_string()),
        fatalities: if i % 3 == 0 { None } else { Some(i) },
        fatalities_low: Some(i),
        fatalities_high: Some(i + 2),
        fatalities_qualifier: "at_least",
        injured: None,
        is_aggregate: i % 2 == 0,
        modality: "asserted",
        evidence: format!("At least {i} people were killed, \"residents\" said,\nin shelling."),
        char_start: i * 10,
        char_end: i * 10 + 9,
        n_mentions: 1,
        confidence: 0.1 + (i as f64) / 7.0,
    }
}

fn events() -> Vec<EventRow> {
    vec![
        event("e1", "a1", Some("loc1"), 1),
        event("e2", "a1", None, 2),
        event("e3", "a2", Some("loc2"), 3),
    ]
}

fn mentions() -> Vec<EventMentionRow> {
    vec![
        EventMentionRow {
            event_id: "e1".into(),
            seq: 0,
            char_start: 10,
            char_end: 19,
            trigger: Some("shelling".into()),
            text: "Shelling, then \"silence\".".into(),
        },
        EventMentionRow {
            event_id: "e1".into(),
            seq: 1,
            char_start: 30,
            char_end: 39,
            trigger: None,
            text: "Line one\nline two".into(),
        },
    ]
}

fn actors() -> Vec<ActorRow> {
    vec![
        ActorRow {
            actor_id: "ac1".into(),
            name: "Military Forces of Syria (2000-2024)".into(),
            kind: "state_forces",
            country: Some("SY".into()),
            allegiance: None,
        },
        ActorRow {
            actor_id: "ac2".into(),
            name: "Civilians (Syria)".into(),
            kind: "civilians",
            country: None,
            allegiance: Some("n/a, none".into()),
        },
    ]
}

fn event_actors() -> Vec<EventActorRow> {
    vec![
        EventActorRow {
            event_id: "e1".into(),
            actor_id: "ac1".into(),
            role: "actor1",
            actor_text: Some("government forces".into()),
        },
        EventActorRow {
            event_id: "e1".into(),
            actor_id: "ac2".into(),
            role: "actor2",
            actor_text: None,
        },
    ]
}

fn locations() -> Vec<LocationRow> {
    vec![
        LocationRow {
            location_id: "loc1".into(),
            name: "Aleppo".into(),
            admin1: Some("Aleppo".into()),
            admin2: Some("Jabal Saman".into()),
            country: "SY".into(),
            latitude: Some(36.20124),
            longitude: Some(37.16117),
            feature: "city".into(),
            precision: "place",
            geonames_id: Some(170063),
            gazetteer_id: None,
            gazetteer_source: Some("geonames".into()),
        },
        LocationRow {
            location_id: "loc2".into(),
            name: "Ghouta".into(),
            admin1: Some("Rif Dimashq".into()),
            admin2: None,
            country: "SY".into(),
            latitude: None,
            longitude: None,
            feature: "region".into(),
            precision: "region",
            geonames_id: None,
            gazetteer_id: None,
            gazetteer_source: Some("curated".into()),
        },
    ]
}

fn event_locations() -> Vec<EventLocationRow> {
    vec![EventLocationRow {
        event_id: "e1".into(),
        location_id: "loc1".into(),
        is_primary: true,
        location_text: Some("Aleppo's old city".into()),
    }]
}

fn rejects() -> Vec<RejectRow> {
    vec![RejectRow {
        input: "bad, name \"x\".bin".into(),
        reason: "binary",
        detail: "NUL bytes at offset 12".into(),
    }]
}

/// Every table of the sample, in one batch each.
fn sample_tables() -> Vec<Table> {
    vec![
        Table::from_rows(articles()),
        Table::from_rows(events()),
        Table::from_rows(mentions()),
        Table::from_rows(actors()),
        Table::from_rows(event_actors()),
        Table::from_rows(locations()),
        Table::from_rows(event_locations()),
        Table::from_rows(rejects()),
    ]
}

fn info() -> ManifestInfo {
    ManifestInfo {
        input_fingerprint: "f".repeat(64),
        n_inputs: 3,
    }
}

fn write(out: &Path, tables: &[Table]) {
    let mut w = DatasetWriter::create(out).expect("create");
    for t in tables {
        w.append(t).expect("append");
    }
    let written = w.finish(&info()).expect("finish");
    assert_eq!(written.rows.len(), ALL_TABLES.len());
}

fn read_all(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for e in fs::read_dir(dir).expect("read_dir") {
        let e = e.expect("entry");
        files.insert(
            e.file_name().to_string_lossy().into_owned(),
            fs::read(e.path()).expect("read"),
        );
    }
    files
}

/// The CSV text a cell must have.
fn csv_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Num(x) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

#[test]
fn parquet_and_csv_hold_the_rows() {
    let root = tempfile::tempdir().expect("tempdir");
    let out = root.path().join("dataset");
    let tables = sample_tables();
    write(&out, &tables);
    if let Ok(keep) = std::env::var("SITREP_WRITE_SAMPLE") {
        // For checking the output with Python tools (frictionless, pandas,
        // DuckDB, polars) by hand: the sample, and a dataset with no rows.
        write(Path::new(&keep), &tables);
        write(Path::new(&format!("{keep}-empty")), &[]);
    }

    for t in &tables {
        let name = t.def.name;
        // Parquet.
        let back = read_parquet_table(&out.join(format!("{name}.parquet"))).expect("read parquet");
        assert_eq!(back.table.as_deref(), Some(name));
        assert_eq!(
            back.schema_version.as_deref(),
            Some(sitrep::tables::SCHEMA_VERSION)
        );
        for (field, col) in t.def.fields.iter().zip(&t.columns) {
            assert_eq!(back.column(field.name), Some(col), "{name}.{}", field.name);
        }
        // CSV.
        let mut rdr = csv::Reader::from_path(out.join(format!("{name}.csv"))).expect("csv");
        let header: Vec<String> = rdr
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        let names: Vec<&str> = t.def.fields.iter().map(|f| f.name).collect();
        assert_eq!(header, names, "{name} header");
        let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("record")).collect();
        assert_eq!(records.len(), t.num_rows(), "{name} rows");
        for (i, rec) in records.iter().enumerate() {
            for (j, col) in t.columns.iter().enumerate() {
                assert_eq!(
                    rec.get(j).map(String::from),
                    Some(csv_text(&col.get(i))),
                    "{name} row {i} col {j}"
                );
            }
        }
    }

    // Tables never appended exist, empty, and every table has both files.
    for def in ALL_TABLES {
        assert!(out.join(format!("{}.parquet", def.name)).is_file());
        assert!(out.join(format!("{}.csv", def.name)).is_file());
    }

    // The datapackage is the committed schema's, and the manifest lists every other file.
    let dp = fs::read_to_string(out.join("datapackage.json")).expect("datapackage");
    assert_eq!(dp, sitrep::write::datapackage::datapackage_json());
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["tables"]["events"]["rows"], 3);
    assert_eq!(manifest["n_inputs"], 3);
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    let mut on_disk: Vec<String> = read_all(&out)
        .into_keys()
        .filter(|n| n != "manifest.json")
        .collect();
    on_disk.sort();
    assert_eq!(listed, on_disk);
    for f in manifest["files"].as_array().expect("files") {
        let bytes = fs::read(out.join(f["name"].as_str().expect("name"))).expect("read");
        assert_eq!(f["bytes"], bytes.len());
        use sha2::Digest;
        assert_eq!(f["sha256"], hex::encode(sha2::Sha256::digest(&bytes)));
    }
    let text = fs::read_to_string(out.join("manifest.json")).expect("manifest");
    assert!(
        !text.contains(root.path().to_string_lossy().as_ref()),
        "no absolute path"
    );

    // No temporary folder is left beside the dataset.
    let left: Vec<String> = fs::read_dir(root.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["dataset"]);
}

#[test]
fn locations_parquet_is_geoparquet() {
    let root = tempfile::tempdir().expect("tempdir");
    let out = root.path().join("ds");
    write(&out, &sample_tables());
    let file = fs::File::open(out.join("locations.parquet")).expect("open");
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("reader");
    let kv = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .cloned()
        .unwrap_or_default();
    let geo = kv
        .iter()
        .find(|k| k.key == "geo")
        .and_then(|k| k.value.clone())
        .expect("geo metadata");
    let geo: serde_json::Value = serde_json::from_str(&geo).expect("json");
    assert_eq!(geo["version"], "1.1.0");
    assert_eq!(geo["primary_column"], "geometry");
    assert_eq!(geo["columns"]["geometry"]["encoding"], "WKB");
    let batches: Vec<_> = builder
        .build()
        .expect("build")
        .map(|b| b.expect("batch"))
        .collect();
    let g = batches[0].column_by_name("geometry").expect("geometry");
    let g = g
        .as_any()
        .downcast_ref::<arrow_array::BinaryArray>()
        .expect("binary");
    assert_eq!(g.len(), 2);
    assert_eq!(
        g.value(0),
        sitrep::write::geo::wkb_point(37.16117, 36.20124)
    );
    assert!(
        arrow_array::Array::is_null(g, 1),
        "no coordinates, no point"
    );
    // The geometry column is only in Parquet.
    let header = fs::read_to_string(out.join("locations.csv")).expect("csv");
    assert!(!header.lines().next().expect("header").contains("geometry"));
    // The descriptions travel in the Arrow field metadata.
    let schema = batches[0].schema();
    let lat = schema.field_with_name("latitude").expect("latitude");
    assert_eq!(
        lat.metadata().get("description").map(String::as_str),
        Some(defs::LOCATIONS.fields[5].description)
    );
}

#[test]
fn equal_inputs_give_equal_bytes_and_batches_keep_rows() {
    let root = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        root.path().join("a"),
        root.path().join("b"),
        root.path().join("c"),
    );
    write(&a, &sample_tables());
    write(&b, &sample_tables());
    assert_eq!(read_all(&a), read_all(&b), "two writes, same bytes");

    // The same rows in several batches (one row at a time).
    let mut batches = Vec::new();
    for t in sample_tables() {
        for i in 0..t.num_rows() {
            let mut one = Table::new(t.def);
            one.push_values(t.columns.iter().map(|c| c.get(i)).collect());
            batches.push(one);
        }
    }
    write(&c, &batches);
    for def in ALL_TABLES {
        let csv = format!("{}.csv", def.name);
        assert_eq!(
            fs::read(a.join(&csv)).expect("a"),
            fs::read(c.join(&csv)).expect("c"),
            "{csv}"
        );
        let pa = read_parquet_table(&a.join(format!("{}.parquet", def.name))).expect("a");
        let pc = read_parquet_table(&c.join(format!("{}.parquet", def.name))).expect("c");
        assert_eq!(pa, pc, "{} rows", def.name);
    }
}

#[test]
fn rewriting_replaces_a_dataset_and_failure_leaves_it_intact() {
    let root = tempfile::tempdir().expect("tempdir");
    let out = root.path().join("ds");
    write(&out, &sample_tables());
    let before = read_all(&out);

    // A second build replaces the first.
    let fewer: Vec<Table> = vec![Table::from_rows(rejects())];
    write(&out, &fewer);
    assert_ne!(read_all(&out), before);
    assert_eq!(
        fs::read_to_string(out.join("events.csv"))
            .expect("events")
            .lines()
            .count(),
        1,
        "header only"
    );
    write(&out, &sample_tables());
    assert_eq!(read_all(&out), before);

    // A failing append (a null in a required column) stops the build: the old dataset stays.
    let mut bad = Table::new(&defs::REJECTS);
    bad.push_values(vec![Value::Null, Value::from("empty"), Value::from("x")]);
    let mut w = DatasetWriter::create(&out).expect("create");
    w.append(&Table::from_rows(articles())).expect("append");
    let err = w.append(&bad).expect_err("null in a required column");
    assert!(err.to_string().contains("rejects.input"), "{err}");
    assert!(
        w.finish(&info()).is_err(),
        "no commit after a failed append"
    );
    assert_eq!(read_all(&out), before);
    let left: Vec<String> = fs::read_dir(root.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["ds"], "no temporary folder left");

    // A writer dropped without finish (a crash or early return) leaves nothing either.
    let mut w = DatasetWriter::create(&out).expect("create");
    w.append(&Table::from_rows(events())).expect("append");
    drop(w);
    assert_eq!(read_all(&out), before);
    assert_eq!(fs::read_dir(root.path()).expect("read_dir").count(), 1);
}

#[test]
fn refuses_to_replace_a_folder_that_is_not_a_dataset() {
    let root = tempfile::tempdir().expect("tempdir");
    let out = root.path().join("thesis");
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join("chapter1.md"), "my work").expect("write");
    let err = DatasetWriter::create(&out).err().expect("refused");
    let msg = err.to_string();
    assert!(msg.contains("pick another"), "{msg}");
    assert_eq!(
        fs::read_to_string(out.join("chapter1.md")).expect("kept"),
        "my work"
    );
    assert_eq!(fs::read_dir(root.path()).expect("read_dir").count(), 1);

    // An empty folder is fine.
    let empty = root.path().join("empty");
    fs::create_dir(&empty).expect("mkdir");
    write(&empty, &sample_tables());
    assert!(empty.join("manifest.json").is_file());
}

/// Writes 1M event rows to Parquet and CSV and prints the time:
/// `CARGO_PROFILE_DEV_OPT_LEVEL=2 cargo test --test write_roundtrip bench -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_one_million_events() {
    let root = tempfile::tempdir().expect("tempdir");
    let out = root.path().join("big");
    let n: i64 = 1_000_000;
    let batch = 10_000;
    let start = std::time::Instant::now();
    let mut w = DatasetWriter::create(&out).expect("create");
    let mut built = std::time::Duration::ZERO;
    for b in 0..(n / batch) {
        let t0 = std::time::Instant::now();
        let rows: Vec<EventRow> = (0..batch)
            .map(|i| {
                let k = b * batch + i;
                event(&format!("{k:016x}"), "a1", None, k)
            })
            .collect();
        let table = Table::from_rows(rows);
        built += t0.elapsed();
        w.append(&table).expect("append");
    }
    let written = w.finish(&info()).expect("finish");
    let total = start.elapsed();
    let size = |f: &str| {
        written
            .files
            .iter()
            .find(|d| d.name == f)
            .map_or(0, |d| d.bytes)
    };
    println!(
        "1M events: {:.2} s total ({:.2} s building rows, {:.2} s writing); events.parquet {} MB, events.csv {} MB",
        total.as_secs_f64(),
        built.as_secs_f64(),
        (total - built).as_secs_f64(),
        size("events.parquet") >> 20,
        size("events.csv") >> 20
    );
    let back = read_parquet_table(&out.join("events.parquet")).expect("read");
    assert_eq!(back.num_rows(), n as usize);
    assert!(matches!(back.column("event_date"), Some(Column::Date(_))));
}

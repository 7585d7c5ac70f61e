//! Benchmark of `sitrep diff`: writes two synthetic events-only datasets
//! (the real `events` schema; default 1,000,000 rows each, 1% of rows
//! changed, 0.1% removed and 0.1% added) as zstd Parquet with arrow-rs, then
//! times [`sitrep::diff::diff_datasets`] on them and prints the figure.
//!
//! ```text
//! cargo run --release --example diff_bench -- [ROWS] [FOLDER]
//! ```
//! The datasets are kept in FOLDER (default: the system temp folder's
//! `sitrep-diff-bench-ROWS`) and reused by later runs.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use sitrep::diff::{DiffOptions, FailOn, diff_datasets, exit_code, render_markdown};
use sitrep::tables::defs::EVENTS;
use sitrep::tables::{FieldType, SCHEMA_VERSION};

const BATCH: usize = 65_536;

/// A small deterministic generator (splitmix64).
fn rnd(seed: u64) -> u64 {
    let mut x = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

const WORDS: &[&str] = &[
    "warplanes",
    "struck",
    "the",
    "town",
    "of",
    "killing",
    "civilians",
    "shelling",
    "hit",
    "village",
    "near",
    "rebel",
    "positions",
    "government",
    "forces",
    "clashed",
    "with",
    "fighters",
    "on",
    "Tuesday",
    "monitor",
    "said",
];

/// Event `id`'s cell for field `f`; `version` > 0 alters the row (a "changed" event).
fn cell(f: usize, id: u64, version: u64) -> String {
    let r = rnd(id * 131 + f as u64);
    match EVENTS.fields[f].name {
        "event_id" => format!("ev{id:012x}"),
        "article_id" => format!("ar{:010x}", id / 3),
        "evidence" => {
            let mut s = String::with_capacity(160);
            for k in 0..22 {
                s.push_str(WORDS[(rnd(r + k) % WORDS.len() as u64) as usize]);
                s.push(' ');
            }
            s.push_str(&id.to_string());
            if version > 0 {
                s.push_str(" (updated)");
            }
            s
        }
        "event_type" => "Explosions/Remote violence".to_string(),
        "sub_event_type" => "Air/drone strike".to_string(),
        "date_precision" => "day".to_string(),
        "fatalities_qualifier" => "exact".to_string(),
        "modality" => "asserted".to_string(),
        "location_id" => format!("loc{:04}", r % 3000),
        _ => format!("t{}", r % 1000),
    }
}

fn column(f: usize, ids: &[u64], changed: &dyn Fn(u64) -> bool) -> ArrayRef {
    let def = &EVENTS.fields[f];
    let num = |id: u64| {
        let base = rnd(id * 131 + f as u64) % 40;
        // A changed event gets one more fatality.
        base + u64::from(def.name == "fatalities" && changed(id))
    };
    match def.ty {
        FieldType::String => Arc::new(StringArray::from_iter_values(ids.iter().map(|&id| {
            let v = u64::from(def.name == "evidence" && changed(id) && id % 2 == 0);
            cell(f, id, v)
        }))),
        FieldType::Integer => Arc::new(Int64Array::from_iter_values(
            ids.iter().map(|&id| num(id) as i64),
        )),
        FieldType::Number => Arc::new(Float64Array::from_iter_values(
            ids.iter().map(|&id| (num(id) as f64) / 40.0),
        )),
        FieldType::Boolean => Arc::new(BooleanArray::from(
            ids.iter().map(|&id| num(id) % 7 == 0).collect::<Vec<_>>(),
        )),
        FieldType::Date => Arc::new(Date32Array::from_iter_values(
            ids.iter().map(|&id| 19_000 + (num(id) as i32) * 9),
        )),
    }
}

fn arrow_type(t: FieldType) -> DataType {
    match t {
        FieldType::String => DataType::Utf8,
        FieldType::Integer => DataType::Int64,
        FieldType::Number => DataType::Float64,
        FieldType::Boolean => DataType::Boolean,
        FieldType::Date => DataType::Date32,
    }
}

fn write_events(dir: &Path, ids: &[u64], changed: &dyn Fn(u64) -> bool) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let schema = Arc::new(Schema::new(
        EVENTS
            .fields
            .iter()
            .map(|f| Field::new(f.name, arrow_type(f.ty), !f.required))
            .collect::<Vec<_>>(),
    ));
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).expect("level")))
        .build();
    let file = File::create(dir.join("events.parquet")).expect("create");
    let mut w = ArrowWriter::try_new(file, schema.clone(), Some(props)).expect("writer");
    for chunk in ids.chunks(BATCH) {
        let cols: Vec<ArrayRef> = (0..EVENTS.fields.len())
            .map(|f| column(f, chunk, changed))
            .collect();
        w.write(&RecordBatch::try_new(schema.clone(), cols).expect("batch"))
            .expect("write");
    }
    w.close().expect("close");
    let fields: Vec<serde_json::Value> = EVENTS
        .fields
        .iter()
        .map(|f| serde_json::json!({"name": f.name, "type": f.ty.frictionless()}))
        .collect();
    let dp = serde_json::json!({
        "name": "sitrep-bench",
        "resources": [{
            "name": "events",
            "path": "events.csv",
            "sitrep:parquet": "events.parquet",
            "schema": {"fields": fields, "primaryKey": EVENTS.primary_key},
        }]
    });
    std::fs::write(dir.join("datapackage.json"), dp.to_string()).expect("dp");
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::json!({"schema_version": SCHEMA_VERSION}).to_string(),
    )
    .expect("manifest");
}

fn load_events(dir: &Path) -> usize {
    let ds = sitrep::diff::read::open(dir).expect("open");
    let spec = ds.table("events").expect("events");
    sitrep::diff::read::load_table(dir, spec)
        .expect("load")
        .num_rows
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let root = args.get(1).map_or_else(
        || std::env::temp_dir().join(format!("sitrep-diff-bench-{n}")),
        PathBuf::from,
    );
    let (old, new) = (root.join("old"), root.join("new"));
    // 1% changed (id % 100 == 7), 0.1% removed (id % 1000 == 3), 0.1% added (ids n..n+n/1000).
    let changed = |id: u64| id % 100 == 7;
    if !root.join("done").exists() {
        let t = Instant::now();
        let old_ids: Vec<u64> = (0..n).collect();
        let new_ids: Vec<u64> = (0..n)
            .filter(|id| id % 1000 != 3)
            .chain(n..n + n / 1000)
            .collect();
        write_events(&old, &old_ids, &|_| false);
        write_events(&new, &new_ids, &changed);
        std::fs::write(root.join("done"), "").expect("marker");
        eprintln!(
            "wrote {} + {} events to {} in {:.1} s",
            old_ids.len(),
            new_ids.len(),
            root.display(),
            t.elapsed().as_secs_f64()
        );
    }

    // Reading alone, to tell reading from comparing.
    let t = Instant::now();
    let (a, b) = rayon::join(|| load_events(&old), || load_events(&new));
    println!(
        "reading both ({} + {} rows): {:.2} s",
        a,
        b,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let opts = DiffOptions {
        tables: Vec::new(),
        limit: 20,
    };
    let diff = diff_datasets(&old, &new, &opts).expect("diff");
    let secs = t.elapsed().as_secs_f64();
    let ev = diff.table("events").expect("events table");
    let expect_changed = (0..n).filter(|id| changed(*id) && id % 1000 != 3).count();
    println!(
        "diff of {n} vs {} events: {} added, {} removed, {} changed, {} unchanged in {secs:.2} s",
        ev.added + ev.changed + ev.unchanged,
        ev.added,
        ev.removed,
        ev.changed,
        ev.unchanged
    );
    assert_eq!(ev.changed, expect_changed, "changed count");
    assert_eq!(ev.removed, (0..n).filter(|id| id % 1000 == 3).count());
    assert_eq!(ev.added as u64, n / 1000);
    assert_eq!(exit_code(&diff, FailOn::Removed), 1);
    let t = Instant::now();
    let md = render_markdown(&diff, 5);
    println!(
        "markdown ({} bytes) rendered in {:.3} s",
        md.len(),
        t.elapsed().as_secs_f64()
    );
}

//! Tests of `sitrep::diff` on small datasets written here with arrow-rs
//! (independent of sitrep's own writer): property tests (a dataset diffed
//! with itself is empty; diff(X, Y) mirrors diff(Y, X); changing one row
//! changes only that row), errors, schema changes and the renderers.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use proptest::prelude::*;
use sitrep::diff::{
    DiffError, DiffOptions, FailOn, SchemaChange, TableStatus, diff_datasets, exit_code,
    render_json, render_markdown, render_text,
};
use sitrep::tables::Value;

// ---------------------------------------------------------------------------
// A tiny dataset writer for tests.

#[derive(Debug, Clone)]
struct TestTable {
    name: String,
    /// (name, frictionless type)
    fields: Vec<(String, String)>,
    pk: Vec<String>,
    rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone)]
struct TestDataset {
    version: String,
    tables: Vec<TestTable>,
}

fn column(ty: &str, cells: Vec<&Value>) -> ArrayRef {
    match ty {
        "integer" => Arc::new(Int64Array::from(
            cells
                .iter()
                .map(|v| match v {
                    Value::Int(i) => Some(*i),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )),
        "number" => Arc::new(Float64Array::from(
            cells
                .iter()
                .map(|v| match v {
                    Value::Num(x) => Some(*x),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )),
        "boolean" => Arc::new(BooleanArray::from(
            cells
                .iter()
                .map(|v| match v {
                    Value::Bool(b) => Some(*b),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )),
        "date" => {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
            Arc::new(Date32Array::from(
                cells
                    .iter()
                    .map(|v| match v {
                        Value::Date(d) => Some((*d - epoch).num_days() as i32),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ))
        }
        _ => Arc::new(StringArray::from(
            cells
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )),
    }
}

fn arrow_type(ty: &str) -> DataType {
    match ty {
        "integer" => DataType::Int64,
        "number" => DataType::Float64,
        "boolean" => DataType::Boolean,
        "date" => DataType::Date32,
        _ => DataType::Utf8,
    }
}

fn csv_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Num(x) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
    }
}

/// Writes `ds` into `dir`: datapackage.json, manifest.json and, per table, a Parquet
/// file (or only a CSV file when `csv_only`).
fn write_dataset(dir: &Path, ds: &TestDataset, csv_only: bool) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut resources = Vec::new();
    for t in &ds.tables {
        resources.push(serde_json::json!({
            "name": t.name,
            "path": format!("{}.csv", t.name),
            "sitrep:parquet": format!("{}.parquet", t.name),
            "schema": {
                "fields": t.fields.iter().map(|(n, ty)| serde_json::json!({"name": n, "type": ty})).collect::<Vec<_>>(),
                "primaryKey": t.pk,
            }
        }));
        if csv_only {
            let mut w = csv::Writer::from_path(dir.join(format!("{}.csv", t.name))).expect("csv");
            w.write_record(t.fields.iter().map(|f| f.0.as_str()))
                .expect("header");
            for r in &t.rows {
                w.write_record(r.iter().map(csv_cell)).expect("row");
            }
            w.flush().expect("flush");
            continue;
        }
        let schema = Arc::new(Schema::new(
            t.fields
                .iter()
                .map(|(n, ty)| Field::new(n, arrow_type(ty), true))
                .collect::<Vec<_>>(),
        ));
        let columns: Vec<ArrayRef> = t
            .fields
            .iter()
            .enumerate()
            .map(|(k, (_, ty))| column(ty, t.rows.iter().map(|r| &r[k]).collect()))
            .collect();
        let batch = RecordBatch::try_new(schema.clone(), columns).expect("batch");
        let file = File::create(dir.join(format!("{}.parquet", t.name))).expect("create");
        let mut w = ArrowWriter::try_new(file, schema, None).expect("writer");
        w.write(&batch).expect("write");
        w.close().expect("close");
    }
    let dp = serde_json::json!({"name": "test", "resources": resources});
    std::fs::write(
        dir.join("datapackage.json"),
        serde_json::to_string_pretty(&dp).expect("json"),
    )
    .expect("write dp");
    let manifest = serde_json::json!({"schema_version": ds.version});
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).expect("write manifest");
}

fn fields(spec: &[(&str, &str)]) -> Vec<(String, String)> {
    spec.iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

const EVENT_FIELDS: &[(&str, &str)] = &[
    ("event_id", "string"),
    ("event_type", "string"),
    ("sub_event_type", "string"),
    ("event_date", "date"),
    ("location_id", "string"),
    ("fatalities", "integer"),
    ("is_aggregate", "boolean"),
    ("evidence", "string"),
    ("confidence", "number"),
];

fn s(x: &str) -> Value {
    Value::Str(x.to_string())
}

fn date(d: u32) -> Value {
    Value::Date(NaiveDate::from_ymd_opt(2024, 3, d).expect("date"))
}

fn event(id: &str, fatalities: Option<i64>, loc: &str, evidence: &str) -> Vec<Value> {
    vec![
        s(id),
        s("Explosions/Remote violence"),
        s("Air/drone strike"),
        date(5),
        s(loc),
        fatalities.map_or(Value::Null, Value::Int),
        Value::Bool(false),
        s(evidence),
        Value::Num(0.8),
    ]
}

fn locations() -> TestTable {
    TestTable {
        name: "locations".into(),
        fields: fields(&[("location_id", "string"), ("name", "string")]),
        pk: vec!["location_id".into()],
        rows: vec![
            vec![s("L1"), s("Saraqib")],
            vec![s("L2"), s("Maarat al-Numan")],
        ],
    }
}

fn sample() -> TestDataset {
    TestDataset {
        version: "1.0.0".into(),
        tables: vec![
            TestTable {
                name: "events".into(),
                fields: fields(EVENT_FIELDS),
                pk: vec!["event_id".into()],
                rows: vec![
                    event(
                        "e1",
                        Some(3),
                        "L1",
                        "Warplanes struck a market in the town on Tuesday, killing three people.",
                    ),
                    event("e2", None, "L2", "Shelling hit the outskirts overnight."),
                    event("e3", Some(0), "L1", "A drone strike hit a checkpoint."),
                ],
            },
            locations(),
        ],
    }
}

fn all() -> DiffOptions {
    DiffOptions::default()
}

// ---------------------------------------------------------------------------
// Examples

#[test]
fn identical_datasets_have_no_differences() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_dataset(&a, &sample(), false);
    write_dataset(&b, &sample(), false);
    let d = diff_datasets(&a, &b, &all()).expect("diff");
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(d.totals().unchanged, 5);
    for f in FailOn::ALL {
        assert_eq!(exit_code(&d, f), 0, "{f:?}");
    }
    assert!(render_text(&d, 10).contains("No differences"));
}

#[test]
fn changed_added_removed_events_are_reported_readably() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let old = sample();
    let mut new = sample();
    new.tables[0].rows[0][5] = Value::Int(4); // e1: 3 -> 4 killed
    new.tables[0].rows.remove(1); // e2 removed
    new.tables[0].rows.push(event(
        "e0",
        Some(7),
        "L2",
        "Seven <b>civilians</b> | were killed when a barrel bomb fell.",
    ));
    write_dataset(&a, &old, false);
    write_dataset(&b, &new, false);
    let d = diff_datasets(&a, &b, &all()).expect("diff");
    let ev = d.table("events").expect("events");
    assert_eq!(
        (ev.added, ev.removed, ev.changed, ev.unchanged),
        (1, 1, 1, 1)
    );
    assert_eq!(ev.changed_fields, vec![("fatalities".to_string(), 1)]);
    let ch = &ev.changed_rows[0];
    assert_eq!(ch.key, vec![s("e1")]);
    assert_eq!(ch.changes.len(), 1);
    assert_eq!(
        (ch.changes[0].old.clone(), ch.changes[0].new.clone()),
        (Value::Int(3), Value::Int(4))
    );
    let summary = ch.summary.as_deref().expect("summary");
    assert!(
        summary.contains("Air/drone strike")
            && summary.contains("2024-03-05")
            && summary.contains("Saraqib")
            && summary.contains("4 killed"),
        "{summary}"
    );
    // A removed event is summarised from the old dataset.
    let removed = &ev.removed_rows[0];
    assert_eq!(removed.key, vec![s("e2")]);
    assert!(
        removed
            .summary
            .as_deref()
            .is_some_and(|s| s.contains("Maarat al-Numan") && s.contains("fatalities unknown"))
    );
    assert_eq!(ev.added_rows[0].row.len(), EVENT_FIELDS.len());

    assert!(d.fails(FailOn::Any) && d.fails(FailOn::Added));
    assert!(d.fails(FailOn::Removed) && d.fails(FailOn::Changed));
    assert!(!d.fails(FailOn::None));
    assert_eq!(exit_code(&d, FailOn::Removed), 1);

    let text = render_text(&d, 10);
    assert!(text.contains("fatalities: 3 -> 4"), "{text}");
    assert!(text.contains("- event_id=e2"), "{text}");
    let md = render_markdown(&d, 10);
    assert!(md.contains("| events | 1 | 1 | 1 | 1 |"), "{md}");
    assert!(
        md.contains("<details>") && md.contains("</details>"),
        "{md}"
    );
    assert!(
        !md.contains("<b>civilians"),
        "cell HTML must be escaped: {md}"
    );
    let json: serde_json::Value = serde_json::from_str(&render_json(&d, usize::MAX)).expect("json");
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["summary"]["changed"], 1);
    let t = &json["tables"][0];
    assert_eq!(t["table"], "events");
    assert_eq!(t["changed_rows"][0]["changes"][0]["old"], 3);
    assert_eq!(t["removed_rows"][0]["row"]["event_date"], "2024-03-05");
    // Deterministic output.
    let again = diff_datasets(&a, &b, &all()).expect("diff");
    assert_eq!(render_json(&d, usize::MAX), render_json(&again, usize::MAX));
    assert_eq!(render_markdown(&d, 10), render_markdown(&again, 10));
}

#[test]
fn limit_truncates_lists_but_not_counts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let old = sample();
    let mut new = sample();
    for r in &mut new.tables[0].rows {
        r[8] = Value::Num(0.5);
    }
    write_dataset(&a, &old, false);
    write_dataset(&b, &new, false);
    let opts = DiffOptions {
        tables: vec!["events".into()],
        limit: 2,
    };
    let d = diff_datasets(&a, &b, &opts).expect("diff");
    assert_eq!(d.tables.len(), 1);
    let ev = &d.tables[0];
    assert_eq!(ev.changed, 3);
    assert_eq!(ev.changed_rows.len(), 2);
    assert_eq!(ev.changed_rows[0].key, vec![s("e1")]);
    assert!(ev.truncated());
    assert!(render_text(&d, 1).contains("and 2 more changed"));
}

#[test]
fn unknown_table_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    write_dataset(&a, &sample(), false);
    let opts = DiffOptions {
        tables: vec!["nope".into()],
        limit: 5,
    };
    let err = diff_datasets(&a, &a, &opts).expect_err("unknown");
    assert!(matches!(err, DiffError::UnknownTable { .. }), "{err}");
}

#[test]
fn not_a_dataset_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    write_dataset(&a, &sample(), false);
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let err = diff_datasets(&a, &empty, &all()).expect_err("not a dataset");
    assert!(matches!(err, DiffError::NotADataset { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("not a sitrep dataset") && msg.contains("datapackage.json"),
        "{msg}"
    );
    let missing = tmp.path().join("missing");
    let err = diff_datasets(&missing, &a, &all()).expect_err("missing");
    assert!(err.to_string().contains("does not exist"), "{err}");
    // Broken JSON.
    let broken = tmp.path().join("broken");
    std::fs::create_dir_all(&broken).expect("mkdir");
    std::fs::write(broken.join("datapackage.json"), "{not json").expect("write");
    let err = diff_datasets(&a, &broken, &all()).expect_err("broken");
    assert!(err.to_string().contains("not valid JSON"), "{err}");
    // A resource whose path leaves the folder.
    let sneaky = tmp.path().join("sneaky");
    write_dataset(&sneaky, &sample(), false);
    let dp = std::fs::read_to_string(sneaky.join("datapackage.json")).expect("read");
    std::fs::write(
        sneaky.join("datapackage.json"),
        dp.replace("\"events.csv\"", "\"../a/events.csv\""),
    )
    .expect("write");
    assert!(diff_datasets(&a, &sneaky, &all()).is_err());
}

#[test]
fn schema_major_mismatch_is_an_error_minor_is_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    write_dataset(&a, &sample(), false);
    let mut v2 = sample();
    v2.version = "2.0.0".into();
    write_dataset(&b, &v2, false);
    let err = diff_datasets(&a, &b, &all()).expect_err("major");
    assert!(matches!(err, DiffError::SchemaMajor { .. }));
    assert!(err.to_string().contains("major"), "{err}");
    let mut v11 = sample();
    v11.version = "1.1.0".into();
    write_dataset(&c, &v11, false);
    let d = diff_datasets(&a, &c, &all()).expect("minor");
    assert_eq!(
        d.schema_changes,
        vec![SchemaChange::VersionChanged {
            old: "1.0.0".into(),
            new: "1.1.0".into()
        }]
    );
    assert!(d.fails(FailOn::Any) && !d.fails(FailOn::Removed));
}

#[test]
fn field_and_table_changes_are_reported_first() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let old = sample();
    let mut new = sample();
    // events: a new field, and confidence retyped to string.
    new.tables[0]
        .fields
        .push(("injured".into(), "integer".into()));
    new.tables[0].fields[8].1 = "string".into();
    for r in &mut new.tables[0].rows {
        r.push(Value::Int(1));
        r[8] = s("high");
    }
    // locations removed, actors added.
    new.tables[1] = TestTable {
        name: "actors".into(),
        fields: fields(&[("actor_id", "string"), ("name", "string")]),
        pk: vec!["actor_id".into()],
        rows: vec![vec![s("a1"), s("Syrian Arab Army")]],
    };
    write_dataset(&a, &old, false);
    write_dataset(&b, &new, false);
    let d = diff_datasets(&a, &b, &all()).expect("diff");
    assert!(
        d.schema_changes.contains(&SchemaChange::FieldAdded {
            table: "events".into(),
            field: "injured".into(),
            ty: "integer".into()
        }),
        "{:?}",
        d.schema_changes
    );
    assert!(d.schema_changes.contains(&SchemaChange::FieldRetyped {
        table: "events".into(),
        field: "confidence".into(),
        old_ty: "number".into(),
        new_ty: "string".into()
    }));
    assert!(d.schema_changes.contains(&SchemaChange::TableAdded {
        table: "actors".into()
    }));
    assert!(d.schema_changes.contains(&SchemaChange::TableRemoved {
        table: "locations".into()
    }));
    // The shared fields did not change, so no event row did.
    let ev = d.table("events").expect("events");
    assert_eq!((ev.changed, ev.unchanged), (0, 3));
    let actors = d.table("actors").expect("actors");
    assert_eq!((actors.status, actors.added), (TableStatus::Added, 1));
    let locs = d.table("locations").expect("locations");
    assert_eq!((locs.status, locs.removed), (TableStatus::Removed, 2));
    // Tables in new order, then removed ones.
    let order: Vec<&str> = d.tables.iter().map(|t| t.table.as_str()).collect();
    assert_eq!(order, ["events", "actors", "locations"]);
    let text = render_text(&d, 5);
    let schema_at = text.find("Schema changes").expect("schema section");
    let rows_at = text.find("== ").expect("rows section");
    assert!(schema_at < rows_at, "{text}");
    assert!(
        text.contains("field events.injured added (integer)"),
        "{text}"
    );
    assert!(render_markdown(&d, 5).contains("#### Schema changes"));
}

#[test]
fn csv_is_read_when_parquet_is_absent() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_dataset(&a, &sample(), false);
    write_dataset(&b, &sample(), true);
    let d = diff_datasets(&a, &b, &all()).expect("diff");
    assert!(d.is_empty(), "{}", render_text(&d, 10));
}

#[test]
fn table_without_primary_key_is_matched_on_whole_rows() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let t = |rows: Vec<Vec<Value>>| TestDataset {
        version: "1.0.0".into(),
        tables: vec![TestTable {
            name: "notes".into(),
            fields: fields(&[("k", "string"), ("n", "integer")]),
            pk: vec![],
            rows,
        }],
    };
    write_dataset(
        &a,
        &t(vec![
            vec![s("x"), Value::Int(1)],
            vec![s("x"), Value::Int(1)],
        ]),
        false,
    );
    write_dataset(
        &b,
        &t(vec![
            vec![s("x"), Value::Int(1)],
            vec![s("y"), Value::Int(2)],
        ]),
        false,
    );
    let d = diff_datasets(&a, &b, &all()).expect("diff");
    let n = &d.tables[0];
    assert_eq!((n.added, n.removed, n.changed, n.unchanged), (1, 1, 0, 1));
}

#[test]
fn composite_keys_match_and_key_changes_are_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let mentions = |rows: Vec<Vec<Value>>, pk: &[&str]| TestDataset {
        version: "1.0.0".into(),
        tables: vec![TestTable {
            name: "event_mentions".into(),
            fields: fields(&[
                ("event_id", "string"),
                ("seq", "integer"),
                ("text", "string"),
            ]),
            pk: pk.iter().map(|k| k.to_string()).collect(),
            rows,
        }],
    };
    let m = |e: &str, k: i64, t: &str| vec![s(e), Value::Int(k), s(t)];
    write_dataset(
        &a,
        &mentions(
            vec![
                m("e1", 1, "first"),
                m("e1", 2, "second"),
                m("e2", 1, "other"),
            ],
            &["event_id", "seq"],
        ),
        false,
    );
    write_dataset(
        &b,
        &mentions(
            vec![
                m("e1", 2, "second!"),
                m("e1", 1, "first"),
                m("e2", 2, "new"),
            ],
            &["event_id", "seq"],
        ),
        false,
    );
    let d = diff_datasets(&a, &b, &all()).expect("diff");
    let t = &d.tables[0];
    assert_eq!((t.added, t.removed, t.changed, t.unchanged), (1, 1, 1, 1));
    assert_eq!(t.changed_rows[0].key, vec![s("e1"), Value::Int(2)]);
    assert!(render_text(&d, 5).contains("~ event_id=e1, seq=2"));

    write_dataset(
        &c,
        &mentions(vec![m("e1", 1, "first")], &["event_id"]),
        false,
    );
    let d = diff_datasets(&a, &c, &all()).expect("diff");
    assert_eq!(
        d.schema_changes,
        vec![SchemaChange::PrimaryKeyChanged {
            table: "event_mentions".into(),
            old: vec!["event_id".into(), "seq".into()],
            new: vec!["event_id".into()],
        }]
    );
    assert!(d.fails(FailOn::Changed));
}

// ---------------------------------------------------------------------------
// Properties

/// An events table with ids from a small space (so two draws overlap) and a locations table.
fn dataset_strategy() -> impl Strategy<Value = TestDataset> {
    let row = (
        0u8..24,
        prop::sample::select(vec!["Battles", "Protests", "Riots"]),
        prop::option::of(0i64..50),
        prop::option::of(1u32..28),
        prop::sample::select(vec!["L1", "L2", "L3"]),
        "[a-z ]{0,12}",
        prop::bool::ANY,
    );
    prop::collection::vec(row, 0..16).prop_map(|rows| {
        let mut seen = std::collections::BTreeSet::new();
        let mut events = Vec::new();
        for (id, ty, fat, day, loc, ev, agg) in rows {
            if !seen.insert(id) {
                continue;
            }
            events.push(vec![
                s(&format!("e{id}")),
                s(ty),
                s("Armed clash"),
                day.map_or(Value::Null, date),
                s(loc),
                fat.map_or(Value::Null, Value::Int),
                Value::Bool(agg),
                s(&ev),
                Value::Num(0.5),
            ]);
        }
        TestDataset {
            version: "1.0.0".into(),
            tables: vec![
                TestTable {
                    name: "events".into(),
                    fields: fields(EVENT_FIELDS),
                    pk: vec!["event_id".into()],
                    rows: events,
                },
                locations(),
            ],
        }
    })
}

fn keys(rows: &[sitrep::diff::RowDiff]) -> Vec<Vec<Value>> {
    rows.iter().map(|r| r.key.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn prop_self_diff_is_empty(x in dataset_strategy()) {
        let tmp = tempfile::tempdir().expect("tmp");
        let a = tmp.path().join("a");
        write_dataset(&a, &x, false);
        let d = diff_datasets(&a, &a, &all()).expect("diff");
        prop_assert!(d.is_empty());
        let n: usize = x.tables.iter().map(|t| t.rows.len()).sum();
        prop_assert_eq!(d.totals().unchanged, n);
    }

    #[test]
    fn prop_diff_is_antisymmetric(x in dataset_strategy(), y in dataset_strategy()) {
        let tmp = tempfile::tempdir().expect("tmp");
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        write_dataset(&a, &x, false);
        write_dataset(&b, &y, false);
        let xy = diff_datasets(&a, &b, &all()).expect("diff");
        let yx = diff_datasets(&b, &a, &all()).expect("diff");
        for (t1, t2) in xy.tables.iter().zip(&yx.tables) {
            prop_assert_eq!(&t1.table, &t2.table);
            prop_assert_eq!(t1.added, t2.removed);
            prop_assert_eq!(t1.removed, t2.added);
            prop_assert_eq!(t1.changed, t2.changed);
            prop_assert_eq!(t1.unchanged, t2.unchanged);
            prop_assert_eq!(keys(&t1.added_rows), keys(&t2.removed_rows));
            prop_assert_eq!(keys(&t1.removed_rows), keys(&t2.added_rows));
            let k1: Vec<_> = t1.changed_rows.iter().map(|r| r.key.clone()).collect();
            let k2: Vec<_> = t2.changed_rows.iter().map(|r| r.key.clone()).collect();
            prop_assert_eq!(k1, k2);
            for (r1, r2) in t1.changed_rows.iter().zip(&t2.changed_rows) {
                for (c1, c2) in r1.changes.iter().zip(&r2.changes) {
                    prop_assert_eq!(&c1.field, &c2.field);
                    prop_assert_eq!(&c1.old, &c2.new);
                    prop_assert_eq!(&c1.new, &c2.old);
                }
            }
        }
        prop_assert_eq!(xy.fails(FailOn::Added), yx.fails(FailOn::Removed));
    }

    #[test]
    fn prop_one_changed_row_changes_only_that_row(
        x in dataset_strategy(),
        pick in any::<prop::sample::Index>(),
        field in 1usize..EVENT_FIELDS.len(),
    ) {
        prop_assume!(!x.tables[0].rows.is_empty());
        let mut y = x.clone();
        let i = pick.index(y.tables[0].rows.len());
        let cell = &mut y.tables[0].rows[i][field];
        *cell = match cell {
            Value::Null => match EVENT_FIELDS[field].1 {
                "integer" => Value::Int(99),
                "date" => date(28),
                "number" => Value::Num(0.25),
                "boolean" => Value::Bool(true),
                _ => s("new"),
            },
            Value::Str(t) => s(&format!("{t}!")),
            Value::Int(n) => Value::Int(*n + 1),
            Value::Num(n) => Value::Num(*n + 0.125),
            Value::Bool(b) => Value::Bool(!*b),
            Value::Date(_) => Value::Null,
        };
        let tmp = tempfile::tempdir().expect("tmp");
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        write_dataset(&a, &x, false);
        write_dataset(&b, &y, false);
        let d = diff_datasets(&a, &b, &all()).expect("diff");
        prop_assert!(d.schema_changes.is_empty());
        let ev = d.table("events").expect("events");
        prop_assert_eq!((ev.added, ev.removed, ev.changed), (0, 0, 1));
        prop_assert_eq!(ev.unchanged, x.tables[0].rows.len() - 1);
        prop_assert_eq!(&ev.changed_rows[0].key, &vec![x.tables[0].rows[i][0].clone()]);
        prop_assert_eq!(ev.changed_rows[0].changes.len(), 1);
        prop_assert_eq!(ev.changed_rows[0].changes[0].field.as_str(), EVENT_FIELDS[field].0);
        let locs = d.table("locations").expect("locations");
        prop_assert!(!locs.has_row_changes());
    }
}

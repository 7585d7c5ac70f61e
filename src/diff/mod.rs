//! `sitrep diff`: compares two dataset versions table by table, row by row
//! and field by field, so that a rebuild's effect is reviewed before it is
//! published. This module owns the comparison ([`diff_datasets`]) and the
//! result ([`DatasetDiff`]); [`read`] loads a dataset folder and [`text`],
//! [`markdown`] and [`json`] render a result.
//!
//! # How rows are compared
//! Each table is read from its Parquet file (CSV when the Parquet file is
//! absent). Rows are matched by the table's primary key from
//! `datapackage.json`: both sides' keys are hashed, sorted and merged, and
//! hash collisions are settled by comparing the key cells themselves. A
//! matched pair is compared by a 64-bit hash of its cells first; only pairs
//! whose hashes differ are compared field by field (a pair whose fields turn
//! out equal is unchanged). Only fields present in both versions with the
//! same type are compared: a field added, removed or retyped is reported
//! once, as a schema change, not on every row. A table without a primary key
//! is matched on all its compared fields, so its rows are only ever added or
//! removed. A table present on one side only has all its rows added (or
//! removed).
//!
//! Two schema versions with different MAJOR parts are not compared
//! ([`DiffError::SchemaMajor`]); the CLI exits with 2 on any [`DiffError`].
//!
//! # Order
//! Everything is deterministic: tables in the new datapackage's order, then
//! the tables only the old one has; schema changes in that table order; rows
//! sorted by primary key (nulls first, then booleans, numbers, dates, text
//! by bytes).
//!
//! # JSON output (`--format json`), format version 1
//! [`render_json`] writes one object; keys within an object are in the order
//! shown. New keys may be added in a later format version; existing keys keep
//! their meaning (a change of meaning bumps `format_version`). Also in
//! `docs/diff-json.md`.
//!
//! ```text
//! {
//!   "format": "sitrep-diff",
//!   "format_version": 1,
//!   "old": {"path": "OLD", "schema_version": "1.0.0"},
//!   "new": {"path": "NEW", "schema_version": "1.0.0"},
//!   "summary": {"added": 12, "removed": 3, "changed": 40, "unchanged": 1500,
//!               "schema_changes": 1},
//!   "schema_changes": [
//!     {"kind": "version_changed", "table": null, "field": null, "old": "1.0.0", "new": "1.1.0"},
//!     {"kind": "table_added" | "table_removed", "table": "actors", "field": null, "old": null, "new": null},
//!     {"kind": "field_added", "table": "events", "field": "x", "old": null, "new": "string"},
//!     {"kind": "field_removed", "table": "events", "field": "x", "old": "string", "new": null},
//!     {"kind": "field_retyped", "table": "events", "field": "x", "old": "integer", "new": "number"},
//!     {"kind": "primary_key_changed", "table": "events", "field": null,
//!      "old": ["event_id"], "new": ["event_id", "seq"]}
//!   ],
//!   "tables": [{
//!     "table": "events",
//!     "status": "compared" | "added" | "removed",
//!     "key": ["event_id"],                 // the fields rows were matched on
//!     "added": 12, "removed": 3, "changed": 40, "unchanged": 1500,
//!     "changed_fields": {"fatalities": 30, "evidence": 12},  // changed rows per field
//!     "truncated": false,                  // true when a row list below is cut by --limit
//!     "added_rows":   [{"key": {"event_id": "e1"}, "summary": "…", "row": {<all fields>}}],
//!     "removed_rows": [{"key": {"event_id": "e2"}, "summary": "…", "row": {<all fields>}}],
//!     "changed_rows": [{"key": {"event_id": "e3"}, "summary": "…",
//!                       "changes": [{"field": "fatalities", "old": 2, "new": 3}]}]
//!   }]
//! }
//! ```
//! Cell values: text as strings, integers and numbers as JSON numbers
//! (a non-finite number as null), booleans, dates as `"YYYY-MM-DD"`, null as
//! null. `summary` is a readable line for `events` rows (type, date, place,
//! fatalities, evidence) and null for other tables. A row's `row` object
//! holds its fields in schema order.

pub mod json;
pub mod markdown;
pub mod read;
pub mod text;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float32Array, Float64Array, Int8Array, Int16Array,
    Int32Array, Int64Array, LargeStringArray, StringArray, StringViewArray, UInt8Array,
    UInt16Array, UInt32Array,
};
use arrow_schema::DataType;
use rayon::prelude::*;

use crate::tables::Value;
pub use json::render_json;
pub use markdown::render_markdown;
use read::{DatasetSpec, LoadedTable, TableSpec};
pub use text::render_text;

/// Why two folders could not be compared (the CLI exits with 2).
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("{path} is not a sitrep dataset: {detail}")]
    NotADataset { path: PathBuf, detail: String },
    #[error(
        "cannot compare {old} (schema {old_version}) with {new} (schema {new_version}): the schema's major version differs; rebuild the old dataset with this sitrep, or compare with the sitrep that wrote it"
    )]
    SchemaMajor {
        old: PathBuf,
        old_version: String,
        new: PathBuf,
        new_version: String,
    },
    #[error("reading {path}: {detail}")]
    Read { path: PathBuf, detail: String },
    #[error("no table named {name:?} in either dataset (tables: {available})")]
    UnknownTable { name: String, available: String },
}

impl From<DiffError> for crate::Error {
    fn from(e: DiffError) -> crate::Error {
        crate::Error::Usage(e.to_string())
    }
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The tables to compare; empty compares all.
    pub tables: Vec<String>,
    /// How many rows of each kind (added, removed, changed) to keep per table in
    /// [`TableDiff`]'s row lists; counts are always exact. `usize::MAX` keeps all
    /// (what `--format json` wants).
    pub limit: usize,
}

impl Default for DiffOptions {
    fn default() -> DiffOptions {
        DiffOptions {
            tables: Vec::new(),
            limit: usize::MAX,
        }
    }
}

/// Which differences make `sitrep diff` exit with 1 (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any difference at all, schema changes included.
    Any,
    /// Rows added, or a table or field added.
    Added,
    /// Rows removed, or a table or field removed.
    Removed,
    /// Rows changed, or a field retyped or a primary key changed.
    Changed,
    /// Never: the diff is a report only.
    None,
}

impl FailOn {
    pub const ALL: [FailOn; 5] = [
        FailOn::Any,
        FailOn::Added,
        FailOn::Removed,
        FailOn::Changed,
        FailOn::None,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            FailOn::Any => "any",
            FailOn::Added => "added",
            FailOn::Removed => "removed",
            FailOn::Changed => "changed",
            FailOn::None => "none",
        }
    }
}

impl std::str::FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<FailOn, String> {
        FailOn::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("--fail-on {s:?}: use any, added, removed, changed or none"))
    }
}

/// A change to the datasets' schema, reported before any row.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaChange {
    VersionChanged {
        old: String,
        new: String,
    },
    TableAdded {
        table: String,
    },
    TableRemoved {
        table: String,
    },
    FieldAdded {
        table: String,
        field: String,
        ty: String,
    },
    FieldRemoved {
        table: String,
        field: String,
        ty: String,
    },
    FieldRetyped {
        table: String,
        field: String,
        old_ty: String,
        new_ty: String,
    },
    PrimaryKeyChanged {
        table: String,
        old: Vec<String>,
        new: Vec<String>,
    },
}

impl SchemaChange {
    /// The change's kind, as in the JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            SchemaChange::VersionChanged { .. } => "version_changed",
            SchemaChange::TableAdded { .. } => "table_added",
            SchemaChange::TableRemoved { .. } => "table_removed",
            SchemaChange::FieldAdded { .. } => "field_added",
            SchemaChange::FieldRemoved { .. } => "field_removed",
            SchemaChange::FieldRetyped { .. } => "field_retyped",
            SchemaChange::PrimaryKeyChanged { .. } => "primary_key_changed",
        }
    }

    /// The table the change is about (none for a version change).
    pub fn table(&self) -> Option<&str> {
        match self {
            SchemaChange::VersionChanged { .. } => None,
            SchemaChange::TableAdded { table }
            | SchemaChange::TableRemoved { table }
            | SchemaChange::FieldAdded { table, .. }
            | SchemaChange::FieldRemoved { table, .. }
            | SchemaChange::FieldRetyped { table, .. }
            | SchemaChange::PrimaryKeyChanged { table, .. } => Some(table),
        }
    }

    /// One readable line.
    pub fn describe(&self) -> String {
        match self {
            SchemaChange::VersionChanged { old, new } => {
                format!("schema version {old} -> {new}")
            }
            SchemaChange::TableAdded { table } => format!("table {table} added"),
            SchemaChange::TableRemoved { table } => format!("table {table} removed"),
            SchemaChange::FieldAdded { table, field, ty } => {
                format!("field {table}.{field} added ({ty})")
            }
            SchemaChange::FieldRemoved { table, field, ty } => {
                format!("field {table}.{field} removed (was {ty})")
            }
            SchemaChange::FieldRetyped {
                table,
                field,
                old_ty,
                new_ty,
            } => format!("field {table}.{field} retyped {old_ty} -> {new_ty}"),
            SchemaChange::PrimaryKeyChanged { table, old, new } => format!(
                "primary key of {table} changed ({}) -> ({})",
                old.join(", "),
                new.join(", ")
            ),
        }
    }

    fn counts_as(&self, fail_on: FailOn) -> bool {
        match fail_on {
            FailOn::Any => true,
            FailOn::None => false,
            FailOn::Added => matches!(
                self,
                SchemaChange::TableAdded { .. } | SchemaChange::FieldAdded { .. }
            ),
            FailOn::Removed => matches!(
                self,
                SchemaChange::TableRemoved { .. } | SchemaChange::FieldRemoved { .. }
            ),
            FailOn::Changed => matches!(
                self,
                SchemaChange::FieldRetyped { .. } | SchemaChange::PrimaryKeyChanged { .. }
            ),
        }
    }
}

/// Whether a table is in both versions or only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableStatus {
    Compared,
    Added,
    Removed,
}

impl TableStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            TableStatus::Compared => "compared",
            TableStatus::Added => "added",
            TableStatus::Removed => "removed",
        }
    }
}

/// One field of a changed row.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// An added or removed row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowDiff {
    /// The values of [`TableDiff::key`], in that order.
    pub key: Vec<Value>,
    /// A readable line, for `events` rows.
    pub summary: Option<String>,
    /// All the row's fields, in schema order.
    pub row: Vec<(String, Value)>,
}

/// A row present in both versions whose fields differ.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedRow {
    pub key: Vec<Value>,
    /// A readable line of the new row, for `events` rows.
    pub summary: Option<String>,
    /// The fields that differ, in schema order.
    pub changes: Vec<FieldChange>,
}

/// The comparison of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDiff {
    pub table: String,
    pub status: TableStatus,
    /// The fields rows were matched on: the primary key, or every compared
    /// field for a table without one.
    pub key: Vec<String>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// For each field that changed in some row, how many rows it changed in (schema order).
    pub changed_fields: Vec<(String, usize)>,
    /// The first [`DiffOptions::limit`] added rows, by key.
    pub added_rows: Vec<RowDiff>,
    pub removed_rows: Vec<RowDiff>,
    pub changed_rows: Vec<ChangedRow>,
}

impl TableDiff {
    /// True when some rows differ.
    pub fn has_row_changes(&self) -> bool {
        self.added + self.removed + self.changed > 0
    }

    /// True when a row list holds fewer rows than its count.
    pub fn truncated(&self) -> bool {
        self.added_rows.len() < self.added
            || self.removed_rows.len() < self.removed
            || self.changed_rows.len() < self.changed
    }
}

/// The comparison of two dataset folders.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetDiff {
    pub old_path: PathBuf,
    pub new_path: PathBuf,
    pub old_version: String,
    pub new_version: String,
    /// Schema changes, in table order.
    pub schema_changes: Vec<SchemaChange>,
    /// The tables compared, in table order.
    pub tables: Vec<TableDiff>,
}

/// Row counts summed over tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

impl DatasetDiff {
    /// True when nothing differs: no schema change and no row added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.schema_changes.is_empty() && self.tables.iter().all(|t| !t.has_row_changes())
    }

    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for d in &self.tables {
            t.added += d.added;
            t.removed += d.removed;
            t.changed += d.changed;
            t.unchanged += d.unchanged;
        }
        t
    }

    /// Whether the differences match `fail_on` (see [`FailOn`]'s variants).
    pub fn fails(&self, fail_on: FailOn) -> bool {
        let t = self.totals();
        let rows = match fail_on {
            FailOn::Any => t.added + t.removed + t.changed > 0,
            FailOn::Added => t.added > 0,
            FailOn::Removed => t.removed > 0,
            FailOn::Changed => t.changed > 0,
            FailOn::None => false,
        };
        rows || self.schema_changes.iter().any(|c| c.counts_as(fail_on))
    }

    pub fn table(&self, name: &str) -> Option<&TableDiff> {
        self.tables.iter().find(|t| t.table == name)
    }
}

/// The process exit code for a finished comparison: 1 when the differences match
/// `fail_on` ([`DatasetDiff::fails`]), else 0. A comparison that could not be made
/// (any [`DiffError`]) exits with 2.
pub fn exit_code(diff: &DatasetDiff, fail_on: FailOn) -> u8 {
    u8::from(diff.fails(fail_on))
}

/// Compares the dataset folders `old` and `new`.
pub fn diff_datasets(old: &Path, new: &Path, opts: &DiffOptions) -> Result<DatasetDiff, DiffError> {
    let (old_ds, new_ds) = rayon::join(|| read::open(old), || read::open(new));
    let (old_ds, new_ds) = (old_ds?, new_ds?);
    let (om, nm) = (
        read::major_version(&old_ds.schema_version),
        read::major_version(&new_ds.schema_version),
    );
    if om != nm {
        return Err(DiffError::SchemaMajor {
            old: old.to_path_buf(),
            old_version: old_ds.schema_version.clone(),
            new: new.to_path_buf(),
            new_version: new_ds.schema_version.clone(),
        });
    }

    // Table order: the new datapackage's, then tables only the old one has.
    let mut names: Vec<&str> = new_ds.tables.iter().map(|t| t.name.as_str()).collect();
    for t in &old_ds.tables {
        if new_ds.table(&t.name).is_none() {
            names.push(&t.name);
        }
    }
    for want in &opts.tables {
        if !names.contains(&want.as_str()) {
            return Err(DiffError::UnknownTable {
                name: want.clone(),
                available: names.join(", "),
            });
        }
    }
    if !opts.tables.is_empty() {
        names.retain(|n| opts.tables.iter().any(|w| w == n));
    }

    let mut schema_changes = Vec::new();
    if old_ds.schema_version != new_ds.schema_version {
        schema_changes.push(SchemaChange::VersionChanged {
            old: old_ds.schema_version.clone(),
            new: new_ds.schema_version.clone(),
        });
    }
    for name in &names {
        schema_changes.extend(table_schema_changes(
            name,
            old_ds.table(name),
            new_ds.table(name),
        ));
    }

    let want_places = names.contains(&"events");
    let (old_places, new_places) = if want_places {
        // Place names only make summaries readable: an unreadable locations table is
        // not a reason to refuse the diff (it is reported if it is itself compared).
        let (a, b) = rayon::join(|| place_names(&old_ds), || place_names(&new_ds));
        (a.unwrap_or_default(), b.unwrap_or_default())
    } else {
        (HashMap::new(), HashMap::new())
    };

    let mut tables = Vec::with_capacity(names.len());
    for name in &names {
        let os = old_ds.table(name);
        let ns = new_ds.table(name);
        let (od, nd) = rayon::join(
            || os.map(|s| read::load_table(&old_ds.path, s)).transpose(),
            || ns.map(|s| read::load_table(&new_ds.path, s)).transpose(),
        );
        let (od, nd) = (od?, nd?);
        let old_side = os
            .zip(od.as_ref())
            .map(|(s, d)| Side::new(s, d, &old_places));
        let new_side = ns
            .zip(nd.as_ref())
            .map(|(s, d)| Side::new(s, d, &new_places));
        let td = match (old_side, new_side) {
            (Some(o), Some(n)) => compare_tables(name, &o, &n, opts.limit),
            (None, Some(n)) => one_sided(name, &n, TableStatus::Added, opts.limit),
            (Some(o), None) => one_sided(name, &o, TableStatus::Removed, opts.limit),
            (None, None) => continue,
        };
        tables.push(td);
    }

    Ok(DatasetDiff {
        old_path: old.to_path_buf(),
        new_path: new.to_path_buf(),
        old_version: old_ds.schema_version,
        new_version: new_ds.schema_version,
        schema_changes,
        tables,
    })
}

fn table_schema_changes(
    name: &str,
    old: Option<&TableSpec>,
    new: Option<&TableSpec>,
) -> Vec<SchemaChange> {
    let table = name.to_string();
    let (o, n) = match (old, new) {
        (Some(o), Some(n)) => (o, n),
        (None, Some(_)) => return vec![SchemaChange::TableAdded { table }],
        (Some(_), None) => return vec![SchemaChange::TableRemoved { table }],
        (None, None) => return Vec::new(),
    };
    let mut out = Vec::new();
    if o.primary_key != n.primary_key {
        out.push(SchemaChange::PrimaryKeyChanged {
            table: table.clone(),
            old: o.primary_key.clone(),
            new: n.primary_key.clone(),
        });
    }
    for f in &o.fields {
        if n.field(&f.name).is_none() {
            out.push(SchemaChange::FieldRemoved {
                table: table.clone(),
                field: f.name.clone(),
                ty: f.ty.clone(),
            });
        }
    }
    for f in &n.fields {
        match o.field(&f.name) {
            None => out.push(SchemaChange::FieldAdded {
                table: table.clone(),
                field: f.name.clone(),
                ty: f.ty.clone(),
            }),
            Some(of) if of.ty != f.ty => out.push(SchemaChange::FieldRetyped {
                table: table.clone(),
                field: f.name.clone(),
                old_ty: of.ty.clone(),
                new_ty: f.ty.clone(),
            }),
            Some(_) => {}
        }
    }
    out
}

/// `location_id -> name` from a dataset's `locations` table, for event summaries.
fn place_names(ds: &DatasetSpec) -> Result<HashMap<String, String>, DiffError> {
    let Some(spec) = ds.table("locations") else {
        return Ok(HashMap::new());
    };
    let (Some(id), Some(name)) = (
        spec.fields.iter().position(|f| f.name == "location_id"),
        spec.fields.iter().position(|f| f.name == "name"),
    ) else {
        return Ok(HashMap::new());
    };
    let data = read::load_table(&ds.path, spec)?;
    let (ids, names) = (Col::new(&data.columns[id]), Col::new(&data.columns[name]));
    let mut out = HashMap::with_capacity(data.num_rows);
    for i in 0..data.num_rows {
        if let (Cell::Str(k), Cell::Str(v)) = (ids.get(i), names.get(i)) {
            out.insert(k.to_string(), v.to_string());
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Cells

/// A borrowed cell: what [`Value`] is, without allocating.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    Null,
    Str(&'a str),
    Int(i64),
    Num(f64),
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i32),
}

const EPOCH_DAYS_FROM_CE: i32 = 719_163;

impl Cell<'_> {
    fn rank(&self) -> u8 {
        match self {
            Cell::Null => 0,
            Cell::Bool(_) => 1,
            Cell::Int(_) => 2,
            Cell::Num(_) => 3,
            Cell::Date(_) => 4,
            Cell::Str(_) => 5,
        }
    }

    fn same(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Null, Cell::Null) => true,
            (Cell::Str(a), Cell::Str(b)) => a == b,
            (Cell::Int(a), Cell::Int(b)) => a == b,
            (Cell::Num(a), Cell::Num(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Cell::Bool(a), Cell::Bool(b)) => a == b,
            (Cell::Date(a), Cell::Date(b)) => a == b,
            _ => false,
        }
    }

    fn order(&self, other: &Cell) -> Ordering {
        match (self, other) {
            (Cell::Str(a), Cell::Str(b)) => a.cmp(b),
            (Cell::Int(a), Cell::Int(b)) => a.cmp(b),
            (Cell::Num(a), Cell::Num(b)) => a.total_cmp(b),
            (Cell::Bool(a), Cell::Bool(b)) => a.cmp(b),
            (Cell::Date(a), Cell::Date(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }

    fn hash(&self) -> u64 {
        match self {
            Cell::Null => 0x6a09_e667_f3bc_c908,
            Cell::Str(s) => twox_hash::XxHash64::oneshot(0x5175, s.as_bytes()),
            Cell::Int(i) => mix(*i as u64 ^ 0x1111),
            Cell::Num(x) => mix(if x.is_nan() { u64::MAX } else { x.to_bits() } ^ 0x2222),
            Cell::Bool(b) => mix(u64::from(*b) ^ 0x3333),
            Cell::Date(d) => mix(*d as u64 ^ 0x4444),
        }
    }

    fn to_value(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Str(s) => Value::Str(s.to_string()),
            Cell::Int(i) => Value::Int(i),
            Cell::Num(x) => Value::Num(x),
            Cell::Bool(b) => Value::Bool(b),
            Cell::Date(d) => d
                .checked_add(EPOCH_DAYS_FROM_CE)
                .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
                .map_or(Value::Int(i64::from(d)), Value::Date),
        }
    }
}

/// splitmix64's finaliser.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn combine(h: u64, x: u64) -> u64 {
    (h.rotate_left(23) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A column downcast once, read cell by cell.
#[derive(Clone, Copy)]
enum Col<'a> {
    Str(&'a StringArray),
    LargeStr(&'a LargeStringArray),
    View(&'a StringViewArray),
    I8(&'a Int8Array),
    I16(&'a Int16Array),
    I32(&'a Int32Array),
    I64(&'a Int64Array),
    U8(&'a UInt8Array),
    U16(&'a UInt16Array),
    U32(&'a UInt32Array),
    F32(&'a Float32Array),
    F64(&'a Float64Array),
    Bool(&'a BooleanArray),
    Date(&'a Date32Array),
    Null,
}

impl<'a> Col<'a> {
    fn new(a: &'a ArrayRef) -> Col<'a> {
        let col = match a.data_type() {
            DataType::Utf8 => a.as_string_opt::<i32>().map(Col::Str),
            DataType::LargeUtf8 => a.as_string_opt::<i64>().map(Col::LargeStr),
            DataType::Utf8View => a.as_string_view_opt().map(Col::View),
            DataType::Int8 => a.as_primitive_opt::<Int8Type>().map(Col::I8),
            DataType::Int16 => a.as_primitive_opt::<Int16Type>().map(Col::I16),
            DataType::Int32 => a.as_primitive_opt::<Int32Type>().map(Col::I32),
            DataType::Int64 => a.as_primitive_opt::<Int64Type>().map(Col::I64),
            DataType::UInt8 => a.as_primitive_opt::<UInt8Type>().map(Col::U8),
            DataType::UInt16 => a.as_primitive_opt::<UInt16Type>().map(Col::U16),
            DataType::UInt32 => a.as_primitive_opt::<UInt32Type>().map(Col::U32),
            DataType::Float32 => a.as_primitive_opt::<Float32Type>().map(Col::F32),
            DataType::Float64 => a.as_primitive_opt::<Float64Type>().map(Col::F64),
            DataType::Boolean => a.as_boolean_opt().map(Col::Bool),
            DataType::Date32 => a.as_primitive_opt::<Date32Type>().map(Col::Date),
            _ => None,
        };
        col.unwrap_or(Col::Null)
    }

    #[inline]
    fn get(&self, i: usize) -> Cell<'a> {
        macro_rules! cell {
            ($a:expr, $v:expr) => {
                if i >= $a.len() || $a.is_null(i) {
                    Cell::Null
                } else {
                    $v
                }
            };
        }
        match *self {
            Col::Str(a) => cell!(a, Cell::Str(a.value(i))),
            Col::LargeStr(a) => cell!(a, Cell::Str(a.value(i))),
            Col::View(a) => cell!(a, Cell::Str(a.value(i))),
            Col::I8(a) => cell!(a, Cell::Int(i64::from(a.value(i)))),
            Col::I16(a) => cell!(a, Cell::Int(i64::from(a.value(i)))),
            Col::I32(a) => cell!(a, Cell::Int(i64::from(a.value(i)))),
            Col::I64(a) => cell!(a, Cell::Int(a.value(i))),
            Col::U8(a) => cell!(a, Cell::Int(i64::from(a.value(i)))),
            Col::U16(a) => cell!(a, Cell::Int(i64::from(a.value(i)))),
            Col::U32(a) => cell!(a, Cell::Int(i64::from(a.value(i)))),
            Col::F32(a) => cell!(a, Cell::Num(f64::from(a.value(i)))),
            Col::F64(a) => cell!(a, Cell::Num(a.value(i))),
            Col::Bool(a) => cell!(a, Cell::Bool(a.value(i))),
            Col::Date(a) => cell!(a, Cell::Date(a.value(i))),
            Col::Null => Cell::Null,
        }
    }
}

// ---------------------------------------------------------------------------
// Tables

/// One version of a table, ready to compare.
struct Side<'a> {
    spec: &'a TableSpec,
    n: usize,
    cols: Vec<Col<'a>>,
    places: &'a HashMap<String, String>,
}

impl<'a> Side<'a> {
    fn new(
        spec: &'a TableSpec,
        data: &'a LoadedTable,
        places: &'a HashMap<String, String>,
    ) -> Side<'a> {
        Side {
            spec,
            n: data.num_rows,
            cols: data.columns.iter().map(Col::new).collect(),
            places,
        }
    }

    fn index(&self, field: &str) -> Option<usize> {
        self.spec.fields.iter().position(|f| f.name == field)
    }

    fn cell(&self, field: &str, i: usize) -> Cell<'a> {
        self.index(field)
            .map_or(Cell::Null, |c| self.cols[c].get(i))
    }

    /// Per-row hashes of the columns `idx`, in that order.
    fn hashes(&self, idx: &[usize]) -> Vec<u64> {
        const CHUNK: usize = 1 << 15;
        let mut h = vec![0x243f_6a88_85a3_08d3u64; self.n];
        h.par_chunks_mut(CHUNK).enumerate().for_each(|(ci, chunk)| {
            let base = ci * CHUNK;
            for &c in idx {
                let col = self.cols[c];
                for (k, x) in chunk.iter_mut().enumerate() {
                    *x = combine(*x, col.get(base + k).hash());
                }
            }
        });
        h
    }

    fn key_order(&self, idx: &[usize], a: usize, b: usize) -> Ordering {
        for &c in idx {
            let o = self.cols[c].get(a).order(&self.cols[c].get(b));
            if o != Ordering::Equal {
                return o;
            }
        }
        a.cmp(&b)
    }

    fn key_values(&self, idx: &[usize], i: usize) -> Vec<Value> {
        idx.iter()
            .map(|&c| self.cols[c].get(i).to_value())
            .collect()
    }

    fn row(&self, i: usize) -> Vec<(String, Value)> {
        self.spec
            .fields
            .iter()
            .zip(&self.cols)
            .map(|(f, c)| (f.name.clone(), c.get(i).to_value()))
            .collect()
    }

    fn summary(&self, i: usize) -> Option<String> {
        (self.spec.name == "events").then(|| event_summary(self, i))
    }

    fn row_diff(&self, idx: &[usize], i: usize) -> RowDiff {
        RowDiff {
            key: self.key_values(idx, i),
            summary: self.summary(i),
            row: self.row(i),
        }
    }

    /// Row indices sorted by key, the first `limit` of them.
    fn sorted(&self, idx: &[usize], mut rows: Vec<u32>, limit: usize) -> Vec<u32> {
        rows.par_sort_unstable_by(|&a, &b| self.key_order(idx, a as usize, b as usize));
        rows.truncate(limit);
        rows
    }
}

fn short(s: &str, max_chars: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", flat[..cut].trim_end()),
        None => flat,
    }
}

/// A readable line for an event row: type, date, place, fatalities, evidence.
fn event_summary(side: &Side, i: usize) -> String {
    let text = |f: &str| match side.cell(f, i) {
        Cell::Str(s) if !s.is_empty() => Some(s),
        _ => None,
    };
    let mut parts = Vec::new();
    let kind = match (text("event_type"), text("sub_event_type")) {
        (Some(t), Some(s)) => format!("{t} / {s}"),
        (Some(t), None) => t.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => "event".to_string(),
    };
    parts.push(kind);
    let date = |f: &str| match side.cell(f, i) {
        Cell::Null => None,
        c => Some(match c.to_value() {
            Value::Date(d) => d.to_string(),
            Value::Str(s) => s,
            v => format!("{v:?}"),
        }),
    };
    parts.push(match (date("event_date"), date("event_date_end")) {
        (Some(a), Some(b)) if a != b => format!("{a}..{b}"),
        (Some(a), _) => a,
        (None, _) => "undated".to_string(),
    });
    let place = text("location_id")
        .and_then(|id| side.places.get(id).map(String::as_str))
        .or_else(|| text("location_text"));
    parts.push(place.unwrap_or("no place").to_string());
    parts.push(match side.cell("fatalities", i) {
        Cell::Int(n) => format!("{n} killed"),
        Cell::Num(x) => format!("{x} killed"),
        _ => "fatalities unknown".to_string(),
    });
    let mut line = parts.join(" · ");
    if let Some(ev) = text("evidence") {
        line.push_str(&format!(" · \"{}\"", short(ev, 100)));
    }
    line
}

fn one_sided(name: &str, side: &Side, status: TableStatus, limit: usize) -> TableDiff {
    let key_names = if side.spec.primary_key.is_empty() {
        side.spec.fields.iter().map(|f| f.name.clone()).collect()
    } else {
        side.spec.primary_key.clone()
    };
    let idx: Vec<usize> = key_names.iter().filter_map(|k| side.index(k)).collect();
    let rows = side.sorted(&idx, (0..side.n as u32).collect(), limit);
    let listed: Vec<RowDiff> = rows
        .iter()
        .map(|&i| side.row_diff(&idx, i as usize))
        .collect();
    let (added, removed, added_rows, removed_rows) = match status {
        TableStatus::Removed => (0, side.n, Vec::new(), listed),
        _ => (side.n, 0, listed, Vec::new()),
    };
    TableDiff {
        table: name.to_string(),
        status,
        key: key_names,
        added,
        removed,
        changed: 0,
        unchanged: 0,
        changed_fields: Vec::new(),
        added_rows,
        removed_rows,
        changed_rows: Vec::new(),
    }
}

fn compare_tables(name: &str, old: &Side, new: &Side, limit: usize) -> TableDiff {
    // The fields compared: in both versions with the same type, in the new order.
    let mut fields: Vec<(usize, usize)> = Vec::new();
    for (ni, f) in new.spec.fields.iter().enumerate() {
        if let Some(oi) = old.index(&f.name)
            && old.spec.fields[oi].ty == f.ty
        {
            fields.push((oi, ni));
        }
    }
    let comparable = |k: &[String]| {
        !k.is_empty()
            && k.iter()
                .all(|k| fields.iter().any(|&(_, ni)| new.spec.fields[ni].name == *k))
    };
    // Match on the new primary key; else the old one; else on every compared field.
    let key_names: Vec<String> = if comparable(&new.spec.primary_key) {
        new.spec.primary_key.clone()
    } else if comparable(&old.spec.primary_key) {
        old.spec.primary_key.clone()
    } else {
        fields
            .iter()
            .map(|&(_, ni)| new.spec.fields[ni].name.clone())
            .collect()
    };
    let key_pos: Vec<usize> = key_names
        .iter()
        .filter_map(|k| {
            fields
                .iter()
                .position(|&(_, ni)| new.spec.fields[ni].name == *k)
        })
        .collect();
    let okey: Vec<usize> = key_pos.iter().map(|&p| fields[p].0).collect();
    let nkey: Vec<usize> = key_pos.iter().map(|&p| fields[p].1).collect();
    let ocols: Vec<usize> = fields.iter().map(|f| f.0).collect();
    let ncols: Vec<usize> = fields.iter().map(|f| f.1).collect();

    let ((okh, orh), (nkh, nrh)) = rayon::join(
        || rayon::join(|| old.hashes(&okey), || old.hashes(&ocols)),
        || rayon::join(|| new.hashes(&nkey), || new.hashes(&ncols)),
    );
    let sorted_keys = |kh: Vec<u64>| {
        let mut v: Vec<(u64, u32)> = kh
            .into_iter()
            .enumerate()
            .map(|(i, h)| (h, i as u32))
            .collect();
        v.par_sort_unstable();
        v
    };
    let (ok, nk) = rayon::join(|| sorted_keys(okh), || sorted_keys(nkh));

    let keys_equal = |a: u32, b: u32| {
        okey.iter().zip(&nkey).all(|(&oc, &nc)| {
            old.cols[oc]
                .get(a as usize)
                .same(&new.cols[nc].get(b as usize))
        })
    };
    let mut added: Vec<u32> = Vec::new();
    let mut removed: Vec<u32> = Vec::new();
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(ok.len().min(nk.len()));
    let (mut i, mut j) = (0, 0);
    while i < ok.len() || j < nk.len() {
        if j >= nk.len() || (i < ok.len() && ok[i].0 < nk[j].0) {
            removed.push(ok[i].1);
            i += 1;
            continue;
        }
        if i >= ok.len() || nk[j].0 < ok[i].0 {
            added.push(nk[j].1);
            j += 1;
            continue;
        }
        let h = ok[i].0;
        let ie = i + ok[i..].iter().take_while(|x| x.0 == h).count();
        let je = j + nk[j..].iter().take_while(|x| x.0 == h).count();
        if ie - i == 1 && je - j == 1 && keys_equal(ok[i].1, nk[j].1) {
            // The common case: one row on each side with this key.
            pairs.push((ok[i].1, nk[j].1));
            (i, j) = (ie, je);
            continue;
        }
        // Several rows share the key hash (a hash collision, or duplicate keys): pair
        // each old row with the first unused new row of equal key.
        let mut used = vec![false; je - j];
        let mut first_free = j;
        for &(_, a) in &ok[i..ie] {
            let hit = (first_free..je).find(|&b| !used[b - j] && keys_equal(a, nk[b].1));
            match hit {
                Some(b) => {
                    used[b - j] = true;
                    while first_free < je && used[first_free - j] {
                        first_free += 1;
                    }
                    pairs.push((a, nk[b].1));
                }
                None => removed.push(a),
            }
        }
        for (b, u) in (j..je).zip(&used) {
            if !u {
                added.push(nk[b].1);
            }
        }
        (i, j) = (ie, je);
    }

    // Pairs whose row hashes differ are compared field by field.
    let changed: Vec<(u32, u32, Vec<u16>)> = pairs
        .par_iter()
        .filter(|&&(a, b)| orh[a as usize] != nrh[b as usize])
        .filter_map(|&(a, b)| {
            let diff: Vec<u16> = fields
                .iter()
                .enumerate()
                .filter(|&(_, &(oc, nc))| {
                    !old.cols[oc]
                        .get(a as usize)
                        .same(&new.cols[nc].get(b as usize))
                })
                .map(|(k, _)| k as u16)
                .collect();
            (!diff.is_empty()).then_some((a, b, diff))
        })
        .collect();

    let mut per_field = vec![0usize; fields.len()];
    for (_, _, d) in &changed {
        for &k in d {
            per_field[k as usize] += 1;
        }
    }
    let changed_fields = per_field
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(k, &n)| (new.spec.fields[fields[k].1].name.clone(), n))
        .collect();

    let n_changed = changed.len();
    let unchanged = pairs.len() - n_changed;
    let mut changed = changed;
    changed.par_sort_unstable_by(|x, y| new.key_order(&nkey, x.1 as usize, y.1 as usize));
    changed.truncate(limit);
    let changed_rows = changed
        .iter()
        .map(|(a, b, d)| ChangedRow {
            key: new.key_values(&nkey, *b as usize),
            summary: new.summary(*b as usize),
            changes: d
                .iter()
                .map(|&k| {
                    let (oc, nc) = fields[k as usize];
                    FieldChange {
                        field: new.spec.fields[nc].name.clone(),
                        old: old.cols[oc].get(*a as usize).to_value(),
                        new: new.cols[nc].get(*b as usize).to_value(),
                    }
                })
                .collect(),
        })
        .collect();

    let (n_added, n_removed) = (added.len(), removed.len());
    let added_rows = new
        .sorted(&nkey, added, limit)
        .iter()
        .map(|&i| new.row_diff(&nkey, i as usize))
        .collect();
    let removed_rows = old
        .sorted(&okey, removed, limit)
        .iter()
        .map(|&i| old.row_diff(&okey, i as usize))
        .collect();

    TableDiff {
        table: name.to_string(),
        status: TableStatus::Compared,
        key: key_names,
        added: n_added,
        removed: n_removed,
        changed: n_changed,
        unchanged,
        changed_fields,
        added_rows,
        removed_rows,
        changed_rows,
    }
}

/// A cell value for text output: text as is, dates ISO, null as `null`.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Num(x) => x.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
    }
}

/// A row's key for text output: `event_id=e1` or `event_id=e1, seq=2`.
pub fn key_text(fields: &[String], key: &[Value]) -> String {
    fields
        .iter()
        .zip(key)
        .map(|(f, v)| format!("{f}={}", value_text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_on_char_boundaries() {
        assert_eq!(short("a  b\nc", 10), "a b c");
        assert_eq!(short("ééééé", 3), "ééé…");
    }

    #[test]
    fn fail_on_parses() {
        for f in FailOn::ALL {
            assert_eq!(f.as_str().parse::<FailOn>(), Ok(f));
        }
        assert!("some".parse::<FailOn>().is_err());
    }

    #[test]
    fn cells_compare_by_value() {
        assert!(Cell::Num(f64::NAN).same(&Cell::Num(f64::NAN)));
        assert!(!Cell::Int(1).same(&Cell::Num(1.0)));
        assert_eq!(Cell::Null.order(&Cell::Str("a")), Ordering::Less);
        assert_eq!(
            Cell::Date(0).to_value(),
            Value::Date(chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default())
        );
    }
}

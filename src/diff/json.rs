//! The JSON rendering of a [`DatasetDiff`], for machines. Its shape is
//! documented in the [`crate::diff`] module docs and `docs/diff-json.md`;
//! keys come out in a fixed order so the output is byte-stable.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{ChangedRow, DatasetDiff, RowDiff, SchemaChange, TableDiff};
use crate::tables::Value;

/// The version of the JSON shape; bumped when a key changes meaning.
pub const FORMAT_VERSION: u32 = 1;

struct Cell<'a>(&'a Value);

impl Serialize for Cell<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_none(),
            Value::Str(v) => s.serialize_str(v),
            Value::Int(v) => s.serialize_i64(*v),
            Value::Num(v) if v.is_finite() => s.serialize_f64(*v),
            Value::Num(_) => s.serialize_none(),
            Value::Bool(v) => s.serialize_bool(*v),
            Value::Date(d) => s.collect_str(d),
        }
    }
}

/// Fields and values as an object, in the given order.
struct Obj<'a, I: Iterator<Item = (&'a str, &'a Value)> + Clone>(I);

impl<'a, I: Iterator<Item = (&'a str, &'a Value)> + Clone> Serialize for Obj<'a, I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (k, v) in self.0.clone() {
            m.serialize_entry(k, &Cell(v))?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct Doc<'a> {
    format: &'static str,
    format_version: u32,
    old: Version<'a>,
    new: Version<'a>,
    summary: Summary,
    schema_changes: Vec<Change<'a>>,
    tables: Vec<Table<'a>>,
}

#[derive(Serialize)]
struct Version<'a> {
    path: String,
    schema_version: &'a str,
}

#[derive(Serialize)]
struct Summary {
    added: usize,
    removed: usize,
    changed: usize,
    unchanged: usize,
    schema_changes: usize,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Detail<'a> {
    Text(&'a str),
    List(&'a [String]),
}

#[derive(Serialize)]
struct Change<'a> {
    kind: &'static str,
    table: Option<&'a str>,
    field: Option<&'a str>,
    old: Option<Detail<'a>>,
    new: Option<Detail<'a>>,
}

fn change(c: &SchemaChange) -> Change<'_> {
    use Detail::{List, Text};
    let (field, old, new) = match c {
        SchemaChange::VersionChanged { old, new } => (None, Some(Text(old)), Some(Text(new))),
        SchemaChange::TableAdded { .. } | SchemaChange::TableRemoved { .. } => (None, None, None),
        SchemaChange::FieldAdded { field, ty, .. } => (Some(field.as_str()), None, Some(Text(ty))),
        SchemaChange::FieldRemoved { field, ty, .. } => {
            (Some(field.as_str()), Some(Text(ty)), None)
        }
        SchemaChange::FieldRetyped {
            field,
            old_ty,
            new_ty,
            ..
        } => (Some(field.as_str()), Some(Text(old_ty)), Some(Text(new_ty))),
        SchemaChange::PrimaryKeyChanged { old, new, .. } => {
            (None, Some(List(old)), Some(List(new)))
        }
    };
    Change {
        kind: c.kind(),
        table: c.table(),
        field,
        old,
        new,
    }
}

struct Key<'a>(&'a [String], &'a [Value]);

impl Serialize for Key<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Obj(self.0.iter().map(String::as_str).zip(self.1.iter())).serialize(s)
    }
}

struct Row<'a>(&'a [(String, Value)]);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Obj(self.0.iter().map(|(k, v)| (k.as_str(), v))).serialize(s)
    }
}

#[derive(Serialize)]
struct Listed<'a> {
    key: Key<'a>,
    summary: Option<&'a str>,
    row: Row<'a>,
}

#[derive(Serialize)]
struct FieldChange<'a> {
    field: &'a str,
    old: Cell<'a>,
    new: Cell<'a>,
}

#[derive(Serialize)]
struct Changed<'a> {
    key: Key<'a>,
    summary: Option<&'a str>,
    changes: Vec<FieldChange<'a>>,
}

struct Counts<'a>(&'a [(String, usize)]);

impl Serialize for Counts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, n) in self.0 {
            m.serialize_entry(k, n)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct Table<'a> {
    table: &'a str,
    status: &'static str,
    key: &'a [String],
    added: usize,
    removed: usize,
    changed: usize,
    unchanged: usize,
    changed_fields: Counts<'a>,
    truncated: bool,
    added_rows: Vec<Listed<'a>>,
    removed_rows: Vec<Listed<'a>>,
    changed_rows: Vec<Changed<'a>>,
}

fn listed<'a>(td: &'a TableDiff, r: &'a RowDiff) -> Listed<'a> {
    Listed {
        key: Key(&td.key, &r.key),
        summary: r.summary.as_deref(),
        row: Row(&r.row),
    }
}

fn changed<'a>(td: &'a TableDiff, r: &'a ChangedRow) -> Changed<'a> {
    Changed {
        key: Key(&td.key, &r.key),
        summary: r.summary.as_deref(),
        changes: r
            .changes
            .iter()
            .map(|c| FieldChange {
                field: &c.field,
                old: Cell(&c.old),
                new: Cell(&c.new),
            })
            .collect(),
    }
}

fn table(td: &TableDiff, limit: usize) -> Table<'_> {
    let added_rows: Vec<Listed> = td
        .added_rows
        .iter()
        .take(limit)
        .map(|r| listed(td, r))
        .collect();
    let removed_rows: Vec<Listed> = td
        .removed_rows
        .iter()
        .take(limit)
        .map(|r| listed(td, r))
        .collect();
    let changed_rows: Vec<Changed> = td
        .changed_rows
        .iter()
        .take(limit)
        .map(|r| changed(td, r))
        .collect();
    let truncated = added_rows.len() < td.added
        || removed_rows.len() < td.removed
        || changed_rows.len() < td.changed;
    Table {
        table: &td.table,
        status: td.status.as_str(),
        key: &td.key,
        added: td.added,
        removed: td.removed,
        changed: td.changed,
        unchanged: td.unchanged,
        changed_fields: Counts(&td.changed_fields),
        truncated,
        added_rows,
        removed_rows,
        changed_rows,
    }
}

/// Renders `diff` as pretty-printed JSON (with a final newline), listing at most
/// `limit` rows of each kind per table; pass `usize::MAX` for all of them.
pub fn render_json(diff: &DatasetDiff, limit: usize) -> String {
    let t = diff.totals();
    let doc = Doc {
        format: "sitrep-diff",
        format_version: FORMAT_VERSION,
        old: Version {
            path: diff.old_path.display().to_string(),
            schema_version: &diff.old_version,
        },
        new: Version {
            path: diff.new_path.display().to_string(),
            schema_version: &diff.new_version,
        },
        summary: Summary {
            added: t.added,
            removed: t.removed,
            changed: t.changed,
            unchanged: t.unchanged,
            schema_changes: diff.schema_changes.len(),
        },
        schema_changes: diff.schema_changes.iter().map(change).collect(),
        tables: diff.tables.iter().map(|td| table(td, limit)).collect(),
    };
    // Serialising these types cannot fail: every key is a string and every float is finite.
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

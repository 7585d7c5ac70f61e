//! The dataset's tables: their definitions (the single source of truth for
//! the schema written to `datapackage.json`, `schema/` and the Parquet
//! files) and a small columnar container that the writers consume.
//!
//! A table is built row by row from the typed rows in [`rows`], which turn
//! themselves into [`Value`]s in the order of their [`TableDef`]'s fields.

pub mod defs;
pub mod rows;

use chrono::NaiveDate;

pub use defs::{ALL_TABLES, SCHEMA_VERSION};

/// The logical type of a column. Each maps to one Arrow/Parquet type and one
/// Frictionless Table Schema type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// UTF-8 text (Arrow `Utf8`, Frictionless `string`).
    String,
    /// 64-bit signed integer (Arrow `Int64`, Frictionless `integer`).
    Integer,
    /// 64-bit float (Arrow `Float64`, Frictionless `number`).
    Number,
    /// Boolean (Arrow `Boolean`, Frictionless `boolean`).
    Boolean,
    /// Calendar date (Arrow `Date32`, Frictionless `date`, ISO 8601 in CSV).
    Date,
}

impl FieldType {
    /// The Frictionless Table Schema type name.
    pub fn frictionless(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub ty: FieldType,
    /// False when the column may hold nulls.
    pub required: bool,
    pub description: &'static str,
    /// The allowed values, for an enum column; empty otherwise.
    pub enum_values: &'static [&'static str],
    /// Inclusive numeric bounds, for a constrained number column.
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// Values that repeat little (the row's own id, free text, an event's
    /// id in its link tables, where it recurs a few times): Parquet stores
    /// them plainly rather than through a dictionary, which would hash
    /// every value only to give up, or (the link tables' event ids) make
    /// the file larger: 2-15% on a 10 MB build.
    pub distinct: bool,
}

impl FieldDef {
    pub const fn new(
        name: &'static str,
        ty: FieldType,
        required: bool,
        description: &'static str,
    ) -> FieldDef {
        FieldDef {
            name,
            ty,
            required,
            description,
            enum_values: &[],
            minimum: None,
            maximum: None,
            distinct: false,
        }
    }
    pub const fn one_of(mut self, values: &'static [&'static str]) -> FieldDef {
        self.enum_values = values;
        self
    }
    pub const fn distinct(mut self) -> FieldDef {
        self.distinct = true;
        self
    }
    pub const fn range(mut self, minimum: f64, maximum: f64) -> FieldDef {
        self.minimum = Some(minimum);
        self.maximum = Some(maximum);
        self
    }
}

/// A foreign key: `fields` of this table reference `reference_fields` of `reference_table`.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    pub fields: &'static [&'static str],
    pub reference_table: &'static str,
    pub reference_fields: &'static [&'static str],
}

/// A table's definition.
#[derive(Debug, Clone, Copy)]
pub struct TableDef {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub fields: &'static [FieldDef],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
}

impl TableDef {
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Str(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    Date(NaiveDate),
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        v.map_or(Value::Null, Value::Str)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Str(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Str(v.to_string())
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        v.map_or(Value::Null, |s| Value::Str(s.to_string()))
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        v.map_or(Value::Null, Value::Int)
    }
}
impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Value {
        v.map_or(Value::Null, Value::Num)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl From<Option<NaiveDate>> for Value {
    fn from(v: Option<NaiveDate>) -> Value {
        v.map_or(Value::Null, Value::Date)
    }
}

/// A typed row of one table.
pub trait Row {
    const DEF: &'static TableDef;
    /// The row's cells, in the order of `DEF.fields` (moved, not copied:
    /// a row is written once).
    fn into_values(self) -> Vec<Value>;
}

/// A column's cells.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Str(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Num(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Date(Vec<Option<NaiveDate>>),
}

impl Column {
    fn new(ty: FieldType) -> Column {
        match ty {
            FieldType::String => Column::Str(Vec::new()),
            FieldType::Integer => Column::Int(Vec::new()),
            FieldType::Number => Column::Num(Vec::new()),
            FieldType::Boolean => Column::Bool(Vec::new()),
            FieldType::Date => Column::Date(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Column::Str(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Num(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Date(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a cell; a value of the wrong type is a bug in a row type and panics in tests.
    fn push(&mut self, value: Value, field: &FieldDef) {
        match (self, value) {
            (Column::Str(v), Value::Str(s)) => v.push(Some(s)),
            (Column::Int(v), Value::Int(i)) => v.push(Some(i)),
            (Column::Num(v), Value::Num(x)) => v.push(Some(x)),
            (Column::Num(v), Value::Int(i)) => v.push(Some(i as f64)),
            (Column::Bool(v), Value::Bool(b)) => v.push(Some(b)),
            (Column::Date(v), Value::Date(d)) => v.push(Some(d)),
            (Column::Str(v), Value::Null) => v.push(None),
            (Column::Int(v), Value::Null) => v.push(None),
            (Column::Num(v), Value::Null) => v.push(None),
            (Column::Bool(v), Value::Null) => v.push(None),
            (Column::Date(v), Value::Null) => v.push(None),
            (col, value) => {
                debug_assert!(
                    false,
                    "field {}: {value:?} does not fit {col:?}",
                    field.name
                );
                // In release, keep the table rectangular rather than panic on a row-type bug.
                match col {
                    Column::Str(v) => v.push(None),
                    Column::Int(v) => v.push(None),
                    Column::Num(v) => v.push(None),
                    Column::Bool(v) => v.push(None),
                    Column::Date(v) => v.push(None),
                }
            }
        }
    }

    /// The cell at `i` as a [`Value`].
    pub fn get(&self, i: usize) -> Value {
        match self {
            Column::Str(v) => v.get(i).cloned().flatten().map_or(Value::Null, Value::Str),
            Column::Int(v) => v.get(i).copied().flatten().map_or(Value::Null, Value::Int),
            Column::Num(v) => v.get(i).copied().flatten().map_or(Value::Null, Value::Num),
            Column::Bool(v) => v.get(i).copied().flatten().map_or(Value::Null, Value::Bool),
            Column::Date(v) => v.get(i).copied().flatten().map_or(Value::Null, Value::Date),
        }
    }
}

/// A batch of rows of one table, held by column.
#[derive(Debug, Clone)]
pub struct Table {
    pub def: &'static TableDef,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn new(def: &'static TableDef) -> Table {
        Table {
            def,
            columns: def.fields.iter().map(|f| Column::new(f.ty)).collect(),
        }
    }

    pub fn from_rows<R: Row>(rows: impl IntoIterator<Item = R>) -> Table {
        let mut table = Table::new(R::DEF);
        table.extend(rows);
        table
    }

    /// Appends rows of this table's type.
    pub fn extend<R: Row>(&mut self, rows: impl IntoIterator<Item = R>) {
        for row in rows {
            self.push(row);
        }
    }

    pub fn push<R: Row>(&mut self, row: R) {
        debug_assert_eq!(R::DEF.name, self.def.name);
        self.push_values(row.into_values());
    }

    pub fn push_values(&mut self, values: Vec<Value>) {
        debug_assert_eq!(
            values.len(),
            self.def.fields.len(),
            "table {}",
            self.def.name
        );
        for ((col, field), value) in self.columns.iter_mut().zip(self.def.fields).zip(values) {
            col.push(value, field);
        }
    }

    pub fn num_rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.def.field_index(name).map(|i| &self.columns[i])
    }
}

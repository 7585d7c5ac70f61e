//! Parquet: one `<table>.parquet` per table, streamed batch by batch
//! through parquet's `ArrowWriter` (zstd level 3, row groups of at most
//! 65,536 rows or 128 MiB, dictionary encoding except for the columns
//! whose values rarely repeat, see
//! [`FieldDef::distinct`](crate::tables::FieldDef::distinct)), with each
//! field's description in its Arrow metadata, the schema version and table
//! description in the file's key-value metadata, and `created_by` pinned so
//! the bytes depend only on the data. Also a reader that turns any of our
//! Parquet files back into [`Column`]s.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array,
    LargeStringArray, RecordBatch, StringArray, StringViewArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;

use super::atomic::{FileDigest, HashedFile};
use super::geo;
use crate::error::{Error, Result};
use crate::tables::{Column, FieldType, SCHEMA_VERSION, Table, TableDef};

/// zstd level: fixed, so the bytes do not change with a library default.
const ZSTD_LEVEL: i32 = 3;
const MAX_ROW_GROUP_ROWS: usize = 65_536;
const MAX_ROW_GROUP_BYTES: usize = 128 << 20;

/// The Arrow type of a logical field type.
pub fn arrow_type(ty: FieldType) -> DataType {
    match ty {
        FieldType::String => DataType::Utf8,
        FieldType::Integer => DataType::Int64,
        FieldType::Number => DataType::Float64,
        FieldType::Boolean => DataType::Boolean,
        FieldType::Date => DataType::Date32,
    }
}

/// The Arrow schema of a table as written to Parquet (with `geometry` for `locations`).
pub fn arrow_schema(def: &TableDef) -> SchemaRef {
    let mut fields: Vec<Field> = def
        .fields
        .iter()
        .map(|f| {
            Field::new(f.name, arrow_type(f.ty), !f.required).with_metadata(HashMap::from([(
                "description".to_string(),
                f.description.to_string(),
            )]))
        })
        .collect();
    if geo::has_geometry(def.name) {
        fields.push(
            Field::new(geo::GEOMETRY_COLUMN, DataType::Binary, true).with_metadata(
                HashMap::from([(
                    "description".to_string(),
                    "The place as a WKB Point (longitude, latitude in WGS 84 / OGC:CRS84); null where the coordinates are unknown. GeoParquet 1.1.".to_string(),
                )]),
            ),
        );
    }
    Arc::new(Schema::new(fields))
}

fn writer_properties(def: &TableDef) -> Result<WriterProperties> {
    let level = ZstdLevel::try_new(ZSTD_LEVEL).map_err(|e| Error::Write {
        path: PathBuf::from(format!("{}.parquet", def.name)),
        detail: e.to_string(),
    })?;
    let mut kv = vec![
        KeyValue::new("sitrep.schema_version".into(), SCHEMA_VERSION.to_string()),
        KeyValue::new("sitrep.table".into(), def.name.to_string()),
        KeyValue::new("sitrep.description".into(), def.description.to_string()),
    ];
    if geo::has_geometry(def.name) {
        kv.push(KeyValue::new("geo".into(), geo::geo_metadata()));
    }
    let mut props = WriterProperties::builder();
    for f in def.fields.iter().filter(|f| f.distinct) {
        props = props.set_column_dictionary_enabled(ColumnPath::from(f.name), false);
    }
    Ok(props
        .set_created_by(format!("sitrep {}", env!("CARGO_PKG_VERSION")))
        .set_compression(Compression::ZSTD(level))
        .set_max_row_group_row_count(Some(MAX_ROW_GROUP_ROWS))
        .set_max_row_group_bytes(Some(MAX_ROW_GROUP_BYTES))
        .set_key_value_metadata(Some(kv))
        .build())
}

/// Streams batches of one table into `<dir>/<table>.parquet`.
pub struct ParquetTableWriter {
    def: &'static TableDef,
    schema: SchemaRef,
    path: PathBuf,
    writer: ArrowWriter<HashedFile>,
}

impl ParquetTableWriter {
    pub fn create(dir: &Path, def: &'static TableDef) -> Result<ParquetTableWriter> {
        let path = dir.join(format!("{}.parquet", def.name));
        let file = HashedFile::create(&path)?;
        let schema = arrow_schema(def);
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(writer_properties(def)?))
            .map_err(|e| write_error(&path, e))?;
        Ok(ParquetTableWriter {
            def,
            schema,
            path,
            writer,
        })
    }

    pub fn append(&mut self, table: &Table) -> Result<()> {
        if table.num_rows() == 0 {
            return Ok(());
        }
        let batch = record_batch(self.def, &self.schema, table).map_err(|detail| Error::Write {
            path: self.path.clone(),
            detail,
        })?;
        self.writer
            .write(&batch)
            .map_err(|e| write_error(&self.path, e))
    }

    /// Closes the file (footer, sync) and returns its digest.
    pub fn finish(self) -> Result<FileDigest> {
        let file = self
            .writer
            .into_inner()
            .map_err(|e| write_error(&self.path, e))?;
        file.finish()
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// The days since 1970-01-01 of a date, as Arrow's Date32 counts them.
pub fn date32(d: NaiveDate) -> i32 {
    (d - NaiveDate::default()).num_days() as i32
}

/// The date of a Date32 value.
pub fn from_date32(days: i32) -> Option<NaiveDate> {
    NaiveDate::default().checked_add_signed(chrono::Duration::days(days as i64))
}

/// A batch of a table as an Arrow record batch. Errors (as text) when a
/// required column holds a null or the table does not match its definition.
fn record_batch(
    def: &TableDef,
    schema: &SchemaRef,
    table: &Table,
) -> std::result::Result<RecordBatch, String> {
    if table.columns.len() != def.fields.len() {
        return Err(format!(
            "table {} has {} columns, its definition {}",
            def.name,
            table.columns.len(),
            def.fields.len()
        ));
    }
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for (col, field) in table.columns.iter().zip(def.fields) {
        let array: ArrayRef = match (col, field.ty) {
            (Column::Str(v), FieldType::String) => {
                let bytes = v.iter().flatten().map(String::len).sum();
                let mut b = StringBuilder::with_capacity(v.len(), bytes);
                v.iter().for_each(|s| b.append_option(s.as_deref()));
                Arc::new(b.finish())
            }
            (Column::Int(v), FieldType::Integer) => Arc::new(Int64Array::from(v.clone())),
            (Column::Num(v), FieldType::Number) => Arc::new(Float64Array::from(v.clone())),
            (Column::Bool(v), FieldType::Boolean) => Arc::new(BooleanArray::from(v.clone())),
            (Column::Date(v), FieldType::Date) => {
                Arc::new(Date32Array::from_iter(v.iter().map(|d| d.map(date32))))
            }
            _ => {
                return Err(format!(
                    "column {}.{} does not hold {:?} values",
                    def.name, field.name, field.ty
                ));
            }
        };
        if field.required && array.null_count() > 0 {
            return Err(format!(
                "column {}.{} is required but {} of {} rows are null",
                def.name,
                field.name,
                array.null_count(),
                array.len()
            ));
        }
        arrays.push(array);
    }
    if geo::has_geometry(def.name) {
        arrays.push(geo::geometry_array(table));
    }
    RecordBatch::try_new(schema.clone(), arrays).map_err(|e| e.to_string())
}

/// A Parquet file read back: the table it says it holds and its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ParquetTable {
    /// The `sitrep.table` metadata, when present.
    pub table: Option<String>,
    /// The `sitrep.schema_version` metadata, when present.
    pub schema_version: Option<String>,
    /// Every column of a type [`Column`] can hold, by name, in file order.
    /// Columns of other types (e.g. the WKB `geometry`) are left out.
    pub columns: Vec<(String, Column)>,
}

impl ParquetTable {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }
    pub fn num_rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }
}

/// Reads any Parquet file of flat columns (Utf8, LargeUtf8, Utf8View, Int64,
/// Int32, Float64, Boolean, Date32) into [`Column`]s, following the file's
/// own Arrow schema rather than our table definitions, so a dataset written
/// by an older sitrep can be read too.
pub fn read_parquet_table(path: &Path) -> Result<ParquetTable> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let read_err = |e: &dyn std::fmt::Display| Error::Write {
        path: path.to_path_buf(),
        detail: format!("reading Parquet: {e}"),
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| read_err(&e))?;
    let kv = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .cloned()
        .unwrap_or_default();
    let get = |k: &str| kv.iter().find(|e| e.key == k).and_then(|e| e.value.clone());
    let table = get("sitrep.table");
    let schema_version = get("sitrep.schema_version");
    let schema = builder.schema().clone();
    let mut columns: Vec<(usize, String, Column)> = schema
        .fields()
        .iter()
        .enumerate()
        .filter_map(|(i, f)| empty_column(f.data_type()).map(|c| (i, f.name().clone(), c)))
        .collect();
    let reader = builder.build().map_err(|e| read_err(&e))?;
    for batch in reader {
        let batch = batch.map_err(|e| read_err(&e))?;
        for (i, _, col) in &mut columns {
            extend(col, batch.column(*i).as_ref());
        }
    }
    Ok(ParquetTable {
        table,
        schema_version,
        columns: columns.into_iter().map(|(_, n, c)| (n, c)).collect(),
    })
}

fn empty_column(ty: &DataType) -> Option<Column> {
    Some(match ty {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Column::Str(Vec::new()),
        DataType::Int64 | DataType::Int32 => Column::Int(Vec::new()),
        DataType::Float64 => Column::Num(Vec::new()),
        DataType::Boolean => Column::Bool(Vec::new()),
        DataType::Date32 => Column::Date(Vec::new()),
        _ => return None,
    })
}

fn extend(col: &mut Column, array: &dyn Array) {
    let any = array.as_any();
    match col {
        Column::Str(v) => {
            if let Some(a) = any.downcast_ref::<StringArray>() {
                v.extend(a.iter().map(|s| s.map(str::to_string)));
            } else if let Some(a) = any.downcast_ref::<LargeStringArray>() {
                v.extend(a.iter().map(|s| s.map(str::to_string)));
            } else if let Some(a) = any.downcast_ref::<StringViewArray>() {
                v.extend(a.iter().map(|s| s.map(str::to_string)));
            }
        }
        Column::Int(v) => {
            if let Some(a) = any.downcast_ref::<Int64Array>() {
                v.extend(a.iter());
            } else if let Some(a) = any.downcast_ref::<Int32Array>() {
                v.extend(a.iter().map(|x| x.map(i64::from)));
            }
        }
        Column::Num(v) => {
            if let Some(a) = any.downcast_ref::<Float64Array>() {
                v.extend(a.iter());
            }
        }
        Column::Bool(v) => {
            if let Some(a) = any.downcast_ref::<BooleanArray>() {
                v.extend(a.iter());
            }
        }
        Column::Date(v) => {
            if let Some(a) = any.downcast_ref::<Date32Array>() {
                v.extend(a.iter().map(|d| d.and_then(from_date32)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_columns_have_no_dictionary_and_the_others_keep_theirs() {
        use crate::tables::rows::RejectRow;
        use crate::tables::{Row, Table};
        use parquet::file::reader::{FileReader, SerializedFileReader};

        let def = RejectRow::DEF;
        let by_name = |n: &str| def.fields.iter().find(|f| f.name == n).map(|f| f.distinct);
        assert_eq!(by_name("input"), Some(true));
        assert_eq!(by_name("reason"), Some(false));
        let dir = tempfile::tempdir().expect("tempdir");
        let rows = (0..500).map(|i| RejectRow {
            input: format!("feed.jsonl#L{i}"),
            reason: if i % 2 == 0 { "empty" } else { "duplicate" },
            detail: format!("detail {i}"),
        });
        let mut w = ParquetTableWriter::create(dir.path(), def).expect("writer");
        w.append(&Table::from_rows(rows)).expect("append");
        w.finish().expect("finish");
        let file = File::open(dir.path().join("rejects.parquet")).expect("open");
        let reader = SerializedFileReader::new(file).expect("reader");
        let group = reader.metadata().row_group(0);
        let dictionary = |i: usize| group.column(i).dictionary_page_offset().is_some();
        let names: Vec<&str> = def.fields.iter().map(|f| f.name).collect();
        assert_eq!(names, ["input", "reason", "detail"]);
        assert!(!dictionary(0), "input is written plainly");
        assert!(dictionary(1), "reason keeps its dictionary");
        assert!(!dictionary(2), "detail is written plainly");
    }

    #[test]
    fn date32_round_trips() {
        for (y, m, d) in [(1970, 1, 1), (2011, 3, 15), (1969, 12, 31), (2024, 2, 29)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
            assert_eq!(from_date32(date32(date)), Some(date));
        }
        assert_eq!(
            date32(NaiveDate::from_ymd_opt(1970, 1, 2).expect("date")),
            1
        );
    }
}

//! Loading a dataset folder for `sitrep diff`: its `datapackage.json`
//! (tables, fields, primary keys), its schema version (from `manifest.json`
//! or the datapackage), and each table's columns as Arrow arrays, read from
//! the table's Parquet file or, when that is absent, from its CSV file.
//!
//! The reader is generic: it knows nothing of sitrep's own table
//! definitions, only what the datapackage says, so it can read a dataset
//! written by an older or newer sitrep of the same schema major version.

use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value as Json;

use super::DiffError;

/// One field of a table, as the datapackage describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: String,
    /// The Frictionless type name (`string`, `integer`, `number`, `boolean`, `date`, ...).
    pub ty: String,
}

/// One table (a datapackage resource).
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub name: String,
    pub fields: Vec<FieldSpec>,
    /// The primary key's fields; empty when the resource declares none.
    pub primary_key: Vec<String>,
    /// The CSV file, relative to the dataset folder.
    pub csv: Option<PathBuf>,
    /// The Parquet file (`sitrep:parquet`), relative to the dataset folder.
    pub parquet: Option<PathBuf>,
}

impl TableSpec {
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A dataset folder's description, before any table is read.
#[derive(Debug, Clone)]
pub struct DatasetSpec {
    pub path: PathBuf,
    pub schema_version: String,
    /// The tables, in the datapackage's order.
    pub tables: Vec<TableSpec>,
}

impl DatasetSpec {
    pub fn table(&self, name: &str) -> Option<&TableSpec> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// A table's columns, one Arrow array per field of its [`TableSpec`], in that order.
#[derive(Debug, Clone)]
pub struct LoadedTable {
    pub columns: Vec<ArrayRef>,
    pub num_rows: usize,
}

fn not_a_dataset(path: &Path, detail: impl Into<String>) -> DiffError {
    DiffError::NotADataset {
        path: path.to_path_buf(),
        detail: detail.into(),
    }
}

fn read_error(path: &Path, detail: impl std::fmt::Display) -> DiffError {
    DiffError::Read {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    }
}

/// Reads a dataset folder's `datapackage.json` and schema version.
pub fn open(path: &Path) -> Result<DatasetSpec, DiffError> {
    if !path.is_dir() {
        let detail = if path.exists() {
            "it is not a folder (give the folder that holds datapackage.json)"
        } else {
            "it does not exist"
        };
        return Err(not_a_dataset(path, detail));
    }
    let dp_path = path.join("datapackage.json");
    if !dp_path.is_file() {
        return Err(not_a_dataset(
            path,
            "it has no datapackage.json (give a folder written by `sitrep build`)",
        ));
    }
    let text = std::fs::read_to_string(&dp_path).map_err(|e| read_error(&dp_path, e))?;
    let dp: Json = serde_json::from_str(&text)
        .map_err(|e| not_a_dataset(path, format!("datapackage.json is not valid JSON: {e}")))?;
    let resources = dp
        .get("resources")
        .and_then(Json::as_array)
        .ok_or_else(|| not_a_dataset(path, "datapackage.json has no \"resources\" list"))?;

    let mut tables = Vec::with_capacity(resources.len());
    for (i, res) in resources.iter().enumerate() {
        tables.push(table_spec(path, i, res)?);
    }

    let manifest_version = read_manifest_version(path)?;
    let dp_version = ["sitrep:schema_version", "schema_version", "version"]
        .iter()
        .find_map(|k| dp.get(*k).and_then(Json::as_str))
        .map(str::to_string);
    let schema_version = manifest_version.or(dp_version).ok_or_else(|| {
        not_a_dataset(
            path,
            "no schema version: neither manifest.json \"schema_version\" nor datapackage.json \"version\"",
        )
    })?;
    major_version(&schema_version).ok_or_else(|| {
        not_a_dataset(
            path,
            format!("schema version {schema_version:?} is not of the form MAJOR.MINOR.PATCH"),
        )
    })?;
    Ok(DatasetSpec {
        path: path.to_path_buf(),
        schema_version,
        tables,
    })
}

fn read_manifest_version(path: &Path) -> Result<Option<String>, DiffError> {
    let m_path = path.join("manifest.json");
    if !m_path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&m_path).map_err(|e| read_error(&m_path, e))?;
    let m: Json = serde_json::from_str(&text)
        .map_err(|e| not_a_dataset(path, format!("manifest.json is not valid JSON: {e}")))?;
    Ok(m.get("schema_version")
        .and_then(Json::as_str)
        .map(str::to_string))
}

/// The major part of a `MAJOR.MINOR.PATCH` version (a leading `v` is allowed).
pub fn major_version(version: &str) -> Option<u64> {
    let v = version.trim();
    let v = v.strip_prefix('v').unwrap_or(v);
    v.split('.').next()?.parse().ok()
}

/// A relative path inside the dataset folder; absolute paths and `..` are refused so that a
/// datapackage cannot make the diff read (and print) files outside its folder.
fn inside_path(dataset: &Path, table: &str, p: &str) -> Result<PathBuf, DiffError> {
    let pb = PathBuf::from(p);
    let ok = !p.is_empty()
        && pb
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if ok {
        Ok(pb)
    } else {
        Err(not_a_dataset(
            dataset,
            format!("table {table}: path {p:?} is not a relative path inside the dataset folder"),
        ))
    }
}

fn table_spec(dataset: &Path, i: usize, res: &Json) -> Result<TableSpec, DiffError> {
    let name = res
        .get("name")
        .and_then(Json::as_str)
        .ok_or_else(|| {
            not_a_dataset(
                dataset,
                format!("datapackage.json resource {i} has no \"name\""),
            )
        })?
        .to_string();
    let csv = match res.get("path") {
        Some(Json::String(p)) => Some(inside_path(dataset, &name, p)?),
        Some(Json::Array(ps)) => match ps.first().and_then(Json::as_str) {
            Some(p) => Some(inside_path(dataset, &name, p)?),
            None => None,
        },
        _ => None,
    };
    let parquet = match res.get("sitrep:parquet").and_then(Json::as_str) {
        Some(p) => Some(inside_path(dataset, &name, p)?),
        None => None,
    };
    let schema = res.get("schema");
    let fields_json = schema
        .and_then(|s| s.get("fields"))
        .and_then(Json::as_array)
        .ok_or_else(|| not_a_dataset(dataset, format!("table {name}: no schema.fields list")))?;
    let mut fields = Vec::with_capacity(fields_json.len());
    for f in fields_json {
        let fname = f.get("name").and_then(Json::as_str).ok_or_else(|| {
            not_a_dataset(dataset, format!("table {name}: a field has no \"name\""))
        })?;
        let ty = f.get("type").and_then(Json::as_str).unwrap_or("string");
        fields.push(FieldSpec {
            name: fname.to_string(),
            ty: ty.to_string(),
        });
    }
    let primary_key = match schema.and_then(|s| s.get("primaryKey")) {
        Some(Json::String(k)) => vec![k.clone()],
        Some(Json::Array(ks)) => ks
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    for k in &primary_key {
        if !fields.iter().any(|f| &f.name == k) {
            return Err(not_a_dataset(
                dataset,
                format!("table {name}: primary key field {k} is not among its fields"),
            ));
        }
    }
    Ok(TableSpec {
        name,
        fields,
        primary_key,
        csv,
        parquet,
    })
}

/// Reads a table's columns: from its Parquet file when present, else from its CSV file.
pub fn load_table(dataset: &Path, spec: &TableSpec) -> Result<LoadedTable, DiffError> {
    if let Some(p) = &spec.parquet {
        let full = dataset.join(p);
        if full.is_file() {
            return load_parquet(&full, spec);
        }
    }
    if let Some(p) = &spec.csv {
        let full = dataset.join(p);
        if full.is_file() {
            return load_csv(&full, spec);
        }
    }
    Err(not_a_dataset(
        dataset,
        format!(
            "table {}: neither its Parquet nor its CSV file is in the folder",
            spec.name
        ),
    ))
}

fn supported(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::Float32
            | DataType::Float64
            | DataType::Boolean
            | DataType::Date32
            | DataType::Null
    )
}

fn load_parquet(path: &Path, spec: &TableSpec) -> Result<LoadedTable, DiffError> {
    let file = File::open(path).map_err(|e| read_error(path, e))?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| read_error(path, e))?;
    let num_rows = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    let schema = builder.schema().clone();
    // One batch for the whole file when possible: fewer, longer arrays are faster to scan.
    let reader = builder
        .with_batch_size(num_rows.max(1))
        .build()
        .map_err(|e| read_error(path, e))?;
    let batches: Vec<RecordBatch> = reader
        .collect::<Result<_, _>>()
        .map_err(|e| read_error(path, e))?;

    let mut columns = Vec::with_capacity(spec.fields.len());
    for f in &spec.fields {
        let idx = schema.index_of(&f.name).map_err(|_| {
            read_error(
                path,
                format!("column {} (in datapackage.json) is not in the file", f.name),
            )
        })?;
        let dt = schema.field(idx).data_type();
        if !supported(dt) {
            return Err(read_error(
                path,
                format!("column {} has type {dt}, which diff cannot compare", f.name),
            ));
        }
        let parts: Vec<&dyn Array> = batches.iter().map(|b| b.column(idx).as_ref()).collect();
        let col = match parts.len() {
            0 => arrow_array::new_empty_array(dt),
            1 => batches[0].column(idx).clone(),
            _ => arrow_select::concat::concat(&parts).map_err(|e| read_error(path, e))?,
        };
        columns.push(col);
    }
    let num_rows = columns.first().map_or(num_rows, |c| c.len());
    Ok(LoadedTable { columns, num_rows })
}

enum Builder {
    Str(StringBuilder),
    Int(Int64Builder),
    Num(Float64Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
}

const EPOCH_DAYS_FROM_CE: i32 = 719_163;

fn parse_into(b: &mut Builder, cell: &str) -> Result<(), String> {
    if cell.is_empty() {
        match b {
            Builder::Str(x) => x.append_null(),
            Builder::Int(x) => x.append_null(),
            Builder::Num(x) => x.append_null(),
            Builder::Bool(x) => x.append_null(),
            Builder::Date(x) => x.append_null(),
        }
        return Ok(());
    }
    match b {
        Builder::Str(x) => x.append_value(cell),
        Builder::Int(x) => x.append_value(
            cell.trim()
                .parse::<i64>()
                .map_err(|_| format!("{cell:?} is not an integer"))?,
        ),
        Builder::Num(x) => x.append_value(
            cell.trim()
                .parse::<f64>()
                .map_err(|_| format!("{cell:?} is not a number"))?,
        ),
        Builder::Bool(x) => x.append_value(match cell.trim() {
            "true" | "True" | "TRUE" | "1" => true,
            "false" | "False" | "FALSE" | "0" => false,
            _ => return Err(format!("{cell:?} is not a boolean")),
        }),
        Builder::Date(x) => {
            let d = chrono::NaiveDate::parse_from_str(cell.trim(), "%Y-%m-%d")
                .map_err(|_| format!("{cell:?} is not a date (YYYY-MM-DD)"))?;
            x.append_value(chrono::Datelike::num_days_from_ce(&d) - EPOCH_DAYS_FROM_CE)
        }
    }
    Ok(())
}

/// Reads a CSV table. An empty cell is null (CSV cannot tell an empty string from a null).
fn load_csv(path: &Path, spec: &TableSpec) -> Result<LoadedTable, DiffError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_path(path)
        .map_err(|e| read_error(path, e))?;
    let headers = rdr.headers().map_err(|e| read_error(path, e))?.clone();
    let mut idx = Vec::with_capacity(spec.fields.len());
    let mut builders = Vec::with_capacity(spec.fields.len());
    for f in &spec.fields {
        let i = headers.iter().position(|h| h == f.name).ok_or_else(|| {
            read_error(
                path,
                format!(
                    "column {} (in datapackage.json) is not in the header",
                    f.name
                ),
            )
        })?;
        idx.push(i);
        builders.push(match f.ty.as_str() {
            "integer" => Builder::Int(Int64Builder::new()),
            "number" => Builder::Num(Float64Builder::new()),
            "boolean" => Builder::Bool(BooleanBuilder::new()),
            "date" => Builder::Date(Date32Builder::new()),
            _ => Builder::Str(StringBuilder::new()),
        });
    }
    let mut record = csv::StringRecord::new();
    let mut n = 0usize;
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(read_error(path, e)),
        }
        n += 1;
        for ((b, &i), f) in builders.iter_mut().zip(&idx).zip(&spec.fields) {
            let cell = record.get(i).unwrap_or("");
            parse_into(b, cell)
                .map_err(|e| read_error(path, format!("line {}: column {}: {e}", n + 1, f.name)))?;
        }
    }
    let columns = builders
        .into_iter()
        .map(|b| -> ArrayRef {
            match b {
                Builder::Str(mut x) => Arc::new(x.finish()),
                Builder::Int(mut x) => Arc::new(x.finish()),
                Builder::Num(mut x) => Arc::new(x.finish()),
                Builder::Bool(mut x) => Arc::new(x.finish()),
                Builder::Date(mut x) => Arc::new(x.finish()),
            }
        })
        .collect();
    Ok(LoadedTable {
        columns,
        num_rows: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors() {
        assert_eq!(major_version("1.0.0"), Some(1));
        assert_eq!(major_version("v2.3"), Some(2));
        assert_eq!(major_version("x"), None);
    }

    #[test]
    fn paths_stay_inside() {
        let d = Path::new("ds");
        assert!(inside_path(d, "t", "events.csv").is_ok());
        assert!(inside_path(d, "t", "./data/events.csv").is_ok());
        assert!(inside_path(d, "t", "../secret.csv").is_err());
        assert!(inside_path(d, "t", "/etc/passwd").is_err());
        assert!(inside_path(d, "t", "").is_err());
    }
}

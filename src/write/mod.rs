//! Writing a dataset: every table as Parquet and CSV, `datapackage.json`
//! and `manifest.json`, into a temporary folder beside the target that is
//! renamed into place only when everything is written.
//!
//! Rows are streamed: each [`DatasetWriter::append`] goes straight to the
//! table's Parquet writer (which cuts row groups) and CSV writer; nothing
//! holds the whole dataset. One file per output format: [`parquet`],
//! [`csv`], [`datapackage`], [`manifest`]; [`atomic`] owns the temporary
//! folder and the replacement, [`geo`] the GeoParquet column of
//! `locations`, [`schema`] the repository's generated `schema/` folder.

pub mod atomic;
pub mod csv;
pub mod datapackage;
pub mod geo;
pub mod manifest;
pub mod parquet;
pub mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::tables::{ALL_TABLES, Table, TableDef};

pub use self::parquet::{ParquetTable, read_parquet_table};
pub use atomic::{FileDigest, is_dataset};
pub use schema::schema_files;

/// Facts about the build recorded in `manifest.json` (no timestamps, no absolute paths).
#[derive(Debug, Clone, Default)]
pub struct ManifestInfo {
    /// SHA-256 over the inputs' relative paths and content hashes.
    pub input_fingerprint: String,
    pub n_inputs: u64,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub out: PathBuf,
    /// Rows per table, for every table of the schema.
    pub rows: BTreeMap<String, u64>,
    /// Every file in the dataset folder (including `manifest.json`), sorted by name.
    pub files: Vec<FileDigest>,
}

/// The open files of one table.
struct TableFiles {
    parquet: self::parquet::ParquetTableWriter,
    csv: self::csv::CsvTableWriter,
    rows: u64,
}

/// Streams tables into a dataset folder.
pub struct DatasetWriter {
    out: PathBuf,
    tables: BTreeMap<&'static str, TableFiles>,
    /// Set when an append failed: the dataset is incomplete and is not committed.
    failed: bool,
    // Last, so that the open files are dropped before the folder is removed.
    staging: atomic::StagingDir,
}

impl DatasetWriter {
    /// Prepares a temporary folder beside `out`. Fails at once when `out`
    /// exists and is neither empty nor a sitrep dataset.
    pub fn create(out: &Path) -> Result<DatasetWriter> {
        let staging = atomic::StagingDir::create(out)?;
        Ok(DatasetWriter {
            out: out.to_path_buf(),
            tables: BTreeMap::new(),
            failed: false,
            staging,
        })
    }

    /// The dataset folder this writer replaces.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Appends a batch of rows of one table (tables may be appended to many times).
    pub fn append(&mut self, table: &Table) -> Result<()> {
        if self.failed {
            return Err(self.failed_error());
        }
        let result = self.append_inner(table);
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    fn append_inner(&mut self, table: &Table) -> Result<()> {
        let def = known_table(table.def, &self.out)?;
        let files = self.open(def)?;
        files.parquet.append(table)?;
        files.csv.append(table)?;
        files.rows += table.num_rows() as u64;
        Ok(())
    }

    fn open(&mut self, def: &'static TableDef) -> Result<&mut TableFiles> {
        let dir = self.staging.path();
        if !self.tables.contains_key(def.name) {
            let files = TableFiles {
                parquet: self::parquet::ParquetTableWriter::create(dir, def)?,
                csv: self::csv::CsvTableWriter::create(dir, def)?,
                rows: 0,
            };
            self.tables.insert(def.name, files);
        }
        self.tables.get_mut(def.name).ok_or_else(|| Error::Write {
            path: dir.to_path_buf(),
            detail: format!("table {} was not opened", def.name),
        })
    }

    fn failed_error(&self) -> Error {
        Error::Write {
            path: self.out.clone(),
            detail: "an earlier write failed; the dataset was not replaced".into(),
        }
    }

    /// Writes every table not yet written (empty), the schema and manifest,
    /// and moves the dataset into place.
    pub fn finish(mut self, info: &ManifestInfo) -> Result<Written> {
        if self.failed {
            return Err(self.failed_error());
        }
        for def in ALL_TABLES {
            self.open(def)?;
        }
        let dir = self.staging.path().to_path_buf();
        let mut rows = BTreeMap::new();
        let mut files = Vec::new();
        for (name, t) in std::mem::take(&mut self.tables) {
            rows.insert(name.to_string(), t.rows);
            files.push(t.parquet.finish()?);
            files.push(t.csv.finish()?);
        }
        files.push(atomic::write_file(
            &dir,
            "datapackage.json",
            datapackage::datapackage_json().as_bytes(),
        )?);
        let manifest = manifest::manifest_json(info, &rows, &files);
        files.push(atomic::write_file(
            &dir,
            "manifest.json",
            manifest.as_bytes(),
        )?);
        files.sort_by(|a, b| a.name.cmp(&b.name));
        self.staging.commit()?;
        Ok(Written {
            out: self.out,
            rows,
            files,
        })
    }
}

/// The schema's definition of a table, or an error for a table the schema does not know.
fn known_table(def: &'static TableDef, out: &Path) -> Result<&'static TableDef> {
    ALL_TABLES
        .iter()
        .copied()
        .find(|t| t.name == def.name)
        .ok_or_else(|| Error::Write {
            path: out.to_path_buf(),
            detail: format!("table {} is not part of the schema", def.name),
        })
}

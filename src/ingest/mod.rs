//! Finding inputs and reading each into [`RawDoc`]s: one file per input
//! format, all decoded (gzip, byte-order marks, legacy encodings) here.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::model::{RawDoc, Reject};

/// Safety limits on input sizes; hitting one gives a `too_large` reject.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_article_bytes: u64,
    pub max_line_bytes: u64,
    /// Largest decompressed size of one .gz input.
    pub max_decompressed_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_article_bytes: 20 << 20,
            max_line_bytes: 20 << 20,
            max_decompressed_bytes: 1 << 30,
        }
    }
}

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputUnit {
    /// Path relative to the input folder, `/`-separated (the `source_file`).
    pub rel: String,
    pub path: PathBuf,
}

/// What `discover` found: the files to read in sorted order, the inputs
/// rejected before reading, and the metadata CSV if any.
#[derive(Debug, Default)]
pub struct Inputs {
    pub units: Vec<InputUnit>,
    pub rejects: Vec<Reject>,
    pub metadata: Option<Metadata>,
}

/// Rows of a metadata CSV (`file,source,published,url`), keyed by file.
#[derive(Debug, Default, Clone)]
pub struct Metadata {}

impl Metadata {
    /// Fills `doc`'s source, published date and url from the row for its file.
    pub fn apply(&self, _doc: &mut RawDoc) {}
}

/// Finds the inputs under `paths` (folders recursively, or files).
pub fn discover(_paths: &[PathBuf], _metadata: Option<&Path>) -> Result<Inputs> {
    Ok(Inputs::default())
}

/// Reads one input file: one document, or one per JSON Lines record.
pub fn read(_unit: &InputUnit, _limits: &Limits) -> Vec<std::result::Result<RawDoc, Reject>> {
    Vec::new()
}

//! CSV: one `<table>.csv` per table, UTF-8 without byte-order mark, a header
//! row, RFC 4180 quoting (only where needed), `\n` line endings, an empty
//! field for null, ISO 8601 dates, `true`/`false`, plain integers and
//! floats in Rust's shortest round-trip form. An empty string cannot be told
//! from null in CSV; the Parquet file keeps the difference.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::atomic::{FileDigest, HashedFile};
use crate::error::{Error, Result};
use crate::tables::{Column, Table, TableDef};

/// Streams batches of one table into `<dir>/<table>.csv`.
pub struct CsvTableWriter {
    path: PathBuf,
    writer: csv::Writer<HashedFile>,
    buf: String,
}

impl CsvTableWriter {
    /// Creates the file and writes the header.
    pub fn create(dir: &Path, def: &'static TableDef) -> Result<CsvTableWriter> {
        let path = dir.join(format!("{}.csv", def.name));
        let file = HashedFile::create(&path)?;
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .quote_style(csv::QuoteStyle::Necessary)
            .buffer_capacity(1 << 16)
            .from_writer(file);
        writer
            .write_record(def.fields.iter().map(|f| f.name))
            .map_err(|e| csv_error(&path, e))?;
        Ok(CsvTableWriter {
            path,
            writer,
            buf: String::new(),
        })
    }

    pub fn append(&mut self, table: &Table) -> Result<()> {
        for row in 0..table.num_rows() {
            for col in &table.columns {
                let field = cell_text(&mut self.buf, col, row);
                self.writer
                    .write_field(field)
                    .map_err(|e| csv_error(&self.path, e))?;
            }
            self.writer
                .write_record(None::<&[u8]>)
                .map_err(|e| csv_error(&self.path, e))?;
        }
        Ok(())
    }

    /// Flushes and syncs the file and returns its digest.
    pub fn finish(self) -> Result<FileDigest> {
        let path = self.path;
        let file = self
            .writer
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        file.finish()
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// One cell's CSV text (empty for null): text as it is, other values
/// formatted into `buf`.
fn cell_text<'a>(buf: &'a mut String, col: &'a Column, row: usize) -> &'a str {
    buf.clear();
    match col {
        Column::Str(v) => return v.get(row).and_then(|s| s.as_deref()).unwrap_or(""),
        Column::Int(v) => {
            if let Some(Some(i)) = v.get(row) {
                let _ = write!(buf, "{i}");
            }
        }
        Column::Num(v) => {
            if let Some(Some(x)) = v.get(row) {
                format_number(buf, *x);
            }
        }
        Column::Bool(v) => {
            if let Some(Some(b)) = v.get(row) {
                buf.push_str(if *b { "true" } else { "false" });
            }
        }
        Column::Date(v) => {
            if let Some(Some(d)) = v.get(row) {
                let _ = write!(buf, "{}", d.format("%Y-%m-%d"));
            }
        }
    }
    buf
}

/// A float as the shortest decimal that reads back to the same value
/// (Rust's `Display`, no exponent), with Frictionless' spellings for the
/// non-finite values.
pub fn format_number(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "INF" } else { "-INF" });
    } else {
        let _ = write!(out, "{x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_shortest_round_trip() {
        for (x, s) in [
            (0.1, "0.1"),
            (1.0, "1"),
            (-0.5, "-0.5"),
            (36.2021, "36.2021"),
            (1.0 / 3.0, "0.3333333333333333"),
            (f64::INFINITY, "INF"),
        ] {
            let mut out = String::new();
            format_number(&mut out, x);
            assert_eq!(out, s);
            if x.is_finite() {
                assert_eq!(out.parse::<f64>().expect("float"), x);
            }
        }
    }
}

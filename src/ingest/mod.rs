//! Finding inputs and reading each into [`RawDoc`]s: one file per input
//! format (`text`, `html`, `jsonl`), all decoded (gzip, byte-order marks,
//! legacy encodings, binary detection) in `decode`, and the metadata CSV
//! that overrides a file's source, date and url in `metadata`.

pub mod decode;
pub mod html;
pub mod jsonl;
pub mod metadata;
pub mod text;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::model::{DateSource, Format, RawDoc, Reject, RejectReason};

/// Safety limits on input sizes; hitting one gives a `too_large` reject.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_article_bytes: u64,
    pub max_line_bytes: u64,
    /// Largest decompressed size of one .gz input. A .txt or .html .gz over
    /// it is rejected whole; a .jsonl.gz is read up to it (the records in
    /// the first that many bytes are kept) and the rest rejected.
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
pub struct Metadata {
    rows: metadata::Rows,
}

impl Metadata {
    /// Reads and checks a metadata CSV; a broken file is an `Error::Metadata`
    /// whose message says what to fix.
    pub fn load(path: &Path) -> Result<Metadata> {
        Ok(Metadata {
            rows: metadata::Rows::load(path)?,
        })
    }

    /// The row for a `source_file` (matched exactly, or by file name).
    pub fn row(&self, source_file: &str) -> Option<&metadata::MetaRow> {
        self.rows.get(source_file)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Fills `doc`'s source, published date and url from the row for its file.
    pub fn apply(&self, doc: &mut RawDoc) {
        self.rows.apply(doc);
    }
}

/// The format a file name says, and whether it is gzipped.
pub fn format_of(name: &str) -> Option<(Format, bool)> {
    let lower = name.to_ascii_lowercase();
    let (stem, gz) = match lower.strip_suffix(".gz") {
        Some(s) => (s, true),
        None => (lower.as_str(), false),
    };
    let ext = stem.rsplit_once('.')?.1;
    let format = match ext {
        "txt" => Format::Text,
        "html" | "htm" => Format::Html,
        "jsonl" | "ndjson" => Format::Jsonl,
        _ => return None,
    };
    Some((format, gz))
}

/// Files that live beside articles and are not articles.
fn is_ignored(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.') || lower == "metadata.csv" || lower.starts_with("readme")
}

/// Finds the inputs under `paths` (folders recursively, or files).
pub fn discover(paths: &[PathBuf], metadata: Option<&Path>) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    let mut first_dir: Option<&Path> = None;
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|_| Error::MissingInput(path.clone()))?;
        if meta.is_dir() {
            first_dir.get_or_insert(path.as_path());
            let mut seen = HashSet::new();
            if let Ok(c) = std::fs::canonicalize(path) {
                seen.insert(c);
            }
            walk(path, "", &mut seen, &mut inputs);
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.to_string_lossy().into_owned());
            add_file(path, name, &mut inputs);
        }
    }
    inputs.units.sort();
    inputs.units.dedup();
    inputs.rejects.sort_by(|a, b| a.input.cmp(&b.input));
    let meta_path = match metadata {
        Some(p) => {
            if !p.is_file() {
                return Err(Error::Metadata {
                    path: p.to_path_buf(),
                    detail: "no such file; give the path of a CSV with columns file,source,published,url".into(),
                });
            }
            Some(p.to_path_buf())
        }
        None => first_dir
            .map(|d| d.join("metadata.csv"))
            .filter(|p| p.is_file()),
    };
    if let Some(p) = meta_path {
        inputs.metadata = Some(Metadata::load(&p)?);
    }
    Ok(inputs)
}

fn add_file(path: &Path, rel: String, inputs: &mut Inputs) {
    if format_of(&rel).is_some() {
        inputs.units.push(InputUnit {
            rel,
            path: path.to_path_buf(),
        });
    } else {
        inputs.rejects.push(Reject::new(
            rel,
            RejectReason::UnsupportedFormat,
            "not .txt, .html, .htm, .jsonl, .ndjson or their .gz",
        ));
    }
}

fn walk(dir: &Path, prefix: &str, seen: &mut HashSet<PathBuf>, inputs: &mut Inputs) {
    let unreadable = |rel: &str, e: &dyn std::fmt::Display| {
        Reject::new(
            if rel.is_empty() { "." } else { rel },
            RejectReason::Unreadable,
            format!("cannot read: {e}"),
        )
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            inputs.rejects.push(unreadable(prefix, &e));
            return;
        }
    };
    let mut entries: Vec<_> = entries.collect();
    entries.sort_by_key(|e| e.as_ref().map(|e| e.file_name()).ok());
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                inputs.rejects.push(unreadable(prefix, &e));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follows links; a dangling link or a loop fails here.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                inputs.rejects.push(unreadable(&rel, &e));
                continue;
            }
        };
        if meta.is_dir() {
            let canon = match std::fs::canonicalize(&path) {
                Ok(c) => c,
                Err(e) => {
                    inputs.rejects.push(unreadable(&rel, &e));
                    continue;
                }
            };
            if !seen.insert(canon.clone()) {
                inputs.rejects.push(Reject::new(
                    rel,
                    RejectReason::Unreadable,
                    "a loop of symbolic links (this folder was already read)",
                ));
                continue;
            }
            walk(&path, &rel, seen, inputs);
            seen.remove(&canon);
        } else if !is_ignored(&name) {
            if !meta.is_file() && format_of(&rel).is_some() {
                // A FIFO, socket or device: reading it could block forever.
                inputs.rejects.push(Reject::new(
                    rel,
                    RejectReason::Unreadable,
                    "not a regular file (a pipe, socket or device)",
                ));
                continue;
            }
            add_file(&path, rel, inputs);
        }
    }
}

/// One piece of work for the build, in input order: a whole article file,
/// one line of a JSON Lines file, or an input already rejected.
#[derive(Debug)]
pub enum Job {
    /// A .txt or .html file (of either gzipped), read when the job is run.
    File(InputUnit),
    /// A line of the JSON Lines file `rel`, already read.
    Line { rel: Arc<str>, line: jsonl::Line },
    /// An input rejected while it was read (a JSON Lines line over the
    /// limit, a broken or empty JSON Lines file).
    Reject(Reject),
}

impl Job {
    /// Bytes of input the job holds in memory (a line's text).
    pub fn held_bytes(&self) -> usize {
        match self {
            Job::Line { line, .. } => line.text.len(),
            Job::File(_) | Job::Reject(_) => 0,
        }
    }

    /// The job's document, or why there is none.
    pub fn read(self, limits: &Limits) -> std::result::Result<RawDoc, Reject> {
        match self {
            Job::File(unit) => read_document(&unit, limits),
            Job::Line { rel, line } => jsonl::parse(&rel, &line),
            Job::Reject(reject) => Err(reject),
        }
    }
}

/// The jobs of `units` in order: a .txt or .html file is one job; a JSON
/// Lines file is streamed, one job a line, so no more than one line of it
/// is held at a time.
pub fn jobs<'a>(units: &'a [InputUnit], limits: &Limits) -> Jobs<'a> {
    Jobs {
        units: units.iter(),
        current: None,
        limits: *limits,
        units_started: 0,
    }
}

/// The iterator of [`jobs`].
pub struct Jobs<'a> {
    units: std::slice::Iter<'a, InputUnit>,
    current: Option<(Arc<str>, jsonl::Reader)>,
    limits: Limits,
    units_started: u64,
}

impl Jobs<'_> {
    /// How many input files have been read to their end (or handed out
    /// whole) so far.
    pub fn units_done(&self) -> u64 {
        self.units_started - u64::from(self.current.is_some())
    }
}

impl Iterator for Jobs<'_> {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        loop {
            if let Some((rel, reader)) = &mut self.current {
                match reader.next() {
                    Some(Ok(line)) => {
                        return Some(Job::Line {
                            rel: Arc::clone(rel),
                            line,
                        });
                    }
                    Some(Err(reject)) => return Some(Job::Reject(reject)),
                    None => self.current = None,
                }
            }
            let unit = self.units.next()?;
            self.units_started += 1;
            match format_of(&unit.rel) {
                Some((Format::Jsonl, gz)) => {
                    if let Err(reject) = regular_file_size(unit) {
                        return Some(Job::Reject(reject));
                    }
                    let reader = jsonl::Reader::open(&unit.rel, &unit.path, gz, &self.limits);
                    self.current = Some((Arc::from(unit.rel.as_str()), reader));
                }
                _ => return Some(Job::File(unit.clone())),
            }
        }
    }
}

/// Reads one input file: one document, or one per JSON Lines record (all
/// at once; the build streams them with [`jobs`]).
pub fn read(unit: &InputUnit, limits: &Limits) -> Vec<std::result::Result<RawDoc, Reject>> {
    jobs(std::slice::from_ref(unit), limits)
        .map(|job| job.read(limits))
        .collect()
}

/// The size of a unit that is a regular file, or the reject of one that is not.
fn regular_file_size(unit: &InputUnit) -> std::result::Result<u64, Reject> {
    let fail = |reason, detail: String| Reject::new(unit.rel.as_str(), reason, detail);
    match std::fs::metadata(&unit.path) {
        Ok(m) if !m.is_file() => Err(fail(
            RejectReason::Unreadable,
            "not a regular file (a pipe, socket or device)".into(),
        )),
        Ok(m) => Ok(m.len()),
        Err(e) => Err(fail(RejectReason::Unreadable, format!("cannot read: {e}"))),
    }
}

/// Reads a .txt or .html file (gzipped or not) whole, as one document.
fn read_document(unit: &InputUnit, limits: &Limits) -> std::result::Result<RawDoc, Reject> {
    let rel = unit.rel.as_str();
    let fail = |reason, detail: String| Err(Reject::new(rel, reason, detail));
    let (format, gz) = match format_of(rel) {
        Some((Format::Jsonl, _)) => {
            return fail(
                RejectReason::UnsupportedFormat,
                "a JSON Lines file is read line by line, not as one document".into(),
            );
        }
        Some(f) => f,
        None => {
            return fail(
                RejectReason::UnsupportedFormat,
                "not .txt, .html, .htm, .jsonl, .ndjson or their .gz".into(),
            );
        }
    };
    let size = regular_file_size(unit)?;
    let limit = limits.max_article_bytes;
    if !gz && size > limit {
        return fail(
            RejectReason::TooLarge,
            format!("{size} bytes is over the limit of {limit}"),
        );
    }
    let mut bytes = match std::fs::read(&unit.path) {
        Ok(b) => b,
        Err(e) => return fail(RejectReason::Unreadable, format!("cannot read: {e}")),
    };
    if gz {
        // Decompression stops one byte past the smaller limit, so a bomb
        // never inflates further in memory than the limit that rejects it.
        let cap = limit.min(limits.max_decompressed_bytes);
        bytes = match decode::inflate(&bytes, cap) {
            Ok(b) => b,
            Err(decode::Inflate::Over) if cap < limits.max_decompressed_bytes => {
                return fail(
                    RejectReason::TooLarge,
                    format!("more than {cap} bytes after gunzip is over the limit of {cap}"),
                );
            }
            Err(decode::Inflate::Over) => {
                return fail(
                    RejectReason::Decompress,
                    format!("decompression bomb: more than {cap} bytes after gunzip"),
                );
            }
            Err(decode::Inflate::Corrupt(e)) => {
                return fail(
                    RejectReason::Decompress,
                    format!("truncated or corrupt gzip: {e}"),
                );
            }
        };
    }
    let n_bytes_raw = bytes.len();
    let mut notes = Vec::new();
    if gz {
        notes.push("gzip".to_string());
    }
    let text = match decode::decode(&bytes, &mut notes) {
        Ok(t) => t,
        Err((reason, detail)) => return fail(reason, detail),
    };
    drop(bytes);
    if format == Format::Html {
        let h = html::to_text(&text);
        if h.text.trim().is_empty() {
            return fail(RejectReason::NoText, "the page has no text".into());
        }
        let mut doc = text::read(rel, h.text, n_bytes_raw, notes);
        doc.format = Format::Html;
        doc.title = h.title;
        doc.published = h.published;
        doc.published_source = h.published.map(|_| DateSource::Record);
        return Ok(doc);
    }
    Ok(text::read(rel, text, n_bytes_raw, notes))
}

/// A record's date field, or why it cannot be used: the note the article
/// keeps in `decode_notes` (a date left unread is never guessed).
pub fn record_date(s: &str) -> std::result::Result<NaiveDate, String> {
    let note = |why: &str| {
        // `;` separates the notes.
        let shown: String = s.chars().take(40).filter(|&c| c != ';').collect();
        format!("published {shown:?} not read: {why}")
    };
    match numeric_date(s) {
        Numeric::Ambiguous => Err(note("day and month ambiguous")),
        _ => parse_date_loose(s).ok_or_else(|| note("not a date")),
    }
}

/// A record's date: ISO (`2019-05-13`, `2019-05-13T10:00:00Z`),
/// `13 May 2019` / `May 13, 2019`, or all-numeric with slashes or dashes
/// where only one reading is a date (`4/16/2017`, `16-04-2017`; `4/5/2017`
/// is not read).
pub fn parse_date_loose(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(d) = html::parse_date(s) {
        return Some(d);
    }
    if let Numeric::Date(d) = numeric_date(s) {
        return Some(d);
    }
    for fmt in [
        "%d %B %Y",
        "%B %d, %Y",
        "%d %b %Y",
        "%b %d, %Y",
        "%Y/%m/%d",
        "%a, %d %b %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    // RFC 2822 with a time: "Mon, 13 May 2019 10:00:00 +0000".
    chrono::DateTime::parse_from_rfc2822(s)
        .ok()
        .map(|d| d.date_naive())
}

/// An all-numeric `a/b/YYYY` or `a-b-YYYY` date, optionally followed by a
/// time.
pub(crate) enum Numeric {
    /// Not of that form.
    Other,
    /// Both month/day and day/month are dates, and different ones.
    Ambiguous,
    Date(NaiveDate),
}

fn numeric_date(s: &str) -> Numeric {
    let date = s.trim().split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = date.split(['/', '-']).collect();
    let [a, b, y] = parts.as_slice() else {
        return Numeric::Other;
    };
    let num = |p: &str| {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (Some(a), Some(b)) = (num(a), num(b)) else {
        return Numeric::Other;
    };
    let Some(y) = (y.len() == 4).then(|| y.parse::<i32>().ok()).flatten() else {
        return Numeric::Other;
    };
    one_reading(y, a, b)
}

/// The date `a/b/y` names when only one of month/day and day/month is a
/// date (or both are the same one).
pub(crate) fn one_reading(y: i32, a: u32, b: u32) -> Numeric {
    let month_day = NaiveDate::from_ymd_opt(y, a, b);
    let day_month = NaiveDate::from_ymd_opt(y, b, a);
    match (month_day, day_month) {
        (Some(x), Some(z)) if x != z => Numeric::Ambiguous,
        (Some(d), _) | (None, Some(d)) => Numeric::Date(d),
        (None, None) => Numeric::Other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_of("a.TXT"), Some((Format::Text, false)));
        assert_eq!(format_of("a.htm.gz"), Some((Format::Html, true)));
        assert_eq!(format_of("a.ndjson"), Some((Format::Jsonl, false)));
        assert_eq!(format_of("a.csv"), None);
        assert_eq!(format_of("gz"), None);
    }

    #[test]
    fn loose_dates() {
        let d = NaiveDate::from_ymd_opt(2019, 5, 13);
        assert_eq!(parse_date_loose("2019-05-13T10:00:00Z"), d);
        assert_eq!(parse_date_loose("13 May 2019"), d);
        assert_eq!(parse_date_loose("May 13, 2019"), d);
        assert_eq!(parse_date_loose("Mon, 13 May 2019 10:00:00 +0000"), d);
        assert_eq!(parse_date_loose("soon"), None);
    }

    #[test]
    fn numeric_dates_are_read_only_where_one_reading_is_a_date() {
        let d = NaiveDate::from_ymd_opt;
        assert_eq!(parse_date_loose("4/16/2017"), d(2017, 4, 16));
        assert_eq!(parse_date_loose("16/04/2017"), d(2017, 4, 16));
        assert_eq!(parse_date_loose("16-04-2017"), d(2017, 4, 16));
        assert_eq!(parse_date_loose("2017-04-16"), d(2017, 4, 16));
        assert_eq!(parse_date_loose("4-5-2017"), None);
        assert_eq!(parse_date_loose("4/16/2017 09:14"), d(2017, 4, 16));
        assert_eq!(parse_date_loose("5/5/2017"), d(2017, 5, 5));
        assert_eq!(parse_date_loose("4/5/2017"), None);
        assert_eq!(parse_date_loose("13/13/2017"), None);
        assert_eq!(parse_date_loose("4/16/17"), None);
        assert_eq!(
            record_date("4/5/2017"),
            Err("published \"4/5/2017\" not read: day and month ambiguous".into())
        );
        assert_eq!(
            record_date("last week"),
            Err("published \"last week\" not read: not a date".into())
        );
    }
}

//! The metadata CSV (`file,source,published,url`): per-file source,
//! published date and url that override what the files say.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::model::{DateSource, RawDoc};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct MetaRow {
    pub source: Option<String>,
    pub published: Option<NaiveDate>,
    pub url: Option<String>,
}

/// Rows keyed by the `file` column (and by its file name). A row is held
/// once; the two keys point at it (a metadata CSV has a row per article).
#[derive(Debug, Default, Clone)]
pub struct Rows {
    rows: Vec<MetaRow>,
    by_file: HashMap<Box<str>, usize>,
    by_name: HashMap<Box<str>, usize>,
}

fn file_name(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

impl Rows {
    pub fn get(&self, source_file: &str) -> Option<&MetaRow> {
        let at = self
            .by_file
            .get(source_file)
            .or_else(|| self.by_name.get(file_name(source_file)))?;
        self.rows.get(*at)
    }

    pub fn len(&self) -> usize {
        self.by_file.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_file.is_empty()
    }

    pub fn apply(&self, doc: &mut RawDoc) {
        let Some(row) = self.get(&doc.source_file) else {
            return;
        };
        if let Some(s) = &row.source {
            doc.source = Some(s.clone());
        }
        if let Some(u) = &row.url {
            doc.url = Some(u.clone());
        }
        if let Some(d) = row.published {
            doc.published = Some(d);
            doc.published_source = Some(DateSource::Metadata);
        }
    }

    /// Reads and checks a metadata CSV.
    pub fn load(path: &Path) -> Result<Rows> {
        let bad = |detail: String| Error::Metadata {
            path: path.to_path_buf(),
            detail,
        };
        let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes);
        let headers = rdr
            .headers()
            .map_err(|e| bad(format!("cannot read the header row: {e}")))?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let Some(file_col) = col("file") else {
            return Err(bad(format!(
                "the header row has no `file` column (found: {}); the first line must name the columns, e.g. `file,source,published,url`",
                headers.iter().collect::<Vec<_>>().join(",")
            )));
        };
        let (src_col, pub_col, url_col) = (col("source"), col("published"), col("url"));
        if src_col.is_none() && pub_col.is_none() && url_col.is_none() {
            return Err(bad(
                "the header row has none of the columns source, published, url".into(),
            ));
        }
        let mut rows = Rows::default();
        for (i, rec) in rdr.records().enumerate() {
            let line = i + 2;
            let rec = rec.map_err(|e| {
                bad(format!(
                    "line {line}: {e}; every row needs as many fields as the header"
                ))
            })?;
            let field = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let Some(file) = field(Some(file_col)) else {
                return Err(bad(format!(
                    "line {line}: the `file` field is empty; give the article's file name"
                )));
            };
            let published = match field(pub_col) {
                None => None,
                Some(p) => Some(parse_published(&p).ok_or_else(|| {
                    bad(format!(
                        "line {line}: published `{p}` is not a date; write it as YYYY-MM-DD (optionally followed by a time, e.g. 2019-05-13T10:00:00Z) or leave it empty"
                    ))
                })?),
            };
            let row = MetaRow {
                source: field(src_col),
                published,
                url: field(url_col),
            };
            let file = file.replace('\\', "/");
            let at = rows.rows.len();
            rows.rows.push(row);
            rows.by_name.insert(file_name(&file).into(), at);
            rows.by_file.insert(file.into(), at);
        }
        Ok(rows)
    }
}

/// `YYYY-MM-DD`, optionally followed by `T`/space and a time.
pub fn parse_published(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let date = s.get(..10)?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

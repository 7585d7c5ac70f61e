//! Reading the FA-KES corpus CSV (unit_id, article_title, article_content,
//! source, date M/D/YYYY, location, labels), shared by the examples that
//! turn it into sitrep inputs. The corpus is not ours and is never
//! committed: this reads it where it is. Each example uses part of it.
#![allow(dead_code)]

use std::path::Path;

/// One FA-KES article, fields as the CSV gives them (not trimmed).
pub struct FakesArticle {
    pub unit_id: String,
    pub title: String,
    pub text: String,
    pub source: String,
    /// The `date` column as ISO `YYYY-MM-DD`, when it parses.
    pub published: Option<String>,
    pub location: String,
}

/// Every article of the CSV, in file order.
pub fn read_fakes(path: &Path) -> Result<Vec<FakesArticle>, Box<dyn std::error::Error>> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = reader.byte_headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or(format!("{}: no column {name}", path.display()))
    };
    let (id, title, text, source, date, location) = (
        col("unit_id")?,
        col("article_title")?,
        col("article_content")?,
        col("source")?,
        col("date")?,
        col("location")?,
    );
    let mut out = Vec::new();
    for rec in reader.byte_records() {
        let rec = rec?;
        let field = |i: usize| String::from_utf8_lossy(rec.get(i).unwrap_or_default()).into_owned();
        out.push(FakesArticle {
            unit_id: field(id),
            title: field(title),
            text: field(text),
            source: field(source),
            published: mdy_to_iso(&field(date)),
            location: field(location),
        });
    }
    Ok(out)
}

/// "4/5/2017" -> "2017-04-05".
fn mdy_to_iso(s: &str) -> Option<String> {
    let mut it = s.trim().split('/');
    let (m, d, y): (u32, u32, u32) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

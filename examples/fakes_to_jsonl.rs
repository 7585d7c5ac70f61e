//! Converts the FA-KES corpus CSV (unit_id, article_title, article_content,
//! source, date M/D/YYYY, location, labels) into sitrep's JSON Lines input,
//! optionally repeated N times with distinct ids, for builds and benchmarks.
//! The corpus is not ours and is never committed: this reads it where it is.
//!
//! usage: cargo run --release --example fakes_to_jsonl -- FA-KES-Dataset.csv OUT.jsonl [REPEAT]

use std::io::{BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: fakes_to_jsonl FA-KES-Dataset.csv OUT.jsonl [REPEAT]");
        std::process::exit(2);
    };
    let repeat: usize = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let mut reader = csv::Reader::from_path(input)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or(format!("no column {name}"))
    };
    let (id, title, text, source, date, location) = (
        col("unit_id")?,
        col("article_title")?,
        col("article_content")?,
        col("source")?,
        col("date")?,
        col("location")?,
    );
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let mut out = BufWriter::new(std::fs::File::create(output)?);
    for copy in 0..repeat {
        for r in &records {
            let published = r.get(date).and_then(mdy_to_iso);
            let rec = serde_json::json!({
                "id": if repeat > 1 { format!("{}-{copy}", &r[id]) } else { r[id].to_string() },
                "title": &r[title],
                "text": &r[text],
                "source": &r[source],
                "published": published,
                "location": r.get(location),
            });
            writeln!(out, "{rec}")?;
        }
    }
    out.flush()?;
    eprintln!("wrote {} records to {output}", records.len() * repeat);
    Ok(())
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

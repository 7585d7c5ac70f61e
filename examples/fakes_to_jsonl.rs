//! Converts the FA-KES corpus CSV (unit_id, article_title, article_content,
//! source, date M/D/YYYY, location, labels) into sitrep's JSON Lines input,
//! optionally repeated N times with distinct ids, for builds and benchmarks.
//! The corpus is not ours and is never committed: this reads it where it is.
//!
//! usage: cargo run --release --example fakes_to_jsonl -- FA-KES-Dataset.csv OUT.jsonl [REPEAT]

use std::io::{BufWriter, Write};

#[path = "support/fakes.rs"]
mod fakes;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: fakes_to_jsonl FA-KES-Dataset.csv OUT.jsonl [REPEAT]");
        std::process::exit(2);
    };
    let repeat: usize = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let articles = fakes::read_fakes(std::path::Path::new(input))?;
    let mut out = BufWriter::new(std::fs::File::create(output)?);
    for copy in 0..repeat {
        for a in &articles {
            let rec = serde_json::json!({
                "id": if repeat > 1 { format!("{}-{copy}", a.unit_id) } else { a.unit_id.clone() },
                "title": a.title,
                "text": a.text,
                "source": a.source,
                "published": a.published,
                "location": a.location,
            });
            writeln!(out, "{rec}")?;
        }
    }
    out.flush()?;
    eprintln!("wrote {} records to {output}", articles.len() * repeat);
    Ok(())
}

//! Regenerates `data/gazetteer.tsv` from the raw sources:
//! `cargo run --example build_gazetteer -- ../shared/gazetteer data/gazetteer.tsv`

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let sources = PathBuf::from(args.next().unwrap_or_else(|| "../shared/gazetteer".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "data/gazetteer.tsv".into()));
    let stats = sitrep::gazetteer::build::build_gazetteer(&sources, &out)?;
    println!("{stats:?}");
    Ok(())
}

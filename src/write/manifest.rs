//! `manifest.json`: what was built and from what. Tool name and version,
//! schema version, the inputs' fingerprint and count, each table's row
//! count and files, and the size and SHA-256 of every other file in the
//! folder, sorted by name. Pretty-printed with sorted keys; no timestamps,
//! absolute paths or host names, so equal inputs give equal bytes.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::ManifestInfo;
use super::atomic::FileDigest;
use crate::tables::SCHEMA_VERSION;

/// The `manifest.json` content, with a final newline.
pub fn manifest_json(
    info: &ManifestInfo,
    rows: &BTreeMap<String, u64>,
    files: &[FileDigest],
) -> String {
    let mut files = files.to_vec();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let tables: serde_json::Map<String, Value> = rows
        .iter()
        .map(|(name, n)| {
            (
                name.clone(),
                json!({
                    "rows": n,
                    "csv": format!("{name}.csv"),
                    "parquet": format!("{name}.parquet"),
                }),
            )
        })
        .collect();
    let files: Vec<Value> = files
        .iter()
        .map(|f| json!({"name": f.name, "bytes": f.bytes, "sha256": f.sha256}))
        .collect();
    let v = json!({
        "tool": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "schema_version": SCHEMA_VERSION,
        "input_fingerprint": info.input_fingerprint,
        "n_inputs": info.n_inputs,
        "tables": tables,
        "files": files,
    });
    // serde_json's map is ordered by key (no `preserve_order`): keys come out sorted.
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

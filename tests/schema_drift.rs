//! `schema/` is generated from the table definitions in `src/tables/defs.rs`.
//! This test fails when the committed files differ from what the code
//! generates; `SITREP_BLESS=1 cargo test --test schema_drift` rewrites them.

use std::fs;
use std::path::Path;

use sitrep::write::schema::REGENERATE;
use sitrep::write::schema_files;

#[test]
fn committed_schema_matches_the_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let bless = std::env::var_os("SITREP_BLESS").is_some_and(|v| v != "0");
    if bless {
        fs::create_dir_all(&dir).expect("create schema/");
    }
    let mut drifted = Vec::new();
    for (name, content) in schema_files() {
        let path = dir.join(&name);
        // A checkout with CRLF line ends (git autocrlf) is not drift.
        let committed = fs::read_to_string(&path)
            .ok()
            .map(|s| s.replace("\r\n", "\n"));
        if committed.as_deref() == Some(content.as_str()) {
            continue;
        }
        if bless {
            fs::write(&path, &content).expect("write schema file");
            eprintln!("rewrote schema/{name}");
        } else {
            drifted.push(if committed.is_some() {
                format!("schema/{name} differs from the table definitions")
            } else {
                format!("schema/{name} is missing")
            });
        }
    }
    assert!(
        drifted.is_empty(),
        "{}\nThe table definitions changed: regenerate with `{REGENERATE}`, review the diff, and commit schema/ \
         (bump SCHEMA_VERSION in src/tables/defs.rs if a column was removed, renamed or retyped).",
        drifted.join("\n")
    );
}

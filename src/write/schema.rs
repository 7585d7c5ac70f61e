//! The repository's `schema/` folder, generated from the table definitions:
//! `datapackage.json` (identical to every dataset's) and a human-readable
//! `README.md`. `tests/schema_drift.rs` fails when the committed files differ
//! from what [`schema_files`] returns.

use std::fmt::Write as _;

use super::datapackage::datapackage_json;
use super::geo;
use crate::tables::{ALL_TABLES, FieldDef, SCHEMA_VERSION, TableDef};

/// The command that rewrites `schema/`.
pub const REGENERATE: &str = "SITREP_BLESS=1 cargo test --test schema_drift";

/// The generated files of `schema/`: (file name, content).
pub fn schema_files() -> Vec<(String, String)> {
    vec![
        ("README.md".to_string(), schema_readme()),
        ("datapackage.json".to_string(), datapackage_json()),
    ]
}

/// The human-readable description of every table.
pub fn schema_readme() -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# sitrep dataset schema {SCHEMA_VERSION}\n");
    let _ = writeln!(
        s,
        "<!-- Generated from src/tables/defs.rs; do not edit. Regenerate with `{REGENERATE}`. -->\n"
    );
    s.push_str(concat!(
        "A dataset folder holds, for each table below, `<table>.parquet` (zstd) and `<table>.csv` ",
        "(UTF-8, header, RFC 4180 quoting, `\\n` line ends, ISO 8601 dates, empty field = null, ",
        "`true`/`false`), plus `datapackage.json` (this folder's file: a Frictionless Tabular Data ",
        "Package whose resources point at the CSV files and name the Parquet file in `sitrep:parquet`) ",
        "and `manifest.json` (tool and schema version, input fingerprint, row counts, size and SHA-256 ",
        "of every file).\n\n",
        "Parquet types: string = Utf8, integer = Int64, number = Float64, boolean = Boolean, ",
        "date = Date32. Each column's description is in its Arrow field metadata (`description`); ",
        "the file's key-value metadata holds `sitrep.schema_version`, `sitrep.table` and ",
        "`sitrep.description`.\n\n",
        "Reading: `pd.read_parquet(path, dtype_backend=\"numpy_nullable\")` keeps nullable integers as ",
        "integers (pandas' default turns them into float64 with NaN); DuckDB reads dates as DATE and the ",
        "metadata with `parquet_kv_metadata`; geopandas reads `locations.parquet` as a GeoDataFrame.\n\n",
    ));
    let _ = writeln!(
        s,
        "`locations.parquet` also has a `{}` column (GeoParquet 1.1: WKB Point of longitude/latitude, \
         CRS OGC:CRS84, null where the coordinates are unknown, `geo` file metadata). It is not in the CSV \
         nor in `datapackage.json`, which describe the CSV.\n",
        geo::GEOMETRY_COLUMN
    );
    s.push_str("## Tables\n\n");
    for t in ALL_TABLES {
        let _ = writeln!(s, "- [`{}`](#{}): {}", t.name, t.name, t.title);
    }
    s.push('\n');
    for t in ALL_TABLES {
        table_section(&mut s, t);
    }
    s
}

fn table_section(s: &mut String, t: &TableDef) {
    let _ = writeln!(s, "## {}\n", t.name);
    let _ = writeln!(s, "{}\n", t.description);
    let _ = writeln!(
        s,
        "Files: `{0}.parquet`, `{0}.csv`. Primary key: {1}.",
        t.name,
        code_list(t.primary_key)
    );
    for fk in t.foreign_keys {
        let _ = writeln!(
            s,
            "Foreign key: {} references [`{}`](#{}) ({}).",
            code_list(fk.fields),
            fk.reference_table,
            fk.reference_table,
            code_list(fk.reference_fields)
        );
    }
    s.push('\n');
    s.push_str("| column | type | required | description | allowed values |\n");
    s.push_str("|---|---|---|---|---|\n");
    for f in t.fields {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            f.name,
            f.ty.frictionless(),
            if f.required { "yes" } else { "no" },
            cell(f.description),
            allowed(f)
        );
    }
    s.push('\n');
}

fn code_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn allowed(f: &FieldDef) -> String {
    if !f.enum_values.is_empty() {
        return f
            .enum_values
            .iter()
            .map(|v| format!("`{}`", cell(v)))
            .collect::<Vec<_>>()
            .join(", ");
    }
    match (f.minimum, f.maximum) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => String::new(),
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

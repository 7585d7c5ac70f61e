//! The plain-text rendering of a [`DatasetDiff`], for a terminal: schema
//! changes first, a table of counts, then for each table with differences
//! its first rows (changed fields as `old -> new`, events as readable lines).

use std::fmt::Write;

use super::{DatasetDiff, TableDiff, key_text, value_text};

/// How many characters of a long cell value to show.
const CELL_CHARS: usize = 120;

pub(super) fn clip(s: &str, max_chars: usize) -> String {
    let flat = s.replace(['\n', '\r'], " ");
    match flat.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// Renders `diff` as text, listing at most `limit` rows of each kind per table.
pub fn render_text(diff: &DatasetDiff, limit: usize) -> String {
    let mut out = String::new();
    let t = diff.totals();
    let _ = writeln!(
        out,
        "sitrep diff {} (schema {}) -> {} (schema {})",
        diff.old_path.display(),
        diff.old_version,
        diff.new_path.display(),
        diff.new_version
    );
    if diff.is_empty() {
        let _ = writeln!(out, "No differences ({} rows compared).", t.unchanged);
        return out;
    }
    let _ = writeln!(
        out,
        "{} added, {} removed, {} changed, {} unchanged rows; {} schema change(s)",
        t.added,
        t.removed,
        t.changed,
        t.unchanged,
        diff.schema_changes.len()
    );
    if !diff.schema_changes.is_empty() {
        let _ = writeln!(out, "\nSchema changes:");
        for c in &diff.schema_changes {
            let _ = writeln!(out, "  {}", c.describe());
        }
    }

    let width = diff
        .tables
        .iter()
        .map(|t| t.table.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "\n{:<width$}  {:>9}  {:>9}  {:>9}  {:>9}",
        "table", "added", "removed", "changed", "unchanged"
    );
    for td in &diff.tables {
        let status = match td.status {
            super::TableStatus::Compared => "",
            super::TableStatus::Added => "  (new table)",
            super::TableStatus::Removed => "  (table removed)",
        };
        let _ = writeln!(
            out,
            "{:<width$}  {:>9}  {:>9}  {:>9}  {:>9}{status}",
            td.table, td.added, td.removed, td.changed, td.unchanged
        );
    }
    for td in diff.tables.iter().filter(|t| t.has_row_changes()) {
        table_text(&mut out, td, limit);
    }
    out
}

fn table_text(out: &mut String, td: &TableDiff, limit: usize) {
    let _ = writeln!(
        out,
        "\n== {}: {} added, {} removed, {} changed",
        td.table, td.added, td.removed, td.changed
    );
    if !td.changed_fields.is_empty() {
        let fields: Vec<String> = td
            .changed_fields
            .iter()
            .map(|(f, n)| format!("{f} ({n})"))
            .collect();
        let _ = writeln!(out, "fields changed: {}", fields.join(", "));
    }
    for r in td.changed_rows.iter().take(limit) {
        let _ = writeln!(out, "~ {}", key_text(&td.key, &r.key));
        if let Some(s) = &r.summary {
            let _ = writeln!(out, "    {s}");
        }
        for c in &r.changes {
            let _ = writeln!(
                out,
                "    {}: {} -> {}",
                c.field,
                clip(&value_text(&c.old), CELL_CHARS),
                clip(&value_text(&c.new), CELL_CHARS)
            );
        }
    }
    more(out, "changed", td.changed, td.changed_rows.len().min(limit));
    for (sign, rows, total, what) in [
        ("+", &td.added_rows, td.added, "added"),
        ("-", &td.removed_rows, td.removed, "removed"),
    ] {
        for r in rows.iter().take(limit) {
            let _ = write!(out, "{sign} {}", key_text(&td.key, &r.key));
            match &r.summary {
                Some(s) => {
                    let _ = writeln!(out, "\n    {s}");
                }
                None => {
                    let _ = writeln!(out);
                }
            }
        }
        more(out, what, total, rows.len().min(limit));
    }
}

fn more(out: &mut String, what: &str, total: usize, shown: usize) {
    if total > shown {
        let _ = writeln!(
            out,
            "  … and {} more {what} row(s) (raise --limit, or use --format json for all)",
            total - shown
        );
    }
}

//! The Markdown rendering of a [`DatasetDiff`], made to be posted as a
//! pull-request comment: a headline, a table of counts per table, the
//! schema changes, then one collapsed `<details>` section per table with
//! differences showing its first rows. Cell text is escaped so that data
//! cannot break the table or inject HTML.

use std::fmt::Write;

use super::text::clip;
use super::{DatasetDiff, TableDiff, TableStatus, key_text, value_text};

const CELL_CHARS: usize = 160;

/// Escapes text for a Markdown table cell (and for inline text): no HTML, no
/// pipes, no line breaks, no emphasis or code markers.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' | '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn cell(s: &str) -> String {
    esc(&clip(s, CELL_CHARS))
}

/// Renders `diff` as Markdown, showing at most `limit` rows of each kind per table.
pub fn render_markdown(diff: &DatasetDiff, limit: usize) -> String {
    let mut out = String::new();
    let t = diff.totals();
    let _ = writeln!(out, "### sitrep diff\n");
    let _ = writeln!(
        out,
        "`{}` (schema {}) → `{}` (schema {})\n",
        diff.old_path.display().to_string().replace('`', "'"),
        esc(&diff.old_version),
        diff.new_path.display().to_string().replace('`', "'"),
        esc(&diff.new_version)
    );
    if diff.is_empty() {
        let _ = writeln!(out, "**No differences** ({} rows compared).", t.unchanged);
        return out;
    }
    let _ = writeln!(
        out,
        "**{} added, {} removed, {} changed** rows ({} unchanged); {} schema change(s).\n",
        t.added,
        t.removed,
        t.changed,
        t.unchanged,
        diff.schema_changes.len()
    );
    let _ = writeln!(out, "| table | added | removed | changed | unchanged |");
    let _ = writeln!(out, "|---|--:|--:|--:|--:|");
    for td in &diff.tables {
        let note = match td.status {
            TableStatus::Compared => "",
            TableStatus::Added => " (new)",
            TableStatus::Removed => " (removed)",
        };
        let _ = writeln!(
            out,
            "| {}{note} | {} | {} | {} | {} |",
            esc(&td.table),
            td.added,
            td.removed,
            td.changed,
            td.unchanged
        );
    }
    if !diff.schema_changes.is_empty() {
        let _ = writeln!(out, "\n#### Schema changes\n");
        for c in &diff.schema_changes {
            let _ = writeln!(out, "- {}", esc(&c.describe()));
        }
    }
    for td in diff.tables.iter().filter(|t| t.has_row_changes()) {
        table_md(&mut out, td, limit);
    }
    out
}

fn table_md(out: &mut String, td: &TableDiff, limit: usize) {
    let _ = writeln!(
        out,
        "\n<details><summary><b>{}</b>: {} added, {} removed, {} changed</summary>\n",
        esc(&td.table),
        td.added,
        td.removed,
        td.changed
    );
    if !td.changed_fields.is_empty() {
        let fields: Vec<String> = td
            .changed_fields
            .iter()
            .map(|(f, n)| format!("{} ({n})", esc(f)))
            .collect();
        let _ = writeln!(out, "Fields changed: {}\n", fields.join(", "));
    }
    let rows = td.changed_rows.iter().take(limit);
    if td.changed > 0 {
        let _ = writeln!(out, "| | key | what | changes |");
        let _ = writeln!(out, "|---|---|---|---|");
        for r in rows {
            let changes: Vec<String> = r
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{}: {} → {}",
                        esc(&c.field),
                        cell(&value_text(&c.old)),
                        cell(&value_text(&c.new))
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "| ~ | {} | {} | {} |",
                cell(&key_text(&td.key, &r.key)),
                r.summary.as_deref().map(cell).unwrap_or_default(),
                changes.join("<br>")
            );
        }
        more(out, "changed", td.changed, td.changed_rows.len().min(limit));
    }
    for (sign, list, total, what) in [
        ("+", &td.added_rows, td.added, "added"),
        ("−", &td.removed_rows, td.removed, "removed"),
    ] {
        if total == 0 {
            continue;
        }
        let _ = writeln!(out, "\n| | key | what |");
        let _ = writeln!(out, "|---|---|---|");
        for r in list.iter().take(limit) {
            let _ = writeln!(
                out,
                "| {sign} | {} | {} |",
                cell(&key_text(&td.key, &r.key)),
                r.summary.as_deref().map(cell).unwrap_or_default()
            );
        }
        more(out, what, total, list.len().min(limit));
    }
    let _ = writeln!(out, "\n</details>");
}

fn more(out: &mut String, what: &str, total: usize, shown: usize) {
    if total > shown {
        let _ = writeln!(out, "\n… and {} more {what} row(s).", total - shown);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cells() {
        assert_eq!(esc("a|b<script>\nc"), "a\\|b&lt;script&gt; c");
    }
}

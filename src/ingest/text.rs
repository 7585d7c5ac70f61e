//! Plain text: the decoded file is the document.

use crate::model::{Format, RawDoc};

/// One plain-text document.
pub fn read(rel: &str, text: String, n_bytes_raw: usize, notes: Vec<String>) -> RawDoc {
    RawDoc {
        source_file: rel.to_string(),
        line: None,
        format: Format::Text,
        external_id: None,
        url: None,
        source: None,
        title: None,
        published: None,
        published_source: None,
        text,
        n_bytes_raw,
        decode_notes: notes,
    }
}

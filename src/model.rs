//! The types that flow between the pipeline's stages:
//! `RawDoc -> CleanDoc -> Sentence -> (extractor mentions) -> events -> tables`.
//!
//! Every span is a byte range into `CleanDoc::body`, so that each extracted
//! fact can be traced back to the words that state it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A byte range `[start, end)` into a document's cleaned body.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The text this span covers, or "" when it is out of range or not on a char boundary.
    pub fn text<'a>(&self, body: &'a str) -> &'a str {
        body.get(self.start..self.end).unwrap_or("")
    }
}

/// At most `max` bytes of `text` ending at `end`, cut on a char boundary.
pub fn window_before(text: &str, end: usize, max: usize) -> &str {
    let end = end.min(text.len());
    let mut start = end.saturating_sub(max);
    while start < end && !text.is_char_boundary(start) {
        start += 1;
    }
    text.get(start..end).unwrap_or("")
}

/// At most `max` bytes of `text` starting at `start`, cut on a char boundary.
pub fn window_after(text: &str, start: usize, max: usize) -> &str {
    let mut end = start.saturating_add(max).min(text.len());
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(start..end).unwrap_or("")
}

/// The input format an article came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Html,
    Jsonl,
}

impl Format {
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
        }
    }
}

/// Where a document's published date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// The metadata CSV.
    Metadata,
    /// A field of the record itself (JSONL `published`/`date`, HTML meta or `<time>`).
    Record,
    /// A date line in the article's own text ("April 16, 2018 at 2:18 pm").
    Text,
}

impl DateSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::Record => "record",
            DateSource::Text => "text",
        }
    }
}

/// One article as read from its input, decoded to text but not yet cleaned.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDoc {
    /// The input file's path relative to the input folder, with `/` separators.
    pub source_file: String,
    /// For JSON Lines: the 1-based line number of the record.
    pub line: Option<u64>,
    pub format: Format,
    /// The record's own id (JSONL `id`), if any.
    pub external_id: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// A title given by the record itself (HTML `<title>`/`og:title`, JSONL `title`).
    pub title: Option<String>,
    /// A published date given by the record or the metadata CSV.
    pub published: Option<NaiveDate>,
    pub published_source: Option<DateSource>,
    /// The decoded text. HTML has been turned into text with blank lines between blocks.
    pub text: String,
    /// Size of the input in bytes (after decompression, before decoding).
    pub n_bytes_raw: usize,
    /// Notes on repairs done while decoding (e.g. "windows-1252", "utf-16le", "bom").
    pub decode_notes: Vec<String>,
}

impl RawDoc {
    /// A plain-text document that carries nothing but its text, as a
    /// library user or a test builds one by hand.
    pub fn plain(source_file: &str, text: &str) -> RawDoc {
        RawDoc {
            source_file: source_file.to_string(),
            line: None,
            format: Format::Text,
            external_id: None,
            url: None,
            source: None,
            title: None,
            published: None,
            published_source: None,
            text: text.to_string(),
            n_bytes_raw: text.len(),
            decode_notes: Vec::new(),
        }
    }
}

/// An article after cleaning: boilerplate removed, encoding repaired, NFC.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanDoc {
    pub raw: RawDoc,
    /// The headline: the record's own title, or the first headline-like line of the text.
    pub title: Option<String>,
    /// A dateline that opened the body ("BEIRUT"), without its punctuation.
    pub dateline: Option<String>,
    /// The published date: metadata first, then the record, then the text.
    pub published: Option<NaiveDate>,
    pub published_source: Option<DateSource>,
    /// The cleaned article text; paragraphs are separated by "\n\n".
    pub body: String,
    /// The paragraphs of `body`.
    pub paragraphs: Vec<Span>,
    /// Photo captions found in the text (not part of `body`).
    pub captions: Vec<String>,
    /// Characters of `raw.text`.
    pub n_chars_raw: usize,
    /// Characters of `body`.
    pub n_chars_clean: usize,
}

/// A sentence of a document's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index of the paragraph (into `CleanDoc::paragraphs`) that holds it.
    pub paragraph: usize,
}

/// Why an input did not become an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The path could not be read (permissions, vanished, a loop of links).
    Unreadable,
    /// The file has no bytes, or only white space.
    Empty,
    /// The bytes are not text (an image, an executable, ...).
    Binary,
    /// Larger than `--max-article-bytes` (or a JSONL line over `--max-line-bytes`).
    TooLarge,
    /// A compressed file that could not be decompressed (truncated, corrupt, or a bomb).
    Decompress,
    /// A JSON Lines record that is not valid JSON or not an object.
    MalformedJson,
    /// A record without any text field, or text that cleaned down to nothing.
    NoText,
    /// The same content was already read from another input.
    Duplicate,
    /// The file's extension is not one sitrep reads.
    UnsupportedFormat,
}

impl RejectReason {
    pub fn as_str(&self) -> &'static str {
        match self {
            RejectReason::Unreadable => "unreadable",
            RejectReason::Empty => "empty",
            RejectReason::Binary => "binary",
            RejectReason::TooLarge => "too_large",
            RejectReason::Decompress => "decompress",
            RejectReason::MalformedJson => "malformed_json",
            RejectReason::NoText => "no_text",
            RejectReason::Duplicate => "duplicate",
            RejectReason::UnsupportedFormat => "unsupported_format",
        }
    }
    pub const ALL: [RejectReason; 9] = [
        RejectReason::Unreadable,
        RejectReason::Empty,
        RejectReason::Binary,
        RejectReason::TooLarge,
        RejectReason::Decompress,
        RejectReason::MalformedJson,
        RejectReason::NoText,
        RejectReason::Duplicate,
        RejectReason::UnsupportedFormat,
    ];
}

/// An input (a file, or one line of a JSONL file) that did not become an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The input's path relative to the input folder; `path#L12` for a JSONL line.
    pub input: String,
    pub reason: RejectReason,
    pub detail: String,
}

impl Reject {
    pub fn new(
        input: impl Into<String>,
        reason: RejectReason,
        detail: impl Into<String>,
    ) -> Reject {
        Reject {
            input: input.into(),
            reason,
            detail: detail.into(),
        }
    }
}

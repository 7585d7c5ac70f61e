//! Cleaning: boilerplate out, encoding repaired, Unicode NFC, headline,
//! dateline and published date found.

use crate::error::Result;
use crate::model::{CleanDoc, RawDoc, Reject};

pub struct Cleaner {}

impl Cleaner {
    pub fn new() -> Result<Cleaner> {
        Ok(Cleaner {})
    }

    pub fn clean(&self, raw: RawDoc) -> std::result::Result<CleanDoc, Reject> {
        let body = raw.text.trim().to_string();
        let n = body.chars().count();
        Ok(CleanDoc {
            n_chars_raw: raw.text.chars().count(),
            raw,
            title: None,
            dateline: None,
            published: None,
            published_source: None,
            paragraphs: vec![crate::model::Span::new(0, body.len())],
            body,
            captions: Vec::new(),
            n_chars_clean: n,
        })
    }
}

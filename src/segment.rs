//! Sentence segmentation with byte spans into the cleaned body.

use crate::error::Result;
use crate::model::{CleanDoc, Sentence, Span};

pub struct Segmenter {}

impl Segmenter {
    pub fn new() -> Result<Segmenter> {
        Ok(Segmenter {})
    }

    pub fn segment(&self, doc: &CleanDoc) -> Vec<Sentence> {
        vec![Sentence {
            span: Span::new(0, doc.body.len()),
            paragraph: 0,
        }]
    }
}

//! Resolution: from one article's mentions (event triggers, places, actors,
//! dates, counts) to its events, with one event per act, canonical places
//! and actors, and stable ids.

use sha2::{Digest, Sha256};

use crate::model::{CleanDoc, Sentence};
use crate::pipeline::Lexicon;
use crate::tables::rows::{
    ActorRow, ArticleRow, EventActorRow, EventLocationRow, EventMentionRow, EventRow, LocationRow,
};

/// Everything one article contributes to the dataset.
#[derive(Debug, Clone)]
pub struct ArticleOutput {
    pub article: ArticleRow,
    pub events: Vec<EventRow>,
    pub mentions: Vec<EventMentionRow>,
    pub event_actors: Vec<EventActorRow>,
    pub event_locations: Vec<EventLocationRow>,
    pub actors: Vec<ActorRow>,
    pub locations: Vec<LocationRow>,
}

/// A stable id: a prefix and the first 16 hex digits of the SHA-256 of `parts`.
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    format!("{prefix}{}", &hex::encode(digest)[..16])
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Resolves one cleaned, segmented article into its rows.
pub fn article(doc: CleanDoc, sentences: &[Sentence], _lex: &Lexicon) -> ArticleOutput {
    let raw = &doc.raw;
    let line = raw.line.map(|l| l as i64);
    let identity = match (&raw.external_id, line) {
        (Some(id), _) => format!("id:{id}"),
        (None, Some(l)) => format!("line:{l}"),
        (None, None) => String::new(),
    };
    let article_id = stable_id("a", &[&raw.source_file, &identity]);
    let article = ArticleRow {
        article_id,
        source_file: raw.source_file.clone(),
        line,
        external_id: raw.external_id.clone(),
        format: raw.format.as_str(),
        url: raw.url.clone(),
        source: raw.source.clone(),
        title: doc.title.clone(),
        published_date: doc.published,
        published_source: doc.published_source.map(|s| s.as_str()),
        dateline: doc.dateline.clone(),
        content_sha256: sha256_hex(&doc.body),
        body: doc.body.clone(),
        captions: (!doc.captions.is_empty()).then(|| doc.captions.join("\n")),
        n_chars_raw: doc.n_chars_raw as i64,
        n_chars_clean: doc.n_chars_clean as i64,
        n_sentences: sentences.len() as i64,
        n_events: 0,
        decode_notes: (!raw.decode_notes.is_empty()).then(|| raw.decode_notes.join(";")),
    };
    ArticleOutput {
        article,
        events: Vec::new(),
        mentions: Vec::new(),
        event_actors: Vec::new(),
        event_locations: Vec::new(),
        actors: Vec::new(),
        locations: Vec::new(),
    }
}

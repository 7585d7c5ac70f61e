//! Event triggers: which sentences (clauses) report an act, of which ACLED
//! sub-event type, and with what modality.

use crate::error::Result;
use crate::model::{Sentence, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    /// Reported as fact.
    Asserted,
    /// Reported as alleged, claimed or suspected (kept with lower confidence).
    Alleged,
}

/// A clause that reports an event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMention {
    /// The clause that reports the event (the evidence).
    pub clause: Span,
    /// The trigger words.
    pub trigger: Span,
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    pub modality: Modality,
    /// "the clashes", "the attack": refers back to an event already reported.
    pub anaphoric: bool,
    /// A toll over a long period or many places.
    pub aggregate: bool,
    pub confidence: f64,
}

pub struct Triggers {}

impl Triggers {
    pub fn new() -> Result<Triggers> {
        Ok(Triggers {})
    }

    pub fn detect(&self, _body: &str, _sentence: &Sentence) -> Vec<EventMention> {
        Vec::new()
    }
}

//! Counts of people killed and injured, with the text's qualifier.

use crate::error::Result;
use crate::model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKind {
    Killed,
    Injured,
    /// "killed or wounded", "casualties": not a death count.
    KilledOrInjured,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    AtLeast,
    MoreThan,
    About,
    UpTo,
    Unknown,
}

impl Qualifier {
    pub fn as_str(&self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::About => "about",
            Qualifier::UpTo => "up_to",
            Qualifier::Unknown => "unknown",
        }
    }
}

/// A count of victims found in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct CountMention {
    pub span: Span,
    pub kind: CountKind,
    /// None for "dozens", "a number of".
    pub value: Option<i64>,
    pub qualifier: Qualifier,
}

pub struct Counts {}

impl Counts {
    pub fn new() -> Result<Counts> {
        Ok(Counts {})
    }

    pub fn extract(&self, _body: &str, _within: Span) -> Vec<CountMention> {
        Vec::new()
    }
}

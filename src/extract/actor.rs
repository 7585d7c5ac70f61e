//! Actors: dictionary matching, time-valid resolution, and roles.

use chrono::NaiveDate;

use crate::error::Result;
use crate::model::{CleanDoc, Sentence, Span};

/// A resolved actor, as it goes into the `actors` table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Actor {
    pub name: String,
    /// One of `typology::ACTOR_KINDS`.
    pub kind: &'static str,
    pub country: Option<String>,
    pub allegiance: Option<String>,
}

/// An actor named in the body (not yet resolved against a date).
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMention {
    pub span: Span,
    /// Index of the dictionary entry family this alias belongs to.
    pub entry: usize,
}

/// The role an actor plays in one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Actor1,
    Actor2,
    AssocActor1,
    AssocActor2,
    Source,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Actor1 => "actor1",
            Role::Actor2 => "actor2",
            Role::AssocActor1 => "assoc_actor1",
            Role::AssocActor2 => "assoc_actor2",
            Role::Source => "source",
        }
    }
}

/// An actor with its role in an event.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRole {
    pub actor: Actor,
    pub role: Role,
    pub span: Span,
}

pub struct Actors {}

impl Actors {
    pub fn new() -> Result<Actors> {
        Ok(Actors {})
    }

    pub fn extract(&self, _doc: &CleanDoc, _sentences: &[Sentence]) -> Vec<ActorMention> {
        Vec::new()
    }

    /// The actors of one event mention and their roles. `clause` is the
    /// span of text that reports the event, `trigger` the words that signal
    /// it, `mentions` the actor mentions of the whole document, `date` the
    /// event's (or the article's) date for time-valid resolution.
    pub fn roles(
        &self,
        _body: &str,
        _clause: Span,
        _trigger: Span,
        _mentions: &[ActorMention],
        _date: Option<NaiveDate>,
    ) -> Vec<ActorRole> {
        Vec::new()
    }
}

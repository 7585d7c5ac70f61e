//! Dates: relative and explicit date expressions resolved against the
//! article's published date.

use chrono::NaiveDate;

use crate::error::Result;
use crate::model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
    Unknown,
}

impl DatePrecision {
    pub fn as_str(&self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Unknown => "unknown",
        }
    }
}

/// A date expression found in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub span: Span,
    /// First day (None when there is no anchor date to resolve against).
    pub start: Option<NaiveDate>,
    /// Last day (== start for a single day).
    pub end: Option<NaiveDate>,
    pub precision: DatePrecision,
}

pub struct Dates {}

impl Dates {
    pub fn new() -> Result<Dates> {
        Ok(Dates {})
    }

    pub fn extract(&self, _body: &str, _anchor: Option<NaiveDate>) -> Vec<DateMention> {
        Vec::new()
    }
}

//! Places: gazetteer matching and resolution with context.

use crate::error::Result;
use crate::model::{CleanDoc, Sentence, Span};

/// A resolved place, as it goes into the `locations` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub name: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub feature: String,
    /// place, region, admin2, admin1, country
    pub precision: &'static str,
    pub geonames_id: Option<i64>,
    pub source: Option<String>,
}

/// A place named in the body.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    pub span: Span,
    pub location: Location,
}

pub struct Places {}

impl Places {
    pub fn new() -> Result<Places> {
        Ok(Places {})
    }

    pub fn extract(&self, _doc: &CleanDoc, _sentences: &[Sentence]) -> Vec<PlaceMention> {
        Vec::new()
    }
}

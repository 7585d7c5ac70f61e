//! sitrep turns a folder of news articles about armed conflict into a
//! versioned research dataset: ACLED-typed events traceable to the sentences
//! that report them, with actors, places, dates and fatalities, written as
//! Parquet and CSV with a Frictionless schema.
//!
//! The pipeline, in the order [`build`] runs it:
//! `ingest -> clean -> segment -> extract -> resolve -> write`.

pub mod clean;
pub mod diff;
pub mod error;
pub mod eval;
pub mod extract;
pub mod gazetteer;
pub mod ingest;
pub mod matcher;
pub mod model;
pub mod pipeline;
pub mod resolve;
pub mod segment;
pub mod tables;
pub mod typology;
pub mod write;

pub use error::{Error, Result};
pub use pipeline::{BuildOptions, BuildReport, Lexicon, build};

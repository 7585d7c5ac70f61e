//! The extractors, one per file. Each is built once from its data files
//! (compiled automata and rules) and then shared read-only across threads.

pub mod actor;
pub mod count;
pub mod date;
pub mod event;
pub mod headline;
pub mod place;

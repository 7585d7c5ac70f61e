//! How every rule regex is compiled: once, at load, with room for the
//! lazy DFA to keep the states it builds.
//!
//! The regex crate gives each regex a lazy-DFA cache of 2 MiB by default.
//! Our rule alternations (hundreds of case-insensitive cues, bounded word
//! windows) need more than that on real text: the cache filled, was cleared
//! and rebuilt over and over, and determinisation took half of a build's
//! time. The cache is allocated only as states are built, per thread, so a
//! large limit costs memory only for the regexes that need it.

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

/// The lazy-DFA cache limit of one regex (per thread).
const DFA_CACHE: usize = 16 << 20;
/// The compiled-program limit (big alternations of cues and names).
const PROGRAM: usize = 1 << 24;

/// Compiles a rule regex (flags inline, as written in the data files).
pub fn regex(pattern: &str) -> Result<Regex, regex::Error> {
    builder(pattern).build()
}

/// Compiles a case-insensitive rule regex.
pub fn regex_ci(pattern: &str) -> Result<Regex, regex::Error> {
    builder(pattern).case_insensitive(true).build()
}

/// Compiles a set of rule regexes matched together.
pub fn regex_set<I, S>(patterns: I) -> Result<RegexSet, regex::Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    RegexSetBuilder::new(patterns)
        .size_limit(PROGRAM)
        .dfa_size_limit(DFA_CACHE)
        .build()
}

fn builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.size_limit(PROGRAM).dfa_size_limit(DFA_CACHE);
    b
}

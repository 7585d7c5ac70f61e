//! Where in a body a date pattern can match at all, so that it is searched
//! there and not over the whole body.
//!
//! Every date pattern but the ISO one holds a word it cannot match without:
//! a month name, a weekday name or a year. One Aho-Corasick pass finds those
//! anchor words. Around each anchor a pattern can reach only so far: its
//! optional words before the anchor (prepositions, "the", a day number,
//! "of", a partial-month modifier) and after it (a day, a year, "night") are
//! separated by white space, so a match spans at most a known number of runs
//! of non-space characters on either side of the anchor's run. The windows
//! of the anchors, merged where they overlap, are the regions; a match can
//! start in no other place, and each match lies within one region.
//!
//! Searching the regions one after the other gives exactly the matches of
//! one search over the body:
//! - a match found in a region is a match in the body, because a region
//!   ends where white space (or the body) does, where `\b` means the same on
//!   the slice as on the body, and starts with the body before it as
//!   look-behind context;
//! - every match of the body lies in one region, and so do all the
//!   alternatives it was preferred to, so the leftmost-first choice is the
//!   same.
//!
//! The patterns are case-insensitive. Under Unicode case folding two
//! non-ASCII characters match ASCII letters (U+017F "ſ" is an "s", U+212A
//! the Kelvin sign a "k"), which the ASCII anchor pass would not see; a body
//! holding either is searched whole.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Captures, Regex};

/// Anchor kinds, as bits: a word may be more than one.
pub const MONTH: u8 = 1;
pub const FULL_MONTH: u8 = 2;
pub const WEEKDAY: u8 = 4;
pub const YEAR: u8 = 8;
/// A character that case-folds to an ASCII letter.
const FOLDS: u8 = 16;

/// How far around its anchor a pattern's match can reach, in runs of
/// non-space characters beside the anchor's own run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    pub anchor: u8,
    pub before: usize,
    pub after: usize,
}

/// The anchor words of the date vocabulary, compiled once.
#[derive(Debug, Clone)]
pub struct AnchorWords {
    ac: AhoCorasick,
    kinds: Vec<u8>,
    /// False when an anchor word is not plain ASCII letters: then every
    /// body is searched whole.
    usable: bool,
}

/// The anchors found in one body.
#[derive(Debug)]
pub struct Anchors {
    /// (start, end, kinds) in text order.
    hits: Vec<(usize, usize, u8)>,
    whole: bool,
}

impl AnchorWords {
    /// The anchor words: the month names (`full` the unabbreviated ones) and
    /// the weekday names; years (19xx, 20xx) are always anchors.
    pub fn new(
        months: &[String],
        full: &[String],
        weekdays: &[String],
    ) -> Result<AnchorWords, aho_corasick::BuildError> {
        let usable = months
            .iter()
            .chain(full)
            .chain(weekdays)
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphabetic()));
        let mut words: Vec<(String, u8)> = Vec::new();
        let mut add = |w: &str, kind: u8| {
            let w = w.to_ascii_lowercase();
            match words.iter_mut().find(|(x, _)| *x == w) {
                Some((_, k)) => *k |= kind,
                None => words.push((w, kind)),
            }
        };
        for m in months {
            add(m, MONTH);
        }
        for m in full {
            add(m, FULL_MONTH);
        }
        for w in weekdays {
            add(w, WEEKDAY);
        }
        add("19", YEAR);
        add("20", YEAR);
        add("\u{17f}", FOLDS);
        add("\u{212a}", FOLDS);
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(words.iter().map(|(w, _)| w))?;
        Ok(AnchorWords {
            ac,
            kinds: words.into_iter().map(|(_, k)| k).collect(),
            usable,
        })
    }

    /// The anchors of `body`: whole words only, a year only where two
    /// digits follow "19" or "20".
    pub fn find(&self, body: &str) -> Anchors {
        let mut out = Anchors {
            hits: Vec::new(),
            whole: !self.usable,
        };
        if out.whole {
            return out;
        }
        let bytes = body.as_bytes();
        for m in self.ac.find_iter(body) {
            let kind = self.kinds.get(m.pattern().as_usize()).copied().unwrap_or(0);
            if kind & FOLDS != 0 {
                out.whole = true;
                out.hits.clear();
                return out;
            }
            let (s, e) = (m.start(), m.end());
            // An ASCII word boundary before: a non-ASCII byte is no word byte.
            if s > 0 && bytes.get(s - 1).is_some_and(|&b| ascii_word_byte(b)) {
                continue;
            }
            let whole = if kind & YEAR != 0 {
                // `\d` is Unicode: any two numeric characters may follow.
                let mut rest = body.get(e..).unwrap_or("").chars();
                rest.next().is_some_and(char::is_numeric)
                    && rest.next().is_some_and(char::is_numeric)
            } else {
                !bytes.get(e).is_some_and(|&b| ascii_word_byte(b))
            };
            if whole {
                out.hits.push((s, e, kind));
            }
        }
        out
    }
}

impl Anchors {
    /// The regions of `body` where a pattern of reach `reach` can match:
    /// the merged windows of its anchors, or the whole body.
    pub fn regions(&self, body: &str, reach: Reach) -> Vec<Range<usize>> {
        if self.whole {
            return std::iter::once(0..body.len()).collect();
        }
        let mut out: Vec<Range<usize>> = Vec::new();
        for &(s, e, kind) in &self.hits {
            if kind & reach.anchor == 0 {
                continue;
            }
            let start = runs_back(body, s, reach.before);
            let end = runs_forward(body, e, reach.after);
            match out.last_mut() {
                Some(last) if start <= last.end => last.end = last.end.max(end),
                _ => out.push(start..end),
            }
        }
        out
    }
}

/// The captures of `re` in `body`, searched only in `regions` (sorted, not
/// overlapping, each ending at white space or the end of `body`): the same
/// as `re.captures_iter(body)` for a pattern whose matches all lie in one
/// region.
pub fn captures<'h>(re: &Regex, body: &'h str, regions: &[Range<usize>]) -> Vec<Captures<'h>> {
    let mut out = Vec::new();
    for r in regions {
        let Some(hay) = body.get(..r.end) else {
            continue;
        };
        let mut pos = r.start;
        while pos < hay.len() {
            let Some(caps) = re.captures_at(hay, pos) else {
                break;
            };
            let Some(all) = caps.get(0) else { break };
            // The patterns never match empty; step on as the iterator would.
            pos = if all.end() > all.start() {
                all.end()
            } else {
                next_char(hay, all.end())
            };
            out.push(caps);
        }
    }
    out
}

/// A byte of `(?-u:\w)`; the date module's own `is_word_byte` also counts
/// non-ASCII bytes, for its Unicode-minded checks.
fn ascii_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn next_char(s: &str, at: usize) -> usize {
    s.get(at..)
        .and_then(|r| r.chars().next())
        .map_or(s.len() + 1, |c| at + c.len_utf8())
}

/// The start of the `n`-th run of non-space characters before the run that
/// holds byte `at` (that run's start for 0, the body's start if there are
/// fewer runs).
fn runs_back(body: &str, at: usize, n: usize) -> usize {
    let head = body.get(..at).unwrap_or("");
    let mut chars = head.char_indices().rev().peekable();
    let mut start = at;
    // The anchor's own run, then `n` more, each after its white space.
    for round in 0..=n {
        if round > 0 {
            while chars.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
        }
        while let Some((i, _)) = chars.next_if(|&(_, c)| !c.is_whitespace()) {
            start = i;
        }
        if chars.peek().is_none() {
            return if round < n { 0 } else { start };
        }
    }
    start
}

/// The end of the `n`-th run of non-space characters after the run that
/// holds the byte before `at`.
fn runs_forward(body: &str, at: usize, n: usize) -> usize {
    let tail = body.get(at..).unwrap_or("");
    let mut chars = tail.char_indices().peekable();
    let mut end = at;
    for round in 0..=n {
        if round > 0 {
            while chars.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
        }
        while let Some((i, c)) = chars.next_if(|&(_, c)| !c.is_whitespace()) {
            end = at + i + c.len_utf8();
        }
        if chars.peek().is_none() {
            return if round < n { body.len() } else { end };
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_counted_across_any_white_space() {
        let t = "a bb\u{a0}ccc \n\n dd ee";
        let dd = t.find("dd").unwrap_or(0);
        assert_eq!(runs_back(t, dd + 1, 0), dd);
        assert_eq!(runs_back(t, dd, 1), t.find("ccc").unwrap_or(0));
        assert_eq!(runs_back(t, dd, 2), t.find("bb").unwrap_or(0));
        assert_eq!(runs_back(t, dd, 3), 0);
        assert_eq!(runs_back(t, dd, 9), 0);
        assert_eq!(runs_forward(t, dd + 1, 0), dd + 2);
        assert_eq!(runs_forward(t, dd + 2, 1), t.len());
        assert_eq!(runs_forward(t, dd + 2, 5), t.len());
        let bb = t.find("bb").unwrap_or(0);
        assert_eq!(runs_forward(t, bb + 2, 1), t.find(" \n").unwrap_or(0));
    }

    fn words() -> AnchorWords {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        AnchorWords::new(
            &v(&["march", "mar", "may"]),
            &v(&["march", "may"]),
            &v(&["sunday", "sun"]),
        )
        .expect("anchor words build")
    }

    #[test]
    fn anchors_are_whole_words_and_years() {
        let t = "Marching in MARCH, Sun. market 2016 20١٢ 200 x2016 sunday's";
        let a = words().find(t);
        let found: Vec<(&str, u8)> = a.hits.iter().map(|&(s, e, k)| (&t[s..e], k)).collect();
        assert_eq!(
            found,
            vec![
                ("MARCH", MONTH | FULL_MONTH),
                ("Sun", WEEKDAY),
                ("20", YEAR),
                ("20", YEAR),
                ("sunday", WEEKDAY)
            ]
        );
        assert!(!a.whole);
    }

    #[test]
    fn a_folding_character_means_the_whole_body() {
        let t = "on 5 Auguſt 2016";
        let a = words().find(t);
        assert!(a.whole);
        let reach = Reach {
            anchor: MONTH,
            before: 3,
            after: 1,
        };
        assert_eq!(
            a.regions(t, reach),
            std::iter::once(0..t.len()).collect::<Vec<_>>()
        );
    }
}

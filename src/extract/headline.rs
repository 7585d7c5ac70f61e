//! Headlines set in title case inside an article's text ("US Missile
//! Strike on Syria Kills Five"): scraped pages repeat their own and other
//! stories' headlines in the body (teasers, "Read more" links, a text that
//! lost its line breaks). Capitalised words there are no names, so the
//! trigger and place readers ask this before they take capitals for one.

use rustc_hash::FxHashSet;

use crate::matcher::list_lines;

/// The words a headline keeps lower-case, one a line.
const SMALL_WORDS: &str = include_str!("../../data/headline_small_words.txt");

/// Finds title-case headline runs; built once, shared read-only.
#[derive(Debug, Clone)]
pub struct Headlines {
    small: FxHashSet<String>,
}

impl Default for Headlines {
    fn default() -> Self {
        Self::new()
    }
}

impl Headlines {
    /// The reader with the small words of `data/headline_small_words.txt`.
    pub fn new() -> Headlines {
        Headlines {
            small: list_lines(SMALL_WORDS).map(str::to_string).collect(),
        }
    }

    /// True when the word at `at` is inside a headline set in title case
    /// ("US Missile Strike on Syria Kills Five"), not a name: a run of at
    /// least five capitalised words (small words and numbers may sit
    /// between them) that ends the sentence, ends before a dash or a stop,
    /// or holds a number. A name that runs on into the sentence ("the group
    /// Homs Is Being Shelled Daily said") stays a name.
    pub fn contains(&self, text: &str, at: usize) -> bool {
        struct Word {
            capital: bool,
            number: bool,
            minor: bool,
            stop: bool,
            dash: bool,
        }
        let words: Vec<(usize, Word)> = text
            .split_whitespace()
            .map(|w| {
                let start = (w.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
                let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                let first = core.chars().next();
                let word = Word {
                    capital: first.is_some_and(char::is_uppercase),
                    number: first.is_some_and(|c| c.is_ascii_digit()),
                    minor: self.small.contains(core),
                    stop: w.ends_with(['.', '!', '?', ':', ';']),
                    dash: core.is_empty()
                        && w.chars()
                            .all(|c| matches!(c, '-' | '|' | '\u{2013}' | '\u{2014}')),
                };
                (start, word)
            })
            .collect();
        let Some(i) = words.iter().rposition(|(s, _)| *s <= at) else {
            return false;
        };
        let in_run = |w: &Word| w.capital || w.number || w.minor;
        let mut first = i;
        while first > 0
            && words
                .get(first - 1)
                .is_some_and(|(_, w)| in_run(w) && !w.stop)
        {
            first -= 1;
        }
        let mut end = i + 1;
        while words.get(end - 1).is_some_and(|(_, w)| !w.stop)
            && words.get(end).is_some_and(|(_, w)| in_run(w))
        {
            end += 1;
        }
        let run = words.get(first..end).unwrap_or(&[]);
        let capitals = run.iter().filter(|(_, w)| w.capital).count();
        let ended =
            run.last().is_some_and(|(_, w)| w.stop) || words.get(end).is_none_or(|(_, w)| w.dash);
        capitals >= 5 && (ended || run.iter().any(|(_, w)| w.number))
    }
}

#[cfg(test)]
mod tests {
    use super::Headlines;

    #[test]
    fn a_headline_run_is_not_a_name() {
        let h = Headlines::new();
        let text = "US Missile Strike on Syria Kills Five.";
        assert!(h.contains(text, text.find("Strike").unwrap_or(0)));
        let text = "the group Homs Is Being Shelled Daily said on Monday.";
        assert!(!h.contains(text, text.find("Shelled").unwrap_or(0)));
    }
}

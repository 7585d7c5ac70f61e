//! How every rule regex is compiled: once, at load, with room for the
//! lazy DFA to keep the states it builds.
//!
//! The regex crate gives each regex a lazy-DFA cache of 2 MiB by default.
//! Our rule alternations (hundreds of case-insensitive cues, bounded word
//! windows) need more than that on real text: the cache filled, was cleared
//! and rebuilt over and over, and determinisation took half of a build's
//! time. The cache is allocated only as states are built, per thread, so a
//! large limit costs memory only for the regexes that need it.
//!
//! Word boundaries and word classes are ASCII (`\b` is compiled as
//! `(?-u:\b)`, `\w` as `[0-9A-Za-z_]`, `\W` as its negation): the lazy DFA
//! cannot follow a Unicode word boundary past a non-ASCII byte, and a search
//! that meets one (a curly quote, an accented name) restarts in the much
//! slower NFA engines; and the Unicode word class, repeated in every bounded
//! word window (`(?:\w+ ){0,3}`), made a third of start-up's compiling and
//! many more lazy-DFA states to build before the caches are warm. The cues
//! are English words, whose boundaries are the same either way; a non-ASCII
//! letter now ends a word inside a window, so "Erdoğan" counts as two words
//! there. Names are matched with `\p{L}`, which stays Unicode.
//!
//! [`GateBuilder`] gives the rules read around every trigger a literal gate:
//! one Aho-Corasick pass per sentence tells which of them can match at all.

use regex::{Regex, RegexBuilder};

/// The lazy-DFA cache limit of one regex (per thread).
const DFA_CACHE: usize = 16 << 20;
/// The compiled-program limit (big alternations of cues and names).
const PROGRAM: usize = 1 << 24;

/// The entries of a list file under `data/` (one a line): lines trimmed,
/// blank lines and `#` comments left out.
pub fn list_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Compiles a rule regex (flags inline, as written in the data files).
pub fn regex(pattern: &str) -> Result<Regex, regex::Error> {
    build(&ascii_words(pattern), false)
}

/// Compiles a case-insensitive rule regex.
pub fn regex_ci(pattern: &str) -> Result<Regex, regex::Error> {
    build(&ascii_words(pattern), true)
}

/// Compiles a pattern already rewritten by [`ascii_words`].
fn build(ascii: &str, case_insensitive: bool) -> Result<Regex, regex::Error> {
    RegexBuilder::new(ascii)
        .case_insensitive(case_insensitive)
        .size_limit(PROGRAM)
        .dfa_size_limit(DFA_CACHE)
        .build()
}

/// ASCII word characters, as the inside of a bracketed class, as a class,
/// and as its negation.
const WORD: &str = "0-9A-Za-z_";
const WORD_CLASS: &str = "[0-9A-Za-z_]";
const NOT_WORD: &str = "[^0-9A-Za-z_]";

/// `pattern` with ASCII word classes and word boundaries: `\b` becomes
/// `(?-u:\b)`, `\w` `[0-9A-Za-z_]` and `\W` its negation, inside a
/// bracketed class as well as outside (so `[\w'-]` is `[0-9A-Za-z_'-]`).
fn ascii_words(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    // Depth of bracketed classes, and whether the next `]` would be the
    // first member of a class just opened (a literal `]`, as in `[]a]`).
    let mut depth = 0usize;
    let mut opened = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let first = std::mem::take(&mut opened);
        match c {
            '\\' => match chars.next() {
                Some('b') if depth == 0 => out.push_str("(?-u:\\b)"),
                Some('w') if depth == 0 => out.push_str(WORD_CLASS),
                Some('w') => out.push_str(WORD),
                // a nested negated class, inside a class or out
                Some('W') => out.push_str(NOT_WORD),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' => {
                depth += 1;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                opened = true;
            }
            ']' if depth > 0 && !first => {
                depth -= 1;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// A rule regex with the literal gate that proves, before it runs, that it
/// cannot match (see [`Gates`]).
#[derive(Debug, Clone)]
pub struct Gated {
    pub re: Regex,
    gate: Option<u8>,
}

impl Gated {
    /// `self.re.is_match(hay)`, skipped when the sentence scan `seen` holds
    /// none of the literals a match would contain inside `hay`. `hay` must
    /// be a slice of the text `seen` was made from; any other slice is
    /// searched in full.
    pub fn is_match(&self, hay: &str, seen: &Seen) -> bool {
        seen.may_match(self.gate, hay) && self.re.is_match(hay)
    }

    /// Whether the regex has a literal gate (else it always runs).
    pub fn is_gated(&self) -> bool {
        self.gate.is_some()
    }

    /// `self.re.find(hay)`, gated like [`Gated::is_match`].
    pub fn find<'h>(&self, hay: &'h str, seen: &Seen) -> Option<regex::Match<'h>> {
        if seen.may_match(self.gate, hay) {
            self.re.find(hay)
        } else {
            None
        }
    }
}

/// Collects the literals of many rule regexes into one Aho-Corasick
/// automaton, so that one pass over a sentence says which of them can
/// match where.
///
/// A regex's gate is its set of prefix literals (every match starts with
/// one of them) or, when those are unbounded, its suffix literals (every
/// match ends with one). Either way a match inside a window contains one
/// literal occurrence inside that window; no occurrence, no match, so the
/// regex need not run. Literals are compared ignoring ASCII case, which is
/// what the case-insensitive rules need; the only variants this misses are
/// the Unicode-only case partners of ASCII letters (the long s, the Kelvin
/// sign, which cleaning normalises to K). A regex without a finite,
/// non-empty literal set is never skipped.
///
/// The same pass can also look for a list of plain keywords (see
/// [`GateBuilder::keys`]), so that a sentence is read once for both.
/// One bit per gate.
type Mask = u128;

/// A rule the builder could not compile, or one gate too many.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error(transparent)]
    Regex(#[from] regex::Error),
    /// Every bit of the mask is taken: a rule would silently run
    /// ungated, on every text, so the builder refuses it instead.
    #[error("more than {MAX_GATES} gated rules in one builder")]
    Full,
}

#[derive(Debug, Default)]
pub struct GateBuilder {
    literals: Vec<(Vec<u8>, Mask)>,
    gates: u8,
    keys: Vec<Vec<u8>>,
}

/// The compiled gates of a [`GateBuilder`].
#[derive(Debug, Clone, Default)]
pub struct Gates {
    /// The keys' patterns first, then the gates' literals.
    ac: Option<aho_corasick::AhoCorasick>,
    n_keys: usize,
    masks: Vec<Mask>,
}

/// The literal occurrences of one text (see [`Gates::scan_keys`]).
#[derive(Debug, Clone, Default)]
pub struct Seen {
    base: usize,
    len: usize,
    hits: Vec<(usize, usize, Mask)>,
}

/// The most gates one builder hands out (one bit of a [`Mask`] each).
const MAX_GATES: u8 = 128;
/// Literal sets larger than this are not worth a gate.
const MAX_LITERALS: usize = 2_000;

impl GateBuilder {
    /// Compiles a case-insensitive rule regex and its gate. A regex with
    /// literals when every gate is taken is an error, not an ungated rule.
    pub fn regex_ci(&mut self, pattern: &str) -> Result<Gated, GateError> {
        // Rewritten once: the regex and its literals read the same pattern.
        let ascii = ascii_words(pattern);
        let re = build(&ascii, true)?;
        let gate = self.gate_of(&ascii)?;
        Ok(Gated { re, gate })
    }

    /// The bit of a new gate for `pattern`, or None when it cannot have one
    /// (no finite, non-empty literal set).
    fn gate_of(&mut self, pattern: &str) -> Result<Option<u8>, GateError> {
        use regex_syntax::hir::literal::ExtractKind;
        let Some(hir) = parse(pattern) else {
            return Ok(None);
        };
        let usable = |kind| {
            literals(&hir, kind).filter(|lits| {
                lits.len() <= MAX_LITERALS && lits.iter().all(|l| !l.is_empty() && l.is_ascii())
            })
        };
        let Some(lits) = usable(ExtractKind::Prefix).or_else(|| usable(ExtractKind::Suffix)) else {
            return Ok(None);
        };
        if self.gates >= MAX_GATES {
            return Err(GateError::Full);
        }
        let bit = self.gates;
        self.gates += 1;
        for lit in lits {
            let lit = lit.to_ascii_lowercase();
            match self.literals.iter_mut().find(|(l, _)| *l == lit) {
                Some((_, mask)) => *mask |= 1 << bit,
                None => self.literals.push((lit, 1 << bit)),
            }
        }
        Ok(Some(bit))
    }

    /// Keywords (compared ignoring ASCII case) that [`Gates::scan_keys`]
    /// reports by their index in `keys`.
    pub fn keys<K: AsRef<[u8]>>(&mut self, keys: &[K]) {
        self.keys = keys.iter().map(|k| k.as_ref().to_vec()).collect();
    }

    /// One automaton over the keys and the literals of every gate.
    pub fn build(self) -> Result<Gates, aho_corasick::BuildError> {
        let ac = if self.literals.is_empty() && self.keys.is_empty() {
            None
        } else {
            let patterns = self.keys.iter().chain(self.literals.iter().map(|(l, _)| l));
            Some(
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    // a DFA: it runs over every sentence
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(patterns)?,
            )
        };
        Ok(Gates {
            ac,
            n_keys: self.keys.len(),
            masks: self.literals.into_iter().map(|(_, m)| m).collect(),
        })
    }
}

impl Gates {
    /// Every literal occurrence in `text`, for the gated calls on its
    /// slices; `key` is called with the index of each key occurrence
    /// (overlapping ones too), in the order they end.
    pub fn scan_keys(&self, text: &str, mut key: impl FnMut(usize)) -> Seen {
        let mut hits = Vec::new();
        if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(text) {
                let p = m.pattern().as_usize();
                match p.checked_sub(self.n_keys) {
                    None => key(p),
                    Some(g) => {
                        if let Some(&mask) = self.masks.get(g) {
                            hits.push((m.start(), m.end(), mask));
                        }
                    }
                }
            }
        }
        Seen {
            base: text.as_ptr() as usize,
            len: text.len(),
            hits,
        }
    }
}

impl Seen {
    /// False only when `hay` is a slice of the scanned text and holds no
    /// occurrence of the gate's literals.
    fn may_match(&self, gate: Option<u8>, hay: &str) -> bool {
        let Some(bit) = gate else { return true };
        let from = (hay.as_ptr() as usize).wrapping_sub(self.base);
        let to = from.wrapping_add(hay.len());
        if from > self.len || to > self.len || to < from {
            return true;
        }
        self.hits
            .iter()
            .any(|&(s, e, mask)| mask & (1 << bit) != 0 && from <= s && e <= to)
    }
}

/// True when every match of the rule regex `pattern` (compiled with
/// [`regex_ci`]) contains one of `keys`, ASCII case ignored: the proof
/// that a regex whose keys are absent from a text need not run there.
///
/// Proven from the pattern's structure: a part is covered when each of its
/// prefix literals (every match starts with one) or each of its suffix
/// literals holds a key; an alternation when every branch is; a sequence
/// when one of its parts is; a repetition of at least one when its body
/// is. False means "not proven", never "proven wrong". Unicode-only case
/// partners of ASCII letters are outside the proof, as for the gates.
pub fn keys_cover<K: AsRef<[u8]>>(pattern: &str, keys: &[K]) -> bool {
    let Some(hir) = parse(&ascii_words(pattern)) else {
        return false;
    };
    let keys: Vec<Vec<u8>> = keys
        .iter()
        .map(|k| k.as_ref().to_ascii_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    covered(&hir, &keys)
}

fn covered(hir: &regex_syntax::hir::Hir, keys: &[Vec<u8>]) -> bool {
    use regex_syntax::hir::HirKind;
    use regex_syntax::hir::literal::ExtractKind;
    let holds_key = |lit: &[u8]| {
        let lit = lit.to_ascii_lowercase();
        keys.iter()
            .any(|k| lit.windows(k.len()).any(|w| w == k.as_slice()))
    };
    let literals_hold =
        |kind| literals(hir, kind).is_some_and(|lits| lits.iter().all(|l| holds_key(l)));
    if literals_hold(ExtractKind::Prefix) || literals_hold(ExtractKind::Suffix) {
        return true;
    }
    match hir.kind() {
        HirKind::Alternation(branches) => branches.iter().all(|b| covered(b, keys)),
        HirKind::Concat(parts) => parts.iter().any(|p| covered(p, keys)),
        HirKind::Capture(c) => covered(&c.sub, keys),
        HirKind::Repetition(r) => r.min >= 1 && covered(&r.sub, keys),
        _ => false,
    }
}

/// A pattern already rewritten by [`ascii_words`], parsed as written
/// (case-sensitive): its literals, compared ignoring ASCII case, stand for
/// every case variant the case-insensitive regex accepts.
fn parse(ascii: &str) -> Option<regex_syntax::hir::Hir> {
    regex_syntax::ParserBuilder::new().build().parse(ascii).ok()
}

/// The finite, non-empty set of prefix (or suffix) literals of `hir`: every
/// match starts (ends) with one of them. None when the set is infinite or
/// empty.
fn literals(
    hir: &regex_syntax::hir::Hir,
    kind: regex_syntax::hir::literal::ExtractKind,
) -> Option<Vec<Vec<u8>>> {
    let mut ex = regex_syntax::hir::literal::Extractor::new();
    ex.kind(kind).limit_total(MAX_LITERALS).limit_class(16);
    let seq = ex.extract(hir);
    let lits = seq.literals()?;
    (!lits.is_empty()).then(|| lits.iter().map(|l| l.as_bytes().to_vec()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PATTERNS: &[&str] = &[
        // Prefix literals, a bounded word window, anchored at the end.
        r"\b(?:not|never|stop(?:s|ped)|call(?:s|ed)? off)\b(?:\W+[\w'-]+){0,3}\W*$",
        // Suffix literals only (the prefix is unbounded).
        r"^(?:\W+[\w'-]+){0,4}?\W+in\s+(?-i:Iraq|Lebanon)\b",
        // No finite literal set at either end: never gated.
        r"\b\d+\s+\w+\b",
        r"\bthe\s+(?:\w+\s+){0,2}$",
    ];

    /// Keywords scanned in the same pass; "not" is also a gate literal.
    const KEYS: &[&str] = &["kill", "killed", "not"];

    fn compiled() -> (Vec<Gated>, Gates) {
        let mut b = GateBuilder::default();
        b.keys(KEYS);
        let res = PATTERNS
            .iter()
            .map(|p| b.regex_ci(p).expect("pattern"))
            .collect();
        (res, b.build().expect("gates"))
    }

    #[test]
    fn keys_are_proven_to_cover_a_pattern_or_not() {
        let cases: &[(&str, &[&str], bool)] = &[
            (r"\b(?:ambush(?:ed)?|raids?)\b", &["ambush", "raid"], true),
            (r"\b(?:ambush(?:ed)?|raids?)\b", &["ambush"], false),
            // a key inside a sequence, found through the branch that holds it
            (
                r"\battack(?:ed|s)? (?:\w+ ){0,3}?(?:positions?|bases?)\b",
                &["position", "base"],
                true,
            ),
            (
                r"\battack(?:ed|s)? (?:\w+ ){0,3}?(?:positions?|bases?)\b",
                &["attack"],
                true,
            ),
            // prefix for one branch, suffix for the other
            (
                r"\b(?:repel(?:led)? (?:\w+ ){0,4}?attacks?|attacks? (?:\w+ ){0,8}?(?:was|were) foiled)\b",
                &["repel", "foiled"],
                true,
            ),
            (
                r"\b(?:repel(?:led)? (?:\w+ ){0,4}?attacks?|attacks? (?:\w+ ){0,8}?(?:was|were) foiled)\b",
                &["repel"],
                false,
            ),
            // keys across a branch and the literal after it; case ignored
            (
                r"\b(?:pushed|drove) back\b",
                &["Pushed Back", "drove back"],
                true,
            ),
            // an optional part proves nothing
            (r"\b(?:fierce )?clash(?:es)?\b", &["fierce"], false),
            (r"\b(?:fierce )?clash(?:es)?\b", &["clash"], true),
            (r"\w+", &["a"], false),
        ];
        for (pattern, keys, expected) in cases {
            assert_eq!(
                keys_cover(pattern, keys),
                *expected,
                "{pattern} with {keys:?}"
            );
        }
    }

    #[test]
    fn literal_sets_are_found() {
        let (res, _) = compiled();
        let gated: Vec<bool> = res.iter().map(Gated::is_gated).collect();
        assert_eq!(gated, [true, true, false, true]);
    }

    #[test]
    fn a_gate_skips_only_what_cannot_match() {
        let (res, gates) = compiled();
        let text = "They had STOPPED the shelling, fighting in Iraq; 12 killed near the old  town";
        let seen = gates.scan_keys(text, |_| ());
        assert!(res[0].is_match(&text[..24], &seen));
        // "STOPPED" lies outside the window: the regex is not even run.
        assert!(!seen.may_match(res[0].gate, &text[30..]));
        assert!(!res[0].is_match(&text[30..], &seen));
        // "Iraq" (a suffix literal) lies inside it.
        assert!(seen.may_match(res[1].gate, &text[29..]));
        assert!(res[1].is_match(&text[29..], &seen));
        // A slice of another text is searched in full.
        assert!(seen.may_match(res[0].gate, "did not"));
        assert!(res[0].is_match("did not", &seen));
    }

    #[test]
    fn a_gate_past_the_last_bit_is_refused_not_dropped() {
        let mut b = GateBuilder::default();
        for i in 0..MAX_GATES {
            let g = b.regex_ci(&format!(r"\bword{i}\b")).expect("a gate");
            assert!(g.is_gated(), "rule {i}");
        }
        // a rule without literals needs no gate and is still built
        assert!(!b.regex_ci(r"\b\d+\s+\w+\b").expect("ungated").is_gated());
        assert!(matches!(b.regex_ci(r"\bone_more\b"), Err(GateError::Full)));
        // every bit still answers for its own literal
        let gates = b.build().expect("gates");
        let text = "word127 and word0";
        let seen = gates.scan_keys(text, |_| ());
        assert!(seen.may_match(Some(127), text));
        assert!(seen.may_match(Some(0), text));
        assert!(!seen.may_match(Some(64), text));
    }

    #[test]
    fn keys_are_reported_beside_the_gates() {
        let (res, gates) = compiled();
        let text = "12 KILLED, not 3";
        let mut keys = Vec::new();
        let seen = gates.scan_keys(text, |k| keys.push(KEYS[k]));
        // Every occurrence, overlapping ones too, in the order they end.
        assert_eq!(keys, ["kill", "killed", "not"]);
        // "not" is a key and a gate literal: the gate still sees it.
        assert!(seen.may_match(res[0].gate, &text[11..]));
        assert!(!seen.may_match(res[0].gate, &text[..10]));
    }

    #[test]
    fn word_classes_become_ascii_and_nothing_else_changes() {
        assert_eq!(ascii_words(r"\bnot\b\s+"), r"(?-u:\b)not(?-u:\b)\s+");
        assert_eq!(
            ascii_words(r"(?:\w+ ){0,3}\W"),
            r"(?:[0-9A-Za-z_]+ ){0,3}[^0-9A-Za-z_]"
        );
        // Inside a class \w joins the class's members; \W is a nested class.
        assert_eq!(
            ascii_words(r"[\w'-]+[^\w\s]"),
            r"[0-9A-Za-z_'-]+[^0-9A-Za-z_\s]"
        );
        assert_eq!(ascii_words(r"[\W\d]"), r"[[^0-9A-Za-z_]\d]");
        // A `]` first in a class is a member; nested and escaped brackets.
        assert_eq!(
            ascii_words(r"[]\w][^]\w]\w"),
            r"[]0-9A-Za-z_][^]0-9A-Za-z_][0-9A-Za-z_]"
        );
        assert_eq!(
            ascii_words(r"[[:alpha:]\w]\[\w\]"),
            r"[[:alpha:]0-9A-Za-z_]\[[0-9A-Za-z_]\]"
        );
        // An escaped backslash before "b" or "w" is a literal backslash.
        assert_eq!(ascii_words(r"a\\b\\w"), r"a\\b\\w");
        assert_eq!(ascii_words(r"\Bx\\"), r"\Bx\\");
        // The rewritten pattern still finds a word beside a curly quote.
        let re = regex(r"\bnot\b").expect("pattern");
        assert!(re.is_match("“not”"));
        // Every rewritten class compiles, and means what it says.
        let re = regex(r"^[\w'-]+[\W]\w$").expect("pattern");
        assert!(re.is_match("al-Assad's x"));
        assert!(!re.is_match("Erdoğan x"));
    }

    proptest! {
        #[test]
        fn gated_calls_agree_with_the_regex(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("not"), Just("NOT"), Just("never"), Just("stopped"), Just("calls off"),
                    Just("in"), Just("Iraq"), Just("iraq"), Just("Lebanon"), Just("the"),
                    Just("12"), Just("killed"), Just("dead"), Just(","), Just("x"), Just("é"),
                    Just("knot"), Just("nothing"),
                ],
                0..24,
            ),
            cut in any::<(usize, usize)>(),
        ) {
            let (res, gates) = compiled();
            let text = words.join(" ");
            let seen = gates.scan_keys(&text, |_| ());
            let mut bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            bounds.dedup();
            let a = bounds[cut.0 % bounds.len()];
            let b = bounds[cut.1 % bounds.len()];
            let (a, b) = (a.min(b), a.max(b));
            let hay = &text[a..b];
            for re in &res {
                prop_assert_eq!(re.is_match(hay, &seen), re.re.is_match(hay), "{:?} on {:?}", re.re.as_str(), hay);
                prop_assert_eq!(re.find(hay, &seen).map(|m| m.range()), re.re.find(hay).map(|m| m.range()));
            }
        }
    }
}

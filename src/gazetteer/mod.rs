//! The gazetteer: the project's list of Syrian places (and the regions,
//! countries and capitals that Syrian news names), loaded from the embedded
//! `data/gazetteer.tsv`, with the spelling fold that makes every
//! transliteration of a name meet on one key, and the one automaton over all
//! folded alias keys that finds names in a folded text at word boundaries.
//! `build` regenerates the data file from the raw sources.

pub mod build;

use std::cell::RefCell;
use std::collections::HashMap;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

const GAZETTEER_TSV: &str = include_str!("../../data/gazetteer.tsv");
const COMMON_WORDS: &str = include_str!("../../data/place_common_words.txt");

/// Article prefixes dropped by the fold ("al-", "Al ", "el-", "ash-", ...).
pub const ARTICLES: &[&str] = &[
    "al", "el", "il", "ul", "ad", "ar", "as", "ash", "at", "ath", "az", "an", "adh", "ed", "er",
    "es", "esh", "et", "ez", "en",
];

/// True when the article `art` can stand before `next`: "al" before any
/// word, an assimilated one only before its own consonant ("at-Tall",
/// "as-Suwayda", "ash-Shaddadi", "an-Nabk"). So the English words of a
/// sentence's opening ("At Khan Sheikhun, 11 people...", "As Raqqa fell")
/// are no article of the name after them.
fn assimilates(art: &str, next: &str) -> bool {
    match art.get(1..) {
        Some("l") | None => true,
        Some(consonant) => {
            // the next word's first letters folded ("Şanamayn" -> "sa")
            let mut head = String::with_capacity(4);
            for c in next.chars() {
                if head.len() >= consonant.len() {
                    break;
                }
                ascii_fold_char(c, &mut head);
            }
            head.get(..consonant.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(consonant))
        }
    }
}

/// Whole-token spellings that stand for one form.
const TOKEN_SYNONYMS: &[(&[&str], &str)] = &[
    (&["tal", "tall", "tell", "tel", "til"], "tal"),
    (
        &["kafr", "kfar", "kafar", "kefr", "kfr", "kafer", "kufr"],
        "kafr",
    ),
    (
        &["jabal", "jebel", "jabel", "jbel", "jebal", "jabl"],
        "jabal",
    ),
    (&["deir", "dayr", "dair", "deyr", "der", "dier"], "dayr"),
    (
        &["khirbet", "khirbat", "kherbet", "khurbet", "khirbit"],
        "khirbat",
    ),
    (
        &[
            "sheikh", "shaykh", "shaikh", "sheik", "shaikh", "shekh", "cheikh",
        ],
        "shaykh",
    ),
    (&["ain", "ayn", "ein", "eyn", "ayin"], "ayn"),
    (&["abu", "abou", "abo"], "abu"),
    (&["beit", "bayt", "bait", "beyt", "bet"], "bayt"),
    (&["umm", "um", "om", "oum", "omm"], "umm"),
];

/// True for the letters the fold treats as vowels (after mapping).
fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'u')
}

/// [`ascii_fold_char`] over a word. An ASCII word without apostrophes or
/// backticks (most words) only changes case, so it is copied and
/// lowercased in one go.
fn ascii_fold_word(w: &str, out: &mut String) {
    if w.bytes().all(|b| b.is_ascii() && b != b'\'' && b != b'`') {
        let from = out.len();
        out.push_str(w);
        if let Some(added) = out.get_mut(from..) {
            added.make_ascii_lowercase();
        }
    } else {
        w.chars().for_each(|c| ascii_fold_char(c, out));
    }
}

/// One character of text reduced to lowercase ASCII letters or digits; `None`
/// for characters that vanish inside a word (apostrophes, the ‘ayn, combining
/// marks); other non-ASCII letters are kept as they are (lowercased).
fn ascii_fold_char(c: char, out: &mut String) {
    // ASCII is its own decomposition: only the case and the marks change.
    if c.is_ascii() {
        if c != '\'' && c != '`' {
            out.push(c.to_ascii_lowercase());
        }
        return;
    }
    match c {
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BF}' | '\u{02BE}' | '`' | '\u{00B4}'
        | '\u{02BB}' | '\u{02BC}' => {}
        'ı' => out.push('i'),
        'ł' | 'Ł' => out.push('l'),
        'ø' | 'Ø' => out.push('o'),
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ə' | 'Ə' => out.push('e'),
        'ħ' | 'Ħ' => out.push('h'),
        'đ' | 'Đ' => out.push('d'),
        'þ' => out.push_str("th"),
        _ => {
            for d in c.nfd() {
                if d.is_ascii() {
                    out.push(d.to_ascii_lowercase());
                } else if unicode_normalization::char::is_combining_mark(d) {
                } else {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
}

/// A name as it is spelled, without the fold's vowel classes and synonyms:
/// case, diacritics and apostrophes go (as the fold drops them),
/// hyphens and spaces become one space, and a leading article ([`ARTICLES`])
/// goes. "Al-Haffah" and "Haffah", "Sana'a" and "Sanaa" are spelled alike;
/// "Mali" and "Mallah", which share a fold key, are not.
pub fn spelling(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c == '-' || c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            ascii_fold_char(c, &mut out);
        }
    }
    let out = out.trim_end();
    match out.split_once(' ') {
        Some((first, rest)) if ARTICLES.contains(&first) => rest.to_string(),
        _ => out.to_string(),
    }
}

/// True for characters that join a word without breaking it.
fn is_inner_mark(c: char) -> bool {
    if c.is_ascii() {
        return c == '\'' || c == '`';
    }
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BF}' | '\u{02BE}' | '`' | '\u{02BB}' | '\u{02BC}'
    ) || unicode_normalization::char::is_combining_mark(c)
}

/// Folds one lowercase-ASCII token: synonyms, suffixes, vowel classes, the
/// final -h, doubled letters.
pub fn fold_token(tok: &str) -> String {
    let mut out = String::with_capacity(tok.len() + 2);
    fold_token_into(tok, &mut out, &mut Vec::new());
    out
}

/// A token of up to 8 bytes as one integer (its bytes, little-endian; no
/// token byte is zero, so tokens of different lengths never collide).
fn pack_token(tok: &[u8]) -> Option<u64> {
    if tok.is_empty() || tok.len() > 8 {
        return None;
    }
    let mut b = [0u8; 8];
    b.get_mut(..tok.len())?.copy_from_slice(tok);
    Some(u64::from_le_bytes(b))
}

/// [`TOKEN_SYNONYMS`] as (packed form, form, canonical form), sorted, built once.
type SynonymTable = Vec<(u64, &'static str, &'static str)>;
static SYNONYM_TABLE: std::sync::LazyLock<SynonymTable> = std::sync::LazyLock::new(|| {
    let mut t: SynonymTable = Vec::new();
    for (forms, canon) in TOKEN_SYNONYMS {
        for f in *forms {
            // the first listing of a form wins, as in a linear search
            if let Some(k) = pack_token(f.as_bytes()) {
                if !t.iter().any(|x| x.0 == k) {
                    t.push((k, f, canon));
                }
            }
        }
    }
    t.sort_by_key(|x| x.0);
    t
});

/// The canonical form of a whole-token spelling in [`TOKEN_SYNONYMS`].
fn token_synonym(tok: &str) -> Option<&'static str> {
    let k = pack_token(tok.as_bytes())?;
    let t = &*SYNONYM_TABLE;
    t.binary_search_by_key(&k, |x| x.0)
        .ok()
        .and_then(|i| t.get(i))
        .filter(|x| x.1 == tok)
        .map(|x| x.2)
}

/// [`fold_token`] appending to `out`, with `scratch` as working space (no
/// allocation once the buffers have grown).
fn fold_token_into(tok: &str, out: &mut String, scratch: &mut Vec<u8>) {
    if !tok.is_ascii() || tok.bytes().all(|b| b.is_ascii_digit()) {
        out.push_str(tok);
        return;
    }
    if let Some(canon) = token_synonym(tok) {
        out.push_str(canon);
        return;
    }
    // -ieh/-iyah/-iyeh/-iye/-iya/-ia -> iya (collapse doubled first so -iyyah works)
    let s = scratch;
    s.clear();
    for b in tok.bytes() {
        if s.last() != Some(&b) {
            s.push(b);
        }
    }
    for suf in ["iyah", "iyeh", "iyat", "ieh", "iye", "iya", "iah", "ia"] {
        if s.len() > suf.len() + 2 && s.ends_with(suf.as_bytes()) {
            s.truncate(s.len() - suf.len());
            s.extend_from_slice(b"iya");
            break;
        }
    }
    // letters
    for b in s.iter_mut() {
        *b = match *b {
            b'e' | b'i' => b'a',
            b'o' => b'u',
            b'q' | b'c' => b'k',
            b => b,
        };
    }
    // 'y' or 'w' closing a vowel before a consonant or the end: ay -> a, aw -> u
    // (in place: the write position never passes the read position)
    let mut w = 0;
    for i in 0..s.len() {
        let b = s[i];
        let prev_vowel = w > 0 && is_vowel(s[w - 1]);
        let next_is_vowel = s.get(i + 1).is_some_and(|&n| is_vowel(n) || n == b'y');
        if (b == b'y' || b == b'w') && prev_vowel && !next_is_vowel && i > 0 {
            if b == b'w' {
                s[w - 1] = b'u';
            }
            continue;
        }
        s[w] = b;
        w += 1;
    }
    s.truncate(w);
    // final h after a vowel
    if s.len() > 3 && s.last() == Some(&b'h') && is_vowel(s[s.len() - 2]) {
        s.pop();
    }
    s.dedup();
    // only ASCII bytes are left
    out.extend(s.iter().map(|&b| char::from(b)));
}

/// A word of a folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
    /// Byte span in the folded text (empty for a dropped article).
    pub fstart: usize,
    pub fend: usize,
    /// The original word starts with an uppercase letter.
    pub cap: bool,
    /// An article token ("al", "el", ...), dropped from the folded text.
    pub article: bool,
}

/// A text folded for matching: " tok tok tok " with an offset map.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    pub tokens: Vec<Token>,
}

/// Splits a text into words (letters/digits, with apostrophes inside).
fn raw_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = word_spans(text);
    // a possessive "'s" is not part of the word: "Idlib's" -> "Idlib"
    for w in out.iter_mut() {
        if let Some(t) = text.get(w.0..w.1) {
            for suf in ["'s", "\u{2019}s"] {
                if t.len() > suf.len() + 1 && t.ends_with(suf) {
                    w.1 -= suf.len();
                    break;
                }
            }
        }
    }
    out
}

/// The byte spans of a text's words: runs of letters and digits, with
/// apostrophes and combining marks inside.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_alphanumeric() {
            // A run of ASCII letters and digits, most of a word, in one go.
            let run = bytes.get(i..).map_or(1, |r| {
                r.iter()
                    .position(|x| !x.is_ascii_alphanumeric())
                    .unwrap_or(r.len())
            });
            start.get_or_insert(i);
            i += run;
            last_end = i;
            continue;
        }
        // Any other ASCII byte (no letter or digit) is read as it is; any
        // other char is decoded.
        let (word, mark, len) = if b.is_ascii() {
            (false, b == b'\'' || b == b'`', 1)
        } else {
            let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                break;
            };
            (c.is_alphanumeric(), is_inner_mark(c), c.len_utf8())
        };
        if word || (start.is_some() && mark) {
            if start.is_none() {
                start = Some(i);
            }
            if !mark {
                last_end = i + len;
            }
        } else if let Some(s) = start.take() {
            out.push((s, last_end));
        }
        i += len;
    }
    if let Some(s) = start {
        out.push((s, last_end));
    }
    out
}

/// The most folded words one thread remembers (a few MiB); past it the
/// memo starts again.
const FOLD_MEMO: usize = 1 << 16;

/// Folded words already seen on this thread, by their ASCII form: news
/// text repeats its words, and folding one took about six times as many
/// instructions as looking it up (folding was a tenth of a build). Words
/// of up to 8 bytes, most of them, are keyed by their bytes packed in one
/// integer, and their folded forms are kept end to end in one string: a
/// lookup is one multiply and one comparison, with no string to follow.
#[derive(Default)]
struct FoldMemo {
    /// Packed word -> (start, end) of its folded form in `arena`.
    short: FxHashMap<u64, (u32, u32)>,
    arena: String,
    long: FxHashMap<Box<str>, Box<str>>,
}

impl FoldMemo {
    /// Appends the folded form of the ASCII-folded word `buf` to `out`.
    fn fold_into(&mut self, buf: &str, out: &mut String, scratch: &mut Vec<u8>) {
        let packed = pack_token(buf.as_bytes());
        let known = match packed {
            Some(k) => self.short.get(&k).and_then(|&(s, e)| {
                self.arena
                    .get(usize::try_from(s).ok()?..usize::try_from(e).ok()?)
            }),
            None => self.long.get(buf).map(|f| &**f),
        };
        if let Some(folded) = known {
            out.push_str(folded);
            return;
        }
        let from = out.len();
        fold_token_into(buf, out, scratch);
        if self.short.len() + self.long.len() >= FOLD_MEMO {
            self.short.clear();
            self.arena.clear();
            self.long.clear();
        }
        let folded = out.get(from..).unwrap_or("");
        let start = u32::try_from(self.arena.len()).ok();
        let end = u32::try_from(self.arena.len() + folded.len()).ok();
        match (packed, start, end) {
            (Some(k), Some(s), Some(e)) => {
                self.arena.push_str(folded);
                self.short.insert(k, (s, e));
            }
            _ => {
                self.long.insert(buf.into(), folded.into());
            }
        }
    }
}

thread_local! {
    static FOLDS: RefCell<FoldMemo> = RefCell::new(FoldMemo::default());
}

/// Folds a text into words joined by single spaces, keeping each word's span.
pub fn fold_text(text: &str) -> Folded {
    let words = raw_words(text);
    let mut f = Folded {
        text: String::with_capacity(text.len() + 2),
        tokens: Vec::with_capacity(words.len()),
    };
    f.text.push(' ');
    let mut buf = String::new();
    let mut scratch = Vec::new();
    FOLDS.with_borrow_mut(|memo| {
        for (k, &(s, e)) in words.iter().enumerate() {
            let w = text.get(s..e).unwrap_or("");
            buf.clear();
            ascii_fold_word(w, &mut buf);
            let cap = w.chars().next().is_some_and(|c| c.is_uppercase());
            // An article only when the next word follows after a hyphen or a space.
            let next_joined = words.get(k + 1).is_some_and(|&(ns, _)| {
                text.get(e..ns).is_some_and(|gap| {
                    !gap.is_empty()
                        && gap
                            .chars()
                            .all(|c| c == '-' || c == ' ' || c == '\u{2010}' || c == '\u{2011}')
                })
            });
            let article = next_joined
                && ARTICLES.contains(&buf.as_str())
                && words
                    .get(k + 1)
                    .and_then(|&(ns, ne)| text.get(ns..ne))
                    .is_some_and(|next| assimilates(&buf, next));
            if article || buf.is_empty() {
                let at = f.text.len();
                f.tokens.push(Token {
                    start: s,
                    end: e,
                    fstart: at,
                    fend: at,
                    cap,
                    article: true,
                });
                continue;
            }
            let fstart = f.text.len();
            memo.fold_into(&buf, &mut f.text, &mut scratch);
            let fend = f.text.len();
            f.text.push(' ');
            f.tokens.push(Token {
                start: s,
                end: e,
                fstart,
                fend,
                cap,
                article: false,
            });
        }
    });
    f
}

/// The folded key of a name: its folded words joined by single spaces.
pub fn fold_key(name: &str) -> String {
    let f = fold_text(name);
    f.text.trim().to_string()
}

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// city, town, village, mountain, region, admin1, admin2, country, ...
    pub feature: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub country: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: u64,
    pub geonames_id: Option<i64>,
    pub source: String,
    /// Higher ranks win ties: admin units, cities, then by population and events.
    pub rank: u32,
}

impl Entry {
    /// The Location precision of this entry's kind of feature.
    pub fn precision(&self) -> &'static str {
        match self.feature.as_str() {
            "country" => "country",
            "admin1" => "admin1",
            "admin2" => "admin2",
            "region" | "plain" | "valley" | "border" | "area" => "region",
            _ => "place",
        }
    }
}

/// The loaded gazetteer with its automaton.
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    /// key index -> entry indices
    keys: Vec<Vec<usize>>,
    /// key index -> the folded key
    key_text: Vec<String>,
    /// key index -> the key is a common word (or a short one) needing context
    key_common: Vec<bool>,
    /// Anchored only: it is run at word starts, and read state by state
    /// (see [`Gazetteer::longest_at`]).
    automaton: DFA,
    by_id: HashMap<String, usize>,
    /// folded key -> key index
    key_ix: HashMap<String, usize>,
}

/// A name found in a folded text: tokens `[first, last]` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub first: usize,
    pub last: usize,
    pub key: usize,
}

fn parse_f64(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

/// Parses a gazetteer TSV (the format `build` writes).
pub fn parse_tsv(text: &str, file: &'static str) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    let mut header: Option<Vec<String>> = None;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let Some(h) = &header else {
            header = Some(cols.iter().map(|c| c.trim().to_string()).collect());
            continue;
        };
        let get = |name: &str| -> &str {
            h.iter()
                .position(|c| c == name)
                .and_then(|i| cols.get(i).copied())
                .unwrap_or("")
        };
        let name = get("name").trim().to_string();
        if name.is_empty() {
            return Err(Error::data(file, format!("line {}: empty name", n + 1)));
        }
        out.push(Entry {
            id: get("id").trim().to_string(),
            aliases: get("aliases")
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect(),
            feature: get("feature").trim().to_string(),
            admin1: opt(get("admin1")),
            admin2: opt(get("admin2")),
            country: opt(get("country")).unwrap_or_else(|| "SY".to_string()),
            lat: parse_f64(get("lat")),
            lon: parse_f64(get("lon")),
            population: get("population").trim().parse().unwrap_or(0),
            geonames_id: get("geonames_id").trim().parse().ok(),
            source: get("source").trim().to_string(),
            rank: get("rank").trim().parse().unwrap_or(0),
            name,
        });
    }
    if header.is_none() {
        return Err(Error::data(file, "no header line"));
    }
    Ok(out)
}

/// The list of common words (folded), from `data/place_common_words.txt`.
pub fn common_words() -> std::collections::HashSet<String> {
    crate::matcher::list_lines(COMMON_WORDS)
        .map(fold_key)
        .filter(|k| !k.is_empty())
        .collect()
}

impl Gazetteer {
    /// Loads the embedded gazetteer and compiles its automaton.
    pub fn load() -> Result<Gazetteer> {
        let entries = parse_tsv(GAZETTEER_TSV, "gazetteer.tsv")?;
        Gazetteer::from_entries(entries)
    }

    pub fn from_entries(entries: Vec<Entry>) -> Result<Gazetteer> {
        let common = common_words();
        let mut key_ix: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<Vec<usize>> = Vec::new();
        let mut key_text: Vec<String> = Vec::new();
        let mut by_id = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_id.insert(e.id.clone(), i);
            for a in std::iter::once(&e.name).chain(e.aliases.iter()) {
                let k = fold_key(a);
                if k.len() < 3 {
                    continue;
                }
                // "the Golan" as a key would start at "the", a word without
                // a capital, and hide "Golan Heights" behind it.
                if a.split_whitespace()
                    .next()
                    .is_some_and(|w| w.eq_ignore_ascii_case("the"))
                {
                    return Err(Error::data(
                        "gazetteer.tsv",
                        format!("{a:?} ({}): a name never starts with \"the\"", e.id),
                    ));
                }
                let ki = *key_ix.entry(k.clone()).or_insert_with(|| {
                    keys.push(Vec::new());
                    key_text.push(k.clone());
                    keys.len() - 1
                });
                if let Some(list) = keys.get_mut(ki) {
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
        let key_common: Vec<bool> = key_text
            .iter()
            .map(|k| common.contains(k) || (!k.contains(' ') && k.len() <= 3))
            .collect();
        let patterns: Vec<String> = key_text.iter().map(|k| format!("{k} ")).collect();
        // a DFA: one table lookup per byte at every word start of every
        // article, for a few megabytes built once at load
        let automaton = aho_corasick::dfa::Builder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            .map_err(|e| Error::data("gazetteer.tsv", e))?;
        Ok(Gazetteer {
            entries,
            keys,
            key_text,
            key_common,
            automaton,
            by_id,
            key_ix,
        })
    }

    pub fn entry(&self, i: usize) -> Option<&Entry> {
        self.entries.get(i)
    }

    pub fn by_id(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).and_then(|&i| self.entries.get(i))
    }

    /// The entries that carry a key.
    pub fn candidates(&self, key: usize) -> &[usize] {
        self.keys.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn key_text(&self, key: usize) -> &str {
        self.key_text.get(key).map(String::as_str).unwrap_or("")
    }

    /// True when the key is a common word (needs a capital and place-like context).
    pub fn key_is_common(&self, key: usize) -> bool {
        self.key_common.get(key).copied().unwrap_or(false)
    }

    /// Entries whose folded name or alias equals the fold of `name`.
    pub fn lookup(&self, name: &str) -> Vec<usize> {
        match self.key_of(name) {
            Some(ki) => self.candidates(ki).to_vec(),
            None => Vec::new(),
        }
    }

    /// The key index of the fold of `name`, when it is a gazetteer name.
    pub fn key_of(&self, name: &str) -> Option<usize> {
        self.key_ix.get(fold_text(name).text.trim()).copied()
    }

    /// All names in a folded text, leftmost-longest, starting at word starts.
    pub fn find(&self, f: &Folded) -> Vec<Hit> {
        let mut out = Vec::new();
        // fstart -> token index, for non-article tokens
        let starts: Vec<usize> = (0..f.tokens.len())
            .filter(|&i| f.tokens.get(i).is_some_and(|t| !t.article))
            .collect();
        let mut j = 0;
        while j < starts.len() {
            let Some(ti) = starts.get(j).copied() else {
                break;
            };
            let Some(t) = f.tokens.get(ti) else { break };
            if let Some((m_end, key)) = self.longest_at(f.text.as_bytes(), t.fstart) {
                // the match ends with a space: the token ending at m_end-1
                let end = m_end.saturating_sub(1);
                let mut last = ti;
                let mut k = j;
                while let Some(&tk) = starts.get(k) {
                    let Some(tt) = f.tokens.get(tk) else { break };
                    if tt.fend <= end {
                        last = tk;
                        k += 1;
                    } else {
                        break;
                    }
                }
                out.push(Hit {
                    first: ti,
                    last,
                    key,
                });
                j = k.max(j + 1);
            } else {
                j += 1;
            }
        }
        out
    }

    /// The longest name that starts exactly at `start`: its end and key.
    ///
    /// The automaton's own search loop, walked here state by state: every
    /// word start of every article is probed, and most probes end after a
    /// byte or two, so the generic search's set-up (the
    /// input's checks, the dispatch to the automaton) cost more than the
    /// walk itself. The loop is `aho_corasick`'s forward search for an
    /// anchored, leftmost-longest automaton: read on to the dead state,
    /// keeping the last match, and keep only matches that begin at
    /// `start` (a DFA's match states also carry matches reached through
    /// failure transitions, which begin later).
    fn longest_at(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        let dfa = &self.automaton;
        let mut sid = dfa.start_state(Anchored::Yes).ok()?;
        let mut best = None;
        let mut at = start;
        while let Some(&b) = hay.get(at) {
            sid = dfa.next_state(Anchored::Yes, sid, b);
            at += 1;
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    break;
                }
                if dfa.is_match(sid) {
                    let pid = dfa.match_pattern(sid, 0);
                    if at.checked_sub(dfa.pattern_len(pid)) == Some(start) {
                        best = Some((at, pid.as_usize()));
                    }
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_keeps_the_letters_the_fold_merges() {
        assert_eq!(spelling("Al-Haffah"), spelling("Haffah"));
        assert_eq!(spelling("Sana'a"), "sanaa");
        assert_eq!(spelling("Ḩarastā"), "harasta");
        assert_eq!(spelling("Tal  Afar"), "tal afar");
        // one fold key, two spellings
        assert_eq!(fold_key("Mali"), fold_key("Malah"));
        assert_ne!(spelling("Mali"), spelling("Mallah"));
        // "Al" alone is a name, not an article before one
        assert_eq!(spelling("Al"), "al");
    }

    #[test]
    fn a_word_folds_as_its_chars_do() {
        // Every pair of ASCII chars after a prefix already in the buffer
        // (an accented one, so byte and char offsets differ), and words
        // mixing ASCII and not.
        let mut words: Vec<String> = (0u8..128)
            .flat_map(|a| (0u8..128).map(move |b| format!("{}{}", char::from(a), char::from(b))))
            .collect();
        words
            .extend(["Ma'arrat", "AL-`Ain", "Ḥamā", "Ma’arrat", "IDLIB", "Deir"].map(String::from));
        for w in &words {
            let (mut fast, mut slow) = (String::from("é"), String::from("é"));
            ascii_fold_word(w, &mut fast);
            w.chars().for_each(|c| ascii_fold_char(c, &mut slow));
            assert_eq!(fast, slow, "{w:?}");
        }
    }

    #[test]
    fn words_split_as_their_chars_do() {
        // The char-at-a-time form of `word_spans`.
        fn slowly(text: &str) -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let (mut start, mut last_end) = (None, 0);
            for (i, c) in text.char_indices() {
                if c.is_alphanumeric() || (start.is_some() && is_inner_mark(c)) {
                    start.get_or_insert(i);
                    if !is_inner_mark(c) {
                        last_end = i + c.len_utf8();
                    }
                } else if let Some(s) = start.take() {
                    out.push((s, last_end));
                }
            }
            out.extend(start.map(|s| (s, last_end)));
            out
        }
        let pool: Vec<char> = (0u8..128)
            .map(char::from)
            .chain(['é', '’', '\u{301}', 'ا', '\u{a0}', 'Ḥ', '２'])
            .collect();
        for &a in &pool {
            for &b in &pool {
                for text in [format!("{a}{b}"), format!("x{a}{b}y z"), format!("{a}x{b}")] {
                    assert_eq!(word_spans(&text), slowly(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_fold_memo_never_changes_a_fold() {
        let text = "Shelling hit Deir ez-Zor, Idleb and Ma'arrat al-Nu'man; Idlib again.";
        let first = fold_text(text);
        // Past the memo's bound: it starts again, and folds stay the same.
        // Long words and short ones (kept apart in the memo), both past it.
        let many: String = (0..FOLD_MEMO + 10)
            .map(|i| format!("Qaryat{i}iyeh Kfr{i} Ain{} ", i % 97))
            .collect();
        let folded = fold_text(&many);
        for (tok, word) in folded.tokens.iter().zip(many.split_whitespace()) {
            let mut ascii = String::new();
            word.chars().for_each(|c| ascii_fold_char(c, &mut ascii));
            assert_eq!(&folded.text[tok.fstart..tok.fend], fold_token(&ascii));
        }
        let again = fold_text(text);
        assert_eq!(first.text, again.text);
        assert_eq!(first.tokens, again.tokens);
    }

    #[test]
    fn folds_spellings_together() {
        let same = [
            ("Idleb", "Idlib"),
            ("Tartous", "Tartus"),
            ("Jableh", "Jablah"),
            ("Yabroud", "Yabrud"),
            ("Zabadani", "Az Zabadani"),
            ("Bahloulieh", "Bahluliyah"),
            ("Deir ez-Zor", "Dayr az Zawr"),
            ("Tell Abyad", "Tall Abyad"),
            ("Kfar Nabl", "Kafr Nabl"),
            ("Ras al-Ain", "Ras al Ayn"),
            ("Ma'arat al-Nu'man", "Maarat al Numan"),
            ("Qusayr", "Kusair"),
            ("Ḩimş", "Hims"),
            ("Raqqa", "Ar-Raqqah"),
        ];
        for (a, b) in same {
            assert_eq!(fold_key(a), fold_key(b), "{a} vs {b}");
        }
    }

    #[test]
    fn synonym_prefilter_admits_every_form() {
        for (forms, canon) in TOKEN_SYNONYMS {
            for f in *forms {
                assert_eq!(token_synonym(f), Some(*canon), "{f}");
            }
        }
        assert_eq!(token_synonym("aleppo"), None);
        assert_eq!(token_synonym("khirbetx"), None);
        assert_eq!(token_synonym(""), None);
        // every form is short enough to be packed
        assert!(
            TOKEN_SYNONYMS
                .iter()
                .all(|(forms, _)| forms.iter().all(|f| pack_token(f.as_bytes()).is_some()))
        );
    }

    #[test]
    fn an_assimilated_article_only_before_its_consonant() {
        let articles =
            |t: &str| -> Vec<bool> { fold_text(t).tokens.iter().map(|k| k.article).collect() };
        // the sun letter after a diacritic is folded first
        assert_eq!(articles("Aş Şanamayn"), vec![true, false]);
        assert_eq!(articles("at-Tall"), vec![true, false]);
        assert_eq!(articles("Ash Shaddadi"), vec![true, false]);
        assert_eq!(articles("al Bab"), vec![true, false]);
        // English words opening a sentence
        assert_eq!(articles("At Khan Sheikhun"), vec![false, false, false]);
        assert_eq!(articles("As Raqqa fell"), vec![false, false, false]);
        assert_eq!(articles("An Nabk"), vec![true, false]);
    }

    #[test]
    fn offsets_map_back() {
        let t = "Shelling hit al-Bab, near Aleppo.";
        let f = fold_text(t);
        let toks: Vec<&str> = f.tokens.iter().map(|k| &t[k.start..k.end]).collect();
        assert_eq!(toks, vec!["Shelling", "hit", "al", "Bab", "near", "Aleppo"]);
        assert!(f.tokens[2].article);
    }

    #[test]
    fn a_name_that_starts_with_the_is_refused() {
        let tsv = "id\tname\taliases\tfeature\tadmin1\tcountry\nr1\tGolan Heights\tthe Golan\tregion\tQuneitra\tSY\n";
        let entries = parse_tsv(tsv, "test.tsv").expect("parse");
        let err = Gazetteer::from_entries(entries)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("the Golan")),
            "{err:?}"
        );
    }

    #[test]
    fn loads_fast_enough_and_finds() {
        let g = Gazetteer::load().expect("load");
        let f = fold_text("Clashes in Idleb and Tartous.");
        let hits = g.find(&f);
        assert_eq!(hits.len(), 2, "{hits:?}");
    }

    #[test]
    fn the_walk_finds_the_longest_name_at_each_word() {
        // Names of many lengths run together (so longer names hold shorter
        // ones and the walk must read past a match), and plain words.
        let g = Gazetteer::load().expect("load");
        let mut text = String::new();
        for (i, e) in g.entries.iter().enumerate().filter(|(i, _)| i % 11 == 0) {
            text.push_str(&e.name);
            text.push_str(if i % 2 == 0 { " " } else { " and the town of " });
        }
        let f = fold_text(&text);
        let mut probed = 0;
        for t in f.tokens.iter().filter(|t| !t.article) {
            let rest = &f.text[t.fstart..];
            let brute = (0..g.key_text.len())
                .filter(|&k| rest.starts_with(&format!("{} ", g.key_text[k])))
                .max_by_key(|&k| g.key_text[k].len())
                .map(|k| (t.fstart + g.key_text[k].len() + 1, k));
            assert_eq!(
                g.longest_at(f.text.as_bytes(), t.fstart),
                brute,
                "{rest:.40}"
            );
            probed += usize::from(brute.is_some());
        }
        assert!(probed > 100, "{probed} names found");
    }
}

//! Cleaning: from a [`RawDoc`]'s text to a [`CleanDoc`]'s body. Encoding
//! damage is repaired (UTF-8 misread as Windows-1252 or a Mac code page),
//! invisible and control characters go, text is NFC with normalised white
//! space; web furniture is removed by the rules in `data/boilerplate.toml`;
//! the headline, photo captions, a dateline and a published-date line are
//! taken out of the body into their own fields.

use std::collections::HashMap;

use chrono::NaiveDate;
use regex::Regex;
use serde::Deserialize;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::error::{Error, Result};
use crate::model::{CleanDoc, DateSource, RawDoc, Reject, RejectReason, Span};

const BOILERPLATE: &str = include_str!("../data/boilerplate.toml");
const MOJIBAKE: &str = include_str!("../data/mojibake.toml");
const PUBLICATION_LABELS: &str = include_str!("../data/publication_labels.txt");

/// The labels of a page's own date ("Date of publication", "Last
/// updated"), from `data/publication_labels.txt`: lowercase, longest first.
pub fn publication_labels() -> Vec<String> {
    let mut labels: Vec<String> = crate::matcher::list_lines(PUBLICATION_LABELS)
        .map(str::to_lowercase)
        .collect();
    labels.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    labels
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Action {
    Drop,
    Cut,
    Caption,
    /// An exception placed before the rules it guards: the paragraph stays.
    Keep,
}

#[derive(Deserialize)]
struct RuleFile {
    rule: Vec<RuleDef>,
    #[serde(default)]
    promo: Vec<PromoDef>,
    caption_credit: CaptionCreditDef,
    tag_list: TagListDef,
}

#[derive(Deserialize)]
struct TagListDef {
    start: String,
    end: String,
    max_words: usize,
}

#[derive(Deserialize)]
struct CaptionCreditDef {
    pattern: String,
    max_words: usize,
    caption: String,
}

#[derive(Deserialize)]
struct RuleDef {
    name: String,
    action: Action,
    max_chars: usize,
    pattern: String,
}

#[derive(Deserialize)]
struct PromoDef {
    #[allow(dead_code)]
    name: String,
    pattern: String,
    /// Words of which the promotion must contain one (case-insensitive):
    /// a cheap test that spares the end-anchored pattern most paragraphs.
    #[serde(default)]
    requires: Vec<String>,
    /// How far from the paragraph's end the promotion may start, in bytes.
    #[serde(default = "default_promo_reach")]
    reach: usize,
}

/// Promotions are sought in a paragraph's last bytes only.
fn default_promo_reach() -> usize {
    700
}

/// A promotion pattern and the words that must be present for it to be tried.
struct Promo {
    re: Regex,
    requires: Option<aho_corasick::AhoCorasick>,
    reach: usize,
}

#[derive(Deserialize)]
struct MojibakeFile {
    repaired_ranges: Vec<[String; 2]>,
    mac_central_european: Vec<String>,
}

struct Rule {
    action: Action,
    max_chars: usize,
    re: Regex,
}

/// Undoes UTF-8 read with the wrong single-byte code page.
struct Mojibake {
    /// Per code page: character -> the byte (0x80..=0xFF) it stands for.
    pages: Vec<HashMap<char, u8>>,
    ranges: Vec<(u32, u32)>,
}

impl Mojibake {
    fn new() -> Result<Mojibake> {
        let file: MojibakeFile =
            toml::from_str(MOJIBAKE).map_err(|e| Error::data("mojibake.toml", e))?;
        let hex = |s: &str| {
            u32::from_str_radix(s, 16)
                .map_err(|e| Error::data("mojibake.toml", format!("{s}: {e}")))
        };
        let mut ranges = Vec::new();
        for [a, b] in &file.repaired_ranges {
            ranges.push((hex(a)?, hex(b)?));
        }
        if file.mac_central_european.len() != 128 {
            return Err(Error::data(
                "mojibake.toml",
                "mac_central_european must list 128 code points",
            ));
        }
        let mut pages = Vec::new();
        for enc in [encoding_rs::WINDOWS_1252, encoding_rs::MACINTOSH] {
            let mut m = HashMap::new();
            for b in 0x80u8..=0xFF {
                let bytes = [b];
                let (s, _) = enc.decode_without_bom_handling(&bytes);
                if let Some(c) = s.chars().next() {
                    m.insert(c, b);
                }
            }
            pages.push(m);
        }
        let mut ce = HashMap::new();
        for (i, cp) in file.mac_central_european.iter().enumerate() {
            let c = char::from_u32(hex(cp)?)
                .ok_or_else(|| Error::data("mojibake.toml", format!("{cp} is not a character")))?;
            ce.insert(c, 0x80 + i as u8);
        }
        pages.push(ce);
        Ok(Mojibake { pages, ranges })
    }

    fn plausible(&self, c: char) -> bool {
        let u = c as u32;
        self.ranges.iter().any(|&(a, b)| a <= u && u <= b)
    }

    /// Tries to read a misdecoded UTF-8 sequence starting at `chars[i]`:
    /// returns the repaired character and how many characters it replaces.
    fn repair_at(&self, chars: &[char], i: usize) -> Option<(char, usize)> {
        for page in &self.pages {
            let Some(&lead) = page.get(&chars[i]) else {
                continue;
            };
            let n = match lead {
                0xC2..=0xDF => 1,
                0xE0..=0xEF => 2,
                0xF0..=0xF4 => 3,
                _ => continue,
            };
            let mut buf = [lead, 0, 0, 0];
            let mut ok = true;
            for (k, slot) in buf.iter_mut().enumerate().take(n + 1).skip(1) {
                match chars.get(i + k).and_then(|c| page.get(c)) {
                    Some(&b) if (0x80..=0xBF).contains(&b) => *slot = b,
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            if let Some(c) = std::str::from_utf8(&buf[..=n])
                .ok()
                .and_then(|s| s.chars().next())
                && self.plausible(c)
            {
                return Some((c, n + 1));
            }
        }
        None
    }

    fn repair(&self, text: &str, notes: &mut u32) -> String {
        if text.is_ascii() {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !c.is_ascii()
                && let Some((r, n)) = self.repair_at(&chars, i)
            {
                out.push(r);
                *notes += 1;
                i += n;
                continue;
            }
            out.push(c);
            i += 1;
        }
        out
    }
}

/// Removes invisible and control characters, unifies white space and line
/// ends, and returns NFC text.
///
/// Runs of printable ASCII and line feeds, most of any English text, are
/// copied whole; only the other characters are read one at a time. Text
/// that stays ASCII is NFC without checking.
fn normalise_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let plain = rest
            .bytes()
            .position(|b| !(b == b'\n' || (b' '..=b'~').contains(&b)))
            .unwrap_or(rest.len());
        if plain > 0 {
            // ASCII bytes: `plain` is a char boundary
            let (run, tail) = rest.split_at(plain);
            out.push_str(run);
            rest = tail;
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        rest = chars.as_str();
        push_normalised(c, rest.starts_with('\n'), &mut out);
    }
    if out.is_ascii() || is_nfc_quick(out.chars()) == IsNormalized::Yes {
        out
    } else {
        out.nfc().collect()
    }
}

/// One character as [`normalise_chars`] writes it: line and paragraph
/// separators become a line feed (a carriage return too, unless a line feed
/// follows it), other white space a space; invisible, format and control
/// characters are dropped.
fn push_normalised(c: char, line_feed_next: bool, out: &mut String) {
    match c {
        '\r' => {
            if !line_feed_next {
                out.push('\n');
            }
        }
        '\n' | '\u{2028}' | '\u{2029}' | '\u{0B}' | '\u{0C}' | '\u{85}' => out.push('\n'),
        '\t'
        | '\u{A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => out.push(' '),
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{AD}'
        | '\u{FFFD}'
        | '\u{FFF9}'..='\u{FFFC}' => {}
        c if c.is_control() => {}
        c => out.push(c),
    }
}

/// Trims a line and collapses runs of spaces.
fn tidy_line(line: &str) -> String {
    let line = line.trim();
    if !line.contains("  ") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.chars() {
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Splits text into paragraphs: blocks between blank lines; inside a block
/// each line is a paragraph unless the block looks hard-wrapped.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Vec<String> = Vec::new();
    let flush = |block: &mut Vec<String>, out: &mut Vec<String>| {
        if block.is_empty() {
            return;
        }
        if hard_wrapped(block) {
            out.push(block.join(" "));
        } else {
            out.append(block);
        }
        block.clear();
    };
    for line in text.split('\n') {
        let line = tidy_line(line);
        if line.is_empty() {
            flush(&mut block, &mut out);
        } else {
            block.push(line);
        }
    }
    flush(&mut block, &mut out);
    out
}

/// A block whose lines (but the last) are of similar, moderate length and
/// mostly run on without closing a sentence.
fn hard_wrapped(block: &[String]) -> bool {
    if block.len() < 2 {
        return false;
    }
    let body = &block[..block.len() - 1];
    let lens: Vec<usize> = body.iter().map(|l| l.chars().count()).collect();
    let max = lens.iter().copied().max().unwrap_or(0);
    let min = lens.iter().copied().min().unwrap_or(0);
    let open = body.iter().filter(|l| !ends_sentence(l)).count();
    max <= 100 && min >= 30 && open * 2 >= body.len()
}

fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['"', '”', '’', '\'', ')', ']', '»']);
    s.ends_with(['.', '!', '?', '…', ':'])
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Lowercase letters and digits only, for comparing headlines.
fn norm_key(s: &str) -> String {
    key_chars(s).collect()
}

fn key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
}

/// Where `title` ends when `text` opens with it (letters and digits
/// compared ignoring case, the rest skipped) and the text after it starts a
/// new sentence: a stop, a dash, a capital or a digit.
fn title_end(text: &str, title: &str) -> Option<usize> {
    let mut want = key_chars(title).peekable();
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if want.peek().is_none() {
            break;
        }
        if !c.is_alphanumeric() {
            continue;
        }
        for l in c.to_lowercase() {
            if want.next() != Some(l) {
                return None;
            }
        }
        end = i + c.len_utf8();
    }
    if want.peek().is_some() || end == 0 {
        return None;
    }
    let rest = text.get(end..)?;
    let next = rest.trim_start().chars().next();
    let spaced = rest.starts_with(char::is_whitespace);
    let new_sentence = match next {
        None => true,
        Some('.' | '!' | '?' | '|' | '-' | '\u{2013}' | '\u{2014}') => true,
        Some(c) => {
            spaced && (c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '\u{201c}')
        }
    };
    new_sentence.then_some(end)
}

/// `norm_key(p) == key`, stopping at the first difference (a body paragraph
/// is compared with the headline without being copied).
fn key_eq(p: &str, key: &str) -> bool {
    key_chars(p).eq(key.chars())
}

/// Compiled cleaning rules; build once with [`Cleaner::new`] and share.
pub struct Cleaner {
    rules: Vec<Rule>,
    max_rule_chars: usize,
    promos: Vec<Promo>,
    mojibake: Mojibake,
    date_line: Regex,
    date_prefix: Regex,
    dateline: Regex,
    site_suffix: Regex,
    caption_credit: Regex,
    caption_words: usize,
    caption_end: Regex,
    tags_start: Regex,
    tags_end: Regex,
    tags_words: usize,
}

const MONTH: &str = r"(?P<MON>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

impl Cleaner {
    pub fn new() -> Result<Cleaner> {
        let file: RuleFile =
            toml::from_str(BOILERPLATE).map_err(|e| Error::data("boilerplate.toml", e))?;
        for r in &file.rule {
            if r.pattern.is_empty() {
                return Err(Error::data(
                    "boilerplate.toml",
                    format!("rule {} has an empty pattern", r.name),
                ));
            }
        }
        let max_rule_chars = file.rule.iter().map(|r| r.max_chars).max().unwrap_or(0);
        let mut rules = Vec::new();
        for r in &file.rule {
            rules.push(Rule {
                action: r.action,
                max_chars: r.max_chars,
                re: crate::matcher::regex(&r.pattern)
                    .map_err(|e| Error::data("boilerplate.toml", e))?,
            });
        }
        let mut promos = Vec::new();
        for p in &file.promo {
            let re = crate::matcher::regex(&p.pattern)
                .map_err(|e| Error::data("boilerplate.toml", e))?;
            if !re.capture_names().any(|n| n == Some("promo")) {
                return Err(Error::data(
                    "boilerplate.toml",
                    format!("promo {} has no (?P<promo>...) group", p.name),
                ));
            }
            let requires = if p.requires.is_empty() {
                None
            } else {
                let ac = aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&p.requires)
                    .map_err(|e| Error::data("boilerplate.toml", e))?;
                Some(ac)
            };
            promos.push(Promo {
                re,
                requires,
                reach: p.reach,
            });
        }
        let m1 = MONTH.replace("MON", "m1");
        let m2 = MONTH.replace("MON", "m2");
        // A date, with an optional label and weekday before it and time after it.
        let labels = publication_labels()
            .iter()
            .map(|l| regex::escape(l).replace(' ', r"\s+"))
            .collect::<Vec<_>>()
            .join("|");
        let date = format!(
            r"(?i)^(?:(?:{labels})\s*(?:on)?\s*:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+{m1},?\s+(?P<y1>(?:19|20)\d\d)|{m2}\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)|(?P<d4>\d{{1,2}})\.(?P<m4>\d{{1,2}})\.(?P<y4>(?:19|20)\d\d)|(?P<a5>\d{{1,2}})[/-](?P<b5>\d{{1,2}})[/-](?P<y5>(?:19|20)\d\d))(?:\s*(?:at|,|-|–|—|\||/)?\s*\d{{1,2}}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?\s*(?:\(?(?:[A-Z]{{2,5}}|GMT|UTC)(?:\s*[+-]\s*\d{{1,2}}(?::?\d\d)?)?\)?)?)?"
        );
        let date_line = crate::matcher::regex(&format!(r"{date}\s*(?:[|•·].{{0,60}})?$"))
            .map_err(|e| Error::data("clean date line", e))?;
        // The same date opening a longer paragraph ("Wed 05 Apr 2017 Aleppo
        // bomb blast kills six."), where a scrape lost the line break: the
        // text after it starts with a capital or a digit, so a sentence
        // that begins with a date ("March 15, 2011 marked ...") is not one.
        // A clock time may be written without a colon ("at 0914").
        let date_prefix = crate::matcher::regex(&format!(
            r"{date}(?:\s+at\s+\d{{4}}(?:\s+(?:GMT|UTC))?)?[\s,:|–—-]+(?:by\s+)?(?-i:[\p{{Lu}}\d\x22“])"
        ))
        .map_err(|e| Error::data("clean date prefix", e))?;
        let dateline = crate::matcher::regex(
            r"^(?P<place>\p{Lu}[\p{Lu}'’.-]+(?:[ -]\p{Lu}[\p{Lu}'’.-]+){0,3})(?:,\s*\p{Lu}[\p{L}.]*(?:\s+[\p{L}\d.]+){0,2})?(?:\s*\((?:AP|AFP|Reuters|UPI|Xinhua|dpa|DPA|SANA|AA|IANS|ANHA|\p{Lu}[\p{L}]+(?: \p{Lu}[\p{L}]+){0,2})\))?\s*(?::|—|–|--?)\s+",
        )
        .map_err(|e| Error::data("clean dateline", e))?;
        let site_suffix = crate::matcher::regex(r"\s+(?:\||–|—|-|::|»)\s+[^|–—»]{2,40}$")
            .map_err(|e| Error::data("clean site suffix", e))?;
        let caption_credit = crate::matcher::regex(&file.caption_credit.pattern)
            .map_err(|e| Error::data("boilerplate.toml caption_credit", e))?;
        let caption_end = crate::matcher::regex(&file.caption_credit.caption)
            .map_err(|e| Error::data("boilerplate.toml caption_credit", e))?;
        let tags_start = crate::matcher::regex(&file.tag_list.start)
            .map_err(|e| Error::data("boilerplate.toml tag_list", e))?;
        let tags_end = crate::matcher::regex(&file.tag_list.end)
            .map_err(|e| Error::data("boilerplate.toml tag_list", e))?;
        if !["credit", "agency"]
            .iter()
            .all(|g| caption_credit.capture_names().any(|n| n == Some(g)))
        {
            return Err(Error::data(
                "boilerplate.toml",
                "caption_credit needs the groups (?P<credit>...) and (?P<agency>...)",
            ));
        }
        Ok(Cleaner {
            rules,
            max_rule_chars,
            promos,
            mojibake: Mojibake::new()?,
            date_line,
            date_prefix,
            dateline,
            site_suffix,
            caption_credit,
            caption_words: file.caption_credit.max_words,
            caption_end,
            tags_start,
            tags_end,
            tags_words: file.tag_list.max_words,
        })
    }

    /// The rule action for one paragraph, if any rule matches.
    fn classify(&self, p: &str) -> Option<Action> {
        if p.len() > self.max_rule_chars {
            return None;
        }
        // The rules that allow the paragraph's length, one by one in file
        // order (each with its own literal prefilter; most are anchored at
        // the start and fail within a few bytes). A RegexSet of all rules
        // cost as much to compile as the rules themselves and was no faster.
        self.rules
            .iter()
            .find(|r| p.len() <= r.max_chars && r.re.is_match(p))
            .map(|r| r.action)
    }

    /// A date line ("April 16, 2018 at 2:18 pm", "Wed 05 Apr 2017").
    pub fn date_line(&self, p: &str) -> Option<NaiveDate> {
        if p.len() > 120 {
            return None;
        }
        date_of(&self.date_line.captures(p)?)
    }

    /// The date that opens a paragraph of text, as in a date line that lost
    /// its line break ("Wed 05 Apr 2017 Aleppo bomb blast kills six").
    pub fn date_prefix(&self, p: &str) -> Option<NaiveDate> {
        // Anchored: the search stops within the paragraph's first words.
        date_of(&self.date_prefix.captures(p)?)
    }

    /// Moves each caption that runs on into paragraph `p` (the sentence
    /// before a photo credit in brackets, and the credit) to `captions`.
    fn strip_run_on_captions(&self, p: &mut String, captions: &mut Vec<String>) {
        let mut from = 0;
        while let Some(c) = p
            .get(from..)
            .and_then(|rest| self.caption_credit.captures(rest))
        {
            let Some(credit) = c.name("credit").or_else(|| c.name("agency")) else {
                break;
            };
            let Some(whole) = c.get(0) else {
                break;
            };
            // The caption: back from the credit to the end of the sentence before.
            let end = from + whole.start();
            let head = p.get(..end).unwrap_or("");
            let after_stop = |head: &str| {
                [". ", "? ", "! "]
                    .iter()
                    .filter_map(|stop| head.rfind(stop).map(|i| i + stop.len()))
                    .max()
                    .unwrap_or(0)
            };
            let mut start = after_stop(head);
            // A date alone ("... near the border. July 27 2016.") closes
            // the caption before it.
            if word_count(head.get(start..).unwrap_or("")) <= 4 && start > 0 {
                start = after_stop(head.get(..start - 1).unwrap_or(""));
            }
            let caption = p.get(start..end).unwrap_or("").trim();
            let cut_to = from + credit.end();
            if word_count(caption) > self.caption_words || !self.caption_end.is_match(caption) {
                from = cut_to;
                continue;
            }
            captions.push(format!("{caption}."));
            let rest = p.get(cut_to..).unwrap_or("").trim_start();
            *p = format!("{}{rest}", p.get(..start).unwrap_or(""));
            from = start;
        }
    }

    /// Cuts a short tag list run on into paragraph `p` before the story's
    /// first sentence (see `[tag_list]` in `boilerplate.toml`).
    fn strip_run_on_tags(&self, p: &mut String) {
        let Some(tags) = self.tags_start.captures(p).and_then(|c| c.name("tags")) else {
            return;
        };
        let (from, list_at) = (tags.start(), tags.end());
        let rest = p.get(list_at..).unwrap_or("");
        let Some(end) = self.tags_end.captures(rest) else {
            return;
        };
        let Some(whole) = end.get(0) else {
            return;
        };
        let list = rest.get(..whole.start()).unwrap_or("");
        if word_count(list) > self.tags_words {
            return;
        }
        // After a stop the story starts past it; else at the word that opens it.
        let story = list_at
            + match end.name("stop") {
                Some(stop) => stop.end(),
                None => whole.start() + 1,
            };
        let before = p.get(..from).unwrap_or("").trim_end();
        let after = p.get(story..).unwrap_or("");
        *p = format!("{before} {after}").trim().to_string();
    }

    /// Removes `title` from the start of paragraph `p` (or from just after
    /// a date that opens it) when the text after it starts a new sentence.
    fn strip_run_on_title(&self, p: &mut String, title: &str) {
        if word_count(title) < 3 {
            return;
        }
        let after_date = self
            .date_prefix
            .find(p)
            .filter(|m| m.start() == 0)
            .and_then(|m| p.get(..m.end())?.char_indices().last().map(|(i, _)| i));
        let cut = [Some(0), after_date]
            .into_iter()
            .flatten()
            .find_map(|from| Some((from, title_end(p.get(from..)?, title)? + from)));
        if let Some((from, to)) = cut {
            let rest = p.get(to..).unwrap_or("").trim_start_matches(|c: char| {
                c.is_whitespace()
                    || matches!(c, '.' | '!' | '?' | '-' | '|' | '\u{2013}' | '\u{2014}')
            });
            // A text that is the headline alone keeps it: it is all there is.
            if !rest.is_empty() {
                *p = format!("{}{rest}", p.get(..from).unwrap_or(""));
            }
        }
    }

    /// A headline-like line: short, starting with a capital, not closing a sentence.
    fn headline_like(&self, p: &str) -> bool {
        let w = word_count(p);
        let first = p.chars().next().unwrap_or(' ');
        (2..=25).contains(&w)
            && p.len() <= 220
            && (first.is_uppercase() || first.is_ascii_digit() || "\"“‘'".contains(first))
            && !p
                .trim_end_matches(['"', '”', '’', '\''])
                .ends_with(['.', ',', ';', ':', '…'])
            && !p.contains("http")
            && self.date_line(p).is_none()
            && byline_name(p).is_none()
    }

    /// A byline line ("By Staff Writer | Published 22 August 2013", "By
    /// Levant Daily staff · December 13, 2016", "By A and B, Agency"):
    /// `Some` with the date it carries, if any.
    fn byline(&self, p: &str) -> Option<Option<NaiveDate>> {
        let rest = byline_name(p)?;
        let mut date = None;
        for seg in rest.split(['|', '·', '•', '–', '—']) {
            let seg = seg.trim().trim_start_matches([',', '-', ':']).trim();
            if seg.is_empty() {
                continue;
            }
            if let Some(d) = self.date_line(seg) {
                date = date.or(Some(d));
            } else if !seg
                .split([' ', ','])
                .filter(|w| !w.is_empty())
                .all(name_word)
                || word_count(seg) > 6
            {
                return None;
            }
        }
        Some(date)
    }

    /// A record title without a trailing site name ("Headline | Site").
    fn tidy_title(&self, t: &str) -> String {
        let t = tidy_line(&normalise_chars(t));
        if let Some(m) = self.site_suffix.find(&t) {
            let head = &t[..m.start()];
            if word_count(head) >= 3 && word_count(m.as_str()) <= 5 {
                return head.to_string();
            }
        }
        t
    }

    /// Removes a trailing promotional sentence from a paragraph.
    fn strip_promo(&self, p: &mut String) {
        for promo in &self.promos {
            let mut from = p.len().saturating_sub(promo.reach);
            while !p.is_char_boundary(from) {
                from -= 1;
            }
            let Some(tail) = p.get(from..) else { continue };
            if promo.requires.as_ref().is_some_and(|ac| !ac.is_match(tail)) {
                continue;
            }
            if let Some(m) = promo.re.captures(tail).and_then(|c| c.name("promo")) {
                let cut = from + m.start();
                p.truncate(cut);
                let trimmed = p.trim_end().len();
                p.truncate(trimmed);
            }
        }
    }

    pub fn clean(&self, raw: RawDoc) -> std::result::Result<CleanDoc, Reject> {
        let mut repairs = 0;
        let repaired = self.mojibake.repair(&raw.text, &mut repairs);
        let text = normalise_chars(&repaired);
        drop(repaired);

        // 1. Boilerplate rules, paragraph by paragraph.
        let mut kept: Vec<String> = Vec::new();
        let mut captions: Vec<String> = Vec::new();
        let mut body_seen = false;
        for p in paragraphs(&text) {
            match self.classify(&p) {
                Some(Action::Drop) => continue,
                Some(Action::Caption) => {
                    captions.push(p);
                    continue;
                }
                Some(Action::Cut) => {
                    if body_seen {
                        break;
                    }
                    continue;
                }
                Some(Action::Keep) | None => {}
            }
            // A single word alone ("Author", "JournalTv") is never article text.
            if !p.contains(' ') && !p.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            if kept.last() == Some(&p) {
                continue;
            }
            if is_body_like(&p) {
                body_seen = true;
            }
            kept.push(p);
        }
        // 1c. Photo captions run on into the text, up to their credit, and
        // a tag list run on before the story's first sentence.
        for p in &mut kept {
            self.strip_run_on_captions(p, &mut captions);
            self.strip_run_on_tags(p);
        }

        // 2a. A date line near the top.
        let mut text_date = None;
        let lead_end = kept
            .iter()
            .position(|p| is_body_like(p))
            .unwrap_or(kept.len());
        if let Some(i) =
            (0..kept.len().min(lead_end + 1).min(6)).find(|&i| self.date_line(&kept[i]).is_some())
        {
            text_date = self.date_line(&kept[i]);
            kept.remove(i);
        }

        // 1b. A promotion or link list tacked on the end of the text: read
        // before the headline, since a text scraped flat is one paragraph
        // that ends in it and looks like no sentence.
        if let Some(last) = kept.last_mut() {
            self.strip_promo(last);
        }
        kept.retain(|p| !p.trim().is_empty());

        // 2. The headline, and what stood before it. A byline ("By Staff
        // Writer | Published 22 August 2013") is never the headline and not
        // text; a date in it is the text's date.
        let lead_end = kept
            .iter()
            .position(|p| is_body_like(p))
            .unwrap_or(kept.len());
        let mut i = 0;
        let mut lead_left = lead_end.min(6);
        while i < kept.len() && lead_left > 0 {
            lead_left -= 1;
            match self.byline(&kept[i]) {
                Some(date) => {
                    text_date = text_date.or(date);
                    kept.remove(i);
                }
                None => i += 1,
            }
        }
        // 2b. Else a date that opens the first paragraph; the paragraph is
        // text and stays.
        if text_date.is_none() {
            text_date = kept.first().and_then(|p| self.date_prefix(p));
        }
        let lead_end = kept
            .iter()
            .position(|p| is_body_like(p))
            .unwrap_or(kept.len());
        let record_title = raw.title.as_deref().map(|t| self.tidy_title(t));
        let mut title = record_title.clone().filter(|t| !t.is_empty());
        let title_at = match &title {
            Some(t) => {
                let keys = [
                    norm_key(t),
                    raw.title.as_deref().map(norm_key).unwrap_or_default(),
                ];
                kept.iter()
                    .take(lead_end.clamp(1, 6))
                    .position(|p| keys.iter().any(|k| key_eq(p, k)))
            }
            None => {
                // Of several headline-like lines above the text, the last
                // is the headline; those before it describe a photo. With no
                // body-like paragraph at all there is no "above the text":
                // the first line is the headline and the rest is the text
                // (a headline repeated with its agency and date).
                let lead = &kept[..lead_end.min(6)];
                let headline = |p: &String| self.headline_like(p) && word_count(p) >= 4;
                let at = if lead_end == kept.len() {
                    lead.iter().position(headline)
                } else {
                    lead.iter().rposition(headline)
                }
                .or_else(|| lead.iter().position(|p| self.headline_like(p)));
                if let Some(i) = at {
                    title = Some(kept[i].clone());
                }
                at
            }
        };
        if let Some(i) = title_at {
            let key = norm_key(&kept[i]);
            // Lines above the headline: captions when they say something, else furniture.
            for p in kept.drain(..i) {
                if word_count(&p) >= 4 && self.date_line(&p).is_none() && !key_eq(&p, &key) {
                    captions.push(p);
                }
            }
            kept.remove(0);
            // A repeated headline counts once.
            let mut n = 0;
            kept.retain(|p| {
                n += 1;
                !(n <= 4 && key_eq(p, &key))
            });
        } else if let (Some(t), Some(first)) = (&record_title, kept.first_mut()) {
            // 3b. The record's title run on into the first paragraph, after
            // the date at most ("Sun 10 Jul 2016 Rebels Dead in Fighting
            // for Road. At least 29 rebels were killed"): a headline, like
            // one on its own line, so its words are not read twice.
            self.strip_run_on_title(first, t);
        }

        // 4. A dateline opening the body.
        let mut dateline = None;
        if let Some(first) = kept.first_mut()
            && let Some(c) = self.dateline.captures(first)
            && let Some(place) = c.name("place")
        {
            let end = c.get(0).map_or(0, |m| m.end());
            if first.len() > end && word_count(place.as_str()) <= 4 {
                dateline = Some(place.as_str().trim_end_matches(['.', '-']).to_string());
                *first = first[end..].to_string();
            }
        }

        kept.retain(|p| !p.trim().is_empty());

        // 5. The body.
        let mut body = String::with_capacity(text.len());
        let mut spans = Vec::with_capacity(kept.len());
        for p in &kept {
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            let start = body.len();
            body.push_str(p);
            spans.push(Span::new(start, body.len()));
        }
        if body.is_empty() {
            let input = match raw.line {
                Some(n) => format!("{}#L{n}", raw.source_file),
                None => raw.source_file.clone(),
            };
            return Err(Reject::new(
                input,
                RejectReason::NoText,
                "no article text left after cleaning",
            ));
        }
        let (published, published_source) = match (raw.published, raw.published_source) {
            (Some(d), s) => (Some(d), s.or(Some(DateSource::Record))),
            (None, _) => (text_date, text_date.map(|_| DateSource::Text)),
        };
        let mut raw = raw;
        if repairs > 0 {
            raw.decode_notes
                .push(format!("mojibake repaired ({repairs})"));
        }
        Ok(CleanDoc {
            n_chars_raw: raw.text.chars().count(),
            n_chars_clean: body.chars().count(),
            raw,
            title,
            dateline,
            published,
            published_source,
            body,
            paragraphs: spans,
            captions,
        })
    }
}

/// For a line opening with a byline ("By Name Name", "Written by ..."),
/// what follows the name: "" or the text after its first separator.
fn byline_name(p: &str) -> Option<&str> {
    if p.len() > 160 || word_count(p) > 20 || ends_sentence(p) && !p.ends_with(':') {
        return None;
    }
    let lower = p.chars().take(12).collect::<String>().to_lowercase();
    let skip = [
        "by ",
        "written by ",
        "posted by ",
        "reported by ",
        "words by ",
        "story by ",
    ]
    .iter()
    .find(|b| lower.starts_with(*b))?
    .len();
    let after = p.get(skip..)?.trim_start();
    if !after.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let (name, rest) = match after.find(['|', '·', '•', ',', '–', '—']) {
        Some(k) => (&after[..k], &after[k..]),
        None => match after.find(" - ") {
            Some(k) => (&after[..k], &after[k + 1..]),
            None => (after, ""),
        },
    };
    (word_count(name) <= 6 && name.split_whitespace().all(name_word)).then_some(rest)
}

/// Lower-case words that stand in a byline's name part.
const NAME_WORDS: &str = "and & de al el bin van von der da la the in at staff writer writers \
    reporter reporters correspondent correspondents desk editor editors team bureau newsroom";

/// A word that can stand in a reporter's or an outlet's name.
fn name_word(w: &str) -> bool {
    w.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        || NAME_WORDS
            .split_whitespace()
            .any(|n| n.eq_ignore_ascii_case(w))
}

/// A paragraph of running text: a full sentence of some length.
fn is_body_like(p: &str) -> bool {
    // Counting stops at 30: every paragraph is asked, and most are long.
    let w = p.split_whitespace().take(30).count();
    w >= 30 || (w >= 12 && ends_sentence(p))
}

fn month(s: &str) -> Option<u32> {
    let s = s.to_ascii_lowercase();
    let m = match s.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// The date a date-line regex captured.
fn date_of(c: &regex::Captures) -> Option<NaiveDate> {
    let num = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, m, d) = if let Some(y) = num("y1") {
        (y, month(c.name("m1")?.as_str())?, num("d1")?)
    } else if let Some(y) = num("y2") {
        (y, month(c.name("m2")?.as_str())?, num("d2")?)
    } else if let Some(y) = num("y3") {
        (y, num("m3")?, num("d3")?)
    } else if let Some(y) = num("y4") {
        // Dotted dates are day first (European style).
        (y, num("m4")?, num("d4")?)
    } else {
        // With slashes or dashes either may come first: only a date with
        // one reading is taken.
        return match crate::ingest::one_reading(num("y5")? as i32, num("a5")?, num("b5")?) {
            crate::ingest::Numeric::Date(d) => Some(d),
            _ => None,
        };
    };
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cleaner() -> Cleaner {
        Cleaner::new().unwrap()
    }

    /// [`normalise_chars`] a character at a time, without its runs.
    fn normalise_chars_slowly(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            push_normalised(c, chars.peek() == Some(&'\n'), &mut out);
        }
        out.nfc().collect()
    }

    #[test]
    fn plain_runs_are_copied_as_the_characters_would_be() {
        // Every pair of ASCII characters, and pairs of ASCII with the
        // characters the normaliser maps or drops, decomposed letters and
        // combining marks (so NFC has work to do).
        let special = [
            '\r', '\n', '\t', '\u{7f}', '\u{85}', '\u{a0}', '\u{ad}', '\u{200b}', '\u{2028}',
            '\u{3000}', '\u{feff}', '\u{fffd}', 'é', '\u{301}', '\u{327}', '’', 'ğ', 'ا',
        ];
        let pool: Vec<char> = (0u8..128).map(char::from).chain(special).collect();
        for &a in &pool {
            for &b in &pool {
                for text in [format!("{a}{b}"), format!("e{a}{b}x"), format!("{a}\r{b}")] {
                    assert_eq!(
                        normalise_chars(&text),
                        normalise_chars_slowly(&text),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn repairs_mojibake() {
        let c = cleaner();
        let mut n = 0;
        assert_eq!(c.mojibake.repair("Assadâ€™s", &mut n), "Assad’s");
        assert_eq!(c.mojibake.repair("Assad‚Äôs", &mut n), "Assad’s");
        assert_eq!(c.mojibake.repair("caf\u{c3}\u{a9}", &mut n), "café");
        assert_eq!(c.mojibake.repair("a‚Äčb", &mut n), "a\u{200b}b");
        // Real text is left alone.
        assert_eq!(
            c.mojibake.repair("l’été “quoted” — Ä", &mut n),
            "l’été “quoted” — Ä"
        );
    }

    #[test]
    fn date_lines() {
        let c = cleaner();
        let d = NaiveDate::from_ymd_opt;
        assert_eq!(c.date_line("April 16, 2018 at 2:18 pm"), d(2018, 4, 16));
        assert_eq!(c.date_line("Wed 05 Apr 2017"), d(2017, 4, 5));
        assert_eq!(
            c.date_line("Published: 2019-05-13 10:00 GMT"),
            d(2019, 5, 13)
        );
        assert_eq!(c.date_line("April 16, 2018 troops attacked"), None);
    }
}

//! Fuzzing the whole per-article pipeline with proptest: arbitrary bytes and
//! arbitrary article-like text (news words, numbers, abbreviations,
//! punctuation, Arabic, control characters, mojibake, HTML fragments) are
//! written as each input format, read by `ingest`, then cleaned, segmented,
//! extracted and resolved. Nothing may panic, and every span must lie on
//! char boundaries inside the body, sentences and paragraphs in order.
//!
//! `SITREP_FUZZ_CASES` sets the number of cases (default 64; `large` is a
//! million, for a long run that is stopped from outside: progress is
//! printed every 1,000 cases). Inputs that once broke the pipeline live in
//! `tests/regressions/` and are replayed by `regressions_replay`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use sitrep::Lexicon;
use sitrep::ingest::{self, InputUnit, Limits};
use sitrep::model::{CleanDoc, Format, RawDoc, Span};

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| Lexicon::load().expect("lexicon"))
}

fn cases() -> u32 {
    match std::env::var("SITREP_FUZZ_CASES").as_deref() {
        Ok("large") => 1_000_000,
        Ok(n) => n.parse().unwrap_or(64),
        Err(_) => 64,
    }
}

static DONE: AtomicU64 = AtomicU64::new(0);
static SLOWEST_MS: AtomicU64 = AtomicU64::new(0);

/// One input through every format may take this long at most (debug build, busy machine).
const SLOW: Duration = Duration::from_secs(60);

fn tick(started: Instant) {
    let ms = started.elapsed().as_millis() as u64;
    SLOWEST_MS.fetch_max(ms, Ordering::Relaxed);
    let n = DONE.fetch_add(1, Ordering::Relaxed) + 1;
    if n % 1000 == 0 {
        eprintln!(
            "fuzz: {n} cases, slowest {} ms",
            SLOWEST_MS.load(Ordering::Relaxed)
        );
    }
}

fn check_span(what: &str, span: Span, body: &str) -> Result<(), String> {
    if span.start > span.end || span.end > body.len() {
        return Err(format!(
            "{what} {span:?} outside the body of {} bytes",
            body.len()
        ));
    }
    if !body.is_char_boundary(span.start) || !body.is_char_boundary(span.end) {
        return Err(format!("{what} {span:?} not on char boundaries"));
    }
    Ok(())
}

fn check_i64_span(what: &str, start: i64, end: i64, body: &str) -> Result<(), String> {
    let (Ok(s), Ok(e)) = (usize::try_from(start), usize::try_from(end)) else {
        return Err(format!("{what} {start}..{end} negative"));
    };
    check_span(what, Span::new(s, e), body)
}

/// Runs one cleaned document through segmentation, every extractor and
/// resolution, checking the invariants.
fn check_doc(doc: CleanDoc) -> Result<(), String> {
    let lex = lexicon();
    let body = doc.body.as_str();
    let mut prev_end = 0;
    for (i, p) in doc.paragraphs.iter().enumerate() {
        check_span("paragraph", *p, body)?;
        if i > 0 && p.start < prev_end {
            return Err(format!(
                "paragraph {p:?} overlaps or precedes the one before"
            ));
        }
        prev_end = p.end;
    }
    let sentences = lex.segmenter.segment(&doc);
    let mut prev_end = 0;
    for (i, s) in sentences.iter().enumerate() {
        check_span("sentence", s.span, body)?;
        if i > 0 && s.span.start < prev_end {
            return Err(format!("sentence {:?} overlaps the one before", s.span));
        }
        prev_end = s.span.end;
        let Some(p) = doc.paragraphs.get(s.paragraph) else {
            return Err(format!("sentence {:?} in a missing paragraph", s.span));
        };
        if !p.contains(s.span) {
            return Err(format!("sentence {:?} outside its paragraph {p:?}", s.span));
        }
    }
    for m in lex.places.extract(&doc, &sentences) {
        check_span("place", m.span, body)?;
    }
    for m in lex.actors.extract(&doc, &sentences) {
        check_span("actor", m.span, body)?;
    }
    for m in lex.dates.extract(body, doc.published) {
        check_span("date", m.span, body)?;
    }
    for s in &sentences {
        for m in lex.counts.extract(body, s.span) {
            check_span("count", m.span, body)?;
        }
        for m in lex.triggers.detect(body, s) {
            check_span("trigger", m.trigger, body)?;
            check_span("clause", m.clause, body)?;
        }
    }
    let body = body.to_string();
    let out = sitrep::resolve::article(doc, &sentences, lex);
    for e in &out.events {
        check_i64_span("event", e.char_start, e.char_end, &body)?;
    }
    for m in &out.mentions {
        check_i64_span("event mention", m.char_start, m.char_end, &body)?;
    }
    Ok(())
}

/// Cleans one raw document (a reject is fine) and checks the rest.
fn check_raw(raw: RawDoc) -> Result<(), String> {
    match lexicon().cleaner.clean(raw) {
        Ok(doc) => check_doc(doc),
        Err(_) => Ok(()),
    }
}

fn raw_text(text: String) -> RawDoc {
    RawDoc {
        source_file: "fuzz.txt".into(),
        line: None,
        format: Format::Text,
        external_id: None,
        url: None,
        source: None,
        title: None,
        published: None,
        published_source: None,
        n_bytes_raw: text.len(),
        text,
        decode_notes: vec![],
    }
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Writes `bytes` as every input format and runs each through the pipeline.
fn check_bytes(dir: &Path, bytes: &[u8]) -> Result<(), String> {
    let started = Instant::now();
    let limits = Limits {
        max_article_bytes: 1 << 20,
        max_line_bytes: 64 << 10,
        max_decompressed_bytes: 4 << 20,
    };
    let as_json = serde_json::json!({"id": "x", "title": String::from_utf8_lossy(bytes), "text": String::from_utf8_lossy(bytes)}).to_string();
    let files: [(&str, Vec<u8>); 6] = [
        ("a.txt", bytes.to_vec()),
        ("b.html", bytes.to_vec()),
        ("c.jsonl", bytes.to_vec()),
        ("d.jsonl", as_json.into_bytes()),
        ("e.txt.gz", gz(bytes)),
        ("f.htm.gz", bytes.to_vec()),
    ];
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::write(&path, &content).map_err(|e| e.to_string())?;
        let unit = InputUnit {
            rel: name.to_string(),
            path,
        };
        for raw in ingest::read(&unit, &limits).into_iter().flatten() {
            check_raw(raw).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    // And straight into the cleaner, as the text of a record.
    check_raw(raw_text(String::from_utf8_lossy(bytes).into_owned()))
        .map_err(|e| format!("direct: {e}"))?;
    tick(started);
    if started.elapsed() > SLOW {
        return Err(format!(
            "{} bytes took {:?}: something grows faster than the input",
            bytes.len(),
            started.elapsed()
        ));
    }
    Ok(())
}

const TOKENS: &[&str] = &[
    // News words, names and abbreviations.
    "Government",
    "forces",
    "shelled",
    "Aleppo",
    "Idlib",
    "Douma",
    "Raqqa",
    "Deir ez-Zor",
    "killed",
    "wounded",
    "civilians",
    "the",
    "a",
    "on",
    "in",
    "of",
    "near",
    "Tuesday",
    "Syrian",
    "Observatory for Human Rights",
    "ISIS",
    "SDF",
    "Hayat Tahrir al-Sham",
    "Russian",
    "airstrikes",
    "air strike",
    "hit",
    "car bomb",
    "clashes",
    "arrested",
    "protest",
    "said",
    "at least",
    "dozens",
    "people",
    "regime",
    "rebels",
    "Free Syrian Army",
    "Jan.",
    "Gen.",
    "U.S.",
    "Mr.",
    "a.m.",
    "No.",
    "St.",
    "e.g.",
    "i.e.",
    "Dr.",
    // Numbers and dates.
    "12",
    "1,200",
    "3.5",
    "2019",
    "0",
    "-7",
    "99999999999999999999",
    "May 13, 2019",
    "13/05/2019",
    "2018-04-16",
    "two",
    "hundred",
    "thousands",
    "1st",
    "11th",
    "Feb. 30",
    "last week",
    "yesterday",
    "1.",
    "2)",
    // Datelines and sources.
    "BEIRUT",
    "DAMASCUS, Syria",
    "(Reuters)",
    "(AP) —",
    "—",
    "–",
    "-",
    ":",
    "|",
    "::",
    // Punctuation.
    ".",
    ". ",
    "!",
    "?",
    "…",
    "...",
    ",",
    ";",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "(",
    ")",
    "[",
    "]",
    "«",
    "»",
    "‹",
    "›",
    "/",
    "\\",
    "*",
    "#",
    "@",
    "http://example.com/a?b=c",
    // Arabic and bidi.
    "حلب",
    "القصف",
    "دمشق",
    "قتل",
    "١٢",
    "\u{200f}",
    "\u{200e}",
    "\u{202e}",
    "\u{202c}",
    "\u{64b}",
    // Control and invisible characters.
    "\u{0}",
    "\u{7}",
    "\u{8}",
    "\u{1b}[31m",
    "\r",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{fffd}",
    "\u{200b}",
    "\u{ad}",
    "\u{b}",
    "\u{c}",
    "\u{7f}",
    "\u{9f}",
    // HTML fragments and entities.
    "<p>",
    "</p>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "&amp;",
    "&#8220;",
    "&nbsp;",
    "<br>",
    "<br/>",
    "<div class=\"x\">",
    "</div>",
    "<style>",
    "</style>",
    "<title>",
    "</title>",
    "&#xD800;",
    "&#99999999;",
    "&",
    "&#",
    "<",
    ">",
    "<meta property=\"article:published_time\" content=\"2019-05-13\">",
    "<time datetime=\"2019-13-45\">",
    "<h1>",
    "</h1>",
    "<a href='x'>",
    "</a>",
    "<![CDATA[",
    // Mojibake and odd letters.
    "â€™",
    "‚Äô",
    "‚Äč",
    "Ã©",
    "Ã",
    "â€",
    "\u{c3}",
    "Ã¢â‚¬â„¢",
    "👍",
    "e\u{301}",
    "\u{301}",
    "ﬁ",
    "İ",
    "ß",
    "Ω",
    "\u{10ffff}",
    "𝔸",
    // Boilerplate.
    "Share this article",
    "Read more:",
    "Photo: AFP",
    "Subscribe to our newsletter",
    "Advertisement",
    "Copyright ©",
    "Follow us on Twitter",
    // Separators.
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n\n\n",
    "\t",
    "\u{a0}",
    "\u{3000}",
];

fn article_like() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        8 => proptest::sample::select(TOKENS).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ];
    // Now and then a token repeated thousands of times: long runs find
    // work that grows faster than the input.
    let piece = prop_oneof![
        30 => token,
        1 => (proptest::sample::select(TOKENS), 1..600usize).prop_map(|(t, n)| t.repeat(n)),
    ];
    proptest::collection::vec(piece, 0..400).prop_map(|v| v.concat())
}

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        max_shrink_time: 120_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_break_the_pipeline(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let d = tempfile::tempdir_in(dir().path()).unwrap();
        if let Err(e) = check_bytes(d.path(), &bytes) {
            return Err(TestCaseError::fail(e));
        }
    }

    #[test]
    fn article_like_text_never_breaks_the_pipeline(text in article_like()) {
        let d = tempfile::tempdir_in(dir().path()).unwrap();
        if let Err(e) = check_bytes(d.path(), text.as_bytes()) {
            return Err(TestCaseError::fail(e));
        }
        // Also in legacy encodings and as UTF-16, which decoding must undo.
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        if let Err(e) = check_bytes(d.path(), &cp1252) {
            return Err(TestCaseError::fail(format!("as windows-1252: {e}")));
        }
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        if let Err(e) = check_bytes(d.path(), &utf16) {
            return Err(TestCaseError::fail(format!("as utf-16: {e}")));
        }
    }
}

/// Every file in `tests/regressions/` (inputs that once broke the pipeline,
/// or that exercise a corner worth keeping) goes through every format.
#[test]
fn regressions_replay() {
    let reg = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut names: Vec<_> = std::fs::read_dir(&reg)
        .expect("tests/regressions")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let d = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for path in &names {
        let bytes = std::fs::read(path).unwrap();
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| check_bytes(d.path(), &bytes));
        let name = path.file_name().unwrap().to_string_lossy();
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{name}: {e}")),
            Err(_) => failures.push(format!("{name}: panicked")),
        }
        if started.elapsed() > SLOW / 3 {
            failures.push(format!("{name}: took {:?}", started.elapsed()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Times each token repeated many times through the cleaner and the rest
/// (a scan for work that grows faster than the input).
#[test]
#[ignore = "a timing scan, run by hand"]
fn repeated_tokens_timing() {
    let mut slow = Vec::new();
    check_raw(raw_text("warm up".into())).unwrap();
    for t in TOKENS {
        for (n, sep) in [
            (2000usize, ""),
            (8000, ""),
            (2000, " "),
            (8000, " "),
            (4000, ", "),
        ] {
            let text = format!("{t}{sep}").repeat(n);
            let started = Instant::now();
            check_raw(raw_text(text.clone())).unwrap();
            let ms = started.elapsed().as_millis();
            slow.push((ms, n, text.len(), format!("{t}{sep}")));
        }
    }
    slow.sort();
    for (ms, n, len, t) in slow.iter().rev().take(25) {
        eprintln!("{ms:>7} ms  {t:?} x{n} ({len} bytes)");
    }
}

/// A long sentence of trigger words (a scraped page without full stops):
/// `Triggers::hits` scans all the text before each hit with the cue
/// regexes and checks overlaps against every kept hit, so the time grows
/// with the square of the hits: 2,000 took ~2 s, 8,000 ~30 s (debug).
#[test]
fn trigger_run_is_not_quadratic() {
    let lex = lexicon();
    let doc = lex.cleaner.clean(raw_text("killed ".repeat(8000))).unwrap();
    let sentences = lex.segmenter.segment(&doc);
    let started = Instant::now();
    for s in &sentences {
        lex.triggers.detect(&doc.body, s);
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

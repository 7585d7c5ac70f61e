//! JSON Lines: one article per line, with keys `id`, `url`, `title`,
//! `text`|`body`|`content`, `published`|`date` and `source`.
//!
//! A file is streamed: [`Reader`] opens it (inflating a `.gz` as it goes),
//! and yields its non-blank lines one at a time, so memory is bounded by the
//! longest line allowed, never by the size of the file; [`parse`] turns a
//! line into a document.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

use super::decode::{self, Encoding};
use super::{Limits, html};
use crate::model::{DateSource, Format, RawDoc, Reject, RejectReason};

/// One non-blank line of a JSON Lines file, decoded to UTF-8.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number (blank lines count).
    pub n: u64,
    /// The line without its line break.
    pub text: String,
    /// Repairs made while reading it (`gzip`, `bom`, `windows-1252`, ...).
    pub notes: Vec<String>,
}

/// Streams the lines of one JSON Lines file.
///
/// Yields `Ok(line)` for every non-blank line within the limits, and
/// `Err(reject)` for a line over `max_line_bytes` (named `file#L<n>`; it is
/// skipped without being held in memory and reading goes on) and for a
/// problem with the file as a whole (named by the file): one that cannot be
/// opened, is binary or has no records, or a `.gz` that is truncated,
/// corrupt or inflates past `max_decompressed_bytes`. In the last cases the
/// lines read before the problem have already been yielded and the reject
/// comes last.
pub struct Reader {
    rel: String,
    src: Option<Box<dyn BufRead + Send>>,
    /// A reject to give before anything else (the file could not be opened).
    failed: Option<Reject>,
    notes: Vec<String>,
    gz: bool,
    max_line: u64,
    max_decompressed: u64,
    /// Lines read so far (blank ones too).
    line_no: u64,
    /// Non-blank lines given out (records and too-long lines).
    n_out: u64,
    /// Whether every byte read so far was ASCII white space.
    ascii_blank: bool,
    buf: Vec<u8>,
}

impl Reader {
    /// Opens `path` (named `rel`), gzipped or not.
    pub fn open(rel: &str, path: &Path, gz: bool, limits: &Limits) -> Reader {
        match std::fs::File::open(path) {
            Ok(file) => Reader::new(rel, file, gz, limits),
            Err(e) => {
                let mut reader = Reader::empty(rel, gz, limits);
                reader.failed =
                    Some(reader.file_reject(RejectReason::Unreadable, format!("cannot read: {e}")));
                reader
            }
        }
    }

    fn empty(rel: &str, gz: bool, limits: &Limits) -> Reader {
        Reader {
            rel: rel.to_string(),
            src: None,
            failed: None,
            notes: Vec::new(),
            gz,
            max_line: limits.max_line_bytes,
            max_decompressed: limits.max_decompressed_bytes,
            line_no: 0,
            n_out: 0,
            ascii_blank: true,
            buf: Vec::new(),
        }
    }

    /// Reads the bytes of the file `rel` from `input`, gzipped or not.
    pub fn new(rel: &str, input: impl Read + Send + 'static, gz: bool, limits: &Limits) -> Reader {
        let mut reader = Reader::empty(rel, gz, limits);
        let mut raw: Box<dyn Read + Send> = if gz {
            reader.notes.push("gzip".into());
            let inflate = flate2::read::MultiGzDecoder::new(BufReader::new(input));
            Box::new(decode::Capped::new(inflate, limits.max_decompressed_bytes))
        } else {
            Box::new(input)
        };
        // The head tells the encoding, or that the file is not text.
        // A stream that fails this early (a corrupt header, a tiny cap)
        // fails again after the bytes it gave, where the lines are counted.
        let mut head = Vec::with_capacity(decode::SNIFF_BYTES);
        let read_head = raw
            .by_ref()
            .take(decode::SNIFF_BYTES as u64)
            .read_to_end(&mut head);
        if let Err(e) = read_head {
            raw = Box::new(Failed(Some(e)));
        }
        let encoding = match decode::sniff(&head) {
            Ok(e) => e,
            Err((reason, detail)) => {
                reader.failed = Some(reader.file_reject(reason, detail));
                return reader;
            }
        };
        reader.notes.extend(encoding.note());
        reader.ascii_blank = encoding.bom_len() == 0;
        head.drain(..encoding.bom_len());
        let text = std::io::Cursor::new(head).chain(raw);
        let utf8: Box<dyn Read + Send> = match encoding {
            Encoding::Utf16 { .. } => {
                reader.ascii_blank = false;
                match encoding.utf16() {
                    Some(enc) => Box::new(decode::Utf16ToUtf8::new(text, enc)),
                    None => Box::new(text),
                }
            }
            Encoding::Utf8 { .. } => Box::new(text),
        };
        reader.src = Some(Box::new(BufReader::with_capacity(1 << 16, utf8)));
        reader
    }

    fn file_reject(&self, reason: RejectReason, detail: String) -> Reject {
        Reject::new(self.rel.as_str(), reason, detail)
    }

    /// The reject for a read that failed after `line_no` whole lines.
    fn stream_reject(&self, e: &std::io::Error) -> Reject {
        let (reason, what) = if !self.gz {
            (RejectReason::Unreadable, format!("cannot read: {e}"))
        } else if decode::is_over_cap(e) {
            (
                RejectReason::Decompress,
                format!(
                    "decompression bomb: more than {} bytes after gunzip",
                    self.max_decompressed
                ),
            )
        } else {
            (
                RejectReason::Decompress,
                format!("truncated or corrupt gzip: {e}"),
            )
        };
        let detail = if self.line_no == 0 {
            what
        } else {
            format!(
                "{what}; reading stopped in line {}, the lines before it were read",
                self.line_no + 1
            )
        };
        self.file_reject(reason, detail)
    }

    fn line_reject(&self, len: u64) -> Reject {
        Reject::new(
            format!("{}#L{}", self.rel, self.line_no),
            RejectReason::TooLarge,
            format!("line of {len} bytes is over the limit of {}", self.max_line),
        )
    }
}

impl Iterator for Reader {
    type Item = Result<Line, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(reject) = self.failed.take() {
            return Some(Err(reject));
        }
        loop {
            let src = self.src.as_mut()?;
            self.buf.clear();
            let got = read_line(src.as_mut(), &mut self.buf, self.max_line);
            match got {
                Ok(Got::Eof) => {
                    self.src = None;
                    if self.n_out > 0 {
                        return None;
                    }
                    let detail = if self.ascii_blank {
                        "no text (empty or only white space)"
                    } else {
                        "no text (only white space)"
                    };
                    return Some(Err(self.file_reject(RejectReason::Empty, detail.into())));
                }
                Ok(Got::TooLong { len, blank }) => {
                    self.line_no += 1;
                    self.ascii_blank &= blank;
                    if blank {
                        continue;
                    }
                    self.n_out += 1;
                    return Some(Err(self.line_reject(len)));
                }
                Ok(Got::Line) => {
                    self.line_no += 1;
                    let mut bytes = std::mem::take(&mut self.buf);
                    self.ascii_blank &= bytes.iter().all(u8::is_ascii_whitespace);
                    if bytes.last() == Some(&b'\r') {
                        bytes.pop();
                    }
                    let (text, cp1252) = decode::utf8_or_1252_owned(bytes);
                    if text.trim().is_empty() {
                        continue;
                    }
                    self.n_out += 1;
                    // Windows-1252 can be longer once in UTF-8.
                    if text.len() as u64 > self.max_line {
                        return Some(Err(self.line_reject(text.len() as u64)));
                    }
                    let mut notes = self.notes.clone();
                    if cp1252 {
                        notes.push("windows-1252".into());
                    }
                    return Some(Ok(Line {
                        n: self.line_no,
                        text,
                        notes,
                    }));
                }
                Err(e) => {
                    self.src = None;
                    return Some(Err(self.stream_reject(&e)));
                }
            }
        }
    }
}

/// A reader that gives the error it holds.
struct Failed(Option<std::io::Error>);

impl Read for Failed {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(self
            .0
            .take()
            .unwrap_or_else(|| std::io::Error::other("read after an error")))
    }
}

/// What [`read_line`] found.
enum Got {
    /// The end of the stream, with no bytes of a line before it.
    Eof,
    /// A line, in the buffer without its `\n`.
    Line,
    /// A line longer than the limit (`len` bytes without `\r\n`), skipped;
    /// `blank` when it was only ASCII white space.
    TooLong { len: u64, blank: bool },
}

/// Reads one line into `buf`, holding at most `max + 1` bytes of it (a
/// trailing `\r` does not count against `max`): a longer line is read
/// through and only measured.
fn read_line(src: &mut dyn BufRead, buf: &mut Vec<u8>, max: u64) -> std::io::Result<Got> {
    let keep = max.saturating_add(1);
    let mut len: u64 = 0;
    let mut any = false;
    let mut over = false;
    let mut blank = true;
    let mut last_cr = false;
    loop {
        let chunk = match src.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            if !any {
                return Ok(Got::Eof);
            }
            break;
        }
        any = true;
        let (part, found) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], true),
            None => (chunk, false),
        };
        len += part.len() as u64;
        if !over && len > keep {
            over = true;
            blank = buf.iter().all(u8::is_ascii_whitespace);
            buf.clear();
        }
        if over {
            blank &= part.iter().all(u8::is_ascii_whitespace);
            if let Some(&b) = part.last() {
                last_cr = b == b'\r';
            }
        } else {
            buf.extend_from_slice(part);
        }
        let used = part.len() + usize::from(found);
        src.consume(used);
        if found {
            break;
        }
    }
    if over {
        let len = len - u64::from(last_cr);
        return Ok(Got::TooLong { len, blank });
    }
    Ok(Got::Line)
}

/// Turns a line of a JSON Lines file `rel` into a document, or the reject
/// (named `rel#L<n>`) saying why it is not one.
pub fn parse(rel: &str, line: &Line) -> Result<RawDoc, Reject> {
    record(rel, line.n, &line.text, &line.notes)
        .map_err(|(reason, detail)| Reject::new(format!("{rel}#L{}", line.n), reason, detail))
}

fn record(
    rel: &str,
    n: u64,
    line: &str,
    notes: &[String],
) -> Result<RawDoc, (RejectReason, String)> {
    let value: Value = serde_json::from_str(line.trim_start_matches('\u{feff}'))
        .map_err(|e| (RejectReason::MalformedJson, format!("not valid JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err((
            RejectReason::MalformedJson,
            "a JSON value that is not an object".into(),
        ));
    };
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| match obj.get(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(x)) => Some(x.to_string()),
            _ => None,
        })
    };
    let Some(mut text) = get(&["text", "body", "content"]) else {
        return Err((
            RejectReason::NoText,
            "record has no text, body or content".into(),
        ));
    };
    let mut title = get(&["title", "headline"]);
    let mut notes = notes.to_vec();
    let mut published = None;
    if let Some(d) = get(&["published", "date", "published_at", "datePublished"]) {
        match super::record_date(&d) {
            Ok(d) => published = Some(d),
            Err(note) => notes.push(note),
        }
    }
    if looks_like_html(&text) {
        let h = html::to_text(&text);
        text = h.text;
        title = title.or(h.title);
        published = published.or(h.published);
    }
    let n_bytes_raw = line.len();
    Ok(RawDoc {
        source_file: rel.to_string(),
        line: Some(n),
        format: Format::Jsonl,
        external_id: get(&["id", "_id", "uuid"]),
        url: get(&["url", "link"]),
        source: get(&["source", "publisher", "outlet"]),
        title,
        published_source: published.map(|_| DateSource::Record),
        published,
        text,
        n_bytes_raw,
        decode_notes: notes,
    })
}

fn looks_like_html(s: &str) -> bool {
    ["<p>", "<p ", "<br", "</p>", "</div>", "<div"]
        .iter()
        .any(|t| s.contains(t))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Write;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn read(bytes: &[u8], gz: bool, limits: &Limits) -> Vec<Result<RawDoc, Reject>> {
        Reader::new("a.jsonl", std::io::Cursor::new(bytes.to_vec()), gz, limits)
            .map(|line| line.and_then(|line| parse("a.jsonl", &line)))
            .collect()
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn an_unread_record_date_is_noted_not_guessed() {
        let text = "{\"text\": \"Shelling.\", \"published\": \"4/5/2017\"}\n{\"text\": \"Shelling.\", \"published\": \"4/16/2017\"}\n";
        let r = read(text.as_bytes(), false, &Limits::default());
        let (a, b) = (r[0].as_ref().unwrap(), r[1].as_ref().unwrap());
        assert_eq!(a.published, None);
        assert_eq!(
            a.decode_notes,
            ["published \"4/5/2017\" not read: day and month ambiguous"]
        );
        assert_eq!(b.published, chrono::NaiveDate::from_ymd_opt(2017, 4, 16));
        assert!(b.decode_notes.is_empty());
    }

    #[test]
    fn lines_and_rejects() {
        let text = "{\"id\": 7, \"text\": \"Shelling.\", \"date\": \"2020-01-02\"}\n\nnot json\n[1]\n{\"title\":\"x\"}\n";
        let r = read(text.as_bytes(), false, &Limits::default());
        assert_eq!(r.len(), 4);
        let d = r[0].as_ref().unwrap();
        assert_eq!(d.external_id.as_deref(), Some("7"));
        assert_eq!(d.line, Some(1));
        assert_eq!(d.published_source, Some(DateSource::Record));
        let e = r[1].as_ref().unwrap_err();
        assert_eq!(
            (e.input.as_str(), e.reason),
            ("a.jsonl#L3", RejectReason::MalformedJson)
        );
        assert_eq!(
            r[2].as_ref().unwrap_err().reason,
            RejectReason::MalformedJson
        );
        assert_eq!(r[3].as_ref().unwrap_err().reason, RejectReason::NoText);
    }

    #[test]
    fn long_lines_are_skipped_and_reading_goes_on() {
        let limits = Limits {
            max_line_bytes: 20,
            ..Limits::default()
        };
        let long = format!("{{\"text\": \"{}\"}}", "a".repeat(100_000));
        let blank = " ".repeat(100);
        let ok = "{\"text\": \"ok\"}";
        let text = format!("{long}\r\n{blank}\n{ok}\r\n{long}");
        let r = read(text.as_bytes(), false, &limits);
        assert_eq!(r.len(), 3, "{r:?}");
        let e = r[0].as_ref().unwrap_err();
        assert_eq!(e.input, "a.jsonl#L1");
        assert_eq!(e.reason, RejectReason::TooLarge);
        assert_eq!(
            e.detail,
            format!("line of {} bytes is over the limit of 20", long.len())
        );
        let d = r[1].as_ref().unwrap();
        assert_eq!((d.line, d.text.as_str()), (Some(3), "ok"));
        assert_eq!(r[2].as_ref().unwrap_err().input, "a.jsonl#L4");
        // A line of exactly the limit, with or without \r, is read.
        let exact = "{\"text\": \"12345678\"}";
        assert_eq!(exact.len(), 20);
        for sep in ["\n", "\r\n"] {
            let r = read(format!("{exact}{sep}{exact}").as_bytes(), false, &limits);
            assert!(r.iter().all(|d| d.is_ok()), "{r:?}");
        }
    }

    #[test]
    fn encodings_per_file_and_per_line() {
        // A BOM and UTF-16 hold for the whole file; Windows-1252 for a line.
        let r = read(
            b"\xEF\xBB\xBF{\"text\": \"one\"}\n{\"text\": \"caf\xE9\"}\n",
            false,
            &Limits::default(),
        );
        let (a, b) = (r[0].as_ref().unwrap(), r[1].as_ref().unwrap());
        assert_eq!(a.decode_notes, ["bom"]);
        assert_eq!(
            (b.text.as_str(), b.decode_notes.as_slice()),
            ("café", &["bom".to_string(), "windows-1252".to_string()][..])
        );
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "{\"text\": \"Ḥamā\"}\n\n{\"text\": \"two\"}".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let r = read(&gz(&utf16), true, &Limits::default());
        let d = r[0].as_ref().unwrap();
        assert_eq!(
            (d.text.as_str(), d.decode_notes.as_slice()),
            ("Ḥamā", &["gzip".to_string(), "utf-16le".to_string()][..])
        );
        assert_eq!(r[1].as_ref().unwrap().line, Some(3));
        // Empty and binary files are one reject for the file.
        for (bytes, reason, detail) in [
            (
                &b" \n\r\n"[..],
                RejectReason::Empty,
                "no text (empty or only white space)",
            ),
            (
                &b""[..],
                RejectReason::Empty,
                "no text (empty or only white space)",
            ),
            (
                &b"\xEF\xBB\xBF \n"[..],
                RejectReason::Empty,
                "no text (only white space)",
            ),
            (
                &b"\x89PNG\r\n"[..],
                RejectReason::Binary,
                "binary file (starts with 89504e47)",
            ),
        ] {
            let r = read(bytes, false, &Limits::default());
            assert_eq!(r.len(), 1);
            let e = r[0].as_ref().unwrap_err();
            assert_eq!(
                (e.input.as_str(), e.reason, e.detail.as_str()),
                ("a.jsonl", reason, detail)
            );
        }
    }

    #[test]
    fn gzip_records_before_a_corrupt_tail_are_read_first() {
        let mut text = String::new();
        for i in 0..2000 {
            text.push_str(&format!(
                "{{\"id\": {i}, \"text\": \"Record {i} of a long feed, {}.\"}}\n",
                i * 7919 % 1000
            ));
        }
        let whole = gz(text.as_bytes());
        let cut = &whole[..whole.len() / 2];
        let mut reader = Reader::new(
            "a.jsonl.gz",
            std::io::Cursor::new(cut.to_vec()),
            true,
            &Limits::default(),
        );
        // The first record comes out before the stream is read to its end.
        let first = reader.next().unwrap().unwrap();
        assert_eq!(first.n, 1);
        let rest: Vec<_> = reader.collect();
        let (last, read) = rest.split_last().unwrap();
        assert!(read.len() > 100 && read.len() < 1999, "{}", read.len());
        assert!(read.iter().all(|r| r.is_ok()));
        let e = last.as_ref().unwrap_err();
        assert_eq!(
            (e.input.as_str(), e.reason),
            ("a.jsonl.gz", RejectReason::Decompress)
        );
        assert!(
            e.detail.starts_with("truncated or corrupt gzip: "),
            "{}",
            e.detail
        );
        assert!(
            e.detail
                .contains(&format!("reading stopped in line {}", read.len() + 2)),
            "{}",
            e.detail
        );
    }

    /// A reader that counts the bytes taken from it (`Send`, as the
    /// read-ahead worker needs).
    struct Counting(std::io::Cursor<Vec<u8>>, Arc<AtomicUsize>);

    impl Read for Counting {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1.fetch_add(n, Ordering::Relaxed);
            Ok(n)
        }
    }

    #[test]
    fn lines_are_read_as_they_are_asked_for() {
        let line = "{\"text\": \"Shelling of the market.\"}\n";
        let text = line.repeat(200_000);
        let taken = Arc::new(AtomicUsize::new(0));
        let input = Counting(std::io::Cursor::new(text.into_bytes()), taken.clone());
        let mut reader = Reader::new("a.jsonl", input, false, &Limits::default());
        assert_eq!(reader.next().unwrap().unwrap().n, 1);
        let read = taken.load(Ordering::Relaxed);
        assert!(read <= 128 << 10, "{read} bytes read for one line");
        assert_eq!(reader.count(), 199_999);
        assert_eq!(taken.load(Ordering::Relaxed), line.len() * 200_000);
    }

    #[test]
    fn gzip_over_the_cap_keeps_the_lines_before_it() {
        let line = "{\"text\": \"Shelling.\"}\n";
        let text = line.repeat(1000);
        let limits = Limits {
            max_decompressed_bytes: (line.len() * 10 + 5) as u64,
            ..Limits::default()
        };
        let r = read(&gz(text.as_bytes()), true, &limits);
        assert_eq!(r.len(), 11);
        assert!(r[..10].iter().all(|d| d.is_ok()));
        let e = r[10].as_ref().unwrap_err();
        assert_eq!(e.reason, RejectReason::Decompress);
        assert_eq!(
            e.detail,
            format!(
                "decompression bomb: more than {} bytes after gunzip; reading stopped in line 11, the lines before it were read",
                limits.max_decompressed_bytes
            )
        );
        // A stream of exactly the cap is read whole.
        let exact = Limits {
            max_decompressed_bytes: text.len() as u64,
            ..limits
        };
        let r = read(&gz(text.as_bytes()), true, &exact);
        assert_eq!(r.len(), 1000);
        assert!(r.iter().all(|d| d.is_ok()));
    }
}

//! Bytes to text: gzip with a size cap, byte-order marks, UTF-16, a
//! Windows-1252 fallback for text that is not UTF-8, and the checks that
//! reject empty and binary inputs.

use std::io::Read;

use crate::model::RejectReason;

/// Decompresses a gzip stream (all members), refusing output over `max` bytes.
pub fn gunzip(bytes: &[u8], max: u64) -> Result<Vec<u8>, (RejectReason, String)> {
    inflate(bytes, max).map_err(|e| match e {
        Inflate::Over => (
            RejectReason::Decompress,
            format!("decompression bomb: more than {max} bytes after gunzip"),
        ),
        Inflate::Corrupt(e) => (
            RejectReason::Decompress,
            format!("truncated or corrupt gzip: {e}"),
        ),
    })
}

/// Why [`inflate`] stopped.
#[derive(Debug)]
pub enum Inflate {
    /// More than the allowed bytes came out (reading stopped one byte past it).
    Over,
    /// The stream is truncated or corrupt.
    Corrupt(String),
}

/// Decompresses a gzip stream (all members); never holds more than `max + 1` bytes.
pub fn inflate(bytes: &[u8], max: u64) -> Result<Vec<u8>, Inflate> {
    let mut out = Vec::new();
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    match decoder.take(max.saturating_add(1)).read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > max => Err(Inflate::Over),
        Ok(_) => Ok(out),
        Err(e) => Err(Inflate::Corrupt(e.to_string())),
    }
}

/// A reader that gives at most `max` bytes and then, if the stream goes
/// on, fails with an [`OverCap`] error instead of reading further: how a
/// streamed gzip is stopped after `max_decompressed_bytes`.
pub struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R> Capped<R> {
    pub fn new(inner: R, max: u64) -> Capped<R> {
        Capped { inner, left: max }
    }
}

/// The error a [`Capped`] reader gives when its stream is longer than the cap.
#[derive(Debug)]
pub struct OverCap;

impl std::fmt::Display for OverCap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("more bytes than the cap")
    }
}

impl std::error::Error for OverCap {}

/// Whether an I/O error is a [`Capped`] reader's [`OverCap`].
pub fn is_over_cap(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<OverCap>())
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the cap: one more byte means the stream is over it.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(OverCap)),
            };
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let got = self.inner.read(&mut buf[..n])?;
        self.left -= got as u64;
        Ok(got)
    }
}

/// A reader that turns a UTF-16 stream (without its byte-order mark) into
/// UTF-8 as it goes, replacing unpaired surrogates as
/// `decode_without_bom_handling` does for a whole file.
pub struct Utf16ToUtf8<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    src: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> Utf16ToUtf8<R> {
    pub fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Utf16ToUtf8<R> {
        Utf16ToUtf8 {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            src: vec![0; 1 << 14],
            out: Vec::new(),
            out_pos: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_pos);
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.src)?;
            self.eof = n == 0;
            let room = self
                .decoder
                .max_utf8_buffer_length(n)
                .ok_or_else(|| std::io::Error::other("UTF-16 buffer size overflow"))?;
            self.out.resize(room, 0);
            // With room for the worst case the decoder takes all the input
            // (keeping a split code unit for the next call).
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.src[..n], &mut self.out, self.eof);
            self.out.truncate(written);
            self.out_pos = 0;
            self.done = self.eof;
        }
    }
}

/// Magic numbers of common binary formats.
const MAGIC: &[&[u8]] = &[
    b"\x89PNG",
    b"%PDF",
    b"GIF87a",
    b"GIF89a",
    b"\xFF\xD8\xFF",
    b"PK\x03\x04",
    b"\x7FELF",
    b"\x1F\x8B",
    b"BZh",
    b"\xFD7zXZ",
    b"\x28\xB5\x2F\xFD",
    b"RIFF",
    b"MZ\x90\x00",
    b"\x00\x00\x01\x00",
];

/// How many leading bytes [`sniff`] looks at.
pub const SNIFF_BYTES: usize = 8192;

/// The encoding a file's first bytes say it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with Windows-1252 as the fallback for bytes that are not;
    /// `bom` when the file starts with a UTF-8 byte-order mark.
    Utf8 { bom: bool },
    /// UTF-16, with or without a byte-order mark.
    Utf16 { big_endian: bool, bom: bool },
}

impl Encoding {
    /// Length of the byte-order mark to skip.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8 { bom: true } => 3,
            Encoding::Utf16 { bom: true, .. } => 2,
            _ => 0,
        }
    }

    /// The repair note this encoding gives (`bom`, `utf-16le`, ...), if any.
    pub fn note(self) -> Option<String> {
        match self {
            Encoding::Utf8 { bom } => bom.then(|| "bom".to_string()),
            Encoding::Utf16 { big_endian, bom } => {
                let name = if big_endian { "utf-16be" } else { "utf-16le" };
                Some(if bom {
                    name.to_string()
                } else {
                    format!("{name} (no bom)")
                })
            }
        }
    }

    /// The UTF-16 decoder of `encoding_rs`, for UTF-16 only.
    pub fn utf16(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Utf16 {
                big_endian: true, ..
            } => Some(encoding_rs::UTF_16BE),
            Encoding::Utf16 { .. } => Some(encoding_rs::UTF_16LE),
            Encoding::Utf8 { .. } => None,
        }
    }
}

/// Tells the encoding from a file's first bytes (up to [`SNIFF_BYTES`] are
/// looked at), or why the file is not text: a binary format's magic
/// number, NUL bytes or too many control bytes.
pub fn sniff(bytes: &[u8]) -> Result<Encoding, (RejectReason, String)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Encoding::Utf8 { bom: true });
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Ok(Encoding::Utf16 {
            big_endian: false,
            bom: true,
        });
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Ok(Encoding::Utf16 {
            big_endian: true,
            bom: true,
        });
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return Ok(Encoding::Utf16 {
            big_endian: enc == encoding_rs::UTF_16BE,
            bom: false,
        });
    }
    if let Some(m) = MAGIC.iter().find(|m| bytes.starts_with(m)) {
        return Err((
            RejectReason::Binary,
            format!("binary file (starts with {})", hex::encode(m)),
        ));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return Err((RejectReason::Binary, "binary file (NUL bytes)".into()));
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if controls * 10 > head.len() {
        return Err((RejectReason::Binary, "binary file (control bytes)".into()));
    }
    Ok(Encoding::Utf8 { bom: false })
}

/// Decodes a file's bytes to text, noting any repair in `notes`.
pub fn decode(bytes: &[u8], notes: &mut Vec<String>) -> Result<String, (RejectReason, String)> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err((
            RejectReason::Empty,
            "no text (empty or only white space)".into(),
        ));
    }
    let encoding = sniff(bytes)?;
    notes.extend(encoding.note());
    let rest = &bytes[encoding.bom_len()..];
    match encoding.utf16() {
        Some(enc) => finish(enc.decode_without_bom_handling(rest).0.into_owned()),
        None => finish(utf8_or_1252(rest, notes)),
    }
}

/// One line (or file) of UTF-8, or of Windows-1252 where it is not valid
/// UTF-8 (then `true`), without copying valid UTF-8.
pub fn utf8_or_1252_owned(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => {
            let text = encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(e.as_bytes())
                .0
                .into_owned();
            (text, true)
        }
    }
}

fn finish(text: String) -> Result<String, (RejectReason, String)> {
    if text.trim().is_empty() {
        return Err((RejectReason::Empty, "no text (only white space)".into()));
    }
    Ok(text)
}

fn utf8_or_1252(bytes: &[u8], notes: &mut Vec<String>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            notes.push("windows-1252".into());
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned()
        }
    }
}

/// UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 >= pairs * 7 && even * 10 <= pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 10 <= pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_rejects() {
        let mut n = Vec::new();
        assert_eq!(decode(b"\xEF\xBB\xBFhi", &mut n).unwrap(), "hi");
        assert_eq!(n, vec!["bom"]);
        let mut n = Vec::new();
        assert_eq!(decode(b"caf\xE9", &mut n).unwrap(), "café");
        assert_eq!(n, vec!["windows-1252"]);
        let mut n = Vec::new();
        assert_eq!(decode(b"\xFF\xFEh\0i\0", &mut n).unwrap(), "hi");
        assert_eq!(decode(b"h\0e\0l\0l\0o\0", &mut n).unwrap(), "hello");
        assert_eq!(decode(b" \n\t", &mut n).unwrap_err().0, RejectReason::Empty);
        assert_eq!(
            decode(b"\x89PNG\r\n", &mut n).unwrap_err().0,
            RejectReason::Binary
        );
        assert_eq!(
            decode(b"ab\0\x01\x02cd", &mut n).unwrap_err().0,
            RejectReason::Binary
        );
    }

    #[test]
    fn gzip_limits() {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&[b'a'; 10_000]).unwrap();
        let gz = e.finish().unwrap();
        assert_eq!(gunzip(&gz, 20_000).unwrap().len(), 10_000);
        assert!(gunzip(&gz, 100).unwrap_err().1.contains("bomb"));
        assert!(gunzip(&gz[..gz.len() / 2], 20_000).is_err());
    }
}

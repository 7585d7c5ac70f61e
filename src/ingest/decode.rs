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

/// Decodes a file's bytes to text, noting any repair in `notes`.
pub fn decode(bytes: &[u8], notes: &mut Vec<String>) -> Result<String, (RejectReason, String)> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err((
            RejectReason::Empty,
            "no text (empty or only white space)".into(),
        ));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        notes.push("bom".into());
        return finish(utf8_or_1252(rest, notes));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        notes.push("utf-16le".into());
        return finish(
            encoding_rs::UTF_16LE
                .decode_without_bom_handling(rest)
                .0
                .into_owned(),
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        notes.push("utf-16be".into());
        return finish(
            encoding_rs::UTF_16BE
                .decode_without_bom_handling(rest)
                .0
                .into_owned(),
        );
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        notes.push(format!("{} (no bom)", enc.name().to_ascii_lowercase()));
        return finish(enc.decode_without_bom_handling(bytes).0.into_owned());
    }
    if let Some(m) = MAGIC.iter().find(|m| bytes.starts_with(m)) {
        return Err((
            RejectReason::Binary,
            format!("binary file (starts with {})", hex::encode(m)),
        ));
    }
    let head = &bytes[..bytes.len().min(8192)];
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
    finish(utf8_or_1252(bytes, notes))
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

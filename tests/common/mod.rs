//! Helpers shared by the integration tests: where the shared evaluation
//! material lives, and a sentence splitter for locating gold quotes.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use sitrep::model::Span;

/// The shared folder of real sample articles and gold: `$SITREP_SHARED`, or
/// `../shared` beside the checkout (or beside its parent folder).
pub fn shared_root() -> PathBuf {
    if let Some(p) = std::env::var_os("SITREP_SHARED") {
        return p.into();
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    [here.join("../shared"), here.join("../../shared")]
        .into_iter()
        .find(|p| p.join("seeds").is_dir())
        .unwrap_or_else(|| here.join("../shared"))
}

pub fn sentence_around(text: &str, s: usize, e: usize) -> Span {
    let b = text.as_bytes();
    let mut a = s;
    while a > 0 {
        let c = b[a - 1];
        if c == b'\n' || (a >= 2 && matches!(b[a - 2], b'.' | b'!' | b'?') && c == b' ') {
            break;
        }
        a -= 1;
    }
    let mut z = e;
    while z < b.len() {
        let c = b[z];
        if c == b'\n'
            || (matches!(c, b'.' | b'!' | b'?') && b.get(z + 1).is_none_or(|n| *n == b' '))
        {
            z += 1;
            break;
        }
        z += 1;
    }
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while !text.is_char_boundary(z) {
        z += 1;
    }
    Span::new(a, z.min(text.len()))
}

//! Runs the segmenter on the cases in `tests/cases/segment.toml` and
//! reports every failing case at once.

#![allow(clippy::unwrap_used)]

use serde::Deserialize;
use sitrep::model::{CleanDoc, Format, RawDoc, Span};
use sitrep::segment::Segmenter;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    input: String,
    expected: Vec<String>,
}

fn doc(body: &str) -> CleanDoc {
    let raw = RawDoc {
        source_file: "case.txt".into(),
        line: None,
        format: Format::Text,
        external_id: None,
        url: None,
        source: None,
        title: None,
        published: None,
        published_source: None,
        text: body.to_string(),
        n_bytes_raw: body.len(),
        decode_notes: Vec::new(),
    };
    // Two copies of the paragraph, to check spans into a later paragraph too.
    let text = format!("{body}\n\n{body}");
    CleanDoc {
        raw,
        title: None,
        dateline: None,
        published: None,
        published_source: None,
        paragraphs: vec![
            Span::new(0, body.len()),
            Span::new(body.len() + 2, text.len()),
        ],
        n_chars_raw: text.chars().count(),
        n_chars_clean: text.chars().count(),
        body: text,
        captions: Vec::new(),
    }
}

#[test]
fn segment_cases() {
    let seg = Segmenter::new().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/segment.toml");
    let file: File = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(file.case.len() >= 15);
    let mut failures = Vec::new();
    for case in &file.case {
        let d = doc(&case.input);
        let sentences = seg.segment(&d);
        let got: Vec<&str> = sentences.iter().map(|s| s.span.text(&d.body)).collect();
        let want: Vec<&str> = case
            .expected
            .iter()
            .chain(&case.expected)
            .map(String::as_str)
            .collect();
        if got != want {
            failures.push(format!("[{}] got {:?}", case.name, &got[..got.len() / 2]));
        }
        let n = case.expected.len();
        if sentences
            .iter()
            .enumerate()
            .any(|(i, s)| s.paragraph != usize::from(i >= n))
        {
            failures.push(format!("[{}] wrong paragraph index", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

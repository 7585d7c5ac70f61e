//! JSON Lines: one article per line, with keys `id`, `url`, `title`,
//! `text`|`body`|`content`, `published`|`date` and `source`.

use serde_json::Value;

use super::{Limits, html};
use crate::model::{DateSource, Format, RawDoc, Reject, RejectReason};

/// Reads every record of a decoded JSON Lines file.
pub fn read(
    rel: &str,
    text: &str,
    limits: &Limits,
    notes: &[String],
) -> Vec<Result<RawDoc, Reject>> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let n = i as u64 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let input = format!("{rel}#L{n}");
        if line.len() as u64 > limits.max_line_bytes {
            out.push(Err(Reject::new(
                input,
                RejectReason::TooLarge,
                format!(
                    "line of {} bytes is over the limit of {}",
                    line.len(),
                    limits.max_line_bytes
                ),
            )));
            continue;
        }
        out.push(
            record(rel, n, line, notes)
                .map_err(|(reason, detail)| Reject::new(input, reason, detail)),
        );
    }
    out
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
    let mut published = get(&["published", "date", "published_at", "datePublished"])
        .and_then(|d| super::parse_date_loose(&d));
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
        decode_notes: notes.to_vec(),
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
    use super::*;

    #[test]
    fn lines_and_rejects() {
        let text = "{\"id\": 7, \"text\": \"Shelling.\", \"date\": \"2020-01-02\"}\n\nnot json\n[1]\n{\"title\":\"x\"}\n";
        let r = read("a.jsonl", text, &Limits::default(), &[]);
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
}

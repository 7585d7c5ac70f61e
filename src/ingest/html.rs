//! HTML to text: a small, forgiving tokenizer that drops scripts, styles,
//! comments and page furniture (nav, footer, aside, form), decodes
//! entities, turns block elements into blank lines, and picks up the
//! title and published date the page declares.

use chrono::NaiveDate;

/// What an HTML page yields.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct HtmlDoc {
    pub text: String,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
}

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "nav", "footer", "aside", "form", "template", "svg", "iframe",
    "button", "select",
];
/// Elements whose content is raw text (no tags inside).
const RAW: &[&str] = &["script", "style", "textarea"];
/// Elements that end a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "tr",
    "table",
    "header",
    "main",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "dd",
    "dt",
    "dl",
    "body",
    "html",
    "td",
    "th",
    "caption",
    "address",
    "center",
    "details",
    "summary",
];
/// Void elements (never closed).
const VOID: &[&str] = &[
    "br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed",
    "param", "track",
];

/// Converts an HTML page to text with blank lines between blocks.
pub fn to_text(html: &str) -> HtmlDoc {
    let mut out = String::with_capacity(html.len() / 2);
    let mut doc = HtmlDoc::default();
    let mut og_title: Option<String> = None;
    let mut title_tag: Option<String> = None;
    let mut h1: Option<String> = None;
    let mut meta_date: Option<NaiveDate> = None;
    let mut time_date: Option<NaiveDate> = None;
    let mut skip: Vec<String> = Vec::new();
    let mut in_title = false;
    let mut title_buf = String::new();
    let mut h1_start: Option<usize> = None;
    let mut pre = 0usize;
    let bytes = html.as_bytes();
    let mut i = 0usize;
    while i < html.len() {
        let Some(rel) = html[i..].find('<') else {
            emit_text(
                &html[i..],
                &mut out,
                &mut title_buf,
                in_title,
                !skip.is_empty(),
                pre > 0,
            );
            break;
        };
        let lt = i + rel;
        emit_text(
            &html[i..lt],
            &mut out,
            &mut title_buf,
            in_title,
            !skip.is_empty(),
            pre > 0,
        );
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = match comment.find("-->") {
                Some(e) => lt + 4 + e + 3,
                None => html.len(),
            };
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = match rest.find('>') {
                Some(e) => lt + e + 1,
                None => html.len(),
            };
            continue;
        }
        let next = bytes.get(lt + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || next == b'/') {
            // A bare '<' in text.
            emit_text(
                "<",
                &mut out,
                &mut title_buf,
                in_title,
                !skip.is_empty(),
                pre > 0,
            );
            i = lt + 1;
            continue;
        }
        let end = tag_end(rest).map_or(html.len(), |e| lt + e + 1);
        let tag = Tag::parse(&html[lt..end]);
        i = end;
        let name = tag.name.as_str();
        if tag.closing {
            if let Some(pos) = skip.iter().rposition(|s| s == name) {
                skip.truncate(pos);
                continue;
            }
            if !skip.is_empty() {
                continue;
            }
            match name {
                "title" => {
                    in_title = false;
                    let t = collapse(&title_buf);
                    if title_tag.is_none() && !t.is_empty() {
                        title_tag = Some(t);
                    }
                }
                "h1" => {
                    if let Some(s) = h1_start.take() {
                        let t = collapse(out.get(s..).unwrap_or(""));
                        if h1.is_none() && !t.is_empty() {
                            h1 = Some(t);
                        }
                    }
                }
                "pre" => pre = pre.saturating_sub(1),
                _ => {}
            }
            if BLOCK.contains(&name) {
                out.push_str("\n\n");
            }
            continue;
        }
        // An opening tag.
        match name {
            "meta" => {
                let key = tag
                    .attr("property")
                    .or_else(|| tag.attr("name"))
                    .or_else(|| tag.attr("itemprop"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if let Some(content) = tag.attr("content") {
                    match key.as_str() {
                        "og:title" | "twitter:title" if og_title.is_none() => {
                            let t = collapse(&decode_entities(&content));
                            if !t.is_empty() {
                                og_title = Some(t);
                            }
                        }
                        "article:published_time"
                        | "datepublished"
                        | "date"
                        | "pubdate"
                        | "publishdate"
                        | "dc.date"
                        | "dc.date.issued"
                        | "dcterms.date"
                        | "sailthru.date"
                        | "parsely-pub-date"
                        | "og:published_time"
                            if key == "article:published_time" || meta_date.is_none() =>
                        {
                            if let Some(d) = parse_date(&content) {
                                meta_date = Some(d);
                            }
                        }
                        _ => {}
                    }
                }
                continue;
            }
            "time" if time_date.is_none() => {
                if let Some(d) = tag.attr("datetime").and_then(|v| parse_date(&v)) {
                    time_date = Some(d);
                }
            }
            _ => {}
        }
        if !skip.is_empty() {
            if SKIP.contains(&name) && !tag.self_closing {
                skip.push(tag.name.clone());
            }
            continue;
        }
        if SKIP.contains(&name) && !tag.self_closing && !VOID.contains(&name) {
            if RAW.contains(&name) {
                // Raw text: jump to the closing tag.
                let close = format!("</{name}");
                i = find_ci(html, i, &close).unwrap_or(html.len());
                skip.push(tag.name.clone());
            } else {
                skip.push(tag.name.clone());
            }
            continue;
        }
        match name {
            "title" => {
                in_title = true;
                title_buf.clear();
            }
            "h1" => h1_start = Some(out.len()),
            "br" => out.push('\n'),
            "pre" => pre += 1,
            "textarea" => {
                let close = "</textarea";
                i = find_ci(html, i, close).unwrap_or(html.len());
            }
            _ => {}
        }
        if BLOCK.contains(&name) {
            out.push_str("\n\n");
        }
    }
    doc.text = tidy(&out);
    doc.title = og_title.or(title_tag).or(h1);
    doc.published = meta_date.or(time_date);
    doc
}

fn emit_text(s: &str, out: &mut String, title: &mut String, in_title: bool, skip: bool, pre: bool) {
    if s.is_empty() || skip {
        return;
    }
    if in_title {
        title.push_str(&decode_entities(s));
        return;
    }
    let decoded = decode_entities(s);
    if pre {
        out.push_str(&decoded);
        return;
    }
    let mut space = out.ends_with(|c: char| c.is_whitespace());
    for c in decoded.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
}

fn decode_entities(s: &str) -> String {
    if s.contains('&') {
        html_escape::decode_html_entities(s).into_owned()
    } else {
        s.to_string()
    }
}

/// Trims lines and keeps at most one blank line between blocks.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_matches(|c: char| c.is_whitespace() && c != '\u{a0}');
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Case-insensitive ASCII find of `needle` in `hay` from `from`.
fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || from >= h.len() {
        return None;
    }
    (from..h.len().saturating_sub(n.len()) + 1).find(|&p| h[p..p + n.len()].eq_ignore_ascii_case(n))
}

/// The offset of the `>` that closes the tag starting at `s[0] == '<'`, skipping quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &b) in s.as_bytes().iter().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => {
                // Only a quote after '=' opens a value.
                let prev = s.as_bytes()[..i]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace());
                if prev == Some(&b'=') {
                    quote = Some(b);
                }
            }
            None if b == b'>' => return Some(i),
            None => {}
        }
    }
    None
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn parse(raw: &str) -> Tag {
        let inner = raw.trim_start_matches('<').trim_end_matches('>');
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let self_closing = inner.trim_end().ends_with('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let b = inner.as_bytes();
        let mut i = name_end;
        while i < b.len() {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            let ks = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
                i += 1;
            }
            let key = inner.get(ks..i).unwrap_or("").to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut val = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let vs = i + 1;
                    i = vs;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    val = inner.get(vs..i).unwrap_or("").to_string();
                    i += 1;
                } else {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    val = inner.get(vs..i).unwrap_or("").to_string();
                }
            }
            if !key.is_empty() {
                attrs.push((key, val));
            } else if i == ks {
                i += 1;
            }
        }
        Tag {
            name,
            closing,
            self_closing,
            attrs,
        }
    }

    fn attr(&self, key: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// An ISO date, or the date part of an ISO date-time ("2018-04-16T14:18:00Z").
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head = s.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn strips_furniture_and_finds_title() {
        let html = r#"<!DOCTYPE html><html><head><title>Page &amp; title</title>
<meta property="og:title" content="Shelling hits &quot;Idlib&quot; market">
<meta property="article:published_time" content="2019-05-13T10:00:00Z">
<script>var x = "<p>no</p>";</script><style>p{}</style></head>
<body><nav><ul><li>Home</li></ul></nav><h1>Shelling hits market</h1>
<p>First   paragraph<br>second line.</p><!-- c --><div>Second &eacute; block</div>
<aside>side</aside><footer>foot</footer><form><input>x</form></body></html>"#;
        let d = to_text(html);
        assert_eq!(d.title.as_deref(), Some("Shelling hits \"Idlib\" market"));
        assert_eq!(d.published, NaiveDate::from_ymd_opt(2019, 5, 13));
        assert_eq!(
            d.text,
            "Shelling hits market\n\nFirst paragraph\nsecond line.\n\nSecond é block"
        );
    }

    #[test]
    fn time_and_broken_markup() {
        let d = to_text("<p>a < b <time datetime='2017-04-05'>Wed</time></p><p unclosed");
        assert_eq!(d.published, NaiveDate::from_ymd_opt(2017, 4, 5));
        assert!(d.text.starts_with("a < b Wed"));
    }
}

//! Bad input never loses data: a torture corpus generated in a temporary
//! folder (empty, binary, legacy encodings, UTF-16, mojibake, invalid
//! UTF-8, huge lines, broken and bomb .gz, broken JSON Lines, noisy HTML,
//! duplicates, link loops, unreadable files, control characters, Arabic) is
//! built by the real binary. Every input file and every JSON Lines record
//! must come out as an article or as a reject with the expected reason, the
//! readable ones repaired, and the binary must never panic. Also: killing a
//! build mid-write leaves the previous dataset intact, and a bomb in a
//! streamed JSON Lines file is stopped by `Limits::max_decompressed_bytes`
//! through the library API.
//!
//! Run with `--nocapture` to see the table of inputs and outcomes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What an input must become.
#[derive(Debug, Clone, PartialEq)]
enum Want {
    /// An article whose body contains each of these strings and none of the `absent` ones.
    Article {
        has: Vec<&'static str>,
        absent: Vec<&'static str>,
    },
    /// A reject with this reason whose detail contains this text.
    Reject(&'static str, &'static str),
}

fn article(has: &[&'static str]) -> Want {
    Want::Article {
        has: has.to_vec(),
        absent: vec![],
    }
}

struct Corpus {
    root: tempfile::TempDir,
    /// Input name (as in `rejects.input` / `source_file#Lline`) -> what it must become.
    want: BTreeMap<String, (String, Want)>,
}

impl Corpus {
    fn dir(&self) -> PathBuf {
        self.root.path().join("in")
    }
    fn file(&mut self, rel: &str, bytes: &[u8], what: &str, want: Want) {
        let p = self.dir().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
        self.want.insert(rel.to_string(), (what.to_string(), want));
    }
    fn expect(&mut self, input: &str, what: &str, want: Want) {
        self.want
            .insert(input.to_string(), (what.to_string(), want));
    }
}

/// A short news story, different for each `n`, with `extra` in its text.
fn story(n: usize, extra: &str) -> String {
    format!(
        "Shelling hits market in northern town number {n}\n\n\
         Government forces shelled the market of the town on Tuesday, killing {n} civilians \
         and wounding several others, local medics said. {extra} The monitoring group said \
         the strikes continued into the evening as families fled toward the border.\n"
    )
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A multi-member gzip stream of `mb` MiB of zeros, built cheaply by
/// repeating one compressed MiB.
fn gz_bomb(mb: usize) -> Vec<u8> {
    let one = gz(&vec![0u8; 1 << 20]);
    one.repeat(mb)
}

fn utf16(s: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in s.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// UTF-8 bytes misread as a single-byte code page, saved again as UTF-8.
fn mojibake(s: &str, enc: &'static encoding_rs::Encoding) -> Vec<u8> {
    enc.decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
        .into_bytes()
}

fn is_root() -> bool {
    // The effective uid of this process owns the files it creates.
    let probe = std::env::temp_dir().join(format!("sitrep-uid-probe-{}", std::process::id()));
    let _ = fs::write(&probe, b"x");
    let root = std::os::unix::fs::MetadataExt::uid(&fs::metadata(&probe).unwrap()) == 0;
    let _ = fs::remove_file(&probe);
    root
}

const MAX_ARTICLE: usize = 1_000_000;
const MAX_LINE: usize = 100_000;

fn torture_corpus() -> Corpus {
    let mut c = Corpus {
        root: tempfile::tempdir().unwrap(),
        want: BTreeMap::new(),
    };
    let reject = Want::Reject;

    c.file("empty.txt", b"", "empty file", reject("empty", "no text"));
    c.file(
        "whitespace.txt",
        b"  \n\t\r\n   \n",
        "white space only",
        reject("empty", "white space"),
    );
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
    c.file(
        "image.txt",
        png,
        "PNG bytes named .txt",
        reject("binary", "89504e47"),
    );
    c.file(
        "photo.png",
        png,
        "PNG file",
        reject("unsupported_format", "not .txt"),
    );
    c.file(
        "nul.txt",
        b"Some words\0\0\0then\0binary\0junk\0\x01\x02\x03",
        "NUL bytes after text",
        reject("binary", "NUL"),
    );

    // Legacy encodings.
    let latin1: Vec<u8> = story(1, "Owners of the old caf\u{e9} counted the damage.")
        .chars()
        .map(|ch| u8::try_from(u32::from(ch)).unwrap())
        .collect();
    c.file(
        "latin1.txt",
        &latin1,
        "Latin-1 (ISO-8859-1) text",
        article(&["café"]),
    );
    let cp1252_text = story(
        2,
        "\u{201c}We had no warning,\u{201d} a resident said \u{2013} the town\u{2019}s mayor agreed.",
    );
    let cp1252 = encoding_rs::WINDOWS_1252
        .encode(&cp1252_text)
        .0
        .into_owned();
    c.file(
        "cp1252.txt",
        &cp1252,
        "Windows-1252 smart quotes and dashes",
        article(&["“We had no warning,”", "town’s", " – "]),
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(story(3, "The caf\u{e9} was shut.").as_bytes());
    c.file(
        "bom.txt",
        &bom,
        "UTF-8 with BOM",
        Want::Article {
            has: vec!["café", "Government forces"],
            absent: vec!["\u{feff}"],
        },
    );
    c.file(
        "utf16le.txt",
        &utf16(&story(4, "Raqqa\u{2019}s hospital was full."), true),
        "UTF-16 LE with BOM",
        article(&["Raqqa’s hospital"]),
    );
    c.file(
        "utf16be.txt",
        &utf16(&story(5, "Deir ez-Zor\u{2019}s bridge fell."), false),
        "UTF-16 BE with BOM",
        article(&["Deir ez-Zor’s bridge"]),
    );
    c.file(
        "mojibake_cp1252.txt",
        &mojibake(
            &story(6, "The army\u{2019}s \u{201c}final push\u{201d} began."),
            encoding_rs::WINDOWS_1252,
        ),
        "mojibake: UTF-8 read as Windows-1252",
        Want::Article {
            has: vec!["army’s", "“final push”"],
            absent: vec!["â€"],
        },
    );
    c.file(
        "mojibake_macroman.txt",
        &mojibake(
            &story(7, "The rebels\u{2019} convoy left\u{200b}."),
            encoding_rs::MACINTOSH,
        ),
        "mojibake: UTF-8 read as Mac Roman",
        Want::Article {
            has: vec!["rebels’ convoy"],
            absent: vec!["‚Äô", "‚Äč"],
        },
    );
    let mut bad = story(8, "The convoy\u{2019}s route passed Idlib").into_bytes();
    let at = bad.len() / 2;
    bad.splice(at..at, [0xFF, 0xC3, 0x28]);
    c.file(
        "invalid_utf8.txt",
        &bad,
        "invalid UTF-8 bytes mid-text",
        Want::Article {
            has: vec!["convoy’s route", "Idlib"],
            absent: vec!["â€"],
        },
    );
    let controls = story(
        9,
        "Alarm\u{7} sirens \u{1b}[31msounded\u{1b}[0m at dawn\u{8}.",
    );
    c.file(
        "controls.txt",
        controls.as_bytes(),
        "control characters (BEL, ESC, BS)",
        Want::Article {
            has: vec!["sirens"],
            absent: vec!["\u{7}", "\u{1b}", "\u{8}"],
        },
    );
    c.file(
        "arabic.txt",
        story(
            10,
            "Residents of \u{200f}\u{62d}\u{644}\u{628}\u{200f} (Aleppo) said \u{627}\u{644}\u{642}\u{635}\u{641} \u{645}\u{633}\u{62a}\u{645}\u{631} (the shelling continues).",
        )
        .as_bytes(),
        "right-to-left Arabic mixed in",
        article(&["حلب", "القصف مستمر", "(Aleppo)"]),
    );

    // Size limits.
    let mut big = String::with_capacity(2 << 20);
    while big.len() < 2 << 20 {
        big.push_str("The shelling went on through the night and nobody slept. ");
    }
    c.file(
        "long_line_2mb.txt",
        big.as_bytes(),
        "2 MB single line (limit 1 MB)",
        reject("too_large", "over the limit of 1000000"),
    );
    let mut under = String::new();
    let mut i = 0;
    while under.len() < 900_000 {
        i += 1;
        under.push_str(&format!(
            "Strike {i} hit a bakery in the old city, killing {} people. ",
            i % 50
        ));
    }
    c.file(
        "long_line_900kb.txt",
        under.as_bytes(),
        "900 KB single line (under the limit)",
        article(&["Strike 1 hit a bakery"]),
    );

    // Compressed inputs.
    c.file(
        "ok.txt.gz",
        &gz(story(11, "It came compressed.").as_bytes()),
        "valid .gz",
        article(&["It came compressed."]),
    );
    let whole = gz(story(12, "Cut short.").as_bytes());
    c.file(
        "truncated.txt.gz",
        &whole[..whole.len() / 2],
        "truncated .gz",
        reject("decompress", "truncated or corrupt"),
    );
    c.file(
        "bomb.txt.gz",
        &gz_bomb(300),
        "gzip bomb: 300 MB of zeros (~300 KB)",
        reject("too_large", "after gunzip is over the limit of 1000000"),
    );
    c.file(
        "garbage.html.gz",
        b"\x1f\x8b\x08\x00not really gzip at all",
        "corrupt gzip header",
        reject("decompress", "corrupt"),
    );

    // JSON Lines: every non-blank line is an input.
    let huge_text = "a".repeat(MAX_LINE * 2);
    let lines = [
        serde_json::json!({"id": "r1", "title": "Clashes near Daraa", "text": story(13, "First record."), "date": "2019-05-13"}).to_string(),
        "{\"id\": \"r2\", \"text\": \"unterminated".to_string(),
        String::new(),
        serde_json::json!({"id": "r3", "title": "No body here"}).to_string(),
        serde_json::json!({"id": "r4", "text": huge_text}).to_string(),
        "[1, 2, 3]".to_string(),
        serde_json::json!({"id": "r5", "text": story(14, "Second record.")}).to_string(),
        serde_json::json!({"id": "r5", "text": story(15, "Same id, other text.")}).to_string(),
        serde_json::json!({"id": "r6", "title": "Clashes near Daraa", "text": story(13, "First record."), "date": "2019-05-13"}).to_string(),
        serde_json::json!({"id": "r7", "text": format!("<p>{}</p><p>Hidden &amp; shown at last.</p><script>alert(1)</script>", story(19, "In HTML."))}).to_string(),
        "   ".to_string(),
    ];
    let jsonl = lines.join("\n") + "\n";
    let p = c.dir().join("feed.jsonl");
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, &jsonl).unwrap();
    c.expect(
        "feed.jsonl#L1",
        "JSONL good record",
        article(&["First record."]),
    );
    c.expect(
        "feed.jsonl#L2",
        "JSONL malformed line",
        reject("malformed_json", "not valid JSON"),
    );
    c.expect(
        "feed.jsonl#L4",
        "JSONL record without text",
        reject("no_text", "no text"),
    );
    c.expect(
        "feed.jsonl#L5",
        "JSONL line over --max-line-bytes",
        reject("too_large", "over the limit of 100000"),
    );
    c.expect(
        "feed.jsonl#L6",
        "JSONL line that is not an object",
        reject("malformed_json", "not an object"),
    );
    c.expect(
        "feed.jsonl#L7",
        "JSONL duplicate id (first)",
        article(&["Second record."]),
    );
    c.expect(
        "feed.jsonl#L8",
        "JSONL duplicate id, other text",
        article(&["Same id, other text."]),
    );
    c.expect(
        "feed.jsonl#L9",
        "JSONL same text as line 1",
        reject("duplicate", "duplicate_of feed.jsonl#L1"),
    );
    c.expect(
        "feed.jsonl#L10",
        "JSONL record of HTML with a script",
        Want::Article {
            has: vec!["Hidden & shown at last."],
            absent: vec!["alert", "&amp;", "<p>"],
        },
    );
    c.file(
        "blank_lines.jsonl",
        b"\n\n   \n",
        "JSONL of blank lines only",
        reject("empty", "white space"),
    );

    // HTML.
    let html = format!(
        "<!DOCTYPE html><html><head><title>Strikes on Idlib &amp; Hama | Example News</title>\
         <style>body {{ color: red; }} .ad {{ display:none }}</style>\
         <script>var tracker = \"<p>not text</p>\"; alert('x');</script></head>\
         <body><!-- a comment that must vanish --><nav>Home | World | Contact</nav>\
         <article><h1>Strikes on Idlib &amp; Hama</h1><p>{}</p>\
         <p>Aid workers said the &#8220;worst night&#8221; left 12&nbsp;dead &mdash; mostly children &lt;10.</p>\
         <script>document.write('ad')</script></article></body></html>",
        story(16, "Idlib &amp; Hama were hit.").replace('\n', " ")
    );
    c.file(
        "page.html",
        html.as_bytes(),
        "HTML with scripts, styles, comments, entities",
        Want::Article {
            has: vec![
                "Idlib & Hama were hit.",
                "“worst night”",
                "12 dead — mostly",
                "<10",
            ],
            absent: vec![
                "alert",
                "color: red",
                "comment that must vanish",
                "tracker",
                "&amp;",
            ],
        },
    );
    c.file(
        "script_only.htm",
        b"<html><head><script>var a = 1;</script><style>p{}</style></head><body><!-- nothing --></body></html>",
        "HTML with nothing but script and style",
        reject("no_text", "no text"),
    );

    // The same article twice under two names.
    let twin = story(17, "This story was syndicated.");
    c.file(
        "twin_a.txt",
        twin.as_bytes(),
        "same article, first name",
        article(&["syndicated"]),
    );
    c.file(
        "twin_b.txt",
        twin.as_bytes(),
        "same article, second name",
        reject("duplicate", "duplicate_of twin_a.txt"),
    );

    // Links, pipes and permissions.
    let d = c.dir();
    fs::create_dir_all(d.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", d.join("loop/up")).unwrap();
    c.expect(
        "loop/up",
        "symlink to its own parent folder (loop)",
        reject("unreadable", "loop"),
    );
    std::os::unix::fs::symlink("self.txt", d.join("self.txt")).unwrap();
    c.expect(
        "self.txt",
        "symlink to itself",
        reject("unreadable", "cannot read"),
    );
    std::os::unix::fs::symlink("nowhere.txt", d.join("dangling.txt")).unwrap();
    c.expect(
        "dangling.txt",
        "dangling symlink",
        reject("unreadable", "cannot read"),
    );
    let fifo = d.join("fifo.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        c.expect(
            "fifo.txt",
            "a FIFO named .txt (a read would block)",
            reject("unreadable", "not a regular file"),
        );
    } else {
        eprintln!("skipped the FIFO case: mkfifo is not available");
    }
    if is_root() {
        eprintln!(
            "skipped the chmod 000 case: running as root, permissions do not block reads \
             (the FIFO and link cases still give real read errors)"
        );
    } else {
        let p = d.join("locked.txt");
        fs::write(&p, story(18, "Nobody may read this.")).unwrap();
        fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
        c.expect(
            "locked.txt",
            "file with permissions 000",
            reject("unreadable", "cannot read"),
        );
        let locked_dir = d.join("locked_dir");
        fs::create_dir(&locked_dir).unwrap();
        fs::write(locked_dir.join("inside.txt"), "x").unwrap();
        fs::set_permissions(
            &locked_dir,
            std::os::unix::fs::PermissionsExt::from_mode(0o000),
        )
        .unwrap();
        c.expect(
            "locked_dir",
            "folder with permissions 000",
            reject("unreadable", "cannot read"),
        );
    }
    c
}

fn sitrep() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
}

fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("open csv");
    let headers = r.headers().expect("headers").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .map(String::from)
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn short(s: &str, n: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= n {
        one_line
    } else {
        one_line.chars().take(n).collect::<String>() + "…"
    }
}

/// The real counts of the corpus on disk: every file under `dir` and every
/// non-blank line of each JSONL file, named as the dataset names inputs.
fn count_inputs(dir: &Path) -> (usize, usize) {
    let mut files = 0;
    let mut records = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
                continue;
            }
            files += 1;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".jsonl") {
                let text = fs::read_to_string(e.path()).unwrap();
                let n = text.lines().filter(|l| !l.trim().is_empty()).count();
                if n > 0 {
                    // The file is accounted for by its records.
                    files -= 1;
                    records += n;
                }
            }
        }
    }
    (files, records)
}

fn run_build(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let output = sitrep()
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .arg("-j2")
        .output()
        .expect("run sitrep");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    output
}

#[test]
fn torture_corpus_every_input_is_an_article_or_a_reject() {
    let corpus = torture_corpus();
    let out = corpus.root.path().join("dataset");
    let output = run_build(
        &corpus.dir(),
        &out,
        &[
            "--max-article-bytes",
            &MAX_ARTICLE.to_string(),
            "--max-line-bytes",
            &MAX_LINE.to_string(),
        ],
    );
    assert_ne!(output.status.code(), Some(101), "sitrep panicked");
    assert_eq!(
        output.status.code(),
        Some(1),
        "exit 1: written with rejects"
    );
    assert!(out.join("datapackage.json").is_file());
    assert!(out.join("articles.parquet").is_file());

    let articles = csv_rows(&out.join("articles.csv"));
    let rejects = csv_rows(&out.join("rejects.csv"));
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bodies = BTreeMap::new();
    for a in &articles {
        let name = match a["line"].as_str() {
            "" => a["source_file"].clone(),
            l => format!("{}#L{l}", a["source_file"]),
        };
        got.entry(name.clone()).or_default().push("article".into());
        bodies.insert(name, a["body"].clone());
    }
    let mut details = BTreeMap::new();
    for r in &rejects {
        got.entry(r["input"].clone())
            .or_default()
            .push(format!("reject {}", r["reason"]));
        details.insert(
            r["input"].clone(),
            (r["reason"].clone(), r["detail"].clone()),
        );
    }

    // The table for the closing note.
    println!("\n| input | case | outcome | detail / body |");
    println!("|---|---|---|---|");
    for (input, (what, _)) in &corpus.want {
        let outcome = got
            .get(input)
            .map(|v| v.join(" + "))
            .unwrap_or_else(|| "MISSING".into());
        let note = match (bodies.get(input), details.get(input)) {
            (Some(b), _) => short(b, 60),
            (_, Some((_, d))) => short(d, 70),
            _ => String::new(),
        };
        println!(
            "| {input} | {what} | {outcome} | {} |",
            note.replace('|', "\\|")
        );
    }

    let mut failures = Vec::new();
    // Every row belongs to an input we made, once.
    for (input, outcomes) in &got {
        if !corpus.want.contains_key(input) {
            failures.push(format!("{input}: unexpected row(s) {outcomes:?}"));
        }
        if outcomes.len() != 1 {
            failures.push(format!("{input}: {} rows {outcomes:?}", outcomes.len()));
        }
    }
    for (input, (what, want)) in &corpus.want {
        match want {
            Want::Article { has, absent } => match bodies.get(input) {
                None => failures.push(format!(
                    "{input} ({what}): want an article, got {:?}",
                    details.get(input)
                )),
                Some(body) => {
                    for h in has {
                        if !body.contains(h) {
                            failures.push(format!(
                                "{input} ({what}): body lacks {h:?}: {}",
                                short(body, 300)
                            ));
                        }
                    }
                    for a in absent {
                        if body.contains(a) {
                            failures.push(format!("{input} ({what}): body still has {a:?}"));
                        }
                    }
                    if body.contains('\u{FFFD}') {
                        failures.push(format!("{input} ({what}): body has U+FFFD"));
                    }
                }
            },
            Want::Reject(reason, detail) => match details.get(input) {
                Some((r, d)) if r == reason && d.contains(detail) => {}
                other => failures.push(format!(
                    "{input} ({what}): want reject {reason} ~ {detail:?}, got {other:?}"
                )),
            },
        }
    }

    // The counts on disk, independent of the expectations above: every
    // file and every JSONL record is one row. The link-loop folder and
    // the locked folder are inputs too (one reject each).
    let (files, records) = count_inputs(&corpus.dir());
    let folder_rows = corpus
        .want
        .keys()
        .filter(|k| *k == "loop/up" || *k == "locked_dir")
        .count();
    // Files inside the locked folder cannot be seen; the loop's link is not a file.
    let hidden = if corpus.want.contains_key("locked_dir") {
        1
    } else {
        0
    };
    let loop_link = 1;
    let expected_rows = files - hidden - loop_link + records + folder_rows;
    let rows = articles.len() + rejects.len();
    if rows != expected_rows {
        failures.push(format!(
            "articles {} + rejects {} = {rows}, but the corpus has {files} files \
             (incl. links) and {records} JSONL records: want {expected_rows}",
            articles.len(),
            rejects.len()
        ));
    }
    println!(
        "\n{} inputs: {} articles + {} rejects",
        corpus.want.len(),
        articles.len(),
        rejects.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Two JSON Lines records that share an `id` but not their text are two
/// articles, and must get two article ids (the id is a primary key).
#[test]
fn jsonl_duplicate_ids_give_distinct_article_ids() {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("in");
    fs::create_dir(&input).unwrap();
    let lines = [
        serde_json::json!({"id": "r5", "text": story(14, "Second record.")}).to_string(),
        serde_json::json!({"id": "r5", "text": story(15, "Same id, other text.")}).to_string(),
    ];
    fs::write(input.join("feed.jsonl"), lines.join("\n")).unwrap();
    let out = root.path().join("ds");
    let output = run_build(&input, &out, &["-q"]);
    assert_eq!(output.status.code(), Some(0));
    let articles = csv_rows(&out.join("articles.csv"));
    assert_eq!(articles.len(), 2);
    assert_ne!(articles[0]["article_id"], articles[1]["article_id"]);
}

/// A gzip bomb inside a JSON Lines file, limited by
/// `max_decompressed_bytes` (`--max-decompressed-bytes`) through the
/// library API: the file is streamed, so the record before the bomb is
/// kept and the rest of the file is one reject. A bomb of NUL bytes is
/// binary as soon as its first bytes are seen.
#[test]
fn gzip_bomb_is_stopped_by_max_decompressed_bytes() {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("in");
    fs::create_dir(&input).unwrap();
    let first =
        serde_json::json!({"id": "r1", "text": story(2, "Before the bomb.")}).to_string() + "\n";
    let spaces = gz(&vec![b' '; 1 << 20]).repeat(64);
    fs::write(
        input.join("bomb.jsonl.gz"),
        [gz(first.as_bytes()), spaces].concat(),
    )
    .unwrap();
    fs::write(input.join("zeros.jsonl.gz"), gz_bomb(64)).unwrap();
    fs::write(input.join("ok.txt"), story(1, "Fine.")).unwrap();
    let opts = sitrep::BuildOptions {
        inputs: vec![input],
        out: root.path().join("ds"),
        metadata: None,
        threads: Some(1),
        limits: sitrep::ingest::Limits {
            max_decompressed_bytes: 8 << 20,
            ..Default::default()
        },
        progress: false,
    };
    let report = sitrep::build(&opts).unwrap();
    assert_eq!(report.n_articles, 2);
    assert_eq!(report.rejects_by_reason.get("decompress"), Some(&1));
    assert_eq!(report.rejects_by_reason.get("binary"), Some(&1));
    let articles = csv_rows(&root.path().join("ds/articles.csv"));
    assert_eq!(
        (
            articles[0]["source_file"].as_str(),
            articles[0]["line"].as_str()
        ),
        ("bomb.jsonl.gz", "1")
    );
    let rejects = csv_rows(&root.path().join("ds/rejects.csv"));
    assert_eq!(rejects[0]["input"], "bomb.jsonl.gz");
    assert_eq!(rejects[0]["reason"], "decompress");
    assert!(rejects[0]["detail"].contains("bomb"), "{:?}", rejects[0]);
    assert!(
        rejects[0]["detail"].contains("stopped in line 2"),
        "{:?}",
        rejects[0]
    );
    assert_eq!(rejects[1]["input"], "zeros.jsonl.gz");
    assert_eq!(rejects[1]["reason"], "binary");
}

/// A 50 MB single line, with a raised limit: read, cleaned and written without blowing up.
#[test]
#[ignore = "slow: a 50 MB article through the whole pipeline"]
fn fifty_megabyte_single_line() {
    let root = tempfile::tempdir().unwrap();
    let input = root.path().join("in");
    fs::create_dir(&input).unwrap();
    let mut big = String::with_capacity(51 << 20);
    let mut i = 0;
    while big.len() < 50 << 20 {
        i += 1;
        big.push_str(&format!(
            "Strike {i} hit a bakery in Aleppo, killing {} people. ",
            i % 40
        ));
    }
    fs::write(input.join("huge.txt"), &big).unwrap();
    fs::write(input.join("ok.txt"), story(1, "Fine.")).unwrap();
    let out = root.path().join("ds");
    let t = std::time::Instant::now();
    let default = run_build(&input, &out, &[]);
    assert_eq!(default.status.code(), Some(1), "default limit: a reject");
    let rejects = csv_rows(&out.join("rejects.csv"));
    assert_eq!(rejects[0]["reason"], "too_large");
    let raised = run_build(&input, &out, &["--max-article-bytes", "60000000"]);
    assert_eq!(raised.status.code(), Some(0), "raised limit: an article");
    let articles = csv_rows(&out.join("articles.csv"));
    assert_eq!(articles.len(), 2);
    eprintln!("50 MB line: both builds in {:?}", t.elapsed());
}

/// Every file of a folder with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Entries beside the dataset that a build left (temporary or old folders).
fn leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.contains("sitrep-").then_some(n)
        })
        .collect()
}

#[test]
fn killed_build_leaves_the_previous_dataset_intact() {
    let root = tempfile::tempdir().unwrap();
    let small = root.path().join("small");
    fs::create_dir(&small).unwrap();
    for i in 0..5 {
        fs::write(small.join(format!("s{i}.txt")), story(i, "Small corpus.")).unwrap();
    }
    let big = root.path().join("big");
    fs::create_dir(&big).unwrap();
    for i in 0..3000 {
        fs::write(
            big.join(format!("b{i:04}.txt")),
            story(100 + i, "The big corpus grows. ").repeat(3),
        )
        .unwrap();
    }
    let out = root.path().join("ds");
    let first = run_build(&small, &out, &["-q"]);
    assert_eq!(first.status.code(), Some(0));
    let before = snapshot(&out);
    assert!(before.contains_key("manifest.json"));

    // Kill one build at once, before it has written anything, and one as
    // soon as its temporary folder appears beside the dataset, wherever it
    // is in the write: a poll, not a fixed delay, so that it holds however
    // fast the build is.
    let mut killed_mid_write = 0;
    for mid_write in [false, true] {
        let mut child = sitrep()
            .arg("build")
            .arg(&big)
            .arg("--out")
            .arg(&out)
            .args(["-q", "-j2"])
            .spawn()
            .unwrap();
        let mut finished = false;
        while mid_write && leftovers(root.path()).is_empty() {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        assert!(
            !finished,
            "the big build finished ({status}) before its temporary folder was seen"
        );
        // The dataset at --out is the previous one, byte for byte.
        assert!(out.is_dir(), "no dataset at --out after the kill");
        assert_eq!(snapshot(&out), before, "the previous dataset changed");
        let left = leftovers(root.path());
        if !left.is_empty() {
            killed_mid_write += 1;
        }
        eprintln!(
            "killed (mid-write: {mid_write}); previous dataset intact; left beside it: {left:?}"
        );
    }
    assert!(
        killed_mid_write > 0,
        "no kill happened while the build was writing its temporary folder"
    );

    // The next build cleans up the killed builds' temporary folders.
    let again = run_build(&small, &out, &["-q"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(snapshot(&out), before, "rebuild is byte-identical");
    assert_eq!(leftovers(root.path()), Vec::<String>::new());
}

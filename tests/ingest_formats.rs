//! Discovery and reading of every input format, with the rejects each
//! kind of broken input gives, on files written to a temporary folder.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::Path;

use sitrep::ingest::{self, Limits};
use sitrep::model::{DateSource, Format, RejectReason};

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn discover_and_read_all_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "b/one.txt", b"Shelling hit the town.");
    write(d, "a.HTML", b"<html><head><title>T</title><meta property='article:published_time' content='2018-04-16T10:00'></head><body><p>Text here.</p></body></html>");
    write(d, "c.jsonl", b"{\"id\":\"x1\",\"title\":\"A\",\"text\":\"Body one.\",\"date\":\"2020-02-03\"}\n\n{bad\n{\"title\":\"no text\"}\n");
    write(d, "d.txt.gz", &gz(b"Compressed text."));
    write(d, "e.txt.gz", &gz(b"Compressed text.")[..10]);
    write(d, "f.png", b"\x89PNG\r\n");
    write(d, "g.txt", b"\x89PNG\r\n\x1a\n\0\0");
    write(d, "h.txt", b"   \n ");
    write(d, "i.txt", b"\xFF\xFEh\0i\0");
    write(d, "j.txt", b"caf\xE9 au lait");
    write(d, "README.md", b"notes");
    write(d, ".hidden.txt", b"secret");
    write(
        d,
        "metadata.csv",
        b"file,source,published,url,extra\nb/one.txt,Agency,2019-05-13,http://x,1\n",
    );
    let inputs = ingest::discover(&[d.to_path_buf()], None).unwrap();
    let rels: Vec<&str> = inputs.units.iter().map(|u| u.rel.as_str()).collect();
    assert_eq!(
        rels,
        [
            "a.HTML",
            "b/one.txt",
            "c.jsonl",
            "d.txt.gz",
            "e.txt.gz",
            "g.txt",
            "h.txt",
            "i.txt",
            "j.txt"
        ]
    );
    assert_eq!(inputs.rejects.len(), 1);
    assert_eq!(inputs.rejects[0].reason, RejectReason::UnsupportedFormat);
    let meta = inputs.metadata.as_ref().unwrap();
    let limits = Limits::default();
    let read = |i: usize| ingest::read(&inputs.units[i], &limits);

    let html = read(0).remove(0).unwrap();
    assert_eq!(html.format, Format::Html);
    assert_eq!(html.title.as_deref(), Some("T"));
    assert_eq!(html.published_source, Some(DateSource::Record));
    assert_eq!(html.text, "Text here.");

    let mut txt = read(1).remove(0).unwrap();
    meta.apply(&mut txt);
    assert_eq!(txt.source.as_deref(), Some("Agency"));
    assert_eq!(txt.published_source, Some(DateSource::Metadata));
    assert_eq!(txt.url.as_deref(), Some("http://x"));

    let jl = read(2);
    assert_eq!(jl.len(), 3);
    let first = jl[0].as_ref().unwrap();
    assert_eq!(
        (first.line, first.external_id.as_deref()),
        (Some(1), Some("x1"))
    );
    let bad = jl[1].as_ref().unwrap_err();
    assert_eq!(
        (bad.input.as_str(), bad.reason),
        ("c.jsonl#L3", RejectReason::MalformedJson)
    );
    assert_eq!(jl[2].as_ref().unwrap_err().reason, RejectReason::NoText);

    assert_eq!(read(3)[0].as_ref().unwrap().text, "Compressed text.");
    assert_eq!(
        read(4)[0].as_ref().unwrap_err().reason,
        RejectReason::Decompress
    );
    assert_eq!(
        read(5)[0].as_ref().unwrap_err().reason,
        RejectReason::Binary
    );
    assert_eq!(read(6)[0].as_ref().unwrap_err().reason, RejectReason::Empty);
    assert_eq!(read(7)[0].as_ref().unwrap().text, "hi");
    let j = read(8).remove(0).unwrap();
    assert_eq!(j.text, "café au lait");
    assert!(j.decode_notes.contains(&"windows-1252".to_string()));

    let small = Limits {
        max_article_bytes: 5,
        ..Limits::default()
    };
    assert_eq!(
        ingest::read(&inputs.units[1], &small)[0]
            .as_ref()
            .unwrap_err()
            .reason,
        RejectReason::TooLarge
    );
    let bomb = Limits {
        max_decompressed_bytes: 4,
        ..Limits::default()
    };
    let r = ingest::read(&inputs.units[3], &bomb);
    assert!(r[0].as_ref().unwrap_err().detail.contains("bomb"));
}

#[test]
fn missing_input_and_bad_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    assert!(matches!(
        ingest::discover(&[d.join("nope")], None),
        Err(sitrep::Error::MissingInput(_))
    ));
    write(d, "a.txt", b"Text.");
    write(d, "m1.csv", b"name,source\nx,y\n");
    write(d, "m2.csv", b"file,published\na.txt,13/05/2019\n");
    for m in ["m1.csv", "m2.csv"] {
        let e = ingest::discover(&[d.join("a.txt")], Some(&d.join(m))).unwrap_err();
        assert!(matches!(e, sitrep::Error::Metadata { .. }), "{e}");
    }
    let e = ingest::discover(&[d.join("a.txt")], Some(&d.join("m2.csv"))).unwrap_err();
    assert!(e.to_string().contains("YYYY-MM-DD"));
    // A file given directly is named by its file name.
    let inputs = ingest::discover(&[d.join("a.txt")], None).unwrap();
    assert_eq!(inputs.units[0].rel, "a.txt");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_rejected_and_build_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "sub/a.txt", b"Text.");
    std::os::unix::fs::symlink(d.join("sub"), d.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(d.join("missing"), d.join("dangling.txt")).unwrap();
    let inputs = ingest::discover(&[d.to_path_buf()], None).unwrap();
    assert_eq!(inputs.units.len(), 1);
    let reasons: Vec<_> = inputs
        .rejects
        .iter()
        .map(|r| (r.input.as_str(), r.reason))
        .collect();
    assert!(
        reasons.contains(&("sub/loop", RejectReason::Unreadable)),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("dangling.txt", RejectReason::Unreadable)),
        "{reasons:?}"
    );
}

//! Micro-benchmarks of each stage of the pipeline, so that a regression shows
//! in the stage that has it: loading the dictionaries (the whole [`Lexicon`]
//! and each part), cleaning, segmenting, each extractor, resolving whole
//! articles, the three together, and writing Parquet + CSV.
//!
//! Inputs: the `.txt` sample articles in `data/articles/` (our own fictional
//! reporting, always present), with the published date of their file name,
//! as the build would get it from `metadata.csv`. Throughput is in bytes of
//! the stage's input: raw text for cleaning, the cleaned body for the rest;
//! the writers count rows and the bytes they wrote.
//!
//! ```text
//! cargo bench --bench stages              # all
//! cargo bench --bench stages -- extract   # the names that match
//! ```

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use sitrep::Lexicon;
use sitrep::model::{CleanDoc, DateSource, RawDoc, Sentence};
use sitrep::resolve::{self, ArticleOutput};
use sitrep::tables::Table;
use sitrep::write::{DatasetWriter, ManifestInfo};

fn main() {
    divan::main();
}

static LEX: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::load().expect("the built-in dictionaries load"));

/// The sample articles at each stage.
struct Sample {
    raws: Vec<RawDoc>,
    /// Cleaned and segmented.
    docs: Vec<(CleanDoc, Vec<Sentence>)>,
    raw_bytes: usize,
    body_bytes: usize,
}

static SAMPLE: LazyLock<Sample> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("data/articles is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let raws: Vec<RawDoc> = paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(p).expect("a sample article is UTF-8 text");
            let mut raw = RawDoc::plain(&name, &text);
            raw.published = name
                .get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            raw.published_source = raw.published.map(|_| DateSource::Metadata);
            raw
        })
        .collect();
    assert!(!raws.is_empty(), "no .txt articles in {}", dir.display());
    let lex = &*LEX;
    let docs: Vec<(CleanDoc, Vec<Sentence>)> = raws
        .iter()
        .filter_map(|r| lex.cleaner.clean(r.clone()).ok())
        .map(|doc| {
            let sentences = lex.segmenter.segment(&doc);
            (doc, sentences)
        })
        .collect();
    Sample {
        raw_bytes: raws.iter().map(|r| r.text.len()).sum(),
        body_bytes: docs.iter().map(|(d, _)| d.body.len()).sum(),
        raws,
        docs,
    }
});

/// Loading the built-in data files and compiling their matchers: most of
/// the start-up time of a build.
mod load {
    use super::*;

    #[divan::bench(sample_count = 10)]
    fn lexicon() -> Lexicon {
        Lexicon::load().expect("loads")
    }

    /// One benchmark per dictionary: `part!(name, Type)` times `Type::new()`.
    macro_rules! part {
        ($name:ident, $ty:ty) => {
            #[divan::bench(sample_count = 10)]
            fn $name() -> $ty {
                <$ty>::new().expect("loads")
            }
        };
    }

    part!(cleaner, sitrep::clean::Cleaner);
    part!(segmenter, sitrep::segment::Segmenter);
    part!(places, sitrep::extract::place::Places);
    part!(actors, sitrep::extract::actor::Actors);
    part!(dates, sitrep::extract::date::Dates);
    part!(counts, sitrep::extract::count::Counts);
    part!(triggers, sitrep::extract::event::Triggers);
}

/// Cleaning the raw text (boilerplate, encodings, NFC, title and dateline).
#[divan::bench]
fn clean(bencher: Bencher) {
    let (lex, s) = (&*LEX, &*SAMPLE);
    bencher
        .counter(BytesCount::new(s.raw_bytes))
        .with_inputs(|| s.raws.clone())
        .bench_local_values(|raws| {
            raws.into_iter()
                .map(|r| lex.cleaner.clean(r))
                .collect::<Vec<_>>()
        });
}

/// Splitting cleaned bodies into sentences.
#[divan::bench]
fn segment(bencher: Bencher) {
    let (lex, s) = (&*LEX, &*SAMPLE);
    bencher.counter(BytesCount::new(s.body_bytes)).bench(|| {
        s.docs
            .iter()
            .map(|(doc, _)| lex.segmenter.segment(doc))
            .collect::<Vec<_>>()
    });
}

/// Each extractor alone, over the segmented sample.
mod extract {
    use super::*;

    fn each<O>(bencher: Bencher, f: impl Fn(&Lexicon, &CleanDoc, &[Sentence]) -> O + Sync) {
        let (lex, s) = (&*LEX, &*SAMPLE);
        bencher.counter(BytesCount::new(s.body_bytes)).bench(|| {
            s.docs
                .iter()
                .map(|(doc, sentences)| f(lex, doc, sentences))
                .collect::<Vec<_>>()
        });
    }

    #[divan::bench]
    fn places(bencher: Bencher) {
        each(bencher, |lex, doc, sentences| {
            lex.places.extract(doc, sentences)
        });
    }

    #[divan::bench]
    fn actors(bencher: Bencher) {
        each(bencher, |lex, doc, sentences| {
            lex.actors.extract(doc, sentences)
        });
    }

    #[divan::bench]
    fn dates(bencher: Bencher) {
        each(bencher, |lex, doc, _| {
            lex.dates.extract(&doc.body, doc.published)
        });
    }

    /// Counts are read per clause in a build; here per sentence.
    #[divan::bench]
    fn counts(bencher: Bencher) {
        each(bencher, |lex, doc, sentences| {
            sentences
                .iter()
                .map(|s| lex.counts.extract(&doc.body, s.span))
                .collect::<Vec<_>>()
        });
    }

    /// Event triggers, sentence by sentence.
    #[divan::bench]
    fn triggers(bencher: Bencher) {
        each(bencher, |lex, doc, sentences| {
            sentences
                .iter()
                .map(|s| lex.triggers.detect(&doc.body, s))
                .collect::<Vec<_>>()
        });
    }

    /// The era an undated article's words place it in.
    #[divan::bench]
    fn era(bencher: Bencher) {
        each(bencher, |lex, doc, _| lex.actors.infer_era(&doc.body));
    }
}

/// Resolving whole articles: every extractor, then merging mentions into
/// events and their rows (what a build does per article after segmenting).
#[divan::bench]
fn resolve(bencher: Bencher) {
    let (lex, s) = (&*LEX, &*SAMPLE);
    bencher
        .counter(BytesCount::new(s.body_bytes))
        .with_inputs(|| s.docs.clone())
        .bench_local_values(|docs| {
            docs.into_iter()
                .map(|(doc, sentences)| resolve::article(doc, &sentences, lex))
                .collect::<Vec<_>>()
        });
}

/// Clean, segment and resolve from raw text: one core's share of a build,
/// without reading files and writing the dataset.
#[divan::bench]
fn article(bencher: Bencher) {
    let (lex, s) = (&*LEX, &*SAMPLE);
    bencher
        .counter(BytesCount::new(s.raw_bytes))
        .with_inputs(|| s.raws.clone())
        .bench_local_values(|raws| {
            raws.into_iter()
                .filter_map(|raw| lex.cleaner.clean(raw).ok())
                .map(|doc| {
                    let sentences = lex.segmenter.segment(&doc);
                    resolve::article(doc, &sentences, lex)
                })
                .collect::<Vec<_>>()
        });
}

/// Copies of the sample's rows: a few thousand events.
const WRITE_COPIES: usize = 40;

/// The tables of WRITE_COPIES copies of the resolved sample.
static TABLES: LazyLock<Vec<Table>> = LazyLock::new(|| {
    let (lex, s) = (&*LEX, &*SAMPLE);
    let outs: Vec<ArticleOutput> = s
        .docs
        .iter()
        .map(|(doc, sentences)| resolve::article(doc.clone(), sentences, lex))
        .collect();
    let copies = || (0..WRITE_COPIES).flat_map(|_| outs.iter());
    vec![
        Table::from_rows(copies().map(|o| o.article.clone())),
        Table::from_rows(copies().flat_map(|o| o.events.iter().cloned())),
        Table::from_rows(copies().flat_map(|o| o.mentions.iter().cloned())),
        Table::from_rows(copies().flat_map(|o| o.event_actors.iter().cloned())),
        Table::from_rows(copies().flat_map(|o| o.event_locations.iter().cloned())),
        Table::from_rows(copies().flat_map(|o| o.actors.iter().cloned())),
        Table::from_rows(copies().flat_map(|o| o.locations.iter().cloned())),
    ]
});

fn write_dataset(dir: &Path, tables: &[Table]) -> sitrep::write::Written {
    let mut writer = DatasetWriter::create(&dir.join("dataset")).expect("a writer in a tempdir");
    for table in tables {
        writer.append(table).expect("append");
    }
    writer.finish(&ManifestInfo::default()).expect("finish")
}

/// Writing the dataset (Parquet, CSV, datapackage.json, manifest.json) of
/// a few thousand rows into a temporary folder. Counts rows and bytes written.
#[divan::bench(sample_count = 20)]
fn write(bencher: Bencher) {
    let tables = &*TABLES;
    let rows: usize = tables.iter().map(Table::num_rows).sum();
    let probe = tempfile::tempdir().expect("a tempdir");
    let written = write_dataset(probe.path(), tables);
    let bytes: u64 = written.files.iter().map(|f| f.bytes).sum();
    bencher
        .counter(ItemsCount::new(rows))
        .counter(BytesCount::new(bytes))
        .with_inputs(|| tempfile::tempdir().expect("a tempdir"))
        .bench_local_values(|dir| {
            write_dataset(dir.path(), tables);
            dir
        });
}

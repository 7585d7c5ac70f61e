//! The batch build: inputs are read (JSON Lines streamed a line at a
//! time), cleaned, segmented, extracted and resolved in parallel
//! (order-preserving, in batches so memory stays flat), then streamed to
//! the dataset by a writer thread, which also removes duplicate articles
//! and collects the actor and location dimension tables while the workers
//! process the next batch.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::clean::Cleaner;
use crate::error::{Error, Result};
use crate::extract::{actor::Actors, count::Counts, date::Dates, event::Triggers, place::Places};
use crate::ingest::{self, Job, Limits, Metadata};
use crate::model::{CleanDoc, Reject, RejectReason, Sentence};
use crate::resolve::{self, ArticleOutput};
use crate::segment::Segmenter;
use crate::tables::rows::{
    ActorRow, ArticleRow, EventActorRow, EventLocationRow, EventMentionRow, EventRow, LocationRow,
    RejectRow,
};
use crate::tables::{Row, Table};
use crate::write::{DatasetWriter, ManifestInfo, Written};

/// Every compiled dictionary and rule set, built once and shared read-only.
pub struct Lexicon {
    pub cleaner: Cleaner,
    pub segmenter: Segmenter,
    pub places: Places,
    pub actors: Actors,
    pub dates: Dates,
    pub counts: Counts,
    pub triggers: Triggers,
    /// The actors ACLED's conventions imply (civilians, protesters, the other side).
    pub implicit: crate::resolve::ImplicitActors,
    /// Print the resolver's merge decisions (`SITREP_TRACE_RESOLVE`), read once.
    pub trace_resolve: bool,
}

impl Lexicon {
    /// Loads the data files built into the binary and compiles their
    /// matchers. The two costly parts (the event triggers and the cleaner's
    /// rules) compile side by side on the current rayon pool.
    pub fn load() -> Result<Lexicon> {
        let ((triggers, places), (cleaner, rest)) = rayon::join(
            || (Triggers::new(), Places::new()),
            || {
                let rest = || -> Result<_> {
                    Ok((
                        Actors::new()?,
                        Dates::new()?,
                        Counts::new()?,
                        Segmenter::new()?,
                    ))
                };
                (Cleaner::new(), rest())
            },
        );
        let (actors, dates, counts, segmenter) = rest?;
        Ok(Lexicon {
            cleaner: cleaner?,
            segmenter,
            places: places?,
            implicit: crate::resolve::ImplicitActors::new(&actors)?,
            trace_resolve: std::env::var_os("SITREP_TRACE_RESOLVE").is_some(),
            actors,
            dates,
            counts,
            triggers: triggers?,
        })
    }
}

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folders (searched recursively) and files of articles.
    pub inputs: Vec<PathBuf>,
    /// The dataset folder to write (replaced atomically).
    pub out: PathBuf,
    /// A metadata CSV (`file,source,published,url`); by default a
    /// `metadata.csv` in the input folder is used when present.
    pub metadata: Option<PathBuf>,
    /// Worker threads; `None` = one per core.
    pub threads: Option<usize>,
    pub limits: Limits,
    /// Show a progress bar (only meaningful on a terminal).
    pub progress: bool,
}

/// The outcome of a build.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub written: Written,
    pub n_articles: u64,
    pub n_events: u64,
    pub n_rejects: u64,
    /// Rejects counted by reason.
    pub rejects_by_reason: BTreeMap<&'static str, u64>,
}

/// How many jobs (files or JSON Lines records) are processed in parallel
/// before their rows are written. Each batch ends with the workers waiting
/// for its last run; with two threads on 10 MB, batches of 1024 built
/// 5-7% faster than batches of 512, and 2048 no faster than 1024.
pub const CHUNK: usize = 1024;

/// Jobs resolved together, one extractor at a time (see
/// [`resolve::articles`]); a batch is shared out among the workers in runs
/// of this many. Longer runs keep the caches warmer (with one thread, 256
/// took less CPU time than 64, and 64 less than 16); shorter ones share a
/// batch out more evenly (with two threads, 64 beat 32 and 128), and a
/// batch of [`CHUNK`] jobs makes sixteen runs.
const RUN: usize = 64;

/// A batch also ends once its JSON Lines records hold this many bytes, so
/// a batch of long records stays small.
const CHUNK_BYTES: usize = 64 << 20;

/// Builds a dataset from `opts.inputs` into `opts.out`.
///
/// The inputs are read in their sorted order, JSON Lines files streamed
/// line by line, and cut into batches of up to [`CHUNK`] jobs; each
/// batch is processed in parallel, in runs of 64 jobs (`RUN`), while one
/// worker reads the next, and its rows are handed to the writer thread.
/// Where a batch ends depends only on the input, never on the thread
/// count, so the output does not either; memory holds a few batches (one
/// read ahead, one processed, one waiting for the writer, one being
/// written), never a whole file.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {:?} threads: {e}", opts.threads)))?;
    let lexicon = pool.install(Lexicon::load)?;
    let mut inputs = ingest::discover(&opts.inputs, opts.metadata.as_deref())?;
    let metadata = inputs.metadata.take().unwrap_or_default();
    let progress = progress_bar(opts.progress, inputs.units.len() as u64);

    let writer = DatasetWriter::create(&opts.out)?;
    let mut state = Collector::default();
    for reject in inputs.rejects {
        state.reject(reject);
    }
    // The writer thread takes one batch while the workers process the next;
    // the channel holds at most one finished batch, so memory stays flat.
    let (finished, batches) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(1);
    std::thread::scope(|scope| {
        let writing = scope.spawn(move || write_batches(state, writer, batches));
        let mut jobs = ingest::jobs(&inputs.units, &opts.limits);
        let mut batch = next_batch(&mut jobs);
        // Input files read to their end once this batch is processed (the
        // reader is one batch ahead of the progress shown).
        let mut batch_done = jobs.units_done();
        while !batch.is_empty() {
            // The next batch is read (and, for JSON Lines, decompressed and
            // parsed) by one worker while the others process this one, so no
            // worker waits for input between batches.
            let (outputs, next) = pool.install(|| {
                rayon::join(
                    || {
                        batch
                            .par_drain(..)
                            .chunks(RUN)
                            .flat_map_iter(|run| process(run, &lexicon, &metadata, &opts.limits))
                            .collect::<Vec<Outcome>>()
                    },
                    || next_batch(&mut jobs),
                )
            });
            batch = next;
            if finished.send(outputs).is_err() {
                // The writer stopped on an error; joining it returns the error.
                break;
            }
            progress.set_position(batch_done);
            batch_done = jobs.units_done();
        }
        drop(finished);
        progress.finish_and_clear();
        writing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The next jobs, up to [`CHUNK`] of them or [`CHUNK_BYTES`] held in memory.
fn next_batch(jobs: &mut ingest::Jobs) -> Vec<Job> {
    let mut batch = Vec::with_capacity(CHUNK);
    let mut held = 0;
    while batch.len() < CHUNK && held < CHUNK_BYTES {
        let Some(job) = jobs.next() else { break };
        held += job.held_bytes();
        batch.push(job);
    }
    batch
}

/// The writer thread: dedups, collects the dimension tables and streams
/// each batch's rows to the dataset, then finishes it.
fn write_batches(
    mut state: Collector,
    mut writer: DatasetWriter,
    batches: std::sync::mpsc::Receiver<Vec<Outcome>>,
) -> Result<BuildReport> {
    for outputs in batches {
        for outcome in outputs {
            match outcome {
                Outcome::Article(article) => state.article(*article),
                Outcome::Reject(reject) => state.reject(reject),
            }
        }
        state.flush(&mut writer)?;
    }
    state.finish(writer)
}

enum Outcome {
    Article(Box<ArticleOutput>),
    Reject(Reject),
}

/// Runs a run of jobs (files or JSON Lines records) through the pipeline;
/// the outcomes come in the jobs' order.
fn process(run: Vec<Job>, lex: &Lexicon, metadata: &Metadata, limits: &Limits) -> Vec<Outcome> {
    let prepare = |job: Job| -> std::result::Result<(CleanDoc, Vec<Sentence>), Reject> {
        let mut raw = job.read(limits)?;
        metadata.apply(&mut raw);
        let doc = lex.cleaner.clean(raw)?;
        let sentences = lex.segmenter.segment(&doc);
        Ok((doc, sentences))
    };
    // The articles go on together; each reject keeps its place among them.
    let mut docs = Vec::with_capacity(run.len());
    let mut order = Vec::with_capacity(run.len());
    for job in run {
        match prepare(job) {
            Ok(doc) => {
                docs.push(doc);
                order.push(None);
            }
            Err(reject) => order.push(Some(reject)),
        }
    }
    let mut resolved = resolve::articles(docs, lex).into_iter();
    order
        .into_iter()
        .filter_map(|slot| match slot {
            Some(reject) => Some(Outcome::Reject(reject)),
            None => resolved.next().map(|a| Outcome::Article(Box::new(a))),
        })
        .collect()
}

/// The writer-side state: duplicates, dimension tables, buffered rows.
#[derive(Default)]
struct Collector {
    /// Content hash -> the input that had it first (for `duplicate_of`).
    /// These two maps are all that grows with the corpus, so their keys
    /// are 128-bit digests, not strings.
    seen_content: HashMap<u128, Box<str>>,
    seen_ids: std::collections::HashSet<u128>,
    actors: BTreeMap<String, ActorRow>,
    locations: BTreeMap<String, LocationRow>,
    rejects: Vec<RejectRow>,
    pending: Vec<ArticleOutput>,
    fingerprint: Sha256,
    n_inputs: u64,
    n_articles: u64,
    n_events: u64,
}

impl Collector {
    fn reject(&mut self, reject: Reject) {
        self.n_inputs += 1;
        self.fingerprint.update(format!(
            "reject\0{}\0{}\n",
            reject.input,
            reject.reason.as_str()
        ));
        self.rejects.push(RejectRow {
            input: reject.input,
            reason: reject.reason.as_str(),
            detail: reject.detail,
        });
    }

    /// Takes one article's rows (written at the batch's [`Collector::flush`]),
    /// or records it as a duplicate.
    fn article(&mut self, mut out: ArticleOutput) {
        let input = input_name(&out.article.source_file, out.article.line);
        if let Some(first) = self.seen_content.get(&key128(&out.article.content_sha256)) {
            let detail = format!("duplicate_of {first}");
            self.reject(Reject::new(input, RejectReason::Duplicate, detail));
            return;
        }
        if !self.seen_ids.insert(key128(&out.article.article_id)) {
            // Two records of one file share an id (a JSONL `id` reused with
            // other content): keep both, the later one keyed by its line too.
            let line = out.article.line.unwrap_or_default().to_string();
            let new_id = crate::resolve::stable_id("a", &[&out.article.article_id, &line]);
            out.rekey(&new_id);
            self.seen_ids.insert(key128(&new_id));
        }
        self.n_inputs += 1;
        self.fingerprint.update(format!(
            "article\0{input}\0{}\n",
            out.article.content_sha256
        ));
        self.seen_content
            .insert(key128(&out.article.content_sha256), input.into());
        self.n_articles += 1;
        self.n_events += out.events.len() as u64;
        // First seen wins; a dimension row is cloned only for its key.
        for actor in std::mem::take(&mut out.actors) {
            if !self.actors.contains_key(&actor.actor_id) {
                self.actors.insert(actor.actor_id.clone(), actor);
            }
        }
        for location in std::mem::take(&mut out.locations) {
            if !self.locations.contains_key(&location.location_id) {
                self.locations
                    .insert(location.location_id.clone(), location);
            }
        }
        self.pending.push(out);
    }

    /// Writes the buffered per-article rows.
    fn flush(&mut self, writer: &mut DatasetWriter) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut articles = Table::new(ArticleRow::DEF);
        let mut events = Table::new(EventRow::DEF);
        let mut mentions = Table::new(EventMentionRow::DEF);
        let mut event_actors = Table::new(EventActorRow::DEF);
        let mut event_locations = Table::new(EventLocationRow::DEF);
        // The rows move into the columns: the writer thread copies no text.
        for o in std::mem::take(&mut self.pending) {
            articles.push(o.article);
            events.extend(o.events);
            mentions.extend(o.mentions);
            event_actors.extend(o.event_actors);
            event_locations.extend(o.event_locations);
        }
        for table in [articles, events, mentions, event_actors, event_locations] {
            writer.append(&table)?;
        }
        Ok(())
    }

    fn finish(mut self, mut writer: DatasetWriter) -> Result<BuildReport> {
        self.flush(&mut writer)?;
        // (The writer itself writes every table that got no rows.)
        writer.append(&Table::from_rows(
            std::mem::take(&mut self.actors).into_values(),
        ))?;
        writer.append(&Table::from_rows(
            std::mem::take(&mut self.locations).into_values(),
        ))?;
        let mut rejects_by_reason = BTreeMap::new();
        for r in &self.rejects {
            *rejects_by_reason.entry(r.reason).or_insert(0) += 1;
        }
        let n_rejects = self.rejects.len() as u64;
        self.rejects.sort();
        writer.append(&Table::from_rows(std::mem::take(&mut self.rejects)))?;
        let info = ManifestInfo {
            input_fingerprint: hex::encode(self.fingerprint.clone().finalize()),
            n_inputs: self.n_inputs,
        };
        let written = writer.finish(&info)?;
        Ok(BuildReport {
            written,
            n_articles: self.n_articles,
            n_events: self.n_events,
            n_rejects,
            rejects_by_reason,
        })
    }
}

/// A 128-bit digest of an id or hash (two seeded xxHash64s): collisions
/// are out of reach for any corpus, and a key costs 16 bytes.
fn key128(s: &str) -> u128 {
    let hi = twox_hash::XxHash64::oneshot(0x7369_7472_6570_0001, s.as_bytes());
    let lo = twox_hash::XxHash64::oneshot(0x7369_7472_6570_0002, s.as_bytes());
    (u128::from(hi) << 64) | u128::from(lo)
}

/// How an input is named in `rejects.input`: the file, or `file#L<n>` for a JSONL record.
pub fn input_name(source_file: &str, line: Option<i64>) -> String {
    match line {
        Some(n) => format!("{source_file}#L{n}"),
        None => source_file.to_string(),
    }
}

fn progress_bar(show: bool, len: u64) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} inputs [{bar:30}] {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

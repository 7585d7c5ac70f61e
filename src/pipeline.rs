//! The batch build: inputs are read (JSON Lines streamed a line at a
//! time) and cut into runs of jobs; the workers clean, segment, extract
//! and resolve each run as it comes; the writer thread takes the runs
//! back in input order, removes duplicate articles, collects the actor
//! and location dimension tables and streams the rows to the dataset,
//! a batch at a time.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

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

/// How many jobs (files or JSON Lines records) make a batch, whose rows
/// are appended to the tables together. Where batches end can move where
/// the Parquet row groups end, so it depends only on the input.
pub const CHUNK: usize = 1024;

/// Jobs resolved together, one extractor at a time (see
/// [`resolve::articles`]); the workers take the input in runs of this
/// many, and a batch of [`CHUNK`] jobs makes sixteen of them. Longer runs
/// keep the caches warmer (with one thread, 256 took less CPU time than
/// 64, and 64 less than 16).
const RUN: usize = 64;

/// A batch also ends once its JSON Lines records hold this many bytes, so
/// a batch of long records stays small.
const CHUNK_BYTES: usize = 64 << 20;

/// Builds a dataset from `opts.inputs` into `opts.out`.
///
/// The inputs are read in their sorted order, JSON Lines files streamed
/// line by line, and cut into runs of up to 64 jobs (`RUN`), which the
/// workers take as they come, while this thread reads on. The writer
/// thread takes the finished runs back in input order and writes each
/// batch of [`CHUNK`] jobs as it completes. No worker waits for a batch
/// to end; where a batch ends depends only on the input, never on the
/// thread count, so the output does not either. Memory holds the runs
/// between the reader and the writer (at most `WINDOW_RUNS` of them, and
/// `WINDOW_BYTES` of JSON Lines records) and the batch being written,
/// never a whole file.
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
    let window = Window::default();
    let (done, finished) = std::sync::mpsc::channel::<Done>();
    let report = std::thread::scope(|scope| {
        let writing = {
            let (window, progress) = (&window, progress.clone());
            scope.spawn(move || write_runs(state, writer, finished, window, &progress))
        };
        let mut runs = Runs::new(ingest::jobs(&inputs.units, &opts.limits));
        pool.in_place_scope_fifo(|workers| {
            for run in runs.by_ref() {
                // Waits while the window is full; stops when the writer has.
                if !window.enter(run.tag.held) {
                    break;
                }
                let done = done.clone();
                let (lexicon, metadata) = (&lexicon, &metadata);
                workers.spawn_fifo(move |_| {
                    let Run { tag, jobs } = run;
                    let outcomes = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        process(jobs, lexicon, metadata, &opts.limits)
                    }));
                    // A send fails only once the writer has stopped on an error.
                    let _ = done.send(match outcomes {
                        Ok(outcomes) => Done::Run(tag, outcomes),
                        Err(panic) => Done::Panicked(panic),
                    });
                });
            }
        });
        // Only now may the writer finish the dataset: every run was handed out.
        let _ = done.send(Done::End { runs: runs.seq });
        drop(done);
        writing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    progress.finish_and_clear();
    report
}

/// A run of jobs as the reader cut it.
struct Run {
    tag: RunTag,
    jobs: Vec<Job>,
}

/// What the writer needs to know of a run, besides its outcomes.
#[derive(Debug, Clone, Copy)]
struct RunTag {
    /// Its place among the runs, from 0.
    seq: u64,
    /// Bytes its JSON Lines records hold (counted in the window).
    held: usize,
    /// Whether it is the last run of a batch.
    ends_batch: bool,
    /// Input files read to their end when it was cut (for the progress bar).
    units_done: u64,
}

/// Cuts the jobs into batches of up to [`CHUNK`] jobs or [`CHUNK_BYTES`]
/// held, and each batch into runs of up to [`RUN`] jobs.
struct Runs<'a> {
    jobs: ingest::Jobs<'a>,
    /// Runs cut so far.
    seq: u64,
    batch_jobs: usize,
    batch_held: usize,
}

impl<'a> Runs<'a> {
    fn new(jobs: ingest::Jobs<'a>) -> Runs<'a> {
        Runs {
            jobs,
            seq: 0,
            batch_jobs: 0,
            batch_held: 0,
        }
    }
}

impl Iterator for Runs<'_> {
    type Item = Run;

    fn next(&mut self) -> Option<Run> {
        let mut jobs = Vec::with_capacity(RUN);
        let (mut held, mut ends_batch) = (0, false);
        while jobs.len() < RUN {
            let Some(job) = self.jobs.next() else { break };
            let bytes = job.held_bytes();
            jobs.push(job);
            held += bytes;
            self.batch_jobs += 1;
            self.batch_held += bytes;
            if self.batch_jobs >= CHUNK || self.batch_held >= CHUNK_BYTES {
                (self.batch_jobs, self.batch_held, ends_batch) = (0, 0, true);
                break;
            }
        }
        if jobs.is_empty() {
            return None;
        }
        let tag = RunTag {
            seq: self.seq,
            held,
            ends_batch,
            units_done: self.jobs.units_done(),
        };
        self.seq += 1;
        Some(Run { tag, jobs })
    }
}

/// Runs handed to the workers and not yet written, at most.
const WINDOW_RUNS: usize = 2 * CHUNK / RUN;

/// JSON Lines bytes those runs may hold (a run is let in past it only
/// when no other is out).
const WINDOW_BYTES: usize = 2 * CHUNK_BYTES;

/// The runs between the reader and the writer: the reader waits while
/// too many are out, the writer lets one go as it takes it, and either
/// side can close it (the writer when it stops, so the reader stops too).
#[derive(Default)]
struct Window {
    state: std::sync::Mutex<WindowState>,
    changed: std::sync::Condvar,
}

#[derive(Default)]
struct WindowState {
    runs: usize,
    bytes: usize,
    closed: bool,
}

impl Window {
    fn lock(&self) -> std::sync::MutexGuard<'_, WindowState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a run in once there is room; false once the window is closed.
    fn enter(&self, bytes: usize) -> bool {
        let mut s = self.lock();
        while !s.closed && s.runs > 0 && (s.runs >= WINDOW_RUNS || s.bytes >= WINDOW_BYTES) {
            s = self
                .changed
                .wait(s)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        if s.closed {
            return false;
        }
        s.runs += 1;
        s.bytes += bytes;
        true
    }

    fn leave(&self, bytes: usize) {
        let mut s = self.lock();
        s.runs = s.runs.saturating_sub(1);
        s.bytes = s.bytes.saturating_sub(bytes);
        self.changed.notify_all();
    }

    fn close(&self) {
        self.lock().closed = true;
        self.changed.notify_all();
    }
}

/// Closes the window when dropped: however the writer stops (done, an
/// error, a panic), the reader does not wait for it.
struct CloseOnDrop<'a>(&'a Window);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// What the workers and the reader tell the writer.
enum Done {
    /// A run's outcomes, in its jobs' order.
    Run(RunTag, Vec<Outcome>),
    /// A worker panicked; the writer stops and passes the panic on.
    Panicked(Box<dyn std::any::Any + Send>),
    /// Every run was handed out; there were this many.
    End { runs: u64 },
}

/// The writer thread: takes the runs back in input order, dedups,
/// collects the dimension tables and streams each batch's rows to the
/// dataset, then finishes it, but only when the reader said every run
/// was handed out and each one came back; otherwise the dataset is
/// dropped unwritten.
fn write_runs(
    mut state: Collector,
    mut writer: DatasetWriter,
    finished: std::sync::mpsc::Receiver<Done>,
    window: &Window,
    progress: &indicatif::ProgressBar,
) -> Result<BuildReport> {
    let _close = CloseOnDrop(window);
    let mut early = BTreeMap::new();
    let (mut next, mut total) = (0, None);
    for done in finished {
        match done {
            Done::Run(tag, outcomes) => {
                early.insert(tag.seq, (tag, outcomes));
            }
            Done::Panicked(panic) => std::panic::resume_unwind(panic),
            Done::End { runs } => total = Some(runs),
        }
        while let Some((tag, outcomes)) = early.remove(&next) {
            next += 1;
            window.leave(tag.held);
            for outcome in outcomes {
                match outcome {
                    Outcome::Article(article) => state.article(*article),
                    Outcome::Reject(reject) => state.reject(reject),
                }
            }
            if tag.ends_batch {
                state.flush(&mut writer)?;
            }
            progress.set_position(tag.units_done);
        }
    }
    if total != Some(next) {
        return Err(Error::Write {
            path: writer.out().to_path_buf(),
            detail: format!(
                "the build stopped after {next} runs of articles, before all of them were processed; the dataset was not replaced"
            ),
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn run_of(seq: u64, inputs: &[&str]) -> Done {
        let tag = RunTag {
            seq,
            held: 0,
            ends_batch: seq % 2 == 1,
            units_done: seq + 1,
        };
        let outcomes = inputs
            .iter()
            .map(|i| Outcome::Reject(Reject::new(*i, RejectReason::Empty, "")))
            .collect();
        Done::Run(tag, outcomes)
    }

    /// Sends `dones` to the writer of a dataset in `dir` and returns its result.
    fn write_into(dir: &tempfile::TempDir, dones: Vec<Done>) -> Result<BuildReport> {
        let writer = DatasetWriter::create(&dir.path().join("dataset")).expect("writer");
        let (tx, rx) = mpsc::channel();
        for d in dones {
            tx.send(d).expect("send");
        }
        drop(tx);
        let progress = indicatif::ProgressBar::hidden();
        write_runs(
            Collector::default(),
            writer,
            rx,
            &Window::default(),
            &progress,
        )
    }

    /// [`write_into`] a fresh folder, returned with the result.
    fn write(dones: Vec<Done>) -> (Result<BuildReport>, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("tempdir");
        (write_into(&dir, dones), dir)
    }

    /// Entries left in the folder that holds the dataset.
    fn leftovers(dir: &tempfile::TempDir) -> usize {
        std::fs::read_dir(dir.path()).expect("read_dir").count()
    }

    fn fingerprint(dir: &tempfile::TempDir) -> String {
        let manifest =
            std::fs::read_to_string(dir.path().join("dataset/manifest.json")).expect("manifest");
        let json: serde_json::Value = serde_json::from_str(&manifest).expect("manifest JSON");
        json["input_fingerprint"]
            .as_str()
            .expect("an input_fingerprint")
            .to_string()
    }

    #[test]
    fn runs_are_written_in_input_order_whatever_order_they_finish_in() {
        let (in_order, a) = write(vec![
            run_of(0, &["a", "b"]),
            run_of(1, &["c"]),
            run_of(2, &["d"]),
            Done::End { runs: 3 },
        ]);
        let (shuffled, b) = write(vec![
            run_of(2, &["d"]),
            Done::End { runs: 3 },
            run_of(0, &["a", "b"]),
            run_of(1, &["c"]),
        ]);
        // The same inputs under other run numbers are another order.
        let (reordered, c) = write(vec![
            run_of(0, &["c"]),
            run_of(1, &["a", "b"]),
            run_of(2, &["d"]),
            Done::End { runs: 3 },
        ]);
        for r in [&in_order, &shuffled, &reordered] {
            assert_eq!(r.as_ref().expect("written").n_rejects, 4);
        }
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }

    #[test]
    fn a_build_that_stops_early_leaves_no_dataset() {
        // No end: the reader stopped (a panic) before handing out every run.
        let (result, dir) = write(vec![run_of(0, &["a"]), run_of(1, &["b"])]);
        let err = result.expect_err("an incomplete build is an error");
        assert!(err.to_string().contains("stopped after 2 runs"), "{err}");
        assert_eq!(leftovers(&dir), 0, "no dataset, no staging folder");
        // A run missing before the end: a worker's outcome never came back.
        let (result, dir) = write(vec![
            run_of(0, &["a"]),
            run_of(2, &["c"]),
            Done::End { runs: 3 },
        ]);
        assert!(result.is_err());
        assert_eq!(leftovers(&dir), 0);
    }

    #[test]
    fn a_worker_panic_reaches_the_caller_and_leaves_no_dataset() {
        let dir = tempfile::tempdir().expect("tempdir");
        let panicked = std::panic::catch_unwind(|| {
            let worker_fell = Done::Panicked(Box::new("worker fell over"));
            write_into(
                &dir,
                vec![run_of(0, &["a"]), worker_fell, Done::End { runs: 1 }],
            )
        });
        let payload = panicked.expect_err("the panic is passed on");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"worker fell over"));
        assert_eq!(leftovers(&dir), 0);
    }

    #[test]
    fn the_window_holds_the_reader_until_a_run_is_written_or_it_closes() {
        let window = Window::default();
        for _ in 0..WINDOW_RUNS {
            assert!(window.enter(0));
        }
        std::thread::scope(|s| {
            let waiting = s.spawn(|| window.enter(0));
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!waiting.is_finished(), "a full window lets no run in");
            window.leave(0);
            assert!(waiting.join().expect("reader"), "a run left, one comes in");
        });
        std::thread::scope(|s| {
            let waiting = s.spawn(|| window.enter(0));
            window.close();
            assert!(
                !waiting.join().expect("reader"),
                "a closed window stops the reader"
            );
        });
        // The byte bound: past it no other run comes in, but one run
        // larger than it still goes in when none is out.
        let big = Window::default();
        assert!(big.enter(WINDOW_BYTES * 2));
        std::thread::scope(|s| {
            let waiting = s.spawn(|| big.enter(0));
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(
                !waiting.is_finished(),
                "a window over its bytes lets no run in"
            );
            big.leave(WINDOW_BYTES * 2);
            assert!(waiting.join().expect("reader"));
        });
    }

    #[test]
    fn runs_end_where_batches_end() {
        let dir = tempfile::tempdir().expect("tempdir");
        let n = CHUNK + RUN / 2;
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!("{{\"id\":\"r{i}\",\"text\":\"x\"}}\n"));
        }
        std::fs::write(dir.path().join("feed.jsonl"), text).expect("write");
        let inputs = ingest::discover(&[dir.path().to_path_buf()], None).expect("discover");
        let runs: Vec<Run> = Runs::new(ingest::jobs(&inputs.units, &Limits::default())).collect();
        let sizes: Vec<usize> = runs.iter().map(|r| r.jobs.len()).collect();
        assert_eq!(sizes.iter().sum::<usize>(), n);
        assert!(sizes.iter().all(|&k| k <= RUN));
        let ends: Vec<u64> = runs
            .iter()
            .filter(|r| r.tag.ends_batch)
            .map(|r| r.tag.seq)
            .collect();
        assert_eq!(ends, vec![(CHUNK / RUN - 1) as u64]);
        assert!(runs.iter().enumerate().all(|(i, r)| r.tag.seq == i as u64));
    }
}

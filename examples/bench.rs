//! Throughput and memory benchmark of `sitrep build` at scale.
//!
//! For each corpus written by `examples/bench_corpus.rs`, each of its forms
//! (a folder of `.txt` files, one `.jsonl.gz`) and each thread count, runs
//! the release binary as a child process (`sitrep build -q -j N INPUT -o
//! OUT`) and measures its wall time, CPU time and peak resident memory (the
//! child's own, from `wait4`), then reads the dataset it built for the
//! number of articles, sentences, events and rejects. Also measures
//! start-up: the median of several builds of one small article, which is
//! mostly loading the dictionaries and compiling the matchers.
//!
//! With `--pair`, each corpus form is also built by two one-thread builds
//! started together: what two independent builds get from two cores, the
//! reference against which the speed-up of `-j 2` is read on a machine
//! whose neighbours take a varying share.
//!
//! Prints a Markdown table and writes it to `<WORK>/results.md`.
//!
//! ```text
//! cargo build --release --bins --examples
//! ./target/release/examples/bench_corpus --size-mb 100
//! ./target/release/examples/bench --corpus target/bench/corpus-100mb --threads 1,2
//! ```
//!
//! sitrep exits 1 when some inputs were rejected; that is not a failure
//! here (the rejects are counted). Exit 2 or more, or a signal, is.

use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use arrow_array::{Array, Int64Array};
use clap::{Parser, ValueEnum};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use wait4::Wait4;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[derive(Parser, Debug)]
#[command(about = "Times `sitrep build` on benchmark corpora")]
struct Args {
    /// A corpus folder written by bench_corpus (repeatable).
    #[arg(long = "corpus", required = true)]
    corpora: Vec<PathBuf>,
    /// Thread counts to run, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    threads: Vec<usize>,
    /// Corpus forms to run, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "txt,jsonl")]
    formats: Vec<Form>,
    /// The sitrep binary.
    #[arg(long, default_value = "target/release/sitrep")]
    bin: PathBuf,
    /// Folder for the built datasets, logs and results.md.
    #[arg(long, default_value = "target/bench")]
    work: PathBuf,
    /// Builds of one small article whose median is the start-up time (0: skip).
    #[arg(long, default_value_t = 10)]
    startup_runs: usize,
    /// Builds per corpus form and thread count; the fastest is reported, since
    /// a slower run measures what else the machine was doing.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Keep the built datasets (by default each is removed once counted).
    #[arg(long)]
    keep: bool,
    /// Also run two one-thread builds side by side (the row "1+1").
    #[arg(long)]
    pair: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
enum Form {
    /// The folder of .txt files with its metadata.csv.
    Txt,
    /// The one corpus.jsonl.gz.
    Jsonl,
}

impl Form {
    fn name(self) -> &'static str {
        match self {
            Form::Txt => "txt",
            Form::Jsonl => "jsonl.gz",
        }
    }
}

/// The part of `corpus.json` the runner needs.
#[derive(serde::Deserialize)]
struct CorpusInfo {
    articles: u64,
    text_bytes: u64,
    jsonl_bytes: u64,
    txt_dir: String,
    jsonl: String,
}

/// What one child process used.
struct Usage {
    wall: Duration,
    cpu: Duration,
    max_rss: u64,
    /// Exit code; `None` when killed by a signal.
    code: Option<i32>,
}

/// The counts of a built dataset.
#[derive(Default)]
struct Counts {
    articles: u64,
    sentences: u64,
    events: u64,
    rejects: u64,
}

struct Row {
    corpus: String,
    form: Form,
    threads: usize,
    /// Two one-thread builds side by side: `usage` is their sum (CPU time,
    /// the larger peak RSS), its wall time until both had finished.
    pair: bool,
    text_bytes: u64,
    usage: Usage,
    counts: Option<Counts>,
}

fn main() {
    match run() {
        Ok(true) => {}
        Ok(false) => std::process::exit(2),
        Err(e) => {
            eprintln!("bench: {e}");
            std::process::exit(2);
        }
    }
}

/// Ok(false) when some build failed.
fn run() -> Res<bool> {
    let args = Args::parse();
    if !args.bin.is_file() {
        return Err(format!(
            "{} not found: run `cargo build --release --bins --examples` first",
            args.bin.display()
        )
        .into());
    }
    std::fs::create_dir_all(&args.work)?;
    let mut report = String::new();
    let version = Command::new(&args.bin).arg("--version").output()?;
    // The load before the first build says how busy the machine was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .map_or(String::new(), |l| {
            format!(", load average {l} at the start")
        });
    writeln!(
        report,
        "# sitrep build benchmark\n\n{} on {} cores{load}; `{}`.\n",
        String::from_utf8_lossy(&version.stdout).trim(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::args().collect::<Vec<_>>().join(" ")
    )?;
    let mut ok = true;

    if args.startup_runs > 0 {
        writeln!(
            report,
            "Start-up (median of {} builds of one small article):\n",
            args.startup_runs
        )?;
        for &threads in &args.threads {
            let (wall, cpu, rss) = startup(&args, threads)?;
            let line = format!(
                "`-j {threads}`: {:.3} s wall, {:.3} CPU s, {:.0} MiB peak RSS",
                wall.as_secs_f64(),
                cpu.as_secs_f64(),
                mib(rss)
            );
            writeln!(report, "- {line}")?;
            eprintln!("start-up {line}");
        }
        writeln!(report)?;
    }

    let mut rows = Vec::new();
    for corpus in &args.corpora {
        let info: CorpusInfo =
            serde_json::from_slice(&std::fs::read(corpus.join("corpus.json")).map_err(|e| {
                format!(
                    "{}: {e} (write it with bench_corpus)",
                    corpus.join("corpus.json").display()
                )
            })?)?;
        let name = corpus.file_name().map_or_else(
            || corpus.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        writeln!(
            report,
            "Corpus `{name}`: {} articles, {:.1} MB of text.",
            info.articles,
            info.text_bytes as f64 / 1e6
        )?;
        for &form in &args.formats {
            for &threads in &args.threads {
                let row = measure(&args, corpus, &name, &info, form, threads)?;
                ok &= row.counts.is_some();
                rows.push(row);
            }
            if args.pair {
                let row = measure_pair(&args, corpus, &name, &info, form)?;
                ok &= row.counts.is_some();
                rows.push(row);
            }
        }
    }
    writeln!(report)?;
    report.push_str(&table(&rows));
    if args.runs > 1 {
        writeln!(report, "\nEach row is the fastest of {} builds.", args.runs)?;
    }
    writeln!(
        report,
        "\nMB = 10^6 bytes of article text (the `.txt` files: title line and body). \
         MB/s per core = MB/s / threads. Peak RSS is the sitrep process's own (`wait4`). \
         CPU s = its user + system time; cores busy = CPU s / wall, the cores the build kept busy \
         on average (with one thread the writer thread runs beside the worker). MB per CPU s moves \
         less with what else the machine runs than wall times and the speed-up (wall with the \
         fewest threads / wall with these) do, but on shared cores it moves too. \
         The row \"1+1\" is two one-thread builds started together, counted as the work of \
         both (its speed-up: twice the one-thread wall time / its wall). \
         The inputs are in the page cache (just written)."
    )?;
    print!("{report}");
    let results = args.work.join("results.md");
    std::fs::write(&results, &report)?;
    eprintln!("wrote {}", results.display());
    Ok(ok)
}

/// Builds one form of one corpus with `threads` threads.
fn measure(
    args: &Args,
    corpus: &Path,
    name: &str,
    info: &CorpusInfo,
    form: Form,
    threads: usize,
) -> Res<Row> {
    let label = format!("{name}-{}-j{threads}", form.name().replace('.', "-"));
    let out = args.work.join("out").join(&label);
    remove_dataset(&out)?;
    let cmd = build_args(corpus, &out, info, form, threads);
    eprintln!("{label}: sitrep {}", cmd.join(" "));
    let log = args.work.join("logs").join(format!("{label}.log"));
    let mut usage = run_child(&args.bin, &cmd, &log)?;
    for _ in 1..args.runs {
        if !matches!(usage.code, Some(0 | 1)) {
            break;
        }
        remove_dataset(&out)?;
        let again = run_child(&args.bin, &cmd, &log)?;
        eprintln!("{label}: run {:.1} s", again.wall.as_secs_f64());
        if again.wall < usage.wall {
            usage = again;
        }
    }
    let counts = match usage.code {
        Some(0 | 1) => Some(dataset_counts(&out)?),
        code => {
            eprintln!(
                "{label}: sitrep failed ({}); its log {}:\n{}",
                code.map_or("killed by a signal".into(), |c| format!("exit {c}")),
                log.display(),
                tail(&log)
            );
            None
        }
    };
    eprintln!(
        "{label}: {:.1} s, {:.0} MiB",
        usage.wall.as_secs_f64(),
        mib(usage.max_rss)
    );
    if !args.keep {
        remove_dataset(&out)?;
    }
    Ok(Row {
        corpus: name.to_string(),
        form,
        threads,
        pair: false,
        text_bytes: info.text_bytes,
        usage,
        counts,
    })
}

/// The arguments of `sitrep build` for one form of `corpus`: its folder
/// of `.txt` files or its `.jsonl.gz`.
fn build_args(
    corpus: &Path,
    out: &Path,
    info: &CorpusInfo,
    form: Form,
    threads: usize,
) -> Vec<String> {
    let input = match form {
        Form::Txt => corpus.join(&info.txt_dir),
        Form::Jsonl => corpus.join(&info.jsonl),
    };
    let mut cmd: Vec<String> = vec![
        "build".into(),
        "-q".into(),
        "-j".into(),
        threads.to_string(),
        input.display().to_string(),
        "-o".into(),
        out.display().to_string(),
    ];
    if form == Form::Jsonl {
        // The default ceiling (1 GiB) is below the decompressed size of the largest corpora.
        let ceiling = (info.jsonl_bytes + (1 << 20)).max(1 << 30);
        cmd.extend(["--max-decompressed-bytes".into(), ceiling.to_string()]);
    }
    cmd
}

/// Builds one form of one corpus twice at once, each with one thread.
fn measure_pair(args: &Args, corpus: &Path, name: &str, info: &CorpusInfo, form: Form) -> Res<Row> {
    let base = format!("{name}-{}-pair", form.name().replace('.', "-"));
    let mut children = Vec::new();
    let start = Instant::now();
    for side in ["a", "b"] {
        let label = format!("{base}-{side}");
        let out = args.work.join("out").join(&label);
        remove_dataset(&out)?;
        let cmd = build_args(corpus, &out, info, form, 1);
        eprintln!("{label}: sitrep {}", cmd.join(" "));
        let log = args.work.join("logs").join(format!("{label}.log"));
        let child = spawn_child(&args.bin, &cmd, &log)?;
        children.push((child, out, log));
    }
    let mut usage = Usage {
        wall: Duration::ZERO,
        cpu: Duration::ZERO,
        max_rss: 0,
        code: Some(0),
    };
    let mut counts = None;
    for (mut child, out, log) in children {
        let r = child.wait4()?;
        // Until the later of the two is done (counting its rows is not timed).
        usage.wall = usage.wall.max(start.elapsed());
        usage.cpu += r.rusage.utime + r.rusage.stime;
        usage.max_rss = usage.max_rss.max(r.rusage.maxrss);
        let code = r.status.code();
        if matches!(code, Some(0 | 1)) {
            // Both built the same corpus: one dataset's counts stand for both.
            if counts.is_none() {
                counts = Some(dataset_counts(&out)?);
            }
        } else {
            usage.code = code;
            eprintln!(
                "{base}: sitrep failed; its log {}:\n{}",
                log.display(),
                tail(&log)
            );
        }
        if !args.keep {
            remove_dataset(&out)?;
        }
    }
    let counts = counts.filter(|_| matches!(usage.code, Some(0 | 1)));
    eprintln!("{base}: {:.1} s for both", usage.wall.as_secs_f64());
    Ok(Row {
        corpus: name.to_string(),
        form,
        threads: 1,
        pair: true,
        text_bytes: info.text_bytes,
        usage,
        counts,
    })
}

/// Runs `bin args`, stderr to `log`, and waits for it with `wait4`, so the
/// peak RSS and CPU time are this child's own.
fn run_child(bin: &Path, args: &[String], log: &Path) -> Res<Usage> {
    let start = Instant::now();
    let mut child = spawn_child(bin, args, log)?;
    let r = child.wait4()?;
    Ok(Usage {
        wall: start.elapsed(),
        cpu: r.rusage.utime + r.rusage.stime,
        max_rss: r.rusage.maxrss,
        code: r.status.code(),
    })
}

/// Starts `bin args` with its stderr in `log`.
fn spawn_child(bin: &Path, args: &[String], log: &Path) -> Res<std::process::Child> {
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir)?;
    }
    Ok(Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(log)?)
        .spawn()?)
}

/// Median wall time, CPU time and peak RSS of building one small article
/// with `threads` threads (the dictionaries compile on that many).
fn startup(args: &Args, threads: usize) -> Res<(Duration, Duration, u64)> {
    let dir = args.work.join("startup");
    let input = dir.join("in");
    std::fs::create_dir_all(&input)?;
    std::fs::write(
        input.join("tiny.txt"),
        "Shelling kills two in village near Idlib\n\n\
         Government forces shelled the village of Kafr Nabl in Idlib province on Monday, \
         killing two civilians and wounding five others, a monitoring group said.\n",
    )?;
    let out = dir.join("out");
    let cmd: Vec<String> = ["build", "-q", "-j"]
        .into_iter()
        .map(String::from)
        .chain([
            threads.to_string(),
            input.display().to_string(),
            "-o".into(),
            out.display().to_string(),
        ])
        .collect();
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..args.startup_runs {
        remove_dataset(&out)?;
        let u = run_child(&args.bin, &cmd, &dir.join("startup.log"))?;
        if !matches!(u.code, Some(0 | 1)) {
            return Err(
                format!("start-up build failed: {}", tail(&dir.join("startup.log"))).into(),
            );
        }
        walls.push(u.wall);
        cpus.push(u.cpu);
        rss.push(u.max_rss);
    }
    remove_dataset(&out)?;
    walls.sort();
    cpus.sort();
    rss.sort();
    let mid = walls.len() / 2;
    Ok((walls[mid], cpus[mid], rss[mid]))
}

/// Articles, events and rejects from `manifest.json`; sentences summed from
/// `articles.parquet`'s `n_sentences` (only that column is read).
fn dataset_counts(out: &Path) -> Res<Counts> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json"))?)?;
    let rows = |table: &str| manifest["tables"][table]["rows"].as_u64().unwrap_or(0);
    let file = File::open(out.join("articles.parquet"))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), ["n_sentences"]);
    let mut sentences = 0u64;
    for batch in builder.with_projection(mask).build()? {
        let batch = batch?;
        let col = batch
            .column(0)
            .as_any()
            .downcast_ref::<Int64Array>()
            .ok_or("articles.n_sentences is not Int64")?;
        sentences += col.iter().flatten().map(|n| n.max(0) as u64).sum::<u64>();
    }
    Ok(Counts {
        articles: rows("articles"),
        sentences,
        events: rows("events"),
        rejects: rows("rejects"),
    })
}

fn table(rows: &[Row]) -> String {
    let mut s = String::from(
        "| corpus | format | threads | wall s | MB/s | MB/s per core | articles/s | sentences/s \
         | articles | sentences | events | rejects | peak RSS MiB | CPU s | cores busy | MB per CPU s | speed-up |\n\
         |---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for r in rows {
        let secs = r.usage.wall.as_secs_f64();
        // A pair did the corpus's work twice, on two cores.
        let (builds, cores) = if r.pair {
            (2.0, 2.0)
        } else {
            (1.0, r.threads as f64)
        };
        let text_bytes = r.text_bytes as f64 * builds;
        let mbs = text_bytes / 1e6 / secs;
        let base = rows
            .iter()
            .filter(|o| o.corpus == r.corpus && o.form == r.form && !o.pair && o.counts.is_some())
            .min_by_key(|o| o.threads)
            // a pair is read against a one-thread build, or not at all
            .filter(|b| !r.pair || b.threads == 1);
        let speedup = match base {
            Some(b) if (b.threads < r.threads || r.pair) && r.counts.is_some() => {
                format!("×{:.2}", builds * b.usage.wall.as_secs_f64() / secs)
            }
            _ => "—".into(),
        };
        let threads = if r.pair {
            "1+1".to_string()
        } else {
            r.threads.to_string()
        };
        let _ = match &r.counts {
            Some(c) => writeln!(
                s,
                "| {} | {} | {} | {:.1} | {:.2} | {:.2} | {:.0} | {:.0} | {} | {} | {} | {} | {:.0} | {:.1} | {:.2} | {:.2} | {} |",
                r.corpus,
                r.form.name(),
                threads,
                secs,
                mbs,
                mbs / cores,
                builds * c.articles as f64 / secs,
                builds * c.sentences as f64 / secs,
                c.articles,
                c.sentences,
                c.events,
                c.rejects,
                mib(r.usage.max_rss),
                r.usage.cpu.as_secs_f64(),
                r.usage.cpu.as_secs_f64() / secs,
                text_bytes / 1e6 / r.usage.cpu.as_secs_f64().max(1e-9),
                speedup
            ),
            None => writeln!(
                s,
                "| {} | {} | {} | {:.1} | failed ({}) | | | | | | | | {:.0} | {:.1} | | | |",
                r.corpus,
                r.form.name(),
                threads,
                secs,
                r.usage
                    .code
                    .map_or("signal".into(), |c| format!("exit {c}")),
                mib(r.usage.max_rss),
                r.usage.cpu.as_secs_f64(),
            ),
        };
    }
    s
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Removes a dataset folder left by an earlier run (only one sitrep wrote).
fn remove_dataset(out: &Path) -> Res<()> {
    if out.join("manifest.json").is_file() {
        std::fs::remove_dir_all(out)?;
    }
    Ok(())
}

/// The last lines of a log file.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

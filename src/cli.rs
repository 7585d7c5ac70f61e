//! The command line: `sitrep build`, with clap's derive. Doc comments are the help.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Turn a folder of news articles about armed conflict into a research
/// dataset: ACLED-typed events with actors, places, dates and fatalities,
/// each traceable to its sentence, as Parquet + CSV + datapackage.json.
#[derive(Debug, Parser)]
#[command(name = "sitrep", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the dataset from folders or files of articles.
    Build(BuildArgs),
    /// Compare two dataset folders row by row and field by field.
    Diff(DiffArgs),
    /// Score a built dataset against gold annotations (score.py's measures).
    Eval(EvalArgs),
    /// Work on the gazetteer (data/gazetteer.tsv).
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FailOnArg {
    Any,
    Added,
    Removed,
    Changed,
    None,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The older dataset folder (datapackage.json and tables).
    pub old: PathBuf,
    /// The newer dataset folder.
    pub new: PathBuf,
    /// Output format: text for a terminal, markdown for a pull-request
    /// comment, json for machines (documented in docs/diff-json.md).
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Exit 1 when differences of this kind exist (none: always 0 when the comparison worked).
    #[arg(long, value_enum, default_value = "none")]
    pub fail_on: FailOnArg,
    /// Compare only this table (repeatable).
    #[arg(long = "table", value_name = "NAME")]
    pub tables: Vec<String>,
    /// Show at most N changed, added or removed rows per table (json shows all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The dataset folder to score.
    pub dataset: PathBuf,
    /// The gold: a TOML file like tests/cases/corpus_expected.toml, or a
    /// folder with seeds.gold.jsonl and seeds.articles.gold.jsonl.
    #[arg(long, default_value = "tests/cases/corpus_expected.toml")]
    pub gold: PathBuf,
    /// Print the scores as JSON.
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when the event F1 is below this.
    #[arg(long, value_name = "F1")]
    pub min_f1: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Regenerate the gazetteer from its sources (GeoNames and UCDP GED extracts
    /// plus the curated data/regions.tsv).
    Build {
        /// The folder of source files (geonames-*.tsv/txt, ucdp-ged-syria-places.csv).
        #[arg(long)]
        sources: PathBuf,
        /// Where to write the gazetteer.
        #[arg(short, long, default_value = "data/gazetteer.tsv")]
        out: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Folders (searched recursively) or files: .txt, .html/.htm,
    /// .jsonl/.ndjson, and the .gz of each. Default: the sample corpus in
    /// data/articles.
    pub inputs: Vec<PathBuf>,

    /// The dataset folder to write; replaced as a whole when the build succeeds.
    #[arg(short, long, default_value = "dataset")]
    pub out: PathBuf,

    /// A metadata CSV with columns file,source,published,url. Default: a
    /// metadata.csv in the (first) input folder, when there is one.
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,

    /// Worker threads (default: one per core). The output is the same whatever the count.
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,

    /// Largest article (file, or decompressed .gz) in bytes; larger inputs are rejected as too_large.
    #[arg(long, default_value_t = 20 << 20, value_name = "BYTES")]
    pub max_article_bytes: u64,

    /// Longest JSON Lines record in bytes; longer lines are rejected as too_large.
    #[arg(long, default_value_t = 20 << 20, value_name = "BYTES")]
    pub max_line_bytes: u64,

    /// Largest decompressed size of one .gz input in bytes, against "gzip
    /// bombs": a .txt.gz or .html.gz that inflates past it is rejected whole;
    /// a .jsonl.gz is streamed, so its records within the first BYTES are
    /// kept and the rest of the file is one decompress reject. (A plain
    /// .jsonl has no size limit: it is read a line at a time.)
    #[arg(long, default_value_t = 1 << 30, value_name = "BYTES")]
    pub max_decompressed_bytes: u64,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

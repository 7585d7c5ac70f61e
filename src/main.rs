//! The `sitrep` binary: parse the command line, run, print errors, exit.
//! Exit codes: 0 = every input became an article; 1 = the dataset was
//! written but some inputs were rejected; 2 = nothing was written.

mod cli;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{BuildArgs, Cli, Command, DiffArgs, DiffFormat, EvalArgs, FailOnArg, GazetteerCommand};
use sitrep::ingest::Limits;

/// Workers allocate many short-lived strings and vectors per article; mimalloc's
/// per-thread heaps serve them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Diff(args) => diff(args),
        Command::Eval(args) => eval(args),
        Command::Gazetteer(GazetteerCommand::Build { sources, out }) => {
            gazetteer_build(&sources, &out)
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("sitrep: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// The sample corpus shipped with the source, used when no input is given.
fn default_inputs() -> Vec<PathBuf> {
    vec![
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join("articles"),
    ]
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let inputs = if args.inputs.is_empty() {
        default_inputs()
    } else {
        args.inputs
    };
    let opts = sitrep::BuildOptions {
        inputs,
        out: args.out.clone(),
        metadata: args.metadata,
        threads: args.threads,
        limits: Limits {
            max_article_bytes: args.max_article_bytes,
            max_line_bytes: args.max_line_bytes,
            max_decompressed_bytes: args.max_decompressed_bytes,
        },
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    let report =
        sitrep::build(&opts).with_context(|| format!("building {}", args.out.display()))?;
    if !args.quiet {
        eprintln!(
            "sitrep: {} articles, {} events, {} rejected -> {}",
            report.n_articles,
            report.n_events,
            report.n_rejects,
            report.written.out.display()
        );
        for (reason, n) in &report.rejects_by_reason {
            eprintln!("  rejected {n} as {reason} (see rejects.csv)");
        }
    }
    Ok(if report.n_rejects == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn diff(args: DiffArgs) -> anyhow::Result<ExitCode> {
    use sitrep::diff::{self, FailOn};
    let limit = match args.format {
        DiffFormat::Json => usize::MAX,
        _ => args.limit,
    };
    let opts = diff::DiffOptions {
        tables: args.tables,
        limit,
    };
    let result = diff::diff_datasets(&args.old, &args.new, &opts).with_context(|| {
        format!(
            "comparing {} with {}",
            args.old.display(),
            args.new.display()
        )
    })?;
    let text = match args.format {
        DiffFormat::Text => diff::render_text(&result, limit),
        DiffFormat::Markdown => diff::render_markdown(&result, limit),
        DiffFormat::Json => diff::render_json(&result, limit),
    };
    print!("{text}");
    let fail_on = match args.fail_on {
        FailOnArg::Any => FailOn::Any,
        FailOnArg::Added => FailOn::Added,
        FailOnArg::Removed => FailOn::Removed,
        FailOnArg::Changed => FailOn::Changed,
        FailOnArg::None => FailOn::None,
    };
    Ok(ExitCode::from(diff::exit_code(&result, fail_on)))
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let score = sitrep::eval::score(&args.dataset, &args.gold).with_context(|| {
        format!(
            "scoring {} against {}",
            args.dataset.display(),
            args.gold.display()
        )
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&score)?);
    } else {
        print!("{score}");
    }
    let below = args.min_f1.is_some_and(|min| score.summary.f1 < min);
    Ok(if below {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn gazetteer_build(sources: &std::path::Path, out: &std::path::Path) -> anyhow::Result<ExitCode> {
    let stats = sitrep::gazetteer::build::build_gazetteer(sources, out)
        .with_context(|| format!("building the gazetteer from {}", sources.display()))?;
    eprintln!(
        "sitrep: wrote {} ({} entries)",
        out.display(),
        stats.entries
    );
    Ok(ExitCode::SUCCESS)
}

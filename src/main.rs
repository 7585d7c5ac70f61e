//! The `sitrep` binary: parse the command line, run, print errors, exit.
//! Exit codes: 0 = every input became an article; 1 = the dataset was
//! written but some inputs were rejected; 2 = nothing was written.

mod cli;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{BuildArgs, Cli, Command};
use sitrep::ingest::Limits;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
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
            ..Limits::default()
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

# sitrep's development recipes. Everything here is also a plain cargo command.

shared := "../shared"

# List the recipes.
default:
    @just --list

# Build the dataset from the sample corpus (or: just build path/to/articles -o out).
build *args:
    cargo run --release -- build {{args}}

# Run the tests (the README's test command).
test:
    cargo test

# fmt, clippy -D warnings, docs.
lint:
    cargo fmt --all -- --check
    cargo clippy --all-targets -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc --no-deps

# Build the five real seed articles and score them against the gold.
eval out="target/eval/seeds":
    cargo run --release -- build {{shared}}/seeds --metadata {{shared}}/eval/seeds.metadata.csv -o {{out}} || [ $? -eq 1 ]
    python3 {{shared}}/eval/score.py {{out}}

# Build our own sample corpus and score it against its gold (tests/cases/corpus_expected.toml).
eval-sample out="target/eval/sample":
    cargo run --release -- build -q -o {{out}}
    cargo run --release -- eval {{out}}

# Build the 804 FA-KES articles (converted to JSON Lines in target/, never committed).
fakes out="target/eval/fakes":
    mkdir -p target/eval
    cargo run --release --example fakes_to_jsonl -- {{shared}}/corpora/fa-kes/FA-KES-Dataset.csv target/eval/fakes.jsonl
    time cargo run --release -- build target/eval/fakes.jsonl -o {{out}} || [ $? -eq 1 ]

# Run the CI script locally.
ci:
    bash .ci/run

# Throughput and memory at scale: FA-KES and the seed articles repeated (perturbed)
# to SIZE MB of text, built from .txt files and from JSON Lines with 1 and 2
# threads; the table is also written to target/bench/results.md.
bench size="100":
    cargo build --release --bins --examples
    ./target/release/examples/bench_corpus --size-mb {{size}} --out target/bench/corpus-{{size}}mb
    ./target/release/examples/bench --corpus target/bench/corpus-{{size}}mb --formats txt,jsonl --threads 1,2

# Per-stage micro-benchmarks: dictionary load, clean, segment, each extractor, resolve, write.
bench-stages:
    cargo bench --bench stages

# Accept the current sample dataset as the reviewed one CI compares against.
bless:
    cargo run -- build -q -o tests/expected/sample

# Compare two dataset folders (see `sitrep diff --help`).
diff old new *args:
    cargo run --release -- diff {{old}} {{new}} {{args}}

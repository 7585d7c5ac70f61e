//! Builds a large benchmark corpus from real text, without committing any of
//! it: the 804 FA-KES articles (`../shared/corpora/fa-kes/FA-KES-Dataset.csv`)
//! and the five seed articles (`../shared/seeds/*.txt`, dates and sources from
//! `../shared/eval/seeds.metadata.csv`), repeated until the article text
//! reaches `--size-mb` MB.
//!
//! Every copy after the first is perturbed so that no two articles are
//! identical (sitrep rejects exact duplicates): place names of the gazetteer
//! that occur in the texts are swapped for one another (a country for a
//! country, a village for a village), numbers for other numbers of the texts
//! of the same length, month and weekday names for other months and
//! weekdays, and day numbers next to a month for other days. Years are kept.
//! The choices come from a seeded splitmix64, so the same arguments give a
//! byte-identical corpus.
//!
//! Written to OUT (default `target/bench/corpus-<SIZE>mb`):
//! - `txt/`: one `.txt` file per article in numbered subfolders of
//!   `--per-folder` files, and `txt/metadata.csv` (`file,source,published,url`),
//!   which sitrep picks up by itself;
//! - `corpus.jsonl.gz`: the same articles as JSON Lines
//!   (`id,title,text,published,source,url`);
//! - `corpus.json`: what was written (articles, bytes of text), for the
//!   benchmark runner (`examples/bench.rs`). Written last: its presence with
//!   the same arguments means the corpus is complete, and a second run with
//!   the same arguments does nothing (`--force` rebuilds).
//!
//! ```text
//! cargo run --release --example bench_corpus -- --size-mb 100
//! ```

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use clap::Parser;
use flate2::Compression;
use flate2::write::GzEncoder;

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/fakes.rs"]
mod fakes;

/// Bumped whenever the output for the same arguments changes.
const GENERATOR_VERSION: u32 = 1;

#[derive(Parser, Debug)]
#[command(about = "Builds a large benchmark corpus of perturbed real articles")]
struct Args {
    /// Target size of article text, in MB (10^6 bytes).
    #[arg(long, default_value_t = 100)]
    size_mb: u64,
    /// Output folder [default: target/bench/corpus-<SIZE>mb].
    #[arg(long)]
    out: Option<PathBuf>,
    /// The shared data folder [default: $SITREP_SHARED, else ../shared].
    #[arg(long)]
    shared: Option<PathBuf>,
    /// Seed of the perturbations.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Text files per subfolder of `txt/`.
    #[arg(long, default_value_t = 1000)]
    per_folder: usize,
    /// Rebuild even when OUT already holds this corpus.
    #[arg(long)]
    force: bool,
}

/// What `corpus.json` records.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct CorpusInfo {
    generator_version: u32,
    size_mb: u64,
    seed: u64,
    per_folder: usize,
    /// Articles written (the same in both forms).
    articles: u64,
    /// Bytes of article text: the `.txt` files' bytes (title line + body),
    /// uncompressed. The runner divides this by wall time.
    text_bytes: u64,
    /// Bytes of the JSON Lines `title` + `text` fields.
    jsonl_text_bytes: u64,
    /// Bytes of `corpus.jsonl.gz` decompressed (sitrep's
    /// `--max-decompressed-bytes` must allow it).
    jsonl_bytes: u64,
    /// Distinct articles the copies are made from.
    base_articles: usize,
    /// How many times the base was repeated (the last copy may be partial).
    copies: u64,
    /// Article copies left out because no perturbation made them unique.
    skipped: u64,
    /// Place names, numbers swapped among each other.
    place_names: usize,
    numbers: usize,
    txt_dir: String,
    jsonl: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if args.size_mb == 0 || args.per_folder == 0 {
        return Err("--size-mb and --per-folder must be positive".into());
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("target/bench/corpus-{}mb", args.size_mb)));
    let info_path = out.join("corpus.json");
    if !args.force {
        if let Some(info) = read_info(&info_path) {
            if (
                info.generator_version,
                info.size_mb,
                info.seed,
                info.per_folder,
            ) == (GENERATOR_VERSION, args.size_mb, args.seed, args.per_folder)
            {
                eprintln!(
                    "{} already holds this corpus ({} articles, {:.1} MB of text); --force rebuilds",
                    out.display(),
                    info.articles,
                    info.text_bytes as f64 / 1e6
                );
                return Ok(());
            }
        }
    }
    let shared = args.shared.clone().unwrap_or_else(common::shared_root);
    let mut vocab = Vocab::new()?;
    let mut base = read_fakes(&shared.join("corpora/fa-kes/FA-KES-Dataset.csv"))?;
    base.extend(read_seeds(&shared)?);
    for a in &mut base {
        a.title_toks = vocab.tokenize(&a.title);
        a.text_toks = vocab.tokenize(&a.text);
    }
    eprintln!(
        "{} base articles; {} place names and {} numbers to swap",
        base.len(),
        vocab.places.len(),
        vocab.numbers.len()
    );

    // Start afresh, removing only what this program writes.
    let txt_dir = out.join("txt");
    let jsonl_path = out.join("corpus.jsonl.gz");
    for p in [&info_path, &jsonl_path] {
        if p.exists() {
            std::fs::remove_file(p)?;
        }
    }
    if txt_dir.exists() {
        std::fs::remove_dir_all(&txt_dir)?;
    }
    std::fs::create_dir_all(&txt_dir)?;

    let mut meta = csv::Writer::from_path(txt_dir.join("metadata.csv"))?;
    meta.write_record(["file", "source", "published", "url"])?;
    let mut jsonl = BufWriter::with_capacity(
        1 << 20,
        GzEncoder::new(File::create(&jsonl_path)?, Compression::default()),
    );

    let target = args.size_mb * 1_000_000;
    let mut seen: HashSet<u64> = HashSet::new();
    let (mut n, mut text_bytes, mut jsonl_text_bytes, mut jsonl_bytes) = (0u64, 0, 0, 0);
    let (mut skipped, mut copies) = (0, 0);
    let mut folder_made = u64::MAX;
    'copies: for copy in 0u64.. {
        let before = n;
        copies = copy + 1;
        for (ai, a) in base.iter().enumerate() {
            if text_bytes >= target {
                break 'copies;
            }
            let Some((title, text)) = variant(a, &vocab, &mut seen, args.seed, copy, ai as u64)
            else {
                skipped += 1;
                continue;
            };
            let folder = n / args.per_folder as u64;
            let rel = format!("{folder:05}/{n:08}_{}.txt", a.key);
            if folder != folder_made {
                std::fs::create_dir_all(txt_dir.join(format!("{folder:05}")))?;
                folder_made = folder;
            }
            let content = if title.is_empty() {
                text.clone()
            } else {
                format!("{title}\n\n{text}\n")
            };
            std::fs::write(txt_dir.join(&rel), &content)?;
            text_bytes += content.len() as u64;
            jsonl_text_bytes += (title.len() + text.len()) as u64;
            meta.write_record([
                rel.as_str(),
                a.source.as_deref().unwrap_or(""),
                a.published.as_deref().unwrap_or(""),
                a.url.as_deref().unwrap_or(""),
            ])?;
            let rec = serde_json::json!({
                "id": format!("{}-{copy}", a.key),
                "title": (!title.is_empty()).then_some(&title),
                "text": &text,
                "published": a.published,
                "source": a.source,
                "url": a.url,
            });
            let line = format!("{rec}\n");
            jsonl.write_all(line.as_bytes())?;
            jsonl_bytes += line.len() as u64;
            n += 1;
        }
        if n == before {
            return Err("a whole copy of the corpus added no article".into());
        }
    }
    meta.flush()?;
    jsonl
        .into_inner()
        .map_err(|e| e.into_error())?
        .finish()?
        .sync_all()?;

    let info = CorpusInfo {
        generator_version: GENERATOR_VERSION,
        size_mb: args.size_mb,
        seed: args.seed,
        per_folder: args.per_folder,
        articles: n,
        text_bytes,
        jsonl_text_bytes,
        jsonl_bytes,
        base_articles: base.len(),
        copies,
        skipped,
        place_names: vocab.places.len(),
        numbers: vocab.numbers.len(),
        txt_dir: "txt".into(),
        jsonl: "corpus.jsonl.gz".into(),
    };
    std::fs::write(&info_path, serde_json::to_string_pretty(&info)? + "\n")?;
    eprintln!(
        "wrote {n} articles ({:.1} MB of text, {copies} copies, {skipped} skipped) to {}",
        text_bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}

fn read_info(path: &Path) -> Option<CorpusInfo> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// One real article the copies are made from.
struct BaseArticle {
    /// A file-name-safe key: `fakes-<unit_id>` or `seed-<file stem>`.
    key: String,
    title: String,
    text: String,
    published: Option<String>,
    source: Option<String>,
    url: Option<String>,
    title_toks: Vec<Tok>,
    text_toks: Vec<Tok>,
}

impl BaseArticle {
    fn new(key: String, title: String, text: String) -> BaseArticle {
        BaseArticle {
            key,
            title,
            text,
            published: None,
            source: None,
            url: None,
            title_toks: Vec::new(),
            text_toks: Vec::new(),
        }
    }
}

/// The FA-KES articles, keyed `fakes-<unit_id>`.
fn read_fakes(path: &Path) -> Result<Vec<BaseArticle>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for f in fakes::read_fakes(path)? {
        let key: String = f
            .unit_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut a = BaseArticle::new(
            format!("fakes-{key}"),
            f.title.trim().to_string(),
            f.text.trim().to_string(),
        );
        a.published = f.published;
        a.source = Some(f.source.trim().to_string()).filter(|s| !s.is_empty());
        out.push(a);
    }
    Ok(out)
}

/// The seed articles (`seeds/*.txt`) with their metadata row, if any.
fn read_seeds(shared: &Path) -> Result<Vec<BaseArticle>, Box<dyn std::error::Error>> {
    let mut meta: HashMap<String, (String, String, String)> = HashMap::new();
    let meta_path = shared.join("eval/seeds.metadata.csv");
    let mut reader =
        csv::Reader::from_path(&meta_path).map_err(|e| format!("{}: {e}", meta_path.display()))?;
    for rec in reader.records() {
        let rec = rec?;
        let get = |i: usize| rec.get(i).unwrap_or_default().trim().to_string();
        meta.insert(get(0), (get(1), get(2), get(3)));
    }
    let dir = shared.join("seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = name.trim_end_matches(".txt");
        let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
        let mut a = BaseArticle::new(format!("seed-{stem}"), String::new(), text);
        if let Some((source, published, url)) = meta.get(&name) {
            let some = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
            a.source = some(source);
            a.published = some(published);
            a.url = some(url);
        }
        out.push(a);
    }
    Ok(out)
}

/// The article's title and text for one copy: the original for copy 0
/// (unless it duplicates an earlier article), else perturbed; `None` when
/// no attempt gave text not seen before.
fn variant(
    a: &BaseArticle,
    vocab: &Vocab,
    seen: &mut HashSet<u64>,
    seed: u64,
    copy: u64,
    article: u64,
) -> Option<(String, String)> {
    const ATTEMPTS: u64 = 8;
    let mut unseen = |title: &str, text: &str| {
        let mut h = twox_hash::XxHash64::oneshot(seed, text.as_bytes());
        h ^= twox_hash::XxHash64::oneshot(h, title.as_bytes());
        seen.insert(h)
    };
    if copy == 0 && unseen(&a.title, &a.text) {
        return Some((a.title.clone(), a.text.clone()));
    }
    for attempt in 0..ATTEMPTS {
        let mut p = Perturber::new(mix(&[seed, copy, article, attempt]));
        let title = p.render(&a.title, &a.title_toks, vocab);
        let text = p.render(&a.text, &a.text_toks, vocab);
        if unseen(&title, &text) {
            return Some((title, text));
        }
    }
    None
}

/// splitmix64: a tiny, well-mixed, seedable generator.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// One seed from several numbers.
fn mix(parts: &[u64]) -> u64 {
    let mut g = SplitMix64(0x5eed);
    for &p in parts {
        g.0 ^= p;
        g.0 = g.next();
    }
    g.0
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ABBR: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_ABBR: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// What a token of the text is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A place name: index into `Vocab::places`.
    Place(u32),
    Month {
        idx: u8,
        abbr: bool,
    },
    Weekday {
        idx: u8,
        abbr: bool,
    },
    /// A day number next to a month; `pad` for a leading zero ("05").
    Day {
        pad: bool,
    },
    /// A number: index into `Vocab::numbers`.
    Number(u32),
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
}

/// What a pattern of the automaton stands for.
#[derive(Clone, Copy)]
enum Pattern {
    /// A gazetteer name, by its index in `Vocab::names`.
    Name(usize),
    Month(u8, bool),
    Weekday(u8, bool),
}

/// The swappable words: the automaton over gazetteer names, months and
/// weekdays, and the pools of place names and numbers found in the texts.
struct Vocab {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Usable gazetteer names and their feature (country, town, village...).
    names: Vec<(String, String)>,
    /// Names found in the texts, swapped within their feature.
    places: Pool,
    /// Numbers found in the texts, swapped within their written length.
    numbers: Pool,
}

/// Strings found in the texts, in order of discovery, in classes whose
/// members are swapped for one another.
#[derive(Default)]
struct Pool {
    items: Vec<String>,
    ids: HashMap<String, u32>,
    class_of: Vec<usize>,
    classes: Vec<Vec<u32>>,
    class_ids: HashMap<String, usize>,
}

impl Pool {
    fn add(&mut self, item: &str, class: &str) -> u32 {
        if let Some(&id) = self.ids.get(item) {
            return id;
        }
        let id = self.items.len() as u32;
        let next_class = self.classes.len();
        let c = *self
            .class_ids
            .entry(class.to_string())
            .or_insert(next_class);
        if c == next_class {
            self.classes.push(Vec::new());
        }
        self.classes[c].push(id);
        self.items.push(item.to_string());
        self.ids.insert(item.to_string(), id);
        self.class_of.push(c);
        id
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    /// A member of `id`'s class (possibly `id` itself).
    fn swap(&self, id: u32, rng: &mut SplitMix64) -> u32 {
        let class = &self.classes[self.class_of[id as usize]];
        class[rng.below(class.len())]
    }

    fn get(&self, id: u32) -> &str {
        &self.items[id as usize]
    }
}

impl Vocab {
    fn new() -> Result<Vocab, Box<dyn std::error::Error>> {
        let common: HashSet<String> = include_str!("../data/place_common_words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect();
        let mut seen = HashSet::new();
        let mut strings: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut add = |s: &str, p: Pattern, strings: &mut Vec<String>| {
            if seen.insert(s.to_string()) {
                strings.push(s.to_string());
                patterns.push(p);
            }
        };
        for (i, m) in MONTHS.iter().enumerate() {
            add(m, Pattern::Month(i as u8, false), &mut strings);
        }
        for (i, m) in MONTHS_ABBR.iter().enumerate() {
            add(m, Pattern::Month(i as u8, true), &mut strings);
        }
        add("Sept", Pattern::Month(8, true), &mut strings);
        for (i, d) in WEEKDAYS.iter().enumerate() {
            add(d, Pattern::Weekday(i as u8, false), &mut strings);
        }
        for (i, d) in WEEKDAYS_ABBR.iter().enumerate() {
            add(d, Pattern::Weekday(i as u8, true), &mut strings);
        }
        for (abbr, i) in [("Tues", 1), ("Thur", 3), ("Thurs", 3)] {
            add(abbr, Pattern::Weekday(i, true), &mut strings);
        }
        let mut names = Vec::new();
        for line in include_str!("../data/gazetteer.tsv").lines().skip(1) {
            // Columns: id, name, aliases, feature, ...
            let mut cols = line.split('\t');
            let (Some(name), Some(feature)) = (cols.nth(1), cols.nth(1)) else {
                continue;
            };
            let name = name.trim();
            let usable = !line.starts_with('#')
                && name.chars().count() >= 4
                && name.chars().next().is_some_and(char::is_uppercase)
                && !common.contains(&name.to_lowercase());
            if usable {
                add(name, Pattern::Name(names.len()), &mut strings);
                names.push((name.to_string(), feature.to_string()));
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&strings)?;
        Ok(Vocab {
            ac,
            patterns,
            names,
            places: Pool::default(),
            numbers: Pool::default(),
        })
    }

    /// The swappable tokens of `text`, in order; grows the pools.
    fn tokenize(&mut self, text: &str) -> Vec<Tok> {
        let mut toks = Vec::new();
        for m in self.ac.find_iter(text) {
            if !is_word(text, m.start(), m.end()) {
                continue;
            }
            let kind = match self.patterns[m.pattern().as_usize()] {
                Pattern::Month(idx, abbr) => Kind::Month { idx, abbr },
                Pattern::Weekday(idx, abbr) => Kind::Weekday { idx, abbr },
                Pattern::Name(i) => {
                    let (name, feature) = &self.names[i];
                    Kind::Place(self.places.add(name, feature))
                }
            };
            toks.push(Tok {
                start: m.start(),
                end: m.end(),
                kind,
            });
        }
        let words = toks.clone();
        let is_month_at = |pos: usize, before: bool| {
            words.iter().any(|t| {
                matches!(t.kind, Kind::Month { .. })
                    && if before {
                        t.end + 1 == pos && text.as_bytes().get(t.end) == Some(&b' ')
                    } else {
                        t.start == pos + 1 && text.as_bytes().get(pos) == Some(&b' ')
                    }
            })
        };
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() || !number_may_start(text, i) {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || (matches!(b[i], b',' | b'.')
                        && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                        && b[i - 1].is_ascii_digit()))
            {
                i += 1;
            }
            let end = i;
            if !number_may_end(text, end) {
                // Skip the rest of this token (e.g. "1st", "10am", "10:30").
                while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b':' | b'/')) {
                    i += 1;
                }
                continue;
            }
            let s = &text[start..end];
            let plain = s.bytes().all(|c| c.is_ascii_digit());
            let value: Option<u32> = if plain { s.parse().ok() } else { None };
            let kind = match value {
                Some(1900..=2099) if s.len() == 4 => continue, // a year: kept
                Some(1..=31)
                    if s.len() <= 2 && (is_month_at(start, true) || is_month_at(end, false)) =>
                {
                    Kind::Day {
                        pad: s.starts_with('0'),
                    }
                }
                _ => Kind::Number(self.numbers.add(s, &s.len().to_string())),
            };
            toks.push(Tok { start, end, kind });
        }
        toks.sort_by_key(|t| t.start);
        toks
    }
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// True when `text[start..end]` is a whole word.
fn is_word(text: &str, start: usize, end: usize) -> bool {
    !char_before(text, start).is_some_and(char::is_alphanumeric)
        && !char_at(text, end).is_some_and(char::is_alphanumeric)
}

/// A number may start here: not inside a word, a time or a numeric date.
fn number_may_start(text: &str, i: usize) -> bool {
    !char_before(text, i).is_some_and(|c| c.is_alphanumeric() || matches!(c, ':' | '/' | '.' | ','))
}

fn number_may_end(text: &str, i: usize) -> bool {
    !char_at(text, i).is_some_and(|c| c.is_alphanumeric() || matches!(c, ':' | '/'))
}

/// The choices of one article copy: the same name becomes the same other
/// name throughout the copy (title and text), so the copy stays coherent.
struct Perturber {
    rng: SplitMix64,
    places: HashMap<u32, u32>,
    months: [Option<u8>; 12],
    weekdays: [Option<u8>; 7],
}

impl Perturber {
    fn new(seed: u64) -> Perturber {
        Perturber {
            rng: SplitMix64(seed),
            places: HashMap::new(),
            months: [None; 12],
            weekdays: [None; 7],
        }
    }

    fn render(&mut self, text: &str, toks: &[Tok], vocab: &Vocab) -> String {
        let mut out = String::with_capacity(text.len() + 64);
        let mut last = 0;
        for t in toks {
            out.push_str(&text[last..t.start]);
            last = t.end;
            match t.kind {
                Kind::Place(id) => {
                    let new = *self
                        .places
                        .entry(id)
                        .or_insert_with(|| vocab.places.swap(id, &mut self.rng));
                    out.push_str(vocab.places.get(new));
                }
                Kind::Month { idx, abbr } => {
                    let slot = &mut self.months[usize::from(idx)];
                    let new = *slot.get_or_insert_with(|| self.rng.below(12) as u8);
                    let names = if abbr { &MONTHS_ABBR } else { &MONTHS };
                    out.push_str(names[usize::from(new)]);
                }
                Kind::Weekday { idx, abbr } => {
                    let slot = &mut self.weekdays[usize::from(idx)];
                    let new = *slot.get_or_insert_with(|| self.rng.below(7) as u8);
                    let names = if abbr { &WEEKDAYS_ABBR } else { &WEEKDAYS };
                    out.push_str(names[usize::from(new)]);
                }
                Kind::Day { pad } => {
                    let day = 1 + self.rng.below(28);
                    if pad {
                        out.push_str(&format!("{day:02}"));
                    } else {
                        out.push_str(&day.to_string());
                    }
                }
                Kind::Number(id) => {
                    out.push_str(vocab.numbers.get(vocab.numbers.swap(id, &mut self.rng)));
                }
            }
        }
        out.push_str(&text[last..]);
        out
    }
}

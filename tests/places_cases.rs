//! Runs tests/cases/places.toml (our own sentences) through `Places::extract`,
//! and, when the shared corpora are present, reports the hit rate on the seed
//! gold locations and (ignored test) on FA-KES.

use sitrep::eval::place_key;
use std::path::{Path, PathBuf};

use sitrep::extract::place::{PlaceMention, Places};
use sitrep::model::{CleanDoc, RawDoc, Span};

fn doc(body: &str) -> CleanDoc {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for (i, _) in body.match_indices("\n\n") {
        paragraphs.push(Span::new(start, i));
        start = i + 2;
    }
    paragraphs.push(Span::new(start, body.len()));
    CleanDoc {
        raw: RawDoc::plain("case.txt", body),
        title: None,
        dateline: None,
        published: None,
        published_source: None,
        body: body.into(),
        paragraphs,
        captions: vec![],
        n_chars_raw: body.chars().count(),
        n_chars_clean: body.chars().count(),
    }
}

/// Finds `shared/<rel>` beside the repository (or its parent, for worktrees).
fn shared(rel: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    root.ancestors()
        .skip(1)
        .take(3)
        .map(|a| a.join("shared").join(rel))
        .find(|p| p.exists())
}

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    input: String,
    #[serde(default)]
    expect: Vec<Expect>,
    /// names that must not be found
    #[serde(default)]
    absent: Vec<String>,
    /// governorates no mention may be placed in
    #[serde(default)]
    absent_admin1: Vec<String>,
    /// the name that must strictly outrank every other mention by specificity
    /// (what resolve takes as the act's place)
    #[serde(default)]
    first: Option<String>,
}

/// The rank resolve reads: the mention's specificity, capped by its precision.
fn rank(m: &PlaceMention) -> u8 {
    m.specificity.min(m.location.specificity())
}

#[derive(serde::Deserialize)]
struct Expect {
    name: String,
    #[serde(default)]
    admin1: Option<String>,
    #[serde(default)]
    precision: Option<String>,
    #[serde(default)]
    context_only: Option<bool>,
    #[serde(default)]
    country: Option<String>,
    /// Every mention of the name has the governorate `admin1`, not one.
    #[serde(default)]
    every: bool,
}

fn show(ms: &[PlaceMention]) -> String {
    ms.iter()
        .map(|m| {
            format!(
                "{}[{}/{}/s{}{}]",
                m.location.name,
                m.location.admin1.as_deref().unwrap_or("-"),
                m.location.precision,
                m.specificity,
                if m.context_only { ",ctx" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn place_cases() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/places.toml"),
    )
    .expect("cases");
    let cases: Cases = toml::from_str(&text).expect("toml");
    assert!(cases.case.len() >= 40, "only {} cases", cases.case.len());
    let p = Places::new().expect("places");
    let mut fails = Vec::new();
    for c in &cases.case {
        let d = doc(&c.input);
        let ms = p.extract(&d, &[]);
        for e in &c.expect {
            let ok = ms.iter().any(|m| {
                m.location.name == e.name
                    && (e.admin1.is_none() || m.location.admin1 == e.admin1)
                    && e.precision
                        .as_deref()
                        .is_none_or(|x| m.location.precision == x)
                    && e.context_only.is_none_or(|x| m.context_only == x)
                    && e.country.as_deref().is_none_or(|x| m.location.country == x)
                    && d.body.get(m.span.start..m.span.end).is_some()
            });
            let all_placed = !e.every
                || ms
                    .iter()
                    .filter(|m| m.location.name == e.name)
                    .all(|m| m.location.admin1 == e.admin1);
            if !ok || !all_placed {
                fails.push(format!(
                    "{}: expected {} {:?} {:?}; got {}",
                    c.name,
                    e.name,
                    e.admin1,
                    e.precision,
                    show(&ms)
                ));
            }
        }
        // a context-only mention ranks below the precision it names
        for m in ms.iter().filter(|m| m.context_only) {
            if m.specificity >= m.location.specificity() && m.location.specificity() > 0 {
                fails.push(format!(
                    "{}: context-only {} keeps specificity {}; got {}",
                    c.name,
                    m.location.name,
                    m.specificity,
                    show(&ms)
                ));
            }
        }
        if let Some(f) = &c.first {
            let top = ms.iter().map(rank).max();
            let tops: Vec<&PlaceMention> = ms.iter().filter(|m| Some(rank(m)) == top).collect();
            if !tops.iter().all(|m| &m.location.name == f) || tops.is_empty() {
                fails.push(format!(
                    "{}: {f} must rank first alone; got {}",
                    c.name,
                    show(&ms)
                ));
            }
        }
        for a in &c.absent_admin1 {
            if ms.iter().any(|m| m.location.admin1.as_ref() == Some(a)) {
                fails.push(format!(
                    "{}: nothing may be placed in {a}; got {}",
                    c.name,
                    show(&ms)
                ));
            }
        }
        for a in &c.absent {
            if ms.iter().any(|m| &m.location.name == a || &m.unit == a) {
                fails.push(format!(
                    "{}: {a} must not be found; got {}",
                    c.name,
                    show(&ms)
                ));
            }
        }
    }
    assert!(
        fails.is_empty(),
        "{} failing:\n{}",
        fails.len(),
        fails.join("\n")
    );
}

#[test]
fn seeds_gold_locations() {
    let (Some(gold), Some(seeds)) = (shared("eval/seeds.gold.jsonl"), shared("seeds")) else {
        println!("SKIP: ../shared/eval or ../shared/seeds not present");
        return;
    };
    let p = Places::new().expect("places");
    let mut n = 0;
    let mut hits = 0;
    for line in std::fs::read_to_string(gold).expect("gold").lines() {
        let g: serde_json::Value = serde_json::from_str(line).expect("json");
        let art = g["article"].as_str().unwrap_or("");
        let body = std::fs::read_to_string(seeds.join(art)).expect("seed");
        let d = doc(&body);
        let ms = p.extract(&d, &[]);
        let loc = &g["location"];
        let mut allowed = vec![place_key(loc["name"].as_str().unwrap_or(""))];
        for a in loc["alternatives"].as_array().into_iter().flatten() {
            allowed.push(place_key(a.as_str().unwrap_or("")));
        }
        let admin1 = loc["admin1"].as_str().map(place_key);
        let found = ms.iter().any(|m| {
            (allowed.contains(&place_key(&m.location.name))
                || allowed.contains(&place_key(&m.unit)))
                && admin1
                    .as_ref()
                    .is_none_or(|a| m.location.admin1.as_deref().map(place_key).as_ref() == Some(a))
        });
        n += 1;
        hits += found as usize;
        println!(
            "{} {:<40} {:<16} {}",
            if found { "HIT " } else { "MISS" },
            g["id"].as_str().unwrap_or(""),
            loc["name"].as_str().unwrap_or(""),
            if found { String::new() } else { show(&ms) }
        );
    }
    println!(
        "seeds: {hits}/{n} gold locations found = {:.3}",
        hits as f64 / n.max(1) as f64
    );
}

/// Capitalised words after "in/of/near" that are plainly not places (for the report).
const NOT_PLACES: &[&str] = &[
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
    "Syrian",
    "Syrians",
    "President",
    "Russian",
    "Kurdish",
    "Turkish",
    "American",
    "Iranian",
    "ISIS",
    "ISIL",
    "Daesh",
    "The",
    "Use",
    "Chemical",
    "Conquest",
    "Afghan",
    "Assads",
    "Human",
    "State",
    "Islamic",
    "Defence",
    "Defense",
    "Foreign",
    "Security",
    "United",
    "Prohibition",
    "Health",
    "Nations",
    "Free",
    "Army",
];

#[test]
#[ignore]
fn fakes_locations() {
    let Some(path) = shared("corpora/fa-kes/FA-KES-Dataset.csv") else {
        println!("SKIP: ../shared/corpora/fa-kes not present");
        return;
    };
    let p = Places::new().expect("places");
    let mut rdr = csv::Reader::from_path(path).expect("csv");
    let headers = rdr.headers().expect("h").clone();
    let col = |n: &str| headers.iter().position(|h| h == n).expect("col");
    let (ci, cl) = (col("article_content"), col("location"));
    let mut n = 0;
    let mut ok = 0;
    let mut unresolved: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let t0 = std::time::Instant::now();
    for rec in rdr.records() {
        let rec = rec.expect("rec");
        let body = rec.get(ci).unwrap_or("");
        let label = rec.get(cl).unwrap_or("");
        let d = doc(body);
        let ms = p.extract(&d, &[]);
        n += 1;
        let lk = sitrep::gazetteer::fold_key(label);
        let label_entries = p.gazetteer().lookup(label);
        let hit = ms.iter().any(|m| {
            let names = [
                Some(m.location.name.as_str()),
                m.location.admin1.as_deref(),
                Some(m.unit.as_str()),
            ];
            names
                .iter()
                .flatten()
                .any(|x| sitrep::gazetteer::fold_key(x) == lk)
                || m.gazetteer_id.as_ref().is_some_and(|id| {
                    label_entries
                        .iter()
                        .any(|&i| p.gazetteer().entry(i).is_some_and(|e| &e.id == id))
                })
                || label_entries.iter().any(|&i| {
                    p.gazetteer().entry(i).is_some_and(|e| {
                        e.feature == "admin1"
                            && m.location.admin1.as_deref() == Some(e.name.as_str())
                    })
                })
        });
        ok += hit as usize;
        if !hit && std::env::var_os("FAKES_MISSES").is_some() {
            println!("MISS {label:?}: {}", show(&ms));
        }
        // capitalised words not covered by any mention, after a place cue
        let words: Vec<(usize, &str)> = body.split_whitespace().map(|w| (0, w)).collect();
        for win in words.windows(2) {
            let (cue, w) = (
                win[0].1.to_lowercase(),
                win[1].1.trim_matches(|c: char| !c.is_alphanumeric()),
            );
            if matches!(
                cue.as_str(),
                "in" | "of" | "near" | "town" | "village" | "city"
            ) && w.chars().next().is_some_and(|c| c.is_uppercase())
                && w.len() > 2
                && !NOT_PLACES.contains(&w)
                && !ms.iter().any(|m| {
                    m.location.name.contains(w)
                        || m.unit.contains(w)
                        || w.strip_suffix('s').is_some_and(|b| m.location.name == b)
                })
            {
                *unresolved.entry(w.to_string()).or_default() += 1;
            }
        }
    }
    let mut top: Vec<(String, usize)> = unresolved.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!(
        "FA-KES: {ok}/{n} articles with the labeled location among the places = {:.3} ({:?})",
        ok as f64 / n as f64,
        t0.elapsed()
    );
    println!(
        "top unresolved capitalised candidates after in/of/near/town/village/city: {:?}",
        &top[..top.len().min(10)]
    );
}

#[test]
#[ignore]
fn load_time() {
    let t0 = std::time::Instant::now();
    let p = Places::new().expect("places");
    let dt = t0.elapsed();
    println!(
        "Places::new(): {dt:?} for {} entries",
        p.gazetteer().entries.len()
    );
}

#[test]
#[ignore]
fn debug_text() {
    let t = std::env::var("PLACES_TEXT").unwrap_or_default();
    let p = Places::new().expect("places");
    for m in p.extract(&doc(&t), &[]) {
        println!(
            "{:?} {:?} {:?}",
            &t[m.span.start..m.span.end],
            m.location,
            m.context_only
        );
    }
}

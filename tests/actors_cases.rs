//! Actor cases as data (`tests/cases/actors.toml`): each sentence is run
//! through `Actors::find` and `Actors::roles`, and every expected
//! (name, kind, role) must be produced. All failing cases are reported at
//! once. A second test measures the scorer's actor-kinds check on the seed
//! articles' gold events (skipped when `../shared` is absent).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use sitrep::extract::actor::{ActorRole, Actors};
use sitrep::model::Span;

#[derive(Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    input: String,
    /// The word(s) of the event trigger; the first occurrence is used.
    trigger: Option<String>,
    date: Option<String>,
    #[serde(default)]
    expected: Vec<Expected>,
    /// Names that must not appear in any role.
    #[serde(default)]
    absent: Vec<String>,
    /// Names that must not be a source (they may have another role).
    #[serde(default)]
    not_sources: Vec<String>,
    /// When true, no other actor (non-source) may appear.
    #[serde(default)]
    exact: bool,
}

#[derive(Deserialize)]
struct Expected {
    name: String,
    kind: String,
    role: String,
    /// The words the role quotes (`actor_text`); "" for an actor the text
    /// implies without naming.
    text: Option<String>,
}

fn run(actors: &Actors, text: &str, trigger: Span, date: Option<NaiveDate>) -> Vec<ActorRole> {
    let ms = actors.find(text);
    actors.roles(text, Span::new(0, text.len()), trigger, &ms, date)
}

fn show(roles: &[ActorRole], text: &str) -> String {
    roles
        .iter()
        .map(|r| {
            format!(
                "{}={} ({}) {:?}",
                r.role.as_str(),
                r.actor.name,
                r.actor.kind,
                r.span.text(text)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn actor_cases() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/actors.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let file: CaseFile = toml::from_str(&text).unwrap();
    let actors = Actors::new().unwrap();
    let mut failures = Vec::new();
    for case in &file.case {
        let trigger = match &case.trigger {
            Some(t) => match case.input.find(t.as_str()) {
                Some(i) => Span::new(i, i + t.len()),
                None => {
                    failures.push(format!("{}: trigger {t:?} not in input", case.name));
                    continue;
                }
            },
            None => Span::default(),
        };
        let date = case
            .date
            .as_deref()
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
        let got = run(&actors, &case.input, trigger, date);
        let mut problems = Vec::new();
        for e in &case.expected {
            if !got.iter().any(|r| {
                r.actor.name == e.name
                    && r.actor.kind == e.kind
                    && r.role.as_str() == e.role
                    && e.text
                        .as_ref()
                        .is_none_or(|t| r.span.text(&case.input) == t.as_str())
            }) {
                problems.push(format!(
                    "missing {}={} ({}) {:?}",
                    e.role, e.name, e.kind, e.text
                ));
            }
        }
        for a in &case.absent {
            if got.iter().any(|r| &r.actor.name == a) {
                problems.push(format!("unexpected {a}"));
            }
        }
        for a in &case.not_sources {
            if got
                .iter()
                .any(|r| &r.actor.name == a && r.role.as_str() == "source")
            {
                problems.push(format!("unexpected source {a}"));
            }
        }
        if case.exact {
            for r in got.iter().filter(|r| r.role.as_str() != "source") {
                if !case
                    .expected
                    .iter()
                    .any(|e| e.name == r.actor.name && e.role == r.role.as_str())
                {
                    problems.push(format!("extra {}={}", r.role.as_str(), r.actor.name));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    got: {}",
                case.name,
                problems.join(", "),
                show(&got, &case.input)
            ));
        }
    }
    assert!(file.case.len() >= 60, "only {} cases", file.case.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n  {}",
        failures.len(),
        file.case.len(),
        failures.join("\n  ")
    );
}

// ------------------------------------------------------------ seed articles

/// Event words used to point at the trigger inside a gold mention, as the
/// event extractor would.
const TRIGGERS: &[&str] = &[
    "clash",
    "shell",
    "fight",
    "attack",
    "strike",
    "raid",
    "kill",
    "captur",
    "seiz",
    "target",
    "bomb",
    "pound",
    "dropp",
    "took",
    "retook",
    "entered",
    "repel",
    "launch",
    "struck",
    "combat",
    "skirmish",
    "assault",
    "offensive",
    "dead",
];

fn coarse(kind: &str) -> String {
    match kind {
        "political_militia" | "identity_militia" | "militia" => "militia".into(),
        k => k.to_string(),
    }
}

#[test]
fn seed_actor_kinds() {
    let root = common::shared_root();
    let gold_path = root.join("eval/seeds.gold.jsonl");
    let arts_path = root.join("eval/seeds.articles.gold.jsonl");
    if !gold_path.exists() || !arts_path.exists() || !root.join("seeds").exists() {
        println!("skipped: ../shared/eval or ../shared/seeds is absent");
        return;
    }
    let actors = Actors::new().unwrap();
    let mut published = std::collections::HashMap::new();
    for line in std::fs::read_to_string(&arts_path).unwrap().lines() {
        let a: serde_json::Value = serde_json::from_str(line).unwrap();
        let date = a["published"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        published.insert(a["article"].as_str().unwrap().to_string(), date);
    }
    let (mut n, mut ok) = (0, 0);
    let mut misses = Vec::new();
    for line in std::fs::read_to_string(&gold_path).unwrap().lines() {
        let g: serde_json::Value = serde_json::from_str(line).unwrap();
        if !g["required"].as_bool().unwrap_or(false) {
            continue;
        }
        let article = g["article"].as_str().unwrap();
        let text = std::fs::read_to_string(root.join("seeds").join(article)).unwrap();
        let mention = g["mentions"][0].as_str().unwrap();
        n += 1;
        // The quote as written, up to white space (the text may hold NBSPs).
        let pattern = mention
            .split_whitespace()
            .map(regex::escape)
            .collect::<Vec<_>>()
            .join(r"\s+");
        let Some(found) = regex::Regex::new(&pattern).unwrap().find(&text) else {
            misses.push(format!("{}: mention not found", g["id"]));
            continue;
        };
        let (mstart, mend) = (found.start(), found.end());
        let mention = found.as_str();
        // The sentence: a simple split on ". " and line breaks.
        let s0 = [". ", "\n"]
            .iter()
            .filter_map(|sep| text[..mstart].rfind(sep).map(|i| i + sep.len()))
            .max()
            .unwrap_or(0);
        let s1 = [". ", "\n"]
            .iter()
            .filter_map(|sep| text[mend..].find(sep).map(|i| mend + i + 1))
            .min()
            .unwrap_or(text.len());
        let lower = mention.to_ascii_lowercase();
        let trigger = TRIGGERS
            .iter()
            .filter_map(|t| lower.find(t))
            .min()
            .map(|i| {
                let end = lower[i..]
                    .find(|c: char| !c.is_alphanumeric())
                    .map_or(lower.len(), |e| i + e);
                Span::new(mstart + i, mstart + end)
            })
            .unwrap_or_default();
        let date = published
            .get(article)
            .copied()
            .flatten()
            .or_else(|| actors.infer_era(&text));
        let ms = actors.find(&text);
        let roles = actors.roles(&text, Span::new(s0, s1), trigger, &ms, date);
        let pred: Vec<String> = roles
            .iter()
            .filter(|r| r.role.as_str() != "source" && r.actor.kind != "unknown")
            .map(|r| coarse(r.actor.kind))
            .collect();
        let gold: Vec<&serde_json::Value> = [&g["actor1"], &g["actor2"]]
            .into_iter()
            .filter(|x| x.is_object() && x["kind"] != "unknown")
            .collect();
        let mut free = pred.clone();
        let mut good = pred.len() <= gold.len() + 1;
        for x in &gold {
            let mut allowed = vec![coarse(x["kind"].as_str().unwrap())];
            for k in x["alt_kinds"].as_array().into_iter().flatten() {
                allowed.push(coarse(k.as_str().unwrap()));
            }
            match free.iter().position(|k| allowed.contains(k)) {
                Some(p) => {
                    free.remove(p);
                }
                None => good = false,
            }
        }
        println!("{} [{}]", g["id"], show(&roles, &text));
        if good {
            ok += 1;
        } else {
            misses.push(format!(
                "{}: gold {:?} got [{}]",
                g["id"],
                gold.iter()
                    .map(|x| x["kind"].as_str().unwrap())
                    .collect::<Vec<_>>(),
                show(&roles, &text)
            ));
        }
    }
    let acc = ok as f64 / n.max(1) as f64;
    println!("seed actor_kinds accuracy: {ok}/{n} = {acc:.3}");
    for m in &misses {
        println!("  miss {m}");
    }
    assert!(acc >= 0.85, "actor_kinds accuracy {acc:.3} < 0.85");
}

//! Builds `data/gazetteer.tsv` from the raw sources (GeoNames cities500,
//! admin1 and admin2 codes for Syria; UCDP GED Syria places) plus the curated
//! `data/regions.tsv` (governorates, named regions, countries and capitals),
//! deduplicating them into one entry per place: same folded name within a few
//! kilometres means the same place, and every spelling becomes an alias.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::{Entry, fold_key, parse_tsv};
use crate::error::{Error, Result};

const REGIONS_TSV: &str = include_str!("../../data/regions.tsv");

/// Two entries with a shared key closer than this are one place.
const SAME_PLACE_KM: f64 = 5.0;

/// Counts of what a build read and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub curated: usize,
    pub admin2: usize,
    pub geonames: usize,
    pub ucdp_rows: usize,
    pub ucdp_points: usize,
    pub ucdp_areas: usize,
    pub merged: usize,
    pub entries: usize,
}

fn read(dir: &Path, name: &str) -> Result<String> {
    let p = dir.join(name);
    std::fs::read_to_string(&p).map_err(|e| Error::io(p, e))
}

/// Great-circle distance in km.
pub fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6371.0_f64;
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

/// A Latin-script alternate name worth keeping as an alias.
fn keep_alias(a: &str) -> bool {
    let a = a.trim();
    if a.chars().count() < 3 || a.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    // Latin letters (with diacritics), spaces, hyphens, apostrophes only
    if !a.chars().all(|c| {
        c.is_ascii_alphabetic()
            || matches!(
                c,
                ' ' | '-' | '\'' | '\u{2019}' | '\u{2018}' | '\u{02BF}' | '\u{02BE}' | '.'
            )
            || ('\u{00C0}'..='\u{024F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
    }) {
        return false;
    }
    // transliteration keys ("hlb", "ladhqyh") and codes ("ALP")
    let first = a.chars().next().unwrap_or('a');
    if !first.is_uppercase() {
        return false;
    }
    if a.chars().all(|c| !c.is_lowercase()) {
        return false;
    }
    true
}

fn feature_base(feature: &str) -> f64 {
    match feature {
        "admin1" => 1000.0,
        "country" => 900.0,
        "capital" => 700.0,
        "region" => 500.0,
        "city" => 400.0,
        "admin2" => 300.0,
        "town" => 200.0,
        "mountain" => 150.0,
        _ => 100.0,
    }
}

/// How large a settlement kind is, for merging two sources' kinds (0: not a settlement).
fn settlement_size(feature: &str) -> u8 {
    match feature {
        "city" => 3,
        "town" => 2,
        "village" => 1,
        _ => 0,
    }
}

struct Builder {
    entries: Vec<Entry>,
    events: Vec<u64>,
    by_key: HashMap<String, Vec<usize>>,
    merged: usize,
}

fn is_area(feature: &str) -> bool {
    matches!(feature, "admin1" | "admin2" | "country" | "region")
}

impl Builder {
    fn keys_of(e: &Entry) -> BTreeSet<String> {
        std::iter::once(&e.name)
            .chain(e.aliases.iter())
            .map(|a| fold_key(a))
            .filter(|k| !k.is_empty())
            .collect()
    }

    fn index(&mut self, i: usize) {
        if let Some(e) = self.entries.get(i) {
            for k in Builder::keys_of(e) {
                let v = self.by_key.entry(k).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
    }

    fn push(&mut self, e: Entry, events: u64) {
        self.entries.push(e);
        self.events.push(events);
        let i = self.entries.len() - 1;
        self.index(i);
    }

    /// Adds an entry, or merges it into an existing one that shares a key nearby.
    fn add(&mut self, e: Entry, events: u64) {
        let mut target = None;
        if !matches!(e.feature.as_str(), "admin1" | "admin2" | "country") {
            'outer: for k in Builder::keys_of(&e) {
                for &i in self.by_key.get(&k).map(Vec::as_slice).unwrap_or(&[]) {
                    let Some(o) = self.entries.get(i) else {
                        continue;
                    };
                    if matches!(o.feature.as_str(), "admin1" | "admin2" | "country")
                        || is_area(&o.feature) != is_area(&e.feature)
                    {
                        continue;
                    }
                    let near = match (o.lat, o.lon, e.lat, e.lon) {
                        (Some(a), Some(b), Some(c), Some(d)) => km((a, b), (c, d)) <= SAME_PLACE_KM,
                        _ => o.admin1 == e.admin1,
                    };
                    if near && o.country == e.country {
                        target = Some(i);
                        break 'outer;
                    }
                }
            }
        }
        let Some(t) = target else {
            self.push(e, events);
            return;
        };
        self.merged += 1;
        if let Some(o) = self.entries.get_mut(t) {
            for a in std::iter::once(e.name).chain(e.aliases) {
                if a != o.name && !o.aliases.contains(&a) {
                    o.aliases.push(a);
                }
            }
            if o.admin2.is_none() {
                o.admin2 = e.admin2;
            }
            if o.admin1.is_none() {
                o.admin1 = e.admin1;
            }
            if o.lat.is_none() {
                o.lat = e.lat;
                o.lon = e.lon;
            }
            // GeoNames lists some towns with population 0, which made them
            // "village"s; the kind another source names wins then (UCDP's
            // "Ras al Ayn town" over a village of that name elsewhere).
            let size = settlement_size(&o.feature);
            if o.population == 0 && size > 0 && settlement_size(&e.feature) > size {
                o.feature = e.feature;
            }
            o.population = o.population.max(e.population);
            if o.geonames_id.is_none() {
                o.geonames_id = e.geonames_id;
            }
            if !o.source.split('+').any(|s| s == e.source) {
                o.source = format!("{}+{}", o.source, e.source);
            }
        }
        if let Some(n) = self.events.get_mut(t) {
            *n += events;
        }
        self.index(t);
    }
}

/// Splits a UCDP place label into (name, aliases, feature).
fn ucdp_name(label: &str) -> (String, Vec<String>, String) {
    const KINDS: &[&str] = &[
        "village",
        "town",
        "city",
        "mountain",
        "suburb",
        "area",
        "locality",
        "hill",
        "neighbourhood",
        "neighborhood",
        "district",
    ];
    let mut label = label.trim().to_string();
    let mut aliases = Vec::new();
    if let (Some(a), Some(b)) = (label.find('('), label.rfind(')')) {
        if a < b {
            let inner = label.get(a + 1..b).unwrap_or("").trim().to_string();
            if inner.chars().count() > 2 {
                aliases.push(inner);
            }
            label = format!(
                "{}{}",
                label.get(..a).unwrap_or(""),
                label.get(b + 1..).unwrap_or("")
            )
            .trim()
            .to_string();
        }
    }
    let mut feature = "place".to_string();
    if let Some((head, last)) = label.rsplit_once(' ') {
        let lw = last.to_lowercase();
        if KINDS.contains(&last) {
            feature = if lw == "suburb" || lw == "neighbourhood" || lw == "neighborhood" {
                "neighbourhood".into()
            } else {
                lw
            };
            label = head.trim().to_string();
        } else {
            feature = match lw.as_str() {
                "airbase" | "base" | "airport" | "brigade" => "military base".into(),
                "camp" => "camp".into(),
                "field" | "fields" | "oilfield" | "plant" | "station" | "complex" => {
                    "facility".into()
                }
                "dam" | "reservoir" => "dam".into(),
                "checkpoint" => "checkpoint".into(),
                "farm" | "farms" => "farm".into(),
                "plain" | "plains" => "region".into(),
                _ => "place".into(),
            };
        }
    }
    // "Salim at Tahtani" (Lower Salim) is also named plain "Salim"
    const QUALIFIERS: &[&str] = &[
        "tahtani",
        "tahtaniyah",
        "fawqani",
        "fawqaniyah",
        "kabir",
        "kabirah",
        "saghir",
        "saghirah",
        "gharbi",
        "gharbiyah",
        "sharqi",
        "sharqiyah",
        "shamali",
        "shamaliyah",
        "janubi",
        "janubiyah",
    ];
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.len() >= 2 && !label.contains('/') {
        if let Some(last) = words.last() {
            if QUALIFIERS.contains(&last.to_lowercase().as_str()) {
                let mut n = words.len() - 1;
                if n >= 2
                    && ["al", "at", "as", "ash", "ad", "an", "el"]
                        .contains(&words[n - 1].to_lowercase().as_str())
                {
                    n -= 1;
                }
                aliases.push(words[..n].join(" "));
            }
        }
    }
    let mut parts = label
        .split('/')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let name = parts.next().unwrap_or_default();
    aliases.extend(parts);
    if feature == "village" || feature == "town" || feature == "city" || feature == "mountain" {
        // keep the full label ("Al-Jin mountain") as a spelling too
        if feature == "mountain" {
            aliases.push(format!("{name} {feature}"));
        }
    }
    (name, aliases, feature)
}

/// A name without diacritics and without the ‘ayn marks ("‘Afrīn" -> "Afrin").
fn deaccent(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .filter(|c| !matches!(c, '\u{2018}' | '\u{2019}' | '\u{02BF}' | '\u{02BE}'))
        .map(|c| match c {
            'ı' => 'i',
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn tsv_clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r', '|'], " ")
}

/// Builds the gazetteer from the sources in `sources_dir` and writes it to `out`.
pub fn build_gazetteer(sources_dir: &Path, out: &Path) -> Result<Stats> {
    let mut stats = Stats::default();
    let curated = parse_tsv(REGIONS_TSV, "regions.tsv")?;
    stats.curated = curated.len();

    // admin1 code -> our name, via the GeoNames ids given in regions.tsv
    let admin1_txt = read(sources_dir, "geonames-admin1-SY.txt")?;
    let mut code_to_admin1: HashMap<String, String> = HashMap::new();
    for line in admin1_txt.lines() {
        let c: Vec<&str> = line.split('\t').collect();
        let (Some(code), Some(gid)) = (c.first(), c.get(3)) else {
            continue;
        };
        let gid: Option<i64> = gid.trim().parse().ok();
        if let Some(e) = curated
            .iter()
            .find(|e| e.feature == "admin1" && e.geonames_id == gid && gid.is_some())
        {
            code_to_admin1.insert(
                code.trim().trim_start_matches("SY.").to_string(),
                e.name.clone(),
            );
        }
    }
    if code_to_admin1.len() != 14 {
        return Err(Error::data(
            "regions.tsv",
            format!(
                "{} of 14 governorates matched GeoNames admin1 ids",
                code_to_admin1.len()
            ),
        ));
    }
    // folded admin1 name/alias -> our name (for UCDP's "X Governorate")
    let mut admin1_by_key: HashMap<String, String> = HashMap::new();
    for e in curated.iter().filter(|e| e.feature == "admin1") {
        for a in std::iter::once(&e.name).chain(e.aliases.iter()) {
            admin1_by_key.insert(fold_key(a), e.name.clone());
        }
    }
    let admin1_of = |label: &str| -> Option<String> {
        let l = label.trim().trim_end_matches("Governorate").trim();
        admin1_by_key.get(&fold_key(l)).cloned()
    };

    let mut b = Builder {
        entries: Vec::new(),
        events: Vec::new(),
        by_key: HashMap::new(),
        merged: 0,
    };
    for e in curated {
        b.add(e, 0);
    }

    // UCDP rows
    let ucdp_txt = read(sources_dir, "ucdp-ged-syria-places.csv")?;
    let mut rdr = csv::ReaderBuilder::new().from_reader(ucdp_txt.as_bytes());
    let mut ucdp: Vec<(String, String, String, f64, f64, f64, u64)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::data("ucdp-ged-syria-places.csv", e))?;
        let g = |i: usize| rec.get(i).unwrap_or("").to_string();
        let (Some(lat), Some(lon)) = (g(3).parse::<f64>().ok(), g(4).parse::<f64>().ok()) else {
            continue;
        };
        let prec = g(5).parse::<f64>().unwrap_or(6.0);
        let n = g(6).parse::<f64>().unwrap_or(0.0) as u64;
        ucdp.push((g(0), g(1), g(2), lat, lon, prec, n));
    }
    stats.ucdp_rows = ucdp.len();

    // admin2 districts: coordinates from UCDP's district rows, else the seat town
    let cities_txt = read(sources_dir, "geonames-cities500-SY.tsv")?;
    let admin2_txt = read(sources_dir, "geonames-admin2-SY.txt")?;
    let mut city_rows: Vec<Vec<String>> = Vec::new();
    for (n, line) in cities_txt.lines().enumerate() {
        if n == 0 || line.trim().is_empty() {
            continue;
        }
        city_rows.push(line.split('\t').map(String::from).collect());
    }
    for line in admin2_txt.lines() {
        let c: Vec<&str> = line.split('\t').collect();
        let (Some(code), Some(name), Some(gid)) = (c.first(), c.get(1), c.get(3)) else {
            continue;
        };
        let a1code = code.split('.').nth(1).unwrap_or("");
        let admin1 = code_to_admin1.get(a1code).cloned();
        let base = name.trim().trim_end_matches("District").trim().to_string();
        let bkey = fold_key(&base);
        let strip = |s: &str| -> String {
            let s = s.trim_end_matches("district").trim();
            let s = s.strip_prefix("Mintaqat ").unwrap_or(s);
            let s = s.strip_prefix("Markaz ").unwrap_or(s);
            fold_key(s)
        };
        let from_ucdp = ucdp
            .iter()
            .find(|r| r.5 >= 3.0 && r.0.ends_with(" district") && strip(&r.0) == bkey)
            .map(|r| (r.3, r.4));
        let from_city = city_rows
            .iter()
            .find(|r| r.get(1).is_some_and(|n| fold_key(n) == bkey))
            .and_then(|r| {
                Some((
                    r.get(2)?.parse::<f64>().ok()?,
                    r.get(3)?.parse::<f64>().ok()?,
                ))
            });
        let ll = from_ucdp.or(from_city);
        let mut aliases = vec![format!("{base} District"), format!("{base} district")];
        aliases.dedup();
        b.add(
            Entry {
                id: format!("adm2-{}", gid.trim()),
                name: name.trim().to_string(),
                aliases,
                feature: "admin2".into(),
                admin1,
                admin2: Some(name.trim().to_string()),
                country: "SY".into(),
                lat: ll.map(|x| x.0),
                lon: ll.map(|x| x.1),
                population: 0,
                geonames_id: gid.trim().parse().ok(),
                source: "geonames".into(),
                rank: 0,
            },
            0,
        );
        stats.admin2 += 1;
    }

    // GeoNames populated places
    for r in &city_rows {
        let g = |i: usize| r.get(i).map(String::as_str).unwrap_or("");
        let (Some(lat), Some(lon)) = (g(2).parse::<f64>().ok(), g(3).parse::<f64>().ok()) else {
            continue;
        };
        let pop: u64 = g(6).parse().unwrap_or(0);
        let original = g(1).trim().to_string();
        let name = deaccent(&original);
        let mut aliases: Vec<String> = Vec::new();
        if original != name {
            aliases.push(original);
        }
        for a in g(8).split(',') {
            let a = a.trim();
            if keep_alias(a) && a != name && !aliases.iter().any(|x| x == a) {
                aliases.push(a.to_string());
            }
        }
        let feature = if pop >= 100_000 {
            "city"
        } else if pop >= 5_000 {
            "town"
        } else {
            "village"
        };
        b.add(
            Entry {
                id: format!("gn-{}", g(0).trim()),
                name,
                aliases,
                feature: feature.into(),
                admin1: code_to_admin1.get(g(4).trim()).cloned(),
                admin2: None,
                country: "SY".into(),
                lat: Some(lat),
                lon: Some(lon),
                population: pop,
                geonames_id: g(0).trim().parse().ok(),
                source: "geonames".into(),
                rank: 0,
            },
            0,
        );
        stats.geonames += 1;
    }

    // UCDP places (points) and named areas
    let skip_area = |n: &str| {
        let l = n.to_lowercase();
        [
            "road",
            "area between",
            "international",
            "northern",
            "southern",
            "eastern",
            "western",
            "north",
            "south",
            "east",
            "west",
            "central",
            "operation",
            "is enclave",
            "syria",
            "al furat",
            "euphrates",
            "homs -",
            "homs –",
        ]
        .iter()
        .any(|p| l.starts_with(p))
            || [
                "/",
                " border",
                "between",
                "governorate",
                "axis",
                "triangle",
                " road",
                "district",
            ]
            .iter()
            .any(|p| l.contains(p))
    };
    for (i, (label, adm1, adm2, lat, lon, prec, n)) in ucdp.iter().enumerate() {
        let area = *prec > 2.0;
        if (area && *prec < 5.0) || skip_area(label) {
            continue;
        }
        let (name, aliases, mut feature) = ucdp_name(label);
        if name.chars().count() < 3 {
            continue;
        }
        if area {
            feature = "region".into();
        }
        let admin2 = {
            let s = adm2.trim().trim_end_matches("district").trim();
            if s.is_empty() {
                None
            } else {
                Some(s.to_string())
            }
        };
        b.add(
            Entry {
                id: format!("ucdp-{}", i + 1),
                name,
                aliases,
                feature,
                admin1: admin1_of(adm1),
                admin2,
                country: "SY".into(),
                lat: Some(*lat),
                lon: Some(*lon),
                population: 0,
                geonames_id: None,
                source: "ucdp".into(),
                rank: 0,
            },
            *n,
        );
        if area {
            stats.ucdp_areas += 1;
        } else {
            stats.ucdp_points += 1;
        }
    }
    stats.merged = b.merged;

    // ranks
    for (e, n) in b.entries.iter_mut().zip(b.events.iter()) {
        if e.rank == 0 {
            let r = feature_base(&e.feature)
                + 20.0 * ((e.population + 1) as f64).log10()
                + 30.0 * ((n + 1) as f64).log10();
            e.rank = r.round() as u32;
        }
        e.aliases.retain(|a| a != &e.name);
    }
    stats.entries = b.entries.len();

    let mut s = String::new();
    s.push_str("# sitrep gazetteer of Syria (generated; do not edit by hand: edit data/regions.tsv or the build).\n");
    s.push_str("# Sources: GeoNames cities500 (SY) with alternate names, admin1 and admin2 codes (geonames.org, CC BY 4.0);\n");
    s.push_str("#   UCDP GED Syria places 2016-2019 (Sundberg & Melander 2013; Hogbladh 2019; CC BY 4.0);\n");
    s.push_str(
        "#   data/regions.tsv (curated: governorates, named regions, countries and capitals).\n",
    );
    s.push_str("# Generated by: cargo run --example build_gazetteer -- ../shared/gazetteer data/gazetteer.tsv\n");
    s.push_str(
        "#   (or: sitrep gazetteer build --sources ../shared/gazetteer -o data/gazetteer.tsv)\n",
    );
    s.push_str("# One row per place; same folded name within 5 km = same place; aliases are |-separated.\n");
    s.push_str("id\tname\taliases\tfeature\tadmin1\tadmin2\tcountry\tlat\tlon\tpopulation\tgeonames_id\tsource\trank\n");
    for e in &b.entries {
        let f = |x: Option<f64>| x.map(|v| format!("{v:.5}")).unwrap_or_default();
        s.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            tsv_clean(&e.id),
            tsv_clean(&e.name),
            e.aliases
                .iter()
                .map(|a| tsv_clean(a))
                .collect::<Vec<_>>()
                .join("|"),
            tsv_clean(&e.feature),
            e.admin1.as_deref().map(tsv_clean).unwrap_or_default(),
            e.admin2.as_deref().map(tsv_clean).unwrap_or_default(),
            tsv_clean(&e.country),
            f(e.lat),
            f(e.lon),
            e.population,
            e.geonames_id.map(|g| g.to_string()).unwrap_or_default(),
            tsv_clean(&e.source),
            e.rank
        ));
    }
    std::fs::write(out, s).map_err(|e| Error::io(out, e))?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, name: &str, feature: &str, population: u64, source: &str) -> Entry {
        Entry {
            id: id.into(),
            name: name.into(),
            aliases: Vec::new(),
            feature: feature.into(),
            admin1: Some("Al-Hasakah".into()),
            admin2: None,
            country: "SY".into(),
            lat: Some(36.85),
            lon: Some(40.07),
            population,
            geonames_id: None,
            source: source.into(),
            rank: 0,
        }
    }

    fn merged(first: Entry, second: Entry) -> Entry {
        let mut b = Builder {
            entries: Vec::new(),
            events: Vec::new(),
            by_key: HashMap::new(),
            merged: 0,
        };
        b.add(first, 0);
        b.add(second, 16);
        assert_eq!(b.entries.len(), 1, "the two rows are one place");
        b.entries.remove(0)
    }

    /// A merged row keeps its kind unless its population is unknown and
    /// the other source names a larger settlement; a curated kind stays.
    #[test]
    fn a_merged_row_takes_another_sources_kind_only_when_its_population_is_unknown() {
        for (id, feature, population, source, want) in [
            ("gn-1", "village", 0, "geonames", "town"),
            ("gn-1", "village", 3_000, "geonames", "village"),
            ("reg-1", "camp", 0, "curated", "camp"),
        ] {
            let e = merged(
                entry(id, "Ras al Ayn", feature, population, source),
                entry("ucdp-1", "Ras al Ayn", "town", 0, "ucdp"),
            );
            assert_eq!(e.feature, want, "{id} {feature} {population}");
        }
    }
}

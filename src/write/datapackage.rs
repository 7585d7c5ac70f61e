//! `datapackage.json`: the dataset described as a Frictionless Tabular Data
//! Package (v1 profiles, read by frictionless v5), generated from the table
//! definitions alone. It holds nothing that depends on the data (sizes and
//! hashes are in `manifest.json`), so every dataset's `datapackage.json` is
//! byte-identical to the committed `schema/datapackage.json` of its version.
//!
//! Each table is one resource whose `path` is its CSV file (a Frictionless
//! resource has one data path); the Parquet file of the same rows is named
//! in the custom property `sitrep:parquet`. The Parquet file of `locations`
//! has one more column, `geometry` (GeoParquet), which is not in the field
//! list because the CSV does not carry it.

use serde_json::{Map, Value, json};

use crate::tables::{ALL_TABLES, FieldDef, SCHEMA_VERSION, TableDef};

/// The package's name.
pub const PACKAGE_NAME: &str = "sitrep-dataset";

/// The `datapackage.json` value.
pub fn datapackage() -> Value {
    let resources: Vec<Value> = ALL_TABLES.iter().map(|t| resource(t)).collect();
    json!({
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "sitrep dataset: ACLED-typed events extracted from news articles",
        "description": concat!(
            "Events of political violence and strategic developments extracted from a folder of news articles by sitrep, ",
            "typed with ACLED's event and actor typology and traceable to the sentences that report them. ",
            "Each table is a resource whose `path` is its CSV file; the same rows are in the Parquet file named by the ",
            "resource's `sitrep:parquet` property (the Parquet file of `locations` also has a GeoParquet `geometry` column). ",
            "`manifest.json` beside this file lists the row counts, sizes and SHA-256 of every file and the fingerprint of the inputs. ",
            "The articles' text remains under its publishers' rights; see each resource's licenses."
        ),
        "version": SCHEMA_VERSION,
        "keywords": ["conflict", "events", "ACLED", "Syria", "news", "event data"],
        "sources": [
            {"title": "The input articles (see articles.source and articles.url)"},
            {"title": "GeoNames gazetteer", "path": "https://www.geonames.org/"},
            {"title": "UCDP Georeferenced Event Dataset (place names and coordinates)", "path": "https://ucdp.uu.se/downloads/"},
            {"title": "ACLED event and actor typology (codebook)", "path": "https://acleddata.com/knowledge-base/codebook/"}
        ],
        "sitrep:schema_version": SCHEMA_VERSION,
        "resources": resources,
    })
}

/// The pretty-printed `datapackage.json`, with a final newline.
pub fn datapackage_json() -> String {
    let mut s = serde_json::to_string_pretty(&datapackage()).unwrap_or_default();
    s.push('\n');
    s
}

fn resource(t: &TableDef) -> Value {
    let mut r = Map::new();
    r.insert("name".into(), json!(t.name));
    r.insert("title".into(), json!(t.title));
    r.insert("description".into(), json!(t.description));
    r.insert("profile".into(), json!("tabular-data-resource"));
    r.insert("path".into(), json!(format!("{}.csv", t.name)));
    r.insert("format".into(), json!("csv"));
    r.insert("mediatype".into(), json!("text/csv"));
    r.insert("encoding".into(), json!("utf-8"));
    r.insert(
        "dialect".into(),
        json!({"delimiter": ",", "quoteChar": "\"", "doubleQuote": true, "header": true}),
    );
    r.insert(
        "sitrep:parquet".into(),
        json!(format!("{}.parquet", t.name)),
    );
    if t.name == "locations" {
        r.insert(
            "licenses".into(),
            json!([{
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0 (place names and coordinates from GeoNames and UCDP GED)",
                "path": "https://creativecommons.org/licenses/by/4.0/"
            }]),
        );
    }
    let mut schema = Map::new();
    schema.insert(
        "fields".into(),
        Value::Array(t.fields.iter().map(field).collect()),
    );
    schema.insert("missingValues".into(), json!([""]));
    schema.insert("primaryKey".into(), json!(t.primary_key));
    if !t.foreign_keys.is_empty() {
        let fks: Vec<Value> = t
            .foreign_keys
            .iter()
            .map(|fk| {
                json!({
                    "fields": fk.fields,
                    "reference": {"resource": fk.reference_table, "fields": fk.reference_fields}
                })
            })
            .collect();
        schema.insert("foreignKeys".into(), Value::Array(fks));
    }
    r.insert("schema".into(), Value::Object(schema));
    Value::Object(r)
}

fn field(f: &FieldDef) -> Value {
    let mut constraints = Map::new();
    constraints.insert("required".into(), json!(f.required));
    if !f.enum_values.is_empty() {
        constraints.insert("enum".into(), json!(f.enum_values));
    }
    if let Some(min) = f.minimum {
        constraints.insert("minimum".into(), json!(min));
    }
    if let Some(max) = f.maximum {
        constraints.insert("maximum".into(), json!(max));
    }
    let mut v = Map::new();
    v.insert("name".into(), json!(f.name));
    v.insert("type".into(), json!(f.ty.frictionless()));
    if f.ty == crate::tables::FieldType::Date {
        v.insert("format".into(), json!("default"));
    }
    v.insert("description".into(), json!(f.description));
    v.insert("constraints".into(), Value::Object(constraints));
    Value::Object(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_a_resource_with_its_keys() {
        let dp = datapackage();
        let resources = dp["resources"].as_array().expect("resources");
        assert_eq!(resources.len(), ALL_TABLES.len());
        let events = resources
            .iter()
            .find(|r| r["name"] == "events")
            .expect("events");
        assert_eq!(events["path"], "events.csv");
        assert_eq!(events["sitrep:parquet"], "events.parquet");
        assert_eq!(events["schema"]["primaryKey"], json!(["event_id"]));
        assert!(events["schema"]["foreignKeys"].as_array().is_some());
    }
}

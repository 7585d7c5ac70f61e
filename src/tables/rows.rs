//! Typed rows, one struct per table, in the field order of [`super::defs`].

use chrono::NaiveDate;

use super::{Row, TableDef, Value, defs};

#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    pub article_id: String,
    pub source_file: String,
    pub line: Option<i64>,
    pub external_id: Option<String>,
    pub format: &'static str,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub published_date: Option<NaiveDate>,
    pub published_source: Option<&'static str>,
    pub dateline: Option<String>,
    pub body: String,
    pub captions: Option<String>,
    pub n_chars_raw: i64,
    pub n_chars_clean: i64,
    pub n_sentences: i64,
    pub n_events: i64,
    pub content_sha256: String,
    pub decode_notes: Option<String>,
}

impl Row for ArticleRow {
    const DEF: &'static TableDef = &defs::ARTICLES;
    fn into_values(self) -> Vec<Value> {
        vec![
            self.article_id.into(),
            self.source_file.into(),
            self.line.into(),
            self.external_id.into(),
            self.format.into(),
            self.url.into(),
            self.source.into(),
            self.title.into(),
            self.published_date.into(),
            self.published_source.into(),
            self.dateline.into(),
            self.body.into(),
            self.captions.into(),
            self.n_chars_raw.into(),
            self.n_chars_clean.into(),
            self.n_sentences.into(),
            self.n_events.into(),
            self.content_sha256.into(),
            self.decode_notes.into(),
        ]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub event_id: String,
    pub article_id: String,
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    pub event_date: Option<NaiveDate>,
    pub event_date_end: Option<NaiveDate>,
    pub date_precision: &'static str,
    pub date_text: Option<String>,
    pub location_id: Option<String>,
    pub location_text: Option<String>,
    pub fatalities: Option<i64>,
    pub fatalities_low: Option<i64>,
    pub fatalities_high: Option<i64>,
    pub fatalities_qualifier: &'static str,
    pub injured: Option<i64>,
    pub is_aggregate: bool,
    pub modality: &'static str,
    pub evidence: String,
    pub char_start: i64,
    pub char_end: i64,
    pub n_mentions: i64,
    pub confidence: f64,
}

impl Row for EventRow {
    const DEF: &'static TableDef = &defs::EVENTS;
    fn into_values(self) -> Vec<Value> {
        vec![
            self.event_id.into(),
            self.article_id.into(),
            self.event_type.into(),
            self.sub_event_type.into(),
            self.event_date.into(),
            self.event_date_end.into(),
            self.date_precision.into(),
            self.date_text.into(),
            self.location_id.into(),
            self.location_text.into(),
            self.fatalities.into(),
            self.fatalities_low.into(),
            self.fatalities_high.into(),
            self.fatalities_qualifier.into(),
            self.injured.into(),
            self.is_aggregate.into(),
            self.modality.into(),
            self.evidence.into(),
            self.char_start.into(),
            self.char_end.into(),
            self.n_mentions.into(),
            Value::Num(self.confidence),
        ]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventMentionRow {
    pub event_id: String,
    pub seq: i64,
    pub char_start: i64,
    pub char_end: i64,
    pub trigger: Option<String>,
    pub text: String,
}

impl Row for EventMentionRow {
    const DEF: &'static TableDef = &defs::EVENT_MENTIONS;
    fn into_values(self) -> Vec<Value> {
        vec![
            self.event_id.into(),
            self.seq.into(),
            self.char_start.into(),
            self.char_end.into(),
            self.trigger.into(),
            self.text.into(),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ActorRow {
    pub actor_id: String,
    pub name: String,
    pub kind: &'static str,
    pub country: Option<String>,
    pub allegiance: Option<String>,
}

impl Row for ActorRow {
    const DEF: &'static TableDef = &defs::ACTORS;
    fn into_values(self) -> Vec<Value> {
        vec![
            self.actor_id.into(),
            self.name.into(),
            self.kind.into(),
            self.country.into(),
            self.allegiance.into(),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventActorRow {
    pub event_id: String,
    pub actor_id: String,
    pub role: &'static str,
    pub actor_text: Option<String>,
}

impl Row for EventActorRow {
    const DEF: &'static TableDef = &defs::EVENT_ACTORS;
    fn into_values(self) -> Vec<Value> {
        vec![
            self.event_id.into(),
            self.actor_id.into(),
            self.role.into(),
            self.actor_text.into(),
        ]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LocationRow {
    pub location_id: String,
    pub name: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub feature: String,
    pub precision: &'static str,
    pub geonames_id: Option<i64>,
    pub gazetteer_id: Option<String>,
    pub gazetteer_source: Option<String>,
}

impl Row for LocationRow {
    const DEF: &'static TableDef = &defs::LOCATIONS;
    fn into_values(self) -> Vec<Value> {
        vec![
            self.location_id.into(),
            self.name.into(),
            self.admin1.into(),
            self.admin2.into(),
            self.country.into(),
            self.latitude.into(),
            self.longitude.into(),
            self.feature.into(),
            self.precision.into(),
            self.geonames_id.into(),
            self.gazetteer_id.into(),
            self.gazetteer_source.into(),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventLocationRow {
    pub event_id: String,
    pub location_id: String,
    pub is_primary: bool,
    pub location_text: Option<String>,
}

impl Row for EventLocationRow {
    const DEF: &'static TableDef = &defs::EVENT_LOCATIONS;
    fn into_values(self) -> Vec<Value> {
        vec![
            self.event_id.into(),
            self.location_id.into(),
            self.is_primary.into(),
            self.location_text.into(),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RejectRow {
    pub input: String,
    pub reason: &'static str,
    pub detail: String,
}

impl Row for RejectRow {
    const DEF: &'static TableDef = &defs::REJECTS;
    fn into_values(self) -> Vec<Value> {
        vec![self.input.into(), self.reason.into(), self.detail.into()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::Table;

    #[test]
    fn rows_fill_every_field() {
        let r = RejectRow {
            input: "a.txt".into(),
            reason: "empty",
            detail: "0 bytes".into(),
        };
        assert_eq!(r.into_values().len(), defs::REJECTS.fields.len());
        let e = EventRow {
            event_id: "e".into(),
            article_id: "a".into(),
            event_type: "Battles",
            sub_event_type: "Armed clash",
            event_date: None,
            event_date_end: None,
            date_precision: "unknown",
            date_text: None,
            location_id: None,
            location_text: None,
            fatalities: Some(3),
            fatalities_low: Some(3),
            fatalities_high: Some(3),
            fatalities_qualifier: "exact",
            injured: None,
            is_aggregate: false,
            modality: "asserted",
            evidence: "x".into(),
            char_start: 0,
            char_end: 1,
            n_mentions: 1,
            confidence: 0.5,
        };
        let t = Table::from_rows([e]);
        assert_eq!(t.num_rows(), 1);
        assert_eq!(t.columns.len(), defs::EVENTS.fields.len());
    }
}

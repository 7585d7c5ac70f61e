//! The definitions of every table sitrep writes. `schema/` and each
//! dataset's `datapackage.json` are generated from these; a test fails when
//! the committed `schema/` drifts from them.

use super::{FieldDef, FieldType::*, ForeignKey, TableDef};
use crate::typology::{
    ACTOR_KINDS, ACTOR_ROLES, DATE_PRECISIONS, EVENT_TYPES, FATALITY_QUALIFIERS,
    LOCATION_PRECISIONS,
};

/// The version of the table contract. The major part changes when a column
/// is removed, renamed or retyped; `sitrep diff` refuses to compare across it.
pub const SCHEMA_VERSION: &str = "1.0.0";

const SUB_EVENT_TYPE_NAMES: &[&str] = &[
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Mob violence",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
];

pub const ARTICLES: TableDef = TableDef {
    name: "articles",
    title: "Articles",
    description: "One row per input article that was read and cleaned. Inputs that did not become an article are in `rejects`.",
    fields: &[
        FieldDef::new(
            "article_id",
            String,
            true,
            "Stable id: a hash of the article's source file and its record id or line.",
        )
        .distinct(),
        FieldDef::new(
            "source_file",
            String,
            true,
            "The input file's path relative to the input folder, with / separators.",
        ),
        FieldDef::new(
            "line",
            Integer,
            false,
            "For JSON Lines input: the 1-based line of the record; null otherwise.",
        ),
        FieldDef::new(
            "external_id",
            String,
            false,
            "The record's own id (JSON Lines `id`), or null.",
        )
        .distinct(),
        FieldDef::new("format", String, true, "The input format.")
            .one_of(&["text", "html", "jsonl"]),
        FieldDef::new(
            "url",
            String,
            false,
            "The article's URL, from the record or the metadata CSV.",
        )
        .distinct(),
        FieldDef::new(
            "source",
            String,
            false,
            "The outlet or agency, from the record or the metadata CSV.",
        ),
        FieldDef::new(
            "title",
            String,
            false,
            "The headline, when the input carries one.",
        )
        .distinct(),
        FieldDef::new(
            "published_date",
            Date,
            false,
            "The publication date: from the metadata CSV, the record, or the article's own text; never from a file timestamp.",
        ),
        FieldDef::new(
            "published_source",
            String,
            false,
            "Where published_date came from.",
        )
        .one_of(&["metadata", "record", "text"]),
        FieldDef::new(
            "dateline",
            String,
            false,
            "The dateline that opens the body (e.g. BEIRUT), or null.",
        ),
        FieldDef::new(
            "body",
            String,
            true,
            "The cleaned article text: boilerplate, teasers and captions removed, encoding repaired, Unicode NFC. Paragraphs are separated by a blank line. Event offsets point into it.",
        )
        .distinct(),
        FieldDef::new(
            "captions",
            String,
            false,
            "Photo captions found in the input, one per line; not part of body.",
        )
        .distinct(),
        FieldDef::new(
            "n_chars_raw",
            Integer,
            true,
            "Characters of the decoded input text before cleaning.",
        ),
        FieldDef::new("n_chars_clean", Integer, true, "Characters of body."),
        FieldDef::new("n_sentences", Integer, true, "Sentences found in body."),
        FieldDef::new(
            "n_events",
            Integer,
            true,
            "Events extracted from this article.",
        ),
        FieldDef::new(
            "content_sha256",
            String,
            true,
            "SHA-256 of body, hex. Two inputs with the same body are one article (the later is rejected as a duplicate).",
        )
        .distinct(),
        FieldDef::new(
            "decode_notes",
            String,
            false,
            "Repairs made while decoding the input (encoding, byte-order mark, mojibake) and record fields left unread (a published date that is no date, or whose day and month could be either), separated by ';'.",
        ),
    ],
    primary_key: &["article_id"],
    foreign_keys: &[],
};

pub const EVENTS: TableDef = TableDef {
    name: "events",
    title: "Events",
    description: "One row per act of political violence or strategic development reported in an article, typed with ACLED's event typology. Several sentences reporting the same act are one event (see event_mentions).",
    fields: &[
        FieldDef::new(
            "event_id",
            String,
            true,
            "Stable id: a hash of the article id, the sub-event type and the first mention's text.",
        )
        .distinct(),
        FieldDef::new(
            "article_id",
            String,
            true,
            "The article that reports the event.",
        ),
        FieldDef::new("event_type", String, true, "ACLED event type.").one_of(EVENT_TYPES),
        FieldDef::new("sub_event_type", String, true, "ACLED sub-event type.")
            .one_of(SUB_EVENT_TYPE_NAMES),
        FieldDef::new(
            "event_date",
            Date,
            false,
            "The date of the event (the first day of a range), resolved against the page date the text opens with, else the article's published date. When the text gives the act no date of its own, that day (date_precision `published`); null when the article has neither, and for aggregates.",
        ),
        FieldDef::new(
            "event_date_end",
            Date,
            false,
            "The last day, when the text gives a range or a coarse period (a week, a month); equal to event_date for a single day.",
        ),
        FieldDef::new(
            "date_precision",
            String,
            true,
            "How exact event_date is: `day`, `week`, `month` or `year` from the text's own words (date_text); `published` when the text gives no date and event_date is the day the article was published, as its page date or published_date gives it (the act then or shortly before); `unknown` when there is no date.",
        )
            .one_of(DATE_PRECISIONS),
        FieldDef::new(
            "date_text",
            String,
            false,
            "The words that date the event (\"on Tuesday\", \"last month\").",
        )
        .distinct(),
        FieldDef::new(
            "location_id",
            String,
            false,
            "The most specific place the event's mentions name; null when none is named.",
        ),
        FieldDef::new(
            "location_text",
            String,
            false,
            "The words that name the place.",
        )
        .distinct(),
        FieldDef::new(
            "fatalities",
            Integer,
            false,
            "Best count of people killed; 0 when the report counts only wounded or says no one died; null when unknown (\"dozens\", \"a number of\", no count).",
        ),
        FieldDef::new(
            "fatalities_low",
            Integer,
            false,
            "Lowest count of people killed among the event's mentions.",
        ),
        FieldDef::new(
            "fatalities_high",
            Integer,
            false,
            "Highest count of people killed among the event's mentions.",
        ),
        FieldDef::new(
            "fatalities_qualifier",
            String,
            true,
            "How the text qualifies the count.",
        )
        .one_of(FATALITY_QUALIFIERS),
        FieldDef::new(
            "injured",
            Integer,
            false,
            "Count of people injured or wounded, when stated.",
        ),
        FieldDef::new(
            "is_aggregate",
            Boolean,
            true,
            "True for a toll over a long period or many places, which is not one discrete event.",
        ),
        FieldDef::new(
            "modality",
            String,
            true,
            "Whether the text asserts the act or only reports it as alleged or claimed.",
        )
        .one_of(&["asserted", "alleged"]),
        FieldDef::new(
            "evidence",
            String,
            true,
            "The text of the mention(s) that report the event, joined by ' … '.",
        )
        .distinct(),
        FieldDef::new(
            "char_start",
            Integer,
            true,
            "Byte offset of the first mention in the article's body.",
        ),
        FieldDef::new(
            "char_end",
            Integer,
            true,
            "Byte offset just past the first mention in the article's body.",
        ),
        FieldDef::new(
            "n_mentions",
            Integer,
            true,
            "How many mentions the event merges.",
        ),
        FieldDef::new(
            "confidence",
            Number,
            true,
            "Extraction confidence between 0 and 1.",
        )
        .range(0.0, 1.0),
    ],
    primary_key: &["event_id"],
    foreign_keys: &[
        ForeignKey {
            fields: &["article_id"],
            reference_table: "articles",
            reference_fields: &["article_id"],
        },
        ForeignKey {
            fields: &["location_id"],
            reference_table: "locations",
            reference_fields: &["location_id"],
        },
    ],
};

pub const EVENT_MENTIONS: TableDef = TableDef {
    name: "event_mentions",
    title: "Event mentions",
    description: "Each passage of an article that reports an event, in text order.",
    fields: &[
        FieldDef::new("event_id", String, true, "The event.").distinct(),
        FieldDef::new(
            "seq",
            Integer,
            true,
            "The mention's position among the event's mentions, from 1.",
        ),
        FieldDef::new(
            "char_start",
            Integer,
            true,
            "Byte offset of the mention in the article's body.",
        ),
        FieldDef::new(
            "char_end",
            Integer,
            true,
            "Byte offset just past the mention in the article's body.",
        ),
        FieldDef::new(
            "trigger",
            String,
            false,
            "The word(s) that signal the event (\"shelled\", \"clashes\").",
        ),
        FieldDef::new("text", String, true, "The mention's text.").distinct(),
    ],
    primary_key: &["event_id", "seq"],
    foreign_keys: &[ForeignKey {
        fields: &["event_id"],
        reference_table: "events",
        reference_fields: &["event_id"],
    }],
};

pub const ACTORS: TableDef = TableDef {
    name: "actors",
    title: "Actors",
    description: "The armed groups, state forces, civilians and reporting sources named in events, with ACLED's actor categories.",
    fields: &[
        FieldDef::new(
            "actor_id",
            String,
            true,
            "Stable id: a hash of the canonical name.",
        ),
        FieldDef::new("name", String, true, "Canonical name, in ACLED's style."),
        FieldDef::new(
            "kind",
            String,
            true,
            "ACLED actor category; `reporting_source` for a monitor or agency that reports events (role source only); `unknown` only where the text names nobody.",
        )
        .one_of(ACTOR_KINDS),
        FieldDef::new(
            "country",
            String,
            false,
            "ISO 3166-1 alpha-2 code of the actor's country.",
        ),
        FieldDef::new(
            "allegiance",
            String,
            false,
            "The actor's parent organisation or the side it fights for.",
        ),
    ],
    primary_key: &["actor_id"],
    foreign_keys: &[],
};

pub const EVENT_ACTORS: TableDef = TableDef {
    name: "event_actors",
    title: "Event actors",
    description: "Who acted in an event and who was acted on (ACLED's actor1, actor2 and associated actors), and who reported it (source).",
    fields: &[
        FieldDef::new("event_id", String, true, "The event.").distinct(),
        FieldDef::new("actor_id", String, true, "The actor."),
        FieldDef::new("role", String, true, "actor1 acts, actor2 is acted on; assoc_* fight alongside them; source reported the event.").one_of(ACTOR_ROLES),
        FieldDef::new("actor_text", String, false, "The words that name the actor in the evidence.").distinct(),
    ],
    primary_key: &["event_id", "actor_id", "role"],
    foreign_keys: &[
        ForeignKey { fields: &["event_id"], reference_table: "events", reference_fields: &["event_id"] },
        ForeignKey { fields: &["actor_id"], reference_table: "actors", reference_fields: &["actor_id"] },
    ],
};

pub const LOCATIONS: TableDef = TableDef {
    name: "locations",
    title: "Locations",
    description: "The places events happened, from the project's gazetteer (GeoNames and UCDP GED, CC BY 4.0), with honest precision.",
    fields: &[
        FieldDef::new(
            "location_id",
            String,
            true,
            "Stable id: a hash of name, admin1, country and precision.",
        ),
        FieldDef::new(
            "name",
            String,
            true,
            "The place's name as the article spells it (governorates and countries in their standard English form); an areal expression keeps its words (\"northern Latakia\"). Spellings of one place share gazetteer_id.",
        ),
        FieldDef::new(
            "admin1",
            String,
            false,
            "Governorate (GeoNames English name).",
        ),
        FieldDef::new("admin2", String, false, "District (GeoNames English name)."),
        FieldDef::new("country", String, true, "ISO 3166-1 alpha-2 country code."),
        FieldDef::new(
            "latitude",
            Number,
            false,
            "WGS 84 latitude of the place, or of the named unit for region/admin precision.",
        )
        .range(-90.0, 90.0),
        FieldDef::new("longitude", Number, false, "WGS 84 longitude.").range(-180.0, 180.0),
        FieldDef::new(
            "feature",
            String,
            true,
            "What kind of place: city, town, village, neighbourhood, region, mountain, admin1, admin2, country, ...",
        ),
        FieldDef::new(
            "precision",
            String,
            true,
            "How exactly the coordinates locate the event.",
        )
        .one_of(LOCATION_PRECISIONS),
        FieldDef::new("geonames_id", Integer, false, "GeoNames id, where known."),
        FieldDef::new(
            "gazetteer_id",
            String,
            false,
            "The entry of sitrep's gazetteer (data/gazetteer.tsv) the place resolved to; spellings of one place share it. Null for a place known only from the text.",
        ),
        FieldDef::new(
            "gazetteer_source",
            String,
            false,
            "Which gazetteer source(s) the entry comes from (geonames, ucdp, curated).",
        ),
    ],
    primary_key: &["location_id"],
    foreign_keys: &[],
};

pub const EVENT_LOCATIONS: TableDef = TableDef {
    name: "event_locations",
    title: "Event locations",
    description: "Every place an event's mentions name; the one in events.location_id is marked primary.",
    fields: &[
        FieldDef::new("event_id", String, true, "The event.").distinct(),
        FieldDef::new("location_id", String, true, "The place."),
        FieldDef::new(
            "is_primary",
            Boolean,
            true,
            "True for the place chosen for events.location_id.",
        ),
        FieldDef::new(
            "location_text",
            String,
            false,
            "The words that name the place.",
        )
        .distinct(),
    ],
    primary_key: &["event_id", "location_id"],
    foreign_keys: &[
        ForeignKey {
            fields: &["event_id"],
            reference_table: "events",
            reference_fields: &["event_id"],
        },
        ForeignKey {
            fields: &["location_id"],
            reference_table: "locations",
            reference_fields: &["location_id"],
        },
    ],
};

const REJECT_REASONS: &[&str] = &[
    "unreadable",
    "empty",
    "binary",
    "too_large",
    "decompress",
    "malformed_json",
    "no_text",
    "duplicate",
    "unsupported_format",
];

pub const REJECTS: TableDef = TableDef {
    name: "rejects",
    title: "Rejects",
    description: "Every input (file, or JSON Lines record) that did not become an article, with the reason. articles + rejects account for every input.",
    fields: &[
        FieldDef::new(
            "input",
            String,
            true,
            "The input's path relative to the input folder; path#L<n> for a JSON Lines record.",
        )
        .distinct(),
        FieldDef::new("reason", String, true, "Why the input was rejected.").one_of(REJECT_REASONS),
        FieldDef::new(
            "detail",
            String,
            true,
            "What exactly was wrong, or for a duplicate the input it duplicates.",
        )
        .distinct(),
    ],
    primary_key: &["input"],
    foreign_keys: &[],
};

/// Every table, in the order they are written and described.
pub const ALL_TABLES: &[&TableDef] = &[
    &ARTICLES,
    &EVENTS,
    &EVENT_MENTIONS,
    &ACTORS,
    &EVENT_ACTORS,
    &LOCATIONS,
    &EVENT_LOCATIONS,
    &REJECTS,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RejectReason;

    #[test]
    fn keys_name_real_fields() {
        for t in ALL_TABLES {
            for k in t.primary_key {
                assert!(t.field_index(k).is_some(), "{}: key {k}", t.name);
            }
            for fk in t.foreign_keys {
                let parent = ALL_TABLES
                    .iter()
                    .find(|p| p.name == fk.reference_table)
                    .expect("parent table");
                for (f, r) in fk.fields.iter().zip(fk.reference_fields) {
                    assert!(t.field_index(f).is_some(), "{}: fk field {f}", t.name);
                    assert!(parent.field_index(r).is_some(), "{}: fk ref {r}", t.name);
                }
            }
        }
    }

    #[test]
    fn enums_match_the_code() {
        let reasons: Vec<&str> = RejectReason::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(reasons, REJECT_REASONS);
        let subs: Vec<&str> = crate::typology::SUB_EVENT_TYPES
            .iter()
            .map(|(_, s)| *s)
            .collect();
        assert_eq!(subs, SUB_EVENT_TYPE_NAMES);
    }
}

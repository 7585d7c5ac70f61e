//! ACLED's event typology and actor categories, and the controlled
//! vocabularies of the dataset's enum columns. The names are ACLED's exactly.

/// `(event_type, sub_event_type)` pairs, in ACLED's order.
pub const SUB_EVENT_TYPES: &[(&str, &str)] = &[
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Explosions/Remote violence", "Chemical weapon"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Suicide bomb"),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    ("Explosions/Remote violence", "Grenade"),
    ("Violence against civilians", "Sexual violence"),
    ("Violence against civilians", "Attack"),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Agreement"),
    ("Strategic developments", "Arrests"),
    ("Strategic developments", "Change to group/activity"),
    ("Strategic developments", "Disrupted weapons use"),
    ("Strategic developments", "Headquarters or base established"),
    ("Strategic developments", "Looting/property destruction"),
    (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    ("Strategic developments", "Other"),
];

pub const EVENT_TYPES: &[&str] = &[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

/// The event type of harm done to civilians.
pub const VIOLENCE_AGAINST_CIVILIANS: &str = "Violence against civilians";

/// The sub-event type of an air strike.
pub const AIR_STRIKE: &str = "Air/drone strike";

/// ACLED's political violence: the event types whose acts are attacks
/// ("the attack" can name any of them, and nothing else).
pub const POLITICAL_VIOLENCE: &[&str] = &[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
];

/// The event type a sub-event type belongs to.
pub fn event_type_of(sub_event_type: &str) -> Option<&'static str> {
    SUB_EVENT_TYPES
        .iter()
        .find(|(_, s)| *s == sub_event_type)
        .map(|(t, _)| *t)
}

/// ACLED's actor categories, plus `reporting_source` for the monitors and
/// agencies that report an event (linked only with role `source`), and
/// `unknown` for an actor the text does not name.
pub const ACTOR_KINDS: &[&str] = &[
    "state_forces",
    "rebel_group",
    "political_militia",
    "identity_militia",
    "rioters",
    "protesters",
    "civilians",
    "external_forces",
    "reporting_source",
    "unknown",
];

pub const ACTOR_ROLES: &[&str] = &["actor1", "actor2", "assoc_actor1", "assoc_actor2", "source"];

pub const DATE_PRECISIONS: &[&str] = &["day", "week", "month", "year", "published", "unknown"];

pub const FATALITY_QUALIFIERS: &[&str] = &[
    "exact",
    "at_least",
    "more_than",
    "about",
    "up_to",
    "unknown",
];

pub const LOCATION_PRECISIONS: &[&str] = &["place", "region", "admin2", "admin1", "country"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sub_type_has_a_known_type() {
        for (t, s) in SUB_EVENT_TYPES {
            assert!(EVENT_TYPES.contains(t), "{s} has unknown type {t}");
            assert_eq!(event_type_of(s), Some(*t));
        }
        assert_eq!(event_type_of("Riot"), None);
    }
}

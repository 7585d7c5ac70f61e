//! GeoParquet for the `locations` table: a `geometry` column holding each
//! place as a WKB Point (longitude, latitude; null where either is missing)
//! and the `geo` file metadata (GeoParquet 1.1.0, CRS omitted = OGC:CRS84).
//! The column exists only in the Parquet file: the CSV and the Frictionless
//! field list keep latitude/longitude, which carry the same information.

use arrow_array::{ArrayRef, BinaryArray};

use crate::tables::{Column, Table};

/// The name of the geometry column appended to `locations.parquet`.
pub const GEOMETRY_COLUMN: &str = "geometry";

/// Whether a table gets a geometry column.
pub fn has_geometry(table_name: &str) -> bool {
    table_name == "locations"
}

/// A point as ISO WKB, little-endian: byte order, type 1 (Point), x, y.
pub fn wkb_point(lon: f64, lat: f64) -> [u8; 21] {
    let mut out = [0u8; 21];
    out[0] = 1;
    out[1..5].copy_from_slice(&1u32.to_le_bytes());
    out[5..13].copy_from_slice(&lon.to_le_bytes());
    out[13..21].copy_from_slice(&lat.to_le_bytes());
    out
}

/// The geometry column for a batch of `locations`.
pub fn geometry_array(table: &Table) -> ArrayRef {
    let lat = num_column(table, "latitude");
    let lon = num_column(table, "longitude");
    let points: Vec<Option<[u8; 21]>> = (0..table.num_rows())
        .map(
            |i| match (lon.get(i).copied().flatten(), lat.get(i).copied().flatten()) {
                (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Some(wkb_point(x, y)),
                _ => None,
            },
        )
        .collect();
    std::sync::Arc::new(BinaryArray::from_iter(
        points.iter().map(|p| p.as_ref().map(|b| &b[..])),
    ))
}

fn num_column<'a>(table: &'a Table, name: &str) -> &'a [Option<f64>] {
    match table.column(name) {
        Some(Column::Num(v)) => v,
        _ => &[],
    }
}

/// The `geo` key-value metadata. The bounding box is left out so that the
/// value does not depend on the data.
pub fn geo_metadata() -> String {
    let v = serde_json::json!({
        "version": "1.1.0",
        "primary_column": GEOMETRY_COLUMN,
        "columns": {
            GEOMETRY_COLUMN: {
                "encoding": "WKB",
                "geometry_types": ["Point"],
            }
        }
    });
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wkb_point_layout() {
        let b = wkb_point(36.2, 33.5);
        assert_eq!(b[0], 1);
        assert_eq!(&b[1..5], &[1, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(b[5..13].try_into().expect("8")), 36.2);
        assert_eq!(f64::from_le_bytes(b[13..21].try_into().expect("8")), 33.5);
    }
}

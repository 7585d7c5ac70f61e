"""Proves a sitrep dataset loads unchanged where researchers load it.

usage: python tests/python/check_dataset.py DATASET_DIR

For every table in datapackage.json: the Parquet file loads with pandas'
default reader and in DuckDB (and polars, where installed) with the same
row count as its CSV; the column types are the ones the schema declares;
the GeoParquet metadata of locations, when present, is valid JSON naming
its geometry column; and `frictionless validate` accepts the package.
Exits 1 with a list of problems.
"""
import json
import pathlib
import subprocess
import sys

import duckdb
import pandas as pd

try:
    import polars as pl
except ImportError:  # optional
    pl = None

DUCK_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}


def main(ds: pathlib.Path) -> int:
    pkg = json.loads((ds / "datapackage.json").read_text(encoding="utf-8"))
    con = duckdb.connect()
    bad = []
    for res in pkg["resources"]:
        name = res["name"]
        pq = ds / res.get("sitrep:parquet", f"{name}.parquet")
        csv = ds / res["path"]
        df = pd.read_parquet(pq)
        n_csv = con.execute(f"SELECT count(*) FROM read_csv('{csv}', header=true, all_varchar=true)").fetchone()[0]
        n_duck = con.execute(f"SELECT count(*) FROM '{pq}'").fetchone()[0]
        if not len(df) == n_csv == n_duck:
            bad.append(f"{name}: rows pandas {len(df)} duckdb {n_duck} csv {n_csv}")
        if pl is not None and pl.read_parquet(pq).height != len(df):
            bad.append(f"{name}: polars row count differs")
        types = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM '{pq}'").fetchall()}
        for field in res["schema"]["fields"]:
            want = DUCK_TYPES[field["type"]]
            got = types.get(field["name"])
            if got != want:
                bad.append(f"{name}.{field['name']}: parquet type {got}, schema says {field['type']}")
        if name == "locations" and "geometry" in types:
            import pyarrow.parquet as papq
            meta = papq.read_metadata(pq).metadata or {}
            geo = json.loads(meta.get(b"geo", b"{}"))
            if geo.get("primary_column") != "geometry":
                bad.append("locations: GeoParquet 'geo' metadata missing or wrong")
            import geopandas
            gdf = geopandas.read_parquet(pq)
            if len(gdf) != len(df) or str(gdf.crs) not in ("OGC:CRS84", "EPSG:4326"):
                bad.append(f"locations: geopandas reads {len(gdf)} rows with crs {gdf.crs}")
            points = gdf.geometry.dropna()
            if len(points) and not (points.geom_type == "Point").all():
                bad.append("locations: geometry is not all points")
            lon_ok = (points.x - df.loc[points.index, "longitude"]).abs().max() if len(points) else 0
            if lon_ok and lon_ok > 1e-9:
                bad.append("locations: geometry does not match longitude")
    fl = subprocess.run(["frictionless", "validate", str(ds / "datapackage.json")], capture_output=True, text=True)
    if fl.returncode != 0:
        bad.append("frictionless validate failed:\n" + fl.stdout[-4000:] + fl.stderr[-2000:])
    for b in bad:
        print(b)
    print(("FAIL " if bad else "ok ") + f"{len(pkg['resources'])} tables in {ds.name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))

#!/usr/bin/env bash
# SpatiaLite peer for bench/run.sh: the 2021 alliances, 2023 ICBs and 2023 Sub-ICBs loaded from
# the same GeoJSON with ogr2ogr into a SpatiaLite file (R*Tree spatial index); then, for each
# point set, from the sqlite3 shell with mod_spatialite loaded:
#   - one query per point, its candidates taken from the R*Tree (SpatialIndex), and the empty
#     statement (SELECT 1) as its floor;
#   - one set-based join of all the points through the same R*Tree.
# Usage: spatialite.sh RESULTS_DIR   (env DATA, POINTS: the data and point folders)
# Writes RESULTS_DIR/times.txt lines and sl_{query,join}_<set>_<layer>.csv answers.
set -euo pipefail
R=$1
: "${DATA:?}" "${POINTS:?}"
LAYERS="cal21:boundaries/2021/cancer-alliances.geojson:cal21cd icb23:boundaries/2023/icb.geojson:icb23cd sicbl23:boundaries/2023/sub-icb.geojson:sicbl23cd"
SETS="uniform:points_uniform_100k boundary:points_boundary_20k"
work=$(mktemp -d -t alliance-sl.XXXXXX)
trap 'rm -rf "$work"' EXIT
db=$work/peers.sqlite
sql() { sqlite3 -batch -bail "$db" ".load mod_spatialite" "$@"; }

for l in $LAYERS; do
  IFS=: read -r name file col <<<"$l"
  ogr2ogr -f SQLite -dsco SPATIALITE=YES -append "$db" "$DATA/$file" -nln "$name" -nlt MULTIPOLYGON \
    -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=YES
done
{
  echo "spatialite $(sql "SELECT spatialite_version()")"
  echo "sqlite $(sql "SELECT sqlite_version()")"
} >> "$R/versions.txt"

now() { date +%s%N; }
per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.6g", (b - a) / 1e3 / n }'; }

for s in $SETS; do
  set_name=${s%%:*}; file=${s#*:}
  zcat "$POINTS/$file.csv.gz" | tr -d '\r' | cut -d, -f1-3 > "$work/$set_name.csv"
  n=$(($(wc -l < "$work/$set_name.csv") - 1))
  sql "CREATE TABLE pts_$set_name (id INTEGER PRIMARY KEY, lon REAL, lat REAL)" >/dev/null
  sql ".mode csv" ".import --skip 1 $work/$set_name.csv pts_$set_name" \
    "SELECT AddGeometryColumn('pts_$set_name', 'geom', 4326, 'POINT', 'XY')" \
    "UPDATE pts_$set_name SET geom = MakePoint(lon, lat, 4326)" >/dev/null

  { echo ".load mod_spatialite"; for ((i = 0; i < n; i++)); do echo "SELECT 1;"; done; } > "$work/floor.sql"
  t0=$(now); sqlite3 -batch "$db" < "$work/floor.sql" > /dev/null; t1=$(now)
  echo "spatialite-floor $set_name - $(per "$t0" "$t1" "$n")" >> "$R/times.txt"

  for l in $LAYERS; do
    IFS=: read -r name file col <<<"$l"
    # One query per point: candidates from the R*Tree, then the exact test.
    { echo ".load mod_spatialite"
      tail -n +2 "$work/$set_name.csv" | awk -F, -v t="$name" -v c="$col" -v q="'" '{
        printf "SELECT coalesce((SELECT %s FROM %s WHERE ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = %s%s%s AND search_frame = MakePoint(%s, %s, 4326)) AND ST_Contains(geom, MakePoint(%s, %s, 4326)) LIMIT 1), %s%s);\n", c, t, q, t, q, $2, $3, $2, $3, q, q }'
    } > "$work/q.sql"
    t0=$(now); sqlite3 -batch -bail "$db" < "$work/q.sql" > "$work/answers.txt"; t1=$(now)
    [ "$(wc -l < "$work/answers.txt")" = "$n" ] || { echo "SpatiaLite: $(wc -l < "$work/answers.txt") answers for $n points" >&2; exit 1; }
    echo "spatialite-query $set_name $name $(per "$t0" "$t1" "$n")" >> "$R/times.txt"
    tail -n +2 "$work/$set_name.csv" | cut -d, -f1 | paste -d, - "$work/answers.txt" > "$R/sl_query_${set_name}_$name.csv"

    # One set-based join through the same R*Tree, its answers written as it goes.
    t0=$(now)
    sql ".mode csv" "SELECT p.id, l.$col FROM pts_$set_name p JOIN $name l ON l.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = '$name' AND search_frame = p.geom) AND ST_Contains(l.geom, p.geom)" > "$R/sl_join_${set_name}_$name.csv"
    t1=$(now)
    echo "spatialite-join $set_name $name $(per "$t0" "$t1" "$n")" >> "$R/times.txt"
    echo "  SpatiaLite $name $set_name done" >&2
  done
done

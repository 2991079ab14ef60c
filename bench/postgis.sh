#!/usr/bin/env bash
# PostGIS peer for bench/run.sh: a throwaway cluster in a temporary folder, listening on a Unix
# socket only, stopped on exit; the 2021 alliances, 2023 ICBs and 2023 Sub-ICBs loaded from the
# same GeoJSON with ogr2ogr (GiST indexes); then, for each point set,
#   - one prepared ST_Contains query per point from a client (psql over the socket; each
#     EXECUTE is one round trip), and the empty round trip (SELECT 1) as its floor;
#   - one set-based join of all the points (jit = off), best of two.
# Usage: postgis.sh RESULTS_DIR   (env DATA, POINTS: the data and point folders)
# Writes RESULTS_DIR/times.txt lines and pg_{query,join}_<set>_<layer>.csv answers.
set -euo pipefail
R=$1
: "${DATA:?}" "${POINTS:?}"
LAYERS="cal21:boundaries/2021/cancer-alliances.geojson:cal21cd icb23:boundaries/2023/icb.geojson:icb23cd sicbl23:boundaries/2023/sub-icb.geojson:sicbl23cd"
SETS="uniform:points_uniform_100k boundary:points_boundary_20k"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }
work=$(mktemp -d -t alliance-pg.XXXXXX)
chmod 755 "$work"
# PostgreSQL refuses to run as root: run the server as the postgres user when we are root.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "running as root and no postgres user to run the server" >&2; exit 1; }
  chown postgres "$work"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  [ -f "$work/data/postmaster.pid" ] && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"${as_pg[@]}" "$PGBIN/initdb" -D "$work/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$work/data" -l "$work/log" -w -t 60 \
  -o "-k $work -c listen_addresses='' -c jit=off -c shared_buffers=256MB -c work_mem=64MB -c fsync=off -c max_parallel_workers_per_gather=0" start >/dev/null
psql=(psql -h "$work" -U postgres -d postgres -X -v ON_ERROR_STOP=1 -qAt)
"${psql[@]}" -c "CREATE EXTENSION postgis" >/dev/null
{
  echo "postgresql $("${psql[@]}" -c 'SHOW server_version')"
  echo "postgis $("${psql[@]}" -c 'SELECT postgis_lib_version()')"
  echo "geos $("${psql[@]}" -c 'SELECT postgis_geos_version()')"
  echo "gdal $(ogr2ogr --version | sed 's/^GDAL \([^,]*\).*/\1/')"
} >> "$R/versions.txt"

for l in $LAYERS; do
  IFS=: read -r name file col <<<"$l"
  ogr2ogr -f PostgreSQL "PG:host=$work user=postgres dbname=postgres" "$DATA/$file" \
    -nln "$name" -nlt MULTIPOLYGON -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -lco FID=fid
  "${psql[@]}" -c "VACUUM ANALYZE $name" >/dev/null
done

now() { date +%s%N; }
per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.6g", (b - a) / 1e3 / n }'; }

for s in $SETS; do
  set_name=${s%%:*}; file=${s#*:}
  zcat "$POINTS/$file.csv.gz" | tr -d '\r' | cut -d, -f1-3 > "$work/$set_name.csv"
  n=$(($(wc -l < "$work/$set_name.csv") - 1))
  "${psql[@]}" -c "CREATE TABLE pts_$set_name (id int PRIMARY KEY, lon float8, lat float8)" \
    -c "\\copy pts_$set_name FROM '$work/$set_name.csv' CSV HEADER" \
    -c "ALTER TABLE pts_$set_name ADD COLUMN geom geometry(Point, 4326)" \
    -c "UPDATE pts_$set_name SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326)" \
    -c "CREATE INDEX ON pts_$set_name USING gist (geom)" -c "VACUUM ANALYZE pts_$set_name" >/dev/null

  # The floor: one empty round trip per point from the same client.
  { echo "PREPARE q AS SELECT 1;"; for ((i = 0; i < n; i++)); do echo "EXECUTE q;"; done; } > "$work/floor.sql"
  t0=$(now); "${psql[@]}" -f "$work/floor.sql" > /dev/null; t1=$(now)
  echo "postgis-floor $set_name - $(per "$t0" "$t1" "$n")" >> "$R/times.txt"

  for l in $LAYERS; do
    IFS=: read -r name file col <<<"$l"
    # One prepared query per point, from a client over the Unix socket.
    { echo "PREPARE q(float8, float8) AS SELECT coalesce((SELECT $col FROM $name WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(\$1, \$2), 4326)) LIMIT 1), '');"
      tail -n +2 "$work/$set_name.csv" | awk -F, '{ printf "EXECUTE q(%s, %s);\n", $2, $3 }'; } > "$work/q.sql"
    t0=$(now); "${psql[@]}" -f "$work/q.sql" > "$work/answers.txt"; t1=$(now)
    [ "$(wc -l < "$work/answers.txt")" = "$n" ] || { echo "PostGIS: $(wc -l < "$work/answers.txt") answers for $n points" >&2; exit 1; }
    echo "postgis-query $set_name $name $(per "$t0" "$t1" "$n")" >> "$R/times.txt"
    tail -n +2 "$work/$set_name.csv" | cut -d, -f1 | paste -d, - "$work/answers.txt" > "$R/pg_query_${set_name}_$name.csv"

    # One set-based join of all the points, inside the server (best of two; the count keeps
    # the result transfer out of the timing), then its answers.
    best=""
    for _ in 1 2; do
      ms=$("${psql[@]}" -c "SET jit = off" -c '\timing on' \
        -c "SELECT count(*) FROM pts_$set_name p JOIN $name l ON ST_Contains(l.geom, p.geom)" | awk '/^Time:/ { print $2 }')
      best=$(awk -v a="$best" -v b="$ms" 'BEGIN { print (a == "" || b < a) ? b : a }')
    done
    echo "postgis-join $set_name $name $(awk -v ms="$best" -v n="$n" 'BEGIN { printf "%.6g", ms * 1e3 / n }')" >> "$R/times.txt"
    "${psql[@]}" -c "\\copy (SELECT p.id, l.$col FROM pts_$set_name p JOIN $name l ON ST_Contains(l.geom, p.geom) ORDER BY p.id) TO '$R/pg_join_${set_name}_$name.csv' CSV"
    echo "  PostGIS $name $set_name done" >&2
  done
done

#!/usr/bin/env bash
# Answers the shared benchmark points (shared/bench) with this service's index (in-process
# and over HTTP), PostGIS, SpatiaLite and orb's naive test, on the same layers, in one run;
# checks that every tool gives the same area for every point and prints a Markdown section
# for docs/benchmarks.md.
# Needs Debian's postgresql, postgis, gdal-bin, sqlite3 and libsqlite3-mod-spatialite (it
# installs them when missing). Per-point queries use the first $PER_POINT points of each set.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ALLIANCE_DATA:-../shared/data}
BENCH=${ALLIANCE_BENCH:-$(dirname "$DATA")/bench}
PER_POINT=${PER_POINT:-20000}
PG=/usr/lib/postgresql/15/bin
tmp=$(mktemp -d)
chmod 755 "$tmp"
cleanup() {
  if [ -n "${spid:-}" ]; then kill "$spid" 2>/dev/null || true; fi
  if [ -f "$tmp/pg/data/postmaster.pid" ]; then runuser -u postgres -- $PG/pg_ctl -D "$tmp/pg/data" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

need=()
[ -x $PG/initdb ] || need+=(postgresql)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || need+=(postgresql-15-postgis-3 postgresql-15-postgis-3-scripts)
command -v ogr2ogr >/dev/null || need+=(gdal-bin)
command -v sqlite3 >/dev/null || need+=(sqlite3)
ls /usr/lib/*/mod_spatialite.so >/dev/null 2>&1 || need+=(libsqlite3-mod-spatialite)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# layer name, file, code column (as ogr2ogr names it: lower case)
LAYERS="cal21:boundaries/2021/cancer-alliances.geojson:cal21cd icb23:boundaries/2023/icb.geojson:icb23cd sicbl23:boundaries/2023/sub-icb.geojson:sicbl23cd"
SETS="uniform:points_uniform_100k boundary:points_boundary_20k"
now() { date +%s%N; }
us() { python3 -c "print('%.2f' % (($2 - $1) / 1e3 / $3))"; }   # start end count → µs per point

for s in $SETS; do
  set_name=${s%%:*}; file=${s#*:}
  zcat "$BENCH/$file.csv.gz" | tr -d '\r' | cut -d, -f1-3 > "$tmp/$set_name.csv"
  head -n $((PER_POINT + 1)) "$tmp/$set_name.csv" > "$tmp/${set_name}_pp.csv"
done

echo "ours…" >&2
for s in $SETS; do
  set_name=${s%%:*}
  mkdir -p "$tmp/ours/$set_name"
  go run ./bench/ours -data "$DATA" -points "$tmp/$set_name.csv" -out "$tmp/ours/$set_name" -naive > "$tmp/ours/$set_name/times.txt"
done

echo "ours over HTTP…" >&2
# One GET /api/v1/lookup per point, timed with wrk on one connection (its mean latency is
# the time per request, as psql's is per query below); the answers fetched apart, untimed.
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
make -s build >/dev/null
DB=${ALLIANCE_DB:-var/alliance.db}
[ -f "$DB" ] || make -s db >/dev/null
port=$((20000 + RANDOM % 20000))
bin/alliance serve --addr 127.0.0.1:$port --db "$DB" 2>/dev/null &
spid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do kill -0 $spid 2>/dev/null || { echo "alliance serve exited" >&2; exit 1; }; sleep 0.05; done
for s in $SETS; do
  set_name=${s%%:*}
  go run ./bench/ours -http "http://127.0.0.1:$port" -points "$tmp/${set_name}_pp.csv" -out "$tmp/ours/$set_name"
  for ed in 2021 2023; do
    tail -n +2 "$tmp/${set_name}_pp.csv" | awk -F, -v e=$ed '{printf "/api/v1/lookup?lat=%s&lon=%s&edition=%s\n", $3, $2, e}' > "$tmp/paths.txt"
    mean=$(PATHS="$tmp/paths.txt" wrk -t1 -c1 -d${HTTP_DURATION:-5s} -s bench/paths.lua "http://127.0.0.1:$port" | tail -1 |
      python3 -c "import json,sys; d=json.load(sys.stdin); assert d['errors'] == d['non2xx'], d; print('%.2f' % d['mean_us'])")
    case $ed in 2021) ls=cal21;; 2023) ls="icb23 sicbl23";; esac
    for l in $ls; do echo "http $set_name $l $mean" >> "$tmp/times.txt"; done
  done
done
kill $spid; wait $spid 2>/dev/null || true; spid=

echo "PostGIS…" >&2
mkdir -p "$tmp/pg" && chown postgres "$tmp/pg"
runuser -u postgres -- $PG/initdb -D "$tmp/pg/data" -A trust -U postgres >/dev/null
runuser -u postgres -- $PG/pg_ctl -D "$tmp/pg/data" -l "$tmp/pg/log" -w \
  -o "-k $tmp/pg -c listen_addresses='' -c jit=off -c shared_buffers=512MB -c work_mem=64MB" start >/dev/null
psql=(psql -h "$tmp/pg" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
"${psql[@]}" -c "CREATE EXTENSION postgis" >/dev/null
pgversion=$("${psql[@]}" -c "SELECT postgis_lib_version()")
for l in $LAYERS; do
  IFS=: read -r name file col <<<"$l"
  ogr2ogr -f PostgreSQL "PG:host=$tmp/pg user=postgres dbname=postgres" "$DATA/$file" -nln "$name" -nlt MULTIPOLYGON -lco GEOMETRY_NAME=geom
  "${psql[@]}" -c "ANALYZE $name" >/dev/null
done
for s in $SETS; do
  set_name=${s%%:*}
  "${psql[@]}" -c "CREATE TABLE pts_$set_name (id int, lon float8, lat float8)" -c "\\copy pts_$set_name FROM '$tmp/$set_name.csv' CSV HEADER" \
    -c "ALTER TABLE pts_$set_name ADD COLUMN geom geometry(Point, 4326)" -c "UPDATE pts_$set_name SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326)" \
    -c "CREATE INDEX ON pts_$set_name USING gist (geom)" -c "ANALYZE pts_$set_name" >/dev/null
  for l in $LAYERS; do
    IFS=: read -r name file col <<<"$l"
    # One prepared query per point, from a client over the Unix socket.
    { echo "PREPARE q(float8, float8) AS SELECT coalesce((SELECT $col FROM $name WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(\$1, \$2), 4326)) LIMIT 1), '');"
      tail -n +2 "$tmp/${set_name}_pp.csv" | awk -F, '{printf "EXECUTE q(%s, %s);\n", $2, $3}'; } > "$tmp/q.sql"
    t0=$(now); "${psql[@]}" -f "$tmp/q.sql" > "$tmp/pg_pp.txt"; t1=$(now)
    n=$(wc -l < "$tmp/pg_pp.txt")
    echo "postgis-point $set_name $name $(us $t0 $t1 $n)" >> "$tmp/times.txt"
    tail -n +2 "$tmp/${set_name}_pp.csv" | cut -d, -f1 | paste -d, - "$tmp/pg_pp.txt" > "$tmp/pg_pp_${set_name}_$name.csv"
    # One set-based join of all the points.
    ms=$("${psql[@]}" -c "EXPLAIN (ANALYZE, TIMING OFF) SELECT p.id, l.$col FROM pts_$set_name p JOIN $name l ON ST_Contains(l.geom, p.geom)" | awk '/Execution Time/ {print $3}')
    n=$(($(wc -l < "$tmp/$set_name.csv") - 1))
    echo "postgis-join $set_name $name $(python3 -c "print('%.2f' % ($ms * 1e3 / $n))")" >> "$tmp/times.txt"
    "${psql[@]}" -c "\\copy (SELECT p.id, l.$col FROM pts_$set_name p JOIN $name l ON ST_Contains(l.geom, p.geom)) TO '$tmp/pg_join_${set_name}_$name.csv' CSV"
  done
done

echo "SpatiaLite…" >&2
sl="$tmp/sl.db"
for l in $LAYERS; do
  IFS=: read -r name file col <<<"$l"
  ogr2ogr -f SQLite -dsco SPATIALITE=YES -append "$sl" "$DATA/$file" -nln "$name" -nlt MULTIPOLYGON -lco GEOMETRY_NAME=geom
done
slversion=$(sqlite3 "$sl" ".load mod_spatialite" "SELECT spatialite_version()" | tail -1)
for s in $SETS; do
  set_name=${s%%:*}
  sqlite3 "$sl" ".load mod_spatialite" ".mode csv" ".import $tmp/$set_name.csv pts_$set_name" \
    "SELECT AddGeometryColumn('pts_$set_name', 'geom', 4326, 'POINT', 'XY')" \
    "UPDATE pts_$set_name SET geom = MakePoint(CAST(lon AS REAL), CAST(lat AS REAL), 4326)" >/dev/null
  for l in $LAYERS; do
    IFS=: read -r name file col <<<"$l"
    { echo ".load mod_spatialite"
      tail -n +2 "$tmp/${set_name}_pp.csv" | awk -F, -v t="$name" -v c="$col" '{printf "SELECT coalesce((SELECT %s FROM %s WHERE ST_Contains(geom, MakePoint(%s, %s, 4326)) AND ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = %c%s%c AND search_frame = MakePoint(%s, %s, 4326)) LIMIT 1), %c%c);\n", c, t, $2, $3, 39, t, 39, $2, $3, 39, 39}'; } > "$tmp/q.sql"
    t0=$(now); sqlite3 "$sl" < "$tmp/q.sql" > "$tmp/sl_pp.txt"; t1=$(now)
    n=$(wc -l < "$tmp/sl_pp.txt")
    echo "spatialite-point $set_name $name $(us $t0 $t1 $n)" >> "$tmp/times.txt"
    tail -n +2 "$tmp/${set_name}_pp.csv" | cut -d, -f1 | paste -d, - "$tmp/sl_pp.txt" > "$tmp/sl_pp_${set_name}_$name.csv"
    t0=$(now)
    sqlite3 "$sl" ".load mod_spatialite" ".mode csv" "SELECT p.id, l.$col FROM pts_$set_name p JOIN $name l ON ST_Contains(l.geom, p.geom) AND l.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = '$name' AND search_frame = p.geom)" > "$tmp/sl_join_${set_name}_$name.csv"
    t1=$(now)
    n=$(($(wc -l < "$tmp/$set_name.csv") - 1))
    echo "spatialite-join $set_name $name $(us $t0 $t1 $n)" >> "$tmp/times.txt"
  done
done

python3 bench/compare.py "$tmp" "$pgversion" "$slversion"

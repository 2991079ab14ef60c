#!/usr/bin/env bash
# This service against mySociety's MapIt 3.0 over HTTP, on loopback, same points: time per
# request on one kept-alive connection (alternating rounds), throughput at 16 and 64
# connections, and the areas each names for the points inside a polygon, layer by layer.
# MapIt comes from ../shared/peers/mapit/setup.sh (a private PostGIS cluster and gunicorn under
# a temporary folder, the layers of our default edition plus the countries); it is stopped and
# its folder removed on exit, whatever happens.
#
# Usage: bash bench/mapit.sh OUTDIR            writes OUTDIR/mapit.md (the section for
#                                              docs/benchmarks.md) and OUTDIR/mapit.json
#        bash bench/mapit.sh --update FILE     the same, then puts the section and the MapIt
#                                              target rows into FILE (docs/benchmarks.md)
# Knobs: MAPIT_N points per round and set (250), MAPIT_ROUNDS rounds per set (4): each round,
# ours then MapIt answer the same MAPIT_N points once, in the same order; MAPIT_LOAD_ROUNDS
# (2) alternating rounds of MAPIT_DURATION (5s) at 16 then 64 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ALLIANCE_DATA:-../shared/data}
BENCH=${ALLIANCE_BENCH:-$(dirname "$DATA")/bench}
PEER=${MAPIT_SETUP:-$(dirname "$DATA")/peers/mapit/setup.sh}
N=${MAPIT_N:-250}
ROUNDS=${MAPIT_ROUNDS:-4}
LOAD_ROUNDS=${MAPIT_LOAD_ROUNDS:-2}
DUR=${MAPIT_DURATION:-5s}
update=""
if [ "${1:-}" = --update ]; then update=$2; out=$(mktemp -d); else out=${1:?usage: bench/mapit.sh OUTDIR | --update FILE}; fi
mkdir -p "$out"
M=$(mktemp -d /tmp/mapit-peer.XXXXXX)
spid=""
cleanup() {
  set +e
  [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
  if [ -f "$M/stop.sh" ]; then
    bash "$M/stop.sh" >/dev/null 2>&1
  else  # setup.sh failed part-way: stop what it had started
    [ -f "$M/logs/gunicorn.pid" ] && kill "$(cat "$M/logs/gunicorn.pid")" 2>/dev/null
    if [ -f "$M/pg/postmaster.pid" ]; then
      runuser -u postgres -- env LD_LIBRARY_PATH="$M/root/usr/lib/x86_64-linux-gnu:$M/root/usr/lib" \
        "$M/root/usr/lib/postgresql/15/bin/pg_ctl" -D "$M/pg" -m fast stop >/dev/null 2>&1
    fi
  fi
  rm -rf "$M"
  if [ -n "$update" ]; then rm -rf "$out"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# ALLIANCE_BIN: a binary already built (run.sh passes its own); otherwise make build.
BIN=${ALLIANCE_BIN:-bin/alliance}
[ -n "${ALLIANCE_BIN:-}" ] || make -s build >/dev/null
DB=${ALLIANCE_DB:-var/alliance.db}
[ -f "$DB" ] || make -s db >/dev/null

# Points: the first ROUNDS×N of each shared set, as both servers' paths (same text).
for s in uniform:points_uniform_100k boundary:points_boundary_20k; do
  set_name=${s%%:*}
  zcat "$BENCH/${s#*:}.csv.gz" | tr -d '\r' | cut -d, -f1-3 | awk -v k=$((ROUNDS * N + 1)) 'NR <= k' > "$out/$set_name.csv"
done
# Throughput and warm-up: 20,000 uniform points, as in run.sh's load test.
zcat "$BENCH/points_uniform_100k.csv.gz" | tr -d '\r' | awk -F, 'NR>1 && NR<=20001' > "$out/load.csv"
paths() {  # CSV (id,lon,lat, no header) → ours or MapIt paths
  case $1 in
    ours) awk -F, '{printf "/api/v1/lookup?lat=%s&lon=%s\n", $3, $2}' ;;
    mapit) awk -F, '{printf "/point/4326/%s,%s\n", $2, $3}' ;;
  esac
}

echo "MapIt: setting up (about a minute)…" >&2
# setup.sh (shared, read-only here) needs two kinds of help on some machines, given beforehand
# in the folder it unpacks its Debian packages into, $M/root:
# - it unpacks packages without running their maintainer scripts, so links that
#   update-alternatives or a -dev package would make are missing where the system lacks them:
#   libblas.so.3 and liblapack.so.3 (GDAL needs them through libarmadillo) and libgeos_c.so
#   (the name through which Django's ctypes.util.find_library finds GEOS). Where the system has
#   those libraries, the links dangle, and the loader goes on to the system's.
# - it unpacks only the packages missing from the system, yet expects GDAL's library and data,
#   PROJ's data and the PostgreSQL 15 folders under $M/root: once bench/peers.sh has installed
#   gdal-bin and PostGIS, those packages are on the system, and linked from there.
lib=$M/root/usr/lib/x86_64-linux-gnu
mkdir -p "$lib" "$M/root/usr/share" "$M/root/usr/lib/postgresql/15" "$M/root/usr/share/postgresql/15/extension"
ln -s blas/libblas.so.3 "$lib/libblas.so.3"
ln -s lapack/liblapack.so.3 "$lib/liblapack.so.3"
ln -s libgeos_c.so.1 "$lib/libgeos_c.so"
for p in libgdal32:/usr/lib/x86_64-linux-gnu/libgdal.so.32 gdal-data:/usr/share/gdal proj-data:/usr/share/proj; do
  if [ "$(dpkg-query -W -f '${Status}' "${p%%:*}" 2>/dev/null)" = "install ok installed" ]; then
    ln -s "${p#*:}" "$M/root${p#*:}"
  fi
done
mport=$(free_port)
t0=$(date +%s)
if ! M=$M HTTP_PORT=$mport bash "$PEER" > "$out/setup.log" 2>&1; then
  tail -20 "$out/setup.log" >&2
  echo "MapIt setup failed (log above)" >&2
  exit 1
fi
setup_s=$(( $(date +%s) - t0 ))
mapit=http://127.0.0.1:$mport
{ echo "setup_s=$setup_s"
  echo "postgis=$(grep -m1 -o 'POSTGIS="[^"]*"' "$out/setup.log" | cut -d'"' -f2 | cut -d' ' -f1)"
  "$M/venv/bin/python" -c 'import django, gunicorn; print("django=" + django.get_version()); print("gunicorn=" + gunicorn.__version__)'
  echo "n=$N"; echo "rounds=$ROUNDS"; echo "load_rounds=$LOAD_ROUNDS"; echo "duration=$DUR"
} > "$out/meta.txt"

port=$(free_port)
ours=http://127.0.0.1:$port
"$BIN" serve --addr 127.0.0.1:$port --db "$DB" 2>"$out/serve.log" &
spid=$!
for i in $(seq 600); do  # 30 s at most, and not once the server has exited
  curl -sf "$ours/readyz" >/dev/null && break
  kill -0 $spid 2>/dev/null && [ "$i" -lt 600 ] || { tail -5 "$out/serve.log" >&2; echo "our server did not start" >&2; exit 1; }
  sleep 0.05
done
echo "edition=$(curl -sf "$ours/api/v1/lookup?lat=53.38&lon=-1.47" | python3 -c 'import json,sys; print(json.load(sys.stdin)["edition"])')" >> "$out/meta.txt"

# wrk: one thread, one connection, exactly COUNT answers (bench/paths.lua), JSON on one line.
wrk1() {  # server paths-file count → JSON
  COUNT=$3 PATHS=$2 wrk -t1 -c1 -d120s --timeout 10s -s bench/paths.lua "$1" | tail -1
}
echo "MapIt: warm-up…" >&2
tail -n 200 "$out/load.csv" | paths ours > "$out/warm_ours.txt"
tail -n 200 "$out/load.csv" | paths mapit > "$out/warm_mapit.txt"
wrk1 "$ours" "$out/warm_ours.txt" 200 >/dev/null
wrk1 "$mapit" "$out/warm_mapit.txt" 200 >/dev/null

echo "MapIt: one connection, $ROUNDS rounds × $N points per set…" >&2
: > "$out/perreq.txt"
for r in $(seq "$ROUNDS"); do
  for set_name in uniform boundary; do
    tail -n +2 "$out/$set_name.csv" | sed -n "$(( (r - 1) * N + 1 )),$(( r * N ))p" > "$out/slice.csv"
    for tool in ours mapit; do
      paths $tool < "$out/slice.csv" > "$out/slice_$tool.txt"
      if [ $tool = ours ]; then url=$ours; else url=$mapit; fi
      echo "$set_name $r $tool $(wrk1 "$url" "$out/slice_$tool.txt" "$N")" >> "$out/perreq.txt"
    done
  done
done

echo "MapIt: throughput at 16 and 64 connections, $LOAD_ROUNDS rounds of $DUR…" >&2
paths ours < "$out/load.csv" > "$out/load_ours.txt"
paths mapit < "$out/load.csv" > "$out/load_mapit.txt"
: > "$out/load.txt"
for r in $(seq "$LOAD_ROUNDS"); do
  for c in 16 64; do
    for tool in ours mapit; do
      if [ $tool = ours ]; then url=$ours; else url=$mapit; fi
      echo "$c $r $tool $(PATHS="$out/load_$tool.txt" wrk -t2 -c$c -d$DUR --timeout 2s -s bench/paths.lua "$url" | tail -1)" >> "$out/load.txt"
    done
  done
done

echo "MapIt: answers compared…" >&2
python3 bench/mapit.py agree "$out" "$ours" "$mapit"
kill $spid; wait $spid 2>/dev/null || true; spid=""
python3 bench/mapit.py report "$out"
if [ -n "$update" ]; then
  python3 bench/mapit.py update "$out" "$update"
  echo "updated $update" >&2
fi

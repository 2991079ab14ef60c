#!/usr/bin/env bash
# Regenerates docs/benchmarks.md: Go benchmarks of the index, the postcode path and the batch;
# cold start and memory of `alliance serve`; an HTTP load test on loopback with wrk; the peers:
# MapIt over HTTP (bench/mapit.sh), PostGIS, SpatiaLite and orb (bench/peers.sh).
# Usage: bash bench/run.sh [--short]   (from the repository root; needs ../shared beside it)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ALLIANCE_DATA:-../shared/data}
BENCH=${ALLIANCE_BENCH:-$(dirname "$DATA")/bench}
DUR=${WRK_DURATION:-5s}
OUT=docs/benchmarks.md
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
make -s build db >/dev/null
BIN=bin/alliance DB=${ALLIANCE_DB:-var/alliance.db}

echo "go benchmarks…" >&2
go test -run XXX -bench . -benchmem ./geo/ > "$tmp/geo.txt"
export ALLIANCE_BENCH_DB=$(realpath "$DB")
go test -run XXX -bench 'LookupPostcode|LookupPoint|BatchEngland' -benchmem ./directory/ > "$tmp/dir.txt"
go test -run XXX -bench 'Handler|Bulk' -benchmem ./web/ > "$tmp/web.txt"

port=$((20000 + RANDOM % 20000))
addr=127.0.0.1:$port
echo "cold start…" >&2
read -r -a cs <<<"$(python3 bench/coldstart.py $BIN "$DB" $port 5)"
cold=$(printf '%s\n' "${cs[@]:0:5}" | sort -n | sed -n 3p)
colds="${cs[*]:0:5}"
rss_start=${cs[5]}
debug=127.0.0.1:$((port + 1))
$BIN serve --addr "$addr" --db "$DB" --debug-addr "$debug" 2>"$tmp/serve.log" &
pid=$!
until curl -sf "http://$addr/readyz" >/dev/null; do kill -0 $pid 2>/dev/null || { tail -5 "$tmp/serve.log" >&2; exit 1; }; sleep 0.05; done

# Request paths: uniform points over England and real postcodes.
zcat "$BENCH/points_uniform_100k.csv.gz" | awk -F, 'NR>1 && NR<=20001 {sub(/\r$/, ""); printf "/api/v1/lookup?lat=%s&lon=%s\n", $3, $2}' > "$tmp/lookup.txt"
curl -s "http://$addr/api/v1/outcodes/S1" >/dev/null
for f in "$DATA"/postcodes/codepoint-open-2025-10/Data/CSV/{s,m,b,ls,sw,ec,ne,pl,cb,ox}.csv.gz; do zcat "$f"; done |
  awk -F, '$2!=90 && $5=="\"E92000001\"" {gsub(/"| /,"",$1); print "/api/v1/postcodes/" $1}' | shuf -n 20000 --random-source=<(yes) > "$tmp/postcodes.txt"
echo "/healthz" > "$tmp/healthz.txt"

echo "load test…" >&2
rows=""
for ep in healthz lookup postcodes; do
  for c in 1 16 64; do
    threads=$(( c < 2 ? 1 : 2 ))
    line=$(PATHS="$tmp/$ep.txt" wrk -t$threads -c$c -d$DUR -s bench/paths.lua "http://$addr" | tail -1)
    rows+="$ep $c $line"$'\n'
  done
done
# The 64-connection ratio, lookup against healthz, in alternating rounds: one round alone
# swings by several points on a shared machine.
rounds=""
for r in 1 2 3 4 5; do
  for ep in healthz lookup; do
    rounds+="$ep $r $(PATHS="$tmp/$ep.txt" wrk -t2 -c64 -d$DUR -s bench/paths.lua "http://$addr" | tail -1)"$'\n'
  done
done
rss_load=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
# Where the server's CPU goes at 64 connections: a 4 s CPU profile inside a 5 s wrk run, for
# healthz and lookup (after the memory reading, so that profiling does not change it).
echo "profiles…" >&2
for ep in healthz lookup; do
  curl -sf "http://$debug/debug/pprof/profile?seconds=4" -o "$tmp/$ep.prof" &
  prof=$!
  echo "$ep 64 $(PATHS="$tmp/$ep.txt" wrk -t2 -c64 -d5s -s bench/paths.lua "http://$addr" | tail -1)" >> "$tmp/profiled.txt"
  wait $prof
  go tool pprof -top -cum -nodefraction=0 -nodecount=100000 $BIN "$tmp/$ep.prof" > "$tmp/$ep.top" 2>/dev/null
done
kill $pid; wait $pid 2>/dev/null || true

echo "floor…" >&2
# The same load on a bare net/http server: what any Go HTTP answer costs here.
go build -o "$tmp/floor" ./bench/floor
"$tmp/floor" -addr "$addr" &
fpid=$!
until curl -sf "http://$addr/small" >/dev/null; do kill -0 $fpid 2>/dev/null || exit 1; sleep 0.05; done
floor=""
echo /small > "$tmp/small.txt"; echo /large > "$tmp/large.txt"
for r in 1 2 3 4 5; do
  for c in 1 64; do
    for ep in small large; do
      threads=$(( c < 2 ? 1 : 2 ))
      floor+="$ep-$r $c $(PATHS="$tmp/$ep.txt" wrk -t$threads -c$c -d$DUR -s bench/paths.lua "http://$addr" | tail -1)"$'\n'
    done
  done
done
kill $fpid; wait $fpid 2>/dev/null || true

echo "batch…" >&2
{ echo postcode; zcat "$DATA"/postcodes/codepoint-open-2025-10/Data/CSV/*.csv.gz | awk -F, '$5=="\"E92000001\"" {gsub(/"/,"",$1); print $1}'; } > "$tmp/england.csv"
t0=$(date +%s%N)
$BIN batch --db "$DB" --in "$tmp/england.csv" --out "$tmp/out.csv" --progress=false 2>/dev/null
batch_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
batch_rows=$(( $(wc -l < "$tmp/out.csv") - 1 ))

echo "peers…" >&2
PEERS_SUMMARY="$tmp/peers.json" bash bench/peers.sh > "$tmp/peers.md"

echo "MapIt…" >&2
# MapIt is set up from Debian packages fetched on the spot: if that fails, the rest of the run
# is still written, with the MapIt section saying why and its targets not measured.
if ALLIANCE_BIN=$BIN ALLIANCE_DB=$DB bash bench/mapit.sh "$tmp/mapit" 2> >(tee "$tmp/mapit.err" >&2); then
  mapit_md=$(cat "$tmp/mapit/mapit.md")
else
  rm -f "$tmp/mapit/mapit.json"
  mapit_md=$(printf '%s\n' "<!-- mapit:begin -->" "## MapIt, over HTTP, same points (\`bash bench/mapit.sh\`)" "" \
    "Not measured in this run: \`bench/mapit.sh\` failed. Its last words:" "" '```' "$(tail -15 "$tmp/mapit.err")" '```' "<!-- mapit:end -->")
fi

bench() { awk -v n="$1" '$1 ~ n {printf "| `%s` | %s %s |\n", $1, $3, $4}' "$2"; }
{
cat <<MD
# Benchmarks

Regenerated by \`bash bench/run.sh\` (\`make bench\`) on $(date -u +%Y-%m-%d): $(nproc) cores,
$(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem/ {print $2}') GiB,
$(go version | cut -d' ' -f3). Loopback only. The machine may be shared: compare ratios within one run.

The targets of issues 7 and 15 first, each with this run's figure; then the tables they come from:
the headline peer over HTTP, mySociety's MapIt, on the same points with the answers compared; the
point index, postcodes and batch, the server (cold start, memory, handlers, HTTP load), and the
other peers (PostGIS, SpatiaLite, orb), on the same points with every answer compared.

## Targets

$(printf '%s' "$floor" > "$tmp/floor.txt"; printf '%s' "$rounds" > "$tmp/rounds.txt"
  python3 bench/targets.py "$tmp" "$batch_ms" "$cold" "$((rss_load / 1024))")

${mapit_md}

## Point index (\`go test -run XXX -bench . -benchmem ./geo/\`)

Real layers; 100,000 uniform points over England and 20,000 points within 100 m of an internal
ICB boundary (\`shared/bench\`). \`Locate\` is the exact point-in-polygon answer; \`Lookup\` adds the
nearest-area fallback and the distance to the area's boundary; \`Naive\` is orb's
\`planar.MultiPolygonContains\` over every area (bounding box first), the baseline.

| benchmark | time per op |
|---|---|
$(bench '^Benchmark(Locate|Lookup|Naive)/' "$tmp/geo.txt")
$(bench '^BenchmarkNewIndex' "$tmp/geo.txt") (all 12 layers) |

Targets: ≤ 100 ns uniform, ≤ 1 µs near boundaries, index build < 1 s, heap < 200 MB (all layers:
about 50 MB, \`go test -run TestRealHeap -v ./geo/\`).

## Postcodes and batch (\`go test -run XXX -bench 'LookupPostcode|LookupPoint|BatchEngland' -benchmem ./directory/\`)

| benchmark | result |
|---|---|
$(awk '/^Benchmark/ {line="| `" $1 "` | " $3 " " $4; for (i=5;i<=NF;i+=2) if ($(i+1)=="rows/s") line=line ", " $i " rows/s"; print line " |"}' "$tmp/dir.txt")

\`alliance batch\` on all ${batch_rows} live English postcodes, CSV file in and out, including start-up:
**${batch_ms} ms** (target < 3 s).

## Server

Cold start, process start to \`/readyz\` answering, existing database (\`bench/coldstart.py\`, median of
5 runs: ${colds} ms): **${cold} ms** (target < 1 s). Resident memory after start: **$((rss_start / 1024)) MB**;
after the load test: **$((rss_load / 1024)) MB** (target < 300 MB).

Handlers in-process, through the whole middleware chain without the network
(\`ALLIANCE_BENCH_DB=… go test -run XXX -bench 'Handler|Bulk' -benchmem ./web/\`):

| benchmark | result |
|---|---|
$(awk '/^Benchmark/ {line="| `" $1 "` | " $3 " " $4; for (i=5;i<=NF;i+=2) if ($(i+1)=="postcodes/s") line=line ", " $i " postcodes/s"; print line " |"}' "$tmp/web.txt")

Load test: \`wrk -t2 -cN -d$DUR -s bench/paths.lua\` on 127.0.0.1, paths cycling through 20,000
uniform points or 20,000 real postcodes.

| endpoint | connections | requests/s | p50 µs | p99 µs | p99.9 µs | errors |
|---|---|---|---|---|---|---|
$(echo -n "$rows" | while read -r ep c json; do
  echo "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); print('| %s | %s | %d | %d | %d | %d | %d |' % ('$ep', '$c', d['rps'], d['p50_us'], d['p99_us'], d['p999_us'], d['errors']))"
done)

$(cat "$tmp/peers.md")

MD
} > "$OUT"
echo "wrote $OUT" >&2

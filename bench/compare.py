"""Compares the peers' answers with this service's and prints the Markdown section for
docs/benchmarks.md. Usage: compare.py TMPDIR POSTGIS_VERSION SPATIALITE_VERSION"""
import csv, os, sys
from collections import defaultdict

tmp, pgv, slv = sys.argv[1], sys.argv[2], sys.argv[3]
layers = ["cal21", "icb23", "sicbl23"]
sets = ["uniform", "boundary"]

times = {}  # (tool, set, layer) -> µs per point
for line in open(os.path.join(tmp, "times.txt")):
    tool, s, layer, v = line.split()
    times[(tool, s, layer)] = float(v)
for s in sets:
    for line in open(os.path.join(tmp, "ours", s, "times.txt")):
        tool, layer, _, v, _ = line.split()
        times[("ours" if tool == "ours" else "naive", s, layer)] = float(v)

ours = {}  # (set, layer) -> id -> (inside code, fallback code, boundary distance)
for s in sets:
    for layer in layers:
        d = {}
        for row in csv.reader(open(os.path.join(tmp, "ours", s, layer + ".csv"))):
            d[row[0]] = (row[1], row[2], float(row[3]))
        ours[(s, layer)] = d

def answers(name, ids):
    got = {i: "" for i in ids}
    for row in csv.reader(open(os.path.join(tmp, name))):
        if row and row[0] in got:
            got[row[0]] = row[1] if len(row) > 1 else ""
    return got

out = []
w = out.append
w("## Peers, same points, same layers, one run (`bash bench/peers.sh`)\n")
w("Context for the figures above: the headline comparison over HTTP is MapIt's, a web service answering")
w("the same question. Here, the databases a user could query directly, and the index without HTTP.\n")
w(f"PostGIS {pgv} (PostgreSQL 15, a cluster on a Unix socket, GiST indexes, `jit = off`) and SpatiaLite {slv}")
w("(sqlite3 CLI, R*Tree `SpatialIndex`), layers loaded from the same GeoJSON with `ogr2ogr`. Per-point")
w("queries use the first 20,000 points of each set; joins and the in-process index use all of them.\n")
w("Each peer is set against this service in the matching mode:\n")
w("- **per-point queries** (one prepared `ST_Contains` query per point sent by `psql` over the Unix")
w("  socket; one SQL statement per point in the `sqlite3` shell) against **ours over HTTP**: one")
w("  `GET /api/v1/lookup` per point, in sequence on one kept-alive loopback connection (wrk's mean")
w("  latency). Each of our requests answers every layer of its edition (four in 2023) with boundary")
w("  distances; each peer query answers one layer, without;")
w("- **set-based joins** of all the points against **ours in-process**: `geo.Index.Locate` over all the")
w("  points, the call the batch path makes per postcode;")
w("- **orb's naive test** (`planar.MultiPolygonContains` over every area) against ours in-process.\n")
w("× is the peer's time per point over ours: above 1, this service is faster.\n")
w("| layer | points | ours HTTP µs/request | PostGIS per query µs | × | SpatiaLite per query µs | × | ours in-process µs | PostGIS join µs | × | SpatiaLite join µs | × | orb naive µs | × |")
w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
def cell(v, base):
    return ["%.2f" % v, "%.1f" % (v / base) if v / base < 10 else "%.0f" % (v / base)] if v and base else ["–", "–"]
for layer in layers:
    for s in sets:
        o, h = times[("ours", s, layer)], times.get(("http", s, layer))
        cells = [layer, s, "%.1f" % h if h else "–"]
        for tool in ["postgis-point", "spatialite-point"]:
            cells += cell(times.get((tool, s, layer)), h)
        cells.append("%.3f" % o)
        for tool in ["postgis-join", "spatialite-join", "naive"]:
            cells += cell(times.get((tool, s, layer)), o)
        w("| " + " | ".join(cells) + " |")
w("")
w("### Agreement\n")
w("Every tool's answer for every point compared with ours in-process (inside answers only: the peers")
w("have no nearest-area fallback).\n")
w("| layer | points | tool | compared | agree | disagree |")
w("|---|---|---|---|---|---|")
disagreements = []
fallbacks = defaultdict(int)
for layer in layers:
    for s in sets:
        mine = ours[(s, layer)]
        fallbacks[(layer, s)] = sum(1 for v in mine.values() if not v[0] and v[1])
        for tool, fname in [("ours over HTTP", "http"), ("PostGIS query", "pg_pp"), ("PostGIS join", "pg_join"), ("SpatiaLite query", "sl_pp"), ("SpatiaLite join", "sl_join")]:
            path = f"{fname}_{s}_{layer}.csv" if fname != "http" else f"ours/{s}/http_{layer}.csv"
            per_point = fname.endswith("pp") or fname == "http"
            ids = [r[0] for r in csv.reader(open(os.path.join(tmp, "pg_pp_%s_%s.csv" % (s, layer))))] if per_point else list(mine)
            got = answers(path, ids)
            bad = [(i, mine[i][0], got[i], mine[i][2]) for i in ids if got[i] != mine[i][0]]
            w(f"| {layer} | {s} | {tool} | {len(ids)} | {len(ids) - len(bad)} | {len(bad)} |")
            disagreements += [(layer, s, tool) + b for b in bad]
w("")
if disagreements:
    w("Disagreements (ours, theirs, our distance from the point to the boundary of our area):\n")
    for d in disagreements[:40]:
        w("- %s %s %s: point %s, ours %s, theirs %s, %.1f m from the boundary" % (d[0], d[1], d[2], d[3], d[4] or "none", d[5] or "none", d[6]))
    if len(disagreements) > 40:
        w(f"- … and {len(disagreements) - 40} more")
else:
    w("No disagreement on any point.")
w("")
w("Points outside every polygon that our nearest-area fallback (2 km) answers, and the peers leave")
w("unanswered: " + ", ".join(f"{l} {s}: {n}" for (l, s), n in fallbacks.items()) + ".")
print("\n".join(out))
if os.environ.get("PEERS_SUMMARY"):  # the times, for bench/run.sh's targets table
    import json
    json.dump([{"tool": t, "set": s, "layer": l, "us": v} for (t, s, l), v in times.items()], open(os.environ["PEERS_SUMMARY"], "w"))

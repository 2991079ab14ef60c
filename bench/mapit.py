"""This service against MapIt, for bench/mapit.sh (which says how the figures are taken).

  mapit.py agree DIR OURS_URL MAPIT_URL   asks both for every point of DIR/{uniform,boundary}.csv
                                          (untimed) and writes DIR/agreement.json
  mapit.py report DIR                     writes DIR/mapit.md (the docs section) and DIR/mapit.json
  mapit.py update DIR FILE                puts DIR/mapit.md and the MapIt target rows into FILE

target_rows(summary) gives the rows of the targets table (bench/targets.py uses it too)."""
import csv, http.client, json, os, re, sys, urllib.parse

SETS = ["uniform", "boundary"]
# Our area type, MapIt's type code (as setup.sh imports them: its code is the GSS code, in
# codes["gss"]), the layer's name here.
LAYERS = [
    ("cancer-alliance", "CAL", "Cancer Alliances"),
    ("icb", "ICB", "ICBs"),
    ("sub-icb", "SICBL", "Sub-ICB locations"),
    ("nhs-region", "NHSER", "NHS regions"),
    ("country", "CTRY", "countries"),
]
BEGIN, END = "<!-- mapit:begin -->", "<!-- mapit:end -->"
TARGET_PREFIXES = ("| ≥ 20× MapIt", "| full agreement with MapIt")


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


class Client:
    """One kept-alive connection."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)

    def get(self, path):
        self.conn.request("GET", path)
        r = self.conn.getresponse()
        body = r.read()
        return r.status, body


def ours_by_layer(status, body):
    """Our answer → {type: (code, match)}; a 404 (outside coverage) answers nothing."""
    if status == 404:
        return {}
    if status != 200:
        raise SystemExit(f"ours: HTTP {status}: {body[:200]!r}")
    d = json.loads(body)
    got = {a["type"]: (a["code"], a["match"]) for a in d.get("areas", [])}
    if d.get("country"):
        got["country"] = (d["country"]["code"], d["country"]["match"])
    return got


def mapit_by_layer(status, body):
    """MapIt's answer (area id → area) → {type: sorted GSS codes}."""
    if status != 200:
        raise SystemExit(f"MapIt: HTTP {status}: {body[:200]!r}")
    got = {}
    for a in json.loads(body).values():
        got.setdefault(a["type"], []).append(a["codes"].get("gss", "?"))
    return {t: sorted(c) for t, c in got.items()}


def agree(d, ours_url, mapit_url):
    ours, mapit = Client(ours_url), Client(mapit_url)
    result = {"layers": {}, "disagreements": [], "mapit_only": []}
    for s in SETS:
        rows = list(csv.reader(open(os.path.join(d, s + ".csv"))))[1:]
        counts = {t: {"points": 0, "compared": 0, "agree": 0, "nearest_only": 0, "mapit_only": 0} for t, _, _ in LAYERS}
        for pid, lon, lat in (r[:3] for r in rows):
            o = ours_by_layer(*ours.get(f"/api/v1/lookup?lat={lat}&lon={lon}"))
            m = mapit_by_layer(*mapit.get(f"/point/4326/{lon},{lat}"))
            for t, mt, _ in LAYERS:
                c = counts[t]
                c["points"] += 1
                code, match = o.get(t, (None, None))
                theirs = m.get(mt, [])
                if match == "inside":
                    c["compared"] += 1
                    if theirs == [code]:
                        c["agree"] += 1
                    else:
                        dist = None
                        if t != "country":  # the boundary distance of our area, to say how close the point is
                            st, body = ours.get(f"/api/v1/lookup?lat={lat}&lon={lon}")
                            dist = next((a.get("boundary_distance_m") for a in json.loads(body)["areas"] if a["type"] == t), None)
                        result["disagreements"].append({"set": s, "id": pid, "lon": lon, "lat": lat, "layer": t,
                                                        "ours": code, "mapit": theirs, "boundary_distance_m": dist})
                elif theirs:
                    c["mapit_only"] += 1
                    result["mapit_only"].append({"set": s, "id": pid, "layer": t, "ours": code, "ours_match": match, "mapit": theirs})
                elif code:
                    c["nearest_only"] += 1
        result["layers"][s] = counts
    json.dump(result, open(os.path.join(d, "agreement.json"), "w"), indent=1)


def read_runs(path):
    """Lines 'A B TOOL {json}' → list of (A, B, TOOL, dict)."""
    out = []
    for line in open(path):
        a, b, tool, js = line.split(" ", 3)
        out.append((a, b, tool, json.loads(js)))
    return out


def summarise(d):
    meta = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(d, "meta.txt")) if "=" in line)
    n, rounds = int(meta["n"]), int(meta["rounds"])
    per = read_runs(os.path.join(d, "perreq.txt"))
    one = {}
    for s in SETS:
        runs = {tool: [j for (ss, r, t, j) in per if ss == s and t == tool] for tool in ["ours", "mapit"]}
        for tool, js in runs.items():
            for j in js:
                if j["requests"] != n:
                    raise SystemExit(f"{s} {tool}: {j['requests']} answers, {n} expected: {j}")
        o, m = [j["mean_us"] for j in runs["ours"]], [j["mean_us"] for j in runs["mapit"]]
        one[s] = {
            "ours_us": median(o), "mapit_us": median(m), "ratio": median(m) / median(o),
            "round_ratios": [b / a for a, b in zip(o, m)],
            "ours_p99_us": median([j["p99_us"] for j in runs["ours"]]), "mapit_p99_us": median([j["p99_us"] for j in runs["mapit"]]),
            "requests": sum(j["requests"] for j in runs["mapit"]),
            "errors": sum(j["errors"] for js in runs.values() for j in js),
        }
    load = read_runs(os.path.join(d, "load.txt"))
    tp = {}
    for c in sorted({int(a) for a, _, _, _ in load}):
        row = {}
        for tool in ["ours", "mapit"]:
            js = [j for (cc, r, t, j) in load if int(cc) == c and t == tool]
            row[tool] = {
                "rps": median([j["rps"] for j in js]), "rounds_rps": [j["rps"] for j in js],
                "p99_us": median([j["p99_us"] for j in js]), "requests": sum(j["requests"] for j in js),
                "non2xx": sum(j["non2xx"] for j in js), "socket_errors": sum(j["errors"] - j["non2xx"] for j in js),
            }
        row["ratio"] = row["ours"]["rps"] / row["mapit"]["rps"]
        tp[c] = row
    ag = json.load(open(os.path.join(d, "agreement.json")))
    return {"meta": meta, "one": one, "throughput": tp, "agreement": ag}


def span(xs, fmt="{:.0f}"):
    """The range of xs as printed, "a–b", or one figure when both ends print the same."""
    lo, hi = fmt.format(min(xs)), fmt.format(max(xs))
    return lo if lo == hi else f"{lo}–{hi}"


def target_rows(sm):
    met = lambda ok: "met" if ok else "**not met**"
    one, tp, ag = sm["one"], sm["throughput"], sm["agreement"]
    rs = [one[s]["ratio"] for s in SETS]
    ours = [one[s]["ours_us"] for s in SETS]
    theirs = [one[s]["mapit_us"] for s in SETS]
    rows = []
    lim = "" if min(rs) >= 20 else f" (the most measured here: {min(rs):.0f}×)"
    rows.append(f"| ≥ 20× MapIt per request at 1 connection | {span(rs)}×: ours {span(ours)} µs, "
                f"MapIt {span([t / 1000 for t in theirs], '{:.1f}')} ms per request (uniform and boundary points, "
                f"{one['uniform']['requests']} each, median of {sm['meta']['rounds']} alternating rounds){lim} | {met(min(rs) >= 20)} |")
    t64 = tp.get(64) or tp.get("64")
    errs = lambda t: t["non2xx"] + t["socket_errors"]
    lim = "" if t64["ratio"] >= 20 else f" (the most measured here: {t64['ratio']:.0f}×)"
    rows.append(f"| ≥ 20× MapIt throughput at 64 connections | {t64['ratio']:.0f}×: ours {t64['ours']['rps']:.0f} req/s, MapIt "
                f"{t64['mapit']['rps']:.0f} req/s (median of {sm['meta']['load_rounds']} alternating rounds of {sm['meta']['duration']}); "
                f"errors: ours {errs(t64['ours'])}, MapIt {errs(t64['mapit'])}{lim} | {met(t64['ratio'] >= 20)} |")
    comp = sum(c["compared"] for s in ag["layers"].values() for c in s.values())
    bad = len(ag["disagreements"])
    per_layer = {}
    for dd in ag["disagreements"]:
        per_layer[dd["layer"]] = per_layer.get(dd["layer"], 0) + 1
    detail = "" if not bad else " (" + ", ".join(f"{k}: {v}" for k, v in per_layer.items()) + "; listed under MapIt below)"
    rows.append(f"| full agreement with MapIt on inside points | {comp - bad} of {comp} answers agree over the five layers, "
                f"{bad} disagree{detail}; MapIt has no nearest-area fallback and no boundary distance | {met(bad == 0)} |")
    return rows


def report(d):
    sm = summarise(d)
    json.dump(sm, open(os.path.join(d, "mapit.json"), "w"), indent=1)
    m, one, tp, ag = sm["meta"], sm["one"], sm["throughput"], sm["agreement"]
    n, rounds = int(m["n"]), int(m["rounds"])
    out = []
    w = out.append
    w(BEGIN)
    w("## MapIt, over HTTP, same points (`bash bench/mapit.sh`)\n")
    w(f"mySociety's [MapIt](https://github.com/mysociety/mapit) 3.0, the point-in-area web service civic-tech")
    w(f"users deploy: Django {m.get('django', '?')}, gunicorn {m.get('gunicorn', '?')} (`gthread`, 2 workers × 2 threads, keep-alive),")
    w(f"PostGIS {m.get('postgis', '?')} on a private cluster, set up by `../shared/peers/mapit/setup.sh` in {m.get('setup_s', '?')} s. It holds")
    w(f"the layers of our default edition ({m.get('edition', '?')}: Cancer Alliances, ICBs, Sub-ICB locations, NHS regions)")
    w("plus the countries, imported from the same GeoJSON files. One request asks each server for")
    w("everything at a point: ours `GET /api/v1/lookup?lat=…&lon=…` (default edition: every layer, with")
    w("boundary distances and the nearest-area fallback), MapIt `GET /point/4326/LON,LAT` (every area of the")
    w("active generation that contains the point). Both on 127.0.0.1, on the same 2 cores as the client.\n")
    w("The client is wrk with `bench/paths.lua` (one C event loop; the Lua only picks the next path), as")
    w("for every HTTP figure here: a client in Python or Go adds its own work to each round trip, on the")
    w("same two cores, and would shrink the ratio. wrk's latency runs from writing a request to reading")
    w("the end of its answer.\n")
    w("### One connection\n")
    w(f"{rounds} alternating rounds per point set: in each, ours then MapIt answer the same {n} points (the next")
    w(f"{n} of the set), once each, in the same order, on one kept-alive connection:")
    w(f"`COUNT={n} PATHS=… wrk -t1 -c1 -d120s --timeout 10s -s bench/paths.lua URL` ends after exactly {n} answers.")
    w(f"{rounds * n} points of each set, {2 * rounds * n} requests to each server in all. µs per request: the median of")
    w("the rounds' means; × is MapIt's time over ours.\n")
    w("| points | requests to each | ours µs/request | MapIt µs/request | × | × in each round | ours p99 µs | MapIt p99 µs |")
    w("|---|---|---|---|---|---|---|---|")
    for s in SETS:
        o = one[s]
        w(f"| {s} | {o['requests']} | {o['ours_us']:.0f} | {o['mapit_us']:.0f} | **{o['ratio']:.0f}** | "
          f"{', '.join('%.0f' % x for x in o['round_ratios'])} | {o['ours_p99_us']:.0f} | {o['mapit_p99_us']:.0f} |")
    w("")
    w("### Throughput\n")
    w(f"`PATHS=… wrk -t2 -cN -d{m['duration']} --timeout 2s -s bench/paths.lua URL`, paths cycling through the first 20,000")
    w(f"uniform points (each wrk thread starting at a random one), ours then MapIt at 16 then 64 connections,")
    w(f"{m['load_rounds']} rounds; requests/s and p99: medians over the rounds; requests and errors: totals. Errors are")
    w("non-2xx answers and socket errors (connect, read, write, timeouts over 2 s), apart.\n")
    w("| connections | ours req/s | MapIt req/s | × | ours p99 ms | MapIt p99 ms | ours requests | MapIt requests | ours non-2xx / socket errors | MapIt non-2xx / socket errors |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for c, row in sorted(tp.items(), key=lambda kv: int(kv[0])):
        o, t = row["ours"], row["mapit"]
        w(f"| {c} | {o['rps']:.0f} | {t['rps']:.0f} | **{row['ratio']:.0f}** | {o['p99_us'] / 1000:.1f} | {t['p99_us'] / 1000:.1f} | "
          f"{o['requests']} | {t['requests']} | {o['non2xx']} / {o['socket_errors']} | {t['non2xx']} / {t['socket_errors']} |")
    w("")
    w("### Agreement\n")
    w(f"Every point of the one-connection rounds ({2 * rounds * n}) asked again of both, untimed (`python3 bench/mapit.py")
    w("agree`, one kept-alive connection each). For each layer where our answer's `match` is `inside`, the")
    w("GSS code of the area MapIt names with that type (`type` CAL, ICB, SICBL, NHSER or CTRY as `setup.sh`")
    w("imports them; the code in `codes.gss`) is compared with ours: they agree when MapIt names exactly that")
    w("one area. **MapIt has no nearest-area fallback and no boundary distance**: where ours answers a layer")
    w("by nearest area only (outside every polygon of the layer, on the generalised coast), MapIt names")
    w("nothing, and the point is counted apart, not compared.\n")
    w("| layer (ours / MapIt type) | points | compared (ours inside) | agree | disagree | ours nearest only | MapIt names an area, ours not inside |")
    w("|---|---|---|---|---|---|---|")
    for t, mt, name in LAYERS:
        for s in SETS:
            c = ag["layers"][s][t]
            bad = sum(1 for x in ag["disagreements"] if x["set"] == s and x["layer"] == t)
            w(f"| {name} (`{t}` / {mt}) | {s} {c['points']} | {c['compared']} | {c['agree']} | {bad} | {c['nearest_only']} | {c['mapit_only']} |")
    w("")
    if ag["disagreements"]:
        w("Disagreements (ours, MapIt's, the distance from the point to our area's boundary):\n")
        for x in ag["disagreements"][:30]:
            dist = "" if x["boundary_distance_m"] is None else f", {x['boundary_distance_m']:.1f} m from the boundary"
            w(f"- {x['set']} point {x['id']} ({x['lon']}, {x['lat']}), {x['layer']}: ours {x['ours']}, MapIt {', '.join(x['mapit']) or 'none'}{dist}")
        if len(ag["disagreements"]) > 30:
            w(f"- … and {len(ag['disagreements']) - 30} more")
    else:
        w("No disagreement on any point inside a polygon.")
    if ag["mapit_only"]:
        w("")
        w("Where MapIt names an area and ours is not inside one of the layer:\n")
        for x in ag["mapit_only"][:10]:
            w(f"- {x['set']} point {x['id']}, {x['layer']}: MapIt {', '.join(x['mapit'])}, ours {x['ours'] or 'none'} ({x['ours_match'] or 'no answer'})")
    w("")
    w("Each figure above comes from `bash bench/mapit.sh DIR` (run by `bash bench/run.sh`; `make bench-mapit`")
    w("reruns it alone and rewrites this section and the MapIt rows of the targets): it starts MapIt with")
    w("`M=$(mktemp -d) HTTP_PORT=… bash ../shared/peers/mapit/setup.sh` and ours with `bin/alliance serve`, runs the")
    w("wrk commands above, then `python3 bench/mapit.py agree DIR OURS MAPIT` and `python3 bench/mapit.py report DIR`,")
    w("and stops MapIt (`$M/stop.sh`) on exit.")
    w(END)
    open(os.path.join(d, "mapit.md"), "w").write("\n".join(out) + "\n")


def update(d, path):
    doc = open(path).read()
    section = open(os.path.join(d, "mapit.md")).read().rstrip("\n")
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{path} has no MapIt section to replace: run make bench once")
    doc = doc[: doc.index(BEGIN)] + section + doc[doc.index(END) + len(END):]
    rows = target_rows(json.load(open(os.path.join(d, "mapit.json"))))
    lines = doc.split("\n")
    idx = [i for i, l in enumerate(lines) if l.startswith(TARGET_PREFIXES)]
    if len(idx) != len(rows):
        raise SystemExit(f"{path}: {len(idx)} MapIt target rows found, {len(rows)} expected")
    for i, r in zip(idx, rows):
        lines[i] = r
    open(path, "w").write("\n".join(lines))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "agree":
        agree(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "report":
        report(sys.argv[2])
    elif cmd == "update":
        update(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)

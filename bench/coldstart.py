"""Cold start of `alliance serve`: process start to /readyz answering 200, and resident
memory then. Polls every 2 ms from this one process: a shell loop forking curl would take
CPU from the server it is timing on a small machine.

Usage: coldstart.py BINARY DB PORT RUNS   (prints the times in ms, then the last RSS in kB)"""
import http.client, subprocess, sys, time

binary, db, port, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
times, rss = [], 0
for _ in range(runs):
    t0 = time.monotonic()
    p = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}", "--db", db], stderr=subprocess.DEVNULL)
    try:
        while True:
            if p.poll() is not None:
                sys.exit(f"server exited with {p.returncode}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.002)
        times.append((time.monotonic() - t0) * 1000)
        with open(f"/proc/{p.pid}/status") as f:
            rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS"))
    finally:
        p.terminate()
        p.wait()
print(" ".join("%.0f" % t for t in times), rss)

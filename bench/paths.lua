-- wrk script: each request takes the next path from the file named by PATHS (one per line,
-- each thread starting at a random line), and done() prints one line of JSON with the
-- rate, the mean and percentile latencies, the errors (non-2xx/3xx answers included) and
-- the non-2xx/3xx answers alone.
-- COUNT=N (optional, for -t1 -c1): the run ends after N answers, counted in response(); with a
-- file of N paths, each is asked exactly once, in turn (wrk may first call request() once and
-- drop the result, so the first path may come last). wrk's -d is then only the upper bound on
-- time: at the N-th answer the thread stops and wrk is sent SIGINT, on which it prints its
-- summary at once. Without COUNT, nothing changes: no response() hook, wrk runs for -d.
local paths = {}
local n = 0
local count = tonumber(os.getenv("COUNT") or "") or 0
local answered = 0
init = function(args)
  for line in io.lines(os.getenv("PATHS")) do
    n = n + 1
    paths[n] = line
  end
  if count > 0 then i = 0 else i = math.random(n) end
end
request = function()
  i = i % n + 1
  return wrk.format("GET", paths[i])
end
if count > 0 then
  response = function()
    answered = answered + 1
    if answered == count then
      wrk.thread:stop()
      -- wrk's main thread sleeps for -d unless SIGINT wakes it. The shell's parent is wrk; it
      -- is signalled until it has gone, as the first signal may be taken by this thread, still
      -- running (not os.execute: system() ignores SIGINT in the caller while the child runs).
      io.popen("(while kill -INT $PPID 2>/dev/null; do sleep 0.2; done) >/dev/null 2>&1 &"):close()
    end
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"seconds":%.3f,"rps":%.0f,"mean_us":%.1f,"p50_us":%d,"p99_us":%d,"p999_us":%d,"errors":%d,"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), latency.mean,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    e.connect + e.read + e.write + e.status + e.timeout, e.status, e.connect + e.read + e.write + e.timeout))
end

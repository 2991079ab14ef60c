-- wrk script: each request takes the next path from the file named by PATHS (one per line,
-- each thread starting at a random line), and done() prints one line of JSON with the
-- rate, the mean and percentile latencies, the errors (non-2xx/3xx answers included) and
-- the non-2xx/3xx answers alone.
local paths = {}
local n = 0
init = function(args)
  for line in io.lines(os.getenv("PATHS")) do
    n = n + 1
    paths[n] = line
  end
  i = math.random(n)
end
request = function()
  i = i % n + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"seconds":%.3f,"rps":%.0f,"mean_us":%.1f,"p50_us":%d,"p99_us":%d,"p999_us":%d,"errors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), latency.mean,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    e.connect + e.read + e.write + e.status + e.timeout, e.status))
end

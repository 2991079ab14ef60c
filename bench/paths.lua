-- wrk script: each request takes the next path from the file named by PATHS (one per line),
-- and done() prints one line of JSON with the rate and the latency percentiles.
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
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"requests":%d,"seconds":%.3f,"rps":%.0f,"p50_us":%d,"p99_us":%d,"p999_us":%d,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), errors))
end

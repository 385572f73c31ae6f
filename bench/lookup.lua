-- wrk script: GET <prefix><code> rotating over the codes in $BENCH_CODES, with the API key.
-- Each wrk thread starts at a different offset; the summary line is JSON for bench/load.py.
local codes = {}
for line in io.lines(os.getenv("BENCH_CODES")) do
  codes[#codes + 1] = line
end
local prefix = os.getenv("BENCH_PREFIX") or "/v1/enterprises/"
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }
local i = 0

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 7919)
end

function init(args)
  i = (offset or 0) % #codes
end

function request()
  i = i % #codes + 1
  return wrk.format("GET", prefix .. codes[i], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end

-- wrk script of loadtest/bin/peers-compare.sh: rotates GETs over the paths in PEERS_PATHS
-- (space-separated, e.g. "/blobs/16KiB/hot-01 /blobs/16KiB/hot-02"), keep-alive, and ends with
-- one machine-readable line:
--   PEERS requests=N bytes=N duration_us=N errors=N non2xx=N p50_us=N p90_us=N p99_us=N max_us=N
-- Requests are formatted once in init(), so rotating costs wrk no more than a fixed request.

local requests = {}
local next_index = 1

function init(args)
  for path in string.gmatch(os.getenv("PEERS_PATHS") or "/", "%S+") do
    requests[#requests + 1] = wrk.format("GET", path)
  end
  -- Each thread starts at its own place in the rotation.
  next_index = (math.random(#requests) - 1) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    "PEERS requests=%d bytes=%d duration_us=%d errors=%d non2xx=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.bytes, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

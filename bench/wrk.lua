-- One `make bench` scenario for wrk: method, body and token come from the
-- environment; when done, prints one CSV line with throughput and latency.
local method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
local token = os.getenv("WRK_TOKEN")
local if_match = os.getenv("WRK_IF_MATCH")
local name = os.getenv("WRK_NAME") or "scenario"

-- `{n}` in the body becomes a number unique to each request (a counter and
-- a random part, as each wrk thread has its own counter)
local counter = 0
local salt = tostring(math.random(1, 1000000000))

request = function()
  local headers = { ["Authorization"] = "Bearer " .. token }
  if body then headers["Content-Type"] = "application/json" end
  if if_match then headers["If-Match"] = if_match end
  local b = body
  if b and b:find("{n}", 1, true) then
    counter = counter + 1
    b = b:gsub("{n}", salt .. "-" .. tostring(counter))
  end
  return wrk.format(method, nil, headers, b)
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("CSV,%s,%.0f,%.2f,%.2f,%.2f,%d,%d\n", name, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.requests))
end

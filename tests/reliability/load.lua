-- wrk script for tests/reliability/load.py: one distinct request after another, statuses
-- counted per thread, the summary written as one JSON line at the end.
-- Arguments (after --): mode (bare|auth|book|plan), threads, offset, tokens file, first day (epoch
-- seconds, UTC midnight), days, place ids (comma separated), plan path.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode, nthreads, offset = args[1], tonumber(args[2]), tonumber(args[3])
  tokens = {}
  for line in io.lines(args[4]) do tokens[#tokens + 1] = line end
  first_day, days = tonumber(args[5]), tonumber(args[6])
  places = {}
  for p in string.gmatch(args[7], "[^,]+") do places[#places + 1] = p end
  plan_path = args[8]
  counter = 0
  statuses = {}
end

-- Booking number seq goes to rider seq % #tokens, at slot floor(seq / #tokens): a distinct
-- (rider, day, time) for every request of every run, so no booking is a duplicate (409).
function request()
  local seq = offset + counter * nthreads + id
  counter = counter + 1
  if mode == "plan" then
    return wrk.format("GET", plan_path, {["Authorization"] = "Bearer " .. tokens[1]})
  end
  local headers = {["Content-Type"] = "application/json"}
  if mode == "bare" then
    return wrk.format("POST", "/rows", headers, '{"label": "row ' .. seq .. '"}')
  end
  if mode == "auth" then
    headers["Authorization"] = "Bearer " .. tokens[seq % #tokens + 1]
    return wrk.format("POST", "/rows/authenticated", headers, '{"label": "row ' .. seq .. '"}')
  end
  local rider = seq % #tokens
  local slot = math.floor(seq / #tokens)
  local day = os.date("!%Y-%m-%d", first_day + (slot % days) * 86400)
  local minutes = 6 * 60 + 5 * math.floor(slot / days)
  local origin = places[rider % #places + 1]
  local destination = places[(rider + 1 + slot % (#places - 1)) % #places + 1]
  -- Parties as the demand model has them, roughly: a second adult in 1 of 7, a child in 1 of 5.
  local adults = (seq % 7 == 3) and 2 or 1
  local children = (seq % 5 == 1) and 1 or 0
  headers["Authorization"] = "Bearer " .. tokens[rider + 1]
  local body = string.format(
    '{"origin_id": %s, "destination_id": %s, "date": "%s", "time": "%02d:%02d", ' ..
    '"time_kind": "arrive_by", "purpose": "health", "adults": %d, "children": %d}',
    origin, destination, day, math.floor(minutes / 60), minutes % 60, adults, children)
  return wrk.format("POST", "/api/v1/requests", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, sent = {}, 0
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("counter")
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
  -- The latency histogram in 100 us buckets, so runs can be merged before taking percentiles
  -- (latency(i) is the i-th distinct latency in microseconds and how many requests took it).
  local buckets = {}
  for i = 1, #latency do
    local v, n = latency(i)
    local b = math.floor(v / 100)
    buckets[b] = (buckets[b] or 0) + n
  end
  local hist = {}
  for b, n in pairs(buckets) do hist[#hist + 1] = string.format('"%d": %d', b, n) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "socket_errors": %d, "sent": %d, ' ..
    '"statuses": {%s}, "hist": {%s}}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, sent,
    table.concat(parts, ", "), table.concat(hist, ", ")))
end

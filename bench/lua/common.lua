-- common.lua: what every bench script shares. Each wrk thread is one
-- browser: its first requests fetch a page (GET), it keeps the CSRF cookie
-- (__Host-kosmo_csrf) that page set and the hidden csrf field of its form,
-- and sends both with every later request, as a browser would. Counters per
-- thread (requests sent by kind, answers by status) are summed in done() and
-- printed as one JSON line "BENCH_JSON {...}" for bench/run, together with
-- wrk's own CPU time read from /proc/self/stat.
--
-- A row script sets:
--   form_path             the page fetched first (GET)
--   next_request()        optional: returns method, path, body, is_match for
--                         one request once the form is known; without it
--                         every request is a GET of form_path
--   row_response(status, body)  optional: returns true for an answer that
--                         shows the row's completion page, counted as
--                         "completed" (POSTs that answer 200, not 303, are
--                         told from the form GETs by their page)
-- and may call read_share(file) to get this thread's lines of a data file;
-- a row that posts each link of a pool once calls link_pool_row() instead.
--
-- BENCH_XFF: "crowd" sends X-Forwarded-For with a new client address on every
-- request (10.<thread>.x.y), an address sends that one address every time,
-- "none" sends none (bench/run configures 127.0.0.1 as the trusted proxy).

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
  table.insert(threads, thread)
end

-- Per-thread state (each wrk thread runs its own copy of this script).
cookie = nil
csrf = nil
sent_get = 0
sent_post = 0
sent_match = 0
exhausted = 0
completed = 0
status_counts = {}
host = nil
xff_mode = "none"
xff_count = 0

function init(args)
  host = wrk.headers["Host"]
  xff_mode = os.getenv("BENCH_XFF") or "none"
  thread_total = tonumber(os.getenv("BENCH_THREADS") or "2")
  if row_init then row_init(args) end
end

-- Every thread_total-th line of `path`, starting at this thread's number
-- (plus BENCH_OFFSET), so threads never share an item.
function read_share(path)
  local items = {}
  local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
  local n = 0
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    local slot = (n - offset) % thread_total
    if slot == thread_number - 1 then
      items[#items + 1] = line
    end
    n = n + 1
  end
  f:close()
  -- Start the share at the offset: with wrap-around, items before it come last.
  local first = math.floor(offset / thread_total)
  if first > 0 and first < #items then
    local rotated = {}
    for i = first + 1, #items do rotated[#rotated + 1] = items[i] end
    for i = 1, first do rotated[#rotated + 1] = items[i] end
    items = rotated
  end
  return items
end

-- The link rows (token_post, email_confirm_post): each browser posts every
-- token of its share of a pool (BENCH_DATA) exactly once, as `t=` to
-- post_path. It first opens form_prefix .. token with a GET (for the cookie
-- and the csrf field) using the one token it never posts, its last one. A
-- thread that runs out of tokens counts "exhausted" and the run fails its
-- check. Defines the row's row_init() and next_request().
function link_pool_row(form_prefix, post_path)
  local items, at

  function row_init(args)
    items = read_share(os.getenv("BENCH_DATA"))
    at = 0
    form_path = form_prefix .. items[#items]
  end

  function next_request()
    at = at + 1
    if at >= #items then
      exhausted = exhausted + 1
    end
    return "POST", post_path, "t=" .. items[(at - 1) % (#items - 1) + 1]
  end
end

local function client_header()
  if xff_mode == "none" then return "" end
  if xff_mode ~= "crowd" then return "X-Forwarded-For: " .. xff_mode .. "\r\n" end
  xff_count = xff_count + 1
  return string.format("X-Forwarded-For: 10.%d.%d.%d\r\n", thread_number, math.floor(xff_count / 256) % 256,
    xff_count % 256)
end

local function get(path)
  sent_get = sent_get + 1
  local headers = "Host: " .. host .. "\r\n" .. client_header()
  if cookie then headers = headers .. "Cookie: " .. cookie .. "\r\n" end
  return "GET " .. path .. " HTTP/1.1\r\n" .. headers .. "\r\n"
end

local function post(path, body)
  sent_post = sent_post + 1
  return "POST " .. path .. " HTTP/1.1\r\nHost: " .. host .. "\r\n" .. client_header() .. "Cookie: " .. cookie ..
    "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
end

function request()
  if next_request == nil then
    return get(form_path)
  end
  if not csrf then
    return get(form_path)
  end
  local method, path, body, is_match = next_request()
  if method == "GET" then
    return get(path)
  end
  if is_match then sent_match = sent_match + 1 end
  return post(path, "csrf=" .. csrf .. "&" .. body)
end

function response(status, headers, body)
  status_counts[status] = (status_counts[status] or 0) + 1
  if row_response and row_response(status, body) then completed = completed + 1 end
  if not cookie then
    for name, value in pairs(headers) do
      if string.lower(name) == "set-cookie" then
        local c = string.match(value, "^(__Host%-kosmo_csrf=[^;]+)")
        if c then cookie = c end
      end
    end
  end
  if cookie and not csrf and next_request ~= nil and status == 200 then
    csrf = string.match(body, 'name="csrf" value="([^"]+)"')
  end
end

local function json_counts(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = string.format('"%s": %d', tostring(k), v) end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local totals = {sent_get = 0, sent_post = 0, sent_match = 0, exhausted = 0, completed = 0}
  local statuses = {}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + (thread:get(key) or 0)
    end
    for status, n in pairs(thread:get("status_counts") or {}) do
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  -- wrk's own CPU (all its threads, ended ones included): utime + stime.
  local f = io.open("/proc/self/stat", "r")
  local stat = f:read("*a")
  f:close()
  local after = string.match(stat, "%) (.*)$")
  local fields = {}
  for field in string.gmatch(after, "%S+") do fields[#fields + 1] = field end
  local ticks = tonumber(fields[12]) + tonumber(fields[13])
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, ' ..
    '"sent_get": %d, "sent_post": %d, "sent_match": %d, "exhausted": %d, "completed": %d, "status": %s, ' ..
    '"cpu_ticks": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    totals.sent_get, totals.sent_post, totals.sent_match, totals.exhausted, totals.completed, json_counts(statuses),
    ticks))
end

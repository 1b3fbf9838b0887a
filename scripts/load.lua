-- wrk script of `make load`: a weighted mix of list reads, single reads, hamlet lists with their fund
-- category, and calculation POSTs against the demo province. Ids come from the environment (load.sh).
local function split(s)
  local t = {}
  for v in string.gmatch(s or "", "[^,]+") do t[#t + 1] = v end
  return t
end

local token = os.getenv("LOAD_TOKEN")
local communes = split(os.getenv("LOAD_COMMUNES"))
local hamlets = split(os.getenv("LOAD_HAMLETS"))
local cadres = split(os.getenv("LOAD_CADRES"))
local base = "/v1/provinces/99"
local auth = { ["Authorization"] = "Bearer " .. token }
local page = { ["Cookie"] = os.getenv("LOAD_COOKIE") or "" }
local json = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

local function pick(t) return t[math.random(#t)] end

local mix = {
  { 3, function() return wrk.format("GET", base .. "/communes?limit=50", auth) end },
  { 3, function() return wrk.format("GET", base .. "/hamlets?limit=50&commune_code=" .. pick(communes), auth) end },
  { 3, function() return wrk.format("GET", base .. "/cadres?limit=50", auth) end },
  { 2, function() return wrk.format("GET", base .. "/communes/" .. pick(communes), auth) end },
  { 3, function() return wrk.format("GET", base .. "/hamlets/" .. pick(hamlets), auth) end },
  { 3, function() return wrk.format("GET", base .. "/cadres/" .. pick(cadres), auth) end },
  { 2, function() return wrk.format("POST", "/v1/calculations/hamlet-fund", json,
      '{"kind":"thon","households":' .. math.random(50, 1500) .. ',"as_of":"2025-03-01"}') end },
  { 2, function() return wrk.format("POST", "/v1/calculations/retirement-date", json,
      '{"gender":"male","birth_date":"19' .. math.random(60, 90) .. '-0' .. math.random(1, 9) .. '-15"}') end },
  { 2, function() return wrk.format("POST", "/v1/calculations/early-retirement", json,
      '{"gender":"male","birth_date":"1966-09-10","decision_date":"2025-01-15","exit_date":"2025-06-01","monthly_salary":"10000000","si_months":' .. math.random(180, 400) .. '}') end },
  -- the console, as a logged-in officer (one session, reused)
  { 1, function() return wrk.format("GET", "/", page) end },
  { 1, function() return wrk.format("GET", "/communes", page) end },
  { 1, function() return wrk.format("GET", "/communes/" .. pick(communes), page) end },
  { 1, function() return wrk.format("GET", "/hamlets?commune=" .. pick(communes), page) end },
  { 1, function() return wrk.format("GET", "/hamlets/" .. pick(hamlets) .. "?as_of=2025-09-01", page) end },
  { 1, function() return wrk.format("GET", "/people/" .. pick(cadres), page) end },
  { 1, function() return wrk.format("GET", "/schedule", page) end },
  { 1, function() return wrk.format("GET", "/imports", page) end },
  { 1, function() return wrk.format("GET", "/reports/communes/" .. pick(communes) .. "?as_of=2025-09-01", page) end },
  { 1, function() return wrk.format("GET", "/reports/runs", page) end },
}
local total = 0
for _, m in ipairs(mix) do total = total + m[1] end

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() + (id or 0) * 7919)
  non2xx, s5xx, s4xx = 0, 0, 0
end

function request()
  local r = math.random(total)
  for _, m in ipairs(mix) do
    r = r - m[1]
    if r <= 0 then return m[2]() end
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status >= 500 then s5xx = s5xx + 1 elseif status >= 400 then s4xx = s4xx + 1 end
  end
end

function done(summary, latency, requests)
  local n, n5, n4 = 0, 0, 0
  for _, t in ipairs(threads) do
    n = n + t:get("non2xx"); n5 = n5 + t:get("s5xx"); n4 = n4 + t:get("s4xx")
  end
  local e = summary.errors
  local errs = e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d 4xx=%d 5xx=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errs, n, n4, n5))
end

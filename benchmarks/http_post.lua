-- wrk script: POSTs signed webhook bodies to /alm/webhooks, cycling through the requests that
-- `bench_http_server requests SIZE COUNT FILE` wrote to the file named by ALM_BENCH_REQUESTS.
-- Each of the ALM_BENCH_THREADS wrk threads (wrk -t) takes its own share of the bodies, so no two
-- requests in flight carry the same eventIds.

local requests = dofile(os.getenv("ALM_BENCH_REQUESTS"))
local threads = 0

function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end

function init(args)
  formatted = {}
  local step = tonumber(os.getenv("ALM_BENCH_THREADS") or "1")
  for i = first + 1, #requests, step do
    local r = requests[i]
    formatted[#formatted + 1] = wrk.format("POST", "/alm/webhooks", {
      ["Content-Type"] = "application/json",
      ["X-ALM-Webhook-Signature"] = r.signature,
    }, r.body)
  end
  next_request = 0
end

function request()
  next_request = next_request % #formatted + 1
  return formatted[next_request]
end

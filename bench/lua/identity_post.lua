-- identity_post.lua: 本人確認 POST /forgot-id. The browser fetches the form
-- first (GET /forgot-id: cookie and csrf field), then submits one line of
-- BENCH_DATA per request: "M" lines are an eligible member's own card, birth
-- date and address (a token and a mail are made), "N" lines have a wrong
-- birth date, address or card. Lines alternate, so half match. Threads take
-- every BENCH_THREADS-th line, so no card is submitted twice in a pass.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
form_path = "/forgot-id"
local items, at

function row_init(args)
  items = read_share(os.getenv("BENCH_DATA"))
  at = 0
end

function next_request()
  at = at + 1
  local line = items[(at - 1) % #items + 1]
  local kind, body = string.match(line, "^(%u)\t(.*)$")
  return "POST", "/forgot-id", body, kind == "M"
end

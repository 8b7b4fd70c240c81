-- token_get.lua: the mail link, GET /id-notice?t=TOKEN (reads the token,
-- shows the page with 「ログインIDを表示する」, changes nothing: D2). Each
-- request opens the next token of this thread's share of the pool
-- (BENCH_DATA, one URL value a line), round and round.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local items, at

function row_init(args)
  items = read_share(os.getenv("BENCH_DATA"))
  at = 0
  form_path = "/id-notice?t=" .. items[1]
end

function next_request()
  at = at + 1
  return "GET", "/id-notice?t=" .. items[(at - 1) % #items + 1]
end

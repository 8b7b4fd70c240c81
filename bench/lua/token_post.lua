-- token_post.lua: 「ログインIDを表示する」, POST /id-notice with the token
-- (R7, D4: consumes it, issues the grant cookie, 303). The browser first
-- opens its first link (GET, for the cookie and the csrf field), then posts
-- each token of its share of the pool (BENCH_DATA) exactly once. A thread
-- that runs out of tokens counts "exhausted" and the run fails its check.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local items, at

function row_init(args)
  items = read_share(os.getenv("BENCH_DATA"))
  at = 0
  -- The form comes from a token this thread never posts (its last one).
  form_path = "/id-notice?t=" .. items[#items]
end

function next_request()
  at = at + 1
  if at >= #items then
    exhausted = exhausted + 1
  end
  return "POST", "/id-notice", "t=" .. items[(at - 1) % (#items - 1) + 1]
end

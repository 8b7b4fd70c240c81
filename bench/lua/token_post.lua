-- token_post.lua: 「ログインIDを表示する」, POST /id-notice with the token
-- (R7, D4: consumes it, issues the grant cookie, 303). The browser first
-- opens its first link (GET, for the cookie and the csrf field), then posts
-- each token of its share of the pool (BENCH_DATA) exactly once
-- (link_pool_row in common.lua).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

link_pool_row("/id-notice?t=", "/id-notice")

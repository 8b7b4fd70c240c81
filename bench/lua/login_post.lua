-- login_post.lua: ログイン POST /login with the right password of an
-- eligible member (argon2id verification, new session, 303 to /mypage).
-- The browser fetches GET /login first for the cookie and the csrf field.
-- Members come from this thread's share of BENCH_DATA, round and round.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
form_path = "/login"
local items, at

function row_init(args)
  items = read_share(os.getenv("BENCH_DATA"))
  at = 0
end

function next_request()
  at = at + 1
  return "POST", "/login", items[(at - 1) % #items + 1]
end

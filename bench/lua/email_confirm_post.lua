-- email_confirm_post.lua: 「メールアドレスを確定する」, POST /email/confirm with
-- the link's token (D16, R7, D4: one conditional UPDATE consumes the pending
-- change and sets the address; the page メールアドレス変更完了 answers 200).
-- The browser first opens its first link (GET /email/confirm?t=..., for the
-- cookie and the csrf field), then posts each token of its share of the pool
-- of open changes (BENCH_DATA) exactly once. A thread that runs out of
-- tokens counts "exhausted" and the run fails its check.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local items, at
-- The completion page's heading: the confirm page (GET) answers 200 too.
local done_heading = "<h1>メールアドレス変更完了</h1>"

function row_init(args)
  items = read_share(os.getenv("BENCH_DATA"))
  at = 0
  -- The form comes from a link this thread never posts (its last one).
  form_path = "/email/confirm?t=" .. items[#items]
end

function next_request()
  at = at + 1
  if at >= #items then
    exhausted = exhausted + 1
  end
  return "POST", "/email/confirm", "t=" .. items[(at - 1) % (#items - 1) + 1]
end

function row_response(status, body)
  return status == 200 and body ~= nil and string.find(body, done_heading, 1, true) ~= nil
end

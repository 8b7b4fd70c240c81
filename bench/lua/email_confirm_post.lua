-- email_confirm_post.lua: 「メールアドレスを確定する」, POST /email/confirm with
-- the link's token (D16, R7, D4: one conditional UPDATE consumes the pending
-- change and sets the address; the page メールアドレス変更完了 answers 200).
-- The browser first opens its first link (GET /email/confirm?t=..., for the
-- cookie and the csrf field), then posts each token of its share of the pool
-- of open changes (BENCH_DATA) exactly once (link_pool_row in common.lua).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
-- The completion page's heading: the confirm page (GET) answers 200 too.
local done_heading = "<h1>メールアドレス変更完了</h1>"

link_pool_row("/email/confirm?t=", "/email/confirm")

function row_response(status, body)
  return status == 200 and body ~= nil and string.find(body, done_heading, 1, true) ~= nil
end

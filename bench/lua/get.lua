-- get.lua: GET of one page (BENCH_PATH), the references and the screens'
-- pages alike. The first answer's CSRF cookie is kept and sent back, as a
-- browser does, so only the first request of each thread gets a new cookie.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
form_path = os.getenv("BENCH_PATH")

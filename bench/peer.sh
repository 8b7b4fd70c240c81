# shellcheck shell=bash disable=SC2154
# bench/peer.sh: the PHP-FPM peer of issue 16, sourced by bench/run (not run
# on its own). Rows php_identity and php_redeem run the peer that lives
# outside this repository (default ../shared/peer-bench beside the clone,
# `bench/run --peer DIR` or BENCH_PEER=DIR), used where it is, never copied:
# its PHP files, schema, seed, wrk scripts, php-fpm pool and nginx location.
# The peer gets the same nginx server{} (its location is included beside the
# references), the same MariaDB (its own database kosmo_bench, user bench)
# and the same wrk as the screens; its proof of work is read from its own
# tables (bench/peer_summary.py checks it).
#
# Needs from bench/run: $repo $bench $DATA $_RUN $_LOG $_ETC $_DB_CNF $PY
# $IDENTITY_IP_MAX, say/die, render_template, _running, _wait_gone, pid_of.

PEER_DIR=${PEER_DIR:-${BENCH_PEER:-$repo/../shared/peer-bench}}
# Without '..': php-fpm's children (www-data) resolve SCRIPT_FILENAME through
# every directory named in it, the clone's own included.
PEER_DIR=$(cd "$PEER_DIR" 2>/dev/null && pwd -P) || PEER_DIR=${BENCH_PEER:-$repo/../shared/peer-bench}
PEER_PACKAGES=(php8.2-fpm php8.2-mysql php8.2-intl php8.2-cli)
PHP_FPM_BIN=php-fpm8.2
PHP_SOCK=$_RUN/php-fpm.sock
PHP_PID_FILE=$_RUN/php-fpm.pid
PHP_CONF=$_ETC/php-fpm.conf
PEER_LUA=$DATA/peer-lua
PEER_SEED_VERSION=1
PEER_MEMBERS=100000

# 0 when the peer's files are there; otherwise says which is missing.
peer_present() {
  local file
  for file in php/schema.sql php/grants.sql php/seed.py php/www/php/full/identity.php php_data.py \
    lua/php_identity_post.lua lua/php_redeem_post.lua lua/php_session.lua php-fpm.conf.in nginx-location.conf.in; do
    if [ ! -e "$PEER_DIR/$file" ]; then
      say "the PHP peer is not at $PEER_DIR ($file is missing): give its directory with --peer DIR or BENCH_PEER=DIR"
      return 1
    fi
  done
}

peer_install() {
  "$repo/scripts/install-deps" "${PEER_PACKAGES[@]}" >/dev/null || die "cannot install ${PEER_PACKAGES[*]}"
}

peer_sql() { mariadb --defaults-file="$_DB_CNF" -N -B kosmo_bench "$@"; }
peer_pool_size() { wc -l <"$DATA/php-pool.txt"; }

# kosmo_bench with the peer's 100,000 members and its pool (seeded once,
# kept like the product's members), emptied of everything a run writes.
peer_prepare() {
  local marker=$KOSMO_VAR/peer-seed.done count
  mariadb --defaults-file="$_DB_CNF" <"$PEER_DIR/php/schema.sql" || die "cannot load the peer's schema.sql"
  mariadb --defaults-file="$_DB_CNF" <"$PEER_DIR/php/grants.sql" || die "cannot create the peer's user (grants.sql)"
  count=$(peer_sql -e "SELECT COUNT(*) FROM members")
  if ! { [ "$(cat "$marker" 2>/dev/null)" = "$PEER_SEED_VERSION" ] && [ "$count" = "$PEER_MEMBERS" ] &&
    [ -s "$DATA/php-pool.txt" ] && [ -s "$DATA/php-identity.txt" ]; }; then
    say "PHP peer: seeding kosmo_bench with the peer's seed.py (100,000 members, 150,000 pool tokens)"
    peer_sql -e "SET FOREIGN_KEY_CHECKS = 0; TRUNCATE mail_outbox; TRUNCATE recovery_tokens; TRUNCATE members;
      TRUNCATE sessions; TRUNCATE rate_limits; TRUNCATE audit_events; SET FOREIGN_KEY_CHECKS = 1"
    "$PY" "$PEER_DIR/php/seed.py" --out-dir "$DATA/php-seed" | peer_sql || die "the peer's seed.py failed"
    cp -f -- "$DATA/php-seed/redeem-tokens.txt" "$DATA/php-pool.txt"
    "$PY" "$PEER_DIR/php_data.py" "$PEER_DIR/php" "$DATA/php-identity.txt" || die "the peer's php_data.py failed"
    peer_sql -e "ANALYZE TABLE members, recovery_tokens" >/dev/null
    count=$(peer_sql -e "SELECT COUNT(*) FROM members")
    [ "$count" = "$PEER_MEMBERS" ] || die "kosmo_bench has $count members, not $PEER_MEMBERS"
    echo "$PEER_SEED_VERSION" >"$marker"
  fi
  # Every bench starts from the members and the pool, as reset_dynamic_tables.
  peer_sql -e "DELETE FROM mail_outbox; DELETE FROM recovery_tokens WHERE id > $(peer_pool_size);
    TRUNCATE audit_events; TRUNCATE rate_limits; TRUNCATE sessions"
  peer_reopen_pool
  # The peer's wrk scripts load common.lua from their own directory: one
  # directory of links puts the product's common.lua beside them.
  mkdir -p "$PEER_LUA"
  ln -sf "$bench/lua/common.lua" "$PEER_LUA/common.lua"
  local script
  for script in "$PEER_DIR"/lua/*.lua; do ln -sf "$script" "$PEER_LUA/$(basename "$script")"; done
}

# Every pool token open again (the identity rows supersede some, the redeem
# rows use them), so each run posts fresh tokens, as make_pool does.
peer_reopen_pool() {
  peer_sql -e "UPDATE recovery_tokens SET used_at = NULL, superseded_at = NULL, expires_at = NOW() + INTERVAL 1 HOUR
    WHERE id <= $(peer_pool_size)
      AND (used_at IS NOT NULL OR superseded_at IS NOT NULL OR expires_at < NOW() + INTERVAL 30 MINUTE)"
}
peer_clear_limits() { peer_sql -e "DELETE FROM rate_limits"; }

# The peer's proof of work: what its tables hold.
peer_db_counters() {
  peer_sql -e "SELECT JSON_OBJECT(
    'php_sessions', (SELECT COUNT(*) FROM sessions),
    'php_tokens', (SELECT COUNT(*) FROM recovery_tokens),
    'php_tokens_used', (SELECT COUNT(*) FROM recovery_tokens WHERE used_at IS NOT NULL),
    'php_mails', (SELECT COUNT(*) FROM mail_outbox),
    'php_hits_ip', (SELECT COALESCE(SUM(count), 0) FROM rate_limits WHERE scope = 'identity_ip'),
    'php_hits_card', (SELECT COALESCE(SUM(count), 0) FROM rate_limits WHERE scope = 'identity_card'),
    'php_issued', a.issued, 'php_not_issued', a.not_issued, 'php_limited', a.limited,
    'php_identity_all', a.identity_all, 'php_redeemed', a.redeemed, 'php_redeem_other', a.redeem_other)
    FROM (SELECT COALESCE(SUM(event = 'id_recovery_request' AND outcome = 'issued'), 0) + 0 AS issued,
                 COALESCE(SUM(event = 'id_recovery_request' AND outcome IN ('mismatch', 'unknown_card')), 0) + 0
                   AS not_issued,
                 COALESCE(SUM(event = 'id_recovery_request' AND outcome IN ('limited', 'ineligible')), 0) + 0
                   AS limited,
                 COALESCE(SUM(event = 'id_recovery_request'), 0) + 0 AS identity_all,
                 COALESCE(SUM(event = 'id_recovery_redeem' AND outcome = 'redeemed'), 0) + 0 AS redeemed,
                 COALESCE(SUM(event = 'id_recovery_redeem' AND outcome <> 'redeemed'), 0) + 0 AS redeem_other
            FROM audit_events) a"
}

# The peer answers synchronously: its counters settle once the requests in
# flight when wrk stopped are done (two equal readings 0.3 s apart, 60 s at most).
peer_db_counters_settled() {
  local previous current deadline=$((SECONDS + 60))
  previous=$(peer_db_counters)
  while :; do
    sleep 0.3
    current=$(peer_db_counters)
    if [ "$current" = "$previous" ] || [ "$SECONDS" -ge "$deadline" ]; then
      printf '%s\n' "$current"
      return 0
    fi
    previous=$current
  done
}

# The peer's pool (pm = static, 4 children, as the product's 4 workers),
# rendered from the peer's php-fpm.conf.in; stopped by its pid file.
peer_fpm_start() {
  local i pid
  _running "$PHP_PID_FILE" php-fpm "$PHP_CONF" >/dev/null && return 0
  # grep reads everything (no -q): an early exit would SIGPIPE php-fpm (pipefail)
  "$PHP_FPM_BIN" -m | grep -x intl >/dev/null || die "the PHP peer needs PHP's intl (php8.2-intl)"
  render_template "$PEER_DIR/php-fpm.conf.in" "$PHP_CONF" RUN_DIR="$_RUN" LOG_DIR="$_LOG"
  "$PHP_FPM_BIN" -t --fpm-config "$PHP_CONF" >>"$_LOG/php-fpm-test.log" 2>&1 || die "php-fpm -t rejects $PHP_CONF"
  rm -f -- "$PHP_SOCK"
  "$PHP_FPM_BIN" --fpm-config "$PHP_CONF" >>"$_LOG/php-fpm.log" 2>&1 || die "php-fpm did not start"
  for ((i = 0; i < 100; i++)); do
    [ -S "$PHP_SOCK" ] && _running "$PHP_PID_FILE" php-fpm "$PHP_CONF" >/dev/null && break
    sleep 0.05
  done
  pid=$(pid_of "$PHP_PID_FILE" php-fpm "$PHP_CONF") || die "php-fpm made no socket or pid file"
  say "PHP peer: php-fpm up (pid $pid, $("$PHP_FPM_BIN" -v | head -1 | cut -d' ' -f1-2), OPcache" \
    "$("$PHP_FPM_BIN" -i 2>/dev/null | awk '$1 == "opcache.enable" && !done { print $3; done = 1 }'))"
}

peer_fpm_stop() {
  local pid
  if pid=$(_running "$PHP_PID_FILE" php-fpm "$PHP_CONF"); then
    kill -QUIT "$pid" 2>/dev/null || true
    _wait_gone 10 "$pid" || { kill -TERM "$pid" 2>/dev/null || true; _wait_gone 5 "$pid" || true; }
  fi
  rm -f -- "$PHP_PID_FILE"
}

# The peer's location block, rendered for bench/run's nginx include.
peer_nginx_conf() {
  render_template "$PEER_DIR/nginx-location.conf.in" "$1" PHP_SOCKET="$PHP_SOCK" PHP_DIR="$PEER_DIR/php" \
    DB_SOCKET="$_DB_SOCK" PHP_IP_LIMIT="$IDENTITY_IP_MAX" PHP_PROBE=/nonexistent/opcache-status.php
}

# php-fpm's master and its children, for procstat.
peer_process_line() {
  local pid
  if pid=$(pid_of "$PHP_PID_FILE" php-fpm "$PHP_CONF"); then
    printf 'php-fpm=%s,%s\n' "$pid" "$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -d ' ' | paste -sd, -)"
  fi
}

# One request to the peer's form before the runs: the pool answers.
peer_smoke() {
  local code
  code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$KOSMO_HTTPS_PORT/php-full/identity.php") ||
    code=000
  [ "$code" = 200 ] || die "GET /php-full/identity.php answers $code (see $_LOG/nginx-error.log, $_LOG/php-fpm.log)"
  say "PHP peer: per-address limit $IDENTITY_IP_MAX an hour, per card 10 an hour (the product's shipped values)"
}

# The PHP peer of a product row (empty: none).
peer_of() {
  case "$1" in
    identity_post) echo php_identity ;; token_post) echo php_redeem ;; *) ;;
  esac
}

# shellcheck shell=bash
# Local stack of KOSMO Communication Web: private MariaDB, SMTP sink, the
# FastCGI screen programs, kosmo-mailer and a private nginx, all under
# $KOSMO_VAR, on loopback only. Source it, then call stack_up / stack_down or
# the single functions:
#     source scripts/stack.sh && stack_up
# Safe under `set -euo pipefail`: every function checks its own steps and
# returns non-zero with a message (and the relevant log tail) on failure.
# No systemd here: each server runs in its own session (setsid), its pid sits in
# $KOSMO_VAR/run/<name>.pid, and it is stopped by that pid, never by name.
#
# Environment (read on every call):
#   KOSMO_VAR         state: configs, data, logs, sockets, mail   ($REPO/var)
#   KOSMO_BUILD       where CMake put the programs                ($REPO/build)
#   KOSMO_HTTPS_PORT  nginx, on 127.0.0.1                         (8443)
#   KOSMO_SMTP_PORT   SMTP sink, on 127.0.0.1                     (2525)
#   KOSMO_DB_PORT     MariaDB, on 127.0.0.1 (and its unix socket) (3307)
#   KOSMO_EXTRA_CONFIG  extra lines appended to kosmo.conf        (unset)
#   KOSMO_DB_HOSTS    db.hosts of kosmo.conf instead of the private
#                     MariaDB, e.g. a Galera failover list  (unix:<socket>)
#   KOSMO_PUBLIC_URL  public_base_url (a load balancer in front)  (https://127.0.0.1:$KOSMO_HTTPS_PORT)
#   KOSMO_NGINX_POST_RATE, KOSMO_NGINX_POST_BURST  nginx limit_req on POSTs
#                     per client address (1000r/s, 1000: far above what tests
#                     and benches send; production renders 10r/s, 20)
#   KOSMO_DB_BUFFER_POOL  innodb_buffer_pool_size of the private MariaDB (128M;
#                     bench/run uses 256M)
#   KOSMO_PROXY_PROTOCOL_PORT, KOSMO_PROXY_PROTOCOL_FROM  a second HTTPS
#                     listener for a TCP load balancer that sends the PROXY
#                     protocol, and the balancer's address (none by default)
#   KOSMO_DB_LOG_SIZE innodb_log_file_size (256M: with 64M a write wave
#                     filled the redo log every few seconds and the forced
#                     checkpoints stalled commits: token POST p99 414 ms,
#                     10 ms with 512M; bench/run uses 512M)

KOSMO_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The FastCGI screen programs, without the kosmo- prefix. The one list: socket
# and log names follow it. Routes are in nginx/kosmo-site.conf.in.
KOSMO_SCREENS=(login password-change mypage forgot-id id-notice password-reset email metrics)

# ---------------------------------------------------------------- helpers ---

# Recompute the paths from the environment, so a caller may change KOSMO_VAR
# or the ports after sourcing.
_kosmo_env() {
  KOSMO_VAR=${KOSMO_VAR:-$KOSMO_REPO/var}
  KOSMO_VAR=$(realpath -m -- "$KOSMO_VAR")
  KOSMO_BUILD=$(realpath -m -- "${KOSMO_BUILD:-$KOSMO_REPO/build}")
  KOSMO_HTTPS_PORT=${KOSMO_HTTPS_PORT:-8443}
  KOSMO_SMTP_PORT=${KOSMO_SMTP_PORT:-2525}
  KOSMO_DB_PORT=${KOSMO_DB_PORT:-3307}
  _RUN=$KOSMO_VAR/run
  _LOG=$KOSMO_VAR/log
  _ETC=$KOSMO_VAR/etc
  _CONF=$_ETC/kosmo.conf
  _SECRETS=$_ETC/secrets.conf
  _TLS=$_ETC/tls
  _DB_DIR=$KOSMO_VAR/mariadb
  _DB_CNF=$_DB_DIR/my.cnf
  _DB_SOCK=$_DB_DIR/mysqld.sock
  _NGINX_DIR=$KOSMO_VAR/nginx
  _MAIL=$KOSMO_VAR/mail
  _DEMO_JSON=$KOSMO_VAR/demo-members.json
}

_say() { printf '%s\n' "stack: $*" >&2; }

# _fail MESSAGE [LOGFILE...]: print the message and the tail of each log.
_fail() {
  local message=$1 file
  shift
  printf '%s\n' "stack: ERROR: $message" >&2
  for file in "$@"; do
    [ -s "$file" ] || continue
    printf '%s\n' "---- last lines of $file ----" >&2
    tail -n 25 -- "$file" >&2 || true
    printf '%s\n' "----" >&2
  done
  return 1
}

# _alive PID: the process exists and is not a zombie. Daemons here are
# re-parented to PID 1, which reaps late: kill -0 would still say "alive".
_alive() {
  local stat
  [[ ${1:-} =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  case ${stat%% *} in Z | X | x) return 1 ;; esac
  return 0
}

# _running PIDFILE MARKER...: print the pid if it is alive and its command line
# contains every MARKER (guards against a recycled pid); a stale file is removed.
_running() {
  local pidfile=$1 pid='' cmdline marker
  shift
  if [ -s "$pidfile" ]; then read -r pid <"$pidfile" || true; fi
  if _alive "$pid"; then
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || cmdline=
    for marker in "$@"; do
      [[ $cmdline == *"$marker"* ]] || pid=
    done
    if [ -n "$pid" ]; then
      printf '%s\n' "$pid"
      return 0
    fi
  fi
  rm -f -- "$pidfile"
  return 1
}

# _spawn PIDFILE LOGFILE COMMAND...: start COMMAND in a new session, stdin
# /dev/null, stdout+stderr appended to LOGFILE. The launcher writes its own pid
# and then execs, so the pid is right even in a shell with job control.
_spawn() {
  local pidfile=$1 logfile=$2 i
  shift 2
  rm -f -- "$pidfile"
  # shellcheck disable=SC2016 # $$ and $0 belong to the inner shell
  setsid -f /bin/bash -c 'echo $$ >"$0.tmp" && mv -f "$0.tmp" "$0" && exec "$@"' \
    "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 || return 1
  for ((i = 0; i < 50; i++)); do
    [ -s "$pidfile" ] && return 0
    sleep 0.1
  done
  _fail "no pid file $pidfile after starting $1" "$logfile"
}

# _wait_gone SECONDS PID...: true once none of the pids is alive.
_wait_gone() {
  local deadline=$((SECONDS + $1)) pid left
  shift
  while :; do
    left=0
    for pid in "$@"; do
      if _alive "$pid"; then left=1; fi
    done
    [ "$left" = 0 ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# _stop NAME PIDFILE SIGNAL SECONDS MARKER...: send SIGNAL, wait, then SIGKILL.
_stop() {
  local name=$1 pidfile=$2 signal=$3 seconds=$4 pid
  shift 4
  if ! pid=$(_running "$pidfile" "$@"); then
    rm -f -- "$pidfile"
    return 0
  fi
  kill "-$signal" "$pid" 2>/dev/null || true
  if ! _wait_gone "$seconds" "$pid"; then
    _say "$name (pid $pid) still running ${seconds}s after SIG$signal: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    _wait_gone 5 "$pid" || { _fail "$name (pid $pid) survives SIGKILL"; return 1; }
  fi
  rm -f -- "$pidfile"
  _say "$name stopped"
}

# _port_free PORT: nothing accepts connections on 127.0.0.1:PORT.
_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Unix socket paths hold at most 107 bytes (sun_path is 108 with the NUL).
_check_socket_paths() {
  local name path LC_ALL=C
  local -a paths=("$_DB_SOCK")
  for name in "${KOSMO_SCREENS[@]}"; do paths+=("$_RUN/$name.sock"); done
  for path in "${paths[@]}"; do
    if [ "${#path}" -gt 107 ]; then
      _fail "socket path too long (${#path} bytes, the limit is 107): $path
       Choose a shorter KOSMO_VAR (now $KOSMO_VAR)."
      return 1
    fi
  done
}

# _secret KEY: the value of KEY in secrets.conf.
_secret() {
  local key value
  while IFS='= ' read -r key value; do
    if [ "$key" = "$1" ]; then
      printf '%s\n' "$value"
      return 0
    fi
  done <"$_SECRETS"
  _fail "no $1 in $_SECRETS"
}

# render_template IN OUT NAME=VALUE...: replace each @NAME@ in IN by VALUE and
# write OUT atomically. Fails when a placeholder is left over. Used for the
# local stack and, with production paths, for deployment.
render_template() {
  local in=$1 out=$2 pair name value
  local -a expressions=()
  shift 2
  for pair in "$@"; do
    name=${pair%%=*}
    value=${pair#*=}
    value=${value//\\/\\\\}
    value=${value//|/\\|}
    value=${value//&/\\&}
    expressions+=(-e "s|@${name}@|${value}|g")
  done
  sed "${expressions[@]}" -- "$in" >"$out.tmp" || { rm -f -- "$out.tmp"; _fail "cannot render $in"; return 1; }
  if grep -n '@[A-Z_]\+@' -- "$out.tmp" >&2; then
    rm -f -- "$out.tmp"
    _fail "unfilled placeholder(s) above in $in"
    return 1
  fi
  mv -f -- "$out.tmp" "$out"
}

# ---------------------------------------------------------------- prepare ---

# Directories, kosmo.conf (rewritten each time), secrets.conf (made once),
# the MariaDB option file, the TLS certificate and DH parameters (made once).
stack_prepare() {
  _kosmo_env
  _check_socket_paths || return 1
  mkdir -p -- "$_RUN" "$_RUN/stats" "$_LOG" "$_ETC" "$_TLS" "$_DB_DIR" "$_NGINX_DIR" "$_MAIL" || return 1
  chmod 700 "$_ETC" || return 1

  if [ ! -s "$_SECRETS" ]; then
    local db_password csrf_key
    db_password=$(openssl rand -hex 16) || return 1
    csrf_key=$(openssl rand -hex 32) || return 1
    (umask 077 && printf 'db.password = %s\ncsrf_key = %s\n' "$db_password" "$csrf_key" >"$_SECRETS.tmp") || return 1
    mv -f -- "$_SECRETS.tmp" "$_SECRETS" || return 1
    _say "created $_SECRETS"
  fi
  chmod 600 "$_SECRETS" || return 1

  {
    printf '%s\n' "# Generated by scripts/stack.sh (stack_prepare) on every start: edit KOSMO_EXTRA_CONFIG, not this file."
    printf '%s\n' \
      "public_base_url = ${KOSMO_PUBLIC_URL:-https://127.0.0.1:$KOSMO_HTTPS_PORT}" \
      "templates_dir = $KOSMO_REPO/templates" \
      "stats_dir = $_RUN/stats" \
      "sql_dir = $KOSMO_REPO/sql" \
      "common_passwords_file = $KOSMO_REPO/data/common-passwords.txt" \
      "workers = 4" \
      "db.hosts = ${KOSMO_DB_HOSTS:-unix:$_DB_SOCK}" \
      "db.name = kosmo" \
      "db.user = kosmo" \
      "secrets_file = $_SECRETS" \
      "mail.from_address = no-reply@kosmoweb.jp" \
      "mail.from_name = サンプル健康保険組合" \
      "mail.sending_domain = kosmoweb.jp" \
      "smtp.url = smtp://127.0.0.1:$KOSMO_SMTP_PORT" \
      "smtp.starttls = off" \
      "# The sample society of the local stack (README, Configuration: society.*)." \
      "society.name = サンプル健康保険組合" \
      "society.logo = /static/sample-society-logo.svg" \
      "society.contact_name = サンプル健康保険組合 適用グループ" \
      "society.contact_phone = 03-0000-0000" \
      "society.contact_hours = 平日 9時〜17時（土日祝日・年末年始を除く）" \
      "society.privacy_url = /static/sample-privacy.html" \
      "society.help_url = /static/sample-help.html"
    if [ -n "${KOSMO_EXTRA_CONFIG:-}" ]; then
      printf '%s\n' "# KOSMO_EXTRA_CONFIG" "$KOSMO_EXTRA_CONFIG"
    fi
  } >"$_CONF.tmp" && mv -f -- "$_CONF.tmp" "$_CONF" || return 1

  cat >"$_DB_CNF.tmp" <<EOF || return 1
# Private MariaDB of the local stack (generated by scripts/stack.sh).
# Clients: mariadb --defaults-file=$_DB_CNF kosmo   (the option must come first)
[mysqld]
datadir = $_DB_DIR/data
socket = $_DB_SOCK
pid-file = $_RUN/mariadb.pid
log-error = $_LOG/mariadb.log
bind-address = 127.0.0.1
port = $KOSMO_DB_PORT
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
default-time-zone = +00:00
max_connections = 100
max_allowed_packet = 16M
performance_schema = OFF
innodb_buffer_pool_size = ${KOSMO_DB_BUFFER_POOL:-128M}
innodb_log_file_size = ${KOSMO_DB_LOG_SIZE:-256M}
innodb_flush_log_at_trx_commit = 1
innodb_file_per_table = ON

[client]
socket = $_DB_SOCK
port = $KOSMO_DB_PORT
default-character-set = utf8mb4
EOF
  mv -f -- "$_DB_CNF.tmp" "$_DB_CNF" || return 1

  # A certificate close to expiry is made again (testssl flags < 30 days).
  if [ ! -s "$_TLS/key.pem" ] || ! openssl x509 -checkend 2592000 -noout -in "$_TLS/cert.pem" >/dev/null 2>&1; then
    (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
      -keyout "$_TLS/key.pem" -out "$_TLS/cert.pem") >>"$_LOG/openssl.log" 2>&1 ||
      { _fail "cannot create the TLS certificate" "$_LOG/openssl.log"; return 1; }
    _say "created a self-signed certificate for 127.0.0.1 in $_TLS"
  fi
  if [ ! -s "$_TLS/dhparam.pem" ]; then
    openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$_TLS/dhparam.pem.tmp" \
      >>"$_LOG/openssl.log" 2>&1 || { _fail "cannot create the DH parameters" "$_LOG/openssl.log"; return 1; }
    mv -f -- "$_TLS/dhparam.pem.tmp" "$_TLS/dhparam.pem" || return 1
  fi
}

# ---------------------------------------------------------------- MariaDB ---

_db_ping() {
  mariadb-admin --defaults-file="$_DB_CNF" --connect-timeout=2 ping >/dev/null 2>&1
}

# Start the private MariaDB (install the data directory on first run), wait
# for it to answer, then make sure database and account exist.
db_start() {
  stack_prepare || return 1
  local pid deadline
  if ! pid=$(_running "$_RUN/mariadb.pid" "--defaults-file=$_DB_CNF"); then
    _port_free "$KOSMO_DB_PORT" || { _fail "127.0.0.1:$KOSMO_DB_PORT is already in use (KOSMO_DB_PORT)"; return 1; }
    if [ ! -e "$_DB_DIR/.installed" ]; then
      # The marker is written only after a complete install, so a directory
      # without it is a broken first run and holds no data.
      rm -rf -- "$_DB_DIR/data"
      _say "creating the MariaDB data directory $_DB_DIR/data"
      mariadb-install-db --defaults-file="$_DB_CNF" --user=root --skip-test-db \
        >>"$_LOG/mariadb-install.log" 2>&1 ||
        { _fail "mariadb-install-db failed" "$_LOG/mariadb-install.log"; return 1; }
      touch -- "$_DB_DIR/.installed"
      # Demo passwords in an old JSON would not match the new, empty database.
      if [ -e "$_DEMO_JSON" ]; then
        mv -f -- "$_DEMO_JSON" "$_DEMO_JSON.orphaned"
        _say "fresh database: moved the old $_DEMO_JSON to .orphaned"
      fi
    fi
    rm -f -- "$_DB_SOCK"
    _spawn "$_RUN/mariadb.pid" "$_LOG/mariadb.log" mariadbd --defaults-file="$_DB_CNF" --user=root || return 1
    read -r pid <"$_RUN/mariadb.pid"
    deadline=$((SECONDS + 60))
    until _db_ping; do
      _alive "$pid" || { _fail "mariadbd exited during start-up" "$_LOG/mariadb.log"; return 1; }
      [ "$SECONDS" -lt "$deadline" ] || { _fail "mariadbd (pid $pid) does not answer after 60 s" "$_LOG/mariadb.log"; return 1; }
      sleep 0.1
    done
    _say "mariadb up (pid $pid, port $KOSMO_DB_PORT, socket $_DB_SOCK)"
  fi
  # Idempotent, so it runs on every start: also re-syncs the password with
  # secrets.conf. The password is hex: no quoting issue.
  local password
  password=$(_secret db.password) || return 1
  mariadb --defaults-file="$_DB_CNF" --batch >>"$_LOG/mariadb-bootstrap.log" 2>&1 <<EOF ||
CREATE DATABASE IF NOT EXISTS kosmo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'kosmo'@'localhost' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'kosmo'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER 'kosmo'@'localhost' IDENTIFIED BY '$password';
ALTER USER 'kosmo'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON kosmo.* TO 'kosmo'@'localhost';
GRANT ALL PRIVILEGES ON kosmo.* TO 'kosmo'@'127.0.0.1';
EOF
    { _fail "cannot create the kosmo database and account" "$_LOG/mariadb-bootstrap.log"; return 1; }
}

db_stop() {
  _kosmo_env
  _stop mariadb "$_RUN/mariadb.pid" TERM 120 "--defaults-file=$_DB_CNF"
}

# db_client [ARGS...]: the mariadb client on database kosmo, as root over the
# private socket (for tests and operators), e.g. db_client -e 'SHOW TABLES'.
db_client() {
  _kosmo_env
  mariadb --defaults-file="$_DB_CNF" kosmo "$@"
}

# -------------------------------------------------------------- SMTP sink ---

sink_start() {
  stack_prepare || return 1
  local pid deadline
  if pid=$(_running "$_RUN/smtp-sink.pid" smtp_sink.py "$_MAIL"); then
    return 0
  fi
  _port_free "$KOSMO_SMTP_PORT" || { _fail "127.0.0.1:$KOSMO_SMTP_PORT is already in use (KOSMO_SMTP_PORT)"; return 1; }
  _spawn "$_RUN/smtp-sink.pid" "$_LOG/smtp-sink.log" /usr/bin/python3 "$KOSMO_REPO/scripts/smtp_sink.py" \
    --host 127.0.0.1 --port "$KOSMO_SMTP_PORT" --dir "$_MAIL" || return 1
  read -r pid <"$_RUN/smtp-sink.pid"
  deadline=$((SECONDS + 15))
  while _port_free "$KOSMO_SMTP_PORT"; do
    _alive "$pid" || { _fail "the SMTP sink exited during start-up" "$_LOG/smtp-sink.log"; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { _fail "the SMTP sink does not listen after 15 s" "$_LOG/smtp-sink.log"; return 1; }
    sleep 0.1
  done
  _say "smtp sink up (pid $pid, 127.0.0.1:$KOSMO_SMTP_PORT, mail in $_MAIL/)"
}

sink_stop() {
  _kosmo_env
  _stop smtp-sink "$_RUN/smtp-sink.pid" TERM 10 smtp_sink.py "$_MAIL"
}

# --------------------------------------------------------------- programs ---

# Start every screen program that exists in $KOSMO_BUILD, then wait until each
# has created its socket.
programs_start() {
  stack_prepare || return 1
  local name pid deadline
  local -a present=() absent=() started=()
  for name in "${KOSMO_SCREENS[@]}"; do
    if [ ! -x "$KOSMO_BUILD/kosmo-$name" ]; then
      absent+=("kosmo-$name")
      continue
    fi
    present+=("$name")
    _running "$_RUN/$name.pid" "$_RUN/$name.sock" >/dev/null && continue
    rm -f -- "$_RUN/$name.sock"  # left over by a killed process: ours to remove
    _spawn "$_RUN/$name.pid" "$_LOG/$name.log" "$KOSMO_BUILD/kosmo-$name" \
      --config "$_CONF" --listen "$_RUN/$name.sock" || return 1
    started+=("$name")
  done
  # Also the ones already running: one started earlier may still lack its socket.
  deadline=$((SECONDS + 20))
  for name in ${present[@]+"${present[@]}"}; do
    pid=$(_running "$_RUN/$name.pid" "$_RUN/$name.sock") ||
      { _fail "kosmo-$name exited during start-up" "$_LOG/$name.log"; return 1; }
    until [ -S "$_RUN/$name.sock" ]; do
      _alive "$pid" || { _fail "kosmo-$name exited during start-up" "$_LOG/$name.log"; return 1; }
      [ "$SECONDS" -lt "$deadline" ] || { _fail "kosmo-$name (pid $pid) made no socket in 20 s" "$_LOG/$name.log"; return 1; }
      sleep 0.1
    done
    if [[ " ${started[*]-} " == *" $name "* ]]; then
      _say "kosmo-$name up (pid $pid, $_RUN/$name.sock)"
    fi
  done
  if [ "${#absent[@]}" -gt 0 ]; then
    _say "not in $KOSMO_BUILD (their routes answer 502): ${absent[*]}"
  fi
}

# SIGTERM to all at once (they finish requests in flight), SIGKILL after 10 s.
programs_stop() {
  _kosmo_env
  local name pid rc=0
  local -a pids=()
  for name in "${KOSMO_SCREENS[@]}"; do
    if pid=$(_running "$_RUN/$name.pid" "$_RUN/$name.sock"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  if [ "${#pids[@]}" -gt 0 ] && ! _wait_gone 10 "${pids[@]}"; then
    for pid in "${pids[@]}"; do
      if _alive "$pid"; then
        _say "pid $pid still running 10 s after SIGTERM: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
    _wait_gone 5 "${pids[@]}" || { _fail "screen programs survive SIGKILL: ${pids[*]}"; rc=1; }
  fi
  for name in "${KOSMO_SCREENS[@]}"; do
    if ! _running "$_RUN/$name.pid" "$_RUN/$name.sock" >/dev/null; then
      rm -f -- "$_RUN/$name.pid" "$_RUN/$name.sock"
    fi
  done
  [ "${#pids[@]}" -eq 0 ] || _say "screen programs stopped"
  return "$rc"
}

# ----------------------------------------------------------------- mailer ---

# No readiness signal in its contract: "ready" means still alive after 1 s.
mailer_start() {
  stack_prepare || return 1
  local pid
  if [ ! -x "$KOSMO_BUILD/kosmo-mailer" ]; then
    _say "kosmo-mailer not built: mails stay in the outbox"
    return 0
  fi
  _running "$_RUN/mailer.pid" kosmo-mailer "$_CONF" >/dev/null && return 0
  _spawn "$_RUN/mailer.pid" "$_LOG/mailer.log" "$KOSMO_BUILD/kosmo-mailer" --config "$_CONF" || return 1
  read -r pid <"$_RUN/mailer.pid"
  sleep 1
  _alive "$pid" || { _fail "kosmo-mailer exited during start-up" "$_LOG/mailer.log"; return 1; }
  _say "kosmo-mailer up (pid $pid)"
}

mailer_stop() {
  _kosmo_env
  _stop kosmo-mailer "$_RUN/mailer.pid" TERM 10 kosmo-mailer "$_CONF"
}

# ------------------------------------------------------------- kosmo-admin ---

# Apply sql/NNN_*.sql (kosmo-admin migrate is idempotent).
migrate() {
  stack_prepare || return 1
  if [ ! -x "$KOSMO_BUILD/kosmo-admin" ]; then
    _say "kosmo-admin not built: no migrations applied"
    return 0
  fi
  "$KOSMO_BUILD/kosmo-admin" --config "$_CONF" migrate >>"$_LOG/admin.log" 2>&1 ||
    { _fail "kosmo-admin migrate failed" "$_LOG/admin.log"; return 1; }
  _say "migrations applied"
}

# Create the demo members once: a restart keeps data and passwords.
seed_demo() {
  stack_prepare || return 1
  if [ -e "$_DEMO_JSON" ]; then
    return 0
  fi
  if [ ! -x "$KOSMO_BUILD/kosmo-admin" ]; then
    _say "kosmo-admin not built: no demo members"
    return 0
  fi
  rm -f -- "$_DEMO_JSON.tmp"
  "$KOSMO_BUILD/kosmo-admin" --config "$_CONF" seed-demo --out "$_DEMO_JSON.tmp" >>"$_LOG/admin.log" 2>&1 ||
    { _fail "kosmo-admin seed-demo failed" "$_LOG/admin.log"; return 1; }
  mv -f -- "$_DEMO_JSON.tmp" "$_DEMO_JSON" || return 1
  _say "demo members created: $_DEMO_JSON"
}

# ------------------------------------------------------------------ nginx ---

# proxy_protocol_directives LISTEN_ADDRESS PORT FROM: the site file's
# @PROXY_PROTOCOL@ line. With a PORT, a listener that reads the PROXY protocol
# (v1 or v2) and takes the client address from it when the connection comes
# from FROM (the balancer's address or CIDR); without one, a comment.
proxy_protocol_directives() {
  local address=$1 port=$2 from=$3
  if [ -z "$port" ]; then
    echo "# no PROXY protocol listener"
    return 0
  fi
  [ -n "$from" ] || { _fail "a PROXY protocol port needs the balancer's address (PROXY_PROTOCOL_FROM)"; return 1; }
  echo "listen $address:$port ssl proxy_protocol; set_real_ip_from $from; real_ip_header proxy_protocol;"
}

# Render nginx.conf, the site file and the params file into $KOSMO_VAR/nginx.
_nginx_render() {
  local proxy_protocol
  proxy_protocol=$(proxy_protocol_directives 127.0.0.1 "${KOSMO_PROXY_PROTOCOL_PORT:-}" \
    "${KOSMO_PROXY_PROTOCOL_FROM:-}") || return 1
  mkdir -p -- "$_NGINX_DIR"/{client_body,fastcgi,proxy,scgi,uwsgi}_temp || return 1
  cp -f -- "$KOSMO_REPO/nginx/kosmo_fastcgi_params" "$_NGINX_DIR/kosmo_fastcgi_params" || return 1
  render_template "$KOSMO_REPO/nginx/kosmo-site.conf.in" "$_NGINX_DIR/kosmo-site.conf" \
    LISTEN_ADDRESS=127.0.0.1 HTTPS_PORT="$KOSMO_HTTPS_PORT" RUN_DIR="$_RUN" \
    STATIC_DIR="$KOSMO_REPO/static" TLS_CERT="$_TLS/cert.pem" TLS_KEY="$_TLS/key.pem" \
    TLS_DHPARAM="$_TLS/dhparam.pem" LOG_DIR="$_LOG" \
    POST_RATE="${KOSMO_NGINX_POST_RATE:-1000r/s}" POST_BURST="${KOSMO_NGINX_POST_BURST:-1000}" \
    PROXY_PROTOCOL="$proxy_protocol" || return 1
  render_template "$KOSMO_REPO/nginx/local/nginx.conf.in" "$_NGINX_DIR/nginx.conf" \
    RUN_DIR="$_RUN" LOG_DIR="$_LOG" NGINX_DIR="$_NGINX_DIR" SITE_CONF="$_NGINX_DIR/kosmo-site.conf" || return 1
}

_nginx() {
  nginx -p "$_NGINX_DIR/" -c "$_NGINX_DIR/nginx.conf" -e "$_LOG/nginx-error.log" "$@"
}

_nginx_test() {
  _nginx -t >>"$_LOG/nginx-test.log" 2>&1 ||
    { _fail "nginx -t rejects the configuration in $_NGINX_DIR" "$_LOG/nginx-test.log"; return 1; }
}

# The nginx master's children (its workers), to wait for or to kill.
_children() {
  ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' ' || true
}

# Render, test (-t), start, wait until it answers. Already running: nothing
# (nginx_reload applies configuration changes).
nginx_start() {
  stack_prepare || return 1
  local pid deadline code
  if pid=$(_running "$_RUN/nginx.pid" "$_NGINX_DIR/nginx.conf"); then
    return 0
  fi
  _nginx_render || return 1
  _nginx_test || return 1
  _port_free "$KOSMO_HTTPS_PORT" || { _fail "127.0.0.1:$KOSMO_HTTPS_PORT is already in use (KOSMO_HTTPS_PORT)"; return 1; }
  # As root nginx daemonizes itself (and calls setsid); it writes the pid file.
  _nginx >>"$_LOG/nginx-error.log" 2>&1 || { _fail "nginx did not start" "$_LOG/nginx-error.log"; return 1; }
  deadline=$((SECONDS + 15))
  while :; do
    code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "https://127.0.0.1:$KOSMO_HTTPS_PORT/favicon.ico") || code=000
    [ "$code" = 204 ] && break
    [ "$SECONDS" -lt "$deadline" ] || { _fail "nginx does not answer on https://127.0.0.1:$KOSMO_HTTPS_PORT (last status $code)" "$_LOG/nginx-error.log" "$_LOG/kosmo-error.log"; return 1; }
    sleep 0.2
  done
  pid=$(_running "$_RUN/nginx.pid" "$_NGINX_DIR/nginx.conf") || { _fail "nginx answers but its pid file $_RUN/nginx.pid is not ours" "$_LOG/nginx-error.log"; return 1; }
  _say "nginx up (pid $pid, https://127.0.0.1:$KOSMO_HTTPS_PORT/)"
}

# Graceful stop (QUIT: requests in flight finish), TERM after 10 s, then KILL
# master and workers.
nginx_stop() {
  _kosmo_env
  local pid
  local -a workers=()
  pid=$(_running "$_RUN/nginx.pid" "$_NGINX_DIR/nginx.conf") || { rm -f -- "$_RUN/nginx.pid"; return 0; }
  mapfile -t workers < <(_children "$pid")
  kill -QUIT "$pid" 2>/dev/null || true
  if ! _wait_gone 10 "$pid" ${workers[@]+"${workers[@]}"}; then
    _say "nginx (pid $pid) still running 10 s after QUIT: TERM"
    kill -TERM "$pid" 2>/dev/null || true
    if ! _wait_gone 5 "$pid" ${workers[@]+"${workers[@]}"}; then
      kill -KILL "$pid" ${workers[@]+"${workers[@]}"} 2>/dev/null || true
      _wait_gone 5 "$pid" ${workers[@]+"${workers[@]}"} || { _fail "nginx survives SIGKILL"; return 1; }
    fi
  fi
  rm -f -- "$_RUN/nginx.pid"
  _say "nginx stopped"
}

# Re-render, test, HUP; then wait until the old workers are gone, because a
# request sent right after a HUP can still reach an old worker.
nginx_reload() {
  stack_prepare || return 1
  local pid
  local -a old=()
  pid=$(_running "$_RUN/nginx.pid" "$_NGINX_DIR/nginx.conf") || { nginx_start; return; }
  _nginx_render || return 1
  _nginx_test || return 1
  mapfile -t old < <(_children "$pid")
  kill -HUP "$pid" || return 1
  _wait_gone 30 ${old[@]+"${old[@]}"} ||
    { _fail "old nginx workers still running 30 s after the reload" "$_LOG/nginx-error.log"; return 1; }
  _say "nginx reloaded"
}

# ------------------------------------------------------------------ whole ---

stack_up() {
  stack_prepare || return 1
  db_start || return 1
  migrate || return 1
  seed_demo || return 1
  sink_start || return 1
  programs_start || return 1
  mailer_start || return 1
  nginx_start || return 1
  if [ -x "$KOSMO_BUILD/kosmo-login" ]; then
    local code deadline=$((SECONDS + 10))
    while :; do
      code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "https://127.0.0.1:$KOSMO_HTTPS_PORT/login") || code=000
      [ "$code" = 200 ] && break
      [ "$SECONDS" -lt "$deadline" ] ||
        { _fail "GET /login answers $code, not 200" "$_LOG/login.log" "$_LOG/kosmo-error.log"; return 1; }
      sleep 0.5
    done
    _say "GET https://127.0.0.1:$KOSMO_HTTPS_PORT/login: 200"
  fi
  _say "stack up"
}

# Reverse order; every part is stopped by its pid and may already be down.
stack_down() {
  local rc=0
  nginx_stop || rc=1
  mailer_stop || rc=1
  programs_stop || rc=1
  sink_stop || rc=1
  db_stop || rc=1
  return "$rc"
}

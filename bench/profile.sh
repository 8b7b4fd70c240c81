# shellcheck shell=bash
# bench/profile.sh: where the CPU of a request goes (issue 16), sourced by
# bench/run (not run on its own).
#
# BENCH_PROFILE="identity_post token_post" (rows, or "all"): during those
# rows' measured runs perf (Debian's linux-perf) samples the row's program
# and mariadbd with call graphs (DWARF unwinding: the Release build keeps no
# frame pointers; cpu-clock: this VM has no hardware counters), until the
# row's work is done (the identity rows: the drain of kosmo-forgot-id's
# queue); `perf report` per process goes beside the raw wrk output. Every
# run, profiled or not, also records MariaDB's status counters before and
# after, which bench/peer_summary.py turns into statements, rows and redo
# bytes per action.
#
# Needs from bench/run: $RESULTS $_DB_CNF, say, pid_of, process_list.

PROFILE_ROWS=${BENCH_PROFILE:-}
PROFILE_PID=

# MariaDB's counters that tell the work of an action, as one JSON object.
db_status() {
  mariadb --defaults-file="$_DB_CNF" -N -B -e "SELECT JSON_OBJECTAGG(LOWER(VARIABLE_NAME), VARIABLE_VALUE + 0)
    FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('QUESTIONS', 'COM_SELECT', 'COM_INSERT',
      'COM_UPDATE', 'COM_DELETE', 'COM_COMMIT', 'COM_ROLLBACK', 'COM_STMT_EXECUTE', 'COM_STMT_PREPARE',
      'COM_SET_OPTION', 'COM_BEGIN', 'INNODB_ROWS_READ', 'INNODB_ROWS_INSERTED', 'INNODB_ROWS_UPDATED',
      'INNODB_ROWS_DELETED', 'INNODB_OS_LOG_WRITTEN', 'INNODB_DATA_FSYNCS', 'HANDLER_READ_KEY',
      'HANDLER_READ_NEXT', 'HANDLER_WRITE', 'HANDLER_UPDATE', 'HANDLER_DELETE', 'BYTES_RECEIVED', 'BYTES_SENT',
      'INNODB_BUFFER_POOL_READS', 'INNODB_BUFFER_POOL_PAGES_FLUSHED', 'INNODB_BUFFER_POOL_PAGES_DIRTY',
      'INNODB_BUFFER_POOL_WAIT_FREE', 'INNODB_LOG_WAITS', 'INNODB_ROW_LOCK_WAITS', 'INNODB_ROW_LOCK_TIME',
      'INNODB_CHECKPOINT_AGE', 'INNODB_HISTORY_LIST_LENGTH')"
}

profile_wanted() { [ -n "$PROFILE_ROWS" ] && [[ "$PROFILE_ROWS" == all || " $PROFILE_ROWS " == *" $1 "* ]]; }

# profile_start ROW PROGRAM RAW: perf on the program's and mariadbd's pids.
profile_start() {
  PROFILE_PID=
  profile_wanted "$1" || return 0
  command -v perf >/dev/null || { say "BENCH_PROFILE: perf is missing (apt-get install linux-perf)"; return 0; }
  local pids pairs
  pairs=$(process_list)
  pids=$(awk -F= -v a="$2" '$1 == a || $1 == "mariadbd" { print $2 }' <<<"$pairs" | tr '\n' ',' | sed 's/,,*/,/g; s/^,//; s/,$//')
  [ -n "$pids" ] || return 0
  perf record -q -e cpu-clock -F 499 --call-graph dwarf,16384 -p "$pids" -o "${3%.txt}.perf.data" >/dev/null 2>&1 &
  PROFILE_PID=$!
  sleep 0.5  # perf attaches before the load starts
}

profile_stop() {
  [ -n "$PROFILE_PID" ] || return 0
  kill -INT "$PROFILE_PID" 2>/dev/null || true
  wait "$PROFILE_PID" 2>/dev/null || true
  PROFILE_PID=
  local data="${1%.txt}.perf.data"
  [ -s "$data" ] || return 0
  # Per process, the functions by their own samples and by their callers' (children).
  perf report -i "$data" --stdio --no-children --sort comm,dso,symbol --percent-limit 0.7 -g none \
    >"${1%.txt}.perf-self.txt" 2>/dev/null || true
  perf report -i "$data" --stdio --children --sort comm,symbol --percent-limit 2 -g none \
    >"${1%.txt}.perf-children.txt" 2>/dev/null || true
  perf report -i "$data" --stdio --no-children --sort comm --percent-limit 0.5 -g caller,0.5,callee,function,percent \
    >"${1%.txt}.perf-graph.txt" 2>/dev/null || true
  say "profile: ${1%.txt}.perf-*.txt"
}

#!/bin/bash
# Runs one libFuzzer target for a bounded time and fails on any finding:
# exit 1 ASan/UBSan, 77 leak, 70 timeout (per input), other non-zero crash.
# The committed seeds (tests/fuzz/corpus/TARGET) and dictionary seed a
# working corpus in the build tree that grows across runs; a finding's input
# is kept in OUT_DIR/artifacts/ (replay: OUT_DIR/fuzz_TARGET FILE).
#   tests/fuzz/run.sh OUT_DIR TARGET SECONDS
set -uo pipefail
out=$(realpath -m "$1") target=$2 seconds=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary=$out/fuzz_$target
[ -x "$binary" ] || { echo "$binary is not built (fuzz.build failed?)"; exit 1; }
work=$out/corpus/$target
mkdir -p "$work" "$out/artifacts"
log=$out/fuzz_$target.log
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -dict="$here/$target.dict" -artifact_prefix="$out/artifacts/$target-" -print_final_stats=1 \
  "$work" "$here/corpus/$target" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
echo "fuzz_$target: exit $rc, ${runs:-?} runs in ${seconds}s ($(( ${runs:-0} / seconds )) exec/s), corpus $(ls "$work" | wc -l) files"
if [ "$rc" -ne 0 ]; then
  grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -20
  echo "full log: $log"
fi
exit "$rc"

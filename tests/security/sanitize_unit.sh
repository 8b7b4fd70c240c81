#!/bin/bash
# Builds the library and the unit tests again with -DKOSMO_SANITIZE=ON
# (AddressSanitizer, LeakSanitizer, UBSan; no recovery) in a second build tree
# and runs them: any report fails the test (issue 5 item 8).
#   tests/security/sanitize_unit.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$(realpath "$1") dir=$(realpath -m "$2")
cmake -S "$src" -B "$dir" -DKOSMO_SANITIZE=ON -DKOSMO_WERROR=ON -DCMAKE_BUILD_TYPE=Debug >"$dir.configure.log" 2>&1 ||
  { tail -30 "$dir.configure.log"; exit 1; }
targets=()
for source in "$src"/tests/unit/*_test.cpp; do targets+=("unit_$(basename "$source" .cpp)"); done
cmake --build "$dir" -j2 --target "${targets[@]}"
cd "$dir"
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest -L unit --output-on-failure --timeout 300

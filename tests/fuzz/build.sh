#!/bin/bash
# Builds the libFuzzer targets of tests/fuzz with clang (the product itself is
# built with g++): ASan + UBSan, no recovery, so any finding stops the run.
#   tests/fuzz/build.sh OUT_DIR
# Needs clang and libclang-rt-14-dev (the fuzzer runtime; scripts/test installs both).
set -euo pipefail
out=$(realpath -m "$1")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
lib=$repo/fcgi/lib
mkdir -p "$out"
cxx=$(command -v clang++ || command -v clang++-14) || { echo "clang++ is not installed"; exit 1; }
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
# fcgi/lib's layer folders, each on the include path as CMake has them.
for layer in "$lib"/*/; do flags+=(-I "$layer"); done

# target: the fcgi/lib sources it needs (by name, in whichever layer), then the libraries.
declare -A sources=(
  [form]="form.cpp normalize.cpp text.cpp|-licuuc"
  [cookie]="form.cpp normalize.cpp text.cpp|-licuuc"
  [config]="config.cpp crypto.cpp smtp_transport.cpp text.cpp|-lcrypto"
  [birth_date]="birth_date.cpp normalize.cpp text.cpp|-licui18n -licuuc"
  [normalize]="normalize.cpp text.cpp|-licuuc"
  [mail]="mail.cpp crypto.cpp|-lcrypto"
  [headers]="request_text.cpp http.cpp form.cpp normalize.cpp text.cpp client_ip.cpp config.cpp crypto.cpp smtp_transport.cpp|-licuuc -lcrypto"
)
build_one() {
  local target=$1 spec=$2 files libs
  files=${spec%%|*}
  libs=${spec#*|}
  local -a paths=()
  for f in $files; do paths+=("$(find "$lib" -name "$f")"); done
  # shellcheck disable=SC2086
  "$cxx" "${flags[@]}" -o "$out/fuzz_$target" "$repo/tests/fuzz/fuzz_$target.cc" "${paths[@]}" $libs
  echo "built $out/fuzz_$target"
}
pids=()
for target in "${!sources[@]}"; do
  build_one "$target" "${sources[$target]}" &
  pids+=($!)
  # two at a time (two cores)
  if [ "${#pids[@]}" -ge 2 ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid"; done

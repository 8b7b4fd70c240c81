#!/bin/bash
# Proves tests/lint/no_sql_concat.py still catches what it is for: every
# fixtures/bad_*.cpp must be reported, fixtures/good.cpp must pass.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
failed=0
for file in "$here"/fixtures/bad_*.cpp; do
  if python3 "$here/no_sql_concat.py" "$file" >/dev/null; then
    echo "NOT REPORTED: $(basename "$file")"
    failed=1
  else
    echo "reported: $(basename "$file")"
  fi
done
if ! python3 "$here/no_sql_concat.py" "$here/fixtures/good.cpp"; then
  echo "good.cpp was reported"
  failed=1
fi
exit "$failed"

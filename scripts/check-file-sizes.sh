#!/usr/bin/env bash
# Fails when a file git tracks is larger than 1 MB, outside the test fixture folders: the repository holds
# source, tests and small fixtures only (no wheels, binaries, captures or build products). `make test` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=$((1024 * 1024))
status=0
while IFS= read -r -d '' path; do
  case "$path" in
    Tests/*/*/Fixtures/*|Tests/integration/fixtures/*|Tests/fuzz/*) continue ;;
  esac
  [ -f "$path" ] || continue
  size=$(stat -c %s "$path")
  if [ "$size" -gt "$limit" ]; then
    echo "error: $path is $size bytes, over the 1 MB limit for tracked files (fixtures go under Tests/LAYER/MODULETests/Fixtures)" >&2
    status=1
  fi
done < <(git ls-files -z)
exit $status

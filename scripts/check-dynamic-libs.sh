#!/usr/bin/env bash
# Checks that a siprecd binary needs exactly the shared libraries its board lists:
#   scripts/check-dynamic-libs.sh BINARY BOARD
# The DT_NEEDED entries (readelf -d) are compared with board/BOARD/dynamic-libs (one soname per line,
# '#' comments). Anything extra is an error: the board's root file system may not have it.
set -euo pipefail
bin="${1:?BINARY}"
board="${2:?BOARD}"
root="$(cd "$(dirname "$0")/.." && pwd)"
list="$root/board/$board/dynamic-libs"
[ -f "$list" ] || { echo "error: no $list" >&2; exit 1; }
needed="$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)"
allowed="$(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$list" | sort -u)"
extra="$(comm -23 <(echo "$needed") <(echo "$allowed"))"
if [ -n "$extra" ]; then
  echo "error: $bin needs shared libraries that board $board does not list in $list:" >&2
  echo "$extra" | sed 's/^/  /' >&2
  exit 1
fi
echo "$bin needs only: $(echo "$needed" | tr '\n' ' ')"

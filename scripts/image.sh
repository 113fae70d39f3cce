#!/usr/bin/env bash
# Assembles a root-file-system tarball for a board:
#   scripts/image.sh BOARD BINARY OUTDIR
# It holds what scripts/install.sh installs, plus /usr/share/siprecd/MANIFEST (version, board, target
# triple, and the SHA-256 of every file), packed as OUTDIR/siprecd-VERSION-BOARD.tar.gz.
set -euo pipefail
board="${1:?BOARD}"
bin="${2:?the siprecd binary}"
out="${3:?OUTDIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
profile="$root/board/$board/profile.env"
[ -f "$profile" ] || { echo "error: no board profile $profile (boards: $(ls "$root/board" | grep -v README | tr '\n' ' '))" >&2; exit 1; }
# shellcheck disable=SC1090
. "$profile"
version="$("$bin" --version 2>/dev/null || true)"
[ -n "$version" ] || { echo "error: $bin does not run here (built for another board?); cannot read its version" >&2; exit 1; }
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
"$root/scripts/install.sh" "$stage" "$bin" >/dev/null
mkdir -p "$stage/usr/share/siprecd"
{
  echo "siprecd $version"
  echo "board $board"
  echo "target ${TARGET_TRIPLE:-unknown}"
  (cd "$stage" && find . -type f ! -path ./usr/share/siprecd/MANIFEST | sort | xargs sha256sum)
} > "$stage/usr/share/siprecd/MANIFEST"
mkdir -p "$out"
tarball="$out/siprecd-$version-$board.tar.gz"
tar -C "$stage" --owner=0 --group=0 -czf "$tarball" .
echo "$tarball"

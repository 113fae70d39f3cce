#!/usr/bin/env bash
# Assembles a root-file-system tarball for a board:
#   scripts/image.sh BOARD BINARY OUTDIR
# It holds what scripts/install.sh installs, plus /usr/share/siprecd/MANIFEST (version, board, target
# triple, the licence of every linked library, and the SHA-256 of every file), packed as
# OUTDIR/siprecd-VERSION-BOARD.tar.gz.
set -euo pipefail
board="${1:?BOARD}"
bin="${2:?the siprecd binary}"
out="${3:?OUTDIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
profile="$root/board/$board/profile.env"
[ -f "$profile" ] || { echo "error: no board profile $profile (boards: $(ls "$root/board" | grep -v README | tr '\n' ' '))" >&2; exit 1; }
# shellcheck disable=SC1090
. "$profile"
# The binary must be for the board's machine (ELF e_machine against the target triple).
machine="$(readelf -h "$bin" 2>/dev/null | sed -n 's/^ *Machine: *//p')"
case "${TARGET_TRIPLE%%-*}:$machine" in
  x86_64:*X86-64*|aarch64:*AArch64*) ;;
  *) echo "error: $bin is for '${machine:-not an ELF file}', but board $board needs ${TARGET_TRIPLE%%-*} (x86_64 = X86-64, aarch64 = AArch64): build it with make cross BOARD=$board" >&2; exit 1 ;;
esac
# The version: from the binary when it runs here, else from the source it was built from.
version="$("$bin" --version 2>/dev/null || sed -n 's/.*static let string = "\(.*\)".*/\1/p' "$root/Sources/Apps/Daemon/SiprecdVersion.swift")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
# The tarball's "." is the board's / : 0755, not mktemp's 0700 (unpacked with tar -p it would lock every
# user but root out of the whole file system).
chmod 0755 "$stage"
"$root/scripts/install.sh" "$stage" "$bin" >/dev/null
# The board's interface, audio device and data directory in the default configuration; a data directory
# other than /var/lib/siprecd gets its tmpfiles line and a unit drop-in that makes it writable.
config="$stage/etc/siprecd/siprecd.toml"
sed -i -e "s|^interface = .*|interface = \"${SIPRECD_INTERFACE:-eth0}\"|" \
       -e "s|^device = .*|device = \"${SIPRECD_AUDIO_DEVICE:-default}\"|" \
       -e "s|^dataDir = .*|dataDir = \"${SIPRECD_DATA_DIR:-/var/lib/siprecd}\"|" "$config"
if [ "${SIPRECD_DATA_DIR:-/var/lib/siprecd}" != /var/lib/siprecd ]; then
  echo "d $SIPRECD_DATA_DIR 0750 siprecd siprecd -" >> "$stage/usr/lib/tmpfiles.d/siprecd.conf"
  mkdir -p "$stage/etc/systemd/system/siprecd.service.d"
  printf '# Board %s: recordings on %s.\n[Service]\nReadWritePaths=%s\n' "$board" "$SIPRECD_DATA_DIR" "$SIPRECD_DATA_DIR" \
    > "$stage/etc/systemd/system/siprecd.service.d/board.conf"
fi
# The licence of every library the binary links, from the table in docs/licenses.md, with the version this
# build used: the Debian package's, the Swift package's pin, or the toolchain's.
swift_pin() {
  awk -v want="$1" '/"identity"/ { split($0, f, "\""); id = f[4] } /"version"/ && id == want { split($0, f, "\""); print f[4]; exit }' \
    "$root/Package.resolved" 2>/dev/null
}
licences() {
  sed -n 's/^| \([^|]*[^ ]\) | \(static\|dynamic\) | \([^|]*[^ ]\) | \([^|]*[^ ]\) | [^|]* |$/\1\t\2\t\3\t\4/p' "$root/docs/licenses.md" |
  while IFS=$'\t' read -r name linked package spdx; do
    case "$package" in
      "Swift package") used="$(swift_pin "$name")" ;;
      "swiftlang toolchain") used="$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([0-9][0-9.]*\).*/\1/p' | head -1)" ;;
      *) used="$(dpkg-query -W -f '${Version}' "$package" 2>/dev/null || true)" ;;
    esac
    printf 'licence\t%s\t%s\t%s\t%s\n' "$name" "$linked" "${used:--}" "$spdx"
  done
}
mkdir -p "$stage/usr/share/siprecd"
{
  echo "siprecd $version"
  echo "board $board"
  echo "target ${TARGET_TRIPLE:-unknown}"
  licences
  (cd "$stage" && find . -type f ! -path ./usr/share/siprecd/MANIFEST | sort | xargs sha256sum)
} > "$stage/usr/share/siprecd/MANIFEST"
mkdir -p "$out"
tarball="$out/siprecd-$version-$board.tar.gz"
tar -C "$stage" --owner=0 --group=0 -czf "$tarball" .
echo "$tarball"

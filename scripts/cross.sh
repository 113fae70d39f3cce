#!/usr/bin/env bash
# Release build for a board with its Swift SDK: scripts/cross.sh BOARD
set -euo pipefail
board="${1:?BOARD}"
root="$(cd "$(dirname "$0")/.." && pwd)"
profile="$root/board/$board/profile.env"
[ -f "$profile" ] || { echo "error: no board profile $profile" >&2; exit 1; }
# shellcheck disable=SC1090
. "$profile"
SWIFT="${SWIFT:-swift}"
if [ -z "${SWIFT_SDK:-}" ]; then
  echo "board $board is built by the host toolchain: make release" >&2
  exec "$SWIFT" build -c release --product siprecd --package-path "$root"
fi
if ! "$SWIFT" sdk list 2>/dev/null | grep -qx "$SWIFT_SDK"; then
  cat >&2 <<MSG
error: the Swift SDK '$SWIFT_SDK' for board $board ($TARGET_TRIPLE) is not installed.
Install one with 'swift sdk install <bundle>' (see board/README.md: a Swift 6.3 SDK for $TARGET_TRIPLE whose
sysroot holds the -dev packages of libpcap, libmp3lame, libasound2, libsystemd, libsqlite3 and libssl),
then run 'make cross BOARD=$board' again. Installed SDKs: $("$SWIFT" sdk list 2>/dev/null | tr '\n' ' ')
MSG
  exit 1
fi
scratch="$root/.build/cross-$board"
SIPRECD_STATIC=1 "$SWIFT" build -c release --product siprecd --swift-sdk "$SWIFT_SDK" --package-path "$root" \
  --scratch-path "$scratch" --manifest-cache none --static-swift-stdlib \
  -Xswiftc -Xclang-linker -Xswiftc -static-libgcc
"${STRIP:-llvm-strip}" -o "$scratch/siprecd" "$(find "$scratch" -path '*/release/siprecd' -type f | head -1)"
"$root/scripts/check-dynamic-libs.sh" "$scratch/siprecd" "$board"
echo "$scratch/siprecd"

#!/usr/bin/env bash
# The appliance binary: scripts/static.sh [BOARD]
# A release build with the Swift runtime, the C++ runtime, libpcap, libmp3lame, SQLite, OpenSSL and libsrtp linked
# statically (SIPRECD_STATIC=1 selects the module maps in Sources/C/CStatic), stripped, in .build/static/siprecd.
# What stays dynamic must be exactly board/BOARD/dynamic-libs: scripts/check-dynamic-libs.sh checks it.
set -euo pipefail
board="${1:-x86_64-generic}"
root="$(cd "$(dirname "$0")/.." && pwd)"
SWIFT="${SWIFT:-swift}"
scratch="$root/.build/static"
libs="$scratch/libs"
# Only libstdc++.a in a folder searched first: the Swift runtime's C++ dependency then links statically.
stdcxx="$(clang -print-file-name=libstdc++.a 2>/dev/null || true)"
if [ ! -f "$stdcxx" ]; then
  stdcxx="$(ls /usr/lib/gcc/*/*/libstdc++.a 2>/dev/null | sort -V | tail -1 || true)"
fi
[ -f "$stdcxx" ] || { echo "error: libstdc++.a not found (apt-get install libstdc++-12-dev)" >&2; exit 1; }
for archive in libpcap.a libdbus-1.a libmp3lame.a libbcg729.a libspandsp.a libopencore-amrnb.a libopencore-amrwb.a libspeexdsp.a libopus.a libsqlite3.a libssl.a libcrypto.a libz.a; do
  if ! find /usr/lib /usr/lib64 -name "$archive" -print -quit 2>/dev/null | grep -q .; then
    echo "error: $archive not found: make static needs the -dev packages (scripts/install-deps.sh build)" >&2
    exit 1
  fi
done
mkdir -p "$libs"
# libsrtp2 with OpenSSL crypto (Sources/C/CStatic/CSRTP links its archive).
"$root/scripts/build-libsrtp.sh" "$root/.build/libsrtp"
ln -sf "$stdcxx" "$libs/libstdc++.a"
# --icf=safe: gold folds functions with identical code whose address is never taken (generic
# specialisations, witnesses, thunks): about 315 KB, 1 % of the binary (BENCHMARKS.md, binary size).
SIPRECD_STATIC=1 "$SWIFT" build -c release --product siprecd --package-path "$root" \
  --scratch-path "$scratch" --manifest-cache none --static-swift-stdlib \
  -Xlinker -L"$libs" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc -Xlinker --icf=safe
strip -o "$scratch/siprecd" "$scratch/release/siprecd"
"$root/scripts/check-dynamic-libs.sh" "$scratch/siprecd" "$board"
echo "$scratch/siprecd: $(stat -c %s "$scratch/siprecd") bytes, stripped"

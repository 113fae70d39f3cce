#!/usr/bin/env bash
# libsrtp2 with OpenSSL as its crypto, as the static archive every build links (make deps runs this):
#   scripts/build-libsrtp.sh OUT_DIR      -> OUT_DIR/libsrtp2-openssl.a
# Debian's own libsrtp2.a is built against NSS, which Debian ships no static archives of; this builds the
# same release (Debian's source package, fetched through apt with a private source list and state folder,
# so the machine's apt configuration is left alone) against the libcrypto siprecd already links, with
# HMAC-SHA1 from scripts/libsrtp/hmac_sha1_openssl.c (no heap allocation per packet; BENCHMARKS.md §13),
# and runs libsrtp's own known-answer tests (RFC 3711 reference packets, RFC 2202 HMAC) on the result.
set -euo pipefail
out="$(mkdir -p "$1" && cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
version="2.5.0"
archive="$out/libsrtp2-openssl.a"
[ -f "$archive" ] && exit 0

work="$out/libsrtp-build"
rm -rf "$work"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
# The machine's Debian archive (its first deb822 or one-line entry), as a deb-src line.
uri="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -1 || true)"
[ -n "$uri" ] || uri="$(awk '$1 == "deb" && $2 !~ /security/ { print ($2 ~ /^\[/ ? $3 : $2); exit }' /etc/apt/sources.list 2>/dev/null || true)"
[ -n "$uri" ] || uri="http://deb.debian.org/debian"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb-src [signed-by=$keyring] $uri bookworm main" > "$work/sources.list"
apt_opts=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o Debug::NoLocking=1)
apt-get "${apt_opts[@]}" update -qq
(cd "$work/src" && apt-get "${apt_opts[@]}" source -qq --download-only "libsrtp2=$version-3" > /dev/null)
tarball="$(ls "$work"/src/libsrtp2_"$version".orig.tar.* | head -1)"
mkdir -p "$work/tree"
tar -xf "$tarball" -C "$work/tree" --strip-components=1
(
  cd "$work/tree"
  # -fPIE: the archive links into siprecd's position-independent executable.
  cc="${CC:-$(command -v cc || command -v clang)}"
  ./configure --quiet --enable-openssl --disable-pcap CC="$cc" CFLAGS="-O2 -fPIE" > /dev/null
  cp "$here/libsrtp/hmac_sha1_openssl.c" crypto/hash/
  objects=(HMAC_OBJS="crypto/hash/hmac_sha1_openssl.o")
  make -s "${objects[@]}" libsrtp2.a > /dev/null
  make -s "${objects[@]}" test/srtp_driver crypto/test/kernel_driver > /dev/null
  test/srtp_driver -v > "$work/srtp_driver.log" 2>&1 || { tail -20 "$work/srtp_driver.log" >&2; echo "error: libsrtp's srtp_driver failed" >&2; exit 1; }
  crypto/test/kernel_driver -v > "$work/kernel_driver.log" 2>&1 || { tail -20 "$work/kernel_driver.log" >&2; echo "error: libsrtp's self-tests failed" >&2; exit 1; }
)
cp "$work/tree/libsrtp2.a" "$archive"
rm -rf "$work"
echo "built $archive (libsrtp $version, OpenSSL crypto)"

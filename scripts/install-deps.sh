#!/usr/bin/env bash
# Installs what siprecd needs on Debian 12, only what is missing.
#   scripts/install-deps.sh build   C libraries for building and running siprecd
#   scripts/install-deps.sh test    + the real peers the tests use (sipp, sox, mpg123, espeak-ng, tshark, lame, pytest, numpy)
set -euo pipefail
what=${1:-build}

# zlib1g-dev, libstdc++-12-dev and binutils: the static archives, readelf and strip for `make static`.
build_pkgs=(libpcap-dev libmp3lame-dev libbcg729-dev libspandsp-dev libopencore-amrnb-dev libopencore-amrwb-dev libspeexdsp-dev libopus-dev libsrtp2-dev libasound2-dev libsystemd-dev libsqlite3-dev libssl-dev zlib1g-dev libstdc++-12-dev binutils pkg-config)
test_pkgs=(sip-tester libvo-amrwbenc0 sox mpg123 espeak-ng lame ffmpeg tshark openssl systemd python3 python3-pip)

pkgs=("${build_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections 2>/dev/null || true
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift 6 toolchain (swift) is not on PATH; install it from swift.org (e.g. under /opt/swift) and retry" >&2
  exit 1
fi

if [ "$what" = test ]; then
  if ! python3 -c 'import pytest, numpy, openapi_spec_validator, moto.server, boto3, pylibsrtp' 2>/dev/null; then
    echo "installing pytest, numpy, openapi-spec-validator, moto[server], boto3 and pylibsrtp for $(command -v python3)"
    python3 -m pip install --quiet pytest numpy openapi-spec-validator "moto[server]" boto3 pylibsrtp 2>/dev/null \
      || python3 -m pip install --quiet --break-system-packages pytest numpy openapi-spec-validator "moto[server]" boto3 pylibsrtp
  fi
fi

# libsrtp2 with OpenSSL crypto, which every build links (Package.swift's CSRTP; docs/security.md).
"$(dirname "$0")/build-libsrtp.sh" "$(cd "$(dirname "$0")/.." && pwd)/.build/libsrtp"

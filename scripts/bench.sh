#!/usr/bin/env bash
# Builds siprecd-bench in release mode and runs it (see BENCHMARKS.md):
#   1. RTP reassembly + G.711 decode: ns and heap allocations per packet on the capture thread's loop;
#   2. MP3: audio-seconds encoded per CPU-second by MP3Encoder, next to the lame CLI in the same run;
#   3. capture: pcap vs socket source, packets/s and CPU per packet (as root);
#   4. replay: packets/s of `siprecd replay` on a generated capture of 40 calls;
#   5. store: the STORERECORDING job (trim, beep mask, MP3) vs the lame CLI, and AES-256-GCM sealing
#      (printed by siprecd-bench after the capture section);
#   6. control plane: API latency with HS256/ES256/RS256 tokens during a recorded call, RTP losses;
#  12. G.729: the reassembler with bcg729 against bcg729's own decode loop (printed by siprecd-bench);
#   8. listen-in: how far behind the call `siprecd monitor` plays;
#  11. API under slow clients: RSS, descriptors and latency while 1,000 slowloris connections are held.
#
#   scripts/bench.sh [--markdown] [--packets N] [--repetitions R] [--seconds S]
#     --markdown   print Markdown tables ready to paste into BENCHMARKS.md
#
# Build output goes to stderr, so `scripts/bench.sh --markdown > out.md` captures only the tables.
# SWIFT selects the toolchain driver; SIPRECD_BENCH_PACKAGE another package directory (default: repo root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
package="${SIPRECD_BENCH_PACKAGE:-$root}"
SWIFT="${SWIFT:-swift}"

# The reference encoder (Debian package `lame`); without it the comparison is skipped.
if [ ! -x /usr/bin/lame ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing lame (reference encoder for the MP3 benchmark)" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lame; } >&2 \
    || echo "warning: could not install lame; the MP3 comparison will be skipped" >&2
fi

build=("$SWIFT" build -c release --product siprecd-bench)
echo "+ (cd $package && ${build[*]})" >&2
(cd "$package" && "${build[@]}") >&2
bin="$(cd "$package" && "$SWIFT" build -c release --show-bin-path)/siprecd-bench"

export SIPRECD_BENCH_SWIFT="$("$SWIFT" --version 2>/dev/null | grep -m1 -i 'swift version' || echo unknown)"
export SIPRECD_BENCH_BUILD="${build[*]}"
echo "+ $bin $*" >&2
"$bin" "$@"

# 4. Replay speed: `siprecd replay` of a generated capture (release build of siprecd itself).
(cd "$package" && "$SWIFT" build -c release --product siprecd) >&2
siprecd="$(cd "$package" && "$SWIFT" build -c release --show-bin-path)/siprecd"
markdown=""
for a in "$@"; do [ "$a" = "--markdown" ] && markdown="--markdown"; done
echo
echo "4. Replay: siprecd replay of a generated capture (scripts/bench_replay.py)"
echo "+ python3 scripts/bench_replay.py $siprecd $markdown" >&2
python3 "$root/scripts/bench_replay.py" "$siprecd" $markdown

echo
echo "6. Control plane: API round trips with JWT while a call is recorded (scripts/bench_control.py)"
echo "+ python3 scripts/bench_control.py $siprecd" >&2
python3 "$root/scripts/bench_control.py" "$siprecd"

echo
echo "8. Listen-in: siprecd monitor's delay behind the call (scripts/bench_monitor.py)"
echo "+ python3 scripts/bench_monitor.py $siprecd" >&2
python3 "$root/scripts/bench_monitor.py" "$siprecd"

echo
echo "11. API under slow clients: 1,000 connections that never finish their headers (scripts/bench_api_slow_clients.py)"
echo "+ python3 scripts/bench_api_slow_clients.py $siprecd" >&2
python3 "$root/scripts/bench_api_slow_clients.py" "$siprecd"

#!/usr/bin/env bash
# libFuzzer over siprecd's parsers: scripts/fuzz.sh [SECONDS-PER-TARGET | smoke] [TARGET...]
# `smoke` (make test): a fixed seed and a fixed number of runs per target, so the same sources always fuzz the
# same inputs and CI cannot fail by chance; a time budget explores (make fuzz).
# Builds siprecd-fuzz with -sanitize=fuzzer,address (its own scratch directory, .build/fuzz), seeds each
# target's corpus from the fixtures (scripts/fuzz_corpus.py), runs each target for SECONDS (default 60)
# and prints a Markdown table (runs, executions, corpus, crashes) for RELIABILITY.md. A crash leaves its
# input in fuzz-findings/TARGET-crash-*; copy it to Tests/fuzz/TARGET/ so it becomes a regression input.
# Exit status 1 when any target crashed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
SWIFT="${SWIFT:-swift}"
scratch="$root/.build/fuzz"
"$SWIFT" build --package-path "$root" --scratch-path "$scratch" --product siprecd-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >&2
bin="$scratch/debug/siprecd-fuzz"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(sip sdp multipart metadata rtp reassembler packet pcap json rest config)
corpus="$scratch/corpus"
rm -rf "$corpus"
python3 "$root/scripts/fuzz_corpus.py" "$corpus" >&2
mkdir -p "$root/fuzz-findings"
failed=0
echo "| target | seconds | executions | exec/s | corpus after | crashes |"
echo "|---|---:|---:|---:|---:|---:|"
for target in "${targets[@]}"; do
  log="$scratch/$target.log"
  set +e
  if [ "$seconds" = smoke ]; then budget=(-runs=20000 -seed=1); else budget=(-max_total_time="$seconds"); fi
  SIPRECD_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0 "$bin" "$corpus/$target" \
    "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$root/fuzz-findings/$target-" > "$log" 2>&1
  status=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(ls "$corpus/$target" | wc -l)
  crashes=$(ls "$root/fuzz-findings" 2>/dev/null | grep -c "^$target-" || true)
  if [ "$status" -ne 0 ]; then failed=1; echo "fuzz target $target failed (status $status); see $log" >&2; tail -30 "$log" >&2; fi
  echo "| $target | $seconds | ${execs:-?} | ${rate:-?} | $units | $crashes |"
done
exit "$failed"

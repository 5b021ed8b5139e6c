#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang++ + libclang-rt-14-dev from
# tools/install_deps.sh) in build-fuzz and runs each for a bounded time, one after the other,
# printing executions and coverage (libFuzzer's final `cov:`) per target. Exit status non-zero
# when a target crashes, leaks, hits UB or times out; the reproducer is left in
# build-fuzz/findings/<target>/ (copy it to tests/fuzz/regressions/<target>/).
# Usage: bash tools/run_fuzzers.sh [seconds_per_target=60] [target...]
# Environment: HB_FUZZ_BUILD (build dir, default build-fuzz), HB_FUZZ_RUNS (also stop after this
# many executions, e.g. 10000000 for the long off-CI runs), HB_FUZZ_NICE (run at this niceness).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(fuzz_safetensors fuzz_model_file fuzz_config fuzz_tokenizer fuzz_run)
build="${HB_FUZZ_BUILD:-build-fuzz}"
runs=()
[ -n "${HB_FUZZ_RUNS:-}" ] && runs=(-runs="$HB_FUZZ_RUNS")
nice_cmd=()
[ -n "${HB_FUZZ_NICE:-}" ] && nice_cmd=(nice -n "$HB_FUZZ_NICE")
jobs="${HB_JOBS:-2}"

cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHB_BUILD_FUZZERS=ON -DHB_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" --target hb_fuzzers --parallel "$jobs"

declare -A max_len=([fuzz_safetensors]=16384 [fuzz_model_file]=65536 [fuzz_config]=16384
                    [fuzz_tokenizer]=4096 [fuzz_run]=4096)
status=0
summary=()
for t in "${targets[@]}"; do
  work="$build/fuzz-corpus/$t"       # grows across runs; the committed seeds stay untouched
  findings="$build/findings/$t"
  mkdir -p "$work" "$findings"
  log="$build/fuzz-$t.log"
  echo "== $t (${secs}s)"
  rc=0
  "${nice_cmd[@]}" "$build/tests/fuzz/$t" -max_total_time="$secs" "${runs[@]}" -print_final_stats=1 -timeout=30 \
    -rss_limit_mb=2560 -max_len="${max_len[$t]:-4096}" -artifact_prefix="$findings/" \
    "$work" "tests/fuzz/corpus/$t" > "$log" 2>&1 || rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cov=$(grep -oE '^#[0-9]+.*cov: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || true)
  ft=$(grep -oE '^#[0-9]+.*ft: [0-9]+' "$log" | tail -1 | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+' || true)
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "$t FAILED (exit $rc); log: $log; reproducer(s):"
    ls "$findings" >&2 || true
    grep -E 'ERROR: |SUMMARY: |runtime error|#[0-9]+ 0x.* in hb::' "$log" | head -20 || true
  fi
  line="$t: executions ${execs:-?}, cov ${cov:-?}, ft ${ft:-?}, exit $rc"
  echo "$line"
  summary+=("$line")
done
echo "== summary (${secs}s per target)"
printf '%s\n' "${summary[@]}"
exit "$status"

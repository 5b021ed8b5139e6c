#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang++ + libclang-rt-14-dev from
# tools/install_deps.sh) in build-fuzz and runs each for a bounded time, one after the other,
# printing executions and coverage (libFuzzer's final `cov:`) per target. Exit status non-zero
# when a target crashes, leaks, hits UB or times out; the reproducer is left in
# build-fuzz/findings/<target>/ (copy it to tests/fuzz/regressions/<target>/).
# Usage: bash tools/run_fuzzers.sh [seconds_per_target=60] [target...]
# Environment: HB_FUZZ_BUILD (build dir, default build-fuzz), HB_FUZZ_RUNS (also stop after this
# many executions in all, e.g. 10000000 for the long off-CI runs), HB_FUZZ_NICE (run at this
# niceness), HB_FUZZ_JOBS (run N libFuzzer jobs in parallel per target, sharing one corpus; the
# runs are split between them and the executions of all jobs are added up), HB_FUZZ_BIN (a
# directory of fuzzer binaries built elsewhere, e.g. on a machine with more cores: no build).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(fuzz_safetensors fuzz_model_file fuzz_config fuzz_tokenizer fuzz_run)
build="${HB_FUZZ_BUILD:-build-fuzz}"
fuzz_jobs="${HB_FUZZ_JOBS:-1}"
runs=()
[ -n "${HB_FUZZ_RUNS:-}" ] && runs=(-runs="$(( (HB_FUZZ_RUNS + fuzz_jobs - 1) / fuzz_jobs ))")
parallel=()
[ "$fuzz_jobs" -gt 1 ] && parallel=(-jobs="$fuzz_jobs" -workers="$fuzz_jobs")
nice_cmd=()
[ -n "${HB_FUZZ_NICE:-}" ] && nice_cmd=(nice -n "$HB_FUZZ_NICE")
jobs="${HB_JOBS:-2}"

bin="${HB_FUZZ_BIN:-}"
if [ -z "$bin" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHB_BUILD_FUZZERS=ON -DHB_BUILD_TESTS=OFF > /dev/null
  cmake --build "$build" --target hb_fuzzers --parallel "$jobs"
  bin="$build/tests/fuzz"
fi

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
  logs=("$log")
  if [ "$fuzz_jobs" -gt 1 ]; then  # libFuzzer writes one fuzz-<job>.log per job into the cwd
    jobdir="$build/fuzz-jobs/$t"
    rm -rf "$jobdir" && mkdir -p "$jobdir"
    work=$(realpath "$work"); findings=$(realpath "$findings")
    seeds=$(realpath "tests/fuzz/corpus/$t"); exe=$(realpath "$bin/$t")
    (cd "$jobdir" && "${nice_cmd[@]}" "$exe" "${parallel[@]}" -max_total_time="$secs" "${runs[@]}" \
      -print_final_stats=1 -timeout=30 -rss_limit_mb=2560 -max_len="${max_len[$t]:-4096}" \
      -artifact_prefix="$findings/" "$work" "$seeds") > "$log" 2>&1 || rc=$?
    logs=("$jobdir"/fuzz-*.log)
  else
    "${nice_cmd[@]}" "$bin/$t" -max_total_time="$secs" "${runs[@]}" -print_final_stats=1 -timeout=30 \
      -rss_limit_mb=2560 -max_len="${max_len[$t]:-4096}" -artifact_prefix="$findings/" \
      "$work" "tests/fuzz/corpus/$t" > "$log" 2>&1 || rc=$?
  fi
  # A job that crashes or leaks exits non-zero; with -jobs the parent's status does not say so.
  if grep -qE '^==[0-9]+==ERROR|^SUMMARY: |runtime error:|ERROR: libFuzzer' "${logs[@]}"; then [ "$rc" -ne 0 ] || rc=1; fi
  execs=$(cat "${logs[@]}" | grep -o 'stat::number_of_executed_units: *[0-9]*' | grep -o '[0-9]*$' |
          awk '{s += $1} END {if (NR) print s}' || true)
  cov=$(cat "${logs[@]}" | grep -oE '^#[0-9]+.*cov: [0-9]+' | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' |
        sort -n | tail -1 || true)
  ft=$(cat "${logs[@]}" | grep -oE '^#[0-9]+.*ft: [0-9]+' | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+' |
       sort -n | tail -1 || true)
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "$t FAILED (exit $rc); log: $log; reproducer(s):"
    ls "$findings" >&2 || true
    cat "${logs[@]}" | grep -E 'ERROR: |SUMMARY: |runtime error|#[0-9]+ 0x.* in hb::' | head -20 || true
  fi
  line="$t: executions ${execs:-?}, cov ${cov:-?}, ft ${ft:-?}, exit $rc"
  echo "$line"
  summary+=("$line")
done
echo "== summary (${secs}s per target)"
printf '%s\n' "${summary[@]}"
exit "$status"

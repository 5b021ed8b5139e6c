#!/usr/bin/env bash
# Runs a representative subset of the native GoogleTest suites under Valgrind memcheck, for
# reads of uninitialized memory (which ASan does not see; MSan would need an instrumented libc++
# and gtest), invalid accesses and leaks. Any error fails the run (--error-exitcode=1).
#
# Builds build-valgrind (RelWithDebInfo, g++) unless HB_VALGRIND_BUILD names an existing tree. Highway dispatches at run time from CPUID; under
# Valgrind CPUID reports no AVX-512 (Valgrind 3.19 cannot run it), so the AVX2 (or SSE4) code
# paths run there: the AVX-512 paths are covered by the ASan/UBSan suite only.
#
# Usage: bash tools/run_valgrind.sh [suite...]   (suites: base kernels tokenizer format model api)
# HB_VALGRIND_BUILD: build directory (default build-valgrind); HB_JOBS: build parallelism (2).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${HB_VALGRIND_BUILD:-build-valgrind}"
jobs="${HB_JOBS:-2}"
command -v valgrind > /dev/null || { echo "valgrind missing: bash tools/install_deps.sh" >&2; exit 1; }

suites=("$@")
[ "${#suites[@]}" -gt 0 ] || suites=(base kernels tokenizer format model api)

# An existing build dir is reused as configured (CI passes HB_VALGRIND_BUILD=build, the Release
# tree `npm test` already built: nothing is compiled again); a new one is RelWithDebInfo.
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
fi
if grep -q '^HB_SANITIZE:STRING=.\+' "$build/CMakeCache.txt"; then
  echo "$build is a sanitizer build; Valgrind needs a plain one (HB_VALGRIND_BUILD)" >&2
  exit 1
fi
targets=()
for s in "${suites[@]}"; do targets+=("hummingbert_${s}_test"); done
cmake --build "$build" --parallel "$jobs" --target "${targets[@]}"

# Per suite, the tests to run (gtest filters). Left out: the tests that take over ~50 ms natively
# (Valgrind is 30-100x slower): exhaustive shape sweeps, golden sweeps, 100 MiB texts, 100,000
# tensors. They run the same code paths as the tests kept, on more data. Also left out:
# JsonTest.WritesDoublesLikeNlohmann, whose last-digit double formatting differs under
# Valgrind's floating-point emulation (long double has only double precision there).
declare -A filter=(
  [base]='*'
  [kernels]='-GemmF32.PackedMatchesReference:GemmF32.PlainMatchesReference:GemmF32.TransBMatchesReference:Int8GemmTest.AccumulatorsBitExactOnAllShapes:Activations.GeluErfWithin2e6:Int8QuantizeTest.LargeRandomMatrixBitwise'
  [tokenizer]='-GoldenParityTest.*:BertTokenizerTest.LongWords:UnicodeTest.NfdConformance'
  [format]='-JsonTest.WritesDoublesLikeNlohmann:ModelFileSizeTest.*:ModelFileTest.DemoExitHeadsRoundTrip:SafetensorsReaderTest.RejectsTooManyTensors:HostileFileTest.TruncatedAnywhere:SafetensorsReaderTest.RejectsHeaderOverLimit:HfCheckpointTest.ReportsEveryMissingTensor'
  [model]='*'
  [api]='DeterministicMath.*:ChooseExitRule.*:ParseLabeledTsv.*:EarlyExit.ModelWithoutHeadsRunsFullDepthAndRefusesRules:EmbeddingOptions.*:InputLimits.*:ModelErrors.*:QuantizeWeightsTest.*:SparseApiModelFileTest.*:SparseApiLongInputTest.*:AllModels/GoldenParityTest.MatchesTransformers/4:-InputLimits.HugeTextFailsFastBeforeTokenizing:InputLimits.ChunkedWindowsCountAndFailFast:ModelErrors.EmptyAndHugeTexts'
)

status=0
for s in "${suites[@]}"; do
  bin="$build/hummingbert_${s}_test"
  log="$build/valgrind-$s.log"
  echo "== $s (filter ${filter[$s]:-*})"
  start=$(date +%s)
  rc=0
  valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    --suppressions=tools/valgrind.supp --gen-suppressions=all --num-callers=30 \
    "$bin" --gtest_filter="${filter[$s]:-*}" --gtest_brief=1 > "$log" 2>&1 || rc=$?
  echo "$s: exit $rc, $(($(date +%s) - start)) s, $(grep -oE 'ERROR SUMMARY: [0-9]+ errors' "$log" | tail -1), $(grep -E '^\[  PASSED  \]' "$log" || echo 'tests not all passed'); log: $log"
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -E '^==[0-9]+== (Conditional|Use of|Invalid|Uninit|  (at|by) 0x.*(hb::|\.cc))' "$log" | head -40 || true
  fi
done
exit "$status"

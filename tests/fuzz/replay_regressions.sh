#!/usr/bin/env bash
# Replays tests/fuzz/regressions/<target>/* and tests/fuzz/corpus/<target>/* through one fuzz
# target (libFuzzer runs each file given as an argument once, no mutation). Exit status non-zero
# on any crash, leak, UB report or timeout. Usage: replay_regressions.sh FUZZER FUZZ_DIR TARGET
set -euo pipefail
fuzzer="$1"; dir="$2"; target="$3"
files=()
for d in "$dir/regressions/$target" "$dir/corpus/$target"; do
  [ -d "$d" ] || continue
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f ! -name '*.md' -print0 | sort -z)
done
if [ "${#files[@]}" -eq 0 ]; then echo "$target: no inputs"; exit 0; fi
echo "$target: replaying ${#files[@]} inputs"
# Batches keep the command line short; -timeout flags hangs, -rss_limit_mb memory blow-ups.
for ((i = 0; i < ${#files[@]}; i += 200)); do
  "$fuzzer" -timeout=60 -rss_limit_mb=2560 "${files[@]:i:200}" > /dev/null 2> "${TMPDIR:-/tmp}/replay_$target.log" || {
    cat "${TMPDIR:-/tmp}/replay_$target.log" >&2; exit 1; }
done
echo "$target: ok"

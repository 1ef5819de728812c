#!/usr/bin/env bash
# Builds FuzzInputs with libFuzzer and runs it for a bounded time (FUZZ_SECONDS, default 180).
# The regression inputs in fuzz/regressions/ are replayed first: each once crashed the tool.
# Crashes land in fuzz/artifacts/; a run that finds one exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-180}
jobs=${FUZZ_JOBS:-1}

swift build --sanitize=fuzzer --product FuzzInputs --scratch-path .build-fuzz -Xswiftc -use-ld=lld
binary=$(swift build --sanitize=fuzzer --product FuzzInputs --scratch-path .build-fuzz -Xswiftc -use-ld=lld --show-bin-path)/FuzzInputs

bash fuzz/make-seeds.sh
mkdir -p fuzz/corpus/work fuzz/artifacts
# The Swift backtracer would catch the trap first and libFuzzer would write no crash file.
export SWIFT_BACKTRACE=enable=no

regressions=()
for input in fuzz/regressions/*; do
    case "$input" in *.md) ;; *) [ -f "$input" ] && regressions+=("$input") ;; esac
done
if [ "${#regressions[@]}" -gt 0 ]; then
    echo "fuzz: replaying ${#regressions[@]} regression inputs"
    "$binary" -rss_limit_mb=2048 -timeout=10 "${regressions[@]}"
fi

parallel=()
# -jobs makes libFuzzer fork workers that log to fuzz-N.log; one job runs in this process instead.
if [ "$jobs" -gt 1 ]; then parallel=(-jobs="$jobs" -workers="$jobs"); fi
# max_len 64 KiB: past the scalar limit, well inside the file limit; timeout 10 s flags hangs.
"$binary" fuzz/corpus/work fuzz/corpus/seeds \
    -dict=fuzz/yaml.dict -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$seconds" "${parallel[@]}" -print_final_stats=1 \
    -artifact_prefix=fuzz/artifacts/

#!/usr/bin/env bash
# Builds Tandem's fuzz targets (libFuzzer with AddressSanitizer) and runs each for SECONDS (default 60) in turn.
#
#   scripts/fuzz/run.sh [seconds-per-target] [target ...]     e.g. scripts/fuzz/run.sh 600 yaml csv
#
# Targets: csv yaml markdown template mime (see docs/fuzzing.md for what each checks). The committed seeds in
# scripts/fuzz/corpus/<target>/ are only read; what libFuzzer finds goes to .build/fuzz/corpus/<target>/ (kept
# between runs, never committed); crashing inputs to scripts/fuzz/artifacts/<target>/; logs to
# .build/fuzz/logs/<target>.log. Exit status 1 when any target found a crash, a timeout or an out-of-memory input.
# NICE=10 (the default) runs the fuzzers at a lower priority; JOBS is passed to swift build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv yaml markdown template mime)

# Longest input per target: files of these kinds are small, and short inputs give more executions a second.
max_len() {
    case "$1" in
    csv | markdown | mime) echo 4096 ;;
    *) echo 2048 ;;
    esac
}

flags=(-c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -g ${JOBS:+-j "$JOBS"})
echo "== building the fuzz targets (debug, -sanitize=fuzzer,address)"
# The linker's warnings about AddressSanitizer's local symbols are noise: left out.
nice -n "${NICE:-10}" swift build "${flags[@]}" 2>&1 | { grep -v "Cannot export local symbol '__asan" || true; }
bin=$(swift build "${flags[@]}" --show-bin-path)

# Swift's own crash handler would stand in AddressSanitizer's way.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
mkdir -p .build/fuzz/logs
status=0
summary=()
for target in "${targets[@]}"; do
    work=.build/fuzz/corpus/$target
    artifacts=artifacts/$target
    mkdir -p "$work" "$artifacts"
    log=.build/fuzz/logs/$target.log
    echo "== fuzz-$target for ${seconds}s (max_len $(max_len "$target")), log scripts/fuzz/$log"
    set +e
    nice -n "${NICE:-10}" "$bin/fuzz-$target" "$work" "corpus/$target" \
        -dict="dict/$target.dict" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
        -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    code=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    if [ "$code" -ne 0 ]; then
        status=1
        summary+=("fuzz-$target: FAILED (exit $code) after $runs runs; see scripts/fuzz/$log and scripts/fuzz/$artifacts/")
        grep -E '^==FUZZ==|ERROR: (AddressSanitizer|libFuzzer)|Fatal error|SUMMARY' "$log" | head -5 || true
    else
        summary+=("fuzz-$target: $runs runs in ${seconds}s, coverage $cov, no findings")
    fi
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status

#!/usr/bin/env bash
# Where does the time go? For when bench/run.sh reports a missed target.
#
#   bash bench/profile.sh SIZE [ACTION]     SIZE: tier count (10, 100, 1000, ...)
#                                           ACTION: validate-prov-template (default) or create-prov-template
#
# Runs the release binary once under valgrind's callgrind (or perf, see below) on the generated input of SIZE tiers and
# prints the top functions by exclusive and by inclusive cost (instructions), Swift names
# demangled. The raw profile stays in bench/work/profile/ for kcachegrind or callgrind_annotate.
# Expect ~50x slowdown under valgrind: 1,000 tiers takes a minute or more.
#
# Environment: SG_PROVISIONER=PATH (binary to profile; default: the release build, built when
# missing), PROFILE_TOP=N (rows to print, default 30), PROFILE_TOOL=callgrind|perf|auto (default
# auto: callgrind, and perf when valgrind cannot run the binary).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SIZE="${1:-}"
ACTION="${2:-validate-prov-template}"
TOP="${PROFILE_TOP:-30}"
OUT="$ROOT/bench/work/profile"

[[ "$SIZE" =~ ^[0-9]+$ ]] || { echo "usage: bash bench/profile.sh SIZE [validate-prov-template|create-prov-template]" >&2; exit 2; }
case "$ACTION" in
    validate-prov-template|create-prov-template) ;;
    *) echo "profile: ACTION must be validate-prov-template or create-prov-template" >&2; exit 2 ;;
esac

if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
    echo "profile: installing valgrind (apt)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq valgrind >/dev/null
fi

if [ -n "${SG_PROVISIONER:-}" ]; then
    BIN="$SG_PROVISIONER"
else
    BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/sg-provisioner"
    [ -x "$BIN" ] || swift build -c release --static-swift-stdlib --product sg-provisioner
fi
[ -x "$BIN" ] || { echo "profile: no binary at $BIN" >&2; exit 2; }

# A folder of its own, so a profile never replaces the inputs or manifest of a benchmark run.
rm -rf "$OUT"
mkdir -p "$OUT/reports"
python3 "$ROOT/bench/generate.py" --out "$OUT" --sizes "$SIZE"
NAME="bench-t$SIZE"

# Swift symbols are mangled in both profilers' output; demangle them when the toolchain can.
demangle() { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; elif command -v swift >/dev/null; then swift demangle --simplified; else cat; fi; }
RUN=("$BIN" -con "$OUT/configs/$NAME.yaml" -act "$ACTION" --no-color
     --configs-dir "$OUT/configs" --scenarios-dir "$OUT/scenarios" --reports-dir "$OUT/reports")
export SWIFT_BACKTRACE=enable=no   # the Swift backtracer must not catch the profiler's signals

profile_callgrind() {
    local raw="$OUT/callgrind.$NAME.$ACTION.out" status
    echo "profile: callgrind on $ACTION, $SIZE tiers (slow under valgrind)"
    set +e
    valgrind --tool=callgrind --callgrind-out-file="$raw" --dump-instr=no --collect-jumps=no \
        "${RUN[@]}" > "$OUT/stdout.txt" 2> "$OUT/valgrind.txt"
    status=$?
    set -e
    if [ ! -s "$raw" ] || grep -q "VALGRIND INTERNAL ERROR" "$OUT/valgrind.txt"; then
        echo "profile: callgrind could not run the binary ($(grep -m1 -E 'INTERNAL ERROR|impossible' "$OUT/valgrind.txt" || tail -n1 "$OUT/valgrind.txt"))"
        return 1
    fi
    echo "profile: sg-provisioner exit $status (0 ok, 1 findings or input errors; output in $OUT/stdout.txt)"
    echo
    echo "== top $TOP functions by exclusive cost (instructions spent in the function itself)"
    callgrind_annotate --auto=no --threshold=100 "$raw" 2>/dev/null | demangle | sed -n '/^Ir/,$p' | head -n $((TOP + 2))
    echo
    echo "== top $TOP functions by inclusive cost (including callees)"
    callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$raw" 2>/dev/null | demangle | sed -n '/^Ir/,$p' | head -n $((TOP + 2))
    echo
    echo "profile: raw data in $raw (kcachegrind or callgrind_annotate)"
}

# valgrind 3.19 (Debian bookworm) dies inside libdispatch's thread start when a Swift binary
# runs an async main (VALGRIND INTERNAL ERROR, SIGSEGV): then sample with perf instead.
profile_perf() {
    local raw="$OUT/perf.$NAME.$ACTION.data" status
    if ! command -v perf >/dev/null; then
        echo "profile: installing linux-perf (apt)"
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq linux-perf >/dev/null
    fi
    echo "profile: perf record on $ACTION, $SIZE tiers"
    set +e
    perf record -F 1999 -g -o "$raw" -- "${RUN[@]}" > "$OUT/stdout.txt" 2> "$OUT/perf.txt"
    status=$?
    set -e
    [ -s "$raw" ] || { echo "profile: perf wrote no profile:" >&2; tail -5 "$OUT/perf.txt" >&2; exit 1; }
    echo "profile: sg-provisioner exit $status (0 ok, 1 findings or input errors; output in $OUT/stdout.txt)"
    echo
    echo "== top $TOP functions by exclusive cost (samples in the function itself)"
    perf report -i "$raw" --no-children --stdio --sort symbol -g none 2>/dev/null | grep -v '^#' | grep '%' \
        | demangle | head -n "$TOP"
    echo
    echo "== top $TOP functions by inclusive cost (including callees)"
    perf report -i "$raw" --children --stdio --sort symbol -g none 2>/dev/null | grep -v '^#' | grep '%' \
        | demangle | head -n "$TOP"
    echo
    echo "profile: raw data in $raw (perf report -i FILE)"
}

case "${PROFILE_TOOL:-auto}" in
    callgrind) profile_callgrind ;;
    perf) profile_perf ;;
    auto) profile_callgrind || { echo "profile: falling back to perf"; profile_perf; } ;;
    *) echo "profile: PROFILE_TOOL must be callgrind, perf or auto" >&2; exit 2 ;;
esac

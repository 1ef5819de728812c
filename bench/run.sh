#!/usr/bin/env bash
# `make bench`: how fast sg-provisioner is, against what, and how it grows (issue 6).
#
# Builds the release binary and the libyaml floor, generates inputs of 10, 100 and 1,000 tiers
# from a fixed seed, times the floor, validate, create and the peers (cfn-lint, checkov,
# cfripper) on the template we emit, audits the third-party corpus in one process (bench/corpus.py),
# and writes bench/RESULTS.md. Exit 0 when every target passes, 1 when one fails or cannot be
# measured, 2 when the harness itself cannot run.
#
# Environment:
#   SKIP_BUILD=1          use the existing release binary instead of `swift build -c release --static-swift-stdlib`
#   SG_PROVISIONER=PATH   time this binary (implies no build)
#   BENCH_REPS=N          repetitions for the floor and our actions (default 5)
#   BENCH_PEER_REPS=N     repetitions for cfn-lint, checkov, cfripper (default 3)
#   BENCH_SIZES=10,100    tier counts to generate and time (default 10,100,1000)
#   BENCH_TIMEOUT=S       longest a single status run may take (default 900)
#   BENCH_NO_INSTALL=1    install nothing; missing tools become n/a columns
#   BENCH_LABEL=TEXT      where the binary comes from, recorded in RESULTS.md
#
# `bash bench/run.sh --smoke-peers` only installs the peers and runs each once, exactly as the
# benchmark does, on the hand-written bench/smoke/tiny-template.yaml (no Swift build needed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="$ROOT/bench"
WORK="$BENCH/work"
VENV="$BENCH/.venv"
REPS="${BENCH_REPS:-5}"
PEER_REPS="${BENCH_PEER_REPS:-3}"
SIZES="${BENCH_SIZES:-10,100,1000}"
TIMEOUT="${BENCH_TIMEOUT:-900}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

say() { printf 'bench: %s\n' "$*"; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 2; }

may_install() { [ "${BENCH_NO_INSTALL:-0}" != "1" ]; }

apt_install() {
    may_install || return 1
    say "installing $* (apt)"
    if [ -z "${BENCH_APT_UPDATED:-}" ]; then
        $SUDO apt-get update -qq >/dev/null || true
        BENCH_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# --- tools -------------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is required"
command -v cc >/dev/null || die "a C compiler (cc) is required for the libyaml floor"
[ -f /usr/include/yaml.h ] || apt_install libyaml-dev || die "libyaml-dev is required"
command -v hyperfine >/dev/null || apt_install hyperfine || say "hyperfine unavailable: timing with a Python loop"
[ -x /usr/bin/time ] || apt_install time || say "GNU time unavailable: no peak RSS"

# Peers live in a venv so that checkov's and cfripper's pinned dependencies do not disturb the
# system Python the tests use. cfn-lint comes from PATH when the project already installed it.
if [ ! -x "$VENV/bin/checkov" ] || [ ! -x "$VENV/bin/cfripper" ]; then
    if may_install; then
        say "installing checkov and cfripper into bench/.venv (pip, first run only)"
        python3 -m venv "$VENV" || { apt_install python3-venv && python3 -m venv "$VENV"; }
        "$VENV/bin/pip" install -q --disable-pip-version-check checkov cfripper || say "pip install of checkov/cfripper failed"
    fi
fi
CFN_LINT="$(command -v cfn-lint || true)"
if [ -z "$CFN_LINT" ] && [ -x "$VENV/bin/python" ] && may_install; then
    "$VENV/bin/pip" install -q --disable-pip-version-check cfn-lint || true
fi
[ -n "$CFN_LINT" ] || { [ -x "$VENV/bin/cfn-lint" ] && CFN_LINT="$VENV/bin/cfn-lint"; } || true
CHECKOV=""; [ -x "$VENV/bin/checkov" ] && CHECKOV="$VENV/bin/checkov"
CFRIPPER=""; [ -x "$VENV/bin/cfripper" ] && CFRIPPER="$VENV/bin/cfripper"
# checkov must not reach out to its vendor from here (no network but the registries): besides
# --skip-download, skip its guideline mapping download and its package update check.
export BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=1

if [ "${1:-}" = "--smoke-peers" ]; then
    exec python3 "$BENCH/measure.py" --smoke-peers "$BENCH/smoke/tiny-template.yaml" \
        --cfn-lint "$CFN_LINT" --checkov "$CHECKOV" --cfripper "$CFRIPPER"
fi
[ $# -eq 0 ] || die "unknown argument '$1' (only --smoke-peers; settings come from the environment)"

# --- our binary --------------------------------------------------------------------------
SWIFT_VERSION="$(swift --version 2>/dev/null | head -n 1 || echo unknown)"
if [ -n "${SG_PROVISIONER:-}" ]; then
    BIN="$SG_PROVISIONER"
else
    if [ "${SKIP_BUILD:-0}" != "1" ]; then
        # The same build as `make release`: Swift runtime and Foundation linked statically.
        dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || apt_install libcurl4-openssl-dev || say "libcurl4-openssl-dev missing: the static link may fail"
        say "swift build -c release --static-swift-stdlib"
        swift build -c release --static-swift-stdlib || die "release build failed"
    fi
    BIN="$(swift build -c release --static-swift-stdlib --show-bin-path 2>/dev/null)/sg-provisioner" || BIN=""
fi
if [ -n "$BIN" ] && [ ! -x "$BIN" ]; then
    say "no binary at $BIN: our columns will be n/a"
    BIN=""
fi

# --- floor and inputs --------------------------------------------------------------------
mkdir -p "$WORK"
say "building the libyaml floor"
cc -O2 -o "$WORK/yaml_floor" "$BENCH/yaml_floor.c" -lyaml || die "cannot build bench/yaml_floor.c"
say "generating inputs (tiers: $SIZES)"
rm -rf "$WORK/configs" "$WORK/scenarios" "$WORK/reports"
python3 "$BENCH/generate.py" --out "$WORK" --sizes "$SIZES"

# --- measure -----------------------------------------------------------------------------
if [ -n "${SG_PROVISIONER:-}" ]; then
    # The binary was built elsewhere: this checkout's commit would say nothing about it.
    COMMIT="not this checkout's (external binary: SG_PROVISIONER)"
else
    COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [ -n "$(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null)" ]; then
        COMMIT="$COMMIT (with uncommitted changes in Sources/)"
    fi
fi
[ -z "${BENCH_LABEL:-}" ] || COMMIT="$COMMIT; $BENCH_LABEL"
status=0
python3 "$BENCH/measure.py" \
    --work "$WORK" --floor "$WORK/yaml_floor" --binary "$BIN" \
    --reps "$REPS" --peer-reps "$PEER_REPS" --timeout "$TIMEOUT" \
    --cfn-lint "$CFN_LINT" --checkov "$CHECKOV" --cfripper "$CFRIPPER" \
    --swift-version "$SWIFT_VERSION" --commit "$COMMIT" \
    --results "$BENCH/RESULTS.md" || status=$?

# --- corpus: the third-party templates audited in one process (issue 11) -----------------
# Appends its section to RESULTS.md. This step alone: `python3 bench/corpus.py --binary BIN --corpus DIR`.
say "corpus: auditing Tests/Fixtures/corpora/security-groups/aws-cloudformation-templates"
python3 "$BENCH/corpus.py" --binary "$BIN" --reps "$REPS" --checkov "$CHECKOV" \
    --corpus "$ROOT/Tests/Fixtures/corpora/security-groups/aws-cloudformation-templates" \
    --results "$BENCH/RESULTS.md" || { [ "$status" -ne 0 ] || status=1; }
exit "$status"

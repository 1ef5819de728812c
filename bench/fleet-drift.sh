#!/usr/bin/env bash
# Fleet drift (issue 17): check-drift of one deployment over many accounts x regions on the local AWS
# (scripts/local-aws: moto with the project's patches), through a StackSet deployed by the tool
# itself. Wall time, API calls per target (counted by the fault proxy in front of moto, which
# forwards everything), peak memory, and how they grow with the number of targets; then the same
# check with throttling injected, which must be retried and never reported as drift.
# Not part of `make bench` or `make test`.
#
#   bash bench/fleet-drift.sh            BENCH_FLEET_ACCOUNTS=50 BENCH_FLEET_REGIONS=4 BENCH_FLEET_SIZES=10,25,50
#   SG_PROVISIONER=PATH                  time another binary (default: the release build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACCOUNTS="${BENCH_FLEET_ACCOUNTS:-50}"
REGIONS="${BENCH_FLEET_REGIONS:-4}"
SIZES="${BENCH_FLEET_SIZES:-10,25,50}"
JOBS="${BENCH_FLEET_JOBS:-1,4,16}"
BIN="${SG_PROVISIONER:-$ROOT/.build/release/sg-provisioner}"
[ -x "$BIN" ] || { echo "fleet-drift: build the release binary first (swift build -c release)" >&2; exit 2; }
WORK="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
mkdir -p "$WORK/configs" "$WORK/reports"
cp -r "$ROOT/scenarios" "$WORK/scenarios"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$ROOT/scripts/local-aws" "$port" --no-vpcs >"$WORK/moto.log" 2>&1 &
pids+=($!)
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=2)" >/dev/null 2>&1; do sleep 0.5; done
moto="http://127.0.0.1:$port"

# The fault proxy counts every request (no fault unless a rule says so).
python3 "$ROOT/Tests/Fixtures/faults/fault_proxy.py" "$moto" '[]' >"$WORK/proxy.port" 2>"$WORK/proxy.log" &
pids+=($!)
until grep -q PORT "$WORK/proxy.port" 2>/dev/null; do sleep 0.2; done
proxy="http://127.0.0.1:$(awk '{print $2}' "$WORK/proxy.port")"

unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ENDPOINT_URL="$proxy"
cd "$WORK"
vpcs=$(python3 "$ROOT/bench/fleet_setup.py" "$moto" "$WORK" "$ACCOUNTS" "$REGIONS" "$SIZES")
largest=$(echo "$SIZES" | tr ',' '\n' | sort -n | tail -1)
echo "fleet-drift: $ACCOUNTS accounts x $REGIONS regions ($vpcs VPCs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

requests() { python3 -c "import json,urllib.request; print(len(json.load(urllib.request.urlopen('$proxy/__faults/log'))))"; }
by_action() { python3 -c "
import collections, json, sys, urllib.request
log = json.load(urllib.request.urlopen('$proxy/__faults/log'))[int(sys.argv[1]):]
counts = collections.Counter(entry['action'] for entry in log)
faults = sum(1 for entry in log if entry['fault'] != 'pass')
print(' '.join(f'{action}={counts[action]}' for action in sorted(counts)) + (f' (faults injected: {faults})' if faults else ''))" "$1"; }
measure() {  # label, targets, command...
    local label="$1" targets="$2"; shift 2
    local before; before=$(requests)
    local code=0
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || code=$?
    read -r seconds kib < <(tail -n 1 "$WORK/time.txt")
    local after; after=$(requests)
    printf '%-44s %5d targets  exit %d  %7.2f s  %6.1f MiB  %5d requests (%.2f per target)  %s\n' \
        "$label" "$targets" "$code" "$seconds" "$(echo "$kib / 1024" | bc -l)" "$((after - before))" \
        "$(echo "($after - $before) / $targets" | bc -l)" "$(grep -E '^[a-z-]+: ' "$WORK/out.txt" | tail -n 1)"
    echo "    $(by_action "$before")"
}

measure "create-security-groups (StackSet, deploy)" "$((largest * REGIONS))" \
    "$BIN" -con "fleet-n$(printf '%02d' "$largest")" -act create-security-groups --max-concurrent 8
for size in $(echo "$SIZES" | tr ',' ' '); do
    measure "check-drift --jobs 4" "$((size * REGIONS))" "$BIN" -con "fleet-n$(printf '%02d' "$size")" -act check-drift --jobs 4
done
for jobs in $(echo "$JOBS" | tr ',' ' '); do
    measure "check-drift --jobs $jobs" "$((largest * REGIONS))" "$BIN" -con "fleet-n$(printf '%02d' "$largest")" -act check-drift --jobs "$jobs"
done
# Throttling: the first 12 DescribeSecurityGroups (about three per unit in flight, below the
# client's 5 attempts) answered RequestLimitExceeded; retried, so the run is in sync (exit 0), never drift.
throttled=12
python3 -c "import urllib.request; urllib.request.urlopen(urllib.request.Request('$proxy/__faults/rules', data=b'[{\"action\": \"DescribeSecurityGroups\", \"fault\": \"throttle\", \"times\": $throttled}]', method='POST'))"
measure "check-drift --jobs 4, $throttled throttled" "$((largest * REGIONS))" "$BIN" -con "fleet-n$(printf '%02d' "$largest")" -act check-drift --jobs 4
python3 -c "import urllib.request; urllib.request.urlopen(urllib.request.Request('$proxy/__faults/rules', data=b'[]', method='POST'))"
measure "delete-security-groups --force" "$((largest * REGIONS))" "$BIN" -con "fleet-n$(printf '%02d' "$largest")" -act delete-security-groups --force

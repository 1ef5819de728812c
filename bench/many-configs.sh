#!/usr/bin/env bash
# Many deployments in one run (issue 12): wall time and peak memory of validate-prov-template and
# check-drift --snapshot over N configs (default 50) with one process, against N processes run one
# after another (what 50 cron lines did). Not part of `make bench` or `make test`.
#
#   bash bench/many-configs.sh [N]      SG_PROVISIONER=PATH to time another binary
#
# The configs are the four bundled examples, each copied N/4 times under new deployment ids, in a
# scratch project; the snapshot is the drift test's in-sync one (one deployment in sync, the rest
# with every group missing, so check-drift has real work and exits 3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-50}"
BIN="${SG_PROVISIONER:-$ROOT/.build/release/sg-provisioner}"
[ -x "$BIN" ] || { echo "many-configs: build the release binary first (swift build -c release)" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/configs" "$WORK/reports"
cp -r "$ROOT/scenarios" "$WORK/scenarios"
cp "$ROOT/Tests/Fixtures/drift/globalbank-in-sync.json" "$WORK/snapshot.json"
i=0
while [ "$i" -lt "$N" ]; do
    for config in "$ROOT"/configs/*.yaml; do
        [ "$i" -lt "$N" ] || break
        id=$(printf 'n%03d' "$i")
        sed "s/^deployment_id: .*/deployment_id: $id/" "$config" >"$WORK/configs/$id-$(basename "$config")"
        i=$((i + 1))
    done
done
cd "$WORK"
measure() {  # label, command...
    local label="$1"; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || true
    read -r seconds kib < <(tail -n 1 "$WORK/time.txt")
    printf '%-58s %7.2f s  %7.1f MiB\n' "$label" "$seconds" "$(echo "$kib / 1024" | bc -l)"
}
echo "many-configs: $N configs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for jobs in 1 4; do
    measure "validate-prov-template -con configs --jobs $jobs" "$BIN" -con configs -act validate-prov-template --jobs "$jobs" --today 2027-01-01
    measure "check-drift --snapshot -con configs --jobs $jobs" "$BIN" -con configs -act check-drift --snapshot snapshot.json --jobs "$jobs"
done
measure "validate-prov-template -con configs --output json" "$BIN" -con configs -act validate-prov-template --output json --today 2027-01-01
start=$(date +%s.%N)
for config in configs/*.yaml; do "$BIN" -con "$config" -act validate-prov-template --today 2027-01-01 >/dev/null 2>&1 || true; done
end=$(date +%s.%N)
printf '%-58s %7.2f s\n' "$N separate validate-prov-template processes" "$(echo "$end - $start" | bc -l)"
echo "audit logs written: $(ls reports/*.log | wc -l)"

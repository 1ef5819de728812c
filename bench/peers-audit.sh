#!/usr/bin/env bash
# Compares audit-security-groups with checkov and cfripper on the third-party-style templates in
# Tests/Fixtures/audit/. Not part of `make test`: it installs the peers into bench/.venv when
# missing and prints one line per template and tool (the rule ids each tool raised about
# security-group ingress/egress). Usage: bash bench/peers-audit.sh [template...]
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/.venv
if [ ! -x "$venv/bin/checkov" ] || [ ! -x "$venv/bin/cfripper" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q checkov cfripper
fi
[ -x .build/debug/sg-provisioner ] || swift build
templates=("$@")
[ "${#templates[@]}" -gt 0 ] || templates=(Tests/Fixtures/audit/*.yaml Tests/Fixtures/audit/*.json)

for template in "${templates[@]}"; do
    case "$template" in *snapshot.json) continue ;; esac
    echo "== $(basename "$template")"
    ours=$({ .build/debug/sg-provisioner -act audit-security-groups --template "$template" --output json --today 2027-01-01 2>/dev/null || true; } \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted({f["id"]+"("+f["severity"]+")" for f in d["findings"]})) or "-")')
    echo "  sg-provisioner: $ours"
    checkov_ids=$({ "$venv/bin/checkov" -f "$template" --framework cloudformation -o json --quiet --compact 2>/dev/null || true; } \
        | python3 -c '
import json, sys
text = sys.stdin.read().strip()
data = json.loads(text) if text else {}
reports = data if isinstance(data, list) else [data]
ids = set()
for report in reports:
    for check in report.get("results", {}).get("failed_checks", []):
        ids.add(check["check_id"])
print(" ".join(sorted(ids)) or "-")' || echo "error")
    echo "  checkov:        $checkov_ids"
    # --resolve: cfripper's own evaluation of parameters' defaults and intrinsic functions.
    cfripper_ids=$({ "$venv/bin/cfripper" "$template" --resolve --format json 2>/dev/null || true; } \
        | python3 -c '
import json, sys
text = sys.stdin.read()
start = text.find("{")
data = json.loads(text[start:]) if start >= 0 else {}
ids = sorted({(f.get("rule") or "?") + "(" + str(f.get("risk_value", "")).lower() + ")" for f in data.get("failures", [])})
print(" ".join(ids) or "-")' || echo "error")
    echo "  cfripper:       $cfripper_ids"
done

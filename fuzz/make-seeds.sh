#!/usr/bin/env bash
# Builds the seed corpus for FuzzInputs from the repository's own inputs: every config paired with
# the scenario it names (config, one 0x00 byte, scenario), the config fixtures, and every file of
# the bad-input corpus as a config alone. Seeds are regenerated on every `make fuzz`, so they
# follow the examples as they change; regression inputs live in fuzz/regressions/ and are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus/seeds
rm -rf "$out"
mkdir -p "$out"
n=0
emit() { n=$((n + 1)); cat "$@" >"$out/seed-$(printf %04d $n)"; }
pair() {
    local config=$1 scenario_dir=$2
    local name
    name=$(sed -n 's/^scenario: *\([A-Za-z0-9._-]*\).*/\1/p' "$config" | head -1)
    if [ -n "$name" ] && [ -f "$scenario_dir/$name.yaml" ]; then
        { cat "$config"; printf '\0'; cat "$scenario_dir/$name.yaml"; } >"$out/seed-$(printf %04d $((n + 1)))"
        n=$((n + 1))
    fi
    emit "$config"
}
for config in configs/*.yaml; do pair "$config" scenarios; done
for config in Tests/Fixtures/config/*/configs/*.yaml; do pair "$config" "$(dirname "$(dirname "$config")")/scenarios"; done
for scenario in scenarios/*.yaml Tests/Fixtures/config/*/scenarios/*.yaml; do
    { printf 'company_prefix: a\nenvironment: b\ndeployment_id: c\nregion: us-east-1\nvpc_id: vpc-0123456789abcdef0\nscenario: s\n'; printf '\0'; cat "$scenario"; } >"$out/seed-$(printf %04d $((n + 1)))"
    n=$((n + 1))
done
if [ -d Tests/Fixtures/bad ]; then
    for bad in Tests/Fixtures/bad/*; do
        case "$bad" in *.json|*.md) continue ;; esac
        [ -f "$bad" ] && [ "$(stat -c %s "$bad")" -le 65536 ] && emit "$bad"
    done
fi
echo "make-seeds: $n seeds in $out"

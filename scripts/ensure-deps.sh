#!/usr/bin/env bash
# Installs what the build and the tests need, only when it is missing, so a fresh clone on a fresh
# machine works with one command and an equipped machine loses no time.
set -euo pipefail

need_apt=()
# libcurl4-openssl-dev: `make release` links Foundation statically, and FoundationNetworking needs it.
for pkg in libyaml-dev libssl-dev pkg-config libcurl4-openssl-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# A real headless browser renders the review report's HTML in the tests.
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need_apt+=("chromium")
if [ "${#need_apt[@]}" -gt 0 ]; then
    echo "ensure-deps: installing ${need_apt[*]} (apt)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

need_pip=()
command -v cfn-lint >/dev/null 2>&1 || need_pip+=("cfn-lint")
# moto pinned: scripts/local-aws patches this exact version (scripts/moto_patches) and refuses another.
moto_pin=5.2.1
[ "$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null)" = "$moto_pin" ] && command -v moto_server >/dev/null 2>&1 \
    || need_pip+=("moto[server]==$moto_pin")
python3 -c "import boto3" >/dev/null 2>&1 || need_pip+=("boto3")
command -v aws >/dev/null 2>&1 || need_pip+=("awscli")
python3 -c "import jsonschema" >/dev/null 2>&1 || need_pip+=("jsonschema")
if [ "${#need_pip[@]}" -gt 0 ]; then
    echo "ensure-deps: installing ${need_pip[*]} (pip)"
    python3 -m pip install -q "${need_pip[@]}"
    hash -r
fi

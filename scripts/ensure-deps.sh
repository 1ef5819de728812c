#!/usr/bin/env bash
# Installs what a make target needs, only when it is missing, so a fresh clone on a fresh machine
# works with one command and an equipped machine loses no time.
#
#   ensure-deps.sh build   what building needs (make build, demo, release, install): the C
#                          libraries the package links, pkg-config, binutils (strip)
#   ensure-deps.sh image   build + buildah and the CA bundle (make image)
#   ensure-deps.sh test    image + what only the tests use (make test): chromium, cfn-lint,
#                          moto, boto3, the AWS CLI, jsonschema
#   ensure-deps.sh local-aws   the pinned moto alone (make local-aws)
#
# A release binary or an image never depends on the test-only tools.
set -euo pipefail
mode="${1:-build}"
case "$mode" in build|image|test|local-aws) ;; *) echo "ensure-deps: unknown mode '$mode' (build, image, test or local-aws)" >&2; exit 2 ;; esac
# moto pinned: scripts/local-aws patches this exact version (scripts/moto_patches) and refuses another.
moto_pin=5.2.1
need_moto() {
    [ "$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null)" = "$moto_pin" ] && command -v moto_server >/dev/null 2>&1
}
if [ "$mode" = local-aws ]; then
    need_moto || { echo "ensure-deps: installing moto[server]==$moto_pin (pip)"; python3 -m pip install -q "moto[server]==$moto_pin"; }
    exit 0
fi

need_apt=()
apt_need() { dpkg -s "$1" >/dev/null 2>&1 || need_apt+=("$1"); }

# libcurl4-openssl-dev: `make release` links Foundation statically, and FoundationNetworking needs it.
for pkg in libyaml-dev libssl-dev pkg-config libcurl4-openssl-dev binutils; do apt_need "$pkg"; done
if [ "$mode" != build ]; then
    # buildah builds and runs the image without a daemon; the image carries the CA bundle.
    command -v buildah >/dev/null 2>&1 || need_apt+=("buildah")
    apt_need ca-certificates
fi
if [ "$mode" = test ]; then
    # A real headless browser renders the review report's HTML in the tests.
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need_apt+=("chromium")
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
    echo "ensure-deps: installing ${need_apt[*]} (apt)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ "$mode" = test ] || exit 0
need_pip=()
command -v cfn-lint >/dev/null 2>&1 || need_pip+=("cfn-lint")
need_moto || need_pip+=("moto[server]==$moto_pin")
python3 -c "import boto3" >/dev/null 2>&1 || need_pip+=("boto3")
command -v aws >/dev/null 2>&1 || need_pip+=("awscli")
python3 -c "import jsonschema" >/dev/null 2>&1 || need_pip+=("jsonschema")
if [ "${#need_pip[@]}" -gt 0 ]; then
    echo "ensure-deps: installing ${need_pip[*]} (pip)"
    python3 -m pip install -q "${need_pip[@]}"
    hash -r
fi

#!/usr/bin/env bash
# Runs the whole test suite with a real AWS API peer: starts the local AWS (scripts/local-aws: moto
# with the project's patches) on a free loopback port, exports its endpoint to the tests, and stops
# it afterwards, also when tests fail or are interrupted.
# First builds what ships, so the tests check the real artefacts: the stripped release binary and
# completions installed into a scratch root (`make install`), and the image (`make image`).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
make --no-print-directory install DESTDIR="$PWD/.build/install-check" PREFIX=/usr/local
IMAGE=sg-provisioner:latest bash scripts/build-image.sh .build/dist/sg-provisioner
echo "run-tests: release build, install and image: $(( $(date +%s) - started )) s"
export SG_INSTALL_ROOT="$PWD/.build/install-check" SG_IMAGE=sg-provisioner:latest

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp -t moto-XXXXXX.log)
# The local AWS of the README: moto with the project's patches (scripts/moto_patches), here with no
# VPC of its own (tests make theirs). What stays different from AWS: Tests/SGActionsTests/MotoDivergences.swift.
scripts/local-aws "$port" --no-vpcs >"$log" 2>&1 &
moto_pid=$!
cleanup() {
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
    rm -f "$log"
}
trap cleanup EXIT INT TERM

# Readiness: a generous bound (applying the patches imports moto's CloudFormation with every model
# it knows: seconds on an idle machine, minutes on a loaded 2-core one; a server that is up answers
# at once, so the bound costs nothing), and the server's log when it does not come up, instead of
# tests failing later with "did not start".
ready_timeout=${SG_MOTO_START_TIMEOUT:-240}
started=$SECONDS
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=2)" >/dev/null 2>&1; do
    if ! kill -0 "$moto_pid" 2>/dev/null; then
        echo "run-tests: scripts/local-aws exited before answering; its log:"; cat "$log"; exit 1
    fi
    if (( SECONDS - started >= ready_timeout )); then
        echo "run-tests: scripts/local-aws did not answer within ${ready_timeout} s; its log:"; cat "$log"; exit 1
    fi
    sleep 0.5
done
echo "run-tests: local AWS answered after $((SECONDS - started)) s"
export SG_MOTO_ENDPOINT="http://127.0.0.1:$port"
echo "run-tests: local AWS (patched moto) on $SG_MOTO_ENDPOINT"

swift build --build-tests "$@"
swift test --skip-build --disable-xctest "$@"

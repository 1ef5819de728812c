#!/usr/bin/env bash
# Runs the whole test suite with a real AWS API peer: starts moto_server on a free loopback port,
# exports its endpoint to the tests, and stops it afterwards, also when tests fail or are interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp -t moto-XXXXXX.log)
# SG_MOTO_PATCHES: the test-only repair of one moto crash (Tests/SGActionsTests/MotoDivergences.swift).
SG_MOTO_PATCHES=1 PYTHONPATH="$PWD/Tests/Fixtures/aws/moto-patches${PYTHONPATH:+:$PYTHONPATH}" \
    moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
cleanup() {
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
    rm -f "$log"
}
trap cleanup EXIT INT TERM

# Readiness: a generous bound (moto's imports took over 30 s on a loaded 2-core machine; a server
# that is up answers at once, so the bound costs nothing), and the server's log when it does not
# come up, instead of tests failing later with "did not start".
ready_timeout=${SG_MOTO_START_TIMEOUT:-240}
started=$SECONDS
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=2)" >/dev/null 2>&1; do
    if ! kill -0 "$moto_pid" 2>/dev/null; then
        echo "run-tests: moto_server exited before answering; its log:"; cat "$log"; exit 1
    fi
    if (( SECONDS - started >= ready_timeout )); then
        echo "run-tests: moto_server did not answer within ${ready_timeout} s; its log:"; cat "$log"; exit 1
    fi
    sleep 0.5
done
echo "run-tests: moto_server answered after $((SECONDS - started)) s"
export SG_MOTO_ENDPOINT="http://127.0.0.1:$port"
export SG_MOTO_PATCHED=1
echo "run-tests: moto_server on $SG_MOTO_ENDPOINT"

swift build --build-tests "$@"
swift test --skip-build --disable-xctest "$@"

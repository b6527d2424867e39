#!/usr/bin/env bash
# The CLI stand-in's cost per call: `gitpod environment port open 3000 --name web` against a running
# `automations serve` (release build), process start to exit, 50 runs. Target: under 25 ms.
# Needs hyperfine.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1  # the binary scripts/install ships
automations="$root/.build/release/automations"
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
ln -s "$automations" "$work/gitpod"
mkdir -p "$work/project"
(cd "$work/project" && exec "$automations" serve --port 0 --state-dir "$work/state" >"$work/serve.out" 2>&1) &
server=$!
for _ in $(seq 100); do grep -q '^listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
url="$(head -1 "$work/serve.out" | awk '{print $3}')"
export AUTOMATIONS_API="$url"
for _ in $(seq 100); do [ -s "$work/state/endpoint" ] && break; sleep 0.05; done
AUTOMATIONS_API_TOKEN="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$work/state/endpoint")"
export AUTOMATIONS_API_TOKEN
hyperfine --warmup 3 --runs 50 -N \
    -n "gitpod environment port open 3000 --name web" "$work/gitpod environment port open 3000 --name web" \
    -n "gitpod environment port list" "$work/gitpod environment port list"

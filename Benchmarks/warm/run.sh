#!/usr/bin/env bash
# Two consecutive pre-push checks against a warm `automations serve` (release build): a service that needs 3 s to
# get ready and a task of 200 ms. The first check starts the service in the server (about 3.2 s); the checks after
# it find it running. Target: a warm check takes at most the task's own time plus 150 ms.
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
mkdir -p "$work/project/.gitpod"
cat >"$work/project/.gitpod/automations.yaml" <<'YAML'
services:
  db:
    name: Slow DB
    commands:
      start: "sleep 3; touch db.ready; exec sleep 600"
      ready: "test -f db.ready"
      stop: "rm -f db.ready"
tasks:
  test:
    name: Test
    command: "sleep 0.2"
    dependsOn: [db]
YAML
cd "$work/project"
"$automations" serve --port 0 >"$work/serve.out" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q '^listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
start=$(date +%s.%N)
"$automations" task start test --output quiet >/dev/null
end=$(date +%s.%N)
echo "first check (starts the service in the server): $(echo "$end - $start" | bc) s"
hyperfine --warmup 1 --runs 10 -N \
    -n "warm check: task start test (task: 200 ms)" "$automations task start test --output quiet"

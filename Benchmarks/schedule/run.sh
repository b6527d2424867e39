#!/usr/bin/env bash
# `run --schedule dependencies` against groups on a plan where groups cost time: a service that needs 1.5 s to get
# ready beside a chain of tasks that needs none (release build). Prints each schedule's median wall time over 5 runs
# and the floor: the length of the critical path (the longest chain through dependsOn, by the measured durations).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1
automations="$root/.build/release/automations"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.gitpod"
cat >"$work/.gitpod/automations.yaml" <<'YAML'
services:
  db: {name: DB, commands: {start: "sleep 1.5; touch up; exec sleep 60", ready: "test -f up"}}
tasks:
  deps: {name: Deps, command: "sleep 0.3"}
  unit: {name: Unit, command: "sleep 0.5", dependsOn: [deps]}
  lint: {name: Lint, command: "sleep 0.2", dependsOn: [deps]}
  integration: {name: Integration, command: "sleep 0.4", dependsOn: [db, deps]}
  package: {name: Package, command: "sleep 0.2", dependsOn: [unit, lint]}
YAML
cd "$work"
for schedule in groups dependencies; do
    for round in 1 2 3 4 5; do
        rm -f up
        "$automations" run --schedule "$schedule" --output quiet --report-json "$schedule-$round.json" >/dev/null
    done
done
python3 - "$work" <<'PY'
import json, statistics, sys
from datetime import datetime
def t(x): return datetime.fromisoformat(x.replace("Z", "+00:00"))
folder = sys.argv[1]
for schedule in ["groups", "dependencies"]:
    walls, floors = [], []
    for round in range(1, 6):
        report = json.load(open(f"{folder}/{schedule}-{round}.json"))
        walls.append((t(report["completedAt"]) - t(report["startedAt"])).total_seconds())
        steps = {s["reference"]: s for s in report["steps"]}
        length = {}
        for step in report["steps"]:  # in plan order: dependencies first
            own = (t(step["completedAt"]) - t(step["startedAt"])).total_seconds()
            length[step["reference"]] = own + max([length[d] for d in step["dependsOn"]] or [0])
        floors.append(max(length.values()))
    print(f"{schedule:12} wall {statistics.median(walls):.2f} s (median of 5); critical path {statistics.median(floors):.2f} s")
PY

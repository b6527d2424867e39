#!/usr/bin/env bash
# Sharding 40 independent tasks of known, uneven durations (sleep 0.05–0.85 s) over 4 shards, balanced by the timings
# of one full run, each shard run with --jobs 1 (release build). Prints each shard's predicted and measured time
# against the ideal max(total / 4, longest task); then checks that the merged JUnit has the counts of one full run;
# then times `plan --shards 4` of the 10,000-task planning file.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1  # the binary scripts/install ships
automations="$root/.build/release/automations"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 Benchmarks/shard/generate.py 40 "$work/p"
cd "$work/p"
"$automations" run --jobs 1 --output quiet --report-json full.json --junit full.xml >/dev/null
python3 - <<'PY'
import json
r = json.load(open("full.json"))
from datetime import datetime
def secs(s): return (datetime.fromisoformat(s["completedAt"].replace("Z", "+00:00")) - datetime.fromisoformat(s["startedAt"].replace("Z", "+00:00"))).total_seconds()
d = [secs(s) for s in r["steps"]]
print(f"full run: {len(d)} tasks, total {sum(d):.2f} s, longest {max(d):.2f} s, ideal shard {max(sum(d) / 4, max(d)):.2f} s")
PY
"$automations" plan --shards 4 --timings full.json
for k in 1 2 3 4; do
    start=$(date +%s.%N)
    "$automations" run --shard "$k/4" --timings full.json --jobs 1 --output quiet --logs "logs-$k" \
        --report-json "shard-$k.json" >/dev/null
    end=$(date +%s.%N)
    echo "shard $k/4: measured $(echo "$end - $start" | bc) s"
done
"$automations" merge --junit merged.xml shard-*.json
python3 - <<'PY'
import re
def counts(path):
    head = open(path).read().split("\n")[1]
    return re.findall(r'(tests|failures|errors)="(\d+)"', head)
print("full JUnit:", counts("full.xml"), "merged JUnit:", counts("merged.xml"))
PY
cd "$root"
python3 Benchmarks/planning/generate.py 10000 100 42 >"$work/big.yaml"
hyperfine --warmup 1 --runs 5 -N -n "plan --shards 4 of 10,000 tasks + 100 services" \
    "$automations plan --shards 4 --file $work/big.yaml"

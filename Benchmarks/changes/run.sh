#!/usr/bin/env bash
# Change-aware selection and warm checks, measured (release build, static as scripts/install builds it), by the
# run's own timing lines (AUTOMATIONS_DEBUG_TIMING=1):
#  1. the range and the selection in a git repository of 10,000 files and 1,000 commits: `run --changed-since`
#     and a pre-push hook's `--changed-by-push` (50 tasks with sources), median of 15;
#  2. what comparing a warm service's inputs costs a check that needs no restart (`task start` against `serve`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1
automations="$root/.build/release/automations"
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export XDG_CACHE_HOME="$work/cache" AUTOMATIONS_DEBUG_TIMING=1
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timing() { grep "timing: $1" | sed -E 's/.* ([0-9.]+) ms/\1/'; }

echo "== 1. range and selection: 10,000 files, 1,000 commits, 50 tasks"
repo="$work/repo"
mkdir -p "$repo/.gitpod"
git init -q --bare "$work/remote.git"
python3 - "$repo" <<'PY'
import os, sys
root = sys.argv[1]
tasks, runner = ["tasks:"], ["tasks:"]
for d in range(100):
    os.makedirs(f"{root}/m{d}", exist_ok=True)
    for f in range(100):
        open(f"{root}/m{d}/f{f}.txt", "w").write(f"module {d} file {f}\n")
for t in range(50):
    tasks.append(f"  t{t}: {{name: t{t}, command: 'true'}}")
    runner.append(f"  t{t}: {{sources: ['m{2*t}/**', 'm{2*t+1}/**']}}")
open(f"{root}/.gitpod/automations.yaml", "w").write("\n".join(tasks) + "\n")
open(f"{root}/.gitpod/automations.runner.yaml", "w").write("\n".join(runner) + "\n")
PY
cd "$repo"
git init -q && git checkout -q -b main && echo ".automations/" > .gitignore
git add -A && git -c user.email=b@b -c user.name=b commit -qm init
git remote add origin "$work/remote.git" && git push -q origin main
# 1,000 commits, each touching one file, made with fast-import (a loop of `git commit` takes minutes).
python3 - <<'PY' | git fast-import --quiet
import random
random.seed(1)
print("reset refs/heads/main\nfrom refs/heads/main^0")
for i in range(1000):
    d, f = random.randrange(100), random.randrange(100)
    data = f"module {d} file {f} change {i}\n"
    message = f"c{i}"
    print(f"commit refs/heads/main\ncommitter b <b@b> {1700000000 + i} +0000\ndata {len(message)}\n{message}")
    print(f"M 100644 inline m{d}/f{f}.txt\ndata {len(data)}\n{data}")
PY
git reset -q --hard main
echo "commits: $(git rev-list --count main), files: $(git ls-files | wc -l)"
for i in $(seq 15); do
    "$automations" run --changed-since origin/main --output quiet --no-cache 2>&1 >/dev/null | timing "changes read and selected"
done | median | xargs -I{} echo "run --changed-since origin/main (1,000 commits ahead): median {} ms"
line="refs/heads/main $(git rev-parse HEAD) refs/heads/main $(git rev-parse origin/main)"
for i in $(seq 15); do
    echo "$line" | "$automations" run --changed-by-push origin --output quiet --no-cache 2>&1 >/dev/null \
        | timing "changes read and selected"
done | median | xargs -I{} echo "run --changed-by-push origin (the same 1,000 commits): median {} ms"

echo "== 2. a warm check that needs no restart"
warm="$work/warm"
mkdir -p "$warm/.gitpod" "$warm/app"
cat >"$warm/.gitpod/automations.yaml" <<'YAML'
services:
  web: {name: web, commands: {start: "touch web.ready; exec sleep 600", ready: "test -f web.ready", stop: "rm -f web.ready"}}
tasks:
  check: {name: check, command: "test -f web.ready", dependsOn: [web]}
YAML
printf 'services:\n  web: {sources: ["app/**"]}\n' >"$warm/.gitpod/automations.runner.yaml"
echo "print(1)" >"$warm/app/app.py"
cd "$warm" && git init -q && printf 'web.ready\n.automations/\n' >.gitignore && git add -A \
    && git -c user.email=b@b -c user.name=b commit -qm init
"$automations" serve --port 0 >/dev/null 2>&1 & server=$!
for i in $(seq 50); do [ -f .automations/state/endpoint ] && break; sleep 0.1; done
"$automations" task start check --output quiet >/dev/null 2>&1
for i in $(seq 15); do
    "$automations" task start check --output quiet 2>&1 >/dev/null | timing "warm inputs compared"
done | median | xargs -I{} echo "comparing the warm service's inputs (no restart): median {} ms"
kill "$server"; wait "$server" 2>/dev/null || true; server=""

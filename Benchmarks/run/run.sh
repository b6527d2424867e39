#!/usr/bin/env bash
# `automations run` against the spawn floor and go-task 3.54 (PyPI go-task-bin), side by side, release build:
#   1,000 `true` steps in a chain  vs  posix_spawn+wait of /bin/true 1,000 times, one at a time
#   1,000 `true` steps in one group vs the same loop two at a time
#   500 steps of `sleep 1` in one group: wall time and peak memory
# Needs hyperfine and a C compiler; installs go-task-bin into a virtual environment under .build/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --product automations >/dev/null
automations="$root/.build/release/automations"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/spawn-floor" Benchmarks/run/spawn-floor.c
if [ ! -x .build/bench-venv/bin/task ]; then
    python3 -m venv .build/bench-venv
    .build/bench-venv/bin/pip install --quiet go-task-bin==3.54.0
fi
task="$root/.build/bench-venv/bin/task"
"$task" --version

for shape in chain group; do
    python3 Benchmarks/run/generate.py "$shape" 1000 "$work/$shape"
    python3 Benchmarks/run/generate.py "$shape" 1000 "$work/$shape-spawn" /bin/true
done
python3 Benchmarks/run/generate.py sleep 500 "$work/sleep"

# `command: true` runs in-process (bash runs it as a builtin too); `command: /bin/true` starts a process per step,
# which is what the spawn floor measures.
hyperfine --warmup 2 --runs 15 --export-markdown "$work/chain.md" \
    -n "spawn floor (1 at a time)" "$work/spawn-floor 1000 1" \
    -n "automations run, 1000 x /bin/true chain" "cd $work/chain-spawn && $automations run" \
    -n "automations run, 1000 x true chain" "cd $work/chain && $automations run" \
    -n "go-task, 1000 x true chain" "cd $work/chain && $task --silent t999" \
    -n "go-task, 1000 x /bin/true chain" "cd $work/chain-spawn && $task --silent t999" >/dev/null
cat "$work/chain.md"
hyperfine --warmup 2 --runs 15 --export-markdown "$work/group.md" \
    -n "spawn floor (2 at a time)" "$work/spawn-floor 1000 2" \
    -n "automations run, 1000 x /bin/true group" "cd $work/group-spawn && $automations run" \
    -n "automations run, 1000 x true group" "cd $work/group && $automations run" \
    -n "go-task, 1000 x true group" "cd $work/group && $task --silent all" \
    -n "go-task, 1000 x /bin/true group" "cd $work/group-spawn && $task --silent all" >/dev/null
cat "$work/group.md"
cd "$work/sleep"
/usr/bin/time -f "500 x sleep 1 in one group: wall %e s, peak memory %M KiB" "$automations" run --output quiet >/dev/null

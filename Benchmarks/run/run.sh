#!/usr/bin/env bash
# `automations run` against the floors that bound it and go-task 3.54 (PyPI go-task-bin), side by side, release build
# (the static binary scripts/install ships):
#   1,000 `/bin/true` steps in a chain   vs  posix_spawn+wait of /bin/true 1,000 times, one at a time
#   1,000 `/bin/true` steps in one group vs  the same loop two at a time
#   one step printing 1 GiB to stdout    vs  `head -c 1G /dev/zero > file` (on tmpfs: the disk of a shared VM is
#                                            too noisy to compare; both write to the same filesystem)
#   500 steps of `sleep 1` in one group  vs  500 `sleep 1` spawned at once and waited for; and peak memory
# Each with the console as a terminal-less run shows it (prefixed) and as CI shows it (grouped).
# Needs hyperfine and a C compiler; installs go-task-bin into a virtual environment under .build/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1  # the binary scripts/install ships
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
# The floors, side by side: each round runs the floor and then each measured command (a shared 2-core VM drifts
# too much for separate series).
echo "== 1,000 /bin/true steps in a chain vs the spawn floor, one at a time"
python3 Benchmarks/run/paired.py 15 \
    "spawn floor (1 at a time)" "$work/spawn-floor 1000 1" \
    "run (prefixed console)" "cd $work/chain-spawn && $automations run" \
    "run --output grouped (as under CI)" "cd $work/chain-spawn && $automations run --output grouped"
echo "== 1,000 /bin/true steps in one group vs the spawn floor, two at a time"
python3 Benchmarks/run/paired.py 15 \
    "spawn floor (2 at a time)" "$work/spawn-floor 1000 2" \
    "run (prefixed console)" "cd $work/group-spawn && $automations run" \
    "run --output grouped (as under CI)" "cd $work/group-spawn && $automations run --output grouped"

big="$(mktemp -d /dev/shm/automations-bench.XXXXXX 2>/dev/null || mktemp -d)"
trap 'rm -rf "$work" "$big"' EXIT
mkdir -p "$big/project/.gitpod"
printf 'tasks:\n  big: {name: Big, command: "head -c 1073741824 /dev/zero"}\n' >"$big/project/.gitpod/automations.yaml"
echo "== a step printing 1 GiB vs head -c 1G /dev/zero > file, both on $(df --output=fstype "$big" | tail -1)"
python3 Benchmarks/run/paired.py 7 --prepare "rm -rf $big/floor.out $big/logs" \
    "head -c 1G /dev/zero > file" "head -c 1073741824 /dev/zero > $big/floor.out" \
    "run --output grouped" "cd $big/project && $automations run --output grouped --logs $big/logs" \
    "run --output quiet" "cd $big/project && $automations run --output quiet --logs $big/logs" \
    "run (prefixed console)" "cd $big/project && $automations run --logs $big/logs"

printf 'tasks:\n  lines: {name: Lines, command: "seq 1 10000000"}\n' >"$big/project/.gitpod/automations.yaml"
echo "== a step printing 10 million lines (78 MB) vs seq 1 10000000 > file"
python3 Benchmarks/run/paired.py 5 --prepare "rm -rf $big/floor.out $big/logs" \
    "seq 1 10000000 > file" "seq 1 10000000 > $big/floor.out" \
    "run --output grouped" "cd $big/project && $automations run --output grouped --logs $big/logs" \
    "run (prefixed console)" "cd $big/project && $automations run --logs $big/logs"

echo "== 500 steps of sleep 1 in one group vs 500 sleep 1 spawned at once"
python3 Benchmarks/run/paired.py 5 \
    "floor: 500 x sleep 1 spawned at once" "$work/spawn-floor 500 500 /bin/sleep 1" \
    "run (prefixed console)" "cd $work/sleep && $automations run" \
    "run --output grouped" "cd $work/sleep && $automations run --output grouped"
cd "$work/sleep"
/usr/bin/time -f "500 x sleep 1 in one group: wall %e s, peak memory %M KiB" "$automations" run --output quiet >/dev/null

#!/usr/bin/env bash
# The process backends side by side, in paired rounds against the floors (release build, as scripts/install makes
# it), with the console as CI shows it (grouped):
#   linux          pidfds (Linux 5.3+)
#   linux, old     the same binary under scripts/as-old-kernel: SIGCHLD through a signalfd (kernels before 5.3)
#   posix          AUTOMATIONS_BACKEND=posix: posix_spawn, poll, SIGCHLD through a self-pipe
# and, given a second binary (say, one built from an earlier commit), that binary's linux backend beside them.
#   1,000 `/bin/true` steps in a chain   vs  posix_spawn+wait of /bin/true 1,000 times, one at a time
#   1,000 `/bin/true` steps in one group vs  the same loop two at a time
#   one step printing 1 GiB to stdout    vs  `head -c 1G /dev/zero > file` (both on tmpfs)
# Usage: Benchmarks/run/backends.sh [ROUNDS] [OTHER_BINARY]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
rounds="${1:-11}"
other="${2:-}"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations 2>&1 | grep -v 'statically linked' >/dev/null || true
automations="$root/.build/release/automations"
old_kernel="$root/scripts/as-old-kernel"
"$old_kernel" true  # builds the helper once
work="$(mktemp -d)"
big="$(mktemp -d /dev/shm/automations-bench.XXXXXX 2>/dev/null || mktemp -d)"
trap 'rm -rf "$work" "$big"' EXIT
cc -O2 -o "$work/spawn-floor" Benchmarks/run/spawn-floor.c
for shape in chain group; do python3 Benchmarks/run/generate.py "$shape" 1000 "$work/$shape" /bin/true; done
mkdir -p "$big/project/.gitpod"
printf 'tasks:\n  big: {name: Big, command: "head -c 1073741824 /dev/zero"}\n' >"$big/project/.gitpod/automations.yaml"

paired() {  # TITLE ROUNDS [--prepare CMD] FLOOR-NAME FLOOR DIRECTORY EXTRA
    local title=$1 count=$2
    shift 2
    local prepare=()
    if [ "$1" = --prepare ]; then prepare=(--prepare "$2"); shift 2; fi
    local floor_name=$1 floor=$2 directory=$3 extra=$4
    local arguments=()
    arguments+=("linux" "cd $directory && $automations run --output grouped $extra")
    arguments+=("linux, as before 5.3" "cd $directory && $old_kernel $automations run --output grouped $extra")
    arguments+=("posix" "cd $directory && AUTOMATIONS_BACKEND=posix $automations run --output grouped $extra")
    if [ -n "$other" ]; then arguments+=("other binary, linux" "cd $directory && $other run --output grouped $extra"); fi
    echo "== $title"
    python3 Benchmarks/run/paired.py "$count" "${prepare[@]}" "$floor_name" "$floor" "${arguments[@]}"
}
paired "1,000 /bin/true steps in a chain vs the spawn floor, one at a time" "$rounds" \
    "spawn floor (1 at a time)" "$work/spawn-floor 1000 1" "$work/chain" ""
paired "1,000 /bin/true steps in one group vs the spawn floor, two at a time" "$rounds" \
    "spawn floor (2 at a time)" "$work/spawn-floor 1000 2" "$work/group" ""
paired "a step printing 1 GiB vs head -c 1G /dev/zero > file, on $(df --output=fstype "$big" | tail -1)" 5 \
    --prepare "rm -rf $big/floor.out $big/logs" \
    "head -c 1G /dev/zero > file" "head -c 1073741824 /dev/zero > $big/floor.out" "$big/project" "--logs $big/logs"

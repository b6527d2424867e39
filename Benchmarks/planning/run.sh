#!/usr/bin/env bash
# Times `validate` and `plan` of a generated file with 10,000 tasks (random DAG, up to 3 dependencies each) and
# 100 services, with a release build. Target: under 1 second each. Needs hyperfine (Debian package).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1  # the binary scripts/install ships
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 Benchmarks/planning/generate.py 10000 100 42 > "$work/automations.yaml"
echo "file: $(wc -l < "$work/automations.yaml") lines, $(wc -c < "$work/automations.yaml") bytes"
binary="$root/.build/release/automations"
"$binary" validate --file "$work/automations.yaml"
"$binary" plan --file "$work/automations.yaml" > "$work/plan.txt"; head -1 "$work/plan.txt"
hyperfine --warmup 2 --runs 10 --export-markdown "$work/result.md" \
    "$binary validate --file $work/automations.yaml" \
    "$binary plan --file $work/automations.yaml --format json" >/dev/null
cat "$work/result.md"
for command in validate plan; do
    /usr/bin/time -f "$command: peak memory %M KiB" "$binary" "$command" --file "$work/automations.yaml" >/dev/null
done

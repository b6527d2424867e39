#!/usr/bin/env bash
# Runs the exact commands of github-actions.yml and gitlab-ci.yml on examples/basic, with the variables those CIs
# set, one shard after another (the shards share the example's port), and checks what a pipeline would see:
# the exit statuses, the merged counts against one full run, the annotations and the job summary.
# Usage: examples/ci/try-locally.sh [AUTOMATIONS_BINARY]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
automations="$(realpath "${1:-$root/.build/debug/automations}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/basic/." "$work/project"
cd "$work/project"
counts() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"])' "$1"; }
# Each CI job runs on a machine of its own: its own (empty) result cache, so that every job runs its shard.
export XDG_CACHE_HOME="$work/cache-full"

"$automations" run --output quiet --report-json full.json >/dev/null
echo "full run: $(counts full.json)"

# GitHub Actions: a matrix of 4, then the merge job.
for shard in 1 2 3 4; do
    mkdir -p "gh/shard-$shard"
    XDG_CACHE_HOME="$work/cache-gh-$shard" GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$work/summary-$shard.md" \
        "$automations" run --shard "$shard/4" --timings full.json --jobs 2 --logs "gh/shard-$shard/logs" \
        --junit "gh/shard-$shard/report.xml" --report-json "gh/shard-$shard/report.json" >"gh/shard-$shard/console.txt"
    grep -q '::group::' "gh/shard-$shard/console.txt" || grep -q 'steps: ' "gh/shard-$shard/console.txt"
done
grep -q '^| Step | Kind | Result' "$work"/summary-*.md
"$automations" merge --junit gh/report.xml --report-json gh/report.json gh/shard-*/report.json
echo "GitHub merge: $(counts gh/report.json)"
[ "$(counts gh/report.json)" = "$(counts full.json)" ] || { echo "counts differ"; exit 1; }

# GitLab CI: parallel: 4 with --shard auto.
for index in 1 2 3 4; do
    XDG_CACHE_HOME="$work/cache-gl-$index" GITLAB_CI=true CI_NODE_INDEX=$index CI_NODE_TOTAL=4 \
        "$automations" run --shard auto --jobs 2 --logs "logs-$index" \
        --junit "report-$index.xml" --report-json "report-$index.json" >"gitlab-$index.txt" 2>&1
    grep -q "shard $index/4 (from GitLab CI)" "gitlab-$index.txt"
done
"$automations" merge --junit merged.xml --report-json merged.json report-*.json
echo "GitLab merge: $(counts merged.json)"
[ "$(counts merged.json)" = "$(counts full.json)" ] || { echo "counts differ"; exit 1; }
echo "both pipelines: ok"

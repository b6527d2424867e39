#!/usr/bin/env bash
# Fuzzes the automations-file loader with libFuzzer, seeded with the fixtures corpus.
#   Fuzz/run.sh [SECONDS]   (default 600)
# Crashes and timeouts are written to Fuzz/findings/; turn each into a fixture under
# Tests/AutomationsConfigTests/Fixtures/invalid/ (with its .expected) once fixed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-600}"
cd "$here"
swift build -c release -Xswiftc -sanitize=fuzzer,address >/dev/null
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
cp ../Tests/AutomationsConfigTests/Fixtures/invalid/*.yaml ../Tests/AutomationsConfigTests/Fixtures/invalid/*.json \
    ../Tests/AutomationsConfigTests/Fixtures/valid/*.yaml ../Tests/AutomationsConfigTests/Fixtures/valid/*.json \
    ../examples/*/.gitpod/automations.yaml "$corpus/" 2>/dev/null || true
mkdir -p findings
./.build/release/fuzz-loader "$corpus" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix=findings/ -print_final_stats=1

#!/usr/bin/env bash
# The HTML report of a 1,000-step run (each step prints a few lines; release build): its size, and the time to
# write it (`automations report --html` from the run's JSON report, which reads every step's log).
# Targets: under 200 ms, under 2 MB. Needs hyperfine.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1  # the binary scripts/install ships
automations="$root/.build/release/automations"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 Benchmarks/run/generate.py group 1000 "$work/p" 'echo building; echo testing module; echo done' >/dev/null
cd "$work/p"
"$automations" run --output quiet --report-json report.json --html report.html >/dev/null
echo "1,000-step run: report.html is $(wc -c < report.html) bytes"
hyperfine --warmup 2 --runs 10 -N -n "report --html of 1,000 steps" "$automations report --html again.html report.json"

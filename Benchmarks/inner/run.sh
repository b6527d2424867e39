#!/usr/bin/env bash
# Reading a 100,000-testcase JUnit file that a task wrote (`--collect-junit`), release build: the run's wall time
# and the runner's peak memory. Targets: under 1 s of reading, peak under 150 MB.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1  # the binary scripts/install ships
automations="$root/.build/release/automations"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/p/.gitpod"
python3 - "$work/p/big.xml" <<'PY'
import sys
with open(sys.argv[1], "w") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="big" tests="100000">\n')
    for index in range(100000):
        if index % 100 == 0:
            out.write(f'<testcase name="test_{index}" classname="pkg.module{index % 50}" time="0.001">'
                      f'<failure message="assert {index} == 0">Traceback line\nAssertionError: {index}</failure>'
                      f'<system-out>output of test {index}</system-out></testcase>\n')
        else:
            out.write(f'<testcase name="test_{index}" classname="pkg.module{index % 50}" time="0.001"/>\n')
    out.write('</testsuite>\n</testsuites>\n')
PY
printf 'tasks:\n  test: {name: Test, command: "touch big.xml"}\n' > "$work/p/.gitpod/automations.yaml"
echo "inner file: $(wc -c < "$work/p/big.xml") bytes, 100,000 testcases"
cd "$work/p"
hyperfine --warmup 1 --runs 5 -N -n "run with --collect-junit of 100,000 testcases" \
    "$automations run --output quiet --collect-junit test=big.xml --junit report.xml" \
    -n "the same run without --collect-junit" "$automations run --output quiet --junit report.xml"
/usr/bin/time -f "peak memory %M KiB" "$automations" run --output quiet --collect-junit test=big.xml --junit report.xml

#!/usr/bin/env bash
# Runs the API suites with the official SDKs against the built server (.build/debug/automations, or
# $AUTOMATIONS_BINARY): gitpod-sdk 1.2.0 (binary protobuf) and 0.12.0 (JSON), each in its own virtual environment
# (both own the `gitpod` import name). 0.12.0 as published fails to import; Tests/sdk/shim aliases the two modules
# it looks for in the wrong package, in that venv only.
set -euo pipefail
cd "$(dirname "$0")/.."
for version in 1.2.0 0.12.0; do
    venv=".build/sdk-$version"
    if [ ! -x "$venv/bin/pytest" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "gitpod-sdk==$version" pytest
    fi
done
site="$(.build/sdk-0.12.0/bin/python -c 'import site; print(site.getsitepackages()[0])')"
cp Tests/sdk/shim/_gitpod_012_import_fix.py Tests/sdk/shim/_gitpod_012_import_fix.pth "$site/"
.build/sdk-1.2.0/bin/python -m pytest -q -p no:cacheprovider Tests/sdk/test_sdk_1_2_0.py
.build/sdk-0.12.0/bin/python -m pytest -q -p no:cacheprovider Tests/sdk/test_sdk_0_12_0.py

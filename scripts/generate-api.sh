#!/usr/bin/env bash
# Regenerates Sources/GitpodAPI (the gitpod.v1 message types) from Proto/environment_automation.fds.pb with
# swift-protobuf 1.39.0's protoc-gen-swift and Debian's protoc. The output is committed and never edited by hand;
# no build plugin is used (it would compile protoc's C++ on every clean build). The files start with
# `// swift-format-ignore-file`, so the format lint skips them.
#   scripts/generate-api.sh [PATH/TO/protoc-gen-swift]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
plugin="${1:-}"
if [ -z "$plugin" ]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    git clone -q --branch 1.39.0 https://github.com/apple/swift-protobuf "$work/swift-protobuf"
    (cd "$work/swift-protobuf" && swift build --product protoc-gen-swift >/dev/null)
    plugin="$work/swift-protobuf/.build/debug/protoc-gen-swift"
fi
command -v protoc >/dev/null || { echo "protoc is needed (Debian package protobuf-compiler)" >&2; exit 1; }
rm -rf "$root/Sources/GitpodAPI/gitpod"
protoc --descriptor_set_in="$root/Proto/environment_automation.fds.pb" \
    --plugin=protoc-gen-swift="$plugin" \
    --swift_out="$root/Sources/GitpodAPI" --swift_opt=Visibility=Public \
    gitpod/v1/environment_automation.proto gitpod/v1/identity.proto gitpod/v1/pagination.proto
find "$root/Sources/GitpodAPI" -name '*.swift' | sort

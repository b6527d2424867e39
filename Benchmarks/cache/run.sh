#!/usr/bin/env bash
# The result cache, measured (release build, static as scripts/install builds it):
#  1. the second identical run of examples/basic (a fresh git clone of it): commands and services started, wall time;
#  2. one changed byte in one task's sources: which tasks run;
#  3. a second machine (a fresh clone, an empty local cache) with a shared nginx WebDAV cache: what runs;
#  4. key computation in a git repository of 10,000 files: `plan --explain` cold (first after a clone) and warm.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1
automations="$root/.build/release/automations"
work="$(mktemp -d)"
nginx_pid=""
cleanup() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
git_commit() { git -C "$1" add -A && git -C "$1" -c user.email=b@b -c user.name=bench commit -qm "$2"; }

# Commands started by a run: each task or service command of examples/basic writes nothing we could count, so the
# JSON report tells: a cached step has "cache", a service that started is a step.
steps_run() { python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
ran = [s["reference"] for s in r["steps"] if s.get("cache") is None and s["phase"] != "TASK_EXECUTION_PHASE_PENDING"]
print(len(ran), " ".join(ran) or "-")' "$1"; }

echo "== 1. the second identical run of examples/basic"
cp -r examples/basic "$work/basic" && git -C "$work/basic" init -q && git_commit "$work/basic" init
cd "$work/basic"
"$automations" run --cache-dir "$work/cache1" --output quiet --report-json first.json >/dev/null
echo "first run:  $(steps_run first.json) (commands and services started)"
"$automations" run --cache-dir "$work/cache1" --output quiet --report-json second.json >/dev/null
echo "second run: $(steps_run second.json) (commands and services started)"
hyperfine --warmup 2 --runs 15 -N --export-json "$work/h.json" \
    "$automations run --cache-dir $work/cache1 --output quiet" >/dev/null
median() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("median %.1f ms, max %.1f ms over %d runs" % (r["median"]*1000, r["max"]*1000, len(r["times"])))' "$1"; }
echo "second run wall time (the whole process): $(median "$work/h.json")"

echo "== 2. one changed byte in lint's and smoke's sources (scripts/server.py)"
printf '\n' >> scripts/server.py
"$automations" run --cache-dir "$work/cache1" --output quiet --report-json changed.json >/dev/null
echo "ran: $(steps_run changed.json)"
git -C "$work/basic" checkout -q -- scripts/server.py

echo "== 3. a second machine with the shared cache (nginx WebDAV)"
mkdir -p "$work/nginx/store"
port=$((20000 + RANDOM % 30000))
cat >"$work/nginx/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1; error_log $work/nginx/error.log; pid $work/nginx/nginx.pid;
events { worker_connections 64; }
http { access_log off; client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$port; client_max_body_size 1g;
    location /cache/ { root $work/nginx/store; dav_methods PUT; create_full_put_path on; } } }
CONF
PATH="$PATH:/usr/sbin" nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" & nginx_pid=$!
sleep 0.5
"$automations" run --cache-dir "$work/cache-a" --cache-url "http://127.0.0.1:$port/cache" --output quiet >/dev/null
git clone -q "$work/basic" "$work/machine-b"
cd "$work/machine-b"
"$automations" run --cache-dir "$work/cache-b" --cache-url "http://127.0.0.1:$port/cache" --output quiet \
    --report-json b.json >/dev/null
echo "second machine ran: $(steps_run b.json)"
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""

echo "== 4. keys of a run in a git repository of 10,000 files"
big="$work/big"
mkdir -p "$big/.gitpod"
python3 - "$big" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(100):
    os.makedirs(f"{root}/src/m{d}", exist_ok=True)
    for f in range(100):
        open(f"{root}/src/m{d}/f{f}.txt", "w").write(f"module {d} file {f}\n" * 20)
PY
cat >"$big/.gitpod/automations.yaml" <<'YAML'
tasks:
  build: {name: Build, command: "true"}
  test: {name: Test, command: "true", dependsOn: [build]}
  lint: {name: Lint, command: "true"}
YAML
printf 'tasks:\n  build: {sources: ["src/**"]}\n  test: {sources: ["src/m1/**", "src/m2/**"]}\n' >"$big/.gitpod/automations.runner.yaml"
git -C "$big" init -q && git_commit "$big" init
git clone -q "$big" "$work/big-clone"
cd "$work/big-clone"
start=$(date +%s%N); "$automations" plan --explain --cache-dir "$work/cache-big" >/dev/null; end=$(date +%s%N)
echo "cold (first after a clone, empty stat cache): $(( (end - start) / 1000000 )) ms for plan --explain"
hyperfine --warmup 2 --runs 15 -N --export-json "$work/k.json" \
    "$automations plan --explain --cache-dir $work/cache-big" >/dev/null
echo "warm: $(median "$work/k.json") for plan --explain (process start, both files, git, keys of 3 tasks over 10,000 files)"
echo "one file changed:"
printf 'x' >> src/m5/f5.txt
hyperfine --warmup 1 --runs 10 -N --export-json "$work/k2.json" \
    "$automations plan --explain --cache-dir $work/cache-big" >/dev/null
echo "warm with one changed file: $(median "$work/k2.json")"

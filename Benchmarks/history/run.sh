#!/usr/bin/env bash
# The run history, measured (release build, static as scripts/install builds it):
#  1. recording a run of 1,000 steps (the run's own AUTOMATIONS_DEBUG_TIMING line), median of 5;
#  2. `automations history` over 10,000 recorded runs of 100 steps, on SQLite and on PostgreSQL;
#  3. importing a JUnit file of 100,000 test cases: time and peak memory;
#  4. shard balance from the history: 40 tasks, 4 shards, timings from 10 noisy runs (±30%): the slowest shard by
#     the tasks' true durations against the ideal (the total over 4).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product automations >/dev/null 2>&1
automations="$root/.build/release/automations"
work="$(mktemp -d)"
chmod 755 "$work"
postgres_data=""
cleanup() {
    # pg_ctl stops the server itself (a signal to runuser does not reach it).
    [ -n "$postgres_data" ] && runuser -u postgres -- "$bin/pg_ctl" -D "$postgres_data" -m fast -w stop >/dev/null 2>&1
    wait 2>/dev/null || true
    rm -rf "$work"
}
bin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
trap cleanup EXIT
export XDG_CACHE_HOME="$work/cache"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== 1. recording a run of 1,000 steps"
mkdir -p "$work/thousand/.gitpod"
python3 -c 'print("tasks:"); [print(f"  t{i}: {{name: t{i}, command: \"true\"}}") for i in range(1000)]' \
    >"$work/thousand/.gitpod/automations.yaml"
cd "$work/thousand"
for i in 1 2 3 4 5; do
    AUTOMATIONS_DEBUG_TIMING=1 "$automations" run --output quiet --no-cache 2>&1 >/dev/null \
        | grep "run recorded" | sed -E 's/.* ([0-9.]+) ms/\1/'
done | median | xargs -I{} echo "recording 1,000 steps: median {} ms"

echo "== 2. history over 10,000 runs of 100 steps"
mkdir -p "$work/big/.gitpod" && cd "$work/big"
printf 'tasks:\n  seed: {name: seed, command: "true"}\n' >.gitpod/automations.yaml
"$automations" run --output quiet --no-cache >/dev/null
python3 - "$work/big/.automations/history.sqlite" "$work/rows" <<'PY'
import random, sqlite3, sys
random.seed(7)
TOTALS = "INSERT OR REPLACE INTO step_totals SELECT reference, COUNT(*), SUM(CASE WHEN result = 'passed' THEN 1 ELSE 0 END), SUM(flaky) FROM steps WHERE result <> 'skipped' GROUP BY reference"
db = sqlite3.connect(sys.argv[1])
runs, steps = [], []
for r in range(10000):
    run = f"bench-{r}"
    runs.append((run, 1.7e9 + r * 60, 1.7e9 + r * 60 + 50, f"c{r // 10}", None, None, "all", None, "succeeded", "run"))
    for s in range(100):
        failed = random.random() < 0.02
        steps.append((run, f"step{s}", "task", None, random.uniform(1, 100), "failed" if failed else "passed", 1, 0, 0, 1.7e9 + r * 60))
db.executemany("INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?)", runs)
db.executemany("INSERT INTO steps VALUES (?,?,?,?,?,?,?,?,?,?)", steps)
# The totals that recording keeps (the rows were written here, not by recording).
db.execute(TOTALS)
db.commit()
with open(sys.argv[2] + "-runs.csv", "w") as f:
    for row in runs: f.write(",".join("" if v is None else str(v) for v in row) + "\n")
with open(sys.argv[2] + "-steps.csv", "w") as f:
    for row in steps: f.write(",".join("" if v is None else str(v) for v in row) + "\n")
PY
hyperfine --warmup 1 --runs 5 -N --export-json "$work/h.json" "$automations history --format json" >/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("history on SQLite (1,000,000 steps): median %.0f ms" % (r["median"]*1000))' "$work/h.json"

mkdir -p "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$bin/initdb" -A trust -U postgres -D "$work/pg/data" >/dev/null
runuser -u postgres -- "$bin/postgres" -D "$work/pg/data" -k "$work/pg" -c listen_addresses= -c fsync=off >/dev/null 2>&1 &
postgres_data="$work/pg/data"
for i in $(seq 100); do "$bin/pg_isready" -q -h "$work/pg" && break; sleep 0.1; done
pg="postgres://postgres@/postgres?host=$work/pg"
AUTOMATIONS_HISTORY="$pg" "$automations" run --output quiet --no-cache >/dev/null
psql -q -h "$work/pg" -U postgres postgres -c "\\copy runs FROM '$work/rows-runs.csv' WITH (FORMAT csv)" \
    -c "\\copy steps FROM '$work/rows-steps.csv' WITH (FORMAT csv)" \
    -c "DELETE FROM step_totals" \
    -c "INSERT INTO step_totals SELECT reference, COUNT(*), SUM(CASE WHEN result = 'passed' THEN 1 ELSE 0 END), SUM(flaky) FROM steps WHERE result <> 'skipped' GROUP BY reference" \
    -c "ANALYZE"
hyperfine --warmup 1 --runs 5 -N --export-json "$work/p.json" "$automations history --format json --history $pg" >/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("history on PostgreSQL (the same rows): median %.0f ms" % (r["median"]*1000))' "$work/p.json"

echo "== 3. importing a JUnit file of 100,000 test cases"
python3 -c '
print("<testsuites><testsuite name=\"big\">")
for i in range(100000): print(f"<testcase classname=\"pkg.C{i % 100}\" name=\"test_{i}\" time=\"0.01\"/>")
print("</testsuite></testsuites>")' >"$work/junit.xml"
cd "$work/thousand"
/usr/bin/time -f "%e %M" -o "$work/import.time" "$automations" history import "$work/junit.xml" >/dev/null
read -r seconds kilobytes <"$work/import.time"
echo "import of 100,000 cases: ${seconds} s, peak $((kilobytes / 1024)) MB"

echo "== 4. shard balance from the history: 40 tasks, 4 shards, 10 noisy runs"
mkdir -p "$work/shards/.gitpod" && cd "$work/shards"
python3 - <<'PY'
import random
random.seed(3)
true = {f"t{i}": round(random.uniform(5, 120), 1) for i in range(40)}
open(".gitpod/automations.yaml", "w").write("tasks:\n" + "".join(f"  {k}: {{name: {k}, command: 'true'}}\n" for k in true))
open("true.txt", "w").write("".join(f"{k} {v}\n" for k, v in true.items()))
PY
"$automations" run --output quiet --no-cache >/dev/null
python3 - <<'PY'
import random, sqlite3
random.seed(11)
true = dict(line.split() for line in open("true.txt"))
db = sqlite3.connect(".automations/history.sqlite")
for r in range(10):
    run = f"noisy-{r}"
    db.execute("INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?)", (run, 1.8e9 + r, 1.8e9 + r, None, None, None, "", None, "succeeded", "run"))
    for k, v in true.items():
        db.execute("INSERT INTO steps VALUES (?,?,?,?,?,?,?,?,?,?)", (run, k, "task", None, float(v) * random.uniform(0.7, 1.3), "passed", 1, 0, 0, 1.8e9 + r))
db.commit()
PY
"$automations" plan --shards 4 --format json 2>/dev/null >split.json
python3 - <<'PY'
import json
true = {k: float(v) for k, v in (line.split() for line in open("true.txt"))}
shards = json.load(open("split.json"))["shards"]
loads = [sum(true[t] for t in s["targets"]) for s in shards]
ideal = sum(true.values()) / 4
print("shard loads by true durations: " + ", ".join(f"{l:.0f} s" for l in loads) + f"; slowest {max(loads) / ideal:.3f}x the ideal")
PY

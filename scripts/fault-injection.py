#!/usr/bin/env python3
"""Fault injection for `automations run`, with the built binary (run by .ci/run; about two minutes).

1. Interrupts at random moments: 30 runs of a plan with services and concurrent tasks get SIGINT, 10 get SIGTERM and
   5 get SIGHUP, at a random time between start and end. Each run must exit with its documented status within the
   grace periods, write a JUnit report that xmllint validates against the junit-10 schema and a JSON report that
   parses and agrees with the exit status, and leave no process behind (checked in /proc by an environment marker).
2. 10,000 steps (100 groups of 100 `/bin/true`): the runner's open descriptors and memory are sampled while it
   runs and must stay flat.
3. A log directory on a full filesystem (a 256 KiB tmpfs, as root; skipped with a message otherwise): the run
   says which log is incomplete and exits 1.

Usage: fault-injection.py AUTOMATIONS_BINARY JUNIT_SCHEMA [SEED]
"""

import json
import os
import pathlib
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid

BINARY, SCHEMA = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time())
STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
TASK_GRACE, SERVICE_GRACE = 1.0, 1.0

PLAN = """
services:
  web:
    name: Web
    commands:
      start: "python3 -m http.server 0 --bind 127.0.0.1 >/dev/null 2>&1 & echo $! > web.pid; wait"
      ready: "test -s web.pid"
      stop: "kill $(cat web.pid)"
  worker:
    name: Worker
    commands:
      start: "trap 'exit 0' TERM; while true; do echo tick; sleep 0.05; done"
tasks:
  setup: {name: Setup, command: "echo setup; sleep 0.2"}
  unit: {name: Unit, command: "for i in 1 2 3 4 5; do echo unit $i; sleep 0.1; done", dependsOn: [setup]}
  lint: {name: Lint, command: "sleep 0.3 & sleep 0.4; echo lint", dependsOn: [setup]}
  stubborn: {name: Stubborn, command: "trap '' TERM; sleep 0.8", dependsOn: [setup, worker]}
  integration: {name: Integration, command: "sleep 0.3; echo ok", dependsOn: [web, unit]}
  report: {name: Report, command: "echo done", dependsOn: [integration, lint, stubborn]}
"""


def marked_processes(marker: str) -> list[int]:
    needle = f"FAULT_MARKER={marker}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if needle in handle.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            pass
    return found


def run_once(project: pathlib.Path, send: signal.Signals | None, delay: float) -> list[str]:
    marker = uuid.uuid4().hex
    for name in ("report.xml", "report.json"):
        (project / name).unlink(missing_ok=True)
    command = [BINARY, "run", "--output", "quiet", "--junit", "report.xml", "--report-json", "report.json",
               "--stop-timeout", f"{int(SERVICE_GRACE * 1000)}ms", "--task-stop-timeout", f"{int(TASK_GRACE * 1000)}ms",
               "--env", f"FAULT_MARKER={marker}"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if send is not None:
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(send)
    problems = []
    try:
        status = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return ["did not end within 30 s"]
    took = time.monotonic() - started
    report = json.loads((project / "report.json").read_text()) if (project / "report.json").exists() else None
    if report is None:
        problems.append("no JSON report")
    finished_first = report is not None and report.get("stopReason") is None
    expected = 0 if (send is None or finished_first) else STATUS[send]
    if status != expected:
        problems.append(f"exit status {status}, expected {expected}; stderr: {process.stderr.read().decode()[-300:]}")
    if report is not None and report.get("exitStatus") != status:
        problems.append(f"JSON exitStatus {report.get('exitStatus')} but the runner exited {status}")
    if send is not None and not finished_first and took - delay > TASK_GRACE + SERVICE_GRACE + 2.5:
        problems.append(f"took {took - delay:.2f} s after the signal, more than the grace periods allow")
    lint = subprocess.run(["xmllint", "--noout", "--schema", SCHEMA, str(project / "report.xml")], capture_output=True)
    if lint.returncode != 0:
        problems.append(f"xmllint: {lint.stderr.decode()[-300:]}")
    deadline = time.monotonic() + 2
    while marked_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = marked_processes(marker)
    if left:
        problems.append(f"processes left behind: {left}")
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    return problems


def interrupts(rng: random.Random) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as folder:
        project = pathlib.Path(folder)
        (project / ".gitpod").mkdir()
        (project / ".gitpod/automations.yaml").write_text(PLAN)
        started = time.monotonic()
        baseline = run_once(project, None, 0)
        duration = time.monotonic() - started
        print(f"baseline run: {duration:.2f} s, {'ok' if not baseline else baseline}")
        failures = len(baseline) > 0
        runs = [signal.SIGINT] * 30 + [signal.SIGTERM] * 10 + [signal.SIGHUP] * 5
        rng.shuffle(runs)
        for index, send in enumerate(runs, 1):
            delay = rng.uniform(0.02, duration)
            problems = run_once(project, send, delay)
            if problems:
                failures += 1
                print(f"run {index}: {send.name} after {delay:.3f} s: " + "; ".join(problems))
        print(f"interrupts: {len(runs)} runs (30 SIGINT, 10 SIGTERM, 5 SIGHUP), {len(runs) - failures} clean")
        return len(runs) + 1, failures


def ten_thousand_steps() -> int:
    with tempfile.TemporaryDirectory() as folder:
        project = pathlib.Path(folder)
        (project / ".gitpod").mkdir()
        lines = ["tasks:"]
        for group in range(100):
            for index in range(100):
                depends = f"[g{group - 1}-0]" if group > 0 else "[]"
                lines.append(f"  g{group}-{index}: {{name: S, command: /bin/true, dependsOn: {depends}}}")
        (project / ".gitpod/automations.yaml").write_text("\n".join(lines) + "\n")
        process = subprocess.Popen([BINARY, "run", "--output", "quiet"], cwd=project, stdout=subprocess.DEVNULL)
        samples = []
        tasks_logs = project / ".automations/logs/tasks"
        while process.poll() is None:
            try:
                # Growth is measured while steps run: reading and planning the file comes before (and a debug
                # build spends a third of the run there).
                if not tasks_logs.is_dir() or not any(tasks_logs.iterdir()):
                    time.sleep(0.05)
                    continue
                descriptors = len(os.listdir(f"/proc/{process.pid}/fd"))
                status = pathlib.Path(f"/proc/{process.pid}/status").read_text()
                rss = int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
                samples.append((descriptors, rss))
            except (OSError, StopIteration):
                pass
            time.sleep(0.05)
        if process.returncode != 0 or len(samples) < 8:
            print(f"10,000 steps: exit {process.returncode}, {len(samples)} samples")
            return 1
        quarter, late = samples[len(samples) // 4], samples[len(samples) * 9 // 10]
        most_fds = max(fds for fds, _ in samples)
        print(f"10,000 steps: {len(samples)} samples; open descriptors at most {most_fds}; "
              f"RSS {quarter[1] // 1024} MB at 25%, {late[1] // 1024} MB at 90%, peak {max(r for _, r in samples) // 1024} MB")
        flat = most_fds < 100 + 3 * 100 and late[1] - quarter[1] < 20 * 1024
        if not flat:
            print("10,000 steps: descriptors or memory grew")
        return 0 if flat else 1


def full_log_directory() -> int:
    if os.geteuid() != 0:
        print("full log directory: skipped (mounting a small tmpfs needs root)")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        project = pathlib.Path(folder)
        (project / ".gitpod").mkdir()
        (project / ".gitpod/automations.yaml").write_text(
            "tasks:\n  big: {name: Big, command: 'head -c 1000000 /dev/zero'}\n")
        (project / "tiny").mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(project / "tiny")]).returncode != 0:
            print("full log directory: skipped (mount refused)")
            return 0
        try:
            result = subprocess.run([BINARY, "run", "--output", "quiet", "--logs", "tiny/logs"], cwd=project,
                                    capture_output=True, text=True)
        finally:
            subprocess.run(["umount", str(project / "tiny")])
        ok = result.returncode == 1 and "log file incomplete: tiny/logs/tasks/big.log: No space left on device" in result.stderr
        print(f"full log directory: exit {result.returncode}, {'clear error' if ok else 'unexpected: ' + result.stderr}")
        return 0 if ok else 1


def main() -> int:
    print(f"seed {SEED}")
    rng = random.Random(SEED)
    runs, failures = interrupts(rng)
    failures += ten_thousand_steps()
    failures += full_log_directory()
    checks = runs + 2
    print(f"fault injection: {checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

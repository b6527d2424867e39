#!/usr/bin/env python3
"""Writes the equivalent automations file and Taskfile for the run benchmarks.

Usage: generate.py chain|group|sleep COUNT DIR [COMMAND]
  chain: COUNT tasks, each depending on the one before
  group: COUNT independent tasks (one group)
  sleep: COUNT independent tasks `sleep 1`
COMMAND defaults to `true` (`sleep 1` for sleep); pass /bin/true to make every step start a process.
"""

import pathlib
import sys

shape, count, folder = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])
(folder / ".gitpod").mkdir(parents=True, exist_ok=True)
command = sys.argv[4] if len(sys.argv) > 4 else ("sleep 1" if shape == "sleep" else "true")
automations = ["tasks:"]
taskfile = ["version: '3'", "tasks:"]
for index in range(count):
    depends = f"[t{index - 1}]" if shape == "chain" and index > 0 else "[]"
    automations.append(f"  t{index}: {{name: T{index}, command: '{command}', dependsOn: {depends}}}")
    taskfile.append(f"  t{index}:")
    if shape == "chain" and index > 0:
        taskfile.append(f"    deps: [t{index - 1}]")
    taskfile.append(f"    cmds: ['{command}']")
if shape != "chain":
    taskfile.append("  all:")
    taskfile.append("    deps: [" + ", ".join(f"t{index}" for index in range(count)) + "]")
(folder / ".gitpod/automations.yaml").write_text("\n".join(automations) + "\n")
(folder / "Taskfile.yml").write_text("\n".join(taskfile) + "\n")

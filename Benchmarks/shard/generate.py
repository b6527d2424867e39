#!/usr/bin/env python3
"""Writes an automations file of COUNT independent tasks of uneven, known durations (sleep 0.05 to 0.85 s,
the same on every machine) into DIR/.gitpod/automations.yaml.

Usage: generate.py COUNT DIR
"""

import pathlib
import random
import sys

count, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
(folder / ".gitpod").mkdir(parents=True, exist_ok=True)
rng = random.Random(40)
lines = ["tasks:"]
for index in range(count):
    seconds = round(rng.uniform(0.05, 0.85), 2)
    lines.append(f"  t{index:02d}: {{name: T{index}, command: 'sleep {seconds}'}}")
(folder / ".gitpod/automations.yaml").write_text("\n".join(lines) + "\n")

#!/usr/bin/env python3
"""Side-by-side timing on a noisy machine: each round runs the floor, then every measured command, in turn, so
that drift of the machine hits them alike. Prints each median and the median of the per-round ratios.

Usage: paired.py ROUNDS [--prepare SHELL] FLOOR_NAME FLOOR_SHELL NAME SHELL [NAME SHELL ...]
Commands run with `sh -c`, output to /dev/null; --prepare runs before every command, untimed.
"""

import statistics
import subprocess
import sys
import time

arguments = sys.argv[1:]
rounds = int(arguments.pop(0))
prepare = None
if arguments[0] == "--prepare":
    prepare = arguments[1]
    arguments = arguments[2:]
pairs = list(zip(arguments[0::2], arguments[1::2]))


def timed(command: str) -> float:
    if prepare:
        subprocess.run(prepare, shell=True, check=True)
    start = time.perf_counter()
    subprocess.run(command, shell=True, check=False, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


times = {name: [] for name, _ in pairs}
for _ in range(rounds):
    for name, command in pairs:
        times[name].append(timed(command))
floor_name = pairs[0][0]
floor = times[floor_name]
print(f"| command | median | ratio to the floor (median of {rounds} paired rounds) |")
print("|---|---:|---:|")
print(f"| {floor_name} | {statistics.median(floor) * 1000:.0f} ms | 1.00 |")
for name, _ in pairs[1:]:
    ratios = [measured / base for measured, base in zip(times[name], floor)]
    print(f"| {name} | {statistics.median(times[name]) * 1000:.0f} ms | {statistics.median(ratios):.2f}× |")

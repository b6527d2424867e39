#!/usr/bin/env python3
"""Writes a large automations file: N tasks forming a random DAG (up to 3 dependencies each) and M services.

Usage: generate.py TASKS SERVICES SEED > automations.yaml
Dependencies only point at earlier tasks or at services, so the file is valid and acyclic.
"""

import random
import sys


def main() -> None:
    tasks, services, seed = (int(argument) for argument in sys.argv[1:4])
    rng = random.Random(seed)
    out = sys.stdout
    out.write("services:\n")
    for index in range(services):
        out.write(
            f"  svc-{index}:\n"
            f"    name: Service {index}\n"
            f"    triggeredBy: [postEnvironmentStart]\n"
            f"    commands:\n"
            f"      start: sleep 1000\n"
            f"      ready: \"true\"\n"
            f"    readinessTimeout: 30s\n"
        )
    out.write("tasks:\n")
    for index in range(tasks):
        candidates = [f"task-{other}" for other in rng.sample(range(index), min(index, 3))]
        if services and rng.random() < 0.05:
            candidates[-1:] = [f"svc-{rng.randrange(services)}"]
        dependencies = candidates[: rng.randint(0, 3)]
        out.write(
            f"  task-{index}:\n"
            f"    name: Task number {index}\n"
            f"    command: echo task {index}\n"
            f"    dependsOn: [{', '.join(dependencies)}]\n"
        )


if __name__ == "__main__":
    main()

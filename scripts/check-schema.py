#!/usr/bin/env python3
"""`automations schema` accepts exactly what `automations validate` accepts.

Every fixture (valid, invalid, warnings), example and file given is read by the loader (`validate`: exit 0 accepts,
2 rejects) and by Python's jsonschema against the printed schema, after a YAML 1.2 reader (ruamel.yaml, as the YAML
language server reads YAML 1.2) turned it into data. They must agree on every file, except the listed rules a JSON
Schema cannot express; a listed file that agrees is an error too (the list must stay true).

usage: check-schema.py AUTOMATIONS_BINARY [FILE...]
"""

import glob
import io
import json
import os
import subprocess
import sys

import jsonschema
from ruamel.yaml import YAML

# Files the loader rejects and the schema accepts, each for a rule a JSON Schema cannot express.
EXCEPTIONS = {
    "cycle-of-three.yaml": "dependency cycle",
    "two-cycles.yaml": "dependency cycles",
    "depends-on-itself.yaml": "a task depending on itself",
    "depends-on-unknown.yaml": "a dependency naming no item of the file",
    "reference-both-service-and-task.yaml": "one reference for a service and a task",
}


def schema_verdict(validator, path):
    """None when the schema accepts the file, else why not."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    try:
        with open(path, "rb") as handle:
            data = yaml.load(io.BytesIO(handle.read()))
    except Exception as error:  # not YAML: rejected before the schema
        return f"YAML: {type(error).__name__}"
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    first = errors[0]
    return f"{'/'.join(map(str, first.absolute_path))}: {first.message[:120]}"


def main():
    binary = sys.argv[1]
    schema = json.loads(subprocess.run([binary, "schema"], check=True, capture_output=True, text=True).stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    fixtures = os.path.join(root, "Tests/AutomationsConfigTests/Fixtures")
    files = sorted(
        glob.glob(f"{fixtures}/*/*.yaml")
        + glob.glob(f"{fixtures}/*/*.json")
        + glob.glob(f"{root}/examples/**/automations.yaml", recursive=True)
    ) + sys.argv[2:]
    problems = []
    counts = {"accepted by both": 0, "rejected by both": 0, "listed exceptions": 0}
    for path in files:
        name = os.path.basename(path)
        loader = subprocess.run([binary, "validate", "--file", path], capture_output=True, text=True)
        if loader.returncode not in (0, 2):
            problems.append(f"{path}: validate exited {loader.returncode}: {loader.stderr[:200]}")
            continue
        loader_accepts = loader.returncode == 0
        reason = schema_verdict(validator, path)
        schema_accepts = reason is None
        if name in EXCEPTIONS:
            if loader_accepts or not schema_accepts:
                problems.append(f"{path}: listed ({EXCEPTIONS[name]}) but the loader and the schema agree")
            counts["listed exceptions"] += 1
        elif loader_accepts != schema_accepts:
            problems.append(
                f"{path}: the loader {'accepts' if loader_accepts else 'rejects'} it, the schema "
                + ("accepts it" if schema_accepts else f"rejects it ({reason})")
                + ("" if loader_accepts else f"\n    loader: {loader.stderr.strip().splitlines()[0][:200]}")
            )
        else:
            counts["accepted by both" if loader_accepts else "rejected by both"] += 1
    for problem in problems:
        print(problem, file=sys.stderr)
    summary = ", ".join(f"{value} {key}" for key, value in counts.items())
    print(f"schema and loader: {len(files)} files: {summary}; {len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Reads every JUnit report in a folder with real CI consumers and compares their counts with the runner's own.

Usage: check-reports.py FOLDER   (each NAME.xml has the run's JSON report beside it as NAME.json)
Consumers: xmllint (schema), xunitparser (asserts its counts) and junitparser (the counts it reads), and lxml
(what GitHub's publish-unit-test-result-action and others parse with).
"""

import json
import pathlib
import subprocess
import sys

import junitparser
import lxml.etree
import xunitparser

SCHEMA = pathlib.Path(__file__).resolve().parent.parent.parent / "shared/junit/xsd/jenkins-xunit-junit-10.xsd"


def check(xml_path: pathlib.Path) -> list[str]:
    problems = []
    expected = json.loads(xml_path.with_suffix(".json").read_text())["counts"]
    lint = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMA), str(xml_path)], capture_output=True, text=True
    )
    if lint.returncode != 0:
        problems.append(f"xmllint: {lint.stderr.strip()}")
    lxml.etree.parse(str(xml_path))  # raises on anything lxml refuses (huge text nodes included)
    with open(xml_path, "rb") as handle:
        _, result = xunitparser.parse(handle)
    xunit = {
        "tests": result.testsRun,
        "failures": len(result.failures),
        "errors": len(result.errors),
        "skipped": len(result.skipped),
    }
    if xunit != expected:
        problems.append(f"xunitparser read {xunit}, the runner reported {expected}")
    report = junitparser.JUnitXml.fromfile(str(xml_path))
    junit = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in report:
        for case in suite:
            junit["tests"] += 1
            for result in case.result:
                kind = type(result).__name__.lower()
                key = {"failure": "failures", "error": "errors", "skipped": "skipped"}.get(kind)
                if key:
                    junit[key] += 1
    if junit != expected:
        problems.append(f"junitparser read {junit}, the runner reported {expected}")
    return problems


def main() -> int:
    folder = pathlib.Path(sys.argv[1])
    reports = sorted(folder.glob("*.xml"))
    failed = 0
    for xml_path in reports:
        try:
            problems = check(xml_path)
        except Exception as error:  # a consumer that crashes is a finding too
            problems = [f"{type(error).__name__}: {error}"]
        for problem in problems:
            print(f"{xml_path.name}: {problem}")
        failed += bool(problems)
    print(f"checked {len(reports)} JUnit reports with xmllint, lxml, xunitparser and junitparser: "
          f"{len(reports) - failed} passed, {failed} failed")
    return 1 if failed or not reports else 0


if __name__ == "__main__":
    sys.exit(main())

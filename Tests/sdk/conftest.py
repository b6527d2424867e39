"""Starts the built `automations serve` for the SDK suites as a user would: port 0, a temporary state directory, and
the token serve makes, read from its endpoint file (as README says)."""

import json

import os
import pathlib
import signal
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("AUTOMATIONS_BINARY", str(ROOT / ".build/debug/automations"))


class Server:
    def __init__(self, state: pathlib.Path):
        self.state = state
        self.process = None
        self.url = ""
        self.environment_id = ""
        self.token = ""

    def start(self):
        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", "0", "--state-dir", str(self.state), "--stop-timeout", "5s"],
            cwd=self.state, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "AUTOMATIONS_TEST_PROCESS": "1"},
        )
        first = self.process.stdout.readline().strip()
        second = self.process.stdout.readline().strip()
        assert first.startswith("listening on http://"), first + self.process.stderr.read()
        self.url = first.removeprefix("listening on ")
        self.environment_id = second.removeprefix("environment ")
        # The endpoint file is written right after the first two lines.
        endpoint = self.state / "endpoint"
        self.token = eventually(lambda: endpoint.exists() and json.loads(endpoint.read_text()).get("token"))
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode if self.process else None


@pytest.fixture(scope="module")
def server():
    with tempfile.TemporaryDirectory() as folder:
        running = Server(pathlib.Path(folder)).start()
        yield running
        running.stop()


def eventually(check, timeout=20.0, interval=0.05):
    """Polls `check` until it returns something truthy; returns that value (or fails after `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last value {value!r})")
        time.sleep(interval)


FILE = {
    "services": {
        "web": {
            "name": "Web",
            "commands": {"start": "echo serving; touch web.up; exec sleep 300", "ready": "test -f web.up"},
            "triggeredBy": ["manual"],
            "readinessTimeout": "30s",
        }
    },
    "tasks": {
        "build": {"name": "Build", "command": "echo building"},
        "test": {"name": "Test", "command": "echo testing", "dependsOn": ["build", "web"]},
        "broken": {"name": "Broken", "command": "echo oops; exit 3"},
        "slow": {"name": "Slow", "command": "sleep 300"},
    },
}

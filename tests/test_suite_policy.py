"""The suite's own rules (conftest.py): under CI a skip is a failure, and skips are always listed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = "tests/data/probes/probe_skip.py"


def _run(ci: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", PROBE, "-p", "no:randomly"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_skip_fails_the_run_under_ci():
    result = _run("true")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "CI: 1 test(s) skipped" in result.stdout
    assert "SKIPPED" in result.stdout and "a missing part" in result.stdout  # listed with its reason


def test_outside_ci_a_skip_is_listed_but_passes():
    result = _run("")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "SKIPPED" in result.stdout and "a missing part" in result.stdout

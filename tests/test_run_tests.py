"""The test command stops at once, and says why, on a machine not ready for it."""

import os
import subprocess
import sys
import time

from conftest import REPO


def run_tests(env):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "run-tests")],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, time.monotonic() - started


def test_unreachable_postgresql_is_named():
    result, seconds = run_tests({"PGHOST": "127.0.0.1", "PGPORT": "1"})
    assert result.returncode == 2
    assert "PostgreSQL" in result.stdout + result.stderr
    assert "PGPORT" in result.stdout + result.stderr
    assert seconds < 30


def test_missing_config_file_is_named():
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "run-tests"), "--config", "/nonexistent"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "/nonexistent" in result.stdout + result.stderr

"""The benchmarks the README's figures come from still run: each, at its smallest, ends well and prints its figures."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("arguments", "printed"),
    [
        (["bench/bench_search.py", "--sizes", "100", "200", "--repeat", "1", "--words", "200"], "since the last size"),
        (["bench/bench_import.py", "--articles", "2"], "ms an article"),
        (["bench/bench_save.py"], "queries (target ≤ 25)"),
        (["bench/bench_index.py", "50"], "× minimal"),
    ],
    ids=lambda value: value[0] if isinstance(value, list) else None,
)
def test_a_benchmark_runs_and_prints_its_figures(arguments, printed):
    # Their own throwaway SQLite databases, never the test run's (which DATABASE_URL may name).
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name not in ("DATABASE_URL", "CACHE_URL")
    }

    result = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert printed in result.stdout, result.stdout[-3000:]
    assert "Traceback" not in result.stderr

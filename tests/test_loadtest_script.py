"""scripts/loadtest.py only ever sends to loopback addresses and stops by itself."""

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "loadtest.py"


def _script():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_loopback_addresses_are_targets():
    loopback = _script().loopback
    for ok in (
        "http://127.0.0.1:8000",
        "http://127.9.9.9",
        "http://localhost:8000",
        "http://[::1]:80",
    ):
        assert loopback(ok), ok
    for refused in ("http://10.0.0.1", "http://192.168.1.2:8000", "https://example.org", "http://"):
        assert not loopback(refused), refused


def _refused(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    return done.stderr


def test_other_addresses_and_unbounded_runs_are_refused_before_anything_is_sent():
    assert "loopback" in _refused("--base", "http://192.168.1.2:8000")
    assert "--duration" in _refused("--serve", "--duration", "3600")

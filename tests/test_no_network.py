"""integrity-lint never touches the network: the whole CLI runs with sockets disabled."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Loaded by Python at start-up from PYTHONPATH: any socket use fails loudly.
SITECUSTOMIZE = """
import socket

class NoNetwork(OSError):
    pass

def refuse(*args, **kwargs):
    raise NoNetwork("integrity-lint tried to use the network")

class Socket(socket.socket):
    def __init__(self, *args, **kwargs):
        refuse()

socket.socket = Socket
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""


def test_every_command_runs_with_sockets_disabled(tmp_path):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE)
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project)
    for n in range(30):  # enough files for the process pool
        (project / "shop" / f"extra{n}.py").write_text("import pickle\npickle.loads(b'')\n")
    env = {**os.environ, "PYTHONPATH": str(guard)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "integrity_lint", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('localhost', 1))"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "tried to use the network" in probe.stderr  # the guard works
    check = cli("check", "--format", "json", "--jobs", "2")
    assert check.returncode == 1, check.stderr
    assert len(json.loads(check.stdout)["findings"]) > 30
    for args in (
        ("check", "--format", "sarif"),
        ("check", "--diff", "--unsafe-fixes"),
        ("inventory", "--format", "toml"),
        ("explain", "PRV102"),
        ("rules", "--format", "json"),
    ):
        result = cli(*args)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert "network" not in result.stderr, (args, result.stderr)

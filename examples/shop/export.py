"""Exports orders for the accounting team."""

import subprocess
from pathlib import Path


def archive(folder: str, customer_name: str) -> None:
    # The customer name ends up in a shell command line.
    subprocess.run(f"tar czf exports/{customer_name}.tgz {folder}", shell=True, check=True)


def archive_safely(folder: Path, customer_id: int) -> None:
    subprocess.run(["tar", "czf", f"exports/{customer_id}.tgz", str(folder)], check=True)


def disk_usage() -> str:
    # A fixed command: no user input reaches the shell.
    return subprocess.run("du -sh exports", shell=True, capture_output=True, text=True).stdout

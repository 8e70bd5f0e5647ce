from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from integrity_lint.catalog import Catalog, load_catalog
from integrity_lint.config import Config, RunOptions, Settings, parse_config
from integrity_lint.resources import tomllib


@pytest.fixture(autouse=True, scope="session")
def user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user's cache folder (signing key, kept compiles) of this session, not the real one;
    the commands the tests run inherit it."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


def make_settings(
    catalog: Catalog,
    config: str = "",
    select: tuple[str, ...] | None = None,
    extend_select: tuple[str, ...] = (),
    root: Path | None = None,
) -> Settings:
    """Settings from a TOML snippet (top-level keys), as a project would write them."""
    data = tomllib.loads(config)
    parsed: Config = parse_config(data, catalog, root=root or Path("."))
    return Settings(parsed, catalog, RunOptions(select=select, extend_select=extend_select))


def run_cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``integrity-lint ARGS`` in a real process, as users run it."""
    return subprocess.run(
        [sys.executable, "-m", "integrity_lint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )

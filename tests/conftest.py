from __future__ import annotations

from pathlib import Path

import pytest

from integrity_lint.catalog import Catalog, load_catalog
from integrity_lint.config import Config, RunOptions, Settings, parse_config
from integrity_lint.resources import tomllib


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

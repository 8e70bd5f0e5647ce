"""The shipped data files: parsed as tomllib parses them, the parse kept across runs in a
store that is only read when this user's key signed it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from integrity_lint import resources
from integrity_lint.resources import load_data, rules_dir, tomllib

DATA_FILES = sorted(file.name for file in rules_dir().glob("*.toml"))


@pytest.fixture(autouse=True)
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user cache folder, and no parse remembered by this process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    forget()
    yield tmp_path / "integrity-lint" / "data"
    forget()


def forget() -> None:
    load_data.cache_clear()
    resources._kept_data.cache_clear()


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts tomllib parses from now on."""
    texts: list[str] = []
    real = tomllib.loads

    def counted(text: str) -> dict[str, object]:
        texts.append(text)
        return real(text)

    monkeypatch.setattr(resources.tomllib, "loads", counted)
    return texts


@pytest.mark.parametrize("name", DATA_FILES)
def test_a_data_file_is_what_tomllib_reads_first_and_later(name):
    expected = tomllib.loads((rules_dir() / name).read_text(encoding="utf-8"))
    assert load_data(name) == expected
    forget()  # as in the next run
    assert load_data(name) == expected


def test_a_later_run_does_not_parse_again(monkeypatch):
    load_data("pillars.toml")
    forget()
    texts = parses(monkeypatch)
    assert load_data("pillars.toml")["pillar"]
    assert texts == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"",
    ],
    ids=["a bit of the body", "cut short", "empty"],
)
def test_a_damaged_store_is_not_read(fresh, monkeypatch, damage):
    load_data("pillars.toml")
    [store] = fresh.iterdir()
    store.write_bytes(damage(store.read_bytes()))
    forget()
    texts = parses(monkeypatch)
    assert load_data("pillars.toml")["pillar"]
    assert len(texts) == 1


def test_a_store_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert load_data("pillars.toml")["pillar"]

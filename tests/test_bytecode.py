"""The kept compiles: the same functions as ``exec`` makes, compiled once, from a store that
is only read when this user's key signed it."""

from __future__ import annotations

import dataclasses
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from integrity_lint import bytecode
from integrity_lint.bytecode import compiled, kept_compiles


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache" / "integrity-lint" / "code"


def make_point() -> type:
    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        y: int = 2
        tags: list[str] = dataclasses.field(default_factory=list)

    return Point


def counting_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    sources: list[str] = []
    real = bytecode._compile

    def counted(source: str):
        sources.append(source)
        return real(source)

    monkeypatch.setattr(bytecode, "_compile", counted)
    return sources


def test_a_dataclass_made_in_a_block_is_the_dataclass_exec_makes(user_cache):
    plain = make_point()
    with kept_compiles("test"):
        kept = make_point()
    for name in ("__init__", "__repr__", "__eq__", "__setattr__", "__delattr__"):
        assert getattr(kept, name).__code__ == getattr(plain, name).__code__, name
    point = kept(1)
    assert (point.x, point.y, point.tags, repr(point)) == (1, 2, [], repr(plain(1)))
    assert point == kept(1, 2, []) and point != kept(1, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 5  # type: ignore[misc]
    assert list(user_cache.glob("test-*.bin"))


def test_a_second_block_compiles_nothing_it_has_kept(monkeypatch):
    sources = counting_compiles(monkeypatch)
    with kept_compiles("test"):
        make_point()
    assert sources  # the methods dataclasses generates
    sources.clear()
    with kept_compiles("test"):
        point = make_point()(3, 4)
    assert sources == []
    assert (point.x, point.y) == (3, 4)


def test_the_store_keeps_only_what_the_last_block_used(monkeypatch):
    with kept_compiles("test"):
        compiled("a = 1")
    with kept_compiles("test"):
        compiled("b = 2")
    sources = counting_compiles(monkeypatch)
    with kept_compiles("test"):
        compiled("a = 1")
        compiled("b = 2")
    assert sources == ["a = 1"]


def test_compiled_code_runs_as_exec_would():
    namespace: dict[str, object] = {}
    with kept_compiles("test"):
        exec(compiled("def f(x):\n    return x * 2\n"), namespace)
    assert namespace["f"](21) == 42  # type: ignore[operator]
    # No future flags of the caller's: annotations are evaluated, as exec's are.
    assert compiled("def g(x: int): pass\n") == compile(
        "def g(x: int): pass\n", "<string>", "exec", dont_inherit=True
    )


def test_dataclasses_exec_and_the_collector_are_put_back_after_the_block_even_when_it_fails():
    with pytest.raises(RuntimeError), kept_compiles("test"):
        assert "exec" in vars(dataclasses)
        assert not gc.isenabled()
        raise RuntimeError
    assert "exec" not in vars(dataclasses)
    assert gc.isenabled()
    assert make_point()(1).y == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # one bit of the body
        lambda raw: b"x" + raw[1:],  # another header
        lambda raw: b"",
    ],
)
def test_a_damaged_store_is_not_read_and_is_written_anew(user_cache, monkeypatch, damage):
    with kept_compiles("test"):
        compiled("a = 1")
    [store] = user_cache.glob("test-*.bin")
    store.write_bytes(damage(store.read_bytes()))
    sources = counting_compiles(monkeypatch)
    with kept_compiles("test"):
        compiled("a = 1")
    assert sources == ["a = 1"]
    sources.clear()
    with kept_compiles("test"):
        compiled("a = 1")
    assert sources == []


def test_a_store_signed_with_another_key_is_not_read(user_cache, monkeypatch):
    with kept_compiles("test"):
        compiled("a = 1")
    monkeypatch.setattr(bytecode, "read_signed", lambda path, header: None)
    sources = counting_compiles(monkeypatch)
    with kept_compiles("test"):
        compiled("a = 1")
    assert sources == ["a = 1"]


def test_a_store_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    with kept_compiles("test"):
        point = make_point()(1)
    assert point.y == 2


def test_outside_a_block_source_is_compiled_every_time(monkeypatch):
    sources = counting_compiles(monkeypatch)
    compiled("a = 1")
    compiled("a = 1")
    assert sources == ["a = 1", "a = 1"]


def test_the_command_keeps_its_compiles(tmp_path, user_cache):
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text("import pickle\n\ndef load(b):\n    return pickle.loads(b)\n")
    env_home = {"XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    command = [sys.executable, "-m", "integrity_lint", "check", "--no-cache", "."]
    env = {**os.environ, **env_home}
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert "SEC306" in done.stdout, done.stderr
    blocks = {p.name.split(f"-{sys.implementation.cache_tag}")[0] for p in user_cache.iterdir()}
    assert blocks == {"cli", "check", "file-pass"}

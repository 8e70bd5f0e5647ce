"""SUS202 busy-polling: spinning, tiny sleeps and fast HTTP polls; work loops stay silent."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str) -> list[str]:
    return [f.message for f in findings_of(catalog, "SUS202", source)]


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("while not ready:\n    continue", "spins"),
        ("while flag: ...", "spins"),
        ("from time import sleep as nap\nwhile not done():\n    nap(0.001)", "1000 times"),
        ("import time\nwhile x.pending:\n    time.sleep(0)", "only yields"),
        (
            "import asyncio\nasync def f(s):\n    while not s.ok:\n"
            "        await asyncio.sleep(.01)",
            "100 times",
        ),
        (
            "import time, httpx\nwhile True:\n    if httpx.get(u).json()['ok']:\n        break\n"
            "    time.sleep(0.5)",
            "polls `httpx.get` every 0.5 s",
        ),
    ],
)
def test_loops_that_poll_too_often(catalog, source, says):
    messages = flagged(catalog, source)
    assert len(messages) == 1 and says in messages[0]


@pytest.mark.parametrize(
    "source",
    [
        "while stream.read(4096):\n    pass",
        "import time\nwhile not done():\n    time.sleep(1)",
        "import time\nwhile not done():\n    time.sleep(delay)",
        "import time\nwhile True:\n    process(queue.get())\n    time.sleep(0)",
        "import time, requests\nwhile url:\n    url = requests.get(url).json()['next']",
        "import time, requests\nwhile True:\n    requests.get(u)\n    time.sleep(30)",
        "def sleep(s): ...\nwhile not done():\n    sleep(0)",
    ],
)
def test_loops_that_wait_or_work(catalog, source):
    assert flagged(catalog, source) == []

"""SUS203 unbounded-retries: retry libraries by qualified name, and hand-written loops."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str) -> list[int]:
    return [f.line for f in findings_of(catalog, "SUS203", source)]


@pytest.mark.parametrize(
    "source",
    [
        "import tenacity\n@tenacity.retry\ndef f(): ...",
        "from tenacity import retry as again\n@again()\ndef f(): ...",
        "import tenacity\nfor attempt in tenacity.Retrying(wait=w): ...",
        "from tenacity import retry, stop_never\n@retry(stop=stop_never)\ndef f(): ...",
        "import backoff\n@backoff.on_predicate(backoff.constant, max_time=None)\ndef f(): ...",
        "from retrying import retry\n@retry(wait_fixed=2000)\ndef f(): ...",
        "from requests.adapters import Retry\nr = Retry(None)",
        "while 1:\n    try:\n        send()\n        break\n    except OSError:\n        continue",
        "while True:\n    try:\n        r = poll()\n    except OSError:\n        pass\n"
        "    else:\n        break",
        # A `break` of an inner loop does not leave the retry loop.
        "while True:\n    try:\n        return send()\n    except OSError:\n"
        "        for _ in range(3):\n            break",
    ],
)
def test_retries_that_never_stop(catalog, source):
    assert len(flagged(catalog, source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "from tenacity import retry, stop_after_attempt\n@retry(stop=stop_after_attempt(3))\n"
        "def f(): ...",
        "import backoff\n@backoff.on_exception(backoff.expo, E, max_tries=3)\ndef f(): ...",
        "from retrying import retry\n@retry(stop_max_attempt_number=3)\ndef f(): ...",
        "from urllib3 import Retry\nr = Retry(total=None, connect=3, read=2)",
        "from urllib3 import Retry\nr = Retry(total=5)",
        "def retry(f): return f\n@retry\ndef g(): ...",  # the project's own decorator
        "while True:\n    try:\n        handle(get())\n    except Exception:\n        log()",
        "while True:\n    try:\n        return send()\n    except OSError:\n        raise",
        "n = 0\nwhile True:\n    n += 1\n    if n > 3:\n        break\n    try:\n"
        "        return send()\n    except OSError:\n        pass",
    ],
)
def test_bounded_retries_and_other_loops(catalog, source):
    assert flagged(catalog, source) == []

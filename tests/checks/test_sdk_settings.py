"""PRV201, SUS201, SUS602: SDK settings from rules/sdk-settings.toml, resolved through imports."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.sdk_settings import CODES, SdkSettings, _parse, load_settings
from integrity_lint.engine import lint_source
from integrity_lint.resources import load_data
from tests.checks.support import findings_of
from tests.conftest import make_settings


def flagged(catalog: Catalog, source: str, code: str) -> list[tuple[int, str]]:
    """``(line, message)`` of every finding of ``code``."""
    return [(f.line, f.message) for f in findings_of(catalog, code, source)]


# --- PRV201 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("import sentry_sdk\nsentry_sdk.init(dsn, send_default_pii=True)", "send_default_pii"),
        ("from sentry_sdk import init as start\nstart(send_default_pii=True)", "sentry_sdk.init"),
        ("import sentry_sdk as s\ns.Client(dsn, send_default_pii=True)", "sentry_sdk.Client"),
        (
            "import sentry_sdk\nsentry_sdk.init(max_request_body_size='always')",
            "max_request_body_size='always'",
        ),
        (
            "import sentry_sdk\nsentry_sdk.init(data_collection={'user_info': True})",
            '"user_info": True',
        ),
        (
            "import sentry_sdk\nsentry_sdk.init(data_collection={'http_bodies': []})",
            'without "user_info"',
        ),
        (
            "from sentry_sdk.scrubber import EventScrubber\nEventScrubber(None, False, True)",
            "EventScrubber(..., True)",
        ),
        ("import posthog\nposthog.disable_geoip = False", "posthog.disable_geoip = False"),
        ("from posthog import Posthog\nPosthog(key, disable_geoip=False)", "posthog.Posthog"),
        ("from posthog import AsyncPosthog\nAsyncPosthog(key, disable_geoip=False)", "Async"),
        ("import posthog\nposthog.capture('e', disable_geoip=False)", "posthog.capture"),
        ("client.get_feature_flag('f', 'u', disable_geoip=False)", "client.get_feature_flag"),
        (
            "import posthog\nposthog.capture_exception_code_variables = True",
            "capture_exception_code_variables",
        ),
        (
            "from posthog import Posthog\n"
            "class A:\n"
            "    def __init__(self):\n"
            "        self.ph = Posthog(key)\n"
            "        self.ph.disable_geoip = False",
            "self.ph.disable_geoip = False",
        ),
        ("from glean import Glean\nGlean.initialize('a', '1', True)", "Glean.initialize"),
        (
            "from glean import Glean\nGlean.initialize(application_id='a', "
            "application_version='1', upload_enabled=True)",
            "upload_enabled=True",
        ),
    ],
)
def test_prv201_flags_widening_settings(catalog: Catalog, source: str, shown: str) -> None:
    found = flagged(catalog, source, "PRV201")
    assert len(found) == 1, found
    assert shown in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=False)",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=settings.SEND_PII)",
        "import sentry_sdk\nsentry_sdk.init(send_default_pii=1)",
        "import sentry_sdk\nsentry_sdk.init(max_request_body_size='medium')",
        # Sentry's own default: the keyword changes nothing (documented decision).
        "import sentry_sdk\nsentry_sdk.init(include_local_variables=True)",
        "import sentry_sdk\nsentry_sdk.init(data_collection={'user_info': False})",
        "import sentry_sdk\nsentry_sdk.init(data_collection={**BASE, 'http_bodies': []})",
        "import sentry_sdk\nsentry_sdk.init(data_collection=DATA_COLLECTION)",
        # Without data_collection, user_info follows send_default_pii (off).
        "import sentry_sdk\nsentry_sdk.init(dsn)",
        # Not the SDK: an unimported name, a local function, a method of something else.
        "init(send_default_pii=True)",
        "def init(**kw): pass\ninit(send_default_pii=True)",
        "posthog.disable_geoip = False",
        "import posthog\nposthog.disable_geoip = True",
        "from posthog import Posthog\nPosthog(key, disable_geoip=True)",
        "from posthog import Posthog\nPosthog(key, disable_geoip=flags.geoip_off)",
        "import posthog\nposthog.capture('e', disable_geoip=None)",
        # A client attribute only counts on a client the file built.
        "client.disable_geoip = False",
        "from posthog import Posthog\nph = Posthog(key)\nph = other()\nph.disable_geoip = False",
        "from glean import Glean\nGlean.initialize('a', '1', prefs.upload)",
        "from glean import Glean\nGlean.set_upload_enabled(True)",
    ],
)
def test_prv201_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source, "PRV201") == []


def test_prv201_reports_the_keyword_line_of_a_multiline_call(catalog: Catalog) -> None:
    source = """
    import sentry_sdk

    sentry_sdk.init(
        dsn=DSN,
        send_default_pii=True,
        max_request_body_size="always",
    )
    """
    assert [line for line, _ in flagged(catalog, source, "PRV201")] == [6, 7]


# --- SUS201 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("import sentry_sdk\nsentry_sdk.init(traces_sample_rate=1.0)", "traces_sample_rate=1.0"),
        ("import sentry_sdk\nsentry_sdk.init(traces_sample_rate=1)", "traces_sample_rate=1"),
        ("from sentry_sdk import init\ninit(profiles_sample_rate=1.0)", "profiles_sample_rate"),
        ("import sentry_sdk\nsentry_sdk.init(profile_session_sample_rate=1)", "profile_session"),
        ("import sentry_sdk\nsentry_sdk.init(enable_tracing=True)", "enable_tracing=True"),
        (
            "from opentelemetry.sdk.trace import TracerProvider\n"
            "from opentelemetry.sdk.trace.sampling import ALWAYS_ON\n"
            "TracerProvider(sampler=ALWAYS_ON)",
            "TracerProvider(sampler=ALWAYS_ON)",
        ),
        (
            "from opentelemetry.sdk.trace import TracerProvider, sampling\n"
            "TracerProvider(sampling.DEFAULT_ON)",
            "sampling.DEFAULT_ON",
        ),
        (
            "from opentelemetry.sdk.trace import sampling as s\ns.ParentBased(s.ALWAYS_ON)",
            "ParentBased(s.ALWAYS_ON)",
        ),
        (
            "from opentelemetry.sdk.trace.sampling import TraceIdRatioBased\n"
            "TraceIdRatioBased(rate=1)",
            "TraceIdRatioBased(rate=1)",
        ),
        (
            "from opentelemetry.sdk.trace.sampling import ParentBasedTraceIdRatio\n"
            "ParentBasedTraceIdRatio(1.0)",
            "ParentBasedTraceIdRatio(1.0)",
        ),
        ("import os\nos.environ['OTEL_TRACES_SAMPLER'] = 'always_on'", "OTEL_TRACES_SAMPLER"),
        (
            "import os\nos.environ.setdefault('OTEL_TRACES_SAMPLER', 'ParentBased_Always_On')",
            "ParentBased_Always_On",
        ),
        ("from os import environ\nenviron['OTEL_TRACES_SAMPLER_ARG'] = '1.0'", "_ARG"),
        ("import os\nos.putenv('OTEL_TRACES_SAMPLER_ARG', '1')", "OTEL_TRACES_SAMPLER_ARG"),
        ("import os\nos.environ.update({'OTEL_TRACES_SAMPLER': 'always_on'})", "always_on"),
        ("import os\nos.environ.update(OTEL_TRACES_SAMPLER='always_on')", "always_on"),
    ],
)
def test_sus201_flags_full_sampling(catalog: Catalog, source: str, shown: str) -> None:
    found = flagged(catalog, source, "SUS201")
    assert len(found) == 1, found
    assert shown in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "import sentry_sdk\nsentry_sdk.init(traces_sample_rate=0.1)",
        "import sentry_sdk\nsentry_sdk.init(traces_sample_rate=0.999)",
        "import sentry_sdk\nsentry_sdk.init(traces_sample_rate=settings.TRACES_RATE)",
        "import sentry_sdk\nsentry_sdk.init(traces_sample_rate=float(os.environ['RATE']))",
        "import sentry_sdk\nsentry_sdk.init(traces_sample_rate=True)",
        "import sentry_sdk\nsentry_sdk.init(traces_sample_rate='1.0')",
        "import sentry_sdk\nsentry_sdk.init(traces_sample_rate=1.0, traces_sampler=by_route)",
        "import sentry_sdk\nsentry_sdk.init(traces_sample_rate=1.0, **options)",
        "import sentry_sdk\nsentry_sdk.init(enable_tracing=True, traces_sample_rate=0.2)",
        "import sentry_sdk\nsentry_sdk.init(sample_rate=1.0)",
        "from opentelemetry.sdk.trace import TracerProvider\nTracerProvider()",
        "from opentelemetry.sdk.trace import TracerProvider\nTracerProvider(sampler=sampler)",
        "from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased, TraceIdRatioBased\n"
        "ParentBased(TraceIdRatioBased(0.1), remote_parent_sampled=ALWAYS_ON)",
        "from opentelemetry.sdk.trace.sampling import ALWAYS_ON\nSAMPLERS = [ALWAYS_ON]",
        "TraceIdRatioBased(1.0)",
        "import os\nos.environ['OTEL_TRACES_SAMPLER'] = 'traceidratio'",
        "import os\nos.environ['OTEL_TRACES_SAMPLER_ARG'] = '0.05'",
        "import os\nos.environ['OTEL_TRACES_SAMPLER_ARG'] = 'one'",
        "import os\nvalue = os.environ['OTEL_TRACES_SAMPLER']",
        "environ = {}\nenviron['OTEL_TRACES_SAMPLER'] = 'always_on'",
    ],
)
def test_sus201_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source, "SUS201") == []


# --- SUS602 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("from segment.analytics import Client\nClient(key, sync_mode=True)", "segment"),
        ("import analytics\nanalytics.Client(key, sync_mode=True)", "analytics.Client"),
        (
            "from rudderstack.analytics import Client as R\nR(key, sync_mode=True)",
            "rudderstack.analytics.Client",
        ),
        ("import segment.analytics as analytics\nanalytics.sync_mode = True", "segment.analytics"),
        ("import analytics\nanalytics.sync_mode = True", "analytics.sync_mode = True"),
        (
            "import rudderstack.analytics as rudder_analytics\nrudder_analytics.sync_mode = True",
            "rudderstack.analytics.sync_mode",
        ),
        ("import posthog\nposthog.sync_mode = True", "posthog.sync_mode"),
        ("from posthog import Posthog\nPosthog(key, sync_mode=True)", "posthog.Posthog"),
        ("from posthog import Posthog\nph = Posthog(key)\nph.sync_mode = True", "ph.sync_mode"),
        (
            "from segment.analytics import Client\nc: Client = Client(key)\nc.sync_mode = True",
            "c.sync_mode",
        ),
        ("from mixpanel import Mixpanel\nMixpanel(token)", "without `consumer=`"),
        ("import mixpanel\nmixpanel.Mixpanel(token, mixpanel.Consumer())", "Consumer()"),
        (
            "from mixpanel import Mixpanel, Consumer\n"
            "Mixpanel(token, consumer=Consumer(api_host=h))",
            "consumer=Consumer(",
        ),
    ],
)
def test_sus602_flags_synchronous_clients(catalog: Catalog, source: str, shown: str) -> None:
    found = flagged(catalog, source, "SUS602")
    assert len(found) == 1, found
    assert shown in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "from segment.analytics import Client\nClient(key, sync_mode=False)",
        "from segment.analytics import Client\nClient(key, sync_mode=settings.SYNC)",
        "import posthog\nposthog.sync_mode = False",
        "import posthog\nposthog.sync_mode = os.environ.get('SYNC') == '1'",
        # AsyncPosthog has no sync_mode; a sync_mode of another object means something else.
        "sync_mode = True",
        "job.sync_mode = True",
        "analytics.sync_mode = True",
        "from posthog import Posthog\nph = Posthog(key)\nph.debug = True",
        "from mixpanel import Mixpanel, BufferedConsumer\nMixpanel(token, BufferedConsumer())",
        "from mixpanel import Mixpanel\nMixpanel(token, consumer=QueueConsumer())",
        "from mixpanel import Mixpanel\nMixpanel(token, **options)",
        "from mixpanel import Mixpanel\nMixpanel(*args)",
        "Mixpanel(token)",
    ],
)
def test_sus602_stays_silent(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source, "SUS602") == []


# --- one check, three codes, data-driven -----------------------------------------------------


def test_each_code_is_reported_only_when_selected(catalog: Catalog) -> None:
    source = (
        "import sentry_sdk\n"
        "sentry_sdk.init(send_default_pii=True, traces_sample_rate=1.0)\n"
        "import posthog\n"
        "posthog.sync_mode = True\n"
    )
    settings = make_settings(catalog, select=("SUS201",))
    codes = [f.code for f in lint_source(source, "example.py", settings).findings]
    assert codes == ["SUS201"]
    settings = make_settings(catalog, select=CODES)
    codes = sorted(f.code for f in lint_source(source, "example.py", settings).findings)
    assert codes == ["PRV201", "SUS201", "SUS602"]


def test_data_file_is_loaded_once_and_covers_the_three_rules() -> None:
    index = load_settings()
    assert index is load_settings()
    assert {setting.rule for setting in index.settings} == set(CODES)
    assert len(index.settings) == len(load_data("sdk-settings.toml")["setting"])


def test_prefilter_tokens_come_from_the_data() -> None:
    assert SdkSettings.may_match("Posthog(key, disable_geoip=False)", "")
    assert SdkSettings.may_match("TracerProvider(ALWAYS_ON)", "")
    assert SdkSettings.may_match("Mixpanel(token)", "")
    assert not SdkSettings.may_match("import json\nprint(json.dumps({}))", "")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"rule": "PRV999", "sdk": "x", "message": "m", "env": ["X"], "values": ["1"]}, "rule"),
        ({"rule": "PRV201", "sdk": "x", "message": "m", "call": ["f"], "values": [1]}, "keyword"),
        ({"rule": "PRV201", "sdk": "x", "message": "m", "env": ["X"]}, "what matches"),
        (
            {"rule": "PRV201", "sdk": "x", "message": "m", "env": ["X"], "attribute": ["a.b"]},
            "exactly one",
        ),
        ({"rule": "PRV201", "sdk": "x", "message": "m", "env": ["X"], "valeus": [1]}, "unknown"),
    ],
)
def test_malformed_data_entries_are_refused(entry: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        _parse(entry)

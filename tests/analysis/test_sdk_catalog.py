"""The SDK catalog itself: every SDK of SPEC §4, consistent types, and schema errors."""

from __future__ import annotations

import pytest

from integrity_lint.analysis.sdks import CATALOG_FILE, load_sdk_catalog, parse_sdk_catalog
from integrity_lint.catalog import CatalogError
from integrity_lint.resources import load_data

SPEC_IDS = {
    "segment", "rudderstack", "mixpanel", "posthog", "amplitude", "sentry", "glean",
    "opentelemetry", "datadog", "snowplow", "heap", "keen", "intercom", "google-analytics",
}  # fmt: skip
KINDS = {"track", "identify", "group", "page", "profile", "metric", "span", "context"}


def test_every_sdk_of_the_spec_is_catalogued_with_the_version_read():
    assert set(load_sdk_catalog().sdks) == SPEC_IDS
    for sdk_id, entry in load_data(CATALOG_FILE)["sdk"].items():
        assert entry["packages"], sdk_id
        assert all(p.rsplit(" ", 1)[-1][0].isdigit() for p in entry["packages"]), sdk_id


def test_types_and_kinds_are_consistent():
    catalog = load_sdk_catalog()
    for sdk in catalog.sdks.values():
        methods = [m for methods in sdk.types.values() for m in methods.values()]
        methods += [m.legacy for m in methods if m.legacy is not None]
        referenced = {*sdk.objects.values(), *sdk.factories.values()}
        referenced |= {m.returns for m in methods if m.returns} | {
            r for _, r in sdk.attributes.values()
        }
        assert referenced <= set(sdk.types) | set(sdk.attributes), (sdk.id, referenced)
        assert {m.kind for m in methods if m.kind} <= KINDS, sdk.id
        assert all(isinstance(m.event, tuple) for m in methods if m.payload), sdk.id
        assert {shape.kind for shape in sdk.http} <= KINDS, sdk.id
        assert all(h == h.lower() and "/" not in h for h in sdk.hosts), sdk.id


def test_hosts_match_by_suffix():
    catalog = load_sdk_catalog()
    assert catalog.sdk_of_host("region1.google-analytics.com") == "google-analytics"
    assert catalog.sdk_of_host("acme.dataplane.rudderstack.com") == "rudderstack"
    assert catalog.sdk_of_host("notgoogle-analytics.com") is None
    assert catalog.sdk_of_host("example.org") is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"sdk": {"x": {"hostz": []}}}, "sdk.x: unknown keys ['hostz']"),
        ({"sdk": {"x": {"types": {"t": {"m": {"event": 0}}}}}}, "sdk.x.types.t.m.event"),
        ({"sdk": {"x": {"http": [{"paths": "/"}]}}}, "sdk.x.http[0]: unknown keys"),
        ({"http": {"urls": {"post": "url"}}}, "http.urls.post"),
        ({"sdks": {}}, "unknown tables ['sdks']"),
        ({"sdk": {"x": {"types": {"t": {"m": {"legacy": {}}}}}}}, "sdk.x.types.t.m.legacy"),
    ],
)
def test_schema_errors_name_the_entry(raw, message):
    with pytest.raises(CatalogError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_sdk_catalog(raw)

"""Mozilla Glean ``metrics.yaml`` files (schema ``moz://mozilla.org/schemas/glean/metrics/2-0-0``).

Listing one declares the SDK ``glean``; each ``category.metric`` is an event of that SDK, named
as code reaches it (``metrics.category.metric``), with its ``extra_keys`` as properties.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from integrity_lint.manifest.formats import unsupported
from integrity_lint.manifest.model import EventDecl, Location, Manifest, ManifestError

SCHEMA = "moz://mozilla.org/schemas/glean/metrics/2-0-0"
_SCHEMA_PREFIX = "moz://mozilla.org/schemas/glean/"
_FILE_KEYS = ("$schema", "$tags", "no_lint")  # everything else at the top level is a category
_TYPES = (
    "event", "boolean", "string", "string_list", "counter", "quantity", "timespan",
    "timing_distribution", "custom_distribution", "memory_distribution", "datetime", "uuid",
    "url", "jwe", "labeled_boolean", "labeled_string", "labeled_counter",
    "labeled_custom_distribution", "labeled_memory_distribution", "labeled_timing_distribution",
    "labeled_quantity", "rate", "text", "object", "dual_labeled_counter",
)  # fmt: skip
# Every metric parameter of the 2-0-0 schema (glean_parser 22): the schema allows no others.
_METRIC_KEYS = (
    "type", "description", "lifetime", "send_in_pings", "notification_emails", "bugs",
    "data_reviews", "disabled", "expires", "version", "time_unit", "memory_unit", "labels",
    "dual_labels", "extra_keys", "gecko_datapoint", "range_min", "range_max", "bucket_count",
    "histogram_type", "unit", "no_lint", "data_sensitivity", "telemetry_mirror",
    "denominator_metric", "metadata", "in_session", "structure",
)  # fmt: skip
_STRING_LISTS = (
    "bugs", "data_reviews", "data_sensitivity", "no_lint", "notification_emails", "send_in_pings",
)  # fmt: skip
_MAPPINGS = ("dual_labels", "extra_keys", "metadata", "structure")
_SENSITIVITY_ALIASES = {"web_activity": "stored_content"}  # the 2-0-0 schema's former name
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """The safe loader, keeping ``2026-06-30`` as text as glean_parser does (no dates)."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def load_glean(text: str, path: str) -> Manifest:
    """Load a Glean ``metrics.yaml``; ``path`` is how messages and locations name the file."""
    try:
        loader = _Loader(text)
        try:
            return _Metrics(loader, path).manifest(loader.get_single_node())
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise ManifestError(
            f"{path}:{line}: invalid YAML: character #x{error.character:04x}: {error.reason}"
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        context, started = error.context, error.context_mark
        if context and started and (mark is None or started.line != mark.line):
            context += f" (line {started.line + 1})"
        problem = ", ".join(part for part in (context, error.problem) if part)
        raise ManifestError(f"{where}: invalid YAML: {problem}") from None


class _Metrics:
    """Builds the manifest from the composed YAML nodes, which know their lines."""

    def __init__(self, loader: _Loader, path: str) -> None:
        self.loader = loader
        self.path = path

    def manifest(self, root: Node | None) -> Manifest:
        if not isinstance(root, MappingNode):
            what = "an empty document" if root is None else self.describe(root)
            raise unsupported(self.path, f"not a Glean metrics.yaml ({what}, not a mapping)")
        entries = self.entries(root, "")
        self.check_schema(entries)
        manifest = Manifest(sources=[self.path], sdks={"glean": Location(self.path, 1)})
        for category, key, value in entries:
            if category in _FILE_KEYS:
                continue
            if not isinstance(value, MappingNode):
                raise self.error(
                    key,
                    category,
                    f"a category maps metric names to metrics, got {self.describe(value)}",
                )
            for metric, metric_key, metric_value in self.entries(value, f"{category}."):
                manifest.events.append(
                    self.metric(f"{category}.{metric}", metric_key, metric_value)
                )
        return manifest

    def check_schema(self, entries: list[tuple[str, ScalarNode, Node]]) -> None:
        schema = next(((key, value) for name, key, value in entries if name == "$schema"), None)
        if schema is None:
            raise unsupported(
                self.path, f"not a Glean metrics.yaml (it has no '$schema: {SCHEMA}')"
            )
        key, value = schema
        url = self.construct(value)
        if not isinstance(url, str):
            raise self.error(key, "$schema", f"expected a schema URL, got {self.describe(value)}")
        if not url.startswith(_SCHEMA_PREFIX):
            raise unsupported(self.path, f"$schema {url!r} is not a Glean metrics schema")
        kind, _, version = url[len(_SCHEMA_PREFIX) :].partition("/")
        if kind != "metrics":
            raise unsupported(self.path, f"this is a Glean {kind}.yaml, not a metrics.yaml")
        if url != SCHEMA:
            raise self.error(key, "$schema", f"Glean metrics schema {version!r} is not 2-0-0")

    def metric(self, name: str, key: ScalarNode, node: Node) -> EventDecl:
        if not isinstance(node, MappingNode):
            raise self.error(
                key, name, f"a metric maps its parameters to values, got {self.describe(node)}"
            )
        params: dict[str, tuple[ScalarNode, Node]] = {}
        for param, param_key, value in self.entries(node, f"{name}."):
            if param not in _METRIC_KEYS:
                close = difflib.get_close_matches(param, _METRIC_KEYS, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.error(param_key, f"{name}.{param}", f"unknown metric parameter{hint}")
            params[param] = (param_key, value)
        if "type" not in params:
            raise self.error(key, name, "'type' is required")
        values = {param: self.value(name, param, *found) for param, found in params.items()}
        if values["type"] not in _TYPES:
            close = difflib.get_close_matches(values["type"], _TYPES, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise self.error(params["type"][0], f"{name}.type", f"unknown metric type{hint}")
        sensitivity = values.get("data_sensitivity", ())
        return EventDecl(
            name=name,
            location=Location(self.path, key.start_mark.line + 1),
            sdk="glean",
            kind="metric",
            properties=tuple(values.get("extra_keys", {})),
            purpose=values.get("description"),
            owner=values.get("notification_emails", ()),
            review=values.get("data_reviews", ()),
            sensitivity=tuple(_SENSITIVITY_ALIASES.get(s, s) for s in sensitivity),
            expires=values.get("expires"),
            source="glean",
        )

    def value(self, name: str, param: str, key: ScalarNode, node: Node) -> Any:
        """A parameter's value, checked where the manifest uses it or the schema fixes a shape."""
        where = f"{name}.{param}"
        value = self.construct(node)
        if param in ("type", "description") and not isinstance(value, str):
            raise self.error(key, where, f"expected a string, got {self.describe(node)}")
        if param == "expires":
            if isinstance(value, int) and not isinstance(value, bool):
                return str(value)  # a major version
            if not isinstance(value, str):
                raise self.error(
                    key, where, f"expected a date, 'never', 'expired' or a version, got {value!r}"
                )
        if param in _STRING_LISTS or (param == "labels" and value is not None):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self.error(key, where, f"expected a list of strings, got {value!r}")
            return tuple(value)
        if param in _MAPPINGS and not isinstance(node, MappingNode):
            raise self.error(key, where, f"expected a mapping, got {self.describe(node)}")
        if param == "extra_keys":
            return dict.fromkeys(extra for extra, _, _ in self.entries(node, f"{where}."))
        return value

    def entries(self, node: MappingNode, prefix: str) -> list[tuple[str, ScalarNode, Node]]:
        """A mapping's keys (as written), key nodes and values; merge keys (``<<``) applied."""
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, ScalarNode) and key.tag != _MERGE_TAG:
                if key.value in seen:
                    raise self.error(key, f"{prefix}{key.value}", "duplicate key")
                seen.add(key.value)
        self.loader.flatten_mapping(node)  # merged pairs first, so the mapping's own win below
        found: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                raise self.error(key, prefix.rstrip(".") or "(top level)", "keys must be names")
            found[key.value] = (key, value)
        return [(name, key, value) for name, (key, value) in found.items()]

    def construct(self, node: Node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def describe(self, node: Node) -> str:
        if isinstance(node, MappingNode):
            return "a mapping"
        if isinstance(node, SequenceNode):
            return "a list"
        return repr(self.construct(node))

    def error(self, node: Node, key: str, problem: str) -> ManifestError:
        return ManifestError(f"{self.path}:{node.start_mark.line + 1}: {key}: {problem}")

"""The project pass: joins every file's telemetry facts, then checks code against the manifest.

It resolves what one file cannot: constants imported from other modules, clients created in
one module and used in another, and wrappers (project functions that forward their parameters
into a telemetry call), whose call sites become sites in their own right. Then every site is
checked against the declared data, in both directions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from integrity_lint.analysis.facts import (
    Arg,
    CallFact,
    CheckedField,
    CheckedSite,
    FieldFact,
    FileFacts,
    Site,
    Value,
    Where,
)
from integrity_lint.analysis.sdks import Method, SdkCatalog, pick
from integrity_lint.analysis.vocabulary import Vocabulary, counts, vocabulary
from integrity_lint.config import Wrapper as ConfiguredWrapper
from integrity_lint.manifest import EventDecl, FieldDecl, Manifest
from integrity_lint.manifest.model import SENSITIVITIES

NAMED_KINDS = ("track", "page", "metric", "span")
MAX_EXPIRY_DAYS = 730
WRAPPER_DEPTH = 3
# Personal data that must be declared before it is sent (internal user ids need not be).
THIRD_PARTY_KINDS = frozenset({"direct", "special", "credential", "content", "quasi"})
# Direct identifiers that are what analytics ids are made of on devices.
REGULAR_IDS = frozenset({"device.device_id"})


@dataclass(frozen=True)
class Wrapper:
    """A project function whose call sites are telemetry sites."""

    qualname: str
    site: Site
    event: tuple[int, str] | None
    properties: tuple[int, str] | None
    user: tuple[int, str] | None = None
    params: tuple[str, ...] = ()  # its parameters, in call-site order


@dataclass(frozen=True)
class Issue:
    """A finding of the project pass, before it becomes a report finding."""

    code: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    scope: str
    text: str


@dataclass
class ProjectResult:
    issues: list[Issue] = field(default_factory=list)
    sites: list[CheckedSite] = field(default_factory=list)
    fields: list[CheckedField] = field(default_factory=list)


class ProjectPass:
    def __init__(
        self,
        facts: dict[str, FileFacts],
        catalog: Callable[[], SdkCatalog],
        manifest: Manifest | None,
        project_modules: set[str],
        configured_wrappers: Iterable[ConfiguredWrapper] = (),
        today: dt.date | None = None,
        consent_gated: bool = False,
        personal: Callable[[], Vocabulary] = vocabulary,
    ) -> None:
        """``catalog`` and ``personal`` load the SDK catalog and the vocabulary, which are
        read only when some fact needs them (most files of most projects have none)."""
        self.facts = facts
        self._load_personal = personal
        self._load_catalog = catalog
        self.manifest = manifest
        self.project_roots = {m.split(".")[0] for m in project_modules if m}
        self.modules = {f.module: f for f in facts.values()}
        self.today = today or dt.date.today()
        self.consent_gated = consent_gated  # PRV203: consent guards are configured
        self.wrappers: dict[str, Wrapper] = {}
        for configured in configured_wrappers:
            self.wrappers[configured.call] = _configured(configured)
        self.result = ProjectResult()

    @cached_property
    def personal(self) -> Vocabulary:
        return self._load_personal()

    @cached_property
    def catalog(self) -> SdkCatalog:
        return self._load_catalog()

    # --- resolution ----------------------------------------------------------------------

    def resolve(self, value: Value | None) -> Value | None:
        """Constants imported from other project modules become their string values."""
        if value is None or value.kind != "ref":
            return value
        parts = value.text.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.modules.get(".".join(parts[:cut]))
            if module is not None:
                constant = module.constants.get(".".join(parts[cut:]))
                if constant is not None:
                    return Value("str", constant)
                break
        return Value("dynamic", f"`{value.text}`, which is not a constant of this project")

    def exported_names(self) -> set[tuple[str, str]]:
        """``(module's last name, name)`` for project clients and wrappers other files use
        (instances count when their class has a wrapper method; known after :meth:`all_sites`).

        A file that uses one spells both: the module in its import, the name at the call.
        """
        wrapped = {qualname.rsplit(".", 1)[0] for qualname in self.wrappers}
        names = {
            (module.rsplit(".", 1)[-1], name)
            for module, facts in self.modules.items()
            for name in (
                *facts.clients,
                *(name for name, cls in facts.instances.items() if cls in wrapped),
            )
        }
        for qualname in self.wrappers:
            module, name = self.split(qualname)
            last = name.rsplit(".", 1)[-1]
            names.add((module.rsplit(".", 1)[-1] or last, last))
        return names

    def split(self, qualname: str) -> tuple[str, str]:
        """``(module, name in it)``: ``app.t.Telemetry.send`` → ``("app.t", "Telemetry.send")``
        when ``app.t`` is a module of the project (else the last dot splits)."""
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if module in self.modules:
                return module, ".".join(parts[cut:])
        module, _, name = qualname.rpartition(".")
        return module, name

    def target(self, callee: str) -> str:
        """What a call runs: ``app.t.telemetry.send`` on a module-level instance of
        ``app.t.Telemetry`` runs ``app.t.Telemetry.send``."""
        module, name = self.split(callee)
        owner, _, method = name.partition(".")
        cls = self.modules[module].instances.get(owner) if module in self.modules else None
        return f"{cls}.{method}" if cls is not None and method else callee

    def called_modules(self) -> set[str]:
        """Every module prefix of every recorded call's callee (where a client may live)."""
        modules: set[str] = set()
        for facts in self.facts.values():
            for call in facts.calls:
                parts = call.callee.split(".")
                modules.update(".".join(parts[:cut]) for cut in range(1, len(parts)))
        return modules

    @staticmethod
    def referenced_modules(sites: list[tuple[str, Site]]) -> set[str]:
        """Modules whose constants ``sites`` refer to (every prefix of each reference).

        Only sites count: the arguments of a call that is no telemetry call are no reason to
        read another module.
        """
        modules: set[str] = set()
        for _, site in sites:
            for value in (site.event, site.properties):
                if value is not None and value.kind == "ref":
                    parts = value.text.split(".")
                    modules.update(".".join(parts[:cut]) for cut in range(1, len(parts)))
        return modules

    def shadowed_sdks(self, facts: FileFacts) -> set[str]:
        """SDKs a file only seems to use: its import is a project module of the same name."""
        return {use.sdk for use in facts.uses if use.module.split(".")[0] in self.project_roots}

    def all_sites(self) -> list[tuple[str, Site]]:
        """Sites found in files, through imported clients, and at wrapper call sites."""
        sites: list[tuple[str, Site]] = []
        for path, facts in sorted(self.facts.items()):
            shadowed = self.shadowed_sdks(facts)
            sites.extend((path, s) for s in facts.sites if s.sdk not in shadowed)
            for call in facts.calls:
                site = self._client_site(call)
                if site is not None:
                    sites.append((path, site))
        calls = [(p, c) for p, f in sorted(self.facts.items()) for c in f.calls]
        wrappers = {**self.wrappers, **self._find_wrappers(sites)}
        for _ in range(WRAPPER_DEPTH):
            if not wrappers:
                break
            self.wrappers.update(wrappers)
            found = [
                (path, self._through(wrappers[target], call))
                for path, call in calls
                if (target := self.target(call.callee)) in wrappers
            ]
            sites.extend(found)
            wrappers = self._find_wrappers(found)
        return sites

    def _client_site(self, call: CallFact) -> Site | None:
        """``client.track(...)`` where ``client`` is a module-level client of another module."""
        parts = call.callee.split(".")
        for cut in range(len(parts) - 2, 0, -1):
            module = self.modules.get(".".join(parts[:cut]))
            if module is None:
                continue
            if cut != len(parts) - 2:
                return None
            client = module.clients.get(parts[cut])
            if client is None:
                return None
            method = self.catalog.method(client[0], client[1], parts[-1])
            method = method.select(call.args) if method is not None else None
            if method is None or method.kind is None or method.event == "receiver":
                return None
            return site_from_call(client[0], method, call, call.callee.split(".", cut)[-1])
        return None

    def _find_wrappers(self, sites: list[tuple[str, Site]]) -> dict[str, Wrapper]:
        found: dict[str, Wrapper] = {}
        for _, site in sites:
            if site.function is None or site.function in self.wrappers:
                continue
            module, name = self.split(site.function)
            params = self.modules[module].functions.get(name) if module in self.modules else None
            if params is None:
                continue
            slots = {
                key: _param_slot(value, params)
                for key, value in (
                    ("event", site.event),
                    ("properties", site.properties),
                    ("user", site.user),
                )
            }
            if slots["event"] or slots["properties"]:
                found[site.function] = Wrapper(site.function, site, **slots, params=params)
        return found

    def _through(self, wrapper: Wrapper, call: CallFact) -> Site:
        """The site a wrapper's call site amounts to, with its own arguments."""
        site = wrapper.site
        properties = site.properties
        if wrapper.properties and wrapper.properties[1].startswith("**"):
            properties = _keywords(call.args, wrapper.params)
        elif wrapper.properties:
            properties = pick(wrapper.properties, call.args)
        return replace(
            site,
            callee=call.callee.rsplit(".", 1)[-1],
            where=call.where,
            event=pick(wrapper.event, call.args) if wrapper.event else site.event,
            properties=properties,
            user=pick(wrapper.user, call.args) if wrapper.user else site.user,
            function=call.function,
            in_loop=call.in_loop or site.in_loop,
            via=wrapper.qualname,
            guarded=call.guarded or site.guarded,
        )

    # --- checks --------------------------------------------------------------------------

    def run(self, whole_project: bool) -> ProjectResult:
        sites = self.all_sites()
        used: set[int] = set()
        used_properties: dict[int, set[str]] = defaultdict(set)
        for path, site in sites:
            self._check_site(path, site, used, used_properties)
        for path, facts in sorted(self.facts.items()):
            reported = self.shadowed_sdks(facts)
            for use in facts.uses:  # the first import of each SDK in a file
                if use.sdk not in reported:
                    reported.add(use.sdk)
                    self._check_use(path, use.sdk, use.module, use.where)
        for path, facts in sorted(self.facts.items()):
            for found in facts.fields:
                self._check_field(path, found)
        if self.manifest is not None:
            self._check_manifest(used if whole_project else None, used_properties)
        return self.result

    def _check_field(self, path: str, found: FieldFact) -> None:
        """PRV601: a stored or collected personal-data field must be a manifest [[field]]."""
        declared = self.manifest is not None and any(
            decl.name == found.name and (decl.model is None or decl.model == found.model)
            for decl in self.manifest.fields
        )
        self.result.fields.append(
            CheckedField(path, found, "declared" if declared else "undeclared")
        )
        if declared:
            return
        shown = (
            f"`{found.model.rsplit('.', 1)[-1]}.{found.name}`"
            if found.model
            else (f"request field `{found.name}`")
        )
        where = (
            "there is no data manifest: `integrity-lint init` starts one"
            if (self.manifest is None)
            else "add a [[field]] with its purpose, owner, review, sensitivity and retention"
        )
        self._issue(
            "PRV601", path, found.where,
            f"{shown} holds personal data ({found.category}) that the data manifest does not "
            f"declare: {where}",
        )  # fmt: skip

    def _issue(self, code: str, path: str, where: Where, message: str) -> None:
        self.result.issues.append(
            Issue(
                code=code,
                path=path,
                line=where.line,
                column=where.column,
                end_line=where.end_line,
                end_column=where.end_column,
                message=message,
                scope=where.scope,
                text=where.text,
            )
        )

    def _check_use(self, path: str, sdk: str, module: str, where: Where) -> None:
        name = self.catalog.sdks[sdk].name
        if self.manifest is None:
            self._issue(
                "PRV101", path, where,
                f"{name} (`{module}`) is used, but there is no data manifest; "
                "`integrity-lint init` starts one, then list it in `telemetry.sdks`",
            )  # fmt: skip
        elif sdk not in self.manifest.sdks:
            self._issue(
                "PRV101", path, where,
                f"{name} (`{module}`) is not listed in `telemetry.sdks` of the data manifest",
            )  # fmt: skip

    def _check_site(
        self, path: str, site: Site, used: set[int], used_properties: dict[int, set[str]]
    ) -> None:
        label = f"`{site.callee}`" + (f" (through `{site.via}`)" if site.via else "")
        if site.in_loop:
            self._issue(
                "SUS205", path, site.where,
                f"telemetry call {label} inside a loop: collect the data and send it once",
            )  # fmt: skip
        self._check_user(path, site, label)
        event = self.resolve(site.event)
        if _forwards(site):
            self.result.sites.append(CheckedSite(path, site, "forwarding"))
            return
        if self.consent_gated and not site.guarded:
            self._issue(
                "PRV203", path, site.where,
                f"telemetry call {label} runs without a consent check: call it only where a "
                "configured consent guard (`telemetry.consent-guards`) allows it",
            )  # fmt: skip
        self._check_personal(path, site, label)
        named = site.kind in NAMED_KINDS
        if named and (event is None or event.kind != "str"):
            why = event.text if event is not None and event.text else "it is not given"
            self._issue(
                "PRV103", path, site.where,
                f"the event name of {label} is not statically known ({why}), so it cannot be "
                "checked against the manifest: use a literal or a module-level constant",
            )  # fmt: skip
            self.result.sites.append(CheckedSite(path, site, "unverifiable"))
            return
        shown = event.text if named and event is not None else site.kind
        declarations = self._declarations(site, event.text if named and event else None)
        if not declarations:
            self._undeclared(path, site, label, shown, named)
            self.result.sites.append(CheckedSite(path, site, "undeclared", event=shown))
            return
        for declaration in declarations:
            used.add(id(declaration))
        declaration = declarations[0]
        self.result.sites.append(CheckedSite(path, site, "declared", declaration, shown))
        expiry = _date(declaration.expires)
        if expiry is not None and expiry < self.today:
            self._issue(
                "PRV603", path, site.where,
                f"{label} still sends `{shown}`, which expired on {expiry.isoformat()} "
                f"({declaration.location.path}:{declaration.location.line}): remove the call "
                "or renew the data review",
            )  # fmt: skip
        self._check_properties(path, site, label, shown, declarations, used_properties)

    def _check_user(self, path: str, site: Site, label: str) -> None:
        """PRV304: an email, phone number, name or other direct identifier as the user id.

        A wrapper's own call, which forwards a parameter, is judged at its call sites."""
        user = site.user
        personal = user.personal if user is not None and user.kind != "param" else None
        if personal is None or personal.kind != "direct" or personal.type in REGULAR_IDS:
            return
        self._issue(
            "PRV304", path, site.where,
            f"{label} identifies people to {self._sdk_name(site.sdk)} by their {personal.label} "
            f"(`{personal.shown}`): the analytics id is copied into every event, export and "
            "vendor system, and cannot be rotated; send an internal, opaque id such as "
            "`str(user.id)` and, if needed, the contact detail as a declared trait",
        )  # fmt: skip

    def _check_personal(self, path: str, site: Site, label: str) -> None:
        """PRV303: personal data in the payload that no ``[[field]]`` declares as personal.

        Property keys are judged by name (``"email"``); a personal value under another key
        (``{"who": user.email}``) was judged in its file and is matched to a field by the
        value's last name (``email``) or its vocabulary type (``category``).
        """
        properties = self.resolve(site.properties)
        if properties is None:
            return
        found: list[tuple[str, str, str, str]] = []  # (field name, type id, label, shown)
        for key in properties.keys if properties.kind == "keys" else ():
            data_type = self.personal.classify(key, key=True)
            if data_type is not None and counts(data_type, THIRD_PARTY_KINDS):
                found.append((key, data_type.id, data_type.label, f'"{key}"'))
        personal = (site.properties or properties).personal
        if (
            not found  # the value of a personal key is that key's data
            and personal is not None
            and personal.kind in THIRD_PARTY_KINDS
            and personal.shown not in properties.keys
        ):
            name = re.split(r"[.\[\]'\"()]+", personal.shown.strip("'\"()[]"))[-1] or personal.shown
            found.append((name, personal.type, personal.label, f"`{personal.shown}`"))
        for name, type_id, what, shown in found:
            missing = self._undeclared_field(name, type_id)
            if missing is None:
                continue
            self._issue(
                "PRV303", path, site.where,
                f"{label} sends personal data to {self._sdk_name(site.sdk)}: {shown} "
                f"({what}), which {missing}: declare it as a [[field]] with name = "
                f'"{name}", its sensitivity and a review link',
            )  # fmt: skip

    def _undeclared_field(self, name: str, type_id: str) -> str | None:
        """What the manifest lacks for a personal property, or ``None`` if it declares it."""
        if self.manifest is None:
            return "no data manifest declares"
        names = (name, name.rsplit(".", 1)[-1])  # OpenTelemetry style `user.email`
        fields = [f for f in self.manifest.fields if f.name in names or f.category == type_id]
        if not fields:
            return "the manifest does not declare as personal data"
        if any(f.sensitivity and f.review for f in fields):
            return None
        return "the manifest declares without a sensitivity and review link"

    def _sdk_name(self, sdk: str) -> str:
        return self.catalog.sdks[sdk].name if sdk in self.catalog.sdks else sdk

    def _declarations(self, site: Site, name: str | None) -> list[EventDecl]:
        if self.manifest is None:
            return []
        return [
            event
            for event in self.manifest.events
            if (event.sdk is None or site.sdk == "*" or event.sdk == site.sdk)
            and (event.name == name if name is not None else event.kind == site.kind)
            and event.kind in (None, site.kind)
        ]

    def _undeclared(self, path: str, site: Site, label: str, shown: str, named: bool) -> None:
        if self.manifest is None:
            hint = "there is no data manifest: `integrity-lint init` starts one"
        elif named:
            hint = f'add an [[event]] with name = "{shown}" and sdk = "{site.sdk}"'
        else:
            hint = f'add an [[event]] with kind = "{site.kind}" and sdk = "{site.sdk}"'
        what = f"event `{shown}`" if named else f"{site.kind} call"
        self._issue(
            "PRV102", path, site.where,
            f"{what} sent by {label} ({site.sdk}) is not declared in the data manifest: {hint}",
        )  # fmt: skip

    def _check_properties(
        self,
        path: str,
        site: Site,
        label: str,
        shown: str,
        declarations: list[EventDecl],
        used_properties: dict[int, set[str]],
    ) -> None:
        properties = self.resolve(site.properties)
        if properties is None or properties.kind == "none":
            return
        if properties.kind != "keys":
            why = properties.text or "not a mapping"
            self._issue(
                "PRV606", path, site.where,
                f"the properties of {label} cannot be verified statically ({why})",
            )  # fmt: skip
            return
        allowed = {key for d in declarations for key in d.properties}
        for declaration in declarations:
            used_properties[id(declaration)].update(properties.keys)
        for key in properties.keys:
            if key not in allowed:
                self._issue(
                    "PRV605", path, site.where,
                    f"property `{key}` sent with `{shown}` by {label} is not declared for it "
                    "in the data manifest",
                )  # fmt: skip
        if properties.open:
            self._issue(
                "PRV606", path, site.where,
                f"the properties of {label} cannot all be verified statically "
                "(unpacked or computed keys)",
            )  # fmt: skip

    def _check_manifest(self, used: set[int] | None, used_properties: dict[int, set[str]]) -> None:
        assert self.manifest is not None
        for entry in (*self.manifest.events, *self.manifest.fields):
            problems = incomplete(entry)
            if problems:
                kind = "event" if isinstance(entry, EventDecl) else "field"
                self._issue(
                    "PRV602", entry.location.path, _manifest_where(entry),
                    f"{kind} `{entry.name}` is incomplete: {'; '.join(problems)}",
                )  # fmt: skip
        for event in self.manifest.events:
            expiry = _date(event.expires)
            where = _manifest_where(event)
            if expiry is not None and (expiry - self.today).days > MAX_EXPIRY_DAYS:
                self._issue(
                    "PRV603", event.location.path, where,
                    f"`{event.name}` expires on {expiry.isoformat()}, more than "
                    f"{MAX_EXPIRY_DAYS} days ahead: review data collection at least every two "
                    "years",
                )  # fmt: skip
            if used is None:
                continue
            if id(event) not in used:
                self._issue(
                    "PRV604", event.location.path, where,
                    f"`{event.name}` is declared but no code sends it: remove the declaration "
                    "(and stop collecting it) or fix the code that should send it",
                )  # fmt: skip
            elif event.properties and id(event) in used_properties:
                for key in sorted(set(event.properties) - used_properties[id(event)]):
                    self._issue(
                        "PRV604", event.location.path, where,
                        f"property `{key}` is declared for `{event.name}` but no code sends it",
                    )  # fmt: skip


PLACEHOLDERS = ("TODO", "TBD", "FIXME", "XXX", "...", "?", "CHANGEME")


def _placeholder(value: str) -> bool:
    text = value.strip().upper()
    return not text or any(text.startswith(p) for p in PLACEHOLDERS)


def incomplete(entry: EventDecl | FieldDecl) -> list[str]:
    """What a reviewer still has to fill in: missing keys, placeholders, invalid values.

    A Segment tracking plan has no place for owners, reviews, sensitivity or expiry, so its
    events are not judged by this: the plan is the declaration its team reviews.
    """
    if isinstance(entry, EventDecl) and entry.source == "segment":
        return []
    required = ("purpose", "owner", "review", "sensitivity")
    required += ("expires",) if isinstance(entry, EventDecl) else ("retention",)
    missing, placeholders = [], []
    for key in required:
        value = getattr(entry, key)
        values = value if isinstance(value, tuple) else (value,) if value is not None else ()
        if not values:
            missing.append(key)
        elif any(_placeholder(v) for v in values):
            placeholders.append(key)
    problems = []
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if placeholders:
        problems.append(f"placeholder value in {', '.join(placeholders)}")
    invalid = [s for s in entry.sensitivity if s not in SENSITIVITIES and not _placeholder(s)]
    if invalid:
        problems.append(
            f"sensitivity {', '.join(map(repr, invalid))} is not one of {', '.join(SENSITIVITIES)}"
        )
    expires = entry.expires if isinstance(entry, EventDecl) else None
    if (
        expires
        and not _placeholder(expires)
        and expires not in ("never", "expired")
        and not expires.isdigit()  # a Glean version number
        and _date(expires) is None
    ):
        problems.append(f"expires {expires!r} is not a date (YYYY-MM-DD) or 'never'")
    return problems


def site_from_call(sdk: str, method: Method, call: CallFact, callee: str) -> Site:
    event = pick(method.event, call.args) if isinstance(method.event, tuple) else None
    properties = pick(method.properties, call.args)
    if method.property is not None:
        key = pick(method.property, call.args)
        properties = Value("keys", keys=(key.text,)) if key and key.kind == "str" else key
    return Site(
        sdk=sdk,
        kind=method.kind or "track",
        callee=callee,
        where=call.where,
        event=event,
        properties=properties,
        user=pick(method.user, call.args),
        function=call.function,
        in_loop=call.in_loop,
        guarded=call.guarded,
    )


def _keywords(args: tuple[Arg, ...], params: tuple[str, ...]) -> Value:
    """The keys a call passes into a ``**kwargs`` parameter: keywords no other parameter
    takes; a ``**mapping`` at the call site may add more."""
    keys = tuple(a.keyword for a in args if a.keyword is not None and a.keyword not in params)
    return Value("keys", keys=keys, open=any(a.star == "**" for a in args))


def _param_slot(value: Value | None, params: tuple[str, ...]) -> tuple[int, str] | None:
    if value is None or value.kind != "param" or value.text not in params:
        return None
    return (params.index(value.text), value.text)


def _forwards(site: Site) -> bool:
    """The call inside a wrapper: its event or properties come from the wrapper's caller."""
    return any(v is not None and v.kind == "param" for v in (site.event, site.properties))


def _configured(wrapper: ConfiguredWrapper) -> Wrapper:
    def slot(value: int | str | None) -> tuple[int, str] | None:
        if value is None:
            return None
        return (value, "") if isinstance(value, int) else (-1, value)

    placeholder = Site(
        sdk="*",
        kind="track",
        callee=wrapper.call,
        where=None,  # type: ignore[arg-type]  # replaced at every call site
    )
    return Wrapper(
        wrapper.call,
        placeholder,
        slot(wrapper.event),
        slot(wrapper.properties),
        slot(wrapper.user),
    )


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    if text == "expired":
        return dt.date.min
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _manifest_where(entry: EventDecl | FieldDecl) -> Where:
    """Manifest findings point at the entry's first line; its identity is its fingerprint."""
    line = entry.location.line
    return Where(line, 1, line, 1, "manifest", f"{type(entry).__name__}:{entry.name}")

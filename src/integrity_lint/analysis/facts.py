"""Per-file facts about telemetry: plain, serialisable data the project pass works from.

The per-file pass records what a file defines and does (sites, calls that only the project
can resolve, SDK imports, constants, module-level clients); the project pass joins the facts
of all files, so cross-file results need no re-parse (and the cache can keep the facts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from integrity_lint.manifest.model import EventDecl


@dataclass(frozen=True)
class PersonalRef:
    """Personal data an argument carries, as the classifier judged it in its file."""

    type: str  # vocabulary type id: "contact.email"
    kind: str  # direct | special | credential | content | quasi | pseudonymous
    label: str  # "email address"
    shown: str  # the part of the argument that carries it: "user.email"


@dataclass(frozen=True)
class Value:
    """What static evaluation knows about an expression.

    ``kind`` is ``str`` (``text`` is the value), ``ref`` (``text`` names a constant of another
    module), ``param`` (``text`` is a parameter of the enclosing function, ``index`` its
    position), ``keys`` (a mapping with literal ``keys``; ``open`` when more may be added),
    ``none``, ``sdk`` (an SDK value, ``text`` is ``sdk:type``), or ``dynamic`` (``text`` says
    why it is not known). ``personal`` says what personal data a call argument carries.
    """

    kind: str
    text: str = ""
    keys: tuple[str, ...] = ()
    open: bool = False
    index: int = -1
    personal: PersonalRef | None = None  # set on call arguments that carry personal data


@dataclass(frozen=True)
class Arg:
    position: int | None  # None for a keyword argument
    keyword: str | None
    value: Value
    star: str = ""  # "*" or "**" for unpacked arguments


@dataclass(frozen=True)
class Where:
    """A place in a file, with what its fingerprint needs."""

    line: int
    column: int
    end_line: int
    end_column: int
    scope: str
    text: str


@dataclass(frozen=True)
class Site:
    """A call that sends telemetry, with what is statically known about it."""

    sdk: str
    kind: str
    callee: str  # as written, for messages: "analytics.track"
    where: Where
    event: Value | None = None
    properties: Value | None = None
    user: Value | None = None
    function: str | None = None  # qualified name of the enclosing function
    in_loop: bool = False
    via: str | None = None  # the wrapper a call site went through
    guarded: bool = False  # runs only when a configured consent guard allows it


@dataclass(frozen=True)
class CheckedSite:
    """A site after the project pass: where it is and whether the manifest declares it."""

    path: str
    site: Site
    status: str  # declared | undeclared | unverifiable | forwarding
    declaration: EventDecl | None = None
    event: str | None = None


@dataclass(frozen=True)
class CallFact:
    """A call the project pass may recognise: a method of an imported client, or a wrapper."""

    callee: str  # qualified name through imports ("app.telemetry.client.track")
    args: tuple[Arg, ...]
    where: Where
    function: str | None = None
    in_loop: bool = False
    guarded: bool = False


@dataclass(frozen=True)
class FieldFact:
    """A field that stores or collects personal data: a schema class's field, or a key read
    from a request."""

    name: str
    model: str | None  # the schema class ("accounts.models.User"); None for request data
    category: str  # the vocabulary type ("contact.email")
    sensitivity: str
    source: str  # django-model, pydantic, ..., or "request"
    where: Where


@dataclass(frozen=True)
class CheckedField:
    """A field after the project pass: whether the manifest declares it."""

    path: str
    field: FieldFact
    status: str  # declared | undeclared


@dataclass(frozen=True)
class SdkUse:
    sdk: str
    module: str
    where: Where


@dataclass
class FileFacts:
    path: str
    module: str
    constants: dict[str, str] = field(default_factory=dict)
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)
    # name -> parameters, of module-level functions and of methods ("Class.method", no self)
    functions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # module-level instances of project classes: name -> the class's qualified name
    instances: dict[str, str] = field(default_factory=dict)
    fields: list[FieldFact] = field(default_factory=list)  # personal data stored or collected
    sites: list[Site] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    uses: list[SdkUse] = field(default_factory=list)
    # False where only PRV601's fields were collected: calls into the project are not known
    calls_known: bool = True


def module_name(path: str) -> str:
    """The dotted module name of a project file (``src/app/x.py`` → ``app.x``)."""
    parts = path.removesuffix(".pyi").removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if parts and parts[0] in ("src", "lib") and len(parts) > 1:
        parts = parts[1:]
    return ".".join(p for p in parts if p not in ("", ".", ".."))

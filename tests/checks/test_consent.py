"""PRV202 opt-out-consent-default: where defaults are declared, and what names mean."""

from __future__ import annotations

import pytest

from integrity_lint.catalog import Catalog
from integrity_lint.checks.consent import consent_switch
from tests.checks.support import findings_of


def flagged(catalog: Catalog, source: str) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in findings_of(catalog, "PRV202", source)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("marketing_opt_in", ("marketing", True)),
        ("analyticsOptOut", ("analytics", False)),
        ("SEND_USAGE_STATS", ("usage stat", True)),
        ("disable_tracking", ("tracking", False)),
        ("do_not_track", None),
        ("no-telemetry", ("telemetry", False)),
        ("personalised_ads", ("personalised ad", True)),
        ("send_crash_reports", ("crash report", True)),
        ("accepts_marketing_emails", ("marketing", True)),
        ("tracking_number", None),
        ("consent_required", None),
        ("show_consent_banner", None),
        ("consent_version", None),
        ("email_verified", None),
        ("debug", None),
    ],
)
def test_consent_switch(name: str, expected: tuple[str, bool] | None) -> None:
    assert consent_switch(name) == expected


@pytest.mark.parametrize(
    "source",
    [
        "ANALYTICS_ENABLED = True",
        "TELEMETRY_DISABLED = False",
        # In capitals, with no other word of the check in the file (the prefilter once
        # looked for these words in lower case only).
        "PROFILING_ENABLED = True",
        "SPECIAL_OFFERS = True",
        "MAILING_LIST = True",
        "class P(models.Model):\n    newsletter = models.BooleanField(default=True)",
        "class P(Base):\n    marketing = Column(Boolean, default=True, nullable=False)",
        "class P(Base):\n    marketing: Mapped[bool] = mapped_column(insert_default=True)",
        "class S(Schema):\n    tracking = fields.Boolean(load_default=True)",
        "class F(FlaskForm):\n    newsletter = BooleanField('News', default=True)",
        "from pydantic import Field\nclass P(BaseModel):\n    analytics: bool = Field(True)",
        "@dataclass\nclass Settings:\n    telemetry: bool = True",
        "class C:\n    def __init__(self):\n        self.send_usage_data = True",
        "def f(*, profiling=True):\n    pass",
        "parser.add_argument('--analytics', action='store_true', default=True)",
        "parser.add_argument('--no-analytics', action='store_true')",
        "import click\n@click.option('--telemetry/--no-telemetry', default=True)\ndef f(): pass",
        "import click\n@click.option('--no-telemetry', is_flag=True)\ndef f(): pass",
        "import typer\ndef f(telemetry: bool = typer.Option(True)):\n    pass",
    ],
)
def test_flags_defaults_that_collect(catalog: Catalog, source: str) -> None:
    assert len(flagged(catalog, source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "ANALYTICS_ENABLED = False",
        "DO_NOT_TRACK = True",
        "TELEMETRY_DISABLED = True",
        "ANALYTICS_ENABLED = env.bool('ANALYTICS', default=False)",
        "ANALYTICS_ENABLED = os.environ.get('ANALYTICS') == '1'",
        "class P(models.Model):\n    newsletter = models.BooleanField(default=False)",
        "class P(models.Model):\n    newsletter = models.BooleanField()",
        "class P(models.Model):\n    consent_required = models.BooleanField(default=True)",
        "class P(models.Model):\n    tracking_number = models.CharField(default='')",
        "class Shipment(models.Model):\n    tracking_enabled = models.BooleanField(default=True)",
        "def f():\n    tracking = True",
        "def f(marketing_consent=None):\n    pass",
        "def f(receipt=True):\n    pass",
        "class C:\n    def setup(self):\n        self.telemetry = True",
        "parser.add_argument('--telemetry', action='store_true')",
        "parser.add_argument('--no-analytics', action='store_false', dest='analytics_off')",
        "import click\n@click.option('--telemetry', is_flag=True)\ndef f(): pass",
        "track(event, consent=True)",
        "sentry_sdk.init(send_default_pii=True)",
    ],
)
def test_near_misses(catalog: Catalog, source: str) -> None:
    assert flagged(catalog, source) == []

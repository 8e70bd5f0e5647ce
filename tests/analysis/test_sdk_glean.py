"""Mozilla Glean: metrics objects from ``load_metrics``; a metric is named ``category.name``
and an event's extras are its properties."""

from __future__ import annotations

from .support import check_project, event, lines, manifest, sites

FILES = {
    "browser/telemetry.py": """
        from pathlib import Path

        from glean import Configuration, Glean, load_metrics

        Glean.initialize(
            application_id="org.example.browser",
            application_version="1.0",
            upload_enabled=True,
            configuration=Configuration(),
            data_dir=Path.home() / ".browser" / "glean",
        )
        metrics = load_metrics(Path(__file__).parent / "metrics.yaml")

        def opened_from(source):
            views = metrics.views
            views.login_opened.record(views.LoginOpenedExtra(source_of_login=source))
            views.login_opened.record(views.LoginOpenedExtra(user_email=source))  # expect: PRV605

        def count_tab():
            metrics.browser.tabs_opened.add()
            metrics.browser.errors["network"].add(1)  # expect: PRV102
            with metrics.browser.startup.measure():
                pass

        def clicked():
            # A dotted category (`browser.engagement` in metrics.yaml) is a chain of attributes.
            metrics.browser.engagement.click.record()
            metrics.browser.engagement.scroll.record()  # expect: PRV102

        def test_helpers_record_nothing():
            assert metrics.browser.tabs_opened.test_get_value() == 1
            assert metrics.browser.engagement.click.test_get_value()
    """,
}

MANIFEST = manifest(
    ["glean"],
    event("views.login_opened", "glean", properties=("source_of_login",)),
    event("browser.tabs_opened", "glean"),
    event("browser.startup", "glean"),
    event("browser.engagement.click", "glean"),
)


def test_glean_metrics(catalog):
    telemetry = lines(FILES, "browser/telemetry.py")
    report = check_project(catalog, FILES, MANIFEST)
    assert sites(report, "glean") == {
        (*telemetry("source_of_login=source"), "views.login_opened", "declared"),
        (*telemetry("user_email=source"), "views.login_opened", "declared"),
        (*telemetry("tabs_opened.add()"), "browser.tabs_opened", "declared"),
        (*telemetry('errors["network"]'), "browser.errors", "undeclared"),
        (*telemetry("startup.measure()"), "browser.startup", "declared"),
        (*telemetry("click.record()"), "browser.engagement.click", "declared"),
        (*telemetry("scroll.record()"), "browser.engagement.scroll", "undeclared"),
    }

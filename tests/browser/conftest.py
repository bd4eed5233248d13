"""A real browser (Debian's Chromium, driven by Playwright) against `newshub run` with the demo loaded.

Never a browser download: the tests launch /usr/bin/chromium (Debian packages `chromium` and
`chromium-driver`) and skip with the reason when it is missing, unless NEWSHUB_REQUIRE_SERVICES=1
(as in CI), where a missing browser fails instead. Screenshots go to test-output/screenshots/
(NEWSHUB_TEST_OUTPUT moves the test output folder).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.running import RunningSite, demo_site

CHROMIUM = Path(os.environ.get("NEWSHUB_CHROMIUM", "/usr/bin/chromium"))
# Quiet and offline: no sandbox (containers), no GPU, none of the browser's own network traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TEST_OUTPUT = Path(os.environ.get("NEWSHUB_TEST_OUTPUT", Path(__file__).resolve().parents[2] / "test-output"))


def require_browser() -> None:
    problem = ""
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing: install the Debian packages chromium and chromium-driver"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing: pip install -e '.[dev]'"
    if problem and os.environ.get("NEWSHUB_REQUIRE_SERVICES") == "1":
        pytest.fail(problem + " (NEWSHUB_REQUIRE_SERVICES=1)")
    if problem:
        pytest.skip(problem)


@pytest.fixture(scope="package")
def site(tmp_path_factory) -> Iterator[RunningSite]:
    require_browser()
    with demo_site(tmp_path_factory.mktemp("newshub-home")) as running:
        yield running


@pytest.fixture(scope="package")
def browser(site):
    # Package scope: Playwright's event loop must be gone before other tests use the database, or Django
    # refuses their queries as made "from an async context".
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(base_url=site.base, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_javascript(browser, site):
    context = browser.new_context(base_url=site.base, java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = TEST_OUTPUT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

"""The statistics page in headless Chromium under the real Content-Security-Policy: the charts
draw (no CSP report, no console error), each is an accessible image with its data table, and
at 390 pixels the page's content fits the screen (the charts scale down)."""
from __future__ import annotations

import pytest

from tests.conftest import HONGKOU
from tests.e2e.test_month_in_browser import _login
from tests.helpers.stats import build_world

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1366, 390])
def test_statistics_page_draws_its_charts(app, new_page, make_user, width):
    build_world(21, n=80)
    officer = make_user("officer", HONGKOU, username=f"stats{width}")
    page = new_page()
    page.set_viewport_size({"width": width, "height": 768})
    problems: list[str] = []
    # (The browser's own request for /favicon.ico, which the application does not serve, is not ours.)
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
            and "favicon" not in (m.location or {}).get("url", "") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    _login(page, officer.username)
    page.goto("/stats/workforce")
    figures = page.locator("figure.chart svg[role=img]")
    assert figures.count() >= 8
    first = figures.first
    assert first.get_attribute("aria-labelledby")
    box = first.bounding_box()
    assert box and box["height"] > 100  # drawn, not collapsed by a refused style
    # The data table of a chart opens and holds its rows.
    page.locator("details.chart-data summary").first.click()
    assert page.locator("details.chart-data table tbody tr").first.is_visible()
    overflow = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(el => !el.closest('.table-card') && el.getBoundingClientRect().right > window.innerWidth + 1)
        .map(el => el.tagName + '.' + el.className)""")
    assert overflow == []
    assert problems == []

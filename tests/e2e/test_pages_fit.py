"""The main pages in headless Chromium at a laptop's 1366×768 and a phone's 390×844: no
sideways scrolling of the page (wide tables scroll in their own box), no menu label broken over
two lines, the menu folded behind a button on the phone, 0 WCAG 2 A/AA violations reported by
axe-core (from npm, injected by the test, never shipped), the register finding a worker by the
last four ID characters, and a core flow done with the keyboard alone under the real
Content-Security-Policy."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from hr.core.db import db
from tests.conftest import HONGKOU, PASSWORD
from tests.e2e.test_month_in_browser import _login

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def month(make_month, make_user):  # noqa: F811
    m = make_month(people=6, names=["丁慧", "万晓鹏", "于佳", "张伟", "白雪", "蔡明"])
    from payroll.runs.models import Payslip

    slip = db.session.execute(sa.select(Payslip).where(Payslip.run_id == m.run.id).limit(1)).scalar_one()
    return m, slip


def _pages(m: Any, slip: Any) -> list[str]:
    w = m.workers[0]
    return ["/", "/workers/", f"/workers/{w.id}", f"/payroll/runs/{m.run.id}", f"/payroll/slips/{slip.id}",
            "/grades/assessments", "/grades/promotion", "/audit/", "/help", f"/workers/?q={w.id_number[-4:]}"]


def _wrapped_menu_labels(page: Any) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('.mainnav a')]
        .filter(a => a.offsetParent !== null)
        .filter(a => { const r = document.createRange(); r.selectNodeContents(a);
                       return r.getClientRects().length > 1; })
        .map(a => a.textContent.trim())""")


def _sideways(page: Any) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("size", SIZES)
def test_main_pages_fit_and_pass_axe(app, browser, live_server, month, make_user, size):
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing: run `make install`")
    m, slip = month
    officer = make_user("officer", HONGKOU, username=f"fit{size}")
    width, height = SIZES[size]
    # bypass_csp only lets the test inject axe-core; the keyboard test below runs under the CSP.
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": height},
                                  bypass_csp=True)
    try:
        page = context.new_page()
        _login(page, officer.username)
        failures: list[str] = []
        for url in _pages(m, slip):
            page.goto(url)
            assert page.locator("main h1").count() == 1, url
            if (extra := _sideways(page)) > 0:
                failures.append(f"{url}: the page scrolls sideways by {extra}px")
            if wrapped := _wrapped_menu_labels(page):
                failures.append(f"{url}: menu labels on two lines {wrapped}")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            for v in result["violations"]:
                failures.append(f"{url}: {v['id']} on {[n['target'] for n in v['nodes']][:5]}")
        assert failures == []
        if size == "phone":
            page.goto("/")
            toggle = page.locator(".navtoggle")
            assert toggle.is_visible() and not page.locator("#mainnav").is_visible()
            toggle.click()
            assert toggle.get_attribute("aria-expanded") == "true"
            assert page.get_by_role("link", name="社工名册").is_visible()
            assert _wrapped_menu_labels(page) == [] and _sideways(page) <= 0
            assert page.get_by_role("button", name="退出").is_visible()
        else:
            assert not page.locator(".navtoggle").is_visible()
    finally:
        context.close()


def _tab_to(page: Any, check: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the JS predicate `check(el)`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({check})(el); }}"):
            return
    raise AssertionError(f"never reached by Tab: {check}")


@pytest.mark.parametrize("size", SIZES)
def test_register_search_by_id_tail_with_the_keyboard_alone(app, new_page, month, make_user, size):
    m, _ = month
    target = m.workers[2]
    officer = make_user("officer", HONGKOU, username=f"keys{size}")
    page = new_page()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto("/login")
    _tab_to(page, "el => el.name === 'username'")
    page.keyboard.type(officer.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    if size == "phone":
        _tab_to(page, "el => el.classList.contains('navtoggle')")
        page.keyboard.press("Enter")
    _tab_to(page, "el => el.textContent.trim() === '社工名册'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/workers/$"))
    _tab_to(page, "el => el.name === 'q'")
    page.keyboard.type(target.id_number[-4:])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q="))
    rows = page.locator("table.register tbody tr")
    assert target.name in rows.all_inner_texts().__str__()
    assert target.id_number[-4:] in rows.first.inner_text()
    _tab_to(page, f"el => el.textContent.trim() === '{target.name}'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/workers/{target.id}$"))
    assert target.name in page.locator("h1").inner_text()

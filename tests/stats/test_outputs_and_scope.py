"""The page, the PDF report, the workbook, the API and the command line give the service's
figures, and an officer sees only their district in each: another district is answered like a
missing one (404, same message)."""
from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from hr.audit.models import AuditEntry
from hr.core.db import db
from hr.grades.services import SYSTEM
from hr.org.models import Street
from stats import service
from tests.conftest import HONGKOU, PUDONG, district
from tests.helpers.api import make_token
from tests.helpers.stats import build_world
from tests.helpers.web import new_client

YEAR = date.today().year
MISSING = "记录不存在或不在您的管辖范围内。"


@pytest.fixture
def world(make_user):
    build_world(11, n=90)
    return {"admin": make_user("admin", username="sadmin"), "hk": make_user("officer", HONGKOU, username="shk"),
            "hk_id": district(HONGKOU).id, "pd_id": district(PUDONG).id}


def _client(app, user):
    from tests.conftest import login

    c = new_client(app)
    assert login(c, user.username).status_code == 302
    return c


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_officer_page_shows_their_district_only(app, world):
    c = _client(app, world["hk"])
    mine = service.workforce(YEAR, world["hk"])
    html = c.get("/stats/workforce").get_data(as_text=True)
    assert "虹口区" in html and f"{mine.total.headcount:,}" in html
    assert "浦东新区" not in html  # no district picker, no other district's rows
    assert html.count('role="img"') >= 8 and 'style="' not in html.split("<main")[1]
    other = c.get(f"/stats/workforce?district_id={world['pd_id']}")
    missing = c.get("/stats/workforce?district_id=999999")
    assert other.status_code == missing.status_code == 404
    assert MISSING in other.get_data(as_text=True) and MISSING in missing.get_data(as_text=True)
    pd_street = db.session.execute(select(Street.id).where(Street.district_id == world["pd_id"])).scalars().first()
    assert c.get(f"/stats/workforce?street_id={pd_street}").status_code == 404


def test_bad_year_is_refused_clearly(app, world):
    c = _client(app, world["hk"])
    page = c.get("/stats/workforce?year=1990")
    assert page.status_code == 200 and "年度须在 2000–" in page.get_data(as_text=True)
    assert c.get("/stats/workforce?year=abc").status_code == 200
    resp = c.get(f"/stats/workforce.xlsx?year={YEAR + 1}")
    assert resp.status_code == 400 and "年度须在" in resp.get_data(as_text=True)


def test_pdf_report_opens_back_with_the_figures_and_is_audited(app, world):
    c = _client(app, world["hk"])
    mine = service.workforce(YEAR, world["hk"])
    resp = c.get("/stats/workforce.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    text = _pdf_text(resp.data)
    assert "虹口区" in text and "队伍建设统计报告" in text and "浦东新区" not in text
    assert f"{mine.total.headcount:,}" in text
    for title in ("岗位等级分布", "年龄与性别", "学历构成", "政治面貌", "工作年限", "近十年人员变动"):
        assert title in text  # chart titles are SVG text, rendered as text
    assert c.get(f"/stats/workforce.pdf?district_id={world['pd_id']}").status_code == 404
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.object_type == "workforce_stats")).scalar_one()
    assert entry.action == "print" and entry.district_id == world["hk_id"]


def test_workbook_holds_the_tables_as_numbers(app, world):
    c = _client(app, world["hk"])
    mine = service.workforce(YEAR, world["hk"])
    resp = c.get("/stats/workforce.xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames[:2] == ["主要指标", "各街镇对比"]
    overview = {r[0]: r[1] for r in wb["主要指标"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert overview["在职人数"] == mine.total.headcount
    assert Decimal(str(overview["大专及以上学历比例"])) == mine.total.share_college
    cell = next(r[1] for r in wb["主要指标"].iter_rows(min_row=5) if r[0].value == "大专及以上学历比例")
    assert cell.number_format == "0.0%"
    streets = [r[0] for r in wb["各街镇对比"].iter_rows(min_row=5, values_only=True) if r[0] and r[0] != "合计"]
    hk_streets = set(db.session.execute(select(Street.name).where(Street.district_id == world["hk_id"])).scalars())
    assert streets and set(streets) <= hk_streets
    grades = list(wb["岗位等级"].iter_rows(min_row=5, values_only=True))
    total = next(r for r in grades if r[0] == "合计")
    assert total[-1] == mine.total.graded
    assert c.get(f"/stats/workforce.xlsx?district_id={world['pd_id']}").status_code == 404


def test_city_compares_districts(app, world):
    c = _client(app, world["admin"])
    html = c.get("/stats/workforce").get_data(as_text=True)
    assert "虹口区" in html and "浦东新区" in html and "各区在职人数" in html
    city = service.workforce(YEAR, world["admin"])
    assert sum(u.headcount for u in city.units) == city.total.headcount
    assert c.get(f"/stats/workforce?district_id={world['pd_id']}").status_code == 200


def test_api_answers_the_service_figures_within_scope(app, world):
    from tests.helpers.api import ApiClient

    api = ApiClient(app, make_token(world["hk"]))
    resp = api.get(f"/api/v1/stats/workforce?year={YEAR}")
    assert resp.status_code == 200
    body = resp.get_json()
    mine = service.workforce(YEAR, world["hk"]).as_json()
    assert body == mine
    for key in ("headcount", "mean_age", "share_college", "share_party", "share_qualified", "joiners", "leavers",
                "mean_annual_gross"):
        assert key in body
    assert 0 <= body["share_college"] <= 1 and body["district_id"] == world["hk_id"]
    other = api.get(f"/api/v1/stats/workforce?district_id={world['pd_id']}")
    missing = api.get("/api/v1/stats/workforce?district_id=999999")
    assert other.status_code == missing.status_code == 404 and other.get_json() == missing.get_json()
    assert api.get("/api/v1/stats/workforce?year=1999").status_code == 400
    city = ApiClient(app, make_token(world["admin"])).get(f"/api/v1/stats/workforce?district_id={world['pd_id']}")
    assert city.status_code == 200 and city.get_json()["scope"] == "浦东新区"
    doc = api.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/stats/workforce" in doc["paths"] or "/stats/workforce" in doc["paths"]


def test_cli_prints_one_json_object(app, world, runner):
    result = runner.invoke(args=["stats", "workforce", "--year", str(YEAR), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == service.workforce(YEAR, SYSTEM).as_json()
    result = runner.invoke(args=["stats", "workforce", "--year", str(YEAR), "--district", HONGKOU, "--json"])
    hk = json.loads(result.output)
    assert hk["district_id"] == world["hk_id"] and hk["headcount"] == service.workforce(YEAR, world["hk"]).total.headcount
    text = runner.invoke(args=["stats", "workforce", "--district", HONGKOU])
    assert text.exit_code == 0 and "headcount:" in text.output
    bad = runner.invoke(args=["stats", "workforce", "--district", "999999"])
    assert bad.exit_code != 0 and "999999" in bad.output
    assert runner.invoke(args=["stats", "workforce", "--year", "1999"]).exit_code != 0

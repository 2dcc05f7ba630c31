"""Annual assessment: the committee's bulk page and the Excel import of ratings."""
from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from openpyxl import load_workbook

from hr.core.db import db
from hr.grades.models import Assessment
from tests.conftest import committee_in
from tests.helpers.grades import ratings_xlsx, upload
from tests.helpers.web import text

IMPORT = "/grades/assessments/import"


def _ratings() -> dict[tuple[int, int], str]:
    return {(a.worker_id, a.year): a.rating for a in db.session.execute(sa.select(Assessment)).scalars()}


def _confirm(client, preview) -> object:
    import re

    token = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', text(preview)).group(1)
    return client.post(IMPORT + "/confirm", data={"token": token, "filename": "考核.xlsx"}, follow_redirects=True)


# --- bulk page ------------------------------------------------------------------------

def test_committee_list_shows_progress(officer_client, graded, rate):
    a = graded("STAF", name="甲某")
    graded("STAF", name="乙某")
    rate(a, {2023: "合格"})
    body = text(officer_client.get("/grades/assessments?year=2023"))
    assert committee_in("310109").name in body and '<progress value="1" max="2">' in body


def test_bulk_page_one_save_for_the_whole_committee(officer_client, graded, rate):
    a = graded("STAF", name="甲某", hire_date=date(2020, 1, 1))
    b = graded("SUPV", name="乙某", hire_date=date(2022, 3, 1))
    late = graded("STAF", name="丙某", hire_date=date(2023, 10, 9))
    other = graded("STAF", name="外居委", committee_index=1)
    rate(b, {2023: "不合格"})
    url = f"/grades/assessments/committee/{committee_in('310109').id}?year=2023"
    body = text(officer_client.get(url))
    assert "甲某" in body and "乙某" in body and "丙某" in body and "外居委" not in body
    assert "不参加考核" in body and f'name="r{late.id}"' not in body
    resp = officer_client.post(url, data={f"r{a.id}": "优秀", f"r{b.id}": "合格", f"r{other.id}": "优秀"})
    assert resp.status_code == 302
    assert _ratings() == {(a.id, 2023): "优秀", (b.id, 2023): "合格"}
    resp = officer_client.post(url, data={f"r{a.id}": "", f"r{b.id}": "合格"})
    assert _ratings() == {(b.id, 2023): "合格"}


def test_a_post_that_omits_a_workers_field_leaves_that_rating_alone(officer_client, graded, rate):
    a = graded("STAF", name="甲某", hire_date=date(2020, 1, 1))
    b = graded("SUPV", name="乙某", hire_date=date(2021, 3, 1))
    rate(a, {2023: "优秀"})
    rate(b, {2023: "合格"})
    url = f"/grades/assessments/committee/{committee_in('310109').id}?year=2023"
    assert officer_client.post(url, data={f"r{b.id}": "基本合格"}).status_code == 302
    assert _ratings() == {(a.id, 2023): "优秀", (b.id, 2023): "基本合格"}


def test_bulk_page_refuses_everything_when_one_value_is_wrong(officer_client, graded):
    a = graded("STAF", name="甲某")
    b = graded("STAF", name="乙某")
    url = f"/grades/assessments/committee/{committee_in('310109').id}?year=2023"
    resp = officer_client.post(url, data={f"r{a.id}": "优秀", f"r{b.id}": "特优"})
    assert resp.status_code == 200 and "未保存任何结果" in text(resp)
    assert _ratings() == {}


def test_bulk_page_refuses_a_rating_for_a_late_hire(officer_client, graded):
    late = graded("STAF", name="丙某", hire_date=date(2023, 10, 9))
    url = f"/grades/assessments/committee/{committee_in('310109').id}?year=2023"
    resp = officer_client.post(url, data={f"r{late.id}": "合格"})
    assert "9月30日后入职" in text(resp)
    assert _ratings() == {}


# --- Excel import ------------------------------------------------------------------------

def test_import_previews_then_writes(officer_client, graded):
    a = graded("STAF", name="甲某")
    b = graded("STAF", name="乙某")
    content = ratings_xlsx([[a.id_number, "甲某", 2022, "优秀"], [b.id_number, "乙某", "2022", "合格"],
                            [a.id_number, "甲某", 2023, "基本合格"]])
    preview = upload(officer_client, IMPORT, content)
    assert preview.status_code == 200 and "新增 3</b> 条" in text(preview)
    assert _ratings() == {}
    done = _confirm(officer_client, preview)
    assert "导入完成：新增 3 条" in text(done)
    assert _ratings() == {(a.id, 2022): "优秀", (b.id, 2022): "合格", (a.id, 2023): "基本合格"}


def test_import_is_idempotent_and_updates(officer_client, graded, rate):
    a = graded("STAF", name="甲某")
    rate(a, {2022: "合格"})
    same = upload(officer_client, IMPORT, ratings_xlsx([[a.id_number, "甲某", 2022, "合格"]]))
    assert "无需导入" in text(same) and 'name="token"' not in text(same)
    changed = upload(officer_client, IMPORT, ratings_xlsx([[a.id_number, "甲某", 2022, "优秀"]]))
    assert "更新 1</b> 条" in text(changed)
    _confirm(officer_client, changed)
    assert _ratings() == {(a.id, 2022): "优秀"}
    again = upload(officer_client, IMPORT, ratings_xlsx([[a.id_number, "甲某", 2022, "优秀"]]))
    assert "无需导入" in text(again)


def test_import_is_all_or_nothing_with_row_column_reason(officer_client, graded, make_worker):
    a = graded("STAF", name="甲某", hire_date=date(2019, 1, 1))
    late = graded("STAF", name="丙某", hire_date=date(2022, 11, 1))
    gone = make_worker(name="丁某", hire_date=date(2015, 1, 1))
    gone.status, gone.leave_date = "离职", date(2020, 6, 30)
    db.session.commit()
    rows = [
        [a.id_number, "甲某", 2022, "优秀"],           # 2: fine
        ["110105194912310021", "无此人", 2022, "合格"],  # 3: unknown
        [a.id_number, "甲乙", 2021, "合格"],           # 4: name differs
        [a.id_number, "甲某", 2022, "合格"],           # 5: duplicate of row 2
        [late.id_number, "丙某", 2022, "合格"],         # 6: hired after 30 September
        [a.id_number, "甲某", 2018, "合格"],           # 7: before hire
        [a.id_number, "甲某", 2099, "合格"],           # 8: future
        [a.id_number, "甲某", 2020, "良好"],           # 9: not a rating
        [gone.id_number, "丁某", 2021, "合格"],         # 10: left before the year
        [a.id_number, "甲某", "=2000+21", "合格"],      # 11: formula
        [None, "甲某", 2019, "合格"],                   # 12: empty ID
    ]
    resp = upload(officer_client, IMPORT, ratings_xlsx(rows))
    body = text(resp)
    assert "处错误，未导入任何数据" in body and 'name="token"' not in body
    for row, column, reason in [
        (3, "身份证号", "找不到"), (4, "姓名", "与名册不一致"), (5, "年度", "与第 2 行重复"),
        (6, "年度", "9月30日后入职"), (7, "年度", "尚未入职"), (8, "年度", "1980"), (9, "考核结果", "之一"),
        (10, "年度", "已离职"), (11, "年度", "公式"), (12, "身份证号", "不能为空"),
    ]:
        assert f'<td class="num">{row}</td><td>{column}</td><td>' in body, (row, column)
        assert reason in body, reason
    assert _ratings() == {}


def test_import_refuses_wrong_files(officer_client):
    resp = upload(officer_client, IMPORT, b"name,id\n", filename="考核.csv")
    assert "只接受 .xlsx" in text(resp)
    resp = upload(officer_client, IMPORT, b"not a zip at all", filename="考核.xlsx")
    assert "不是 Excel 工作簿" in text(resp)
    resp = upload(officer_client, IMPORT, ratings_xlsx([], headers=["身份证号", "姓名", "考核结果", "备注"]))
    assert "缺少列：年度" in text(resp) and "无法识别的列：备注" in text(resp)
    resp = upload(officer_client, IMPORT, ratings_xlsx([]))
    assert "没有数据行" in text(resp)


def test_import_refuses_a_changed_file_at_confirm(officer_client, graded):
    a = graded("STAF", name="甲某")
    preview = upload(officer_client, IMPORT, ratings_xlsx([[a.id_number, "甲某", 2022, "优秀"]]))
    a.name = "改名"
    db.session.commit()
    done = _confirm(officer_client, preview)
    assert "未导入任何数据" in text(done)
    assert _ratings() == {}


def test_prefilled_sheet_round_trips(officer_client, graded, rate):
    a = graded("STAF", name="甲某")
    graded("STAF", name="丙某", hire_date=date(2022, 10, 20))
    rate(a, {2022: "合格"})
    resp = officer_client.get("/grades/assessments/sheet.xlsx?year=2022")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows == [["身份证号", "姓名", "年度", "考核结果"], [a.id_number, "甲某", 2022, "合格"]]
    again = upload(officer_client, IMPORT, resp.data)
    assert "无需导入" in text(again)

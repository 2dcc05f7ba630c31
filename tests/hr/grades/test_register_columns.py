"""The register's 岗位 and 等级 columns: export in force today, optional on import."""
from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import Workbook, load_workbook

from hr.core.db import db
from hr.grades.queries import timeline
from hr.workers.fields import HEADERS
from tests.conftest import committee_in
from tests.helpers.web import text

OLD_HEADERS = HEADERS[:-2]


def _xlsx(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = "社区工作者名册"
    ws.append(list(headers))
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row(number, name="王芳", post=None, grade=None, hire="2021-04-12"):
    c = committee_in("310109")
    return [name, number, "13912345678", "本科", "群众", "无", None, hire, 3, c.street.name, c.name,
            "否", "否", "中国银行上海分行", "6216612345678901234", post, grade]


def _upload(client, content):
    return client.post("/workers/import", data={"file": (io.BytesIO(content), "名册.xlsx")},
                       content_type="multipart/form-data")


def _confirm(client, preview):
    token = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', text(preview)).group(1)
    return client.post("/workers/import/confirm", data={"token": token, "filename": "名册.xlsx"}, follow_redirects=True)


def _worker(number):
    import sqlalchemy as sa

    from hr.workers.models import Worker

    return db.session.execute(sa.select(Worker).where(Worker.id_number == number)).unique().scalar_one()


def test_headers_end_with_post_and_grade():
    # then the optional first-job column (§6b)
    assert HEADERS[-4:] == ["银行账号", "岗位", "等级", "首次参加工作"]


def test_export_writes_post_and_grade_in_force(officer_client, graded):
    graded("LEAD", grade=9, note="x", name="甲某")
    graded(None, name="乙某")
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(officer_client.get("/workers/export.xlsx").data)).worksheets[0].iter_rows()]
    assert rows[0] == HEADERS
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["甲某"][-3:] == ["负责人", 9, "否"]
    assert by_name["乙某"][-3:] == [None, None, "否"]


def test_import_of_a_new_worker_with_post_and_grade_creates_the_entry(officer_client):
    from tests.conftest import valid_id

    number = valid_id()
    preview = _upload(officer_client, _xlsx([_row(number, post="主管", grade=6)]))
    assert "新增 1</b> 人" in text(preview)
    _confirm(officer_client, preview)
    [a] = timeline(_worker(number).id)
    assert (a.post, a.grade, a.reason, a.effective) == ("SUPV", 6, "入职定级", date(2021, 4, 1))


def test_import_without_the_columns_still_works(officer_client):
    from tests.conftest import valid_id

    number = valid_id()
    preview = _upload(officer_client, _xlsx([_row(number)[:-2]], headers=OLD_HEADERS))
    assert "新增 1</b> 人" in text(preview)
    _confirm(officer_client, preview)
    assert timeline(_worker(number).id) == []


def test_import_checks_the_pair(officer_client):
    from tests.conftest import valid_id

    rows = [_row(valid_id(), post="主管"), _row(valid_id(), grade=3), _row(valid_id(), post="书记", grade=9),
            _row(valid_id(), post="工作人员", grade=13), _row(valid_id(), post="负责人", grade="七")]
    body = text(_upload(officer_client, _xlsx(rows)))
    assert "未导入任何数据" in body
    assert "岗位和等级须同时填写或同时留空" in body
    assert "岗位须为 负责人/主管/工作人员 之一" in body
    assert "工作人员的等级须在 1–12 级之间" in body
    assert "等级应为整数" in body


def test_existing_worker_must_match_what_is_in_force(officer_client, graded):
    w = graded("STAF", grade=3, note="x", name="王芳")
    same = _row(w.id_number, post="工作人员", grade=3, hire=w.hire_date.isoformat())
    same[2], same[3], same[5] = w.phone, w.education, w.qualification
    body = text(_upload(officer_client, _xlsx([same[:6] + [w.qualification_date] + same[7:]])))
    assert "岗位等级请在职工页面调整" not in body
    other = list(same)
    other[-1] = 4
    body = text(_upload(officer_client, _xlsx([other[:6] + [w.qualification_date] + other[7:]])))
    assert "岗位等级请在职工页面调整（现为工作人员 3 级）" in body and 'name="token"' not in body


def test_existing_ungraded_worker_is_graded_by_the_import(officer_client, graded):
    w = graded(None, name="王芳")
    row = _row(w.id_number, post="负责人", grade=10, hire=w.hire_date.isoformat())
    row[2], row[3], row[5] = w.phone, w.education, w.qualification
    row[6] = w.qualification_date
    preview = _upload(officer_client, _xlsx([row]))
    assert "未定级的职工将按文件中的岗位等级入职定级" in text(preview)
    _confirm(officer_client, preview)
    [a] = timeline(w.id)
    assert (a.post, a.grade, a.reason) == ("LEAD", 10, "入职定级")


def test_export_imports_back_unchanged(officer_client, graded):
    graded("LEAD", grade=9, note="x", name="甲某")
    graded("STAF", grade=2, note="x", name="乙某")
    graded(None, name="丙某")
    exported = officer_client.get("/workers/export.xlsx").data
    body = text(_upload(officer_client, exported))
    assert "文件与名册一致，无需导入" in body, body


def test_template_has_the_two_columns(officer_client):
    ws = load_workbook(io.BytesIO(officer_client.get("/workers/template.xlsx").data)).worksheets
    assert [c.value for c in ws[0][1]] == HEADERS
    notes = {r[0].value for r in ws[1].iter_rows()}
    assert {"岗位", "等级"} <= notes

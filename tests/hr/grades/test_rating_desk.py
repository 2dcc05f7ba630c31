"""The ratings desk: 其余设为合格, the next unfinished committee, per-street progress and the
只看未完成 filter."""
from datetime import date

from hr.core.db import db
from hr.grades.models import Assessment
from tests.conftest import committee_in
from tests.helpers.web import text


def _ratings():
    return {(a.worker_id, a.year): a.rating for a in db.session.query(Assessment)}


def _url(index=0):
    return f"/grades/assessments/committee/{committee_in('310109', index).id}?year=2023"


def test_rest_set_to_qualified_keeps_what_was_chosen_and_skips_late_hires(officer_client, graded):
    a = graded("STAF", name="甲某", hire_date=date(2020, 1, 1))
    b = graded("STAF", name="乙某", hire_date=date(2020, 1, 1))
    late = graded("STAF", name="丙某", hire_date=date(2023, 10, 9))
    resp = officer_client.post(_url(), data={f"r{a.id}": "优秀", f"r{b.id}": "", "rest": "1"})
    assert resp.status_code == 302
    assert _ratings() == {(a.id, 2023): "优秀", (b.id, 2023): "合格"}
    assert late.id not in {w for w, _ in _ratings()}


def test_save_and_go_to_the_next_unfinished_committee(officer_client, graded, rate):
    a = graded("STAF", name="甲某", hire_date=date(2020, 1, 1))
    done = graded("STAF", name="乙某", hire_date=date(2020, 1, 1), committee_index=1)
    rate(done, {2023: "合格"})
    todo = graded("STAF", name="丙某", hire_date=date(2020, 1, 1), committee_index=2)
    page = text(officer_client.get(_url()))
    nxt = committee_in("310109", 2)
    assert f"/grades/assessments/committee/{nxt.id}?year=2023" in page and "下一个未完成的居委会" in page
    resp = officer_client.post(_url(), data={f"r{a.id}": "合格", "next": "1"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/grades/assessments/committee/{nxt.id}?year=2023")
    resp = officer_client.post(_url(2), data={f"r{todo.id}": "合格", "next": "1"})
    assert resp.status_code == 302 and "/grades/assessments?year=2023" in resp.headers["Location"]
    assert "已全部录入" in text(officer_client.get(resp.headers["Location"]))


def test_street_progress_and_only_unfinished(officer_client, graded, rate):
    a = graded("STAF", name="甲某", hire_date=date(2020, 1, 1))
    graded("STAF", name="乙某", hire_date=date(2020, 1, 1))
    full = graded("STAF", name="丙某", hire_date=date(2020, 1, 1), committee_index=1)
    rate(a, {2023: "合格"})
    rate(full, {2023: "优秀"})
    c0, c1 = committee_in("310109", 0), committee_in("310109", 1)
    assert c0.street_id == c1.street_id
    page = text(officer_client.get("/grades/assessments?year=2023"))
    progress = page.split("各街镇进度")[1].split("</table>")[0]
    assert c0.street.name in progress
    # that street: 3 to assess, 2 rated, 67 %, one committee unfinished
    row = progress.split(c0.street.name)[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[1:5]] == ["3", "2", "67%", "1"]
    only_open = text(officer_client.get("/grades/assessments?year=2023&todo=1")).split("<tbody>")[-1]
    assert c0.name in only_open and f">{c1.name}<" not in only_open

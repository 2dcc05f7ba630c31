"""The register that finds people: the last four ID characters and the phone, post/grade and
field filters, pinyin order, the column chooser, and bulk actions on selected rows."""
import re
from datetime import date

from hr.core.db import db
from tests.conftest import HONGKOU, PUDONG, committee_in, valid_id
from tests.helpers.register import read_xlsx
from tests.helpers.web import text


def _names(client, query=""):
    html = text(client.get("/workers/" + query))
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [n for _, n in re.findall(r'<a href="/workers/(\d+)">([^<]+)</a>', body)]


def test_finds_a_worker_by_the_last_four_id_characters_the_masked_id_shows(officer_client, make_worker):
    a = make_worker(name="王小明", id_number=valid_id(birth="19700101"), phone="13900000001")
    b = make_worker(name="李大壮", id_number=valid_id(birth="19900101"), phone="13900000002")
    tail = a.id_number[-4:]
    assert tail != b.id_number[-4:]
    html = text(officer_client.get("/workers/?q=" + tail))
    assert "王小明" in html and "李大壮" not in html
    assert a.id_number[:6] + "********" + tail in html  # the masked ID shows what was searched
    if tail.endswith("X"):
        assert _names(officer_client, "?q=" + tail.lower()) == ["王小明"]


def test_id_tail_follows_an_edit_of_the_id_number(officer_client, make_worker, make_user):
    from hr.workers.services import snapshot, update_worker

    w = make_worker(name="王小明", id_number=valid_id(birth="19700101"))
    old_tail = w.id_number[-4:]
    new_id = valid_id(birth="19710202")
    data = snapshot(w)
    data["id_number"] = new_id
    update_worker(w, data, None, make_user("admin"))
    db.session.commit()
    assert w.id_tail == new_id[-4:]
    if old_tail != new_id[-4:]:
        assert _names(officer_client, "?q=" + old_tail) == []
    assert _names(officer_client, "?q=" + new_id[-4:]) == ["王小明"]


def test_finds_by_phone_whole_or_in_part(officer_client, make_worker):
    make_worker(name="王小明", phone="13912345678")
    make_worker(name="李大壮", phone="13787654321")
    assert _names(officer_client, "?q=13912345678") == ["王小明"]
    assert _names(officer_client, "?q=5678") == ["王小明"]
    assert _names(officer_client, "?q=139%201234%205678") == ["王小明"]


def test_search_never_reaches_another_district(officer_client, make_worker):
    other = make_worker(PUDONG, name="浦东人", phone="13611112222", id_number=valid_id(area="310115"))
    assert _names(officer_client, "?q=" + other.id_number[-4:]) == []
    assert _names(officer_client, "?q=13611112222") == []


def test_names_sort_by_pinyin(officer_client, many_workers):
    names = ["于", "万", "丁", "张", "阿", "白"]
    many_workers(len(names), name=lambda i: names[i] + "一")
    expected = ["阿一", "白一", "丁一", "万一", "于一", "张一"]
    assert _names(officer_client) == expected
    assert _names(officer_client, "?sort=name&dir=desc") == list(reversed(expected))


def test_pinyin_key_is_tone_aware_and_lowercase():
    from hr.workers.sortkeys import pinyin_key

    assert pinyin_key("丁一") == "ding1 yi1"
    assert pinyin_key("Anna 李") == "anna li3"
    assert pinyin_key("单") < pinyin_key("丁")  # dan < ding


def test_filters_by_post_grade_and_unassigned(officer_client, make_worker):
    from hr.grades.services import assign_entry

    lead = make_worker(name="甲负责", hire_date=date(2018, 3, 1))
    staf = make_worker(name="乙工作", hire_date=date(2018, 3, 1))
    make_worker(name="丙未定")
    assign_entry(lead, "LEAD", 9, note="按任职经历确定")
    assign_entry(staf, "STAF", 3, note="按任职经历确定")
    db.session.commit()
    assert _names(officer_client, "?post=LEAD") == ["甲负责"]
    assert _names(officer_client, "?post=STAF&grade=3") == ["乙工作"]
    assert _names(officer_client, "?grade=9") == ["甲负责"]
    assert _names(officer_client, "?grade=4") == []
    assert _names(officer_client, "?post=none") == ["丙未定"]
    html = text(officer_client.get("/workers/?post=LEAD"))
    assert "负责人" in html and "9 级" in html and "LEAD" not in html.split("<tbody>")[1]


def test_filters_by_education_politics_reserve_and_hire_year(officer_client, make_worker):
    make_worker(name="甲甲", education="本科", political_status="群众", reserve_cadre=True, hire_date=date(2020, 5, 1))
    make_worker(name="乙乙", education="大专", political_status="中共党员", hire_date=date(2021, 5, 1))
    assert _names(officer_client, "?education=本科") == ["甲甲"]
    assert _names(officer_client, "?political_status=中共党员") == ["乙乙"]
    assert _names(officer_client, "?reserve_cadre=1") == ["甲甲"]
    assert _names(officer_client, "?reserve_cadre=0") == ["乙乙"]
    assert _names(officer_client, "?hire_year=2021") == ["乙乙"]
    assert sorted(_names(officer_client, "?hire_year=abc")) == ["乙乙", "甲甲"]


def test_column_chooser(officer_client, make_worker):
    make_worker(name="甲甲", phone="13912345678")
    html = text(officer_client.get("/workers/"))
    assert "<th>岗位</th>" in html and "13912345678" not in html
    html = text(officer_client.get("/workers/?cols=phone&cols=post"))
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert "手机号" in head and "岗位" in head and "学历" not in head
    assert "13912345678" in html


def _bulk(client, action, ids, **extra):
    data = {"action": action, "ids": [str(i) for i in ids], **extra}
    return client.post("/workers/bulk", data=data)


def test_export_selected(officer_client, make_worker):
    from hr.audit.models import AuditEntry

    a = make_worker(name="甲甲")
    make_worker(name="乙乙")
    resp = _bulk(officer_client, "export", [a.id])
    assert resp.status_code == 200
    rows = read_xlsx(resp.data)
    assert [r[0] for r in rows[1:]] == ["甲甲"]
    entry = db.session.query(AuditEntry).filter_by(action="export").one()
    assert entry.changes == {"ids": [a.id]}


def test_bulk_departure_previews_then_applies_on_one_confirmation(officer_client, make_worker):
    a, b = make_worker(name="甲甲"), make_worker(name="乙乙")
    keep = make_worker(name="丙丙")
    html = text(_bulk(officer_client, "leave", [a.id, b.id]))
    assert "批量登记离职" in html and "甲甲" in html and "丙丙" not in html
    form = {"status": "离职", "leave_date": "2026-11-30", "leave_reason": "合同到期"}
    html = text(_bulk(officer_client, "leave", [a.id, b.id], step="preview", **form))
    assert "确认登记离职（2 人）" in html and "2026-11-30" in html
    db.session.expire_all()
    assert a.status == "在职"  # the preview changes nothing
    resp = _bulk(officer_client, "leave", [a.id, b.id], step="confirm", **form)
    assert resp.status_code == 302
    db.session.expire_all()
    assert (a.status, b.status, keep.status) == ("离职", "离职", "在职")
    assert a.leave_date == date(2026, 11, 30) and a.leave_reason == "合同到期"


def test_bulk_departure_is_all_or_nothing(officer_client, make_worker):
    early = make_worker(name="甲甲", hire_date=date(2019, 3, 1))
    late = make_worker(name="乙乙", hire_date=date(2026, 11, 1))
    form = {"status": "离职", "leave_date": "2026-10-31", "leave_reason": ""}
    html = text(_bulk(officer_client, "leave", [early.id, late.id], step="confirm", **form))
    assert "乙乙" in html and "离职日期不能早于入职日期" in html
    db.session.expire_all()
    assert early.status == "在职" and late.status == "在职"


def test_bulk_move_to_another_committee(officer_client, make_worker):
    from hr.audit.models import AuditEntry

    a, b = make_worker(name="甲甲"), make_worker(name="乙乙")
    target = committee_in(HONGKOU, 7)
    html = text(_bulk(officer_client, "move", [a.id, b.id], step="preview", committee_id=str(target.id)))
    assert target.name in html and "确认调整居委会（2 人）" in html
    resp = _bulk(officer_client, "move", [a.id, b.id], step="confirm", committee_id=str(target.id))
    assert resp.status_code == 302
    db.session.expire_all()
    assert (a.committee_id, a.street_id, b.committee_id) == (target.id, target.street_id, target.id)
    moves = db.session.query(AuditEntry).filter_by(action="update", object_type="worker").count()
    assert moves == 2


def test_bulk_refuses_another_districts_worker_or_committee(officer_client, make_worker):
    mine = make_worker(name="甲甲")
    theirs = make_worker(PUDONG, name="浦东人", id_number=valid_id(area="310115"))
    assert _bulk(officer_client, "export", [mine.id, theirs.id]).status_code == 404
    assert _bulk(officer_client, "leave", [theirs.id]).status_code == 404
    pudong = committee_in(PUDONG, 0)
    html = text(_bulk(officer_client, "move", [mine.id], step="confirm", committee_id=str(pudong.id)))
    assert "所选居委会不存在或不在您的管辖范围内" in html
    missing = text(_bulk(officer_client, "move", [mine.id], step="confirm", committee_id="999999"))
    assert "所选居委会不存在或不在您的管辖范围内" in missing
    db.session.expire_all()
    assert mine.committee_id != pudong.id


def test_bulk_without_selection_says_so(officer_client):
    resp = _bulk(officer_client, "leave", [])
    assert resp.status_code == 302
    html = text(officer_client.get(resp.headers["Location"]))
    assert "请先勾选职工" in html


def test_new_worker_form_preselects_no_education_or_political_status(officer_client):
    html = text(officer_client.get("/workers/new"))
    for name in ("education", "political_status"):
        select = html.split(f'name="{name}"')[1].split("</select>")[0]
        assert "selected" not in select
        assert '<option value="">请选择' in select


def test_skipping_education_or_political_status_is_refused(officer_client):
    from tests.helpers.register import form_data

    data = form_data(name="王小明")
    data["education"] = ""
    data["political_status"] = ""
    html = text(officer_client.post("/workers/new", data=data))
    assert "请选择学历" in html and "请选择政治面貌" in html


def test_filter_by_first_job(officer_client, make_worker):
    make_worker(name="甲首", first_job=True, hire_date=date(2026, 3, 1))
    make_worker(name="乙非", hire_date=date(2020, 3, 1))
    assert _names(officer_client, "?first_job=1") == ["甲首"]
    assert _names(officer_client, "?first_job=0") == ["乙非"]
    assert "首次参加工作" in text(officer_client.get("/workers/?first_job=1")).split("<tbody>")[1]

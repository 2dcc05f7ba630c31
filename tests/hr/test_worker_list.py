"""The register list: search, filters, sorting and pages."""
import re
from datetime import date, timedelta

from tests.conftest import HONGKOU, committee_in, valid_id
from tests.helpers.web import text


def _rows(client, query=""):
    html = text(client.get("/workers/" + query))
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<a href="/workers/(\d+)">([^<]+)</a>', body), html


def _names(client, query=""):
    return [name for _, name in _rows(client, query)[0]]


def test_search_by_name_id_prefix_and_committee(officer_client, make_worker):
    a = make_worker(name="王小明", id_number=valid_id(birth="19700101"))
    make_worker(committee_index=5, name="李大壮", id_number=valid_id(birth="19900101"))
    assert _names(officer_client, "?q=小明") == ["王小明"]
    assert _names(officer_client, "?q=" + a.id_number[:10]) == ["王小明"]
    assert _names(officer_client, "?q=" + a.id_number[:10].lower()) == ["王小明"]
    assert _names(officer_client, "?q=" + a.committee.name) == ["王小明"]
    assert _names(officer_client, "?q=nobody") == []
    assert sorted(_names(officer_client, "?q=%20")) == sorted(["王小明", "李大壮"])


def test_search_treats_like_wildcards_as_text(officer_client, make_worker):
    make_worker(name="王小明")
    assert _names(officer_client, "?q=%25") == []
    assert _names(officer_client, "?q=_") == []


def test_filters_by_street_committee_and_status(officer_client, make_worker):
    from hr.core.db import db

    c0, c_other_street = committee_in(HONGKOU, 0), None
    for i in range(1, 60):
        c = committee_in(HONGKOU, i)
        if c.street_id != c0.street_id:
            c_other_street = c
            break
    assert c_other_street is not None
    same_street = committee_in(HONGKOU, 1)
    assert same_street.street_id == c0.street_id
    a = make_worker(committee_id=c0.id, name="甲甲")
    make_worker(committee_id=same_street.id, name="乙乙")
    make_worker(committee_id=c_other_street.id, name="丙丙")
    gone = make_worker(committee_id=c0.id, name="丁丁")
    gone.status, gone.leave_date = "退休", date(2024, 1, 31)
    db.session.commit()
    assert sorted(_names(officer_client, f"?street={c0.street_id}")) == ["乙乙", "甲甲"]
    assert _names(officer_client, f"?committee={c0.id}") == ["甲甲"]
    assert _names(officer_client, f"?committee={c0.id}&status=退休") == ["丁丁"]
    assert sorted(_names(officer_client, f"?committee={c0.id}&status=全部")) == ["丁丁", "甲甲"]
    assert _names(officer_client, f"?street={c_other_street.street_id}") == ["丙丙"]
    _, html = _rows(officer_client, f"?street={c0.street_id}")
    assert f'<option value="{c0.id}"' in html  # the committee filter lists that street's committees
    assert f'<option value="{c_other_street.id}"' not in html
    assert a.committee.name in html


def test_sorting(officer_client, many_workers):
    workers = many_workers(5, hire_date=date(2015, 1, 1))
    from hr.core.db import db

    for i, w in enumerate(workers):
        w.hire_date = date(2015, 1, 1) + timedelta(days=30 * ((i * 3) % 5))
    db.session.commit()
    by_hire = sorted(workers, key=lambda w: (w.hire_date, w.id))
    ids = [int(i) for i, _ in _rows(officer_client, "?sort=hire_date")[0]]
    assert ids == [w.id for w in by_hire]
    ids = [int(i) for i, _ in _rows(officer_client, "?sort=hire_date&dir=desc")[0]]
    assert ids == [w.id for w in sorted(workers, key=lambda w: (w.hire_date, -w.id), reverse=True)]
    ids = [int(i) for i, _ in _rows(officer_client, "?sort=id_number")[0]]
    assert ids == [w.id for w in sorted(workers, key=lambda w: w.id_number)]
    _, html = _rows(officer_client, "?sort=hire_date")
    assert "入职日期 ▲" in html
    assert _rows(officer_client, "?sort=bogus&dir=sideways")[0]  # unknown keys fall back, no error


def test_pages_of_fifty(officer_client, many_workers):
    workers = many_workers(60, name=lambda i: "职工" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "子丑寅卯辰巳午未申酉戌亥"[i // 10])
    first, html = _rows(officer_client)
    assert len(first) == 50
    assert "第 1 / 2 页，共 60 条" in html
    second, html = _rows(officer_client, "?page=2")
    assert len(second) == 10
    assert {i for i, _ in first}.isdisjoint({i for i, _ in second})
    assert {int(i) for i, _ in first + second} == {w.id for w in workers}
    assert len(_rows(officer_client, "?page=99")[0]) == 10  # past the end: the last page
    assert len(_rows(officer_client, "?page=abc")[0]) == 50
    # page links keep the filters
    _, html = _rows(officer_client, "?status=在职&sort=hire_date")
    link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1)
    assert "sort=hire_date" in link and "status=" in link

"""The figures computed in the database (a few grouped queries) equal a plain Python count over
the same rows, with the rules' own functions (age, post in force, mentee grounds), for the city,
a district and a street, this year (as of today) and a past year."""
from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from stats import service
from stats.figures import Figures
from tests.conftest import HONGKOU, district
from tests.helpers.stats import build_world, expected

COMPARED = [f.name for f in fields(Figures) if f.name not in ("key", "name", "code")]


def _same(got: Figures, want: Figures, where: str) -> None:
    for name in COMPARED:
        g, w = getattr(got, name), getattr(want, name)
        if name == "flows":
            g = {y: vars(v) for y, v in g.items()}
            w = {y: vars(v) for y, v in w.items()}
        if name == "pay_by_post":
            g = {p: vars(v) for p, v in g.items() if v.workers}
            w = {p: vars(v) for p, v in w.items() if v.workers}
        assert g == w, f"{where}: {name}"


@pytest.mark.parametrize("seed", [1, 2])
def test_city_by_district(make_user, seed):
    admin = make_user("admin", username="statsadmin")
    build_world(seed)
    for year in (date.today().year, date.today().year - 2):
        report = service.workforce(year, admin)
        on = report.on
        want = expected(year, on, lambda w: w.district_id, lambda w: True, lambda s: s.district_id, lambda s: True,
                        lambda s: s.district_id, lambda s: True)
        got = {u.key: u for u in report.units}
        for key, figures in want.items():
            _same(got[key], figures, f"{year} district {key}")
        total = Figures()
        for f in want.values():
            total.add(f)
        _same(report.total, total, f"{year} city")
        assert report.total.headcount > 0 and report.total.eligible_mentees > 0 and report.total.slips > 0


def test_district_by_street_and_one_street(make_user):
    build_world(3)
    officer = make_user("officer", HONGKOU, username="statshk")
    hk = district(HONGKOU).id
    year = date.today().year
    report = service.workforce(year, officer)
    assert report.district_id == hk and report.unit_label == "街镇"
    want = expected(year, report.on, lambda w: w.street_id, lambda w: w.district_id == hk, lambda s: s.street_id,
                    lambda s: s.district_id == hk, lambda s: s.street_id, lambda s: s.district_id == hk)
    got = {u.key: u for u in report.units}
    for key, figures in want.items():
        if key is None:  # district-wide studios: in the district's total, in no street
            assert report.total.studios == sum(f.studios for f in want.values())
            continue
        _same(got[key], figures, f"street {key}")
    street = next(u.key for u in report.units if u.headcount)
    one = service.workforce(year, officer, street_id=street)
    assert [u.key for u in one.units] == [street]
    _same(one.total, want[street], "one street")

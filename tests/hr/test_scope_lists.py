"""Lists, searches and exports show only the user's district (the city for city-wide users)."""
import pytest

from tests.conftest import HONGKOU, PUDONG, committee_in, district, valid_id
from tests.helpers.register import read_xlsx
from tests.helpers.web import text


@pytest.fixture
def two_districts(make_worker):
    hk = make_worker(HONGKOU, name="虹口人", id_number=valid_id("310109"))
    pd = make_worker(PUDONG, name="浦东人", id_number=valid_id("310115"))
    return hk, pd


def _rows(client, query=""):
    """The result table of the list page (the search box echoes the query)."""
    html = text(client.get("/workers/" + query))
    return html.split("<tbody>")[1].split("</tbody>")[0]


def _names_in_export(client, query=""):
    resp = client.get("/workers/export.xlsx" + query)
    assert resp.status_code == 200
    rows = read_xlsx(resp.data)
    return [r[0] for r in rows[1:]]


def test_officer_list_search_and_export_stay_in_the_district(officer_client, two_districts):
    hk, pd = two_districts
    pd_committee = committee_in(PUDONG)
    listing = _rows(officer_client, "?status=全部")
    assert "虹口人" in listing and "浦东人" not in listing
    queries = [
        "?q=浦东人", f"?q={pd.id_number[:8]}", f"?q={pd_committee.name}",
        f"?district={district(PUDONG).id}", f"?street={pd.street_id}", f"?committee={pd.committee_id}",
        "?status=全部&q=人",
    ]
    for q in queries:
        assert "浦东人" not in _rows(officer_client, q), q
        assert "浦东人" not in _names_in_export(officer_client, q), q
    assert _names_in_export(officer_client) == ["虹口人"]


def test_officer_street_filter_offers_only_own_streets(officer_client, two_districts):
    hk, pd = two_districts
    page = text(officer_client.get(f"/workers/?street={pd.street_id}"))
    assert pd.street.name not in page
    assert pd.committee.name not in page
    assert hk.street.name in page


def test_city_auditor_sees_both_districts(client_as, two_districts):
    auditor = client_as("auditor", None)
    listing = _rows(auditor)
    assert "虹口人" in listing and "浦东人" in listing
    assert sorted(_names_in_export(auditor)) == sorted(["虹口人", "浦东人"])
    assert auditor.get(f"/workers/{two_districts[1].id}").status_code == 200


def test_district_auditor_sees_only_their_district(client_as, two_districts):
    hk, pd = two_districts
    auditor = client_as("auditor", PUDONG)
    listing = _rows(auditor)
    assert "浦东人" in listing and "虹口人" not in listing
    assert _names_in_export(auditor) == ["浦东人"]
    assert auditor.get(f"/workers/{hk.id}").status_code == 404
    assert auditor.get(f"/workers/{pd.id}").status_code == 200


def test_audit_log_is_scoped(client_as, officer_client, two_districts):
    pd_officer = client_as("officer", PUDONG)
    assert "浦东人" in text(pd_officer.get("/audit/"))
    log = text(officer_client.get("/audit/"))
    assert "虹口人" in log and "浦东人" not in log
    city = text(client_as("auditor", None).get("/audit/"))
    assert "虹口人" in city and "浦东人" in city

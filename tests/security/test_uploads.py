"""Hostile uploads are refused from the zip directory, before any parsing, with a Chinese message:
a zip bomb, too many parts, too much text. One import of the worst file the limits let through
stays under 300 MB of peak memory in a fresh process."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from hr.core.db import db
from tests.conftest import HONGKOU, login
from tests.helpers.reliability import fingerprint
from tests.security import hostile_files

IMPORTS = ["/workers/import", "/grades/assessments/import", "/payroll/inputs/import/declarations",
           "/payroll/inputs/import/adjustments"]


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return hostile_files.zip_bomb(80)


@pytest.fixture
def officer(client, make_user):
    login(client, make_user("officer", HONGKOU, username="hkupload").username)
    return client


def _upload(client, url: str, content: bytes, name: str = "名册.xlsx", **fields: str):
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), filename=name), **fields})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}",
                       follow_redirects=True)


def test_the_bomb_is_what_it_claims(bomb):
    entries, inflated, packed = hostile_files.ratio(bomb)
    assert len(bomb) < 1024 * 1024 and inflated > 80 * 1024 * 1024 and inflated > 300 * packed


@pytest.mark.parametrize("url", IMPORTS)
def test_a_zip_bomb_is_refused_before_parsing(officer, bomb, url):
    before = fingerprint(db.engine)
    started = time.perf_counter()
    resp = _upload(officer, url, bomb)
    elapsed = time.perf_counter() - started
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "解压后过大" in text or "压缩比异常" in text, text[-800:]
    assert elapsed < 2.0  # nothing was inflated
    assert fingerprint(db.engine) == before


@pytest.mark.parametrize("url", IMPORTS[:2])
def test_too_many_parts_are_refused(officer, url):
    resp = _upload(officer, url, hostile_files.many_parts(400))
    assert "个部件，超过上限" in resp.get_data(as_text=True)


def test_too_much_shared_text_is_refused(officer):
    resp = _upload(officer, "/workers/import", hostile_files.worst_permitted(shared_mb=9, rows=10))
    assert "文字内容过多" in resp.get_data(as_text=True)


def test_a_cohort_document_bomb_is_refused(app, officer, bomb, make_worker):
    from datetime import date

    from hr.grades.models import Assessment, Assignment
    from hr.mentoring import services
    from hr.mentoring.models import CohortFile

    lead = make_worker(HONGKOU, hire_date=date(2010, 3, 1))
    db.session.add(Assignment(worker_id=lead.id, district_id=lead.district_id, post="LEAD", grade=12,
                              effective=date(2015, 1, 1), reason="入职定级"))
    db.session.add(Assessment(worker_id=lead.id, district_id=lead.district_id, year=2025, rating="优秀"))
    db.session.commit()
    studio = services.create_studio(lead.district_id, {"name": "测试书记工作室", "street_id": None, "lead_id": lead.id,
                                                       "founded": date(2020, 1, 1), "active": True, "intro": ""})
    cohort = services.create_cohort(studio, 2026, date(2026, 1, 1), "计划")
    db.session.commit()
    resp = _upload(officer, f"/mentoring/cohorts/{cohort.id}/files", bomb, name="计划.xlsx", kind="plan")
    assert "解压后过大" in resp.get_data(as_text=True) or "压缩比异常" in resp.get_data(as_text=True)
    assert db.session.query(CohortFile).count() == 0


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="a per-process measurement: SQLite run only")
def test_peak_memory_of_the_worst_permitted_import(tmp_path: Path):
    """The largest shared-strings table and the most rows the limits allow, 340,000 cells of
    errors: the whole request (parse, checks, preview page) in a fresh process."""
    path = tmp_path / "worst.xlsx"
    path.write_bytes(hostile_files.worst_permitted())
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    out = subprocess.run([sys.executable, str(root / "tests/security/upload_rss.py"), str(path)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300, check=True).stdout.split()
    peak, baseline, status = int(out[-3]), int(out[-2]), int(out[-1])
    assert status == 200
    assert peak < 300, (peak, baseline)


@pytest.mark.parametrize("name", ["a\"; filename*=UTF-8''evil.html.pdf",
                                  "..\\..\\boot.ini.pdf", "a;b=c%22.pdf"])
def test_an_uploaded_name_cannot_rewrite_the_download_name(app, officer, make_worker, name):
    from datetime import date

    from werkzeug.http import parse_options_header

    from hr.grades.models import Assessment, Assignment
    from hr.mentoring import services
    from hr.mentoring.models import CohortFile

    lead = make_worker(HONGKOU, hire_date=date(2010, 3, 1))
    db.session.add(Assignment(worker_id=lead.id, district_id=lead.district_id, post="LEAD", grade=12,
                              effective=date(2015, 1, 1), reason="入职定级"))
    db.session.add(Assessment(worker_id=lead.id, district_id=lead.district_id, year=2025, rating="优秀"))
    db.session.commit()
    studio = services.create_studio(lead.district_id, {"name": "名字书记工作室", "street_id": None, "lead_id": lead.id,
                                                       "founded": date(2020, 1, 1), "active": True, "intro": ""})
    cohort = services.create_cohort(studio, 2026, date(2026, 1, 1), "计划")
    db.session.commit()
    _upload(officer, f"/mentoring/cohorts/{cohort.id}/files", b"%PDF-1.4 test", name=name, kind="plan")
    f = db.session.query(CohortFile).one()
    resp = officer.get(f"/mentoring/files/{f.id}")
    header = resp.headers["Content-Disposition"]
    value, params = parse_options_header(header)
    assert value == "attachment"
    assert set(params) <= {"filename", "filename*"}
    shown = params.get("filename*", params.get("filename", ""))
    assert shown.endswith(".pdf") and not any(c in shown for c in "\"\\/;\r\n")
    assert header.count("filename=") == 1 and header.count("filename*=") <= 1, header
    assert "evil.html\"" not in header and "\r" not in header and "\n" not in header

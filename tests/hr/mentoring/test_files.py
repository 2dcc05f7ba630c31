"""Cohort documents: kinds and sizes accepted, random stored names under the upload folder,
scoped downloads with the original (Chinese) name."""
import io
import os
import zipfile

import pytest

from tests.conftest import HONGKOU, PUDONG
from tests.helpers.mentoring import cohort
from tests.helpers.web import text

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _zip(name):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, "<x/>")
        z.writestr("[Content_Types].xml", "<x/>")
    return buf.getvalue()


def _upload(c, cohort_id, content, filename, kind="plan"):
    return c.post(f"/mentoring/cohorts/{cohort_id}/files", data={"kind": kind, "file": (io.BytesIO(content), filename)},
                  content_type="multipart/form-data", follow_redirects=True)


@pytest.mark.parametrize("content, filename", [
    (PDF, "2026年带教计划.pdf"), (PNG, "合影.png"), (JPG, "现场.JPG"), (JPG, "现场.jpeg"),
    (_zip("word/document.xml"), "总结.docx"), (_zip("xl/workbook.xml"), "台账.xlsx"),
])
def test_accepted_files_are_stored_under_a_random_name(app, login_as, studio, content, filename):
    from hr.audit.models import AuditEntry
    from hr.core.db import db
    from hr.mentoring.models import CohortFile

    c_ = cohort(studio())
    c = login_as("officer")
    resp = _upload(c, c_.id, content, filename)
    assert f"已上传 {filename}。" in text(resp)
    f = db.session.query(CohortFile).one()
    assert f.filename == filename and f.size == len(content) and f.kind == "plan"
    assert f.stored_name != filename and len(f.stored_name.split(".")[0]) == 32
    path = os.path.join(app.config["UPLOAD_FOLDER"], "mentoring", f.stored_name)
    with open(path, "rb") as fh:
        assert fh.read() == content
    got = c.get(f"/mentoring/files/{f.id}")
    assert got.status_code == 200 and got.data == content
    assert "filename*=UTF-8''" in got.headers["Content-Disposition"]
    assert db.session.query(AuditEntry).filter_by(object_type="cohort_file", action="create").count() == 1
    assert db.session.query(AuditEntry).filter_by(object_type="cohort_file", action="export").count() == 1


@pytest.mark.parametrize("content, filename, message", [
    (PDF, "计划.exe", "只接受 PDF、Word（.docx）、Excel（.xlsx）、JPG 或 PNG 文件"),
    (PDF, "计划", "只接受 PDF"),
    (b"MZ\x90\x00", "计划.pdf", "文件内容与扩展名 .pdf 不符"),
    (PNG, "计划.jpg", "文件内容与扩展名 .jpg 不符"),
    (_zip("xl/workbook.xml"), "计划.docx", "文件内容与扩展名 .docx 不符"),
    (b"PK\x03\x04garbage", "计划.xlsx", "文件内容与扩展名 .xlsx 不符"),
    (b"", "计划.pdf", "文件为空"),
])
def test_refused_files(app, login_as, studio, content, filename, message):
    from hr.core.db import db
    from hr.mentoring.models import CohortFile

    c_ = cohort(studio())
    c = login_as("officer")
    before = set(os.listdir(os.path.join(app.config["UPLOAD_FOLDER"], "mentoring"))) \
        if os.path.isdir(os.path.join(app.config["UPLOAD_FOLDER"], "mentoring")) else set()
    resp = _upload(c, c_.id, content, filename)
    assert message in text(resp)
    assert db.session.query(CohortFile).count() == 0
    assert set(os.listdir(os.path.join(app.config["UPLOAD_FOLDER"], "mentoring"))) == before


def test_size_limit(app, login_as, studio):
    c_ = cohort(studio())
    c = login_as("officer")
    old = app.config["MENTORING_MAX_UPLOAD"]
    app.config["MENTORING_MAX_UPLOAD"] = 1024 * 1024
    try:
        resp = _upload(c, c_.id, PDF + b"0" * (1024 * 1024), "大文件.pdf")
        assert "文件不能超过 1 MB" in text(resp)
    finally:
        app.config["MENTORING_MAX_UPLOAD"] = old


def test_delete_removes_record_and_file(app, login_as, studio):
    from hr.core.db import db
    from hr.mentoring.models import CohortFile

    c_ = cohort(studio())
    c = login_as("officer")
    _upload(c, c_.id, PDF, "总结.pdf", kind="summary")
    f = db.session.query(CohortFile).one()
    assert f.kind_name == "年度总结"
    path = os.path.join(app.config["UPLOAD_FOLDER"], "mentoring", f.stored_name)
    resp = c.post(f"/mentoring/files/{f.id}/delete", follow_redirects=True)
    assert "已删除附件。" in text(resp)
    assert db.session.query(CohortFile).count() == 0 and not os.path.exists(path)


def test_downloads_are_scoped(login_as, studio, mentor):
    from hr.core.db import db
    from hr.mentoring.models import CohortFile

    c_ = cohort(studio(lead=mentor(district=PUDONG)))
    pudong = login_as("officer", PUDONG)
    _upload(pudong, c_.id, PDF, "浦东计划.pdf")
    f = db.session.query(CohortFile).one()
    assert login_as("officer", HONGKOU).get(f"/mentoring/files/{f.id}").status_code == 404
    assert login_as("auditor", PUDONG).get(f"/mentoring/files/{f.id}").status_code == 200
    assert login_as("auditor", None).get(f"/mentoring/files/{f.id}").status_code == 200

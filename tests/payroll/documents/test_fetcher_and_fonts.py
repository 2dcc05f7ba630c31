"""WeasyPrint fetches nothing but the application's static files; fonts are subset and the
Chinese text is embedded and extractable."""
from __future__ import annotations

from pathlib import Path

import pytest

from payroll.documents.render import StaticOnlyFetcher, html_to_pdf
from tests.helpers.documents import pdf_text

STATIC = Path(__file__).resolve().parents[3] / "static"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.css", "https://example.org/logo.png", "file:///etc/passwd",
    (STATIC / ".." / "wsgi.py").resolve().as_uri(), (STATIC / "nope.css").as_uri(), "data:text/css,body{}",
    "ftp://127.0.0.1/x", "file://otherhost" + str(STATIC / "print.css"),
])
def test_refuses_everything_but_static_files(url):
    fetcher = StaticOnlyFetcher(STATIC)
    assert fetcher.resolve(url) is None
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_serves_static_files():
    fetcher = StaticOnlyFetcher(STATIC)
    resp = fetcher.fetch((STATIC / "print.css").as_uri())
    assert resp.content_type == "text/css" and b"@page" in resp.read()
    resp.close()


def test_a_document_pointing_elsewhere_renders_without_fetching(monkeypatch):
    import urllib.request

    def boom(*a, **k):  # any network or file access through urllib would land here
        raise AssertionError("fetched")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", boom)
    html = ('<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><link rel="stylesheet" href="print.css">'
            '</head><body><img src="file:///etc/passwd"><img src="https://example.org/a.png"><p>张丽 工资条</p></body></html>')
    pages, text = pdf_text(html_to_pdf(html, str(STATIC)))
    assert pages == 1 and "张丽 工资条" in text


def test_fonts_are_subset_with_harfbuzz():
    from weasyprint.text.ffi import harfbuzz_subset

    assert harfbuzz_subset is not None  # Debian's libharfbuzz-subset0
    content = html_to_pdf('<html><head><link rel="stylesheet" href="print.css"></head>'
                          '<body><p>上海市虹口区 社区工作者工资条 <b>实发合计</b></p></body></html>', str(STATIC))
    # Noto Sans CJK is ~20 MB per weight: embedded as subsets (the "ABCDEF+" prefix), the
    # regular and the bold weigh a few hundred KB.
    assert len(content) < 400_000
    import io
    import re

    from pypdf import PdfReader

    fonts = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/Font"]
    names = sorted(str(f.get_object()["/BaseFont"]) for f in fonts.values())
    assert len(names) == 2 and all(re.fullmatch(r"/[A-Z]{6}\+Noto-Sans-CJK-SC(-Bold)?", n) for n in names), names
    assert "社区工作者工资条" in pdf_text(content)[1]

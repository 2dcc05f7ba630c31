"""WeasyPrint's side of rendering: a URL fetcher that serves only the application's static
files, and one HTML document to PDF. Imported on first use (see ``render``), since WeasyPrint
takes over a second to load."""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticOnlyFetcher(URLFetcher):
    """Serves files under the static folder and refuses every other URL (other files, http,
    data:, ...). A refused resource is left out of the document (WeasyPrint logs it)."""

    def __init__(self, static_dir: str | Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = Path(static_dir).resolve()

    def resolve(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.resolve(url)
        if path is None:
            raise ValueError(f"refused to fetch {url!r}: only the application's static files are allowed")
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mimetype})


def html_to_pdf(html: str, static_dir: str) -> bytes:
    """One HTML document as PDF bytes. Relative URLs resolve against the static folder."""
    root = Path(static_dir).resolve()
    return HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=StaticOnlyFetcher(root)).write_pdf()

"""HTML to PDF with WeasyPrint, fetching nothing but the application's own static files, and
batches spread over worker processes.

This module imports neither Flask nor the database: the worker processes of a batch load only
it (and WeasyPrint), receive finished HTML and send back PDF bytes."""
from __future__ import annotations

import ctypes
import io
import mimetypes
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
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


def merge(pdfs: Sequence[bytes]) -> bytes:
    """Concatenate PDF documents, pages in order."""
    if len(pdfs) == 1:
        return pdfs[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for content in pdfs:
        writer.append(PdfReader(io.BytesIO(content)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _context() -> multiprocessing.context.BaseContext:
    """A forkserver: workers start from a clean process that has imported only this module,
    never from a copy of a threaded web worker or its database connections."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in (b"Z", b"X")


def die_with(owner: int) -> None:
    """Pool initializer: this render process ends with the process that started the batch,
    even when that one is killed with SIGKILL. The kernel sends SIGKILL when the parent (the
    forkserver, which itself leaves when its owner dies) goes; a watchdog thread also looks
    for the owner every second, so no render process outlives a killed job or command."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watchdog alone
        pass

    def watch() -> None:
        while _alive(owner):
            threading.Event().wait(1.0)
        os._exit(1)

    if not _alive(owner):
        os._exit(1)
    threading.Thread(target=watch, name="owner-watchdog", daemon=True).start()


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """End a pool at once (the batch failed or the process is stopping): no waiting for the
    documents still being rendered."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)


def render_all(documents: Iterable[tuple[str, int]], static_dir: str, processes: int = 2,
               progress: Callable[[int], None] | None = None) -> list[bytes]:
    """Render (html, weight) documents to PDF bytes, in order. With more than one process the
    documents go to a pool as they are produced (the caller's generator builds the next
    street's HTML while the pool renders); `progress(weight)` is called as each finishes."""
    if processes <= 1:
        out = []
        for html, weight in documents:
            out.append(html_to_pdf(html, static_dir))
            if progress:
                progress(weight)
        return out
    futures: dict[Future[bytes], tuple[int, int]] = {}
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=_context(), initializer=die_with,
                               initargs=(os.getpid(),))
    try:
        for i, (html, weight) in enumerate(documents):
            futures[pool.submit(html_to_pdf, html, static_dir)] = (i, weight)
        results: list[bytes] = [b""] * len(futures)
        for future in as_completed(futures):
            i, weight = futures[future]
            results[i] = future.result()
            if progress:
                progress(weight)
    except BaseException:
        _stop_now(pool)
        raise
    pool.shutdown(wait=True)
    return results

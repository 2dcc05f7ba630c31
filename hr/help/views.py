from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template

bp = Blueprint("help", __name__)


@bp.route("/help")
def manual() -> str:
    """The manual is the same for everyone and shows no data, so it needs no login."""
    return render_template("help/manual.html")


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page links; the icon lives in static/."""
    content = (Path(current_app.static_folder or "static") / "favicon.ico").read_bytes()
    resp = Response(content, mimetype="image/vnd.microsoft.icon")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp

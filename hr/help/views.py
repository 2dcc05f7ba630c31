from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, send_from_directory

bp = Blueprint("help", __name__)


@bp.route("/help")
def manual() -> str:
    """The manual is the same for everyone and shows no data, so it needs no login."""
    return render_template("help/manual.html")


@bp.route("/favicon.ico")
def favicon() -> Response:
    return send_from_directory(current_app.static_folder or "static", "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)

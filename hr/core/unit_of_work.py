"""One unit of work per web request that writes: the view runs its services inside
``unit_of_work``, which commits once when they succeed; on a domain error it rolls back and
shows the Chinese message (beside the form field at fault, or as a flash message), and the view
carries on to show the page again. Any other exception rolls back and propagates.

    with unit_of_work(form) as work:
        street = services.add_street(district, form.name.data, form.kind.data)
    if work.ok:
        flash(f"已新增街镇 {street.name}。", "success")
        return redirect(...)
    return render_template(...)  # the form, with the service's message on it

The JSON API does the same once for every operation (hr/api/routing.route); CLI commands
commit at their end.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import flash

from hr.core.db import db
from hr.core.errors import DomainError


@dataclass
class Work:
    """The outcome of one unit of work: ``error`` is the domain error that rolled it back."""

    error: DomainError | None = None
    _undo: list[Callable[[], None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def on_rollback(self, undo: Callable[[], None]) -> None:
        """Run `undo` if the work is rolled back (a file written outside the database)."""
        self._undo.append(undo)

    def _rolled_back(self) -> None:
        db.session.rollback()
        for undo in reversed(self._undo):
            undo()


def form_fields(form: Any) -> dict[str, Any]:
    """Every input of a form by its HTML name and by its attribute name, nested lists included."""
    out: dict[str, Any] = {}
    for f in form:
        if f.type in ("FieldList", "FormField"):
            out.update(form_fields(f))
        else:
            out[f.name] = f
            out.setdefault(f.short_name, f)
    return out


def show_error(error: DomainError, form: Any = None) -> None:
    """Put a domain error's messages beside the form fields they name; flash the others."""
    messages: dict[str, str] = getattr(error, "errors", None) or {error.field or "": error.message}
    fields = form_fields(form) if form is not None else {}
    for name, message in messages.items():
        target = fields.get(name) if name else None
        if target is not None and target.type != "HiddenField":
            target.errors = [*target.errors, message]
        else:
            flash(message, "danger")


@contextmanager
def unit_of_work(form: Any = None, *, show: bool = True) -> Iterator[Work]:
    """Commit what the block did once; on a DomainError roll back and show its message (on
    `form` when given), then carry on after the block with ``work.ok`` false. With
    ``show=False`` the view shows ``work.error`` itself (a JSON answer, a status code)."""
    work = Work()
    try:
        yield work
        db.session.commit()
    except DomainError as e:
        work._rolled_back()
        work.error = e
        if show:
            show_error(e, form)
    except BaseException:
        work._rolled_back()
        raise

"""The base of every form: WTForms' own messages ("Not a valid date value.") in Chinese.

Flask-WTF only translates through Flask-Babel, which the application does not use, so the
forms ask WTForms for its bundled zh catalogue directly."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import get_translations

_ZH = get_translations(["zh"])


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            return _ZH


def choices(pairs: Any, optgroup: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs, or plain values, as select options (WTForms ≥ 3.3 deprecates tuples)."""
    out = []
    for p in pairs:
        value, label = (p, p) if isinstance(p, str) else p
        out.append(SelectChoice(value, label, optgroup=optgroup))
    return out

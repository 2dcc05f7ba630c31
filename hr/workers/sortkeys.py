"""Derived columns of the register kept on every save: the pinyin sort key of the name and the
last four characters of the ID number (the part a masked ID shows, so officers search by it)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4096)
def pinyin_key(name: str) -> str:
    """Names sort by their reading, as officers expect (丁 ding, 万 wan, 于 yu), tone numbers
    breaking ties; pypinyin is imported on first use so that start-up stays fast."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name.strip(), style=Style.TONE3, neutral_tone_with_five=True, errors="default")
    return " ".join(s.strip().lower() for s in syllables if s.strip())[:255]


def id_tail(id_number: str) -> str:
    return (id_number or "")[-4:].upper()


def refresh(worker: Any) -> None:
    worker.name_key = pinyin_key(worker.name or "")
    worker.id_tail = id_tail(worker.id_number or "")

"""Money: one way in (``D``), explicit rounding, exact integer-fen conversion.

All amounts are ``decimal.Decimal`` yuan. Floats are refused everywhere: a float
cannot hold 0.10 exactly, so it never gets a chance to enter a calculation.
Every rounding uses ``ROUND_HALF_UP`` (or an explicit upward rule for 见分进角),
never the banker's rounding that ``Decimal`` uses by default.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "D",
    "FEN",
    "JIAO",
    "YUAN",
    "ZERO",
    "from_fen",
    "places",
    "round_fen",
    "round_jiao_up",
    "round_yuan",
    "to_fen",
]

ZERO = Decimal("0")
FEN = Decimal("0.01")
JIAO = Decimal("0.1")
YUAN = Decimal("1")
_HUNDRED = Decimal(100)


def D(value: str | int | Decimal) -> Decimal:
    """Return ``value`` as a Decimal (yuan, or a rate); no rounding.

    Accepts ``str`` (``"1,234.50"`` with thousands commas allowed), ``int`` and
    ``Decimal``. Refuses ``float`` and ``bool`` with ``TypeError``, and text that is
    not a finite number with ``ValueError``.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"money must be str, int or Decimal, not {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    else:
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"not a decimal number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def round_fen(x: Decimal) -> Decimal:
    """Round yuan ``x`` half-up to the fen (0.01 yuan); result has 2 places."""
    if type(x) is Decimal and x.is_finite():  # the hot path: checked inline
        return x.quantize(FEN, ROUND_HALF_UP)
    return _check(x).quantize(FEN, rounding=ROUND_HALF_UP)


def round_yuan(x: Decimal) -> Decimal:
    """Round yuan ``x`` half-up to the whole yuan; result is written with 2 places (e.g. 451.00)."""
    if type(x) is Decimal and x.is_finite():
        return x.quantize(YUAN, ROUND_HALF_UP).quantize(FEN)
    return _check(x).quantize(YUAN, rounding=ROUND_HALF_UP).quantize(FEN)


def round_jiao_up(x: Decimal) -> Decimal:
    """见分进角: round yuan ``x`` to the jiao (0.10 yuan), any fen carrying UP.

    Reading: ``x`` is first rounded half-up to the fen; a non-zero fen digit then
    raises the amount to the next jiao (1.20 stays 1.20, 1.21 becomes 1.30,
    1.2049 is 1.20 at the fen and stays 1.20). A negative amount carries away
    from zero (-1.21 becomes -1.30). Result has 2 places.
    """
    fen = round_fen(x)
    rounded = abs(fen).quantize(JIAO, rounding=ROUND_CEILING)
    return (rounded if fen >= 0 else -rounded).quantize(FEN)


def to_fen(x: Decimal) -> int:
    """Return yuan ``x`` as an exact integer number of fen (1 yuan = 100 fen).

    No rounding: raises ``ValueError`` when ``x`` is not a whole number of fen
    (more than 2 significant decimals, e.g. 1.005). ``1.230`` is accepted (exactly 123 fen).
    """
    scaled = _check(x) * _HUNDRED
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{x} yuan is not a whole number of fen")
    return int(scaled)


def from_fen(fen: int) -> Decimal:
    """Return an integer number of fen as yuan with exactly 2 places (12345 -> 123.45)."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be int, not {type(fen).__name__}")
    return Decimal(fen).scaleb(-2).quantize(FEN)


def places(x: Decimal) -> int:
    """Return the number of decimal places that ``x`` really needs (1.230 -> 2, 5 -> 0)."""
    normal = _check(x).normalize()
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    return max(0, -exponent)


def _check(x: Decimal) -> Decimal:
    """Refuse anything but a finite Decimal at a rounding point."""
    if not isinstance(x, Decimal):
        raise TypeError(f"expected Decimal, not {type(x).__name__}")
    if not x.is_finite():
        raise ValueError(f"not a finite number: {x}")
    return x

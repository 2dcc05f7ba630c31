"""The pure payroll calculation core (pay-rules.md §3-§6a).

Framework-free: standard library only. Takes plain values and reference
dataclasses, returns ``Decimal`` yuan. Modules: ``money`` (Decimal in/out and
rounding), ``reference`` (scales, bounds, rates, tax tables and their seeded
defaults), ``earnings``, ``contributions``, ``tax`` and ``engine`` (a one-worker,
one-year month-by-month simulation used by the trial calculation).
"""

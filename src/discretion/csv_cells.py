"""CSV cells that a spreadsheet will not run: a cell starting with =, +, -, @, a tab or a carriage
return is a formula to Excel and LibreOffice (CSV injection), so it is written with a leading
apostrophe. Used by every CSV export that people open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    return [safe_cell(v) for v in values]

"""The working-day calendars the clocks run on: the UK's bank holidays with the council's one-off
days (FOIA s10(6) for FOI/EIR; the council's own nation for subject access)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from discretion import deadlines
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.models import (
    CalendarChange,
    CalendarDay,
    NationScope,
)


def sar_nation() -> str:
    """The council's own nation for the subject-access roll-forward (England and Wales by default)."""
    return str(getattr(settings, "DISCRETION_NATION", deadlines.Nation.ENGLAND_WALES.value))


def load_overrides(nation: str | None = None) -> deadlines.CalendarOverrides:
    """The council's one-off days. FOIA/EIR (nation None): a change anywhere in the UK counts
    (FOIA s10(6)); subject access: only changes for the council's nation or the whole UK."""
    rows = CalendarDay.objects.all()
    if nation is not None:
        rows = rows.filter(scope__in=[NationScope.ALL, nation])
    added: dict[dt.date, str] = {}
    removed: set[dt.date] = set()
    for row in rows:
        if row.change == CalendarChange.ADDED:
            added[row.date] = row.name
        else:
            removed.add(row.date)
    # An addition in one nation wins over a removal in another: s10(6) counts a holiday anywhere.
    return deadlines.CalendarOverrides(added=added, removed=frozenset(removed - set(added)))


def foi_cal() -> deadlines.WorkingCalendar:
    return deadlines.foi_calendar(load_overrides())


def sar_cal() -> deadlines.WorkingCalendar:
    nation = sar_nation()
    return deadlines.nation_calendar(nation, load_overrides(nation))

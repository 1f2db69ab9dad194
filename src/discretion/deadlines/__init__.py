"""Statutory clocks: UK working-day calendars and the FOI, EIR and subject-access deadlines.

Pure core: no Django, no I/O (the command line is in `cli.py`).
"""

from discretion.deadlines.calendars import (
    ALL_REGIONS,
    NATION_REGIONS,
    CalendarOverrides,
    Nation,
    Rag,
    Region,
    WorkingCalendar,
    add_working_days,
    days_left,
    foi_calendar,
    is_working_day,
    nation_calendar,
    rag_status,
    received_on_from,
    working_days_between,
)
from discretion.deadlines.clocks import (
    Deadline,
    Regime,
    SkippedDay,
    add_months,
    eir_due,
    foi_due,
    foi_extension_limit,
    internal_review_due,
    sar_due,
)

__all__ = [
    "ALL_REGIONS",
    "NATION_REGIONS",
    "CalendarOverrides",
    "Deadline",
    "Nation",
    "Rag",
    "Regime",
    "Region",
    "SkippedDay",
    "WorkingCalendar",
    "add_months",
    "add_working_days",
    "days_left",
    "eir_due",
    "foi_calendar",
    "foi_due",
    "foi_extension_limit",
    "internal_review_due",
    "is_working_day",
    "nation_calendar",
    "rag_status",
    "received_on_from",
    "sar_due",
    "working_days_between",
]

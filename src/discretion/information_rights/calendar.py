"""The council's calendar overrides for the `discretion deadline` command, which runs without Django:
this starts Django only when the command is run, then reads the admin's one-off days."""

from __future__ import annotations

import os

from discretion.deadlines import CalendarOverrides


def cli_overrides() -> CalendarOverrides:
    """All-UK overrides (FOIA s10(6)). A failure to read them is a ValueError, so the command exits 2
    with one line rather than printing a date that ignores a proclaimed holiday."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
    import django
    from django.apps import apps
    from django.db import DatabaseError

    if not apps.ready:
        django.setup()
    from discretion.bootstrap import database_has_table
    from discretion.information_rights.models import CalendarDay
    from discretion.information_rights.services import load_overrides

    if not database_has_table(CalendarDay._meta.db_table):
        return CalendarOverrides()  # no council database set up: no one-off days to apply
    try:
        return load_overrides()
    except DatabaseError as exc:
        raise ValueError(f"cannot read the council's calendar overrides: {exc}") from None

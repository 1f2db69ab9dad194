"""Starting Django from a command, and asking whether its database is there yet.

Below every app: a command, or an app's provider for one (the scanner's known people, the
calendar's one-off days), starts Django through here, never through the command modules above.
"""

from __future__ import annotations

import os
from pathlib import Path


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
    import django

    django.setup()


def database_has_table(table: str) -> bool:
    """Whether the configured database exists and has been migrated as far as `table`.

    Commands that only read optional council data (calendar one-off days, known people) use it
    so they still work where no database has been set up, without creating one.
    """
    setup_django()
    from django.db import DatabaseError, connection

    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name != ":memory:" and not Path(name).exists():
            return False
    try:
        return table in connection.introspection.table_names()
    except DatabaseError:
        return False

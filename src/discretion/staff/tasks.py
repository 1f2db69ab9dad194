"""Background work for staff duties (Django tasks, database-backed worker)."""

from __future__ import annotations

from django_tasks import task

from discretion.staff import services


@task()
def deactivate_ended_accounts() -> list[int]:
    """Daily: lock accounts past their end date (agency and fixed-term staff, policy 1.2)."""
    return services.deactivate_ended_accounts()


@task()
def run_misuse_detection() -> int:
    """Every few minutes: misuse signals over new audit events; returns the alerts raised."""
    return len(services.run_misuse_detection().alerts)

"""The information-rights dashboard: open cases with their clocks and monthly compliance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from discretion import deadlines
from discretion.audit import services as audit
from discretion.errors import InvalidInput as InvalidInput
from discretion.errors import NotPermitted as NotPermitted
from discretion.information_rights.models import (
    InfoRequest,
    Outcome,
    SarCase,
)
from discretion.information_rights.permissions import require_igo
from discretion.information_rights.working_calendars import foi_cal, sar_cal
from discretion.staff.models import Staff


@dataclass(frozen=True)
class OpenCase:
    kind: str
    pk: int
    ref: str
    regime: str
    due_on: dt.date
    days_left: int
    rag: str  # green, amber, red, or on_hold while the clock is stopped
    handler: str
    waiting_for: str = ""  # what a stopped clock waits for: "clarification" or "fee"


ON_HOLD = "on_hold"


@dataclass
class MonthCompliance:
    month: str
    answered: int = 0
    in_time: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.in_time / self.answered) if self.answered else 0

    @property
    def meets_target(self) -> bool:
        return self.percent >= 90


@dataclass
class Dashboard:
    today: dt.date
    open_cases: list[OpenCase] = field(default_factory=list)
    due_this_week: list[OpenCase] = field(default_factory=list)
    overdue: list[OpenCase] = field(default_factory=list)
    compliance: list[MonthCompliance] = field(default_factory=list)


def open_cases(today: dt.date) -> list[OpenCase]:
    fcal, scal = foi_cal(), sar_cal()
    rows: list[OpenCase] = []
    for req in InfoRequest.objects.filter(closed_on__isnull=True).select_related("handler"):
        rows.append(
            OpenCase(
                "request",
                req.pk,
                req.ref,
                req.regime.upper(),
                req.due_on,
                deadlines.days_left(req.due_on, today, fcal),
                ON_HOLD if req.on_hold else deadlines.rag_status(req.due_on, today, fcal).value,
                req.handler.display_name if req.handler else "",
                req.on_hold,
            )
        )
    for sar in SarCase.objects.filter(closed_on__isnull=True).select_related("handler"):
        rows.append(
            OpenCase(
                "sar",
                sar.pk,
                sar.ref,
                "SAR",
                sar.due_on,
                deadlines.days_left(sar.due_on, today, scal),
                ON_HOLD if sar.on_hold else deadlines.rag_status(sar.due_on, today, scal).value,
                sar.handler.display_name if sar.handler else "",
                sar.on_hold,
            )
        )
    rows.sort(key=lambda r: (r.due_on, r.ref))
    return rows


def dashboard(actor: Staff, today: dt.date | None = None, months: int = 12) -> Dashboard:
    """The IG team's view: clocks, and per-month compliance (ICO expects at least 90 % in time)."""
    require_igo(actor)
    today = today or timezone.localdate()
    board = Dashboard(today=today, open_cases=open_cases(today))
    week_end = today + dt.timedelta(days=6 - today.weekday())
    running = [c for c in board.open_cases if c.rag != ON_HOLD]
    board.overdue = [c for c in running if c.due_on < today]
    board.due_this_week = [c for c in running if today <= c.due_on <= week_end]
    first = deadlines.add_months(today.replace(day=1), -(months - 1))
    by_month: dict[str, MonthCompliance] = {}
    cursor = first
    while cursor <= today:
        key = cursor.strftime("%Y-%m")
        by_month[key] = MonthCompliance(key)
        cursor = deadlines.add_months(cursor, 1)
    closed = InfoRequest.objects.filter(closed_on__gte=first).exclude(outcome=Outcome.TRANSFERRED)
    for closed_on, due_on in closed.values_list("closed_on", "due_on"):
        row = by_month.get(closed_on.strftime("%Y-%m")) if closed_on is not None else None
        if row is not None and closed_on is not None:
            row.answered += 1
            row.in_time += closed_on <= due_on
    board.compliance = list(by_month.values())
    audit.record(actor.pk, "ir.dashboard.read", object_type="dashboard")
    return board


def dashboard_csv_rows(board: Dashboard) -> Iterable[list[str]]:
    yield ["kind", "ref", "regime", "due_on", "working_days_left", "status", "handler"]
    for c in board.open_cases:
        yield [c.kind, c.ref, c.regime, c.due_on.isoformat(), str(c.days_left), c.rag, c.handler]

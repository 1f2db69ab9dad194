"""FOI/EIR and subject-access dashboard pages (the pages of each are in `foi_views` and
`sar_views`). Thin views: parse the form, call a service, render a GOV.UK page."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from discretion.csv_cells import safe_row
from discretion.information_rights import services
from discretion.information_rights.page_actions import REFUSALS, refused_page
from discretion.web import pages

# --- dashboard ---------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        board = services.dashboard(pages.actor(request))
    except REFUSALS as exc:
        return refused_page(request, exc)
    bar_width = 40
    bars = [
        {
            "row": m,
            "x": 40 + i * (bar_width + 12),
            "height": m.percent * 2,
            "y": 210 - m.percent * 2,
            "label_x": 40 + i * (bar_width + 12) + bar_width // 2,
        }
        for i, m in enumerate(board.compliance)
    ]
    return render(
        request,
        "information_rights/dashboard.html",
        {
            "board": board,
            "bars": bars,
            "bar_width": bar_width,
            "chart_width": 60 + len(bars) * (bar_width + 12),
        },
    )


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    try:
        board = services.dashboard(pages.actor(request))
    except REFUSALS as exc:
        return refused_page(request, exc)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="information-rights-open-cases.csv"'
    writer = csv.writer(response)
    for row in services.dashboard_csv_rows(board):
        writer.writerow(safe_row(row))
    return response

"""Notification pages: the list, and opening one (marked read, then to what it is about)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from discretion.notifications import services
from discretion.web.pages import actor as _actor


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = services.notifications_for(_actor(request))
    return render(
        request,
        "notifications/list.html",
        {"rows": rows, "unread": sum(1 for n in rows if n.read_at is None), "done": request.GET.get("done")},
    )


@login_required
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    row = services.open_notification(_actor(request), notification_id)  # NotFound: the dull 404
    link = row.link if url_has_allowed_host_and_scheme(row.link, allowed_hosts=None) else ""
    return HttpResponseRedirect(link if link.startswith("/") else reverse("notifications:list"))


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(_actor(request))
    return HttpResponseRedirect(reverse("notifications:list") + "?done=1")

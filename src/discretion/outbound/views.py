"""Compose a message to an external recipient about a case, checked as it is written (policy 1.1).

Works without JavaScript: "Check message" posts the form and re-renders it with the findings. With htmx
loaded, the message fields post to `check` as the user types and only the findings panel is replaced.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from discretion import access, keyed
from discretion.outbound import recipients, services
from discretion.outbound.forms import ComposeForm
from discretion.requests import message_basis
from discretion.web.pages import actor as _actor
from discretion.web.pages import error_page, refused_page

SESSION_KEY = "outbound_sent"
SEND_ACTIONS = {
    "send": None,
    "secure_link": services.Route.SECURE_LINK,
    "secure_email": services.Route.SECURE_EMAIL,
    "encrypted_email": services.Route.ENCRYPTED_EMAIL,
}


def _panel(check: services.Check | None) -> dict[str, Any]:
    if check is None:
        return {"check": None}
    return {
        "check": check,
        "findings": check.personal_findings,
        "routes": [
            (str(r), services.ROUTE_NAMES[r]) for r in check.routes() if r is not services.Route.EMAIL
        ],
    }


def _check_form(form: ComposeForm) -> services.Check | None:
    """Findings for whatever the form holds so far (recipients only if they parse)."""
    data = form.data
    to: tuple[str, ...] = ()
    with contextlib.suppress(services.InvalidInput):
        to = services.parse_recipients(str(data.get("to", "")))
    subject, body = str(data.get("subject", "")), str(data.get("body", ""))
    if not subject.strip() and not body.strip():
        return None
    return services.check_message(to=to, subject=subject, body=body)


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest, ref: str) -> HttpResponse:
    actor = _actor(request)
    if actor.is_supervised:  # policy 1.2: they never send anything about a case outside the council
        if request.method == "POST":  # an attempt to send: refused, audited, their supervisor told
            from discretion.disclosures.services import refuse_supervised_release

            refuse_supervised_release(actor, [], what="compose page")
        else:
            access.refusal(actor, "outbound.compose", "Volunteers and students cannot write out.")
        return refused_page(
            request,
            "Volunteers and work-experience students cannot write to people outside the "
            "council. Ask the member of staff responsible for you.",
        )
    try:
        view = access.get_case_for(actor, ref=ref)
    except access.AccessDenied as exc:
        return error_page(request, exc, case_ref=ref)
    form = ComposeForm(
        request.POST or None,
        answerable=message_basis.requests_to_answer(actor),
        initial={"thread": request.GET.get("reply_to", "")},
    )
    prompts: tuple[recipients.Prompt, ...] = ()
    confirmed = request.POST.getlist("confirmed")
    check: services.Check | None = None
    error: str | None = None
    status = 200
    action = request.POST.get("action", "check")
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif action == "check":
            check = _check_form(form)
        else:
            data = form.cleaned_data
            try:
                sent = services.send_message(
                    actor,
                    to=data["to"],
                    subject=data["subject"],
                    body=data["body"],
                    route=SEND_ACTIONS.get(action),
                    override=action == "send_anyway",
                    case_id=view.case.pk,
                    recipient_name=data["recipient_name"],
                    recipient_organisation=data["recipient_organisation"],
                    purpose=data["purpose"],
                    request_id=data.get("request"),
                    confirmed=confirmed,
                    thread=data["thread"],
                )
            except recipients.ConfirmRecipients as exc:
                error, prompts, status = "Check the recipients before sending", exc.prompts, 400
            except services.Blocked as exc:
                error, check, status = str(exc), exc.check, 400
            except services.InvalidInput as exc:
                error, status = str(exc), 400
            else:
                # Sealed: the one-time codes wait in the session unreadable (keyed.py).
                request.session[SESSION_KEY] = keyed.seal(
                    {
                        "route": str(sent.route),
                        "case": view.case.ref,
                        "count": len(sent.messages),
                        "codes": [
                            [r.message.recipient_address, r.link_code] for r in sent.releases if r.link_code
                        ],
                        "disclosures": [r.disclosure.pk for r in sent.releases],
                    }
                )
                return HttpResponseRedirect(reverse("outbound:sent", args=[view.case.ref]))
    return render(
        request,
        "outbound/compose.html",
        {
            "case": view.case,
            "form": form,
            "error": error,
            "action": action,
            "prompts": prompts,
            "confirmed": confirmed,
            **_panel(check),
        },
        status=status,
    )


@login_required
@require_POST
def check(request: HttpRequest, ref: str) -> HttpResponse:
    """The findings panel alone, for htmx's live check as the user types (nothing sent). Only for
    someone who may work on the case: the findings say who in the text is on the council's records."""
    access.require_case_grant(_actor(request), ref=ref)
    form = ComposeForm(request.POST)
    return render(request, "outbound/_findings.html", _panel(_check_form(form)))


@login_required
def sent(request: HttpRequest, ref: str) -> HttpResponse:
    """Shown once after sending: the one-time codes are never stored in clear, so never shown again."""
    outcome = keyed.unseal(request.session.pop(SESSION_KEY, None))
    if not isinstance(outcome, dict) or outcome.get("case") != ref:
        return HttpResponseRedirect(reverse("web:case", args=[ref]))
    return render(
        request,
        "outbound/sent.html",
        {
            "outcome": outcome,
            "route_name": services.ROUTE_NAMES[services.Route(outcome["route"])],
            "case_ref": ref,
        },
    )

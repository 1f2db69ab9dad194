"""Who is told what about four-eyes sign-off: an FOI or EIR answer, or a subject-access bundle, waits
for a second information governance officer (every officer but the one who prepared it is told),
and the officer who prepared it is told once it is signed off. Called inside the services'
transactions, after their audit events.

The text names the case by its reference only, never the requester or the child."""

from __future__ import annotations

from django.urls import reverse

from discretion.information_rights.models import InfoRequest, SarCase
from discretion.notifications.models import Kind
from discretion.notifications.services import Notice, notify
from discretion.staff.models import Staff


def _officers_but(prepared_by_id: int | None) -> list[Staff]:
    from discretion.information_rights.review import who_can_sign_off

    return who_can_sign_off(prepared_by_id)


def answer_waits(req: InfoRequest, actor: Staff) -> None:
    notify(
        _officers_but(actor.pk),
        Notice(
            Kind.SIGN_OFF,
            f"The answer to {req.ref} waits for your sign-off: someone other than {actor.display_name} "
            "must sign it off before it is sent or published.",
            reverse("information_rights:request", args=[req.pk]),
            "info_request",
            req.pk,
        ),
        triggered_by=actor,
    )


def answer_signed_off(req: InfoRequest, actor: Staff) -> None:
    notify(
        [req.answer_prepared_by],
        Notice(
            Kind.SIGNED_OFF,
            f"{actor.display_name} signed off the answer to {req.ref}: it can be sent.",
            reverse("information_rights:request", args=[req.pk]),
            "info_request",
            req.pk,
        ),
        triggered_by=actor,
    )


def bundle_waits(sar: SarCase, actor: Staff) -> None:
    notify(
        _officers_but(actor.pk),
        Notice(
            Kind.SIGN_OFF,
            f"The subject access bundle for {sar.ref} waits for your sign-off: someone other than "
            f"{actor.display_name} must sign it off before it is released.",
            reverse("information_rights:sar-review", args=[sar.pk]),
            "sar",
            sar.pk,
        ),
        triggered_by=actor,
    )


def bundle_signed_off(sar: SarCase, actor: Staff) -> None:
    notify(
        [sar.prepared_by],
        Notice(
            Kind.SIGNED_OFF,
            f"{actor.display_name} signed off the subject access bundle for {sar.ref}: it can be released.",
            reverse("information_rights:sar-release", args=[sar.pk]),
            "sar",
            sar.pk,
        ),
        triggered_by=actor,
    )

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def branding(request: HttpRequest) -> dict[str, str]:
    return {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME}

"""Security headers on every response the application makes (static files are served earlier,
by WhiteNoise, and carry no personal data).

- Content-Security-Policy: scripts, styles, images and fonts only from this service's own
  static files; no inline script or style, no eval, no plugins, no framing, forms post only here.
- Permissions-Policy: no camera, microphone, location or other device features.
- Cache-Control: no-store, so no page or API answer (nearly all carry a child's personal data)
  is kept by a browser, a shared computer's disk cache or a proxy (UK GDPR Art 32).

Django's SecurityMiddleware already sends nosniff, Referrer-Policy and
Cross-Origin-Opener-Policy; X-Frame-Options comes from its clickjacking middleware.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers["Cache-Control"] = "no-store"
        return response

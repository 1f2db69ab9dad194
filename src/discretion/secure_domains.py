"""The secure-domain list (policy 1.1): domains personal data may be e-mailed to over TLS.

Below the apps: the outbound gateway decides routes with it, and delivery checks it again at
send time (the list may have changed since a message was queued).
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_SECURE_DOMAINS = ("gov.uk", "nhs.net", "police.uk", "cjsm.net", "gcsx.gov.uk")


def secure_domains() -> tuple[str, ...]:
    return tuple(
        d.lower().lstrip(".") for d in getattr(settings, "OUTBOUND_SECURE_DOMAINS", DEFAULT_SECURE_DOMAINS)
    )


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def is_secure_domain(address: str) -> bool:
    """The address is on a secure-domain list entry or a subdomain of one (`*.gov.uk`)."""
    domain = domain_of(address)
    return any(domain == d or domain.endswith("." + d) for d in secure_domains())

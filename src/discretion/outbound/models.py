"""Recipients' registered encryption keys: one of the secure routes out (policy 1.1)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RecipientKey(models.Model):
    """An OpenPGP public key a recipient has registered with the council; messages carrying personal
    data may be sent to that address encrypted to it (policy 1.1: "secure or encrypted connection")."""

    address = models.EmailField("e-mail address", max_length=254, unique=True)
    fingerprint = models.CharField(max_length=64)
    public_key = models.TextField(help_text="ASCII-armoured OpenPGP public key.")
    registered_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = "recipient key"

    def __str__(self) -> str:
        return f"{self.address} ({self.fingerprint[-16:]})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SentTo(models.Model):
    """An address a member of staff has sent to through the gateway: "never written to before" is a
    recipient prompt (issue 14), as in Egress Prevent."""

    staff = models.ForeignKey("staff.Staff", on_delete=models.CASCADE, related_name="+")
    address = models.EmailField(max_length=254)
    first_sent_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(default=timezone.now)
    times = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "address written to"
        constraints = [models.UniqueConstraint(fields=["staff", "address"], name="one_sent_to_per_address")]

    def __str__(self) -> str:
        return f"{self.address} ({self.times})"

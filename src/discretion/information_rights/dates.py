"""The GOV.UK date input, now shared by every app: see `discretion.govuk_fields`."""

from __future__ import annotations

from discretion.govuk_fields import PARTS as PARTS
from discretion.govuk_fields import GovUKDateField as GovUKDateField
from discretion.govuk_fields import GovUKDateInput as GovUKDateInput

"""The suite's hypothesis profile never times a test (CI is a loaded 2-core box)."""

from __future__ import annotations

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings


def test_the_ci_profile_is_loaded_without_deadline_or_timing_health_check() -> None:
    current = hypothesis_settings.default
    assert current is not None
    assert current.deadline is None
    assert HealthCheck.too_slow in current.suppress_health_check

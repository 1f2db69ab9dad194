import pytest


@pytest.fixture(autouse=True)
def _staff_urls(settings):
    settings.ROOT_URLCONF = "tests.staff.urls"

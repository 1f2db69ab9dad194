import pytest


@pytest.fixture(autouse=True)
def _disclosure_urls(settings):
    from discretion import urls

    if not any(getattr(p, "namespace", None) == "disclosures" for p in urls.urlpatterns):
        settings.ROOT_URLCONF = "tests.requests.urls"

import pytest


@pytest.fixture(autouse=True)
def _disclosure_urls(settings):
    """Serve /disclosures/ even before the root URLconf includes it."""
    from discretion import urls

    if not any(getattr(p, "namespace", None) == "disclosures" for p in urls.urlpatterns):
        settings.ROOT_URLCONF = "tests.requests.urls"

"""Reuse the real-Chromium fixtures for this app's browser test."""

from tests.browser.conftest import chromium, page  # noqa: F401

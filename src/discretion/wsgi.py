"""WSGI entry point (gunicorn: discretion.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.settings")
application = get_wsgi_application()

# A production server never starts on development keys (discretion.safety).
from discretion.safety import refuse_to_start  # noqa: E402

refuse_to_start()

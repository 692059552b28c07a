"""WSGI entry point: unchanged reader pages come from the page cache before Django runs (core/cache.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from core.cache import CachedPagesApplication  # noqa: E402 (needs the settings configured above)

application = CachedPagesApplication(application)

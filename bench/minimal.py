"""The baseline of bench/bench_site.py: Django with no middleware and one view returning bytes given to it.

Settings module and URLconf in one, served by the same gunicorn command as the site:
    DJANGO_SETTINGS_MODULE=bench.minimal BENCH_MINIMAL_BODIES=pages.json \
        gunicorn 'django.core.wsgi:get_wsgi_application()'
BENCH_MINIMAL_BODIES names a JSON file of [{"content_type": …, "body": <base64>}, …]; `/<n>` answers
the n-th body with its content type. bench_site.py fills it with the very bytes the site's pages returned, so the
two servers differ only in what the site does to produce them.
"""

import base64
import json
import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "bench-minimal-view-signs-nothing"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.minimal"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_I18N = False

BODIES = [
    (base64.b64decode(page["body"]), page["content_type"])
    for page in json.loads(Path(os.environ["BENCH_MINIMAL_BODIES"]).read_text("utf-8"))
]


def page(request, number: int) -> HttpResponse:
    body, content_type = BODIES[number]
    return HttpResponse(body, content_type=content_type)


urlpatterns = [path("<int:number>", page)]

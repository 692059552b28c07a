from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "bench.wagtail_site.pages"
    label = "bench_pages"

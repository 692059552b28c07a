from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from core.cache import cached_page
from public import api, views
from public.sitemaps import SITEMAPS

# The term pages keep the URL names they had when they lived in glossary ("glossary:term", "glossary:index").
term_patterns = (
    [
        path("", views.term_index, name="index"),
        path("<slug:slug>/", views.term_detail, name="term"),
    ],
    "glossary",
)

# Outside the language prefix.
urlpatterns = [
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
    path("healthz", views.health, name="health"),
    path("api/terms/", api.terms, name="api_terms"),
    path("api/articles/<slug:slug>/", api.article, name="api_article"),
    path("i18n/switch/<str:language>/", views.switch_language, name="switch_language"),
]

# Under each language's prefix (config/urls.py puts them in i18n_patterns).
language_urlpatterns = [
    path("", views.index, name="home"),
    path("terms/", include(term_patterns)),
    path("search/", views.search_view, name="search"),
    path("suggest/", views.suggest, name="suggest"),
]

# Last, after every other path outside the prefixes: `/slug` as written inside source files.
term_redirect_urlpatterns = [
    path("<slug:slug>", views.term_redirect, name="term_redirect"),
]

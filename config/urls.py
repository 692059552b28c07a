from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles import views as article_views
from glossary import api
from glossary import views as glossary_views
from glossary.cache import cached_page
from glossary.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("robots.txt", glossary_views.robots_txt, name="robots_txt"),
    path("favicon.ico", glossary_views.favicon),
    path("healthz", glossary_views.health, name="health"),
    path("api/terms/", api.terms, name="api_terms"),
    path("api/articles/<slug:slug>/", api.article, name="api_article"),
    # Language-neutral: one URL per image, whichever language version shows it.
    path("articles/<slug:slug>/img/<path:path>", article_views.article_image, name="article_image"),
    path("i18n/switch/<str:language>/", glossary_views.switch_language, name="switch_language"),
    path("<slug:slug>", glossary_views.term_redirect, name="term_redirect"),
]
urlpatterns += i18n_patterns(
    path("", glossary_views.index, name="home"),
    path("articles/", include("articles.urls")),
    path("terms/", include("glossary.urls")),
    path("search/", glossary_views.search_view, name="search"),
)

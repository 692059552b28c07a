from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from articles import views as article_views
from public import urls as public_urls

# Reader pages first: Django tries patterns in order, and they are most of the requests. No path outside the
# prefixes starts with a language code and a slash, so the order changes no match.
urlpatterns = i18n_patterns(
    path("articles/", include("articles.urls")),
    *public_urls.language_urlpatterns,
)
urlpatterns += [
    path("admin/", admin.site.urls),
    *public_urls.urlpatterns,
    # Language-neutral: one URL per image, whichever language version shows it.
    path("articles/<slug:slug>/img/<path:path>", article_views.article_image, name="article_image"),
    *public_urls.term_redirect_urlpatterns,
]

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from glossary import views as glossary_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/switch/<str:language>/", glossary_views.switch_language, name="switch_language"),
    path("<slug:slug>", glossary_views.term_redirect, name="term_redirect"),
]
urlpatterns += i18n_patterns(
    path("", glossary_views.index, name="home"),
    path("articles/", include("articles.urls")),
    path("terms/", include("glossary.urls")),
)

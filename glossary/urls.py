from django.urls import path

from glossary import views

app_name = "glossary"
urlpatterns = [
    path("<slug:slug>/", views.term_detail, name="term"),
]

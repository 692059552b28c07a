"""An article as a Wagtail page: title and description as fields, the body as rich text (HTML rendered on import)."""

from django.db import models
from wagtail.fields import RichTextField
from wagtail.models import Page


class ArticlePage(Page):
    description = models.TextField(blank=True)
    body = RichTextField()

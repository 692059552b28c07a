"""An article as a Wagtail page: title and description as fields, the body as rich text (HTML rendered on import)."""

from django.db import models
from django.utils.functional import cached_property
from wagtail.fields import RichTextField
from wagtail.models import Page


class ArticlePage(Page):
    description = models.TextField(blank=True)
    body = RichTextField()

    @cached_property
    def live_translations(self) -> list[Page]:
        """The page in its other languages, read once for both the alternate links and the language switcher."""
        return list(self.get_translations().live().select_related("locale"))

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles.reading_aids import add_reading_aids

register = template.Library()


@register.filter
def with_reading_aids(body: str) -> str:
    """The article body with an anchor link beside each h2 and h3 and labelled table cells (articles/reading_aids)."""
    label = gettext("Link to the section “%(title)s”")
    # Safe: the body is markup/'s sanitised HTML copied through unchanged; the only additions are built here with
    # every value escaped.
    return mark_safe(add_reading_aids(str(body), anchor_label=lambda title: label % {"title": title}))

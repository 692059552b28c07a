from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def x_default_link(links):
    """Return the link for hreflang="x-default": the default language's version, else the first that exists."""
    available = [link for link in links if link.available]
    for link in available:
        if link.code == settings.LANGUAGE_CODE:
            return link
    return available[0] if available else None

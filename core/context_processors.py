from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from core.switcher import language_links


def site_languages(request):
    """Give every page, error pages included, a switcher that at least leads to each language's home.

    Lazy: pages that build their own links (most of them) never pay for these.
    """
    return {
        "home_language_links": SimpleLazyObject(
            lambda: language_links(url_for=lambda code: reverse("home"), available=lambda code: True)
        )
    }

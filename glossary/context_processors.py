from django.urls import reverse

from glossary.switcher import language_links


def site_languages(request):
    """Give every page, error pages included, a switcher that at least leads to each language's home."""
    return {"home_language_links": language_links(url_for=lambda code: reverse("home"), available=lambda code: True)}

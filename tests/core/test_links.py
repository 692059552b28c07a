"""Memoised URLs per language must be exactly what reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from core.languages import language_codes
from core.links import route_url, slug_url, slug_urls, switch_url


@pytest.mark.parametrize("name", ["articles:detail", "glossary:term"])
@pytest.mark.parametrize("slug", ["crowdsourcing", "social-media", "a_b-9"])
def test_slug_urls_are_what_reverse_gives_in_every_language(name, slug):
    for code in language_codes():
        with translation.override(code):
            expected = reverse(name, kwargs={"slug": slug})

        assert slug_url(name, slug=slug, language=code) == expected
        assert slug_urls(name, language=code)(slug) == expected


def test_a_list_of_slugs_is_linked_as_slug_url_links_each_under_the_mount_point_of_its_page():
    set_script_prefix("/glossary/")
    try:
        term_url = slug_urls("glossary:term", language="fr")
        with translation.override("fr"):
            assert term_url("social-media") == reverse("glossary:term", kwargs={"slug": "social-media"})
        assert term_url("social-media").startswith("/glossary/fr/")
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("name", ["search", "home", "glossary:index"])
def test_route_urls_are_what_reverse_gives_in_every_language(name):
    for code in language_codes():
        with translation.override(code):
            expected = reverse(name)

        assert route_url(name, language=code) == expected


def test_a_value_that_is_not_a_slug_is_refused_as_reverse_refuses_it():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        slug_url("glossary:term", slug="not a slug/..", language="en")


def test_urls_follow_the_script_prefix_the_site_is_mounted_under():
    try:
        set_script_prefix("/glossary/")
        assert slug_url("glossary:term", slug="x", language="fr") == "/glossary/fr/terms/x/"
        assert switch_url("ko") == "/glossary/i18n/switch/ko/"
        assert route_url("search", language="nb") == "/glossary/nb/search/"
    finally:
        set_script_prefix("/")
    assert slug_url("glossary:term", slug="x", language="fr") == "/fr/terms/x/"

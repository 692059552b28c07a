from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The reader's site over the term base and the articles (not `site`: that would shadow Python's own module)."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from core.stored_pages import stored_pages_register
        from public.search_page import SEARCH, search_answer
        from public.stored import API_ARTICLE, API_TERMS, HOME, INDEX, TERM, stored_public_page

        # Home, A–Z, term and API pages rendered by `render_stored_pages` are answered before Django runs
        # (public/stored.py).
        stored_pages_register(HOME, stored_public_page, slug=False)
        stored_pages_register(TERM, stored_public_page)
        stored_pages_register(INDEX, stored_public_page, slug=False, query=True)
        stored_pages_register(API_TERMS, stored_public_page, slug=False, language_parameter="lang")
        stored_pages_register(API_ARTICLE, stored_public_page, language_parameter="lang")
        # Search pages are made for each request, by the same function as the view's, before Django runs too.
        stored_pages_register(SEARCH, search_answer, slug=False, query=True, origin=True)

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.languages import language_codes
from core.links import slug_url
from glossary.models import Term
from markup.findings import Finding

# Fields an editor writes, per language; kept exactly as the source file had them.
SOURCE_FIELDS = ("title", "description", "keywords", "body")
# Fields computed from the source fields on save, per language; a request only reads them.
RENDERED_FIELDS = ("display_title", "display_description", "body_html", "body_text", "toc", "findings")


class Article(models.Model):
    """A glossary article about one term, with every language version as columns (django-modeltranslation)."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    term = models.OneToOneField(Term, on_delete=models.PROTECT, related_name="article", verbose_name=_("term"))
    source_language = models.CharField(
        _("source language"), max_length=15, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)

    display_title = models.CharField(_("title as shown"), max_length=300, blank=True, editable=False)
    display_description = models.TextField(_("description as shown"), blank=True, editable=False)
    body_html = models.TextField(_("rendered body"), blank=True, editable=False)
    body_text = models.TextField(_("body as plain text"), blank=True, editable=False)
    toc = models.JSONField(_("table of contents"), default=list, blank=True, editable=False)
    findings = models.JSONField(_("findings"), default=list, blank=True, editable=False)
    imported_source = models.TextField(_("file as last imported"), blank=True, editable=False)

    # Languages kept as drafts: stored, editable, but missing for readers.
    draft_languages = models.JSONField(_("draft languages"), default=list, blank=True, editable=False)
    # The languages readers can read (written and not a draft), worked out on every save: reader pages and term
    # pages read this short list instead of every language's title and body.
    published_languages = models.JSONField(_("published languages"), default=list, blank=True, editable=False)
    # Bumped whenever the source language's title or body changes; each translation records the number it was
    # last brought up to date with, so a lower number marks it outdated.
    source_revision = models.PositiveIntegerField(_("source revision"), default=1, editable=False)
    synced_revisions = models.JSONField(_("source revision per translation"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            (f"edit_{code}", f"Can edit the {name} version of articles") for code, name in settings.LANGUAGES
        ]

    def __str__(self):
        return self.slug

    def get_absolute_url(self, language: str | None = None) -> str:
        return slug_url("articles:detail", slug=self.slug, language=language or translation.get_language())

    def value(self, field: str, language: str):
        return getattr(self, build_localized_fieldname(field, language))

    def set_value(self, field: str, language: str, value) -> None:
        setattr(self, build_localized_fieldname(field, language), value)

    def has_text(self, language: str) -> bool:
        """Say whether this language version has been written (draft or not)."""
        return bool(self.value("title", language) and self.value("body", language))

    def has_language(self, language: str) -> bool:
        """Say whether readers can read this article in `language`: written and not a draft."""
        return self.has_text(language) and language not in self.draft_languages

    def is_outdated(self, language: str) -> bool:
        """Say whether the source changed since this translation was last brought up to date."""
        if language == self.source_language or not self.has_text(language):
            return False
        return self.synced_revisions.get(language, self.source_revision) < self.source_revision

    def state(self, language: str) -> str:
        """Return missing, draft, outdated or current, for the coverage overview."""
        if not self.has_text(language):
            return "missing"
        if language in self.draft_languages:
            return "draft"
        return "outdated" if self.is_outdated(language) else "current"

    def available_languages(self) -> list[str]:
        """Work out from the text which languages readers can read (what the write service stores as published)."""
        return [code for code in language_codes() if self.has_language(code)]

    def is_published(self, language: str) -> bool:
        """Say whether readers can read `language`, as stored on the last save (no language column is read)."""
        return language in self.published_languages

    def language_findings(self, language: str) -> list[Finding]:
        return [Finding.from_dict(data) for data in self.value("findings", language) or []]

    def html(self, language: str) -> SafeString:
        # Safe: body_html is produced on save by markup.render, whose output went through nh3's allow-list.
        return mark_safe(self.value("body_html", language) or "")


class ArticleLink(models.Model):
    """A term linked from one language version of an article ("mentioned in" on the term's page)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="mentions")
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("article link")
        verbose_name_plural = _("article links")
        constraints = [
            models.UniqueConstraint(fields=["article", "term", "language"], name="unique_article_link_per_language")
        ]
        indexes = [models.Index(fields=["term", "language"])]

    def __str__(self):
        return f"{self.article_id} → {self.term_id} ({self.language})"


class ArticlePage(models.Model):
    """A reader's whole page for one language version, rendered when the article is saved (articles/pages.py).

    `version` names the code, templates and catalogues that rendered it; a page of another version is never served.
    A row exists for each language the article is published in, and only for those.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pages")
    slug = models.SlugField(_("slug"), max_length=200)  # the article's, so a reader's request reads one row
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    version = models.CharField(_("rendered by"), max_length=200)
    title = models.CharField(_("title as shown"), max_length=300)  # for lists of articles ("mentioned in")
    # Last: SQLite reads a row's columns in order, and the page is long.
    html = models.TextField(_("page"))

    class Meta:
        verbose_name = _("rendered page")
        verbose_name_plural = _("rendered pages")
        constraints = [models.UniqueConstraint(fields=["slug", "language"], name="unique_article_page")]

    def __str__(self):
        return f"{self.slug} ({self.language})"


class ArticleSearchText(models.Model):
    """What search compares for one published language version, folded (glossary.collation.fold) on save.

    One short row per published language, so search reads neither drafts nor any other language's text, and
    matches with a plain LIKE on every database (no function call per row on SQLite).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_texts")
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    title = models.CharField(_("title, folded"), max_length=300)
    # Title, description and plain text of the body, one per line.
    text = models.TextField(_("text, folded"))
    # The distinct Han, kana and Hangul characters and pairs of them in `text`: the index of 1–2-character
    # Chinese and Korean words (articles/search_index.py).
    grams = models.TextField(_("characters and pairs"), blank=True, default="")

    class Meta:
        verbose_name = _("search text")
        verbose_name_plural = _("search texts")
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="unique_article_search_text")]
        indexes = [models.Index(fields=["language", "title"])]

    def __str__(self):
        return f"{self.article_id} ({self.language})"


class ArticleImage(models.Model):
    """An image from an article's `img/` folder, stored so the site serves it and export writes it back.

    `path` is relative to that folder, with forward slashes, as the Markdown refers to it (`img/<path>`).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    path = models.CharField(_("path"), max_length=255)
    content_type = models.CharField(_("media type"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("data"))

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        constraints = [models.UniqueConstraint(fields=["article", "path"], name="unique_article_image_path")]

    def __str__(self):
        return f"{self.article_id}/img/{self.path}"

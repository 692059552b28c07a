from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.languages import language_codes
from core.links import slug_url
from glossary.models import Term
from markup.findings import Finding

# Fields an editor writes, per language; kept exactly as the source file had them (modeltranslation columns).
SOURCE_FIELDS = ("title", "description", "keywords", "body")
# Fields computed from the source fields on save, per language: columns of ArticleVersion; a request only reads them.
RENDERED_FIELDS = ("display_title", "display_description", "body_html", "body_text", "toc", "findings")


class Article(models.Model):
    """A glossary article about one term: what editors write, every language as columns (django-modeltranslation).

    What is derived from it per language (rendered HTML, findings, draft, published, up-to-date mark, search text,
    stored page) is one ArticleVersion row per language; `value()` and the state methods read both alike.
    """

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    term = models.OneToOneField(Term, on_delete=models.PROTECT, related_name="article", verbose_name=_("term"))
    source_language = models.CharField(
        _("source language"), max_length=15, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    imported_source = models.TextField(_("file as last imported"), blank=True, editable=False)

    # Bumped whenever the source language's title or body changes; each translation records the number it was
    # last brought up to date with (ArticleVersion.synced_source_revision), so a lower number marks it outdated.
    source_revision = models.PositiveIntegerField(_("source revision"), default=1, editable=False)
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

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_version_rows", None)
        super().refresh_from_db(*args, **kwargs)

    def version_rows(self) -> dict[str, "ArticleVersion"]:
        """This article's rows by language: the prefetched ones if any (readers prefetch what they show), else one
        query, kept on the instance so that changes to them are saved together (articles.services)."""
        if "_version_rows" not in self.__dict__:
            rows = list(self.versions.all()) if self.pk else []
            for row in rows:
                row.mark_saved()
            self.__dict__["_version_rows"] = {row.language: row for row in rows}
        return self.__dict__["_version_rows"]

    def set_version_rows(self, rows) -> None:
        """Use these rows (read with the article in one query) as this article's rows."""
        for row in rows:
            row.article = self
            row.mark_saved()
        self.__dict__["_version_rows"] = {row.language: row for row in rows}

    def version_row(self, language: str) -> "ArticleVersion":
        """The row of `language`; a new, unsaved one if there is none yet."""
        rows = self.version_rows()
        if language not in rows:
            rows[language] = ArticleVersion(article=self, language=language)
        return rows[language]

    def value(self, field: str, language: str):
        if field in RENDERED_FIELDS:
            row = self.version_rows().get(language)
            return getattr(row, field) if row is not None else _EMPTY[field]
        return getattr(self, build_localized_fieldname(field, language))

    def set_value(self, field: str, language: str, value) -> None:
        if field in RENDERED_FIELDS:
            setattr(self.version_row(language), field, value)
        else:
            setattr(self, build_localized_fieldname(field, language), value)

    def _flag(self, language: str, name: str):
        row = self.version_rows().get(language)
        return getattr(row, name) if row is not None else None

    @property
    def draft_languages(self) -> list[str]:
        return [code for code in language_codes() if self._flag(code, "draft")]

    @property
    def published_languages(self) -> list[str]:
        """The languages readers can read, as stored on the last save."""
        return [code for code in language_codes() if self._flag(code, "published")]

    @property
    def synced_revisions(self) -> dict[str, int]:
        """The source revision each translation was last brought up to date with, where one was recorded."""
        return {
            code: revision
            for code in language_codes()
            if (revision := self._flag(code, "synced_source_revision")) is not None
        }

    def has_text(self, language: str) -> bool:
        """Say whether this language version has been written (draft or not)."""
        return bool(self.value("title", language) and self.value("body", language))

    def has_language(self, language: str) -> bool:
        """Say whether readers can read this article in `language`: written and not a draft."""
        return self.has_text(language) and not self._flag(language, "draft")

    def is_outdated(self, language: str) -> bool:
        """Say whether the source changed since this translation was last brought up to date."""
        if language == self.source_language or not self.has_text(language):
            return False
        synced = self._flag(language, "synced_source_revision")
        return (self.source_revision if synced is None else synced) < self.source_revision

    def state(self, language: str) -> str:
        """Return missing, draft, outdated or current, for the coverage overview."""
        if not self.has_text(language):
            return "missing"
        if self._flag(language, "draft"):
            return "draft"
        return "outdated" if self.is_outdated(language) else "current"

    def available_languages(self) -> list[str]:
        """Work out from the text which languages readers can read (what the write service stores as published)."""
        return [code for code in language_codes() if self.has_language(code)]

    def is_published(self, language: str) -> bool:
        """Say whether readers can read `language`, as stored on the last save (no language column is read)."""
        return bool(self._flag(language, "published"))

    def language_findings(self, language: str) -> list[Finding]:
        return [Finding.from_dict(data) for data in self.value("findings", language) or []]

    def html(self, language: str) -> SafeString:
        # Safe: body_html is produced on save by markup.render, whose output went through nh3's allow-list.
        return mark_safe(self.value("body_html", language) or "")


_EMPTY = {"display_title": "", "display_description": "", "body_html": "", "body_text": "", "toc": [], "findings": []}


class ArticleVersion(models.Model):
    """What is derived from one language version of an article, written by the write service on save.

    One row per (article, language) that was ever written or flagged; "published in French" is
    `ArticleVersion.objects.filter(language="fr", published=True)`. The reader's whole page is stored here too
    (articles/pages.py), with the version of the code that rendered it, and the folded text search compares.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    display_title = models.CharField(_("title as shown"), max_length=300, blank=True)
    display_description = models.TextField(_("description as shown"), blank=True)
    toc = models.JSONField(_("table of contents"), default=list, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    # Kept as a draft: stored, editable, but missing for readers.
    draft = models.BooleanField(_("draft"), default=False)
    # Written and not a draft: readers can read it.
    published = models.BooleanField(_("published"), default=False)
    # The source revision this translation was last brought up to date with; none recorded: up to date.
    synced_source_revision = models.PositiveIntegerField(_("source revision it is up to date with"), null=True)
    # What search compares, folded (glossary.collation.fold); empty unless published.
    search_title = models.CharField(_("title, folded"), max_length=300, blank=True)
    page_version = models.CharField(_("page rendered by"), max_length=200, blank=True)
    # Blocks of a translation a reviewer marked as reviewed (segment view), by the hash of the block's text: when a
    # block's text changes its hash does, and the write service drops the mark (articles.reviews). `block_count` is
    # how many blocks the version has, so coverage shows reviewed/total without parsing any body.
    reviewed = models.JSONField(_("reviewed blocks"), default=list, blank=True)
    block_count = models.PositiveIntegerField(_("blocks"), default=0)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # The long ones last: SQLite reads a row's columns in order.
    # The sentence around each term link, in order: {"term": id, "sentence", "start", "end"} (TermUsage), stored
    # with the rest of the row so a save writes no other table for them.
    usages = models.JSONField(_("term usages"), default=list, blank=True)
    search_text = models.TextField(_("text, folded"), blank=True)  # title, description and plain text, one a line
    # The distinct Han, kana and Hangul characters and pairs of them in `search_text`: the index of 1–2-character
    # Chinese and Korean words (articles/search_index.py).
    search_grams = models.TextField(_("characters and pairs"), blank=True, default="")
    body_html = models.TextField(_("rendered body"), blank=True)
    body_text = models.TextField(_("body as plain text"), blank=True)
    page_html = models.TextField(_("page"), blank=True)  # empty unless published

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="unique_article_version")]
        # Search ranks a language's published rows by title, then article: read from this index, not from the row,
        # where SQLite finds `article_id` only after every long column (the table's columns are in the order they
        # were added). Its first two columns serve every "published in French" query.
        indexes = [
            models.Index(fields=["language", "published", "search_title", "article"], name="articles_version_ranked")
        ]

    def __str__(self):
        return f"{self.article_id} ({self.language})"

    def mark_saved(self) -> None:
        """Remember the values as stored, so the write service saves only rows that changed."""
        self._stored = self._loaded_values()

    def _loaded_values(self) -> dict:
        deferred = self.get_deferred_fields()
        return {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if f.name != "updated" and f.attname not in deferred
        }

    def changed(self) -> bool:
        stored = getattr(self, "_stored", None)
        return self.pk is None or stored is None or any(getattr(self, name) != value for name, value in stored.items())

    def changed_attributes(self) -> list[str] | None:
        """The attribute names of the fields whose value may differ from the stored one (a field deferred when the
        row was read, and set since, counts); None when nothing is known (a row never saved or never marked)."""
        stored = getattr(self, "_stored", None)
        if self.pk is None or stored is None:
            return None
        return [
            f.attname
            for f in self._meta.concrete_fields
            if f.attname in self.__dict__ and (f.attname not in stored or self.__dict__[f.attname] != stored[f.attname])
        ]


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
        # With the article last, the first article linking to a term in a language is the first index entry
        # (term links read that version's usages): no sort of every article linking to it.
        indexes = [models.Index(fields=["term", "language", "article"], name="articles_link_term_article")]

    def __str__(self):
        return f"{self.article_id} → {self.term_id} ({self.language})"


@dataclass(frozen=True)
class TermUsage:
    """A sentence of one language version of an article where a term is linked (ArticleVersion.usages holds them).

    A term's page shows these when no editor wrote a definition: the term in use, in the reader's language.
    """

    term_id: int
    sentence: str
    start: int  # where the link text is in `sentence`
    end: int
    article_slug: str = ""
    article_title: str = ""

    @classmethod
    def from_dict(cls, data: dict, **article) -> "TermUsage":
        return cls(data["term"], data["sentence"], data["start"], data["end"], **article)

    def marked(self) -> SafeString:
        """The sentence with the term's link text marked."""
        before, term, after = (
            self.sentence[: self.start],
            self.sentence[self.start : self.end],
            self.sentence[self.end :],
        )
        # Safe: the three pieces of plain text are escaped; only the mark tags are ours.
        return mark_safe(f"{escape(before)}<mark>{escape(term)}</mark>{escape(after)}")


def term_usage_sentence(usages: list[dict] | None, term_id: int) -> str:
    """The first sentence of stored `usages` (ArticleVersion.usages) where `term_id` is linked; "" if none."""
    return next((usage["sentence"] for usage in usages or [] if usage["term"] == term_id), "")


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


class Suggestion(models.Model):
    """A reader's correction of a passage of an article or a term's definition, waiting for an editor."""

    class Status(models.TextChoices):
        NEW = "new", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions", verbose_name=_("article")
    )
    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions", verbose_name=_("term")
    )
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    quoted = models.TextField(_("passage quoted"))
    suggested = models.TextField(_("suggested text"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The sender's address, keyed (HMAC) so the rate limit can count without keeping the address itself.
    client_key = models.CharField(_("client key"), max_length=64, editable=False, db_index=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False) | models.Q(term__isnull=False),
                name="suggestion_about_article_or_term",
            )
        ]
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self):
        return f"{self.article or self.term} ({self.language}): {self.quoted[:40]}"

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.links import slug_url
from glossary.collation import collation_key, fold, index_label


class Term(models.Model):
    """A concept of the glossary; its names live in TermName, one or more per language."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    definition = models.TextField(_("short definition"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return self.slug

    def get_absolute_url(self, language: str | None = None) -> str:
        return term_url(self.slug, language=language or translation.get_language())


def term_url(slug: str, *, language: str) -> str:
    """The reader's page of the term `slug` in `language` (the route reversed once per language: core.links)."""
    return slug_url("glossary:term", slug=slug, language=language)


class TermName(models.Model):
    """A name of a term in one language; names harvested from link text stay unconfirmed until an editor agrees."""

    class Status(models.TextChoices):
        PREFERRED = "preferred", _("preferred")
        ADMITTED = "admitted", _("admitted")
        DEPRECATED = "deprecated", _("deprecated")

    class Origin(models.TextChoices):
        TITLE = "title", _("article title")
        LINK_TEXT = "link", _("link text")
        EDITOR = "editor", _("editor")

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="names", verbose_name=_("term"))
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ADMITTED)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.EDITOR)
    # ICU reads a character the way it is most often read (长 as zhǎng); an editor can say how this name is read.
    reading = models.CharField(
        _("reading"),
        max_length=200,
        blank=True,
        help_text=_(
            "How the name is read, when that differs from what its spelling suggests (长城: changcheng). "
            "Used for the A–Z letter and for sorting; readers do not see it."
        ),
    )
    # Computed on save with ICU (glossary.collation), so the A–Z index is an indexed query, not a sort in Python.
    sort_key = models.CharField(_("sort key"), max_length=1000, blank=True, editable=False)
    index_label = models.CharField(_("index letter"), max_length=8, blank=True, editable=False)
    # The name as search compares it (glossary.collation.fold), so matching is a plain LIKE on every database.
    folded_name = models.CharField(_("name folded for search"), max_length=600, blank=True, editable=False)

    class Meta:
        ordering = ["language", "-confirmed", "status", "name"]
        verbose_name = _("term name")
        verbose_name_plural = _("term names")
        constraints = [
            models.UniqueConstraint(fields=["term", "language", "name"], name="unique_term_name_per_language")
        ]
        indexes = [
            models.Index(fields=["language", "index_label", "sort_key"]),
            # Search reads a language's folded names for words no trigram holds (one or two letters) and for "did
            # you mean": from this index, not from the rows (2.8 -> 1.9 ms for 10,000 names on SQLite).
            models.Index(fields=["language", "folded_name"], name="glossary_name_folded"),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def save(self, *args, **kwargs):
        self.set_index_fields()
        super().save(*args, **kwargs)
        if self.status == self.Status.PREFERRED:
            # One preferred name per term and language, as in IATE: a new one (an article renamed, an editor's
            # choice) makes the former one an admitted alternative, so readers see the new one.
            TermName.objects.filter(term_id=self.term_id, language=self.language, status=self.Status.PREFERRED).exclude(
                pk=self.pk
            ).update(status=self.Status.ADMITTED)

    def set_index_fields(self) -> None:
        sorted_as = self.reading.strip() or self.name
        self.sort_key = collation_key(sorted_as, language=self.language)
        self.index_label = index_label(sorted_as, language=self.language)
        self.folded_name = fold(self.name)


class TermRedirect(models.Model):
    """A slug that named a term merged into another: links and addresses with it lead to `term`; kept as history."""

    old_slug = models.SlugField(_("former slug"), max_length=200, unique=True)
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("merged into"))
    merged = models.DateTimeField(_("merged"), auto_now_add=True)
    merged_by = models.CharField(_("merged by"), max_length=150, blank=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = _("merged term")
        verbose_name_plural = _("merged terms")

    def __str__(self):
        return f"{self.old_slug} → {self.term_id}"

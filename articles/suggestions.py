"""Readers' corrections: submitted from a public form, reviewed by an editor of the language, applied by the write
service of what they correct (article_write for an article, term_save for a term's definition)."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from articles.models import Article, Suggestion
from articles.services import article_write
from glossary.models import Term
from glossary.services import term_save

QUOTE_MAX = 1000
SUGGESTED_MAX = 2000
NAME_MAX = 100
# How many suggestions one address may send in RATE_WINDOW.
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)
CONTEXT = 160  # characters shown around the passage in the editor's diff
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


class SuggestionRefused(Exception):
    """A submission that cannot be stored; `field` names the form field at fault ("" for the whole form)."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


def client_key(address: str | None) -> str:
    """Key a client address for counting, without storing the address."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), "sha256").hexdigest()


def suggestion_current_text(*, article: Article | None, term: Term | None, language: str) -> str:
    """Return the text a suggestion of `language` corrects: the article's Markdown body or the term's definition."""
    if article is not None:
        return article.value("body", language) or ""
    return getattr(term, build_localized_fieldname("definition", language), "") or ""


def _reader_text(article: Article | None, term: Term | None, language: str) -> str:
    """Return what a reader of that page reads (plain text), where a quote may come from as well."""
    if article is not None:
        return " ".join((article.value("body_text", language) or "").split())
    names = " ".join(term.names.filter(language=language).values_list("name", flat=True))
    return f"{names} {suggestion_current_text(article=None, term=term, language=language)}"


def _check_text(field: str, value: str, *, limit: int, required: bool = True) -> str:
    if "\x00" in value:
        raise SuggestionRefused(field, _("This field contains a NUL character, which cannot be stored."))
    value = value.strip()
    if required and not value:
        raise SuggestionRefused(field, _("This field is required."))
    if len(value) > limit:
        raise SuggestionRefused(
            field, _("Keep this to %(limit)d characters (it has %(length)d).") % {"limit": limit, "length": len(value)}
        )
    if _TAG.search(value):
        raise SuggestionRefused(field, _("Plain text only: please remove the HTML tags."))
    return value


def suggestion_submit(
    *,
    article: Article | None,
    term: Term | None,
    language: str,
    quoted: str,
    suggested: str,
    name: str = "",
    email: str = "",
    address: str | None,
) -> Suggestion:
    """Check a reader's suggestion and store it for review; raise SuggestionRefused with what is wrong."""
    quoted = _check_text("quoted", quoted, limit=QUOTE_MAX)
    suggested = _check_text("suggested", suggested, limit=SUGGESTED_MAX)
    name = _check_text("name", name, limit=NAME_MAX, required=False)
    email = _check_text("email", email, limit=254, required=False)
    if suggested == quoted:
        raise SuggestionRefused("suggested", _("The correction is the same as the passage."))
    wanted = " ".join(quoted.split())
    current = suggestion_current_text(article=article, term=term, language=language)
    if wanted not in " ".join(current.split()) and wanted not in _reader_text(article, term, language):
        raise SuggestionRefused(
            "quoted", _("This passage is not in the page as it is now. Copy it from the page as it reads.")
        )
    key = client_key(address)
    with transaction.atomic():
        recent = Suggestion.objects.filter(client_key=key, created__gte=timezone.now() - RATE_WINDOW).count()
        if recent >= RATE_LIMIT:
            raise SuggestionRefused("", _("Too many suggestions from your address in the last hour; please try later."))
        return Suggestion.objects.create(
            article=article,
            term=term,
            language=language,
            quoted=quoted,
            suggested=suggested,
            name=name,
            email=email,
            client_key=key,
        )


@dataclass(frozen=True)
class ReviewView:
    """What the editor sees: the passage in its context with the correction, or why it cannot be found."""

    found: bool
    diff: SafeString
    version: int  # the article version the editor saw (0 for a term)


def suggestion_review(suggestion: Suggestion) -> ReviewView:
    """Locate the quoted passage in the current text and show the correction in place."""
    text = suggestion_current_text(article=suggestion.article, term=suggestion.term, language=suggestion.language)
    version = suggestion.article.version if suggestion.article is not None else 0
    start = text.find(suggestion.quoted)
    if start < 0:
        return ReviewView(False, mark_safe(""), version)  # Safe: empty.
    end = start + len(suggestion.quoted)
    before, after = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    # Safe: every piece of text is escaped; only the del and ins tags are ours.
    diff = mark_safe(
        f"{escape(before)}<del>{escape(suggestion.quoted)}</del><ins>{escape(suggestion.suggested)}</ins>"
        f"{escape(after)}"
    )
    return ReviewView(True, diff, version)


@dataclass(frozen=True)
class ReviewResult:
    done: bool
    message: str


def suggestion_accept(*, suggestion_id: int, by, seen_version: int) -> ReviewResult:
    """Apply the correction through the write service of what it corrects, credited in the revision comment."""
    suggestion = Suggestion.objects.select_related("article", "term").get(pk=suggestion_id)
    if suggestion.status != Suggestion.Status.NEW:
        return ReviewResult(False, _("This suggestion was already reviewed."))
    language = suggestion.language
    text = suggestion_current_text(article=suggestion.article, term=suggestion.term, language=language)
    if suggestion.quoted not in text:
        return ReviewResult(False, _("The quoted passage is no longer in the text; nothing was changed."))
    corrected = text.replace(suggestion.quoted, suggestion.suggested, 1)
    credit = suggestion.name or _("a reader")
    comment = _("Correction suggested by %(name)s (suggestion %(id)d)") % {"name": credit, "id": suggestion.pk}
    if suggestion.article is not None:
        result = article_write(
            article_id=suggestion.article_id,
            # No base: unless the editor saw the version stored now, the write reports a conflict, so a correction
            # is only applied to the text the editor reviewed it on.
            changes={("body", language): corrected},
            seen_version=seen_version,
            source="suggestion",
            by=by,
            comment=comment,
            refuse_removed_html=True,
        )
        if not result.saved:
            return ReviewResult(
                False, _("The article changed since you opened this suggestion; nothing was changed. Review it again.")
            )
    else:
        term_save(term=suggestion.term, definitions={language: corrected})
    _reviewed(suggestion, status=Suggestion.Status.ACCEPTED, by=by, reason="")
    return ReviewResult(True, _("The correction was applied."))


def suggestion_reject(*, suggestion_id: int, by, reason: str) -> ReviewResult:
    suggestion = Suggestion.objects.get(pk=suggestion_id)
    if suggestion.status != Suggestion.Status.NEW:
        return ReviewResult(False, _("This suggestion was already reviewed."))
    if not reason.strip():
        return ReviewResult(False, _("Say why the suggestion is rejected."))
    _reviewed(suggestion, status=Suggestion.Status.REJECTED, by=by, reason=reason.strip())
    return ReviewResult(True, _("The suggestion was rejected."))


def _reviewed(suggestion: Suggestion, *, status: str, by, reason: str) -> None:
    Suggestion.objects.filter(pk=suggestion.pk, status=Suggestion.Status.NEW).update(
        status=status, reviewer=by, reviewed=timezone.now(), reason=reason
    )

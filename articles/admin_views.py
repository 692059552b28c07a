"""The editors' workbench in admin: per-language panels of the change form and the admin-only pages behind it."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from modeltranslation.utils import build_localized_fieldname

from articles.forms import MAX_BODY_LENGTH
from articles.history import article_source_at, article_versions, text_diff, version_values
from articles.models import SOURCE_FIELDS, Article
from articles.selectors import article_coverage, term_link_resolver
from articles.services import article_document, article_write
from core.languages import language_codes, language_name
from core.permissions import can_edit_language
from markup.document import parse_document, plain_text
from markup.qa import align_passages, apply_fix, version_passages
from markup.render import TermLink, find_term_links, render_markdown

# Panels: read-only parts of each language's section of the change form ----------------------------------------


def findings_panel(article: Article | None, language: str) -> SafeString | str:
    """List the problems stored for a language version, each with a button for its mechanical fix."""
    if article is None or not article.pk:
        return "–"
    findings = article.language_findings(language)
    if not findings:
        return gettext("No problems found.")
    rows = []
    for index, finding in enumerate(findings):
        button = ""
        if finding.fix is not None:
            button = format_html(
                ' <button type="submit" class="button apply-fix" formaction="{}" formnovalidate>{}</button>',
                reverse("admin:articles_article_apply_fix", args=[article.pk, language, index]),
                gettext("Apply fix"),
            )
        rows.append((finding.severity, finding.line, finding.column, finding.code, finding.text(gettext), button))
    return format_html(
        '<ul class="findings">{}</ul>',
        format_html_join("", '<li class="finding-{}"><b>{}:{}</b> <code>{}</code> {}{}</li>', rows),
    )


def source_changes_panel(article: Article | None, language: str) -> SafeString | str:
    """Show how the source changed since this translation was last brought up to date."""
    if article is None or not article.has_text(language):
        return "–"
    if not article.is_outdated(language):
        return gettext("Up to date with the source.")
    source = article.source_language
    before = article_source_at(article, revision=article.synced_revisions.get(language, 0))
    if before is None:
        return gettext("The source changed since this translation was last brought up to date.")
    diffs = []
    for name in ("title", "body"):
        diff = text_diff(before.get(build_localized_fieldname(name, source)) or "", article.value(name, source))
        if diff:
            diffs.append((diff,))
    return format_html(
        "<p>{}</p>{}",
        gettext("The source changed since this translation was last brought up to date:"),
        format_html_join("", '<pre class="diff">{}</pre>', diffs),
    )


def side_by_side_panel(article: Article | None, language: str) -> SafeString | str:
    """Pair the source's passages with the translation's as QA aligns them; an unpaired one faces an empty cell."""
    if article is None or not article.has_text(article.source_language):
        return "–"
    source_passages = version_passages(article.value("body", article.source_language))
    passages = version_passages(article.value("body", language) or "")
    rows = [
        (article.source_language, source.plain if source else "", language, passage.plain if passage else "")
        for source, passage in align_passages(source_passages, passages)
    ]
    return format_html(
        '<table class="side-by-side"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>',
        language_name(article.source_language),
        language_name(language),
        format_html_join("", '<tr><td lang="{}">{}</td><td lang="{}">{}</td></tr>', rows),
    )


def live_preview_panel(article: Article | None, language: str) -> SafeString:
    """An empty box that static/admin-extra/preview.js fills from the preview endpoint while the editor types."""
    return format_html(
        '<div class="live-preview" lang="{}" data-url="{}" data-field="id_{}" data-title-field="id_{}"></div>',
        language,
        reverse("admin:articles_article_preview", args=[language]),
        build_localized_fieldname("body", language),
        build_localized_fieldname("title", language),
    )


# Admin-only endpoints (wrapped by admin_site.admin_view: staff login, CSRF on POST, never cached) --------------


@require_POST
def article_preview(request, language: str, *, model_admin):
    """Render a body exactly as the site will, for the editor's live preview."""
    if language not in language_codes() or not model_admin.has_change_permission(request):
        raise PermissionDenied
    body = request.POST.get("body", "")[:MAX_BODY_LENGTH]
    resolver = term_link_resolver(language=language, slugs={link.target for link in find_term_links(body)})
    rendered = render_markdown(
        body,
        resolve_link=lambda slug: resolver(slug) or _new_term_link(slug, language),
        title=plain_text(request.POST.get("title", "")),
    )
    return JsonResponse(
        {
            "html": rendered.html,
            "findings": [
                {"line": f.line, "severity": str(f.severity), "code": f.code, "text": f.text(gettext)}
                for f in rendered.findings
            ],
        }
    )


def _new_term_link(slug: str, language: str) -> TermLink:
    # The save will create the term; until then the link is shown the way a link to a term without article is.
    return TermLink(href=f"/{language}/terms/{slug}/", missing=True, title=gettext("New term"))


@require_POST
def article_apply_fix(request, pk: int, language: str, index: int, *, model_admin):
    """Apply one mechanical fix as an edit of its own: a revision that can be reverted like any other."""
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_change_permission(request, article) or not can_edit_language(request.user, language):
        raise PermissionDenied
    findings = article.language_findings(language)
    change_url = reverse("admin:articles_article_change", args=[pk]) + f"#language-{language}"
    if index >= len(findings) or findings[index].fix is None:
        model_admin.message_user(request, gettext("That fix is no longer available; the text has changed."), "error")
        return HttpResponseRedirect(change_url)
    finding = findings[index]
    try:
        document = parse_document(apply_fix(article_document(article, language).text, finding.fix), name="fix")
    except ValueError as error:
        model_admin.message_user(
            request, gettext("The fix could not be applied: %(error)s") % {"error": error}, "error"
        )
        return HttpResponseRedirect(change_url)
    fixed = {name: document.body if name == "body" else document.value(name) for name in SOURCE_FIELDS}
    result = article_write(
        article_id=article.pk,
        changes={(name, language): text for name, text in fixed.items()},
        base={(name, language): article.value(name, language) or "" for name in SOURCE_FIELDS},
        seen_version=article.version,
        source="fix",
        by=request.user,
        comment=gettext("Applied fix %(code)s (%(language)s)") % {"code": finding.code, "language": language},
    )
    if result.conflicts:
        model_admin.message_user(
            request, gettext("The fix was not applied: someone changed that text since the page was loaded."), "error"
        )
        return HttpResponseRedirect(change_url)
    model_admin.message_user(request, gettext("Fix applied: %(text)s") % {"text": finding.text(gettext)})
    return HttpResponseRedirect(change_url)


def article_coverage_page(request, *, model_admin):
    """Articles × languages: missing, draft, outdated or up to date, with finding counts."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Translation coverage"),
        "opts": Article._meta,
        "languages": [(code, language_name(code)) for code in language_codes()],
        "rows": article_coverage(),
    }
    return TemplateResponse(request, "admin/articles/article/coverage.html", context)


def article_compare(request, pk: int, *, model_admin):
    """A readable diff between two revisions, per language and field."""
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    versions = list(article_versions(article))
    chosen = {str(version.pk): version for version in versions}
    older = chosen.get(request.GET.get("a", ""), versions[-1] if versions else None)
    newer = chosen.get(request.GET.get("b", ""), versions[0] if versions else None)
    diffs = []
    if older and newer:
        before, after = version_values(older), version_values(newer)
        for code in language_codes():
            for name in SOURCE_FIELDS:
                field = build_localized_fieldname(name, code)
                diff = text_diff(before.get(field) or "", after.get(field) or "")
                if diff:
                    diffs.append((language_name(code), Article._meta.get_field(name).verbose_name, diff))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Compare revisions of %(article)s") % {"article": article},
        "opts": Article._meta,
        "original": article,
        "versions": versions,
        "older": older,
        "newer": newer,
        "diffs": diffs,
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)


def article_history_actions(article: Article) -> list[dict]:
    """Each revision, newest first, with the links to revert to it and to compare it with the one before."""
    versions = list(article_versions(article))
    compare_url = reverse("admin:articles_article_compare", args=[article.pk])
    actions = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        actions.append(
            {
                "revision": version.revision,
                "url": reverse("admin:articles_article_revision", args=[article.pk, version.pk]),
                "compare_url": f"{compare_url}?a={previous.pk}&b={version.pk}" if previous else "",
            }
        )
    return actions

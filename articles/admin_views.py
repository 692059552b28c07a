"""The editors' workbench in admin: per-language panels of the change form and the admin-only pages behind it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from modeltranslation.utils import build_localized_fieldname

from articles.forms import MAX_BODY_LENGTH
from articles.history import article_source_at, article_versions, text_diff, version_values
from articles.models import SOURCE_FIELDS, Article, Suggestion
from articles.reviews import article_reviews_set, block_hash
from articles.selectors import article_coverage, article_reviewed_blocks, term_link_resolver, unconfirmed_names
from articles.services import article_document, article_write, language_version_check, terms_merge_with_articles
from articles.suggestions import suggestion_accept, suggestion_reject, suggestion_review
from core.languages import language_codes, language_name
from core.permissions import can_edit_every_language, can_edit_language, editable_languages
from glossary.models import Term, TermName
from glossary.services import term_name_rename, term_names_confirm, term_names_delete
from markup.document import DocumentError, parse_document, plain_text
from markup.fixes import StaleFixError, apply_fix_by_id, fix_id
from markup.headwords import clean_headword
from markup.qa import align_passages, version_passages
from markup.render import TermLink, find_term_links, render_markdown
from markup.segments import passage_source, replace_passages

# Panels: read-only parts of each language's section of the change form ----------------------------------------


def findings_panel(article: Article | None, language: str, *, fixable: bool = True) -> SafeString | str:
    """List the problems stored for a language version; where the editor may write it, each mechanical fix is a button.

    static/admin-extra/fixes.js sends the button's fix id with the text in the form to the fix endpoint and puts the
    answer into the form: nothing is saved until the editor saves. Without JavaScript the buttons do nothing.
    """
    if article is None or not article.pk:
        return "–"
    findings = article.language_findings(language)
    if not findings:
        return gettext("No problems found.")
    text = article_document(article, language).text
    rows = []
    for finding in findings:
        button = ""
        if finding.fix is not None and fixable:
            button = format_html(
                ' <button type="button" class="button apply-fix" data-fix="{}">{}</button>',
                fix_id(finding, text=text),
                gettext("Apply fix"),
            )
        rows.append((finding.severity, finding.line, finding.column, finding.code, finding.text(gettext), button))
    return format_html(
        '<ul class="findings" data-url="{}" data-language="{}">{}</ul>',
        reverse("admin:articles_article_fix", args=[article.pk, language]),
        language,
        format_html_join("", '<li class="finding-{}"><b>{}:{}</b> <code>{}</code> {}{}</li>', rows),
    )


def read_only_findings_panel(article: Article | None, language: str) -> SafeString | str:
    """The problems of a language version the editor may not write: the same list, without fix buttons."""
    return findings_panel(article, language, fixable=False)


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
    if article is None or not article.pk or not article.has_text(article.source_language):
        return "–"
    source_passages = version_passages(article.value("body", article.source_language))
    passages = version_passages(article.value("body", language) or "")
    rows = [
        (article.source_language, source.plain if source else "", language, passage.plain if passage else "")
        for source, passage in align_passages(source_passages, passages)
    ]
    return format_html(
        '<p><a href="{}">{}</a></p>'
        '<table class="side-by-side"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>',
        reverse("admin:articles_article_segments", args=[article.pk, language]),
        gettext("Translate block by block"),
        language_name(article.source_language),
        language_name(language),
        format_html_join("", '<tr><td lang="{}">{}</td><td lang="{}">{}</td></tr>', rows),
    )


def live_preview_panel(article: Article | None, language: str) -> SafeString:
    """An empty box that static/admin-extra/preview.js fills from the preview endpoint while the editor types."""
    return format_html(
        '<div class="live-preview" lang="{}" data-url="{}" data-stylesheet="{}" data-field="id_{}" '
        'data-title-field="id_{}"></div>',
        language,
        reverse("admin:articles_article_preview", args=[language]),
        static("css/site.css"),
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
def article_fix(request, pk: int, language: str, *, model_admin):
    """Apply one fix, named by its stable id, to the text the editor has in the form; answer the fields it changed.

    Nothing is stored: the editor sees the change in the form and saves it with everything else. A fix whose
    passage changed since it was shown is refused with a message saying what changed.
    """
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return _refusal(gettext("This article was deleted; nothing was changed."), status=404)
    if not model_admin.has_change_permission(request, article) or not can_edit_language(request.user, language):
        return _refusal(gettext("You may not change the %(language)s version.") % {"language": language}, status=403)
    fields = {name: request.POST.get(name, "").replace("\r\n", "\n") for name in SOURCE_FIELDS}
    if len(fields["body"]) > MAX_BODY_LENGTH:
        return _refusal(
            gettext("The text is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(fields["body"]), "limit": MAX_BODY_LENGTH},
            status=400,
        )
    text, findings = language_version_check(article=article, language=language, fields=fields)
    try:
        fixed = parse_document(
            apply_fix_by_id(text=text, findings=findings, fix_id=request.POST.get("fix", "")), name="fix"
        )
    except StaleFixError as error:
        return _refusal(error.text(gettext), status=409)
    except DocumentError as error:
        return _refusal(gettext("The fix could not be applied: %(error)s") % {"error": error.text(gettext)}, status=409)
    values = {name: fixed.body if name == "body" else fixed.value(name) for name in SOURCE_FIELDS}
    return JsonResponse(
        {
            "fields": {
                build_localized_fieldname(name, language): value
                for name, value in values.items()
                if value != fields[name]
            },
            "message": gettext("Fix applied in the form; save to keep it."),
        }
    )


def _refusal(message: str, *, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def article_gone_page(request, *, model_admin):
    """A save of an article deleted meanwhile: nothing can be written, so the editor's texts are shown to copy."""
    texts = []
    for code in language_codes():
        for name in SOURCE_FIELDS:
            posted = request.POST.get(build_localized_fieldname(name, code), "")
            if posted.strip():
                texts.append((language_name(code), code, Article._meta.get_field(name).verbose_name, posted))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("This article was deleted"),
        "opts": Article._meta,
        "texts": texts,
    }
    return TemplateResponse(request, "admin/articles/article/gone.html", context, status=409)


def article_segments_page(request, pk: int, language: str, *, model_admin):
    """Translate block by block: each source block beside its translation (as QA aligns them), editable in place.

    Saving replaces only the edited blocks' lines of the body the editor loaded, so every other byte stays, and
    writes through the write service with the version the editor saw (a save made meanwhile is merged by block).
    Each block can be marked reviewed; a mark names the block's text and drops when that text changes.
    """
    article = get_object_or_404(Article, pk=pk)
    if language not in language_codes() or language == article.source_language:
        raise Http404
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    editable = model_admin.has_change_permission(request, article) and can_edit_language(request.user, language)
    url = reverse("admin:articles_article_segments", args=[pk, language])
    posted_error = ""
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        posted_error = _segments_save(request, article, language)
        if not posted_error:
            return HttpResponseRedirect(url)
        article.refresh_from_db()
    body = article.value("body", language) or ""
    passages = version_passages(body)
    source_passages = version_passages(article.value("body", article.source_language) or "")
    reviewed = article_reviewed_blocks(article, language)
    offset = article_document(article, language).body_line - 1
    by_line = {}
    for finding in article.language_findings(language):
        by_line.setdefault(finding.line - offset, []).append(finding)
    index = {id(passage): number for number, passage in enumerate(passages)}
    rows = []
    for source, passage in align_passages(source_passages, passages):
        text = passage_source(passage) if passage else ""
        lines = {number for number, _text in passage.lines} if passage else set()
        rows.append(
            {
                "source": passage_source(source) if source else "",
                "kind": (passage or source).kind,
                "index": index[id(passage)] if passage else None,
                "text": text,
                "hash": block_hash(text) if passage else "",
                "reviewed": passage is not None and block_hash(text) in reviewed,
                "findings": [
                    (f.severity, f.code, f.text(gettext)) for line in sorted(lines) for f in by_line.get(line, [])
                ],
            }
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("%(article)s in %(language)s, block by block")
        % {"article": article, "language": language_name(language)},
        "opts": Article._meta,
        "original": article,
        "language": language,
        "source_language": article.source_language,
        "rows": rows,
        "editable": editable,
        "loaded": body,
        "version": article.version,
        "error": posted_error,
    }
    return TemplateResponse(request, "admin/articles/article/segments.html", context)


def _segments_save(request, article: Article, language: str) -> str:
    """Write the edited blocks and the review marks; return an error message, or "" when saved."""
    stored = article.value("body", language) or ""
    loaded = request.POST.get("loaded", "").replace("\r\n", "\n")
    if "\r\n" in stored:
        loaded = loaded.replace("\n", "\r\n")
    passages = version_passages(loaded)
    edits, reviewed = {}, set()
    for number, passage in enumerate(passages):
        was = passage_source(passage)
        if request.POST.get(f"hash-{number}") != block_hash(was):
            return gettext("The page did not match the text it was made from; nothing was saved. Load it again.")
        text = request.POST.get(f"block-{number}", was).replace("\r\n", "\n")
        if text != was:
            edits[number] = text
        if request.POST.get(f"reviewed-{number}"):
            reviewed.add(block_hash(text))
    body = replace_passages(loaded, edits) if edits else loaded
    if len(body) > MAX_BODY_LENGTH:
        return gettext("The text is %(length)d characters long; the limit is %(limit)d.") % {
            "length": len(body),
            "limit": MAX_BODY_LENGTH,
        }
    seen = request.POST.get("expected_version", "")
    result = article_write(
        article_id=article.pk,
        changes={("body", language): body} if edits else {},
        base={("body", language): loaded},
        seen_version=int(seen) if seen.isdigit() else None,
        source="segments",
        by=request.user,
        comment=gettext("Edited block by block (%(language)s)") % {"language": language},
        refuse_removed_html=True,
    )
    if result.missing:
        return gettext("This article was deleted while you were editing it; nothing was saved.")
    if result.conflicts:
        clashes = [block.mine for conflict in result.conflicts for block in conflict.blocks]
        return gettext(
            "Someone else changed the same blocks since you loaded this page; nothing was saved. Your texts of "
            "those blocks: %(texts)s"
        ) % {"texts": " / ".join(clashes)}
    if result.refused:
        finding = next(iter(result.refused.values()))
        return gettext("Removed before readers see it (line %(line)d): %(what)s") % {
            "line": finding.line,
            "what": finding.text(gettext),
        }
    article_reviews_set(article=result.article, language=language, reviewed=reviewed)
    messages.success(request, gettext("Saved."))
    return ""


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


def suggestion_review_page(request, pk: str, *, model_admin):
    """One suggestion: the passage with the correction in place; accept (applied) or reject (with a reason)."""
    suggestion = get_object_or_404(Suggestion.objects.select_related("article", "term", "reviewer"), pk=pk)
    if not model_admin.has_change_permission(request, suggestion):
        raise PermissionDenied
    reason = ""
    if request.method == "POST" and suggestion.status == Suggestion.Status.NEW:
        if request.POST.get("action") == "accept":
            try:
                seen = int(request.POST.get("version", ""))
            except ValueError:
                seen = -1
            result = suggestion_accept(suggestion_id=suggestion.pk, by=request.user, seen_version=seen)
        else:
            reason = request.POST.get("reason", "").replace("\x00", "")[:2000]
            result = suggestion_reject(suggestion_id=suggestion.pk, by=request.user, reason=reason)
        (messages.success if result.done else messages.error)(request, result.message)
        if result.done:
            return HttpResponseRedirect(reverse("admin:articles_suggestion_changelist"))
        suggestion.refresh_from_db()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Review a suggestion"),
        "opts": Suggestion._meta,
        "suggestion": suggestion,
        "review": suggestion_review(suggestion),
        "reason": reason,
    }
    return TemplateResponse(request, "admin/articles/suggestion/review.html", context)


def term_merge_page(request, *, model_admin):
    """Merge two terms: the editor picks the term that stays; the other's slug will lead to it."""
    if not can_edit_every_language(request.user):
        raise PermissionDenied
    raw = request.POST.get("ids") or request.GET.get("ids", "")
    ids = [int(part) for part in raw.split(",") if part.isdigit()][:2]
    terms = list(Term.objects.filter(pk__in=ids).select_related("article").prefetch_related("names"))
    if len(terms) != 2:
        messages.error(request, gettext("Select exactly two terms to merge."))
        return HttpResponseRedirect(reverse("admin:glossary_term_changelist"))
    if request.method == "POST":
        survivor = next((term for term in terms if str(term.pk) == request.POST.get("survivor")), None)
        if survivor is None:
            messages.error(request, gettext("Choose the term that stays."))
        else:
            merged = next(term for term in terms if term.pk != survivor.pk)
            result = terms_merge_with_articles(survivor_id=survivor.pk, merged_id=merged.pk, by=request.user)
            (messages.success if result.done else messages.error)(request, result.message)
            if result.done:
                return HttpResponseRedirect(reverse("admin:glossary_term_change", args=[survivor.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Merge two terms"),
        "opts": Term._meta,
        "terms": terms,
        "ids": ",".join(str(term.pk) for term in terms),
    }
    return TemplateResponse(request, "admin/articles/merge_terms.html", context)


CONFIRM_PAGE_SIZE = 50


def term_names_confirm_page(request, *, model_admin):
    """One screen of unconfirmed names in the editor's languages: confirm, rename (cleaned name offered) or reject."""
    languages = editable_languages(request.user)
    if not languages:
        raise PermissionDenied
    if request.method == "POST":
        counts = term_names_review(request.POST, languages=languages)
        messages.success(
            request,
            gettext("%(confirmed)d confirmed, %(renamed)d renamed, %(rejected)d rejected.") % counts,
        )
        return HttpResponseRedirect(request.path)
    rows = [
        (name, clean_headword(name.name, language=name.language), name.usage or "")
        for name in unconfirmed_names(languages=languages, limit=CONFIRM_PAGE_SIZE)
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Confirm names"),
        "opts": Term._meta,
        "rows": rows,
    }
    return TemplateResponse(request, "admin/articles/confirm_names.html", context)


def term_names_review(data, *, languages: list[str]) -> dict[str, int]:
    """Apply the confirm page's choices (action_<id>: confirm, rename or reject; name_<id>) in the given languages."""
    chosen = {}
    for key, action in data.items():
        if key.startswith("action_") and key[7:].isdigit() and action in ("confirm", "rename", "reject"):
            chosen[int(key[7:])] = action
    names = TermName.objects.filter(pk__in=chosen, language__in=languages, confirmed=False)
    counts = {"confirmed": 0, "renamed": 0, "rejected": 0}
    for name in names:
        action = chosen[name.pk]
        if action == "rename":
            new = " ".join(data.get(f"name_{name.pk}", "").replace("\x00", "").split())[:200]
            if new and new != name.name:
                term_name_rename(name=name, new=new)
                counts["renamed"] += 1
                continue
            action = "confirm"
        if action == "confirm":
            counts["confirmed"] += term_names_confirm(names=TermName.objects.filter(pk=name.pk))
        else:
            term_names_delete(names=[name])
            counts["rejected"] += 1
    return counts

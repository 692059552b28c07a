import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname
from reversion.admin import VersionAdmin

from articles.forms import MAX_BODY_LENGTH, ArticleAdminForm
from articles.history import article_source_at, article_versions, text_diff, version_values
from articles.models import SOURCE_FIELDS, Article
from articles.selectors import article_coverage
from articles.services import ArticleConflict, article_document, article_languages_refresh, article_save
from glossary.languages import language_codes, language_name
from glossary.selectors import term_link_resolver
from glossary.services import terms_ensure
from markup.document import parse_document, plain_text
from markup.qa import apply_fix, parse_blocks
from markup.render import TermLink, find_term_links, render_markdown

STATE_LABELS = {
    "missing": _("missing"),
    "draft": _("draft"),
    "outdated": _("outdated"),
    "current": _("up to date"),
}


def can_edit_language(user, language: str) -> bool:
    """Superusers edit everything; editors only the languages of their group."""
    return user.is_superuser or user.has_perm(f"articles.edit_{language}")


class ArticleAdmin(VersionAdmin, TranslationAdmin):
    form = ArticleAdminForm
    list_display = ["slug", "source_language", "updated", "version"]
    list_filter = ["source_language", "updated"]
    search_fields = ["slug", *[build_localized_fieldname("title", code) for code in language_codes()]]
    change_form_template = "admin/articles/article/change_form.html"
    history_latest_first = True

    class Media:
        css = {"all": ["admin-extra/workbench.css"]}
        js = ["admin-extra/tabs.js", "admin-extra/preview.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["slug", "source_language", "revision_comment", "expected_version"]})]
        source = obj.source_language if obj else Article._meta.get_field("source_language").default
        for code in language_codes():
            editable = can_edit_language(request.user, code)
            fields = [build_localized_fieldname(name, code) for name in SOURCE_FIELDS]
            fields += [f"draft_{code}"] if editable else []
            fields += [f"live_preview_{code}", f"problems_{code}"]
            if code != source:
                fields += [f"up_to_date_{code}"] if editable else []
                fields += [f"source_changes_{code}", f"side_by_side_{code}"]
            classes = ["language-version", f"language-{code}"] + ([] if code == source else ["collapse"])
            title = language_name(code) + (f" — {gettext('source')}" if code == source else "")
            if obj is not None:
                title += f" ({STATE_LABELS[obj.state(code)]})"
            fieldsets.append((title, {"fields": fields, "classes": classes}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = []
        for code in language_codes():
            readonly += [f"live_preview_{code}", f"problems_{code}", f"source_changes_{code}", f"side_by_side_{code}"]
            if not can_edit_language(request.user, code):
                readonly += [build_localized_fieldname(name, code) for name in SOURCE_FIELDS]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Read-only language fields are not form fields: whatever is posted for them is ignored.
        readonly = set(self.get_readonly_fields(request, obj))
        kwargs["fields"] = [
            name
            for _title, options in self.get_fieldsets(request, obj)
            for name in options["fields"]
            if name not in readonly
        ]
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        editable = [code for code in language_codes() if can_edit_language(request.user, code)]
        drafts = set(obj.draft_languages) - set(editable)
        drafts |= {code for code in editable if form.cleaned_data.get(f"draft_{code}")}
        up_to_date = [code for code in editable if form.cleaned_data.get(f"up_to_date_{code}")]
        if not change:
            obj.term = terms_ensure(slugs=[obj.slug])[obj.slug]
            obj.draft_languages = sorted(drafts)
            obj.save()
            article_languages_refresh(article=obj, languages=[code for code in language_codes() if obj.has_text(code)])
            return
        reverting = request.resolver_match.url_name.endswith(("_revision", "_recover"))
        try:
            article_save(
                article=obj,
                expected_version=form.cleaned_data["expected_version"],
                up_to_date=up_to_date,
                drafts=drafts,
                force_languages=language_codes() if reverting else (),
            )
        except ArticleConflict as conflict:  # saved by someone else between validation and saving
            messages.error(request, gettext("Not saved: %(error)s") % {"error": conflict})

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        comment = request.POST.get("revision_comment", "").strip()
        if comment and reversion.is_active():
            reversion.set_comment(comment)  # the editor's words replace the list of changed fields
        return entry

    def get_urls(self):
        urls = [
            path("coverage/", self.admin_site.admin_view(self.coverage_view), name="articles_article_coverage"),
            path(
                "preview/<str:language>/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<int:pk>/apply-fix/<str:language>/<int:index>/",
                self.admin_site.admin_view(self.apply_fix_view),
                name="articles_article_apply_fix",
            ),
            path("<int:pk>/compare/", self.admin_site.admin_view(self.compare_view), name="articles_article_compare"),
        ]
        return urls + super().get_urls()

    # Per-language panels ---------------------------------------------------------------------------------------

    def _findings(self, obj, code):
        if obj is None or not obj.pk:
            return "–"
        findings = obj.language_findings(code)
        if not findings:
            return gettext("No problems found.")
        rows = []
        for index, finding in enumerate(findings):
            button = ""
            if finding.fix is not None:
                url = reverse("admin:articles_article_apply_fix", args=[obj.pk, code, index])
                button = format_html(
                    ' <button type="submit" class="button apply-fix" formaction="{}" formnovalidate>{}</button>',
                    url,
                    gettext("Apply fix"),
                )
            rows.append((finding.severity, finding.line, finding.column, finding.code, finding.text(gettext), button))
        return format_html(
            '<ul class="findings">{}</ul>',
            format_html_join(
                "",
                '<li class="finding-{}"><b>{}:{}</b> <code>{}</code> {}{}</li>',
                rows,
            ),
        )

    def _outdated(self, obj, code):
        if obj is None or not obj.is_outdated(code):
            return gettext("Up to date with the source.") if obj is not None and obj.has_text(code) else "–"
        source = obj.source_language
        before = article_source_at(obj, revision=obj.synced_revisions.get(code, 0))
        if before is None:
            return gettext("The source changed since this translation was last brought up to date.")
        parts = []
        for name in ("title", "body"):
            diff = text_diff(before.get(build_localized_fieldname(name, source), ""), obj.value(name, source))
            if diff:
                parts.append(format_html('<pre class="diff">{}</pre>', diff))
        return format_html(
            "<p>{}</p>{}",
            gettext("The source changed since this translation was last brought up to date:"),
            format_html_join("", "{}", ((part,) for part in parts)),
        )

    def _compare(self, obj, code):
        if obj is None or not obj.has_text(obj.source_language):
            return "–"
        source_blocks = parse_blocks(obj.value("body", obj.source_language))
        blocks = parse_blocks(obj.value("body", code) or "")
        rows = [
            (obj.source_language, source.plain if source else "", code, block.plain if block else "")
            for source, block in _zip_longest(source_blocks, blocks)
        ]
        return format_html(
            '<table class="side-by-side"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>',
            language_name(obj.source_language),
            language_name(code),
            format_html_join("", '<tr><td lang="{}">{}</td><td lang="{}">{}</td></tr>', rows),
        )

    def _preview(self, obj, code):
        return format_html(
            '<div class="live-preview" lang="{}" data-url="{}" data-field="id_{}" data-title-field="id_{}"></div>',
            code,
            reverse("admin:articles_article_preview", args=[code]),
            build_localized_fieldname("body", code),
            build_localized_fieldname("title", code),
        )

    # Admin-only endpoints -------------------------------------------------------------------------------------

    def preview_view(self, request, language):
        """Render a body exactly as the site will, for the editor's live preview (POST with CSRF)."""
        if request.method != "POST":
            return JsonResponse({"error": "POST only"}, status=405)
        if language not in language_codes() or not self.has_change_permission(request):
            raise PermissionDenied
        body = request.POST.get("body", "")[:MAX_BODY_LENGTH]
        resolver = term_link_resolver(language=language, slugs={link.target for link in find_term_links(body)})
        rendered = render_markdown(
            body,
            resolve_link=lambda slug: resolver(slug) or _unknown_term(slug, language),
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

    def apply_fix_view(self, request, pk, language, index):
        """Apply one mechanical fix as an edit of its own: a revision that can be reverted like any other."""
        if request.method != "POST":
            raise PermissionDenied
        article = get_object_or_404(Article, pk=pk)
        if not self.has_change_permission(request, article) or not can_edit_language(request.user, language):
            raise PermissionDenied
        findings = article.language_findings(language)
        change_url = reverse("admin:articles_article_change", args=[pk])
        if index >= len(findings) or findings[index].fix is None:
            messages.error(request, gettext("That fix is no longer available; the text has changed."))
            return HttpResponseRedirect(change_url)
        finding = findings[index]
        try:
            document = parse_document(apply_fix(article_document(article, language).text, finding.fix), name="fix")
        except ValueError as error:
            messages.error(request, gettext("The fix could not be applied: %(error)s") % {"error": error})
            return HttpResponseRedirect(change_url)
        for name in SOURCE_FIELDS:
            article.set_value(name, language, document.body if name == "body" else document.meta.get(name, ""))
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(
                gettext("Applied fix %(code)s (%(language)s)") % {"code": finding.code, "language": language}
            )
            article_save(article=article, expected_version=article.version)
        messages.success(request, gettext("Fix applied: %(text)s") % {"text": finding.text(gettext)})
        return HttpResponseRedirect(change_url)

    def coverage_view(self, request):
        """Articles × languages: missing, draft, outdated or up to date, with warning counts."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Translation coverage"),
            "opts": self.model._meta,
            "languages": [(code, language_name(code)) for code in language_codes()],
            "rows": article_coverage(),
        }
        return TemplateResponse(request, "admin/articles/article/coverage.html", context)

    def compare_view(self, request, pk):
        """A readable diff between two revisions, per language."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = list(article_versions(article))
        chosen = {str(v.pk): v for v in versions}
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
                        diffs.append((language_name(code), name, diff))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Compare revisions of %(article)s") % {"article": article},
            "opts": self.model._meta,
            "original": article,
            "versions": versions,
            "older": older,
            "newer": newer,
            "diffs": diffs,
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)


def _zip_longest(first, second):
    for index in range(max(len(first), len(second))):
        yield (first[index] if index < len(first) else None, second[index] if index < len(second) else None)


def _unknown_term(slug, language):
    return TermLink(href=f"/{language}/terms/{slug}/", missing=True, title=gettext("New term"))


def _panel(kind, code):
    def panel(self, obj):
        return getattr(self, f"_{kind}")(obj, code)

    panel.short_description = {
        "findings": _("Problems found"),
        "outdated": _("Changes in the source"),
        "compare": _("Source and translation, block by block"),
        "preview": _("Preview"),
    }[kind]
    return panel


# Panel names must differ from the model's language columns (findings_ko is a field, problems_ko a panel).
PANELS = {"findings": "problems", "outdated": "source_changes", "compare": "side_by_side", "preview": "live_preview"}
for _code in language_codes():
    for _kind, _name in PANELS.items():
        setattr(ArticleAdmin, f"{_name}_{_code}", _panel(_kind, _code))

# Registered here, after modeltranslation added the language columns, so every revision holds all of them.
# The version counter is left out: it counts saves, and a revert is a save.
reversion.register(Article, exclude=["version"])
admin.site.register(Article, ArticleAdmin)

from functools import partial

import reversion
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.urls import path
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname
from reversion.admin import VersionAdmin

from articles import admin_views
from articles.forms import ArticleAdminForm
from articles.models import RENDERED_FIELDS, SOURCE_FIELDS, Article
from articles.permissions import can_edit_every_language, can_edit_language, editable_languages
from articles.services import ArticleConflict, article_languages_refresh, article_save
from glossary.languages import language_codes, language_name
from glossary.services import terms_ensure

STATE_LABELS = {
    "missing": _("missing"),
    "draft": _("draft"),
    "outdated": _("outdated"),
    "current": _("up to date"),
}
# What all languages share; only someone who may edit every language changes it.
SHARED_FIELDS = ["slug", "source_language"]
# Read-only parts of each language's section: name prefix → (renderer, label). Their names must differ from the
# model's language columns (findings_ko is a column, problems_ko a panel).
PANELS = {
    "live_preview": (admin_views.live_preview_panel, _("Preview")),
    "problems": (admin_views.findings_panel, _("Problems found")),
    "source_changes": (admin_views.source_changes_panel, _("Changes in the source")),
    "side_by_side": (admin_views.side_by_side_panel, _("Source and translation, block by block")),
}


class TranslationStateFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            (f"{code}:{state}", f"{language_name(code)}: {STATE_LABELS[state]}")
            for code in language_codes()
            for state in ("missing", "draft", "outdated")
        ]

    def queryset(self, request, queryset):
        if not self.value() or self.value().count(":") != 1:
            return queryset
        code, state = self.value().split(":")
        if code not in language_codes():
            return queryset
        # The state needs the draft list and outdated marks (JSON), so it is decided here, on only the columns it reads.
        columns = ["source_language", "draft_languages", "source_revision", "synced_revisions"]
        columns += [build_localized_fieldname(name, code) for name in ("title", "body")]
        wanted = [article.pk for article in queryset.only(*columns) if article.state(code) == state]
        return queryset.filter(pk__in=wanted)


class ArticleAdmin(VersionAdmin, TranslationAdmin):
    form = ArticleAdminForm
    list_display = ["slug", "language_states", "source_language", "updated", "version"]
    list_filter = [TranslationStateFilter, "source_language", "updated"]
    search_fields = ["slug", *[build_localized_fieldname("title", code) for code in language_codes()]]
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    revision_form_template = "admin/articles/article/revision_form.html"
    history_latest_first = True

    class Media:
        css = {"all": ["admin-extra/workbench.css"]}
        js = ["admin-extra/tabs.js", "admin-extra/preview.js"]

    @admin.display(description=_("languages"))
    def language_states(self, article):
        return format_html_join(
            " ",
            '<span class="language-state state-{}" title="{}: {}">{}</span>',
            (
                (article.state(code), language_name(code), STATE_LABELS[article.state(code)], code)
                for code in language_codes()
            ),
        )

    # The form: one section (a tab, with tabs.js) per language ------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": [*SHARED_FIELDS, "revision_comment", "expected_version"]})]
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
        readonly = [] if can_edit_every_language(request.user) else list(SHARED_FIELDS)
        for code in language_codes():
            readonly += [f"{prefix}_{code}" for prefix in PANELS]
            if not can_edit_language(request.user, code):
                readonly += [build_localized_fieldname(name, code) for name in SOURCE_FIELDS]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Read-only fields are not form fields, so whatever is posted for them is ignored: this is the enforcement.
        readonly = set(self.get_readonly_fields(request, obj))
        kwargs["fields"] = [
            name
            for _title, options in self.get_fieldsets(request, obj)
            for name in options["fields"]
            if name not in readonly
        ]
        return super().get_form(request, obj, change=change, **kwargs)

    # Saving --------------------------------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        editable = editable_languages(request.user)
        before = getattr(request, "article_before_revert", None)
        if before is not None:
            self._keep_what_the_editor_may_not_change(request, obj, before)
        base = before or obj
        drafts = set(base.draft_languages) - set(editable)
        drafts |= {code for code in editable if form.cleaned_data.get(f"draft_{code}")}
        up_to_date = [code for code in editable if form.cleaned_data.get(f"up_to_date_{code}")]
        if not change:
            obj.term = terms_ensure(slugs=[obj.slug])[obj.slug]
            obj.draft_languages = sorted(drafts)
            obj.save()
            article_languages_refresh(article=obj, languages=[code for code in language_codes() if obj.has_text(code)])
            return
        recovering = request.resolver_match.url_name.endswith("_recover")
        try:
            article_save(
                article=obj,
                expected_version=form.cleaned_data["expected_version"],
                up_to_date=up_to_date,
                drafts=drafts,
                force_languages=editable if before is not None else language_codes() if recovering else (),
                previous=before,
            )
        except ArticleConflict as conflict:  # saved by someone else between validation and saving
            self.message_user(request, gettext("Not saved: %(error)s") % {"error": conflict}, "error")

    def _keep_what_the_editor_may_not_change(self, request, obj, before):
        """A revert restores every column; put back the languages (and shared fields) this editor may not change."""
        for code in language_codes():
            if not can_edit_language(request.user, code):
                for name in (*SOURCE_FIELDS, *RENDERED_FIELDS, "imported_source"):
                    obj.set_value(name, code, before.value(name, code))
        if not can_edit_every_language(request.user):
            for name in SHARED_FIELDS:
                setattr(obj, name, getattr(before, name))

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        comment = request.POST.get("revision_comment", "").strip()
        if comment and reversion.is_active():
            reversion.set_comment(comment)  # the editor's words replace the list of changed fields
        return entry

    # History -------------------------------------------------------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # django-reversion writes the old revision over the article before the form runs: keep what it overwrote,
        # so save_model can restore what this editor may not change and measure the revert against it.
        object_id = unquote(object_id)
        request.article_before_revert = (
            Article.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        )
        extra_context = {**(extra_context or {}), "partial_revert": not can_edit_every_language(request.user)}
        return super().revision_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        before = getattr(request, "article_before_revert", None)
        if before is not None:
            # The revert reset the save counter (revisions leave it out) to its default: put the real one back, so a
            # revert takes part in optimistic locking like any other save.
            Article.objects.filter(pk=before.pk).update(version=before.version)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            extra_context = {**(extra_context or {}), "action_list": admin_views.article_history_actions(article)}
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(partial(function, model_admin=self))

        urls = [
            path("coverage/", view(admin_views.article_coverage_page), name="articles_article_coverage"),
            path("preview/<str:language>/", view(admin_views.article_preview), name="articles_article_preview"),
            path(
                "<int:pk>/apply-fix/<str:language>/<int:index>/",
                view(admin_views.article_apply_fix),
                name="articles_article_apply_fix",
            ),
            path("<int:pk>/compare/", view(admin_views.article_compare), name="articles_article_compare"),
        ]
        return urls + super().get_urls()


def _panel(render, label, code):
    def panel(self, obj):
        return render(obj, code)

    panel.short_description = label
    return panel


for _code in language_codes():
    for _prefix, (_render, _label) in PANELS.items():
        setattr(ArticleAdmin, f"{_prefix}_{_code}", _panel(_render, _label, _code))

# Registered here, after modeltranslation added the language columns, so every revision holds all of them.
# The version counter is left out: it counts saves, and a revert is a save.
reversion.register(Article, exclude=["version"])
admin.site.register(Article, ArticleAdmin)

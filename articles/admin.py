from functools import partial

import reversion
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import admin_views
from articles.forms import ArticleAdminForm
from articles.history import article_from_revision, revision_flags, version_values
from articles.models import SOURCE_FIELDS, Article, ArticleVersion, Suggestion
from articles.services import article_write, articles_delete
from core.languages import language_codes, language_name
from core.permissions import can_edit_every_language, can_edit_language, editable_languages

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
    "read_only_problems": (admin_views.read_only_findings_panel, _("Problems found")),
    "source_changes": (admin_views.source_changes_panel, _("Changes in the source")),
    "side_by_side": (admin_views.side_by_side_panel, _("Source and translation, block by block")),
}


BULK_ACTIONS = {
    "mark_draft": _("Mark the %(language)s version as a draft"),
    "mark_published": _("Publish the %(language)s version (no longer a draft)"),
    "mark_up_to_date": _("Mark the %(language)s version up to date with the source"),
}


class FormConflict(Exception):
    """The write service refused the save (a conflict, or HTML the sanitiser would remove); nothing was saved."""

    def __init__(self, form):
        self.form = form
        super().__init__("conflicting save")


def _reverted_version(request, article: Article) -> Version:
    """The revision the revert page at this URL (…/<pk>/history/<version>/) restores."""
    return get_object_or_404(Version, pk=request.resolver_match.args[1], object_id=str(article.pk))


def _up_to_date_in_revision(version: Version, languages: list[str]) -> list[str]:
    """The translations that were up to date with the source in that revision: a revert brings both back."""
    values = version_values(version)
    revision = values.get("source_revision", 0)
    source = values.get("source_language")
    synced = {code: flags.get("synced_source_revision") for code, flags in revision_flags(version).items()}
    return [code for code in languages if code != source and (synced.get(code) or revision) >= revision]


def _bulk_write(modeladmin, request, queryset, *, kind: str, language: str) -> None:
    if not can_edit_language(request.user, language):
        raise PermissionDenied
    flags = {"drafts": {language: kind == "mark_draft"}} if kind != "mark_up_to_date" else {"up_to_date": [language]}
    count = 0
    for pk in queryset.order_by("pk").values_list("pk", flat=True):
        result = article_write(article_id=pk, changes={}, seen_version=None, source="bulk", by=request.user, **flags)
        count += result.saved
    modeladmin.message_user(request, gettext("%(count)d article(s) changed.") % {"count": count})


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
        # The state needs the text and the language's flags, so it is decided here, on only the columns it reads.
        columns = ["source_language", "source_revision"]
        columns += [build_localized_fieldname(name, code) for name in ("title", "body")]
        flags = ArticleVersion.objects.filter(language=code).only(*VERSION_FLAGS)
        articles = queryset.only(*columns).prefetch_related(None).prefetch_related(Prefetch("versions", queryset=flags))
        wanted = [article.pk for article in articles if article.state(code) == state]
        return queryset.filter(pk__in=wanted)


# The columns of ArticleVersion that the list's states and the form's flags read.
VERSION_FLAGS = ("article_id", "language", "draft", "published", "synced_source_revision", "findings")


class ArticleAdmin(VersionAdmin, TranslationAdmin):
    form = ArticleAdminForm
    list_display = ["slug", "language_states", "source_language", "updated", "version"]
    list_filter = [TranslationStateFilter, "source_language", "updated"]
    search_fields = ["slug", *[build_localized_fieldname("title", code) for code in language_codes()]]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"  # extends reversion's, adds our tools
    object_history_template = "admin/articles/article/object_history.html"
    revision_form_template = "admin/articles/article/revision_form.html"
    history_latest_first = True

    class Media:
        css = {"all": ["admin-extra/workbench.css"]}
        js = ["admin-extra/tabs.js", "admin-extra/preview.js", "admin-extra/fixes.js", "admin-extra/unsaved.js"]

    def get_queryset(self, request):
        flags = ArticleVersion.objects.only(*VERSION_FLAGS)
        return super().get_queryset(request).prefetch_related(Prefetch("versions", queryset=flags))

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
        shared = [*SHARED_FIELDS, "revision_comment", "expected_version"]
        if request.resolver_match.url_name == "articles_article_revision":
            shared.append("seen_revision")  # the revert's merge base (see ArticleAdminForm.revert_base)
        fieldsets = [(None, {"fields": shared})]
        source = obj.source_language if obj else Article._meta.get_field("source_language").default
        # The source first: translators read it before the language they write.
        for code in sorted(language_codes(), key=lambda code: code != source):
            editable = can_edit_language(request.user, code)
            fields = [build_localized_fieldname(name, code) for name in SOURCE_FIELDS]
            fields += [f"draft_{code}"] if editable else []
            fields += [f"live_preview_{code}", f"problems_{code}" if editable else f"read_only_problems_{code}"]
            if code != source:
                fields += [f"up_to_date_{code}"] if editable else []
                fields += [f"source_changes_{code}", f"side_by_side_{code}"]
            classes = ["language-version", f"language-{code}"] + ([] if code == source else ["collapse"])
            classes += [] if editable else ["read-only"]
            title = language_name(code) + (" — " + gettext("source") if code == source else "")
            if obj is not None:
                title += f" ({STATE_LABELS[obj.state(code)]})"
            if not editable:
                title += " — " + gettext("read-only")
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

    # Saving: every save, revert and bulk action goes through articles.services.article_write -------------------------

    def save_model(self, request, obj, form, change):
        editable = editable_languages(request.user)
        changes, base = form.changes()
        reverting = request.resolver_match.url_name == "articles_article_revision"
        up_to_date = [code for code in editable if form.cleaned_data.get(f"up_to_date_{code}")]
        if reverting and obj.source_language in editable:
            up_to_date += _up_to_date_in_revision(_reverted_version(request, obj), editable)
        result = article_write(
            article_id=obj.pk if change else None,
            changes=changes,
            # A revert changes what was stored when its form was loaded into the old text: merged like any save.
            base=form.revert_base() if reverting else base if change else None,
            seen_version=form.cleaned_data.get("expected_version"),
            source="revert" if reverting else "admin",
            by=request.user,
            drafts={code: bool(form.cleaned_data.get(f"draft_{code}")) for code in editable},
            up_to_date=up_to_date,
            rerender=language_codes() if request.resolver_match.url_name.endswith("_recover") else (),
            refuse_removed_html=True,
        )
        if result.missing:
            form.add_error(None, gettext("This article was deleted while you were editing it; nothing was saved."))
            raise FormConflict(form)
        if result.refused:
            form.show_refused(result.refused)
            raise FormConflict(form)
        if result.conflicts:
            form.show_conflicts(current=result.article, conflicts=result.conflicts)
            raise FormConflict(form)
        obj.pk = result.article.pk

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The admin's answer to a missing object is a redirect; a save of an article deleted meanwhile would lose
        # what the editor typed, so it gets a page showing every posted text instead.
        if request.method == "POST" and request.resolver_match.url_name == f"{opts.app_label}_{opts.model_name}_change":
            return admin_views.article_gone_page(request, model_admin=self)
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FormConflict as conflict:  # nothing was written: show the form again, conflicts marked
            return self._form_with_conflicts(request, conflict.form, object_id, form_url, extra_context)

    def _form_with_conflicts(self, request, form, object_id, form_url, extra_context):
        """The change form as Django's admin shows an invalid one (its _changeform_view), for a refused save."""
        add = object_id is None
        obj = None if add else form.instance
        fieldsets = self.get_fieldsets(request, obj)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), {}, self.get_readonly_fields(request, obj), model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": (gettext("Add %s") if add else gettext("Change %s")) % self.opts.verbose_name,
            "subtitle": None if add else str(obj),
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, add=add, change=not add, obj=obj, form_url=form_url)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        comment = request.POST.get("revision_comment", "").strip()
        if comment and reversion.is_active():
            reversion.set_comment(comment)  # the editor's words replace the list of changed fields
        return entry

    # History -------------------------------------------------------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        match = request.resolver_match
        if article is not None and match is not None and match.url_name == "articles_article_revision":
            # The revert form shows the revision's text; nothing is written until the editor saves, and then
            # through the write service like any save (so a save made since the form was opened conflicts).
            article_from_revision(article, _reverted_version(request, article))
        return article

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        context = {
            "title": gettext("Revert %(name)s") % {"name": version.object_repr},
            "revert": True,
            "partial_revert": not can_edit_every_language(request.user),
            **(extra_context or {}),
        }
        with self.create_revision(request):
            response = self.changeform_view(request, object_id, request.path, context)
            if request.method == "POST" and response.status_code == 302:
                reversion.set_comment(
                    gettext("Reverted to previous version, saved on %(datetime)s")
                    % {"datetime": localize(template_localtime(version.revision.date_created))}
                )
        if response.status_code == 200 and hasattr(response, "render"):
            response.template_name = self.revision_form_template
            response.render()
        return response

    def delete_model(self, request, obj):
        articles_delete(article_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        articles_delete(article_ids=list(queryset.values_list("pk", flat=True)))

    # Bulk actions: each article through the write service ---------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        for code in editable_languages(request.user):
            for kind, label in BULK_ACTIONS.items():
                name = f"{kind}_{code}"
                action = partial(_bulk_write, kind=kind, language=code)
                actions[name] = (action, name, label % {"language": language_name(code)})
        return actions

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
            path("<int:pk>/fix/<str:language>/", view(admin_views.article_fix), name="articles_article_fix"),
            path(
                "<int:pk>/segments/<str:language>/",
                view(admin_views.article_segments_page),
                name="articles_article_segments",
            ),
            path("<int:pk>/compare/", view(admin_views.article_compare), name="articles_article_compare"),
            path("merge-terms/", view(admin_views.term_merge_page), name="articles_article_merge_terms"),
            path("confirm-names/", view(admin_views.term_names_confirm_page), name="articles_article_confirm_names"),
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
# Each language's draft flag and up-to-date mark (ArticleVersion rows) ride along in the article's own serialised
# row (articles/revision_format.py), so a revert restores them.
reversion.register(Article, exclude=["version"], format="article_json")
admin.site.register(Article, ArticleAdmin)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """The moderation queue: readers' corrections, each editor seeing the languages they may edit."""

    list_display = ("created", "language", "about", "excerpt", "status")
    list_filter = ("status", "language")
    search_fields = ("quoted", "suggested")
    ordering = ["status", "-created"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("article", "term")
        return queryset.filter(language__in=editable_languages(request.user))

    def has_add_permission(self, request):
        return False  # suggestions come from readers

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_edit_language(request.user, obj.language):
            return False
        return bool(editable_languages(request.user))

    has_view_permission = has_change_permission
    has_module_permission = has_change_permission

    @admin.display(description=_("about"))
    def about(self, obj):
        return obj.article or obj.term

    @admin.display(description=_("passage"))
    def excerpt(self, obj):
        return obj.quoted[:80]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return admin_views.suggestion_review_page(request, unquote(object_id), model_admin=self)

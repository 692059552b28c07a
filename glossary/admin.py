from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname

from articles.permissions import can_edit_every_language, can_edit_language, editable_languages
from glossary.languages import language_codes, language_name
from glossary.models import Term, TermName
from glossary.services import term_name_save, term_names_confirm, term_names_delete, term_save, terms_delete


class LanguageRestrictedNames:
    """Names in the languages the editor may change, and no other: hidden from the form, refused when posted."""

    def get_queryset(self, request):
        names = super().get_queryset(request)
        if can_edit_every_language(request.user):
            return names
        return names.filter(language__in=editable_languages(request.user))

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language":
            kwargs["choices"] = [(code, language_name(code)) for code in editable_languages(request.user)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        term_name_save(name=obj)

    def delete_model(self, request, obj):
        term_names_delete(names=[obj])

    def delete_queryset(self, request, queryset):
        term_names_delete(names=list(queryset))


class TermNameInline(LanguageRestrictedNames, admin.TabularInline):
    model = TermName
    extra = 1
    fields = ["language", "name", "status", "confirmed", "origin"]
    readonly_fields = ["origin"]


@admin.action(description=_("Confirm the selected names"))
def confirm_names(modeladmin, request, queryset):
    term_names_confirm(names=queryset)


@admin.register(Term)
class TermAdmin(TranslationAdmin):
    list_display = ["slug", "name_count", "unconfirmed_count"]
    search_fields = ["slug", "names__name"]
    inlines = [TermNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    def get_readonly_fields(self, request, obj=None):
        if can_edit_every_language(request.user):
            # Article bodies link to a term by its slug and the term's article has the same slug: renaming it here
            # would break them, so a slug is set once.
            return ["slug"] if obj is not None else []
        readonly = ["slug", "all_names"]
        readonly += [
            build_localized_fieldname("definition", code)
            for code in language_codes()
            if not can_edit_language(request.user, code)
        ]
        return readonly

    def save_model(self, request, obj, form, change):
        definitions = {
            code: form.cleaned_data[name]
            for code in language_codes()
            if (name := build_localized_fieldname("definition", code)) in form.changed_data
        }
        term_save(term=obj, definitions=definitions, slug=None if change else obj.slug)

    def delete_model(self, request, obj):
        terms_delete(term_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        terms_delete(term_ids=list(queryset.values_list("pk", flat=True)))

    def save_formset(self, request, form, formset, change):
        names = formset.save(commit=False)
        term_names_delete(names=formset.deleted_objects)
        for name in names:
            term_name_save(name=name)

    @admin.display(description=_("all names"))
    def all_names(self, term):
        # Shown to editors of some languages, whose inline lists only the names they may change.
        if term is None or term.pk is None:
            return "–"
        unconfirmed = gettext("unconfirmed")
        return format_html_join(
            ", ",
            "{} ({}){}",
            ((name.name, name.language, "" if name.confirmed else f" – {unconfirmed}") for name in term.names.all()),
        )

    @admin.display(description=_("names"))
    def name_count(self, term):
        return len(term.names.all())

    @admin.display(description=_("unconfirmed names"))
    def unconfirmed_count(self, term):
        return sum(not name.confirmed for name in term.names.all())


@admin.register(TermName)
class TermNameAdmin(LanguageRestrictedNames, admin.ModelAdmin):
    list_display = ["name", "term", "language", "status", "confirmed", "origin"]
    list_filter = ["language", "confirmed", "status", "origin"]
    list_editable = ["confirmed", "status"]
    search_fields = ["name", "term__slug"]
    actions = [confirm_names]
    list_select_related = ["term"]
    readonly_fields = ["origin"]

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import BLANK_CHOICE_DASH, Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname

from core.languages import language_codes, language_name
from core.permissions import can_edit_every_language, can_edit_language, editable_languages
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
            # A blank first choice: a row nobody filled in must post no language, or it would count as changed.
            kwargs["choices"] = [
                *BLANK_CHOICE_DASH,
                *((code, language_name(code)) for code in editable_languages(request.user)),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        term_name_save(name=obj)

    def delete_model(self, request, obj):
        term_names_delete(names=[obj])

    def delete_queryset(self, request, queryset):
        term_names_delete(names=list(queryset))


# The term form edits at most this many names (the oldest, so a name added meanwhile never shifts the rows a
# posted form refers to); every name is in the Term names list, which paginates. A form with hundreds of rows
# would exceed DATA_UPLOAD_MAX_NUMBER_FIELDS and could not be saved at all.
NAMES_IN_FORM = 50
# Names listed per language in the term form's overview, each language linking to all of its names.
NAMES_LISTED_PER_LANGUAGE = 10


class TermNameInline(LanguageRestrictedNames, admin.TabularInline):
    model = TermName
    # No blank row: the "add another" link adds one, and the overview links to the add form (no JavaScript).
    extra = 0
    fields = ["language", "name", "reading", "status", "confirmed", "origin"]
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
        return (
            super()
            .get_queryset(request)
            .annotate(names_total=Count("names"), names_unconfirmed=Count("names", filter=Q(names__confirmed=False)))
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, TermNameInline) and obj is not None and obj.pk is not None:
            names = kwargs["queryset"]
            oldest = names.filter(term=obj).order_by("pk").values_list("pk", flat=True)[:NAMES_IN_FORM]
            kwargs["queryset"] = names.filter(pk__in=list(oldest))
        return kwargs

    def get_readonly_fields(self, request, obj=None):
        if can_edit_every_language(request.user):
            # Article bodies link to a term by its slug and the term's article has the same slug: renaming it here
            # would break them, so a slug is set once.
            return ["slug", "names_overview"] if obj is not None else ["names_overview"]
        readonly = ["slug", "names_overview"]
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

    @admin.display(description=_("names"))
    def names_overview(self, term):
        """List a few names per language, each language linking to all its names in the Term names list."""
        if term is None or term.pk is None:
            return "–"
        counts = dict(term.names.values_list("language").annotate(count=Count("pk")).order_by())
        names_url = reverse("admin:glossary_termname_changelist")
        unconfirmed = gettext("unconfirmed")
        lines = []
        for code in language_codes():
            if not counts.get(code):
                continue
            listed = term.names.filter(language=code)[:NAMES_LISTED_PER_LANGUAGE]
            label = ngettext("%(count)d name", "%(count)d names", counts[code]) % {"count": counts[code]}
            lines.append(
                format_html(
                    '<li>{} ({}): <a href="{}">{}</a> – {}</li>',
                    language_name(code),
                    code,
                    f"{names_url}?{urlencode({'term__id__exact': term.pk, 'language__exact': code})}",
                    label,
                    format_html_join(
                        ", ",
                        '<span lang="{}">{}</span>{}',
                        ((code, name.name, "" if name.confirmed else f" ({unconfirmed})") for name in listed),
                    ),
                )
            )
        add_url = f"{reverse('admin:glossary_termname_add')}?{urlencode({'term': term.pk})}"
        form_note = ngettext(
            "The form below shows the first %(count)d name in the languages you edit.",
            "The form below shows the first %(count)d names in the languages you edit.",
            NAMES_IN_FORM,
        ) % {"count": NAMES_IN_FORM}
        return format_html(
            '<ul class="term-names">{}</ul><p>{} <a href="{}">{}</a></p>',
            format_html_join("", "{}", ((line,) for line in lines)),
            form_note,
            add_url,
            gettext("Add a name"),
        )

    @admin.display(description=_("names"), ordering="names_total")
    def name_count(self, term):
        return term.names_total

    @admin.display(description=_("unconfirmed names"), ordering="names_unconfirmed")
    def unconfirmed_count(self, term):
        return term.names_unconfirmed


@admin.register(TermName)
class TermNameAdmin(LanguageRestrictedNames, admin.ModelAdmin):
    list_display = ["name", "term", "language", "status", "confirmed", "origin"]
    list_filter = ["language", "confirmed", "status", "origin"]
    list_editable = ["confirmed", "status"]
    search_fields = ["name", "term__slug"]
    actions = [confirm_names]
    list_select_related = ["term"]
    readonly_fields = ["origin"]
    autocomplete_fields = ["term"]  # a select of every term would list thousands

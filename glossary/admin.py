from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from glossary.models import Term, TermName


class TermNameInline(admin.TabularInline):
    model = TermName
    extra = 1
    fields = ["language", "name", "status", "confirmed", "origin"]
    readonly_fields = ["origin"]


@admin.action(description=_("Confirm the selected names"))
def confirm_names(modeladmin, request, queryset):
    queryset.update(confirmed=True)


@admin.register(Term)
class TermAdmin(TranslationAdmin):
    list_display = ["slug", "name_count", "unconfirmed_count"]
    search_fields = ["slug", "names__name"]
    inlines = [TermNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("names"))
    def name_count(self, term):
        return len(term.names.all())

    @admin.display(description=_("unconfirmed names"))
    def unconfirmed_count(self, term):
        return sum(not name.confirmed for name in term.names.all())


@admin.register(TermName)
class TermNameAdmin(admin.ModelAdmin):
    list_display = ["name", "term", "language", "status", "confirmed", "origin"]
    list_filter = ["language", "confirmed", "status", "origin"]
    list_editable = ["confirmed", "status"]
    search_fields = ["name", "term__slug"]
    actions = [confirm_names]
    list_select_related = ["term"]

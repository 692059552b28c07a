from django import forms
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from articles.history import article_versions, text_diff
from articles.models import SOURCE_FIELDS, Article
from articles.services import SHARED_FIELDS, FieldConflict
from core.languages import language_codes, language_name

MAX_BODY_LENGTH = 200_000
# Form field name → (model field, language), e.g. "title_zh_hans" → ("title", "zh-hans").
LOCALIZED_FIELDS = {
    build_localized_fieldname(name, code): (name, code) for code in language_codes() for name in SOURCE_FIELDS
}


def _language_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for code in language_codes():
        fields[f"draft_{code}"] = forms.BooleanField(
            label=_("Draft (hidden from readers)"), required=False, help_text=language_name(code)
        )
        fields[f"up_to_date_{code}"] = forms.BooleanField(
            label=_("Up to date with the source"), required=False, help_text=language_name(code)
        )
    return fields


class ArticleAdminForm(forms.ModelForm):
    """Article form with per-language draft and up-to-date flags, and optimistic locking with merging."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    revision_comment = forms.CharField(
        label=_("Comment for the history"), required=False, max_length=200, help_text=_("Optional: why you changed it.")
    )

    class Meta:
        model = Article
        fields = ["slug", "source_language"]  # the admin adds the language columns from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = self._meta.fields
        if allowed is not None:
            # Declared flags would join every form; keep only those the admin gave this editor.
            for name in [name for name in self.fields if name in LANGUAGE_FLAGS and name not in allowed]:
                del self.fields[name]
        for name, field in self.fields.items():
            if name in LOCALIZED_FIELDS:
                field.show_hidden_initial = True  # the posted initial tells what this editor changed
                field.strip = False  # sources are kept verbatim: a save must not trim the body's newlines
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            for code in language_codes():
                name = f"draft_{code}"
                if name in self.fields:
                    self.fields[name].initial = code in self.instance.draft_languages

    def clean(self):
        cleaned = super().clean()
        for name in LOCALIZED_FIELDS:
            if name not in cleaned:
                continue
            if cleaned[name]:
                cleaned[name] = self._like_stored(name, cleaned[name])
            else:
                # Empty comes as "" or None (modeltranslation's nullable columns): an unwritten field stays as it
                # is, so it does not count as a change; an emptied one becomes "" as imports store it.
                stored = self.instance.value(*LOCALIZED_FIELDS[name]) if self.instance.pk else None
                cleaned[name] = stored if not stored else ""
        for code in language_codes():
            body_field = build_localized_fieldname("body", code)
            body = cleaned.get(body_field) or ""
            if len(body) > MAX_BODY_LENGTH:
                self.add_error(
                    body_field,
                    _("The text is %(length)d characters long; the limit is %(limit)d.")
                    % {"length": len(body), "limit": MAX_BODY_LENGTH},
                )
        source = cleaned.get("source_language") or self.instance.source_language
        if not cleaned.get(build_localized_fieldname("title", source), self.instance.value("title", source)):
            self.add_error(
                None,
                _("The title in the source language (%(language)s) cannot be empty.")
                % {"language": language_name(source)},
            )
        return cleaned

    def changes(self) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
        """Return what this editor wants written and what they started from, both as (field, language) -> text."""
        changes, base = {}, {}
        for name, field in self.fields.items():
            if name in LOCALIZED_FIELDS and name in self.cleaned_data:
                changes[LOCALIZED_FIELDS[name]] = self.cleaned_data[name] or ""
                loaded = field.widget.value_from_datadict(self.data, self.files, self.add_initial_prefix(name))
                base[LOCALIZED_FIELDS[name]] = self._like_stored(name, loaded or "")
            elif name in SHARED_FIELDS and name in self.cleaned_data:
                changes[(name, "")] = self.cleaned_data[name]
                base[(name, "")] = self.initial.get(name) or ""  # as loaded: the instance has the new value by now
        return changes, base

    def show_conflicts(self, *, current: Article, conflicts: list[FieldConflict]) -> None:
        """After a refused save: mark the fields both editors changed and load what is stored now as the new start.

        What this editor typed stays in every field; a field only the other editor changed takes their text, so
        saving again keeps both.
        """
        clashing = {build_localized_fieldname(c.field, c.language): c for c in conflicts if c.language}
        data = self.data.copy()
        for name in self.fields:
            if name not in LOCALIZED_FIELDS:
                continue
            theirs = current.value(*LOCALIZED_FIELDS[name]) or ""
            data[self.add_initial_prefix(name)] = theirs
            if name not in self.changed_data:
                data[name] = theirs
        data["expected_version"] = current.version
        self.data = data
        for name, conflict in clashing.items():
            if name in self.fields:
                self.add_error(name, _conflict_message(conflict.base or "", conflict.theirs))
        self.add_error(None, _conflict_summary(current))

    def _like_stored(self, name: str, value: str) -> str:
        """Browsers post textareas with CRLF line ends; keep the line ends the stored text (the file) has."""
        stored = self.instance.value(*LOCALIZED_FIELDS[name]) if self.instance.pk else ""
        value = value.replace("\r\n", "\n")
        return value.replace("\n", "\r\n") if stored and "\r\n" in stored else value

    def show_refused(self, refused: dict) -> None:
        """Mark the bodies refused because the sanitiser would remove part of them (the text stays in the field)."""
        for (name, language), finding in refused.items():
            self.add_error(
                build_localized_fieldname(name, language),
                _("Removed before readers see it (line %(line)d): %(what)s")
                % {"line": finding.line, "what": finding.text(_)},
            )


def _conflict_message(loaded: str, theirs: str) -> SafeString:
    """Say that another editor changed this field too, showing their change as a diff of the text both started from."""
    return format_html(
        '{}<pre class="diff">{}</pre>{}',
        _("Someone else saved a different text here while you were editing. What they changed:"),
        text_diff(loaded, theirs),
        _("Your text is kept in the field; save again to keep yours, or copy their changes into it."),
    )


def _conflict_summary(current: Article) -> str:
    latest = article_versions(current).first()
    if latest is None:
        return _("This article was saved by someone else while you were editing it; nothing was saved.")
    return _(
        "%(user)s saved this article at %(time)s while you were editing it; nothing was saved. "
        "Fields you both changed are marked below, with your text kept in them."
    ) % {
        "user": latest.revision.user or _("someone"),
        "time": date_format(localtime(latest.revision.date_created), "DATETIME_FORMAT"),
    }


# Per-language flags depend on settings.LANGUAGES, so they are added to the class once it exists.
LANGUAGE_FLAGS = _language_fields()
ArticleAdminForm.declared_fields.update(LANGUAGE_FLAGS)
ArticleAdminForm.base_fields.update(ArticleAdminForm.declared_fields)

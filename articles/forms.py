from django import forms
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from articles.history import article_versions, text_diff, version_values
from articles.models import SOURCE_FIELDS, Article
from articles.services import SHARED_FIELDS, FieldConflict
from core.languages import language_codes, language_name
from markup.merge import Edited, MergeResult, UnknownConflictError, merge_blocks, resolve

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
    # The newest revision when the form was loaded: a revert merges from its text (the form shows the old one).
    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
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
            # Declared flags would join every form; keep only those the admin gave this editor (and the revert's base).
            optional = {*LANGUAGE_FLAGS, "seen_revision"}
            for name in [name for name in self.fields if name in optional and name not in allowed]:
                del self.fields[name]
        for name, field in self.fields.items():
            if name in LOCALIZED_FIELDS:
                field.show_hidden_initial = True  # the posted initial tells what this editor changed
                field.strip = False  # sources are kept verbatim: a save must not trim the body's newlines
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            if "seen_revision" in self.fields:
                latest = article_versions(self.instance).first()
                self.fields["seen_revision"].initial = latest.pk if latest else None
            for code in language_codes():
                name = f"draft_{code}"
                if name in self.fields:
                    self.fields[name].initial = code in self.instance.draft_languages

    def validate_unique(self):
        # An unchanged slug is unique already: checking it again would cost every save a query.
        if "slug" in self.fields and "slug" not in self.changed_data:
            exclude = self._get_validation_exclusions() | {"slug"}
            try:
                self.instance.validate_unique(exclude=exclude)
            except forms.ValidationError as error:
                self._update_errors(error)
            return
        super().validate_unique()

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
        for name in LOCALIZED_FIELDS:
            if name in cleaned and f"merge-mine-{name}" in self.data:
                self._resolve_blocks(name, cleaned)
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
            conflict = clashing.get(name)
            if conflict is not None and conflict.blocks:
                # Both changed this body: what merged cleanly is in the field, a choice is asked for each clash.
                data[name] = conflict.merged
                data[f"merge-base-{name}"] = conflict.base or ""
                data[f"merge-mine-{name}"] = conflict.mine
                for block in conflict.blocks:
                    data.pop(f"merge-choice-{name}-{block.id}", None)
        data["expected_version"] = current.version
        if "seen_revision" in self.fields:
            latest = article_versions(current).first()
            data["seen_revision"] = latest.pk if latest else ""
        self.data = data
        for name, conflict in clashing.items():
            if name not in self.fields:
                continue
            if conflict.blocks:
                self._ask_block_choices(name, conflict.blocks)
            else:
                self.add_error(name, _conflict_message(conflict.base or "", conflict.theirs))
        self.add_error(None, _conflict_summary(current))

    def _resolve_blocks(self, name: str, cleaned: dict) -> None:
        """Make the body from the conflict screen's choices: the merge done again, each clash as the editor chose.

        The merge is made again from the texts the screen carried (the start, this editor's text and the stored
        text then), so the body is exactly what the screen showed; with no choice for a clash nothing is saved.
        """
        result = self._posted_merge(name)
        choices = {}
        for conflict in result.conflicts:
            choice = self.data.get(f"merge-choice-{name}-{conflict.id}")
            if choice == "edit":
                choices[conflict.id] = Edited(self.data.get(f"merge-text-{name}-{conflict.id}", ""))
            elif choice in ("mine", "theirs"):
                choices[conflict.id] = choice
        if len(choices) < len(result.conflicts):
            self.fields[name].widget.attrs["readonly"] = True
            self.add_error(name, _("Choose mine, theirs or your edit for every passage you both changed."))
            self._ask_block_choices(name, result.conflicts)
            return
        try:
            cleaned[name] = self._like_stored(name, resolve(result, choices=choices))
        except UnknownConflictError as error:
            self.add_error(name, error.text(_))

    def _posted_merge(self, name: str) -> MergeResult:
        theirs = self.data.get(self.add_initial_prefix(name), "")
        return merge_blocks(
            base=self.data.get(f"merge-base-{name}", ""), mine=self.data.get(f"merge-mine-{name}", ""), theirs=theirs
        )

    def _ask_block_choices(self, name: str, conflicts) -> None:
        """Show each passage both editors changed side by side, with keep mine / keep theirs / edit."""
        self.fields[name].widget.attrs["readonly"] = True  # resolved by the choices below; editable after saving
        chosen = {key: self.data.get(key) for key in self.data if key.startswith(f"merge-choice-{name}-")}
        rows = []
        for conflict in conflicts:
            choice = chosen.get(f"merge-choice-{name}-{conflict.id}")
            radios = format_html_join(
                " ",
                '<label><input type="radio" name="merge-choice-{}-{}" value="{}" required{}> {}</label>',
                (
                    (name, conflict.id, value, " checked" if choice == value else "", label)
                    for value, label in (("mine", _("Keep mine")), ("theirs", _("Keep theirs")), ("edit", _("Edit:")))
                ),
            )
            edited = self.data.get(f"merge-text-{name}-{conflict.id}", conflict.mine)
            mine, theirs = conflict.mine or _("(deleted)"), conflict.theirs or _("(deleted)")
            rows.append((conflict.id, mine, theirs, radios, name, conflict.id, edited))
        self.add_error(
            name,
            format_html(
                '{}<input type="hidden" name="merge-base-{}" value="{}"><input type="hidden" name="merge-mine-{}" '
                'value="{}"><table class="merge-conflicts"><thead><tr><th>{}</th><th>{}</th></tr></thead>'
                "<tbody>{}</tbody></table>",
                _(
                    "You and the other editor changed the same passages of this text; everything else is merged "
                    "in the field. Choose for each passage:"
                ),
                name,
                self.data.get(f"merge-base-{name}", ""),
                name,
                self.data.get(f"merge-mine-{name}", ""),
                _("Yours"),
                _("Theirs (saved)"),
                format_html_join(
                    "",
                    '<tr class="merge-conflict" id="conflict-{}"><td><pre>{}</pre></td><td><pre>{}</pre></td></tr>'
                    '<tr class="merge-choice"><td colspan="2">{} '
                    '<textarea name="merge-text-{}-{}" rows="3" cols="60">{}</textarea></td></tr>',
                    rows,
                ),
            ),
        )

    def revert_base(self) -> dict[tuple[str, str], str] | None:
        """For a revert: the text of every language field as stored when the form was loaded (what it reverts from)."""
        version = article_versions(self.instance).filter(pk=self.cleaned_data.get("seen_revision")).first()
        if version is None:
            return None
        values = version_values(version)
        return {(name, code): values.get(column) or "" for column, (name, code) in LOCALIZED_FIELDS.items()}

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

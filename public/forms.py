"""The readers' correction form: plain fields, checked by the suggestion service (articles.suggestions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.suggestions import NAME_MAX, QUOTE_MAX, SUGGESTED_MAX


class SuggestionForm(forms.Form):
    quoted = forms.CharField(
        label=_("The passage as it reads now"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": QUOTE_MAX}),
        help_text=_("Copy the sentence or words you want to correct from the page."),
        strip=False,
    )
    suggested = forms.CharField(
        label=_("Your correction"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": SUGGESTED_MAX}),
        help_text=_("Plain text, as it should read."),
        strip=False,
    )
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=NAME_MAX)
    email = forms.EmailField(label=_("Your email (optional)"), required=False)
    # Left empty by people; filled by robots that fill every field. Hidden with CSS, labelled for screen readers.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

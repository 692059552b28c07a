from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("chief", "chief@example.com", "pw")


@pytest.fixture
def make_editor(db):
    """A staff user in the editor group of each given language, as `create_editor_groups` makes them."""
    call_command("create_editor_groups", stdout=StringIO())

    def build(*languages: str, username: str = "") -> User:
        user = User.objects.create_user(username or f"editor-{'-'.join(languages)}", password="pw", is_staff=True)
        user.groups.add(*Group.objects.filter(name__in=[f"Editors ({code})" for code in languages]))
        return user

    return build


def article_url(language: str, slug: str = "crowdsourcing") -> str:
    """The reader's page of an article in `language`."""
    with translation.override(language):
        return reverse("articles:detail", kwargs={"slug": slug})


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def posted_data(form) -> dict:
    """What a browser posts back from a loaded admin form: every field as shown, checked boxes as "on", and the
    hidden initial of the fields that carry one."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
        if field.show_hidden_initial:
            data[f"initial-{name}"] = data[name]
    return data


@pytest.fixture
def form_data():
    """What the browser posts back from an admin form it loaded: every field, its hidden initial, the version."""

    def read(client, url_or_article) -> dict:
        url = url_or_article if isinstance(url_or_article, str) else change_url(url_or_article)
        return posted_data(client.get(url).context["adminform"].form)

    return read

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from core.permissions import editable_languages

pytestmark = pytest.mark.django_db


def test_create_editor_makes_a_staff_user_who_edits_exactly_the_given_languages(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-password-for-tests")
    out = StringIO()

    call_command(
        "create_editor",
        "minji",
        languages="ko,fr",
        email="minji@example.com",
        password_from_env="EDITOR_PASSWORD",
        stdout=out,
    )

    user = User.objects.get(username="minji")
    assert user.is_staff and not user.is_superuser and user.email == "minji@example.com"
    assert editable_languages(user) == ["ko", "fr"]
    assert "created minji: edits ko, fr" in out.getvalue()
    assert user.check_password("a-long-password-for-tests")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_create_editor_refuses_an_unknown_language_and_creates_nobody():
    with pytest.raises(CommandError, match=r"Unknown language\(s\): xx\. Languages of this site: ko, nb"):
        call_command("create_editor", "someone", languages="ko,xx", stdout=StringIO())

    assert not User.objects.filter(username="someone").exists()


def test_create_editor_refuses_an_existing_user_without_update_and_changes_nothing():
    call_command("create_editor", "minji", languages="ko", stdout=StringIO())

    with pytest.raises(CommandError, match="exists already; add --update"):
        call_command("create_editor", "minji", languages="fr", stdout=StringIO())

    assert editable_languages(User.objects.get(username="minji")) == ["ko"]


def test_create_editor_with_update_replaces_the_languages():
    call_command("create_editor", "minji", languages="ko", stdout=StringIO())

    call_command("create_editor", "minji", languages="nb,fr", update=True, stdout=StringIO())

    assert editable_languages(User.objects.get(username="minji")) == ["nb", "fr"]


def test_create_editor_refuses_a_missing_password_variable_and_creates_nobody(monkeypatch):
    monkeypatch.delenv("NO_SUCH_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="NO_SUCH_PASSWORD is not set"):
        call_command("create_editor", "someone", languages="ko", password_from_env="NO_SUCH_PASSWORD")

    assert not User.objects.filter(username="someone").exists()


def test_create_editor_refuses_a_bad_email_address():
    with pytest.raises(CommandError, match="Not an e-mail address: nope"):
        call_command("create_editor", "someone", languages="ko", email="nope")

    assert not User.objects.filter(username="someone").exists()
